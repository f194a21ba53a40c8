/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal counterexamples: the same finding with the fewest preemptions, then
 * the fewest steps, and the step after which it cannot be avoided.
 */
#ifndef SIM_EXPLORE_MINIMIZE_H
#define SIM_EXPLORE_MINIMIZE_H

#include "explore/explore.h"

struct sim_minimal {
	char *schedule;         /* up to the violating step */
	uint64_t steps;
	int preemptions;
	bool minimal;           /* proven minimal within the budget */
	uint64_t no_return;     /* after this many steps every continuation breaks it */
	bool no_return_proven;  /* ... established within the budget */
	uint64_t steps_used;    /* of the budget */
	bool too_long;          /* longer than SIM_MINIMIZE_MAX_STEPS: shown as found */
};

/* Shrink a schedule that breaks `finding`; budget: steps the searches may take. */
bool sim_minimize(SimWorld *w, int finding, const char *schedule, uint64_t budget,
		  struct sim_minimal *m, GError **error);
void sim_minimal_clear(struct sim_minimal *m);
/* "proven", "search budget ran out" or "too long to shrink". */
const char *sim_minimal_how(const struct sim_minimal *m);

#define SIM_MINIMIZE_BUDGET 20000000ull
/*
 * Schedules longer than this are shown as found: the searches cost a step
 * times the path's depth, so a churn run's violation (a million steps deep)
 * would never finish.
 */
#define SIM_MINIMIZE_MAX_STEPS 1000

#endif /* SIM_EXPLORE_MINIMIZE_H */
