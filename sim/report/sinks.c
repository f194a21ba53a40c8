// SPDX-License-Identifier: GPL-2.0
/* Output files of a command, fed together (see sinks.h). */
#include <string.h>

#include "report/sinks.h"

static void sim_sinks_run_start(void *data, uint64_t run, uint64_t seed)
{
	struct sim_sinks *s = data;

	if (s->trace.trace || s->trace.csv)
		sim_trace_run_start(&s->trace, run, seed);
	if (s->perfetto_on)
		sim_perfetto_run_start(&s->perfetto, run, seed);
	if (s->ftrace_on)
		sim_ftrace_run_start(&s->ftrace, run, seed);
}

static void sim_sinks_observe(void *data, const struct sim_step_view *v)
{
	struct sim_sinks *s = data;

	if (s->trace.trace || s->trace.csv)
		sim_trace_observe(&s->trace, v);
	if (s->perfetto_on)
		sim_perfetto_observe(&s->perfetto, v);
	if (s->ftrace_on)
		sim_ftrace_observe(&s->ftrace, v);
}

/* The probe hooks, to whichever of Perfetto and ftrace is open. */
static void sim_sinks_enter(void *data, int cpu, const char *fn, uint64_t ts)
{
	struct sim_sinks *s = data;

	if (s->perfetto_on)
		sim_perfetto_probe.enter(&s->perfetto, cpu, fn, ts);
}

static void sim_sinks_leave(void *data, int cpu, uint64_t ts)
{
	struct sim_sinks *s = data;

	if (s->perfetto_on)
		sim_perfetto_probe.leave(&s->perfetto, cpu, ts);
}

static void sim_sinks_instant(void *data, int cpu, const char *kind, const char *what,
			      uint64_t ts)
{
	struct sim_sinks *s = data;

	if (s->perfetto_on)
		sim_perfetto_probe.instant(&s->perfetto, cpu, kind, what, ts);
	if (s->ftrace_on)
		sim_ftrace_probe.instant(&s->ftrace, cpu, kind, what, ts);
}

static void sim_sinks_tracepoint(void *data, int cpu, uint64_t ts, const char *name,
				 const char *fields)
{
	struct sim_sinks *s = data;

	if (s->ftrace_on)
		sim_ftrace_probe.tracepoint(&s->ftrace, cpu, ts, name, fields);
}

static const struct sim_probe sim_sinks_probe = {
	.enter = sim_sinks_enter,
	.leave = sim_sinks_leave,
	.instant = sim_sinks_instant,
	.tracepoint = sim_sinks_tracepoint,
};

static bool sim_sinks_open_one(const char *path, SimOutfile **f, GError **error)
{
	return !path || (*f = sim_outfile_open(path, error)) != NULL;
}

bool sim_sinks_open(struct sim_sinks *s, const struct sim_sinks_paths *p, FILE *trace_default,
		    const SimScenario *sc, GError **error)
{
	memset(s, 0, sizeof(*s));
	if (!sim_sinks_open_one(p->trace, &s->trace_file, error) ||
	    !sim_sinks_open_one(p->csv, &s->csv_file, error) ||
	    !sim_sinks_open_one(p->perfetto, &s->perfetto_file, error) ||
	    !sim_sinks_open_one(p->ftrace, &s->ftrace_file, error)) {
		sim_sinks_abandon(s);
		return false;
	}
	s->trace.trace = s->trace_file ? sim_outfile_stream(s->trace_file) : trace_default;
	s->trace.csv = s->csv_file ? sim_outfile_stream(s->csv_file) : NULL;
	sim_trace_header(&s->trace);
	if (s->perfetto_file) {
		sim_perfetto_begin(&s->perfetto, sim_outfile_stream(s->perfetto_file), sc);
		s->perfetto_on = true;
	}
	if (s->ftrace_file) {
		sim_ftrace_begin(&s->ftrace, sim_outfile_stream(s->ftrace_file), sc);
		s->ftrace_on = true;
	}
	return true;
}

void sim_sinks_variant(struct sim_sinks *s, const char *variant)
{
	s->trace.variant = variant;
	s->perfetto.variant = variant;
	s->ftrace.variant = variant;
}

void sim_sinks_attach(struct sim_sinks *s, struct sim_batch_opts *o)
{
	if (s->trace.trace || s->trace.csv || s->perfetto_on || s->ftrace_on) {
		o->observe = sim_sinks_observe;
		o->run_start = sim_sinks_run_start;
		o->observe_data = s;
	}
	if (s->perfetto_on || s->ftrace_on) {
		o->probe = &sim_sinks_probe;
		o->probe_data = s;
	}
}

static bool sim_sinks_commit_one(SimOutfile **f, bool ok, GError **error)
{
	if (!*f)
		return ok;
	if (!ok) {
		sim_outfile_abandon(g_steal_pointer(f));
		return false;
	}
	return sim_outfile_commit(g_steal_pointer(f), error);
}

bool sim_sinks_commit(struct sim_sinks *s, GError **error)
{
	bool ok = true;

	if (s->perfetto_on)
		sim_perfetto_end(&s->perfetto);
	s->perfetto_on = s->ftrace_on = false;
	ok = sim_sinks_commit_one(&s->trace_file, ok, error);
	ok = sim_sinks_commit_one(&s->csv_file, ok, error);
	ok = sim_sinks_commit_one(&s->perfetto_file, ok, error);
	ok = sim_sinks_commit_one(&s->ftrace_file, ok, error);
	return ok;
}

void sim_sinks_abandon(struct sim_sinks *s)
{
	sim_outfile_abandon(g_steal_pointer(&s->trace_file));
	sim_outfile_abandon(g_steal_pointer(&s->csv_file));
	sim_outfile_abandon(g_steal_pointer(&s->perfetto_file));
	sim_outfile_abandon(g_steal_pointer(&s->ftrace_file));
	s->perfetto_on = s->ftrace_on = false;
}
