/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Many runs of one scenario on one variant: run i uses seed `seed + i`, so
 * any run can be repeated alone with `mmsim run --seed <seed+i> --runs 1`.
 * The result keeps, per finding, how many runs broke it and the first run
 * that did (its step, CPU, function, counters and complete schedule).
 *
 * Module prefix: sim_batch_.
 */
#ifndef SIM_ENGINE_BATCH_H
#define SIM_ENGINE_BATCH_H

#include "engine/run.h"
#include "variants/variant.h"

struct sim_batch_opts {
	enum sim_strategy_kind strategy;
	uint64_t runs;
	uint64_t seed;
	uint64_t max_steps;
	uint32_t check;
	const struct sim_schedule *replay;
	bool timed_replay;	/* replay with the timed strategy's costs (run.h) */
	unsigned int pct_depth; /* SIM_STRATEGY_PCT: d (k is estimated) */
	bool hash_states;	/* observers get each step's state hash (run.h) */
	SimObserveFunc observe; /* every step of every run; may be NULL */
	void *observe_data;
	const struct sim_probe *probe; /* engine/probe.h; may be NULL */
	void *probe_data;
	/* called before each run when observing (run index, seed) */
	void (*run_start)(void *data, uint64_t run, uint64_t seed);
};

struct sim_first_violation {
	struct sim_violation v;
	uint64_t run;
	uint64_t seed;
	char *schedule; /* the run's schedule up to the violating step */
};

struct sim_batch_result {
	const SimVariant *variant;
	enum sim_strategy_kind strategy;
	uint64_t seed;
	uint64_t runs;
	uint64_t violating_runs;
	uint64_t runs_by[SIM_N_FINDINGS];
	uint32_t broken;
	struct sim_first_violation first[SIM_N_FINDINGS];
	long max_abs_drift;
	long final_drift_min, final_drift_max, final_drift_median;
	uint64_t steps_total, steps_max;
	struct sim_pct_opts pct; /* SIM_STRATEGY_PCT: d and the estimated k */
	unsigned int ncpus;
	uint32_t expect; /* the scenario's expectation (0: clean) */
	bool expect_met;
	bool replay_ended;
};

bool sim_batch_run(const SimScenario *sc, const SimVariant *variant, const struct sim_batch_opts *o,
		   struct sim_batch_result *out, GError **error);
void sim_batch_result_clear(struct sim_batch_result *r);

#endif /* SIM_ENGINE_BATCH_H */
