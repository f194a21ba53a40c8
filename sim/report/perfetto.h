/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chrome trace-event JSON, as Perfetto (ui.perfetto.dev) and chrome://tracing
 * open it: a process per run, a track per CPU with a slice per kernel function
 * (nested as the calls were), instants for zone->lock, IPIs and broken
 * invariants, and counter tracks for NR_FREE_PAGES, the truth and the drift.
 * Times are simulated (docs/scheduler.md).
 */
#ifndef SIM_REPORT_PERFETTO_H
#define SIM_REPORT_PERFETTO_H

#include <stdio.h>

#include "engine/probe.h"
#include "engine/run.h"
#include "scenario/scenario.h"

struct sim_perfetto {
	FILE *out;
	const SimScenario *sc;
	const char *variant;
	uint64_t pid; /* run index + 1 */
	bool any;     /* an event was written (for commas) */
	int depth[SIM_NR_CPUS_LIMIT];
	uint64_t last_ts;
	uint32_t shown; /* findings already marked in this run */
};

extern const struct sim_probe sim_perfetto_probe;

void sim_perfetto_begin(struct sim_perfetto *p, FILE *out, const SimScenario *sc);
/* A run starts (batch run_start hook) / a step ends (observer) / all done. */
void sim_perfetto_run_start(void *data, uint64_t run, uint64_t seed);
void sim_perfetto_observe(void *data, const struct sim_step_view *v);
void sim_perfetto_end(struct sim_perfetto *p);

#endif /* SIM_REPORT_PERFETTO_H */
