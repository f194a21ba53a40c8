/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Executing a world one step at a time: which choices are enabled, and
 * running the chosen one. A choice is "CPU n runs its next step" or "CPU n
 * takes a pending IPI" (interrupt delivery is a scheduling decision of its
 * own, because a real IPI arrives after a latency during which the target
 * keeps running).
 *
 * Module prefix: sim_exec_. The scheduler (engine/sched.c) picks among the
 * choices; engine/run.c drives runs and checks invariants after each step.
 */
#ifndef SIM_ENGINE_EXEC_H
#define SIM_ENGINE_EXEC_H

#include "engine/world.h"

struct sim_choice {
	uint8_t cpu;
	uint8_t irq; /* 1: deliver the pending IPI */
};

/* Enabled choices in canonical order (by cpu, task step before IRQ); returns their number. */
int sim_exec_choices(struct sim_world *w, struct sim_choice *out);

/* When the choice could start (ns): the CPU's clock, a lock release, an IPI arrival. */
uint64_t sim_exec_start_time(const struct sim_world *w, struct sim_choice c);

/* Run one step of an enabled choice, starting at time `start`. */
void sim_exec_step(struct sim_world *w, struct sim_choice c, uint64_t start);

/* Every script is done, no frame is left, and no IPI is pending. */
bool sim_exec_done(const struct sim_world *w);

/* No CPU is inside a call of its script (or an IPI handler). */
bool sim_exec_quiescent(const struct sim_world *w);

/* Move a CPU's script position past repeat markers to its next call (at world set-up). */
void sim_exec_script_advance(struct sim_world *w, struct sim_cpu *cpu);

/* The name of the CPU's current (innermost) function, for diagrams. */
const char *sim_exec_current_fn(const struct sim_world *w, int cpu);

#endif /* SIM_ENGINE_EXEC_H */
