// SPDX-License-Identifier: GPL-2.0
/*
 * report.md: what a reviewer reads first. The summary table, the plots, one
 * counterexample per variant that broke something (shrunk and drawn as the
 * two-column diagram), and the command lines that reproduce it.
 */
#include <stdio.h>
#include <string.h>

#include "compare/compare.h"
#include "mm/entry.h"
#include "report/report.h"
#include "util/outfile.h"
#include "variants/variant.h"

bool sim_compare_write_report(const SimComparison *cmp, const struct sim_variant_summary *s,
			      const char *dir, GError **error);
void sim_compare_table(FILE *out, const SimComparison *cmp, const struct sim_variant_summary *s);

static char *sim_join_variants(const SimComparison *cmp, const char *sep)
{
	GString *s = g_string_new(NULL);

	for (guint v = 0; v < cmp->variants->len; v++)
		g_string_append_printf(s, "%s%s", v ? sep : "",
				       (const char *)g_ptr_array_index(cmp->variants, v));
	return g_string_free(s, FALSE);
}

/* The findings any variant broke, and freepage-count always: the table's columns. */
static uint32_t sim_table_findings(const SimComparison *cmp, const struct sim_variant_summary *s)
{
	uint32_t mask = SIM_F(SIM_FREEPAGE_COUNT);

	for (guint v = 0; v < cmp->variants->len; v++)
		mask |= s[v].broken;
	return mask;
}

static void sim_table_rated_header(FILE *out, const struct sim_variant_summary *s, guint nv,
				   bool rule)
{
	for (int e = 0; sim_entries[e].name; e++) {
		uint64_t calls = 0;

		for (guint v = 0; v < nv; v++)
			calls += s[v].calls[e];
		if (sim_compare_entry_rated(e) && calls)
			fprintf(out, rule ? "---|" : " %s ok |", sim_entries[e].name);
	}
}

