// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario loader: what a valid file means, and the exact message every
 * kind of bad input gets (file:line:column: what was expected).
 */
#include "sim-test.h"

#define Z "zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"

static void test_defaults(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario("name: t\nzone: {pages: 4096}\n");

	g_assert_cmpuint(sc->max_order, ==, 11);
	g_assert_cmpuint(sc->pageblock_order, ==, 9);
	g_assert_cmpuint(sc->cpus, ==, 2);
	g_assert_cmpint(sc->pcp_high, ==, 6);
	g_assert_cmpint(sc->pcp_batch, ==, 2);
	g_assert_cmpint(sc->default_migratetype, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sc->strategy, ==, SIM_STRATEGY_RANDOM);
	g_assert_cmpuint(sc->runs, ==, 1000);
	g_assert_cmpuint(sc->check, ==, SIM_INVARIANTS_ALL);
}

static void test_repeat_and_names(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" Z "layout: {free: [{pfn: 8, order: 3}]}\n"
		"cpus:\n"
		"  - script:\n"
		"      - repeat: {times: 3, do: [{alloc_pages: {as: A}}, {free_pages: {page: A}}]}\n"
		"      - drain_local_pages\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };

	g_assert_cmpuint(sc->scripts[0].n_ops, ==, 5);
	g_assert_cmpint(sim_scenario_handle(sc, "A"), ==, 0);
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

static void test_expect(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" Z "expect: {v3.16: [freepage-count, isolation], v3.18: clean}\n");
	bool found;

	g_assert_cmpuint(sim_scenario_expect(sc, "v3.16", &found), ==,
			 SIM_F(SIM_FREEPAGE_COUNT) | SIM_F(SIM_ISOLATION));
	g_assert_true(found);
	g_assert_cmpuint(sim_scenario_expect(sc, "v3.18", &found), ==, 0);
	g_assert_true(found);
}

/* Each bad input and the one message it must produce. */
static const struct {
	const char *yaml;
	const char *message;
} bad_inputs[] = {
	{ "name: t\nzone: [1, 2\n", "test.yaml:3:1: YAML syntax: did not find expected ',' or ']' "
				    "while parsing a flow sequence" },
	{ "", "test.yaml:1:1: expected a scenario (a mapping), found an empty file" },
	{ "- a\n", "test.yaml:1:1: scenario: expected a mapping, found a sequence" },
	{ "name: t\nzone: {pages: 16}\nzonez: 1\n",
	  "test.yaml:3:1: unknown key 'zonez' in the scenario (expected one of: name, description, "
	  "references, zone, layout, cpus, schedule, check, expect)" },
	{ "zone: {pages: 16}\n", "test.yaml:1:1: scenario: missing key 'name'" },
	{ "name: t\nzone: {pages: sixteen}\n",
	  "test.yaml:2:15: zone.pages: expected an integer from 1 to 18446744073709551615, found "
	  "'sixteen'" },
	{ "name: t\nzone: {pages: 17, max_order: 4, pageblock_order: 2}\n",
	  "test.yaml:2:15: zone.pages: expected a multiple of pageblock_nr_pages (4), found 17" },
	{ "name: t\nzone: {pages: 1099511627776}\n",
	  "test.yaml:2:15: zone.pages: 1099511627776 pages is more than the model's limit of "
	  "67108864 (256 GiB of 4 KiB pages, SIM_ZONE_PAGES_LIMIT in sim/mm/mmzone.h)" },
	{ "name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1000000}\n",
	  "test.yaml:2:59: zone.cpus: 1000000 CPUs is more than the model's limit of 64 "
	  "(SIM_NR_CPUS_LIMIT in sim/mm/mmzone.h)" },
	{ "name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, pcp: {high: 1, batch: 2}}\n",
	  "test.yaml:2:58: zone.pcp: expected batch <= high (or high 0 with batch 1, pcplists "
	  "disabled), found high 1, batch 2" },
	{ "name: t\n" Z "layout: {free: [{pfn: 16, order: 0}]}\n",
	  "test.yaml:3:23: pfn: expected an integer from 0 to 15, found '16'" },
	{ "name: t\n" Z "layout: {free: [{pfn: 2, order: 2}]}\n",
	  "test.yaml:3:23: pfn: expected a pfn aligned to 2^order (4), found 2" },
	{ "name: t\n" Z "layout: {free: [{pfn: 0, order: 3}, {pfn: 4, order: 1}]}\n",
	  "test.yaml:3:37: pfn 4 of this chunk is also in the chunk at line 3" },
	{ "name: t\n" Z "layout: {free: [{pfn: 0, order: 1}, {pfn: 2, order: 1}]}\n",
	  "test.yaml:3:37: free chunks at pfn 0 and 2 are buddies of order 1 on the same list and "
	  "would have been merged: write one chunk of order 2 at pfn 0" },
	{ "name: t\n" Z "layout: {free: [{pfn: 0, migratetype: MOVEABLE}]}\n",
	  "test.yaml:3:39: migratetype: expected a migratetype (UNMOVABLE, RECLAIMABLE, MOVABLE, "
	  "RESERVE, CMA, ISOLATE), found 'MOVEABLE'" },
	{ "name: t\n" Z "cpus: [{script: [{alloc_pagez: {}}]}]\n",
	  "test.yaml:3:19: unknown entry point 'alloc_pagez' (expected one of: repeat, alloc_pages, "
	  "free_pages, drain_local_pages, drain_all_pages, start_isolate_page_range, "
	  "undo_isolate_page_range, test_pages_isolated, alloc_contig_range, offline_pages, online_pages)" },
	{ "name: t\n" Z "cpus: [{script: [{alloc_pages: {order: 9}}]}]\n",
	  "test.yaml:3:40: order: expected an integer from 0 to 3, found '9'" },
	{ "name: t\n" Z "cpus: [{script: [{alloc_pages: {page: A}}]}]\n",
	  "test.yaml:3:33: unknown key 'page' in alloc_pages (expected one of: order, migratetype, "
	  "as, cold)" },
	{ "name: t\n" Z "cpus: [{script: [{free_pages: {page: A}}]}]\n",
	  "test.yaml:3:19: free_pages of 'A', which is not allocated here (never allocated before)" },
	{ "name: t\n" Z "cpus: [{script: [{alloc_pages: {as: A}}, {free_pages: {page: A}},\n"
	  "  {free_pages: {page: A}}]}]\n",
	  "test.yaml:4:4: free_pages of 'A', which is not allocated here (freed already: a double "
	  "free)" },
	{ "name: t\n" Z "cpus: [{script: [{alloc_pages: {as: A}}]}, {script: [{free_pages: {page: "
	  "A}}]}]\n",
	  "test.yaml:3:55: allocation 'A' is also used by CPU 0 (line 3); a named allocation "
	  "belongs to one CPU" },
	{ "name: t\n" Z "cpus: [{script: [{start_isolate_page_range: {start: 1, end: 4}}]}]\n",
	  "test.yaml:3:53: start: expected a pfn aligned to pageblock_nr_pages (4), found 1" },
	{ "name: t\n" Z "cpus: [{script: [{start_isolate_page_range: {start: 4}}]}]\n",
	  "test.yaml:3:45: start_isolate_page_range: missing key 'end'" },
	{ "name: t\n" Z "cpus: [{script: [free_pages]}]\n",
	  "test.yaml:3:18: free_pages: expected arguments (a mapping), found none" },
	{ "name: t\n" Z "cpus: [{script: []}, {script: []}, {script: []}]\n",
	  "test.yaml:3:7: cpus: 3 scripts for a zone of 2 CPUs (zone.cpus)" },
	{ "name: t\n" Z "schedule: {strategy: fifo}\n",
	  "test.yaml:3:22: schedule.strategy: expected rr, random, pct, replay or timed, found 'fifo'" },
	{ "name: t\n" Z "schedule: {replay: 0.1.7}\n",
	  "test.yaml:3:24: schedule.replay: CPU 7 does not exist (the scenario has 2 CPUs)" },
	{ "name: t\n" Z "schedule: {strategy: pct, pct_depth: 0}\n",
	  "test.yaml:3:38: schedule.pct_depth: expected an integer from 1 to 16, found '0'" },
	{ "name: t\n" Z "schedule: {runs: -5}\n",
	  "test.yaml:3:18: schedule.runs: expected an integer from 1 to 1000000000, found '-5'" },
	{ "name: t\n" Z "expect: {v3.16: [freepage-drift]}\n",
	  "test.yaml:3:18: expect: expected clean or findings (freepage-count, cma-count, "
	  "isolation, stranded, cross-merge, buddy, deadlock, bug, step-limit), found "
	  "'freepage-drift'" },
	{ "name: t\n" Z "check: [deadlock]\n",
	  "test.yaml:3:9: check: expected all or invariants (freepage-count, cma-count, "
	  "isolation, stranded, cross-merge, buddy), found 'deadlock'" },
	{ "name: t\nzone: &z {pages: 16}\nlayout: *z\n",
	  "test.yaml:3:9: expected a value, found an alias (*z): aliases are not supported in "
	  "scenario files" },
	{ "name: t\nname: u\nzone: {pages: 16}\n",
	  "test.yaml:2:1: duplicate key 'name' (first at line 1)" },
};

static void test_bad_input(gconstpointer data)
{
	size_t i = GPOINTER_TO_SIZE(data);
	g_autofree char *msg = sim_test_scenario_error(bad_inputs[i].yaml);

	if (g_getenv("MMSIM_PRINT_MESSAGES"))
		g_printerr("%zu: %s\n", i, msg);
	else
		g_assert_cmpstr(msg, ==, bad_inputs[i].message);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scenario/load/defaults", test_defaults);
	g_test_add_func("/scenario/load/repeat-and-names", test_repeat_and_names);
	g_test_add_func("/scenario/load/expect", test_expect);
	for (size_t i = 0; i < G_N_ELEMENTS(bad_inputs); i++) {
		g_autofree char *path = g_strdup_printf("/scenario/bad-input/%02zu", i);

		g_test_add_data_func(path, GSIZE_TO_POINTER(i), test_bad_input);
	}
	return g_test_run();
}
