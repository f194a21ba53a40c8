/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the test programs: scenarios from strings, one-call runs. */
#ifndef SIM_TEST_H
#define SIM_TEST_H

#include <glib.h>

#include "engine/batch.h"
#include "mm/page.h"

/* Load a scenario from YAML text; fails the test on error. */
SimScenario *sim_test_scenario(const char *yaml);
/* Load a scenario from YAML text; returns the GError message (or NULL if it loaded). */
char *sim_test_scenario_error(const char *yaml);
/* A world of the scenario on the named variant. */
SimWorld *sim_test_world(const SimScenario *sc, const char *variant);
/* One run with the given strategy and seed (replay: schedule string), checking all invariants. */
void sim_test_run(SimWorld *w, enum sim_strategy_kind strategy, uint64_t seed, const char *schedule,
		  struct sim_run_result *res);
/* The scenario's own schedule on one variant. */
void sim_test_batch(const SimScenario *sc, const char *variant, struct sim_batch_result *r);

/*
 * Every interleaving of the scenario, or every one with at most
 * max_preemptions >= 0 preemptions (plain depth-first search from the initial state, no
 * reduction: a state predicate, unlike an invariant, is not visible to
 * DPOR's footprints). After every step pred(w, data) is called; *hits counts
 * the steps where it held. Returns the number of complete executions.
 */
uint64_t sim_test_search(SimWorld *w, int max_preemptions, bool (*pred)(SimWorld *w, void *data),
			 void *data, uint64_t *hits);

/* The order of the free chunk headed at pfn and the list it is on, or -1. */
int sim_test_free_order(SimWorld *w, unsigned long pfn, int *migratetype);

/*
 * Run the mmsim binary ($MMSIM_BIN) with args (NULL-terminated); returns its
 * exit status and fills out and err.
 */
int sim_test_mmsim_argv(char **out, char **err, const char *const *args);
/* The same, run in directory cwd. */
int sim_test_mmsim_in(const char *cwd, char **out, char **err, const char *const *args);
/* The same with the arguments listed, NULL last. */
int sim_test_mmsim(char **out, char **err, ...) G_GNUC_NULL_TERMINATED;

/* Where the source tree is (scenarios/, tests/data/). */
const char *sim_test_srcdir(void);
/*
 * Under valgrind (MMSIM_TEST_QUICK, set by meson test --setup valgrind) the
 * big exhaustive searches are skipped: the native and ASan builds run them.
 */
bool sim_test_quick(void);

#endif