void sim_compare_table(FILE *out, const SimComparison *cmp, const struct sim_variant_summary *s)
{
	uint32_t cols = sim_table_findings(cmp, s);
	guint nv = cmp->variants->len;

	fputs("| variant | runs | with a violation |", out);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (cols & SIM_F(f))
			fprintf(out, " %s |", sim_finding_name(f));
	}
	fputs(" first violating run (seed) | max \\|drift\\| | final drift: median [p5, p95] "
	      "(min..max) | steps per run: mean (max) |",
	      out);
	sim_table_rated_header(out, s, nv, false);
	fputs("\n|---|---:|---:|", out);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (cols & SIM_F(f))
			fputs("---:|", out);
	}
	fputs("---|---:|---|---|", out);
	sim_table_rated_header(out, s, nv, true);
	fputc('\n', out);
	for (guint v = 0; v < nv; v++) {
		fprintf(out, "| %s | %llu | %llu |", s[v].variant, (unsigned long long)s[v].runs,
			(unsigned long long)s[v].violating_runs);
		for (int f = 0; f < SIM_N_FINDINGS; f++) {
			if (cols & SIM_F(f))
				fprintf(out, " %llu |", (unsigned long long)s[v].runs_by[f]);
		}
		if (s[v].first_violating_run >= 0)
			fprintf(out, " %lld (%llu) |", (long long)s[v].first_violating_run,
				(unsigned long long)s[v].first_violating_seed);
		else
			fputs(" - |", out);
		fprintf(out, " %ld | %ld [%ld, %ld] (%ld..%ld) | %.1f (%llu) |", s[v].max_abs_drift,
			s[v].final_median, s[v].final_p5, s[v].final_p95, s[v].final_min,
			s[v].final_max, s[v].steps_mean, (unsigned long long)s[v].steps_max);
		for (int e = 0; sim_entries[e].name; e++) {
			uint64_t calls = 0;

			for (guint k = 0; k < nv; k++)
				calls += s[k].calls[e];
			if (!sim_compare_entry_rated(e) || !calls)
				continue;
			fprintf(out, " %.1f%%",
				s[v].calls[e] ? 100.0 * (double)s[v].ok[e] / (double)s[v].calls[e] :
						0.0);
			if (sim_compare_entry_retried(e))
				fprintf(out, ", %llu retries", (unsigned long long)s[v].retries[e]);
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}

/* The violation to show for a variant: freepage-count if it broke, else its first finding. */
static const struct sim_violation_row *sim_report_pick(const SimComparison *cmp, uint32_t v)
{
	const struct sim_violation_row *pick = NULL;

	for (guint i = 0; i < cmp->violations->len; i++) {
		const struct sim_violation_row *r =
			&g_array_index(cmp->violations, struct sim_violation_row, i);

		if (r->variant != v)
			continue;
		if (!pick || r->finding == SIM_FREEPAGE_COUNT)
			pick = r;
		if (r->finding == SIM_FREEPAGE_COUNT)
			break;
	}
	return pick;
}

/* The violation shrunk (fewest preemptions, then steps) and drawn as a review diagram. */
static void sim_report_diagram(FILE *out, const SimComparison *cmp, const SimScenario *sc,
			       const struct sim_violation_row *r)
{
	const SimVariant *variant =
		sim_variant_lookup(g_ptr_array_index(cmp->variants, r->variant));
	struct sim_counterexample ce;

	if (!sim_counterexample_build(sc, variant, r->finding, r->seed, r->schedule,
				      SIM_MINIMIZE_BUDGET, &ce, NULL))
		return;
	fprintf(out, "Shrunk to %d preemption%s and %llu steps (%s):\n\n```\n%s```\n\n",
		ce.min.preemptions, ce.min.preemptions == 1 ? "" : "s",
		(unsigned long long)ce.min.steps, sim_minimal_how(&ce.min), ce.diagram);
	sim_counterexample_clear(&ce);
}

static void sim_report_counterexample(FILE *out, const SimComparison *cmp, const SimScenario *sc,
				      const struct sim_violation_row *r)
{
	const struct sim_violation *v = &r->v;
	const char *variant = g_ptr_array_index(cmp->variants, r->variant);

	fprintf(out, "### %s: %s\n\n", variant, sim_finding_name(r->finding));
	fprintf(out, "First in run %llu (seed %llu) at step %llu on CPU%d%s in `%s`",
		(unsigned long long)r->run, (unsigned long long)r->seed,
		(unsigned long long)v->step, v->cpu, v->irq ? " (IPI)" : "", v->function);
	if (v->chain[0])
		fprintf(out, " (`%s`)", v->chain);
	fprintf(out, ": %s. NR_FREE_PAGES %ld, pages on counted lists %ld, drift %+ld.\n\n",
		v->message, v->nr_free_pages, v->truth, v->drift);
	fprintf(out, "Replay:\n\n```\nmmsim run %s --variant %s --seed %llu%s --replay %s\n```\n\n",
		cmp->scenario_path, variant, (unsigned long long)r->seed,
		cmp->strategy == SIM_STRATEGY_TIMED ? " --strategy timed" : "", r->schedule);
	if (sc)
		sim_report_diagram(out, cmp, sc, r);
}

static void sim_report_header(FILE *out, const SimComparison *cmp, const SimScenario *sc)
{
	g_autofree char *variants = sim_join_variants(cmp, ", ");
	g_autofree char *description = sc && sc->description ? g_strdup(sc->description) : NULL;

	fprintf(out, "# %s: %s\n\n", cmp->scenario_name, variants);
	if (description)
		fprintf(out, "%s\n\n", g_strstrip(description));
	fprintf(out,
		"Scenario `%s` (sha256 %.16s), strategy %s, %llu runs per variant with seeds "
		"%llu to %llu, at most %llu steps per run.\n\n",
		cmp->scenario_path, cmp->scenario_sha256, sim_strategy_name(cmp->strategy),
		(unsigned long long)cmp->runs, (unsigned long long)cmp->seed,
		(unsigned long long)(cmp->seed + cmp->runs - 1),
		(unsigned long long)cmp->max_steps);
	for (guint i = 0; sc && i < sc->references->len; i++)
		fprintf(out, "%s %s\n", i ? "-" : "References:\n\n-",
			(char *)g_ptr_array_index(sc->references, i));
	if (sc && sc->references->len)
		fputc('\n', out);
}

static void sim_report_expect(FILE *out, const SimComparison *cmp, const SimScenario *sc,
			      const struct sim_variant_summary *s)
{
	if (!sc)
		return;
	fputs("Expected by the scenario (the findings reachable over all interleavings; runs must "
	      "break nothing else):\n\n",
	      out);
	for (guint v = 0; v < cmp->variants->len; v++) {
		bool given;
		uint32_t e = sim_scenario_expect(sc, s[v].variant, &given);
		g_autofree char *want = sim_findings_to_string(e);
		g_autofree char *got = sim_findings_to_string(s[v].broken);

		g_autofree char *unseen = sim_findings_to_string(e & ~s[v].broken);

		if (!sim_scenario_expect_sampled(e, s[v].broken))
			fprintf(out, "- %s: %s%s — **not met**, broke %s\n", s[v].variant, want,
				given ? "" : " (no expect)", s[v].broken ? got : "nothing");
		else if (e & ~s[v].broken)
			fprintf(out, "- %s: %s — met (not seen in these runs: %s)\n", s[v].variant,
				want, unseen);
		else
			fprintf(out, "- %s: %s%s — met\n", s[v].variant, want,
				given ? "" : " (no expect)");
	}
	fputc('\n', out);
}

static void sim_report_body(FILE *out, const SimComparison *cmp, const SimScenario *sc,
			    const struct sim_variant_summary *s)
{
	g_autofree char *variants = sim_join_variants(cmp, ",");
	bool any = false;

	sim_report_header(out, cmp, sc);
	fputs("## Summary\n\n", out);
	sim_compare_table(out, cmp, s);
	fputc('\n', out);
	sim_report_expect(out, cmp, sc, s);
	fputs("## Plots\n\n![NR_FREE_PAGES drift over simulated time: median and p5-p95 across runs]"
	      "(drift.svg)\n\n![Final drift per run](final-drift.svg)\n\n![Runs with a violation, per "
	      "invariant](violations.svg)\n\n",
	      out);
	for (int e = 0; sim_entries[e].name; e++) {
		for (guint v = 0; v < cmp->variants->len && sim_compare_entry_rated(e); v++)
			any |= s[v].calls[e] > 0;
	}
	if (any)
		fputs("![Success rate of the isolation users' calls](success.svg)\n\n", out);
	fputs("## Counterexamples\n\n", out);
	any = false;
	for (guint v = 0; v < cmp->variants->len; v++) {
		const struct sim_violation_row *r = sim_report_pick(cmp, v);

		if (r) {
			sim_report_counterexample(out, cmp, sc, r);
			any = true;
		}
	}
	if (!any)
		fputs("No run of any variant broke an invariant.\n\n", out);
	g_autofree char *depth = cmp->strategy == SIM_STRATEGY_PCT ?
					 g_strdup_printf(" --pct-depth %u", cmp->pct_depth) :
					 g_strdup("");

	fprintf(out,
		"## Reproduce\n\n```\nmmsim compare %s --variants %s --strategy %s%s --runs %llu "
		"--seed %llu --max-steps %llu --out DIR\n```\n",
		cmp->scenario_path, variants, sim_strategy_name(cmp->strategy), depth,
		(unsigned long long)cmp->runs, (unsigned long long)cmp->seed,
		(unsigned long long)cmp->max_steps);
}

/* The scenario, if it is still the one the comparison ran. */
static SimScenario *sim_report_scenario(const SimComparison *cmp)
{
	g_autofree char *data = NULL;
	g_autofree char *sha = NULL;
	gsize len;

	if (!g_file_get_contents(cmp->scenario_path, &data, &len, NULL))
		return NULL;
	sha = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
	if (strcmp(sha, cmp->scenario_sha256))
		return NULL;
	return sim_scenario_load_data(cmp->scenario_path, data, len, NULL);
}

bool sim_compare_write_report(const SimComparison *cmp, const struct sim_variant_summary *s,
			      const char *dir, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "report.md", NULL);
	g_autoptr(SimOutfile) o = sim_outfile_open(path, error);
	g_autoptr(SimScenario) sc = sim_report_scenario(cmp);

	if (!o)
		return false;
	sim_report_body(sim_outfile_stream(o), cmp, sc, s);
	return sim_outfile_commit(g_steal_pointer(&o), error);
}
