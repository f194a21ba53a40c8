/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lines in the form of `trace-cmd report`, named after the kernel's kmem
 * tracepoints where one exists (mm_page_alloc, mm_page_free,
 * mm_page_pcpu_drain, mm_page_alloc_zone_locked, mm_page_alloc_extfrag, with
 * their v3.16 fields), and mmsim_* events for what has none (mmsim_lock for
 * zone->lock, mmsim_ipi, mmsim_invariant where an invariant breaks). The task
 * is the CPU's script name; timestamps have nanoseconds (trace-cmd report -t).
 */
#ifndef SIM_REPORT_FTRACE_H
#define SIM_REPORT_FTRACE_H

#include <stdio.h>

#include "engine/probe.h"
#include "engine/run.h"
#include "scenario/scenario.h"

struct sim_ftrace {
	FILE *out;
	const SimScenario *sc;
	const char *variant;
	uint32_t shown;	  /* findings already reported in this run */
	uint64_t last_ts; /* of the last line: a breach is reported at the end of its step */
};

extern const struct sim_probe sim_ftrace_probe;

void sim_ftrace_begin(struct sim_ftrace *t, FILE *out, const SimScenario *sc);
void sim_ftrace_run_start(void *data, uint64_t run, uint64_t seed);
void sim_ftrace_observe(void *data, const struct sim_step_view *v);

#endif /* SIM_REPORT_FTRACE_H */
