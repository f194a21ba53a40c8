// SPDX-License-Identifier: GPL-2.0
/* The text report of `mmsim run`: one block per variant. */
#include <math.h>
#include <string.h>

#include "report/report.h"

/* The shrunk counterexample's line (report/counterexample.h). */
static void sim_report_minimal(FILE *out, const struct sim_counterexample *ce)
{
	const struct sim_minimal *m = &ce->min;

	if (strlen(ce->replay) > SIM_REPLAY_PRINT_MAX) {
		fprintf(out, "%19sminimal: not shrunk (%llu steps, %s)\n", "",
			(unsigned long long)m->steps, sim_minimal_how(m));
		return;
	}
	fprintf(out, "%19sminimal (%d preemption%s, %llu steps, %s): %s\n", "", m->preemptions,
		m->preemptions == 1 ? "" : "s", (unsigned long long)m->steps, sim_minimal_how(m),
		ce->replay);
}

static void sim_report_violation(FILE *out, const struct sim_report_ctx *ctx,
				 const struct sim_batch_result *r,
				 const struct sim_counterexample *ce, int f)
{
	const struct sim_first_violation *fv = &r->first[f];
	const struct sim_violation *v = &fv->v;
	/* the run again from its seed: the same strategy (and PCT depth) */
	g_autofree char *pct_depth = r->strategy == SIM_STRATEGY_PCT ?
					     g_strdup_printf(" --pct-depth %u", r->pct.depth) :
					     g_strdup("");

	fprintf(out,
		"  %-15s broken in %llu of %llu runs; first in run %llu (seed %llu) at step "
		"%llu",
		sim_finding_name(f), (unsigned long long)r->runs_by[f], (unsigned long long)r->runs,
		(unsigned long long)fv->run, (unsigned long long)fv->seed,
		(unsigned long long)v->step);
	if (v->chain[0])
		fprintf(out, " on CPU%d%s in %s\n%19s(%s)\n", v->cpu, v->irq ? " (IPI)" : "",
			v->function, "", v->chain);
	else
		fprintf(out, "\n");
	fprintf(out, "%19s%s\n", "", v->message);
	fprintf(out, "%19sNR_FREE_PAGES %ld, truth %ld, drift %+ld\n", "", v->nr_free_pages,
		v->truth, v->drift);
	if (!ctx->replayed && strlen(fv->schedule) > SIM_REPLAY_PRINT_MAX)
		fprintf(out,
			"%19sreplay: %s run %s --variant %s --seed %llu --strategy %s%s --runs 1 "
			"(the schedule, %zu characters, is in --json)\n",
			"", ctx->argv0, ctx->sc->path, r->variant->name,
			(unsigned long long)fv->seed, sim_strategy_name(r->strategy), pct_depth,
			strlen(fv->schedule));
	else if (!ctx->replayed)
		fprintf(out, "%19sreplay: %s run %s --variant %s --seed %llu%s --replay %s\n", "",
			ctx->argv0, ctx->sc->path, r->variant->name, (unsigned long long)fv->seed,
			r->strategy == SIM_STRATEGY_TIMED ? " --strategy timed" : "", fv->schedule);
	if (ce && ce[f].replay)
		sim_report_minimal(out, &ce[f]);
}

/* PCT's guarantee, with the numbers it rests on. */
static void sim_report_pct(FILE *out, const struct sim_batch_result *r)
{
	unsigned int ncpus = r->ncpus;
	double p = sim_pct_bound(ncpus, &r->pct);

	fprintf(out,
		"  pct depth %u: each run finds a given bug of depth %u with probability >= "
		"1/(n k^(d-1)) = %.3g\n%4sn = %u processes (a task and an IPI handler per CPU), "
		"k = %llu steps (a round-robin run); all %llu runs miss it with probability "
		"<= %.3g\n",
		r->pct.depth, r->pct.depth, p, "", 2 * ncpus, (unsigned long long)r->pct.steps,
		(unsigned long long)r->runs, pow(1 - p, (double)r->runs));
}

void sim_report_text(FILE *out, const struct sim_report_ctx *ctx, const struct sim_batch_result *r,
		     const struct sim_counterexample *ce)
{
	int draw = ce ? sim_counterexamples_first(r, ce) : -1;

	g_autofree char *expect = sim_findings_to_string(r->expect);
	g_autofree char *broken = sim_findings_to_string(r->broken);
	g_autofree char *unseen = sim_findings_to_string(r->expect & ~r->broken);

	fprintf(out, "%s on %s (%s): %s, seed %llu, %llu run%s\n", ctx->sc->name, r->variant->name,
		r->variant->kernel, sim_strategy_name(r->strategy), (unsigned long long)r->seed,
		(unsigned long long)r->runs, r->runs == 1 ? "" : "s");
	if (!r->broken)
		fprintf(out, "  no run broke any invariant\n");
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (r->broken & SIM_F(f))
			sim_report_violation(out, ctx, r, ce, f);
	}
	fprintf(out,
		"  runs with a violation: %llu of %llu; max |drift| %ld; final drift min %ld, "
		"median %ld, max %ld; steps per run max %llu\n",
		(unsigned long long)r->violating_runs, (unsigned long long)r->runs,
		r->max_abs_drift, r->final_drift_min, r->final_drift_median, r->final_drift_max,
		(unsigned long long)r->steps_max);
	if (r->strategy == SIM_STRATEGY_PCT)
		sim_report_pct(out, r);
	if (r->replay_ended)
		fprintf(out,
			"  note: the schedule ended before the run did; it went on round-robin\n");
	if (r->strategy == SIM_STRATEGY_REPLAY)
		fprintf(out, "  expect %s: %s (this schedule broke: %s)\n", expect,
			r->expect_met ? "consistent" : "NOT MET", broken);
	else if (!r->expect_met)
		fprintf(out, "  expect %s: NOT MET (broke: %s)\n", expect,
			r->broken ? broken : "nothing");
	else if (r->expect & ~r->broken)
		fprintf(out,
			"  expect %s: met (not seen in these runs: %s; mmsim explore covers every "
			"interleaving)\n",
			expect, unseen);
	else
		fprintf(out, "  expect %s: met\n", expect);
	if (draw >= 0)
		fprintf(out, "\n%s\n", ce[draw].diagram);
}
