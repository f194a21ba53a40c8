/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling strategies: which enabled choice runs next.
 *
 *  rr      round-robin over the CPUs, one step each (an IPI pending on a CPU
 *          is taken on its turn);
 *  random  uniformly among the enabled choices, from the run's seed;
 *  replay  the choices of a schedule string, then round-robin if it ends;
 *  timed   discrete-event: the choice that can start earliest in simulated
 *          time (ties: lower CPU, an IPI before a task step), with the
 *          scenario's cost table and seeded jitter.
 *
 * Module prefix: sim_sched_.
 */
#ifndef SIM_ENGINE_SCHED_H
#define SIM_ENGINE_SCHED_H

#include "engine/schedule.h"
#include "scenario/scenario.h"

struct sim_sched {
	enum sim_strategy_kind kind;
	uint64_t rng[4];
	int last_cpu;			   /* rr */
	const struct sim_schedule *replay; /* replay */
	size_t pos;
	bool replay_ended;
};

void sim_sched_init(struct sim_sched *s, enum sim_strategy_kind kind, uint64_t seed,
		    const struct sim_schedule *replay);

/*
 * Choose among the n enabled choices; returns its index, or -1 with `error`
 * set when a replayed schedule names a choice that is not enabled.
 */
int sim_sched_choose(struct sim_sched *s, struct sim_world *w, const struct sim_choice *ch, int n,
		     GError **error);

#endif /* SIM_ENGINE_SCHED_H */
