// SPDX-License-Identifier: GPL-2.0
/* The trace-cmd report writer (see ftrace.h). */
#include "check/invariants.h"
#include "report/ftrace.h"

static void sim_ft_line(struct sim_ftrace *t, int cpu, uint64_t ts, const char *event,
			const char *fields)
{
	const char *task = t->sc->scripts[cpu].name ? t->sc->scripts[cpu].name : "mmsim";

	fprintf(t->out, "%16s-%-5d [%03d] %5llu.%06llu: %s: %s\n", task, 1000 + cpu, cpu,
		(unsigned long long)(ts / 1000000000ull),
		(unsigned long long)(ts / 1000 % 1000000), event, fields);
}

static void sim_ft_tracepoint(void *data, int cpu, uint64_t ts, const char *name,
			      const char *fields)
{
	sim_ft_line(data, cpu, ts, name, fields);
}

static void sim_ft_instant(void *data, int cpu, const char *what, uint64_t ts)
{
	sim_ft_line(data, cpu, ts, "mmsim_event", what);
}

const struct sim_probe sim_ftrace_probe = {
	.instant = sim_ft_instant,
	.tracepoint = sim_ft_tracepoint,
};

void sim_ftrace_begin(struct sim_ftrace *t, FILE *out, const SimScenario *sc)
{
	*t = (struct sim_ftrace){ .out = out, .sc = sc };
	fprintf(out, "cpus=%u\n", sc->cpus);
}

void sim_ftrace_run_start(void *data, uint64_t run, uint64_t seed)
{
	struct sim_ftrace *t = data;

	fprintf(t->out, "# run %llu seed %llu\n", (unsigned long long)run,
		(unsigned long long)seed);
}

void sim_ftrace_observe(void *data, const struct sim_step_view *v)
{
	for (int i = 0; i < v->n_breaches; i++) {
		g_autofree char *f = g_strdup_printf("%s: %s", sim_finding_name(v->breaches[i].finding),
						     v->breaches[i].message);

		sim_ft_line(data, v->cpu, v->time, "mmsim_invariant", f);
	}
}
