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
 *          scenario's cost table and seeded jitter;
 *  pct     probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi
 *          and Nagarakatte, ASPLOS 2010): random distinct priorities d..d+n-1
 *          for the n processes (a CPU's task, an IPI taken on a CPU), d-1
 *          random change points among the first k steps; the enabled process
 *          of highest priority runs, and the one that runs at change point i
 *          drops to priority i. Finds any bug of depth d with probability at
 *          least 1/(n k^(d-1)) per run.
 *
 * Module prefix: sim_sched_.
 */
#ifndef SIM_ENGINE_SCHED_H
#define SIM_ENGINE_SCHED_H

#include "engine/schedule.h"
#include "scenario/scenario.h"

/* PCT's parameters: the bug depth d and the steps k a run is expected to take. */
struct sim_pct_opts {
	unsigned int depth;
	uint64_t steps;
};

struct sim_sched {
	enum sim_strategy_kind kind;
	uint64_t rng[4];
	int last_cpu;			   /* rr */
	const struct sim_schedule *replay; /* replay */
	size_t pos;
	bool replay_ended;
	/* pct: */
	uint64_t step;
	unsigned int prio[2 * SIM_NR_CPUS_LIMIT]; /* per process: 2*cpu + irq */
	uint64_t change[SIM_PCT_DEPTH_MAX];	  /* change point i at step change[i] */
	unsigned int n_change;
};

/* pct: `pct` gives d and k (NULL otherwise); n is 2 * the world's CPUs. */
void sim_sched_init(struct sim_sched *s, enum sim_strategy_kind kind, uint64_t seed,
		    const struct sim_schedule *replay, const struct sim_pct_opts *pct,
		    unsigned int ncpus);

/* PCT's lower bound on the probability that one run finds a bug of depth d. */
double sim_pct_bound(unsigned int ncpus, const struct sim_pct_opts *pct);

/*
 * Choose among the n enabled choices; returns its index, or -1 with `error`
 * set when a replayed schedule names a choice that is not enabled.
 */
int sim_sched_choose(struct sim_sched *s, struct sim_world *w, const struct sim_choice *ch, int n,
		     GError **error);

#endif /* SIM_ENGINE_SCHED_H */
