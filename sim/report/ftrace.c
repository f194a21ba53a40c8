// SPDX-License-Identifier: GPL-2.0
/* The trace-cmd report writer (see ftrace.h). */
#include "check/invariants.h"
#include "report/ftrace.h"

static void sim_ft_line(struct sim_ftrace *t, int cpu, uint64_t ts, const char *event,
			const char *fields)
{
	const char *task = t->sc->scripts[cpu].name ? t->sc->scripts[cpu].name : "mmsim";

	t->last_ts = MAX(t->last_ts, ts);
	/* nanosecond timestamps, as `trace-cmd report -t` prints them */
	fprintf(t->out, "%16s-%-5d [%03d] %5llu.%09llu: %s: %s\n", task, 1000 + cpu, cpu,
		(unsigned long long)(ts / 1000000000ull), (unsigned long long)(ts % 1000000000ull),
		event, fields);
}

static void sim_ft_tracepoint(void *data, int cpu, uint64_t ts, const char *name,
			      const char *fields)
{
	sim_ft_line(data, cpu, ts, name, fields);
}

/* No kmem tracepoint for these: mmsim_lock, mmsim_ipi. */
static void sim_ft_instant(void *data, int cpu, const char *kind, const char *what, uint64_t ts)
{
	char event[32];

	g_snprintf(event, sizeof(event), "mmsim_%s", kind);
	sim_ft_line(data, cpu, ts, event, what);
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

	t->shown = 0;
	t->last_ts = 0;
	fprintf(t->out, "# %s on %s, run %llu seed %llu\n", t->sc->name,
		t->variant ? t->variant : "?", (unsigned long long)run, (unsigned long long)seed);
}

void sim_ftrace_observe(void *data, const struct sim_step_view *v)
{
	struct sim_ftrace *t = data;

	for (int i = 0; i < v->n_breaches; i++) {
		int f = v->breaches[i].finding;
		g_autofree char *line = NULL;

		if (t->shown & SIM_F(f))
			continue; /* reported where it broke */
		t->shown |= SIM_F(f);
		line = g_strdup_printf("%s: %s", sim_finding_name(f), v->breaches[i].message);
		sim_ft_line(t, v->cpu, MAX(v->time, t->last_ts), "mmsim_invariant", line);
	}
}
