// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim run SCENARIO: run a scenario on one or more variants and report,
 * per variant, which invariants broke, where first, and the schedule that
 * replays it. With --replay, one run follows the given schedule and its
 * per-step trace is printed.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "report/report.h"
#include "report/sinks.h"
#include "util/error.h"
#include "util/outfile.h"

struct sim_run_args {
	char *variant;
	char *strategy;
	char *pct_depth;
	char *runs;
	char *seed;
	char *max_steps;
	char *replay;
	char *trace;
	char *csv;
	char *perfetto;
	char *ftrace;
	char *diagram;
	gboolean no_minimize;
	gboolean check_determinism;
	gboolean json;
	char **files;
};

bool sim_cli_parse_u64(const char *option, const char *value, guint64 max, guint64 *out,
		       GError **error)
{
	char *end = NULL;

	if (!g_ascii_isdigit(value[0]) || (*out = g_ascii_strtoull(value, &end, 10), *end) ||
	    *out > max) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "%s: expected an integer from 0 to %llu, found '%s'", option,
			    (unsigned long long)max, value);
		return false;
	}
	return true;
}

bool sim_cli_strategy(const char *arg, enum sim_strategy_kind *out, GError **error)
{
	int k = sim_strategy_from_name(arg);

	if (k < 0 || k == SIM_STRATEGY_REPLAY) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "--strategy: expected rr, random, pct or timed (or --replay SCHEDULE), "
			    "found '%s'",
			    arg);
		return false;
	}
	*out = (enum sim_strategy_kind)k;
	return true;
}

bool sim_cli_pct_depth(const char *arg, const SimScenario *sc, enum sim_strategy_kind strategy,
		       unsigned int *out, GError **error)
{
	guint64 v = sc->pct_depth;

	if (arg && strategy != SIM_STRATEGY_PCT) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "--pct-depth: only the pct strategy has a depth (strategy is %s)",
			    sim_strategy_name(strategy));
		return false;
	}
	if (arg && (!sim_cli_parse_u64("--pct-depth", arg, SIM_PCT_DEPTH_MAX, &v, error)))
		return false;
	if (v < 1) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "--pct-depth: expected an integer from 1 to %d, found '%s'",
			    SIM_PCT_DEPTH_MAX, arg);
		return false;
	}
	*out = (unsigned int)v;
	return true;
}

/* The variants named by --variant (a name, a comma-separated list, or all). */
GPtrArray *sim_cli_variants(const char *arg, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	g_auto(GStrv) names = NULL;

	if (!arg || !strcmp(arg, "all")) {
		for (int i = 0; sim_variants[i]; i++)
			g_ptr_array_add(out, (gpointer)sim_variants[i]);
		return g_steal_pointer(&out);
	}
	names = g_strsplit(arg, ",", -1);
	for (int i = 0; names[i]; i++) {
		const SimVariant *v = sim_variant_lookup(names[i]);

		if (!v) {
			GString *known = g_string_new(NULL);

			for (int k = 0; sim_variants[k]; k++)
				g_string_append_printf(known, "%s%s", k ? ", " : "",
						       sim_variants[k]->name);
			g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
				    "--variant: unknown variant '%s' (known: %s, or all)", names[i],
				    known->str);
			g_string_free(known, TRUE);
			return NULL;
		}
		g_ptr_array_add(out, (gpointer)v);
	}
	return g_steal_pointer(&out);
}

/* Fill the batch options from the scenario and the command line. */
static bool sim_run_options(const struct sim_run_args *a, const SimScenario *sc,
			    struct sim_batch_opts *o, struct sim_schedule *replay, GError **error)
{
	guint64 v;

