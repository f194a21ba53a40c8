// SPDX-License-Identifier: GPL-2.0
/* Calling the probe's hooks (see probe.h). */
#include <stdio.h>

#include "engine/probe.h"
#include "engine/world.h"

uint64_t sim_probe_now(const struct sim_world *w)
{
	return w->st->now + w->info.cost;
}

void sim_probe_enter(struct sim_world *w, const char *fn)
{
	if (w->probe->enter)
		w->probe->enter(w->probe_data, w->info.cpu, fn, sim_probe_now(w));
}

void sim_probe_leave(struct sim_world *w)
{
	if (w->probe->leave)
		w->probe->leave(w->probe_data, w->info.cpu, sim_probe_now(w));
}

void sim_probe_instant(struct sim_world *w, const char *kind, const char *fmt, ...)
{
	char what[128];
	va_list ap;

	if (!w->probe->instant)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	w->probe->instant(w->probe_data, w->info.cpu, kind, what, sim_probe_now(w));
}

void sim_probe_tracepoint(struct sim_world *w, const char *name, const char *fmt, ...)
{
	char fields[256];
	va_list ap;

	if (!w->probe->tracepoint)
		return;
	va_start(ap, fmt);
	vsnprintf(fields, sizeof(fields), fmt, ap);
	va_end(ap);
	w->probe->tracepoint(w->probe_data, w->info.cpu, sim_probe_now(w), name, fields);
}
