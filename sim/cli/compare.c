// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim compare SCENARIO --out DIR: run a scenario on several variants, N
 * seeded runs each, on a pool of worker threads; print the summary table and
 * write the tables, the derived CSVs, report.md and the plots into DIR.
 * --shard I/N runs one deterministic slice; mmsim merge joins the slices.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "compare/compare.h"
#include "util/error.h"

struct sim_compare_args {
	char *variants, *strategy, *pct_depth, *runs, *seed, *jobs, *out, *shard, *max_steps,
		*drift_points;
	gboolean quiet;
	gboolean resume;
	char **files;
};

static bool sim_parse_shard(const char *arg, SimComparison *cmp, GError **error)
{
	unsigned int i, n;
	char extra;

	if (sscanf(arg, "%u/%u%c", &i, &n, &extra) != 2 || n == 0 || i == 0 || i > n ||
	    n > 100000) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "--shard: expected I/N with 1 <= I <= N, found '%s'", arg);
		return false;
	}
	cmp->shard = i;
	cmp->shards = n;
	return true;
}

/* The comparison's definition: scenario, variants, strategy, runs, seed, limits. */
static SimComparison *sim_compare_define(const struct sim_compare_args *a, const SimScenario *sc,
					 const char *data, gsize len, GError **error)
{
	g_autoptr(SimComparison) cmp = sim_compare_new();
	g_autoptr(GPtrArray) variants = sim_cli_variants(a->variants, error);
	guint64 v;

	if (!variants)
		return NULL;
	for (guint i = 0; i < variants->len; i++)
		g_ptr_array_add(cmp->variants,
				g_strdup(((const SimVariant *)g_ptr_array_index(variants, i))->name));
	cmp->scenario_name = g_strdup(sc->name);
	cmp->scenario_path = g_strdup(sc->path);
	cmp->scenario_sha256 = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	cmp->strategy = sc->strategy == SIM_STRATEGY_REPLAY ? SIM_STRATEGY_RANDOM : sc->strategy;
	cmp->runs = sc->runs;
	cmp->seed = sc->seed;
	cmp->max_steps = sc->max_steps;
	cmp->drift_points = 32;
	if ((a->strategy && !sim_cli_strategy(a->strategy, &cmp->strategy, error)) ||
	    !sim_cli_pct_depth(a->pct_depth, sc, cmp->strategy, &cmp->pct_depth, error))
		return NULL;
	if ((a->runs && !sim_cli_parse_u64("--runs", a->runs, 1000000000, &cmp->runs, error)) ||
	    (a->seed && !sim_cli_parse_u64("--seed", a->seed, G_MAXUINT64, &cmp->seed, error)) ||
	    (a->max_steps && !sim_cli_parse_u64("--max-steps", a->max_steps, 4000000000ull,
						 &cmp->max_steps, error)) ||
	    (a->drift_points &&
	     !sim_cli_parse_u64("--drift-points", a->drift_points, 100000, &v, error)) ||
	    (a->shard && !sim_parse_shard(a->shard, cmp, error)))
		return NULL;
	if (a->drift_points)
		cmp->drift_points = (unsigned int)v;
	cmp->runs = MAX(cmp->runs, 1);
	return g_steal_pointer(&cmp);
}

/* 0: every variant did what the scenario expects; 1: one did not (not judged for a shard). */
static int sim_compare_status(const SimComparison *cmp, const SimScenario *sc)
{
	g_autofree struct sim_variant_summary *s = sim_compare_summarize(cmp);
	int status = 0;

	if (cmp->shards)
		return 0;
	for (guint v = 0; v < cmp->variants->len; v++) {
		bool given;

		if (!sim_scenario_expect_sampled(sim_scenario_expect(sc, s[v].variant, &given),
						 s[v].broken))
			status = 1;
	}
	return status;
}