	*o = (struct sim_batch_opts){ .strategy = sc->strategy,
				      .runs = sc->runs,
				      .seed = sc->seed,
				      .max_steps = sc->max_steps,
				      .check = sc->check | SIM_FINDINGS_ALWAYS };
	if ((a->strategy && !sim_cli_strategy(a->strategy, &o->strategy, error)) ||
	    !sim_cli_pct_depth(a->pct_depth, sc, o->strategy, &o->pct_depth, error))
		return false;
	if (a->runs && !sim_cli_parse_u64("--runs", a->runs, 1000000000, &v, error))
		return false;
	if (a->runs)
		o->runs = v ? v : 1;
	if (a->seed && !sim_cli_parse_u64("--seed", a->seed, G_MAXUINT64, &o->seed, error))
		return false;
	if (a->max_steps &&
	    !sim_cli_parse_u64("--max-steps", a->max_steps, 4000000000ull, &o->max_steps, error))
		return false;
	if (a->replay || (o->strategy == SIM_STRATEGY_REPLAY && sc->replay)) {
		const char *str = a->replay ? a->replay : sc->replay;
		g_autoptr(GError) err = NULL;
		int col = 1;

		if (!sim_schedule_parse(str, sc->cpus, replay, &col, &err)) {
			if (a->replay)
				g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "--replay:1:%d: %s",
					    col, err->message);
			else
				g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s:%d:%d: %s",
					    sc->path, sc->replay_mark.line,
					    sc->replay_mark.col + col - 1, err->message);
			return false;
		}
		if (a->replay) {
			replay->origin = "--replay";
			replay->line = replay->col = 1;
		} else {
			replay->origin = sc->path;
			replay->line = sc->replay_mark.line;
			replay->col = sc->replay_mark.col;
		}
		/* a timed run's schedule replays with its costs and clocks */
		o->timed_replay = o->strategy == SIM_STRATEGY_TIMED;
		o->strategy = SIM_STRATEGY_REPLAY;
		o->runs = 1;
		o->replay = replay;
	}
	return true;
}

/* --check-determinism: the state hash after each step of a run. */
static void sim_run_hash_observe(void *data, const struct sim_step_view *v)
{
	GArray *hashes = data;

	g_array_append_val(hashes, v->state_hash);
}

/* Run one seed of the batch alone and collect its state hashes. */
static bool sim_run_hashes(const SimScenario *sc, const SimVariant *v,
			   const struct sim_batch_opts *base, uint64_t seed, GArray *hashes,
			   GError **error)
{
	struct sim_batch_opts o = *base;
	struct sim_batch_result r = { 0 };
	bool ok;

	o.runs = 1;
	o.seed = seed;
	o.hash_states = true;
	o.observe = sim_run_hash_observe;
	o.observe_data = hashes;
	o.run_start = NULL;
	o.probe = NULL;
	ok = sim_batch_run(sc, v, &o, &r, error);
	sim_batch_result_clear(&r);
	return ok;
}

/*
 * Every run twice, each from a fresh world, comparing the whole model state
 * after every step: a difference is a determinism bug of mmsim (state
 * outside the world, uninitialized memory), never of the scenario.
 */
static int sim_run_check_determinism(const SimScenario *sc, GPtrArray *variants,
				     const struct sim_batch_opts *o, GError **error)
{
	g_autoptr(GArray) a = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	g_autoptr(GArray) b = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	uint64_t steps = 0;

	for (guint n = 0; n < variants->len; n++) {
		const SimVariant *v = g_ptr_array_index(variants, n);

		for (uint64_t i = 0; i < o->runs; i++) {
			g_array_set_size(a, 0);
			g_array_set_size(b, 0);
			if (!sim_run_hashes(sc, v, o, o->seed + i, a, error) ||
			    !sim_run_hashes(sc, v, o, o->seed + i, b, error))
				return 2;
			for (guint k = 0; k < MAX(a->len, b->len); k++) {
				if (k >= a->len || k >= b->len ||
				    g_array_index(a, uint64_t, k) !=
					    g_array_index(b, uint64_t, k)) {
					printf("%s on %s: NOT deterministic: run %llu (seed %llu) "
					       "differs at step %u\n",
					       sc->name, v->name, (unsigned long long)i,
					       (unsigned long long)(o->seed + i), k + 1);
					return 1;
				}
			}
			steps += a->len;
		}
		printf("%s on %s: deterministic: %llu runs run twice, the state after each of "
		       "%llu steps identical\n",
		       sc->name, v->name, (unsigned long long)o->runs, (unsigned long long)steps);
		steps = 0;
	}
	return 0;
}

