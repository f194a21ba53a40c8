// SPDX-License-Identifier: GPL-2.0
/* The Perfetto / chrome://tracing writer (see perfetto.h). */
#include "check/invariants.h"
#include "report/perfetto.h"

static void sim_pf_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, out);
	}
	fputc('"', out);
}

/*
 * Open an event: {"name": ..., "ph": ..., "pid": ..., "tid": ..., "ts": ...
 * The caller adds its fields and the closing brace. Trace-event times are
 * microseconds: simulated ns with three decimals.
 */
static void sim_pf_event(struct sim_perfetto *p, const char *name, const char *ph, int tid,
			 uint64_t ts)
{
	fputs(p->any ? ",\n{\"name\": " : "\n{\"name\": ", p->out);
	sim_pf_string(p->out, name);
	fprintf(p->out, ", \"ph\": \"%s\", \"pid\": %llu, \"tid\": %d, \"ts\": %llu.%03llu", ph,
		(unsigned long long)p->pid, tid, (unsigned long long)(ts / 1000),
		(unsigned long long)(ts % 1000));
	p->any = true;
	p->last_ts = MAX(p->last_ts, ts);
}

static void sim_pf_enter(void *data, int cpu, const char *fn, uint64_t ts)
{
	struct sim_perfetto *p = data;

	sim_pf_event(p, fn, "B", cpu, ts);
	fputs(", \"cat\": \"kernel\"}", p->out);
	p->depth[cpu]++;
}

static void sim_pf_leave(void *data, int cpu, uint64_t ts)
{
	struct sim_perfetto *p = data;

	if (!p->depth[cpu])
		return;
	p->depth[cpu]--;
	sim_pf_event(p, "", "E", cpu, ts);
	fputc('}', p->out);
}

static void sim_pf_instant(void *data, int cpu, const char *kind, const char *what, uint64_t ts)
{
	struct sim_perfetto *p = data;

	sim_pf_event(p, what, "i", cpu, ts);
	fprintf(p->out, ", \"s\": \"t\", \"cat\": \"%s\"}", kind);
}

const struct sim_probe sim_perfetto_probe = {
	.enter = sim_pf_enter,
	.leave = sim_pf_leave,
	.instant = sim_pf_instant,
};

/* Close what is still open on the current run's tracks. */
static void sim_pf_close(struct sim_perfetto *p)
{
	for (int c = 0; c < SIM_NR_CPUS_LIMIT; c++) {
		while (p->depth[c])
			sim_pf_leave(p, c, p->last_ts);
	}
}

static void sim_pf_meta(struct sim_perfetto *p, const char *what, int tid, const char *name)
{
	sim_pf_event(p, what, "M", tid, 0);
	fputs(", \"args\": {\"name\": ", p->out);
	sim_pf_string(p->out, name);
	fputs("}}", p->out);
}

void sim_perfetto_begin(struct sim_perfetto *p, FILE *out, const SimScenario *sc)
{
	*p = (struct sim_perfetto){ .out = out, .sc = sc };
	fputs("{\"displayTimeUnit\": \"ns\", \"traceEvents\": [", out);
}

void sim_perfetto_run_start(void *data, uint64_t run, uint64_t seed)
{
	struct sim_perfetto *p = data;
	g_autofree char *name = NULL;

	sim_pf_close(p);
	p->pid = run + 1;
	p->last_ts = 0;
	p->shown = 0;
	name = g_strdup_printf("%s on %s, run %llu (seed %llu)", p->sc->name,
			       p->variant ? p->variant : "?", (unsigned long long)run,
			       (unsigned long long)seed);
	sim_pf_meta(p, "process_name", 0, name);
	for (unsigned int c = 0; c < p->sc->cpus; c++) {
		g_autofree char *t = p->sc->scripts[c].name ?
					     g_strdup_printf("CPU%u (%s)", c, p->sc->scripts[c].name) :
					     g_strdup_printf("CPU%u", c);

		sim_pf_meta(p, "thread_name", (int)c, t);
	}
}

static void sim_pf_counter(struct sim_perfetto *p, const char *name, long value, uint64_t ts)
{
	sim_pf_event(p, name, "C", 0, ts);
	fprintf(p->out, ", \"args\": {\"pages\": %ld}}", value);
}

void sim_perfetto_observe(void *data, const struct sim_step_view *v)
{
	struct sim_perfetto *p = data;
	uint64_t ts = MAX(p->last_ts, v->time);

	sim_pf_counter(p, "NR_FREE_PAGES", v->nr_free_pages, ts);
	sim_pf_counter(p, "truth (pages on counted free lists)", v->truth, ts);
	sim_pf_counter(p, "drift", v->drift, ts);
	for (int i = 0; i < v->n_breaches; i++) {
		int f = v->breaches[i].finding;
		g_autofree char *what = NULL;

		/* an instant where it breaks; the drift counter shows how long it stays broken */
		if (p->shown & SIM_F(f))
			continue;
		p->shown |= SIM_F(f);
		what = g_strdup_printf("%s broken: %s", sim_finding_name(f), v->breaches[i].message);
		sim_pf_event(p, what, "i", v->cpu, ts);
		fputs(", \"s\": \"g\", \"cat\": \"invariant\"}", p->out);
	}
}

void sim_perfetto_end(struct sim_perfetto *p)
{
	sim_pf_close(p);
	fputs("\n]}\n", p->out);
}
