/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Observers of what the model does inside a step, at the simulated time it
 * happens: functions entered and left (step machines and plain functions),
 * instants (lock taken and released, IPIs sent and taken), and the kernel's
 * tracepoints. Perfetto and ftrace output are written from these
 * (sim/report/). When no probe is set, each hook costs one test.
 */
#ifndef SIM_ENGINE_PROBE_H
#define SIM_ENGINE_PROBE_H

#include <stdarg.h>
#include <stdint.h>

struct sim_probe {
	void (*enter)(void *data, int cpu, const char *fn, uint64_t ts);
	void (*leave)(void *data, int cpu, uint64_t ts);
	/* kind: "lock" or "ipi"; what: "spin_lock(&zone->lock)", "IPI to cpus 0x2", ... */
	void (*instant)(void *data, int cpu, const char *kind, const char *what, uint64_t ts);
	/* a kernel tracepoint (include/trace/events/kmem.h): name and its fields */
	void (*tracepoint)(void *data, int cpu, uint64_t ts, const char *name, const char *fields);
};

struct sim_world;

/* The current step's simulated time: its start plus what it has cost so far. */
uint64_t sim_probe_now(const struct sim_world *w);
void sim_probe_enter(struct sim_world *w, const char *fn);
void sim_probe_leave(struct sim_world *w);
void sim_probe_instant(struct sim_world *w, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sim_probe_tracepoint(struct sim_world *w, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* trace_<name>(...) as the kernel calls it; free when no probe is set. */
#define SIM_TRACEPOINT(w, name, ...)                                   \
	do {                                                           \
		if (__builtin_expect((w)->probe != NULL, 0))           \
			sim_probe_tracepoint((w), #name, __VA_ARGS__); \
	} while (0)

#endif /* SIM_ENGINE_PROBE_H */
