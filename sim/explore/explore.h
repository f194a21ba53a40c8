/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Systematic exploration of a scenario's interleavings (docs/explore.md).
 *
 * Stateless: every execution starts from the scenario's initial state and
 * follows a schedule prefix; states along the current path are kept as
 * arena snapshots so going back is a memcpy (or re-executed from the last
 * snapshot when the arena is large). No state is ever hashed or compared.
 *
 * Two modes:
 *  - dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005)
 *    with sleep sets (Godefroid 1996): races between the transitions of an
 *    execution, found from their recorded footprints (engine/access.h) and
 *    vector clocks, add the alternatives worth exploring; sleep sets stop the
 *    exploration of orders already covered. Explores at least one execution
 *    of every Mazurkiewicz trace, so every reachable violation;
 *  - plain depth-first search, optionally bounded in preemptions (CHESS,
 *    Musuvathi and Qadeer, PLDI 2007): every interleaving with at most K
 *    preemptions. No reduction there (sleep sets and bounding do not mix).
 *
 * A "process" of the explorer is a CPU's task (2*cpu) or the delivery of an
 * IPI to it (2*cpu + 1).
 *
 * Module prefix: sim_explore_.
 */
#ifndef SIM_EXPLORE_EXPLORE_H
#define SIM_EXPLORE_EXPLORE_H

#include "engine/run.h"

struct sim_explore_opts {
	int max_preemptions;	  /* -1: unbounded (then DPOR unless !dpor) */
	bool dpor;		  /* reduce (unbounded only) */
	uint64_t max_executions;  /* 0: no limit */
	uint64_t max_steps;	  /* per execution */
	uint64_t max_total_steps; /* 0: no limit; a deterministic budget of work:
				   * steps executed plus earlier transitions a race
				   * check looked at (it grows with the path's depth) */
	uint32_t check;		  /* invariants to check (SIM_F bits) */
	bool all;		  /* go on after a violation */
	uint32_t target;	  /* stop at a violation of these (0: any checked) */
	bool stop_on_clean;	  /* stop at the first execution that breaks nothing of target */
	const struct sim_schedule *prefix; /* explore only continuations of this prefix */
	bool shortest; /* keep the violation with the fewest steps (bounded mode) */
	/*
	 * Tests: if set, gets sim_world_state_hash() of the end state of every
	 * execution that ran to its end (keys: g_new'd uint64_t; create it
	 * with g_int64_hash, g_int64_equal, g_free).
	 */
	GHashTable *final_states;
};

struct sim_explore_found {
	struct sim_violation v;
	char *schedule; /* up to the violating step */
	int preemptions;
	uint64_t execution; /* the execution it was found in (0-based) */
};

struct sim_explore_result {
	uint64_t executions;	/* complete executions explored */
	uint64_t steps;		/* steps executed, re-executions included */
	uint64_t work;		/* steps plus race-check iterations (max_total_steps) */
	uint64_t sleep_blocked; /* executions cut short because every choice was asleep */
	uint64_t pruned;	/* enabled choices never explored from a state */
	uint64_t cut;		/* executions stopped at max_steps */
	uint64_t max_depth;
	bool complete;	  /* the search space within the bounds was exhausted */
	bool budget;	  /* stopped by max_executions or max_total_steps */
	bool found_clean; /* stop_on_clean: an execution without the target */
	bool interrupted; /* SIGINT/SIGTERM (util/interrupt.h): sim_explore() fails */
	uint32_t broken;
	uint64_t violating_executions[SIM_N_FINDINGS];
	uint64_t distinct[SIM_N_FINDINGS]; /* distinct (function, drift) per finding */
	struct sim_explore_found first[SIM_N_FINDINGS];
};

bool sim_explore(SimWorld *w, const struct sim_explore_opts *o, struct sim_explore_result *r,
		 GError **error);
void sim_explore_result_clear(struct sim_explore_result *r);

/*
 * Preemptions of a schedule: switches away from a CPU that could have gone
 * on. A schedule that names a choice that cannot run is cut there (s->n).
 */
int sim_explore_preemptions(SimWorld *w, struct sim_schedule *s);

#endif /* SIM_EXPLORE_EXPLORE_H */
