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

struct sim_counterexample {
	struct sim_minimal min;
	struct sim_violation v; /* as the minimal schedule breaks it */
	char *replay;           /* the command line that replays it */
	char *diagram;
};

bool sim_counterexample_build(const SimScenario *sc, const SimVariant *variant, int finding,
			      uint64_t seed, const char *schedule, uint64_t budget,
			      struct sim_counterexample *ce, GError **error);
void sim_counterexample_clear(struct sim_counterexample *ce);

#endif /* SIM_REPORT_COUNTEREXAMPLE_H */