static int sim_compare_main(const struct sim_compare_args *a, GError **error)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimComparison) cmp = NULL;
	g_autoptr(GError) plot_error = NULL;
	struct sim_compare_opts o = { .jobs = g_get_num_processors(), .quiet = a->quiet,
				      .resume = a->resume };
	g_autofree char *checkpoint = sim_checkpoint_dir(a->out);
	guint64 jobs;

	if (!g_file_get_contents(a->files[0], &data, &len, NULL)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot read", a->files[0]);
		return 2;
	}
	if (!(sc = sim_scenario_load_data(a->files[0], data, len, error)) ||
	    !(cmp = sim_compare_define(a, sc, data, len, error)))
		return 2;
	if (a->jobs && !sim_cli_parse_u64("--jobs", a->jobs, 1024, &jobs, error))
		return 2;
	if (a->jobs)
		o.jobs = (unsigned int)MAX(jobs, 1);
	o.checkpoint = checkpoint;
	if (!sim_compare_run(cmp, sc, &o, error)) {
		if (g_error_matches(*error, SIM_ERROR, SIM_ERROR_INTERRUPTED)) {
			char *msg = g_strdup_printf("%s; the finished runs are kept in %s: the "
						    "same command with --resume goes on from there",
						    (*error)->message, checkpoint);

			g_free((*error)->message);
			(*error)->message = msg;
		}
		return 2;
	}
	if (!sim_compare_write(cmp, a->out, o.jobs, error))
		return 2;
	sim_checkpoint_remove(checkpoint);
	if (!a->quiet)
		sim_compare_print(stdout, cmp);
	if (!sim_compare_plot(a->out, a->quiet, &plot_error))
		fprintf(stderr, "mmsim: %s\n", plot_error->message);
	if (!a->quiet)
		printf("\nReport: %s/report.md\n", a->out);
	return sim_compare_status(cmp, sc);
}

int sim_cmd_compare(int argc, char **argv)
{
	struct sim_compare_args a = { 0 };
	GOptionEntry entries[] = {
		{ "variants", 'v', 0, G_OPTION_ARG_STRING, &a.variants,
		  "Variants: a comma-separated list, or all (default)", "LIST" },
		{ "variant", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &a.variants, NULL, NULL },
		{ "strategy", 's', 0, G_OPTION_ARG_STRING, &a.strategy,
		  "rr, random, pct or timed (default: the scenario's)", "S" },
		{ "pct-depth", 'd', 0, G_OPTION_ARG_STRING, &a.pct_depth,
		  "Strategy pct: the bug depth sought (default: the scenario's, or 3)", "D" },
		{ "runs", 'n', 0, G_OPTION_ARG_STRING, &a.runs, "Runs per variant", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Seed of run 0 (run i uses seed+i)", "S" },
		{ "jobs", 'j', 0, G_OPTION_ARG_STRING, &a.jobs, "Worker threads (default: all cores)",
		  "J" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out, "Directory for the results", "DIR" },
		{ "shard", 0, 0, G_OPTION_ARG_STRING, &a.shard,
		  "Run the I-th of N slices of the runs (then: mmsim merge)", "I/N" },
		{ "max-steps", 0, 0, G_OPTION_ARG_STRING, &a.max_steps, "Step limit per run", "N" },
		{ "drift-points", 0, 0, G_OPTION_ARG_STRING, &a.drift_points,
		  "Drift samples kept per run (default 32)", "N" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &a.quiet, "No progress and no table", NULL },
		{ "resume", 0, 0, G_OPTION_ARG_NONE, &a.resume,
		  "Go on with an interrupted comparison of the same definition (DIR.partial)",
		  NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.files, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO - compare design variants");
	g_autoptr(GError) error = NULL;
	int status;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx,
		"Writes into DIR: comparison.ini, runs.csv, drift.csv, violations.csv, summary.csv,\n"
		"drift-band.csv, final-drift.csv, violations-by-invariant.csv, success.csv, report.md\n"
		"and the plots (docs/compare.md). Results do not depend on --jobs.\n"
		"Exit status: 0 if every variant did what the scenario expects, 1 if not, 2 on bad input.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		status = sim_cli_fail(error);
	} else if (!a.files || !a.files[0] || a.files[1] || !a.out) {
		fprintf(stderr, "mmsim: compare takes one scenario file and --out DIR\n");
		status = 2;
	} else {
		status = sim_compare_main(&a, &error);
		if (error)
			status = sim_cli_fail(error);
	}
	g_free(a.variants);
	g_free(a.strategy);
	g_free(a.pct_depth);
	g_free(a.runs);
	g_free(a.seed);
	g_free(a.jobs);
	g_free(a.out);
	g_free(a.shard);
	g_free(a.max_steps);
	g_free(a.drift_points);
	g_strfreev(a.files);
	return status;
}