/* Shrink what each variant broke (not for --replay: that schedule is the user's). */
static bool sim_run_counterexamples(const struct sim_run_args *a, const SimScenario *sc,
				    const struct sim_batch_opts *o,
				    const struct sim_batch_result *r, struct sim_counterexample *ce,
				    GError **error)
{
	if (o->replay || a->no_minimize)
		return true;
	return sim_counterexamples_build(sc, r, SIM_MINIMIZE_BUDGET, ce, error);
}

/* --diagram FILE: each variant's drawn counterexample, nothing else. */
static bool sim_run_write_diagrams(const char *path, const struct sim_batch_result *r,
				   const struct sim_counterexample *ce, guint n, GError **error)
{
	g_autoptr(SimOutfile) f = sim_outfile_open(path, error);
	bool any = false;

	if (!f)
		return false;
	for (guint i = 0; i < n; i++) {
		const struct sim_counterexample *c = ce + i * SIM_N_FINDINGS;
		int draw = sim_counterexamples_first(&r[i], c);

		if (draw >= 0) {
			fprintf(sim_outfile_stream(f), "%s%s", any ? "\n" : "", c[draw].diagram);
			any = true;
		}
	}
	if (!any)
		fprintf(sim_outfile_stream(f), "no counterexample: no run broke an invariant%s\n",
			r->strategy == SIM_STRATEGY_REPLAY ? " (a replay is not shrunk)" : "");
	return sim_outfile_commit(g_steal_pointer(&f), error);
}

static int sim_run_scenario(const struct sim_run_args *a, const char *argv0, GError **error)
{
	g_autoptr(SimScenario) sc = sim_scenario_load(a->files[0], error);
	g_autoptr(GPtrArray) variants = NULL;
	struct sim_schedule replay = { 0 };
	struct sim_batch_opts o;
	struct sim_sinks sinks = { 0 };
	struct sim_sinks_paths paths = { a->trace, a->csv, a->perfetto, a->ftrace };
	struct sim_batch_result *results = NULL;
	struct sim_counterexample *ce = NULL;
	struct sim_report_ctx ctx;
	int status = 0;
	guint n = 0;
	bool ok = true;

	if (!sc || !(variants = sim_cli_variants(a->variant, error)) ||
	    !sim_run_options(a, sc, &o, &replay, error))
		goto fail;
	if (o.replay && variants->len != 1) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "--replay: a schedule belongs to one variant; name it with --variant");
		goto fail;
	}
	if (a->check_determinism) {
		int status = sim_run_check_determinism(sc, variants, &o, error);

		sim_schedule_release(&replay);
		return status;
	}
	if (!sim_sinks_open(&sinks, &paths, o.replay && !a->json ? stdout : NULL, sc, error))
		goto fail;
	sim_sinks_attach(&sinks, &o);
	ctx = (struct sim_report_ctx){ .sc = sc, .argv0 = argv0, .replayed = o.replay != NULL };
	results = g_new0(struct sim_batch_result, variants->len);
	ce = g_new0(struct sim_counterexample, variants->len * SIM_N_FINDINGS);
	for (n = 0; n < variants->len && ok; n++) {
		const SimVariant *v = g_ptr_array_index(variants, n);
		struct sim_counterexample *vce = ce + n * SIM_N_FINDINGS;

		sim_sinks_variant(&sinks, v->name);
		ok = sim_batch_run(sc, v, &o, &results[n], error) &&
		     sim_run_counterexamples(a, sc, &o, &results[n], vce, error);
		if (!ok)
			break;
		if (!a->json)
			sim_report_text(stdout, &ctx, &results[n], vce);
		if (!results[n].expect_met)
			status = 1;
	}
	if (ok && a->json)
		sim_report_json(stdout, &ctx, results, ce, (int)n);
	ok = ok && (!a->diagram || sim_run_write_diagrams(a->diagram, results, ce, n, error)) &&
	     sim_sinks_commit(&sinks, error);
	for (guint i = 0; i < variants->len; i++) {
		sim_batch_result_clear(&results[i]);
		sim_counterexamples_clear(ce + i * SIM_N_FINDINGS);
	}
	g_free(results);
	g_free(ce);
	sim_sinks_abandon(&sinks);
	sim_schedule_release(&replay);
	return ok ? status : 2;
