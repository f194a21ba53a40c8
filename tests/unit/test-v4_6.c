// SPDX-License-Identifier: GPL-2.0
/*
 * The v4.6 variant (variants/v4_6.c) against its base, v3.18: the buddy-side
 * merge check of d9dddbf55667 (race R6), the v4.3 test_pages_isolated(),
 * the v4.4 pcplist numbering in free_pcppages_bulk()'s round robin, the
 * v4.6 CMA fallback, and what v4.6 still shares with v3.18 (R12, R13).
 */
#include "explore/explore.h"
#include "sim-test.h"
#include "variants/variant.h"

#define ZONE16 \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, batch: 2}}\n"

static void run_rr(SimWorld *w, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, res);
}

/* Every interleaving (DPOR): the findings reachable. */
static uint32_t explore_all(const char *yaml, const char *variant)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, variant);
	g_autoptr(GError) error = NULL;
	struct sim_explore_opts o = { .max_preemptions = -1,
				      .dpor = true,
				      .all = true,
				      .max_steps = 100000,
				      .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS };
	struct sim_explore_result r;
	uint32_t broken;

	g_assert_true(sim_explore(w, &o, &r, &error));
	g_assert_no_error(error);
	g_assert_true(r.complete);
	broken = r.broken;
	sim_explore_result_clear(&r);
	return broken;
}

/*
 * R6 without a race: block 0 (free, order 2) is isolated, then P (pfns 4-5)
 * is freed in block 1 and merges with 6-7 to a pageblock. v3.18 only limits
 * the merge when the freed page is ISOLATE, so the chunk absorbs the
 * isolated block's chunk; v4.6 looks at the buddy's pageblock and stops.
 */
static const char *const free_next_to_isolated =
	"name: t\n" ZONE16 "layout: {free: [{pfn: 0, order: 2}, {pfn: 6, order: 1}],\n"
	"         allocated: [{pfn: 4, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
	"                 {free_pages: {page: P}}]}]\n";

static void test_merge_stops_at_isolated_buddy(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(free_next_to_isolated);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v4.6");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
}

static void test_merge_crosses_in_v3_18(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(free_next_to_isolated);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_world_drift(w), ==, -4);
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_true(res.broken & SIM_F(SIM_ISOLATION));
	sim_run_result_release(&res);
}

/*
 * R6 as the record has it (CC -> IC -> II): the range [0, 8) is isolated
 * block by block while P is freed into block 1. Every interleaving: v3.18
 * merges across (cross-merge, isolation, freepage-count), v4.6 never does.
 */
static const char *const r6_partial_isolation =
	"name: t\n"
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, batch: 2}}\n"
	"layout: {free: [{pfn: 0, order: 2}, {pfn: 6, order: 1}],\n"
	"         allocated: [{pfn: 4, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}}]},\n"
	"       {script: [{free_pages: {page: P}}]}]\n";

static void test_r6_partial_isolation(void)
{
	g_assert_cmphex(explore_all(r6_partial_isolation, "v3.18"), ==,
			SIM_F(SIM_FREEPAGE_COUNT) | SIM_F(SIM_ISOLATION) | SIM_F(SIM_CROSS_MERGE));
	g_assert_cmphex(explore_all(r6_partial_isolation, "v4.6"), ==, 0);
}

/*
 * "remove bogus tests for isolated pages" (v4.3): a free chunk on a MOVABLE
 * list inside an isolated block passes test_pages_isolated() and stays
 * where it is; v3.16/v3.18 move it to the ISOLATE list without fixing the
 * counter (R5). The layout seeds the misplaced chunk, so isolation is
 * broken from the start in every variant.
 */
static const char *const misplaced_then_test =
	"name: t\n"
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
	"       blocks: [{start: 0, end: 4, migratetype: ISOLATE}]}\n"
	"layout: {free: [{pfn: 0, order: 2, migratetype: MOVABLE}]}\n"
	"cpus: [{script: [{test_pages_isolated: {start: 0, end: 4}}]}]\n";

static void test_no_test_time_move(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(misplaced_then_test);
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	bool moves = !g_str_equal(data, "v4.6");
	int mt;

	run_rr(w, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, moves ? MIGRATE_ISOLATE : MIGRATE_MOVABLE);
	g_assert_cmpint(sim_world_drift(w), ==, moves ? 4 : 0);
	sim_run_result_release(&res);
}

