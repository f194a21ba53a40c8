// SPDX-License-Identifier: GPL-2.0
/*
 * The per-step trace and the drift CSV. Trace line:
 *   step time(ns) cpu function: events | NR_FREE_PAGES truth drift
 * followed by a "!!" line per invariant the step broke.
 */
#include "report/report.h"

void sim_trace_header(struct sim_trace_sink *s)
{
	if (s->csv)
		fputs("variant,run,seed,step,time_ns,cpu,irq,nr_free_pages,truth,drift,settled\n",
		      s->csv);
}

void sim_trace_run_start(void *data, uint64_t run, uint64_t seed)
{
	struct sim_trace_sink *s = data;

	s->run = run;
	s->seed = seed;
	s->shown = 0;
	if (s->trace)
		fprintf(s->trace, "# %s run %llu seed %llu\n", s->variant, (unsigned long long)run,
			(unsigned long long)seed);
}

/* A "!!" line when an invariant breaks; quiet while it stays broken (the drift column shows it). */
static void sim_trace_breaches(struct sim_trace_sink *s, const struct sim_step_view *v)
{
	uint32_t now = 0;

	for (int i = 0; i < v->n_breaches; i++) {
		const struct sim_breach *b = &v->breaches[i];

		now |= SIM_F(b->finding);
		if (s->shown & SIM_F(b->finding))
			continue;
		fprintf(s->trace, "%6s !! %s: %s\n", "", sim_finding_name(b->finding), b->message);
	}
	if (v->settled)
		s->shown = now;
	else
		s->shown |= now;
}

void sim_trace_observe(void *data, const struct sim_step_view *v)
{
	struct sim_trace_sink *s = data;

	if (s->trace) {
		fprintf(s->trace,
			"%6llu %9llu cpu%d%s %s: %s | NR_FREE_PAGES %ld truth %ld drift %+ld%s\n",
			(unsigned long long)v->step, (unsigned long long)v->time, v->cpu,
			v->irq ? "!" : "", v->function, v->events[0] ? v->events : "-",
			v->nr_free_pages, v->truth, v->drift, v->settled ? "" : " (lock held)");
		sim_trace_breaches(s, v);
	}
	if (s->csv)
		fprintf(s->csv, "%s,%llu,%llu,%llu,%llu,%d,%d,%ld,%ld,%ld,%d\n", s->variant,
			(unsigned long long)s->run, (unsigned long long)s->seed,
			(unsigned long long)v->step, (unsigned long long)v->time, v->cpu, v->irq,
			v->nr_free_pages, v->truth, v->drift, v->settled);
}
