/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run of a scenario on a variant: from the initial state until every CPU
 * is done (or a deadlock, a BUG, the step limit), one scheduling choice per
 * step, invariants checked after each step, the drift recorded.
 *
 * Module prefix: sim_run_.
 */
#ifndef SIM_ENGINE_RUN_H
#define SIM_ENGINE_RUN_H

#include "check/invariants.h"
#include "engine/sched.h"
#include "engine/schedule.h"

/* What an observer (trace, CSV) sees after each step. */
struct sim_step_view {
	uint64_t run;  /* run index */
	uint64_t step; /* 1-based */
	uint64_t time; /* simulated ns at which the step started */
	int cpu;
	bool irq;
	const char *function;	  /* the function of the step's first event (or innermost) */
	const char *const *chain; /* the deepest call chain of the step */
	int depth;
	const char *events;	  /* trace text (tracing only) */
	int n_events;		  /* ... and the events one by one: */
	const char *const *ev_fn; /* their functions */
	const char *ev_text;	  /* their texts, one after the other, each ending in NUL */
	long nr_free_pages, truth, drift, nr_free_cma, truth_cma;
	bool settled;	     /* no lock held, no pending counter update */
	uint64_t state_hash; /* of the whole model state after the step (opts.hash_states), or 0 */
	const struct sim_breach *breaches;
	int n_breaches;
};

typedef void (*SimObserveFunc)(void *data, const struct sim_step_view *v);

struct sim_run_opts {
	enum sim_strategy_kind strategy;
	uint64_t seed;
	uint64_t run_index;
	uint64_t max_steps;
	uint32_t check;			   /* SIM_F bits of invariants to check */
	const struct sim_schedule *replay; /* SIM_STRATEGY_REPLAY */
	bool timed_replay; /* replay with the timed strategy's costs (a timed run's schedule) */
	struct sim_pct_opts pct; /* SIM_STRATEGY_PCT */
	SimObserveFunc observe;	 /* may be NULL */
	void *observe_data;
	const struct sim_probe *probe; /* engine/probe.h; may be NULL */
	void *probe_data;
	unsigned int drift_points; /* keep at most this many drift samples (0: none) */
	bool hash_states;	   /* give observers a hash of the state after each step */
};

/*
 * The drift at the settled steps where it changed (0 before the first
 * sample), and at the end of a run that has any: a run whose drift stays at
 * 0 has no samples.
 */
struct sim_drift_sample {
	uint64_t time;
	long drift;
};

struct sim_violation {
	int finding;
	uint64_t step;
	uint64_t time;
	int cpu;
	bool irq;
	char function[48];
	char chain[200];
	char message[200];
	long nr_free_pages, truth, drift;
};

struct sim_run_result {
	uint32_t broken;			/* SIM_F bits of the findings of this run */
	int first;				/* the finding that broke first, or -1 */
	struct sim_violation v[SIM_N_FINDINGS]; /* first occurrence of each */
	uint64_t steps;
	uint64_t time;
	long max_abs_drift; /* over settled steps */
	long final_drift;
	struct sim_schedule schedule; /* every choice of the run */
	bool replay_ended;	      /* the replayed schedule ended before the run */
	uint32_t entry_calls[SIM_ENTRIES_MAX], entry_ok[SIM_ENTRIES_MAX];
	uint32_t entry_retries[SIM_ENTRIES_MAX];
	struct sim_drift_sample *drift; /* opts.drift_points samples at most, in time order */
	size_t n_drift, cap_drift;
};

/* One run from the world's initial state. Returns false (error set) if a replay went wrong. */
bool sim_run(SimWorld *w, const struct sim_run_opts *o, struct sim_run_result *res, GError **error);

void sim_run_result_release(struct sim_run_result *res);

/*
 * PCT's k, the number of steps a run takes: estimated as the length of a
 * round-robin run (docs/scheduler.md says what that means for the bound).
 */
uint64_t sim_run_estimate_steps(SimWorld *w, uint64_t max_steps);

#endif /* SIM_ENGINE_RUN_H */