fail:
	sim_schedule_release(&replay);
	return 2;
}

int sim_cmd_run(int argc, char **argv)
{
	struct sim_run_args a = { 0 };
	GOptionEntry entries[] = {
		{ "variant", 'v', 0, G_OPTION_ARG_STRING, &a.variant,
		  "Variant(s) to run: a name, a comma-separated list, or all (default)", "NAME" },
		{ "strategy", 's', 0, G_OPTION_ARG_STRING, &a.strategy,
		  "Scheduling strategy: rr, random, pct or timed (default: the scenario's)", "S" },
		{ "pct-depth", 'd', 0, G_OPTION_ARG_STRING, &a.pct_depth,
		  "Strategy pct: the bug depth sought (default: the scenario's, or 3)", "D" },
		{ "runs", 'n', 0, G_OPTION_ARG_STRING, &a.runs, "Number of runs", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_STRING, &a.seed, "Seed of run 0 (run i uses seed+i)",
		  "S" },
		{ "max-steps", 0, 0, G_OPTION_ARG_STRING, &a.max_steps, "Step limit per run", "N" },
		{ "replay", 'r', 0, G_OPTION_ARG_STRING, &a.replay,
		  "Run one schedule exactly (as printed by a violation) and trace it", "SCHEDULE" },
		{ "trace", 't', 0, G_OPTION_ARG_FILENAME, &a.trace,
		  "Write a line per step to FILE ('-': stdout)", "FILE" },
		{ "csv", 0, 0, G_OPTION_ARG_FILENAME, &a.csv, "Write the drift time series to FILE",
		  "FILE" },
		{ "perfetto", 0, 0, G_OPTION_ARG_FILENAME, &a.perfetto,
		  "Write a Perfetto / chrome://tracing JSON trace of the runs to FILE", "FILE" },
		{ "ftrace", 0, 0, G_OPTION_ARG_FILENAME, &a.ftrace,
		  "Write the runs as trace-cmd report lines (kmem tracepoints) to FILE", "FILE" },
		{ "diagram", 0, 0, G_OPTION_ARG_FILENAME, &a.diagram,
		  "Write the two-column counterexample diagram(s) alone to FILE", "FILE" },
		{ "no-minimize", 0, 0, G_OPTION_ARG_NONE, &a.no_minimize,
		  "Show violations as found, without shrinking them", NULL },
		{ "check-determinism", 0, 0, G_OPTION_ARG_NONE, &a.check_determinism,
		  "Run each seed twice and compare the whole state after every step", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &a.json, "Print the report as JSON", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.files, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO - run a scenario");
	g_autoptr(GError) error = NULL;
	int status;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Exit status: 0 if every variant run did what the scenario expects,\n"
		     "1 if one did not, 2 on bad input or usage.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		status = sim_cli_fail(error);
	else if (!a.files || !a.files[0] || a.files[1]) {
		fprintf(stderr, "mmsim: run takes one scenario file\n");
		status = 2;
	} else {
		status = sim_run_scenario(&a, "mmsim", &error);
		if (error)
			status = sim_cli_fail(error);
	}
	g_free(a.variant);
	g_free(a.strategy);
	g_free(a.pct_depth);
	g_free(a.runs);
	g_free(a.seed);
	g_free(a.max_steps);
	g_free(a.replay);
	g_free(a.trace);
	g_free(a.csv);
	g_free(a.perfetto);
	g_free(a.ftrace);
	g_free(a.diagram);
	g_strfreev(a.files);
	return status;
}
