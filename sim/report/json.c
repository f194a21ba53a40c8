// SPDX-License-Identifier: GPL-2.0
/* The JSON report of `mmsim run --json` (format in docs/json.md). */
#include "report/report.h"

static void sim_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void sim_json_findings(FILE *out, uint32_t mask)
{
	bool first = true;

	if (!mask) {
		fputs("\"clean\"", out);
		return;
	}
	fputc('[', out);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (!(mask & SIM_F(f)))
			continue;
		fprintf(out, "%s\"%s\"", first ? "" : ", ", sim_finding_name(f));
		first = false;
	}
	fputc(']', out);
}

static void sim_json_minimal(FILE *out, const struct sim_counterexample *ce)
{
	const struct sim_minimal *m = &ce->min;

	fputs(", \"minimal\": {\"schedule\": ", out);
	sim_json_string(out, m->schedule);
	fprintf(out,
		", \"steps\": %llu, \"preemptions\": %d, \"proven_minimal\": %s, "
		"\"point_of_no_return\": ",
		(unsigned long long)m->steps, m->preemptions, m->minimal ? "true" : "false");
	if (m->no_return_proven && m->no_return < m->steps)
		fprintf(out, "%llu", (unsigned long long)m->no_return);
	else
		fputs("null", out);
	fputs(", \"replay\": ", out);
	sim_json_string(out, ce->replay);
	fputs(", \"diagram\": ", out);
	sim_json_string(out, ce->diagram);
	fputc('}', out);
}

static void sim_json_violation(FILE *out, const struct sim_first_violation *fv,
			       const struct sim_counterexample *ce, int f)
{
	const struct sim_violation *v = &fv->v;

	fprintf(out,
		"{\"invariant\": \"%s\", \"run\": %llu, \"seed\": %llu, \"step\": %llu, "
		"\"time\": %llu, \"cpu\": %d, \"irq\": %s, \"function\": ",
		sim_finding_name(f), (unsigned long long)fv->run, (unsigned long long)fv->seed,
		(unsigned long long)v->step, (unsigned long long)v->time, v->cpu,
		v->irq ? "true" : "false");
	sim_json_string(out, v->function);
	fputs(", \"chain\": ", out);
	sim_json_string(out, v->chain);
	fputs(", \"message\": ", out);
	sim_json_string(out, v->message);
	fprintf(out, ", \"nr_free_pages\": %ld, \"truth\": %ld, \"drift\": %ld, \"schedule\": ",
		v->nr_free_pages, v->truth, v->drift);
	sim_json_string(out, fv->schedule);
	if (ce && ce[f].replay)
		sim_json_minimal(out, &ce[f]);
	fputc('}', out);
}

static void sim_json_result(FILE *out, const struct sim_batch_result *r,
			    const struct sim_counterexample *ce)
{
	bool first = true;

	fputs("{\"variant\": ", out);
	sim_json_string(out, r->variant->name);
	fprintf(out,
		", \"strategy\": \"%s\", \"seed\": %llu, \"runs\": %llu, "
		"\"violating_runs\": %llu, \"runs_by_invariant\": {",
		sim_strategy_name(r->strategy), (unsigned long long)r->seed,
		(unsigned long long)r->runs, (unsigned long long)r->violating_runs);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (!r->runs_by[f])
			continue;
		fprintf(out, "%s\"%s\": %llu", first ? "" : ", ", sim_finding_name(f),
			(unsigned long long)r->runs_by[f]);
		first = false;
	}
	fputc('}', out);
	if (r->strategy == SIM_STRATEGY_PCT)
		fprintf(out, ", \"pct\": {\"depth\": %u, \"steps\": %llu, \"processes\": %u, "
			     "\"bound\": %.6g}",
			r->pct.depth, (unsigned long long)r->pct.steps, 2 * r->ncpus,
			sim_pct_bound(r->ncpus, &r->pct));
	fprintf(out,
		", \"max_abs_drift\": %ld, \"final_drift\": {\"min\": %ld, \"median\": %ld, "
		"\"max\": %ld}, \"steps_max\": %llu, \"expect\": ",
		r->max_abs_drift, r->final_drift_min, r->final_drift_median, r->final_drift_max,
		(unsigned long long)r->steps_max);
	sim_json_findings(out, r->expect);
	fputs(", \"broken\": ", out);
	sim_json_findings(out, r->broken);
	fprintf(out, ", \"expect_met\": %s, \"violations\": [", r->expect_met ? "true" : "false");
	first = true;
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (!(r->broken & SIM_F(f)))
			continue;
		fputs(first ? "\n      " : ",\n      ", out);
		sim_json_violation(out, &r->first[f], ce, f);
		first = false;
	}
	fputs("]}", out);
}

void sim_report_json(FILE *out, const struct sim_report_ctx *ctx,
		     const struct sim_batch_result *results, const struct sim_counterexample *ce,
		     int n)
{
	fputs("{\"scenario\": ", out);
	sim_json_string(out, ctx->sc->name);
	fputs(", \"file\": ", out);
	sim_json_string(out, ctx->sc->path);
	fputs(", \"results\": [", out);
	for (int i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", out);
		sim_json_result(out, &results[i], ce ? ce + i * SIM_N_FINDINGS : NULL);
	}
	fputs("\n]}\n", out);
}