/*
 * v4.4 numbering: free_pcppages_bulk() starts its round robin at list 1,
 * which is MOVABLE from v4.4 and RECLAIMABLE before. Three pages on three
 * pcplists (the list is the pageblock's type); the third free flushes one.
 */
static void test_pcp_round_robin_order(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n"
		"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 3, batch: 1},\n"
		"       blocks: [{start: 0, end: 4, migratetype: UNMOVABLE},\n"
		"                {start: 4, end: 8, migratetype: RECLAIMABLE}]}\n"
		"layout: {allocated: [{pfn: 0, name: U}, {pfn: 4, name: R}, {pfn: 8, name: M}]}\n"
		"cpus: [{script: [{free_pages: {page: U}}, {free_pages: {page: R}},\n"
		"                 {free_pages: {page: M}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	bool v4_4 = g_str_equal(data, "v4.6");

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 8, NULL), ==, v4_4 ? 0 : -1);
	g_assert_cmpint(sim_test_free_order(w, 4, NULL), ==, v4_4 ? -1 : 0);
	g_assert_cmpint(w->pageset[0].count, ==, 2);
	sim_run_result_release(&res);
}

/*
 * A MOVABLE request with empty MOVABLE lists: v4.6 takes the smallest CMA
 * chunk (__rmqueue_cma_fallback), v3.16/v3.18 the largest fallback chunk
 * (CMA first in fallbacks[MOVABLE]).
 */
static void test_cma_fallback_smallest_first(gconstpointer data)
{
	g_autoptr(SimScenario) sc =
		sim_test_scenario("name: t\n"
				  "zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
				  "       pcp: {high: 1, batch: 1}, cma: [{start: 0, end: 16}]}\n"
				  "layout: {free: [{pfn: 0, order: 3}, {pfn: 9, order: 0}]}\n"
				  "cpus: [{script: [{alloc_pages: {order: 0, as: A}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(w->handles[0].pfn, ==, g_str_equal(data, "v4.6") ? 9 : 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_CMA_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * R12 (Vlastimil Babka's analysis of Mike Kravetz's v4.17 report): the
 * undo re-frees the max-order chunk of block 0 onto a MOVABLE list while
 * block 1 is still isolated; an allocation splits it and unset(block 1)
 * counts block 1's half again. d9dddbf55667 does not close it.
 */
static const char *const r12_unset_split =
	"name: t\n"
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, batch: 2}}\n"
	"layout: {free: [{pfn: 0, order: 3}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
	"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
	"       {script: [{alloc_pages: {order: 0, as: A}}]}]\n";

static void test_r12_unset_split(void)
{
	g_assert_cmphex(explore_all(r12_unset_split, "v4.6"), ==,
			SIM_F(SIM_FREEPAGE_COUNT) | SIM_F(SIM_ISOLATION));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/v4.6/merge/stops-at-isolated-buddy", test_merge_stops_at_isolated_buddy);
	g_test_add_func("/v4.6/merge/v3.18-crosses", test_merge_crosses_in_v3_18);
	g_test_add_func("/v4.6/merge/r6-partial-isolation", test_r6_partial_isolation);
	g_test_add_data_func("/v4.6/test/no-test-time-move/v3.18", "v3.18", test_no_test_time_move);
	g_test_add_data_func("/v4.6/test/no-test-time-move/v4.6", "v4.6", test_no_test_time_move);
	g_test_add_data_func("/v4.6/pcp/round-robin-order/v3.18", "v3.18",
			     test_pcp_round_robin_order);
	g_test_add_data_func("/v4.6/pcp/round-robin-order/v4.6", "v4.6",
			     test_pcp_round_robin_order);
	g_test_add_data_func("/v4.6/alloc/cma-fallback/v3.18", "v3.18",
			     test_cma_fallback_smallest_first);
	g_test_add_data_func("/v4.6/alloc/cma-fallback/v4.6", "v4.6",
			     test_cma_fallback_smallest_first);
	g_test_add_func("/v4.6/unset/r12-split", test_r12_unset_split);
	return g_test_run();
}
