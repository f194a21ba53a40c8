// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "sim-test.h"
#include "variants/variant.h"

SimScenario *sim_test_scenario(const char *yaml)
{
	g_autoptr(GError) error = NULL;
	SimScenario *sc = sim_scenario_load_data("test.yaml", yaml, strlen(yaml), &error);

	g_assert_no_error(error);
	g_assert_nonnull(sc);
	return sc;
}

char *sim_test_scenario_error(const char *yaml)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = sim_scenario_load_data("test.yaml", yaml, strlen(yaml), &error);

	if (sc)
		return NULL;
	g_assert_nonnull(error);
	return g_strdup(error->message);
}

SimWorld *sim_test_world(const SimScenario *sc, const char *variant)
{
	g_autoptr(GError) error = NULL;
	const SimVariant *v = sim_variant_lookup(variant);
	SimWorld *w;

	g_assert_nonnull(v);
	w = sim_world_new(sc, v, &error);
	g_assert_no_error(error);
	return w;
}

void sim_test_run(SimWorld *w, enum sim_strategy_kind strategy, uint64_t seed, const char *schedule,
		  struct sim_run_result *res)
{
	g_autoptr(GError) error = NULL;
	struct sim_schedule replay = { 0 };
	struct sim_run_opts o = { .strategy = strategy,
				  .seed = seed,
				  .max_steps = 1000000,
				  .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS };
	int col = 0;

	if (schedule) {
		g_assert_true(sim_schedule_parse(schedule, w->ncpus, &replay, &col, &error));
		o.replay = &replay;
	}
	g_assert_true(sim_run(w, &o, res, &error));
	g_assert_no_error(error);
	sim_schedule_release(&replay);
}

void sim_test_batch(const SimScenario *sc, const char *variant, struct sim_batch_result *r)
{
	g_autoptr(GError) error = NULL;
	struct sim_batch_opts o = { .strategy = sc->strategy,
				    .runs = sc->runs,
				    .seed = sc->seed,
				    .max_steps = sc->max_steps,
				    .check = sc->check | SIM_FINDINGS_ALWAYS };

	g_assert_true(sim_batch_run(sc, sim_variant_lookup(variant), &o, r, &error));
	g_assert_no_error(error);
}

int sim_test_free_order(SimWorld *w, unsigned long pfn, int *migratetype)
{
	struct page *page = pfn_to_page(w, pfn);

	if (!PageBuddy(page))
		return -1;
	if (migratetype)
		*migratetype = page->where_mt;
	return (int)page_order(page);
}

const char *sim_test_srcdir(void)
{
	const char *dir = g_getenv("MMSIM_SOURCE_DIR");

	return dir ? dir : MMSIM_SOURCE_DIR;
}
