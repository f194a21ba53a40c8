/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A counterexample fit for a review: a violation shrunk to the fewest
 * preemptions and steps (explore/minimize.c), replayed, and drawn as the
 * two-column diagram (report/diagram.c).
 */
#ifndef SIM_REPORT_COUNTEREXAMPLE_H
#define SIM_REPORT_COUNTEREXAMPLE_H

#include "engine/batch.h"
#include "explore/minimize.h"
#include "variants/variant.h"

/*
 * Schedules longer than this are not printed in text reports and diagrams (a
 * workload's run takes 10^5 steps and more): the seed repeats the run, and
 * the JSON report carries the schedule.
 */
#define SIM_REPLAY_PRINT_MAX 2000

struct sim_counterexample {
	struct sim_minimal min;
	struct sim_violation v; /* as the minimal schedule breaks it */
	char *replay;		/* the command line that replays it */
	char *diagram;
};

bool sim_counterexample_build(const SimScenario *sc, const SimVariant *variant, int finding,
			      uint64_t seed, const char *schedule, uint64_t budget,
			      struct sim_counterexample *ce, GError **error);
void sim_counterexample_clear(struct sim_counterexample *ce);

/*
 * A counterexample for each finding a batch broke (step-limit excepted: a run
 * that is too long has nothing to shrink), from its first violating run.
 * ce[SIM_N_FINDINGS]; the ones not built stay zeroed.
 */
bool sim_counterexamples_build(const SimScenario *sc, const struct sim_batch_result *r,
			       uint64_t budget, struct sim_counterexample *ce, GError **error);
void sim_counterexamples_clear(struct sim_counterexample *ce);
/* The finding to draw: the one that broke first (earliest run, then step), or -1. */
int sim_counterexamples_first(const struct sim_batch_result *r,
			      const struct sim_counterexample *ce);

#endif /* SIM_REPORT_COUNTEREXAMPLE_H */
