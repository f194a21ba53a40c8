/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The invariants checked after every step, and the other findings a run can
 * report. Each invariant says when it can hold:
 *
 *  freepage-count  NR_FREE_PAGES equals the usable free pages (on the free
 *                  lists of every type but MIGRATE_ISOLATE), whenever no CPU
 *                  holds zone->lock, no CPU is between dropping it and a
 *                  counter update that belongs to the same operation, and no
 *                  isolation user has its accounting open (a design that
 *                  settles the counters at test or undo, vbabka-2014);
 *  cma-count       NR_FREE_CMA_PAGES equals the pages on MIGRATE_CMA lists,
 *                  at the same points;
 *  isolation       no free page on a non-ISOLATE list inside an isolated
 *                  pageblock (same points, and while no CPU is inside
 *                  start_isolate_page_range(): designs that mark, drain and
 *                  then move leave such pages until it returns), and no
 *                  allocation returns a page
 *                  of a block after test_pages_isolated() passed on it (at
 *                  the allocation);
 *  stranded        no free page on an ISOLATE list inside a pageblock that is
 *                  not isolated, once no CPU is inside a call;
 *  cross-merge     __free_one_page never joins a chunk on the ISOLATE lists
 *                  with one on another list (at the merge);
 *  buddy           every page is exactly one of free, on a pcplist, a guard
 *                  page, or handed out; nr_free matches the lists; pcp->count
 *                  matches the pcplists (every step); alignment, overlap and
 *                  list structure in full at the end of each run.
 *
 * Findings that are not invariants: deadlock (no CPU can run but some have
 * work), bug (a BUG_ON of the model was hit), step-limit (the run did not
 * finish within max_steps).
 */
#ifndef SIM_CHECK_INVARIANTS_H
#define SIM_CHECK_INVARIANTS_H

#include "engine/world.h"

enum sim_finding {
	SIM_FREEPAGE_COUNT,
	SIM_CMA_COUNT,
	SIM_ISOLATION,
	SIM_STRANDED,
	SIM_CROSS_MERGE,
	SIM_BUDDY,
	SIM_DEADLOCK,
	SIM_BUG,
	SIM_STEP_LIMIT,
	SIM_N_FINDINGS
};

#define SIM_F(f)	    (1u << (f))
#define SIM_INVARIANTS_ALL  (SIM_F(SIM_BUDDY + 1) - 1)
#define SIM_FINDINGS_ALWAYS (SIM_F(SIM_DEADLOCK) | SIM_F(SIM_BUG) | SIM_F(SIM_STEP_LIMIT))

const char *sim_finding_name(int finding);
int sim_finding_from_name(const char *name); /* -1 if unknown */
/* "freepage-count, isolation" or "clean" */
char *sim_findings_to_string(uint32_t mask);

/* What one broken check says. */
struct sim_breach {
	int finding;
	char message[200];
};

/*
 * Check the invariants of `mask` after a step; appends what broke to
 * `out` (room for SIM_N_FINDINGS) and returns how many. Messages are written
 * only for the findings in `describe` (formatting is most of the cost of a
 * check when an invariant stays broken for a whole run).
 */
int sim_check_step(struct sim_world *w, uint32_t mask, uint32_t describe, struct sim_breach *out);

/* The checks that only hold when the run is over: quiescent invariants and full structure. */
int sim_check_final(struct sim_world *w, uint32_t mask, struct sim_breach *out);

/* The full O(pages) structural check of the buddy lists (also used by tests). */
bool sim_check_structure(struct sim_world *w, char *msg, size_t len);

#endif /* SIM_CHECK_INVARIANTS_H */
