/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run shows: the text report, the JSON report (a stable interface,
 * docs/json.md), the per-step trace and the drift CSV (docs/output.md).
 *
 * Module prefix: sim_report_.
 */
#ifndef SIM_REPORT_REPORT_H
#define SIM_REPORT_REPORT_H

#include <stdio.h>

#include "engine/batch.h"
#include "report/counterexample.h"

struct sim_report_ctx {
	const SimScenario *sc;
	const char *argv0; /* how to spell the command in replay lines */
	bool replayed;	   /* the results come from --replay */
};

/*
 * ce: the result's counterexamples ([SIM_N_FINDINGS]), or NULL when none was
 * built; JSON: [n * SIM_N_FINDINGS], result i's at ce + i * SIM_N_FINDINGS.
 */
void sim_report_text(FILE *out, const struct sim_report_ctx *ctx, const struct sim_batch_result *r,
		     const struct sim_counterexample *ce);
void sim_report_json(FILE *out, const struct sim_report_ctx *ctx,
		     const struct sim_batch_result *results, const struct sim_counterexample *ce,
		     int n);

/* Observers (engine/run.h) writing a trace or a CSV line per step. */
struct sim_trace_sink {
	FILE *trace; /* may be NULL */
	FILE *csv;   /* may be NULL */
	const char *variant;
	uint64_t run, seed;
	uint32_t shown; /* breaches already shown */
};

void sim_trace_header(struct sim_trace_sink *s);
void sim_trace_run_start(void *data, uint64_t run, uint64_t seed);
void sim_trace_observe(void *data, const struct sim_step_view *v);

#endif /* SIM_REPORT_REPORT_H */
