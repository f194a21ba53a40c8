// SPDX-License-Identifier: GPL-2.0
/*
 * joonsoo-v1 (Joonsoo Kim, "[PATCH 00/10] fix freepage count problems due to
 * memory isolation", 2014-07-04): the behaviours that tell it apart from the
 * v3.16 baseline it patches and from v3.18, which merged a reduced form of
 * it. Each test names the patch whose behaviour it pins down; where a
 * contrast makes the point, the same scenario runs on the other variant too.
 */
#include "sim-test.h"
#include "variants/variant.h"

#define ZONE16_2CPU                                                                    \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, " \
	"batch: 2}}\n"
#define ZONE16_1CPU \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, batch: 2}}\n"

static void run(SimWorld *w, const char *schedule, struct sim_run_result *res)
{
	sim_test_run(w, schedule ? SIM_STRATEGY_REPLAY : SIM_STRATEGY_RR, 1, schedule, res);
}

/* Every free chunk's head records the list it is on (page->index == list type). */
static bool onbuddy_exact(SimWorld *w)
{
	for (unsigned long pfn = 0; pfn < w->nr_pages; pfn++) {
		struct page *page = pfn_to_page(w, pfn);

		if (PageBuddy(page) && page->index != page->where_mt)
			return false;
	}
	return true;
}

/*
 * 07/10: set_page_order() stores the list type in the head on every merge
 * and split, move_freepages() on every move. v3.16 leaves the halves of a
 * split with whatever page->index held (here UNMOVABLE, 0).
 */
static const char *const split_merge_move =
	"name: t\n" ZONE16_1CPU "layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
	"cpus: [{script: [{alloc_pages: {order: 0, as: A}},\n"
	"                 {start_isolate_page_range: {start: 8, end: 16}},\n"
	"                 {alloc_pages: {order: 1, as: B}}]}]\n";

static void test_onbuddy_exact(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(split_merge_move);
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	g_autoptr(SimWorld) base = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 }, res_base = { 0 };

	run(w, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_true(onbuddy_exact(w));
	run(base, NULL, &res_base);
	g_assert_false(onbuddy_exact(base));
	sim_run_result_release(&res);
	sim_run_result_release(&res_base);
}

/*
 * 02/10: a guard page merged into a chunk that goes to an ISOLATE list is
 * not counted. One CPU: the order-0 allocation makes pfn 1 a guard page, the
 * block is isolated, the page is freed onto the ISOLATE list.
 */
static const char *const guard_into_isolate =
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
	"       pcp: {high: 1, batch: 1}, debug_guardpage_minorder: 1}\n"
	"layout: {free: [{pfn: 0, order: 1}, {pfn: 8, order: 3}]}\n"
	"cpus: [{script: [{alloc_pages: {order: 0, as: A}},\n"
	"                 {start_isolate_page_range: {start: 0, end: 8}},\n"
	"                 {free_pages: {page: A}}]}]\n";

static void test_guard_into_isolate(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(guard_into_isolate);
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	int mt;

	run(w, NULL, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 1);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->st->shadow.guard_pages, ==, 0);
	if (g_str_equal(data, "joonsoo-v1")) {
		g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
		g_assert_cmpuint(res.broken, ==, 0);
	} else {
		g_assert_cmpint(sim_world_drift(w), ==, 1);
		g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	}
	sim_run_result_release(&res);
}

/*
 * 03/10 + 05/10: a pcp page whose block was isolated after it was freed is
 * flushed (by the isolation's own drain) onto the ISOLATE list, uncounted:
 * __free_one_page() re-reads the block type while any block is isolated.
 */
static void test_pcp_flush_rechecks(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{free_pages: {page: Q}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	struct sim_run_result res = { 0 };
	int mt;

	run(w, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * 04/10 + 05/10 against the two cases of ad53f92eb416 (races R4 and R3),
 * replayed with the schedules that break v3.16: the free path's lock-free
 * read is stale, the re-read under zone->lock puts the page on the list of
 * its block's current type.
 */
static const char *const isolate_vs_free_one_page =
	"name: t\n" ZONE16_2CPU
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 5, order: 0}, {pfn: 6, order: 1},\n"
	"                {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
	"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
	"       {script: [{free_pages: {page: P}}]}]\n";

static void test_free_one_page_recheck(gconstpointer schedule)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(isolate_vs_free_one_page);
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	g_autoptr(SimWorld) base = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 }, res_base = { 0 };

	run(base, schedule, &res_base);
	g_assert_true(res_base.broken & SIM_F(SIM_FREEPAGE_COUNT));
	run(w, schedule, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
	sim_run_result_release(&res_base);
}

/*
 * 09/10: the isolation test's fix-up move of a free chunk on a normal list
 * inside an isolated block is accounted (v3.16 moves it with no fix-up, R5).
 * Block 0 starts ISOLATE with a counted chunk on the MOVABLE list.
 */
static const char *const misplaced_chunk =
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
	"       pcp: {high: 6, batch: 2}, blocks: [{start: 0, end: 4, migratetype: ISOLATE}]}\n"
	"layout: {free: [{pfn: 0, order: 2, migratetype: MOVABLE}, {pfn: 8, order: 3}]}\n"
	"cpus: [{script: [{test_pages_isolated: {start: 0, end: 4}}]}]\n";

static void test_test_move_counted(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(misplaced_chunk);
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	int mt;

	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 12);
	run(w, NULL, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_world_drift(w), ==, g_str_equal(data, "joonsoo-v1") ? 0 : 4);
	sim_run_result_release(&res);
}

/*
 * 08/10: __isolate_free_page() counts a chunk by the list it is on. The same
 * misplaced chunk (MOVABLE list, ISOLATE block) is counted, so taking it
 * subtracts it; v3.16 looks at the block type and subtracts nothing (R11).
 */
static void test_isolate_free_page_keyed_on_list(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(misplaced_chunk);
	g_autoptr(SimWorld) w = sim_test_world(sc, data);

	w->ops->__isolate_free_page(w, pfn_to_page(w, 0), 2);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==,
			g_str_equal(data, "joonsoo-v1") ? 8 : 12);
	g_assert_cmpint(sim_world_truth(w), ==, 8);
}

/* 08/10 with CMA: a chunk on the CMA list comes off both counters. */
static void test_isolate_free_page_cma(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 6, batch: 2}, cma: [{start: 0, end: 8}]}\n"
		"layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}]}\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");

	w->ops->__isolate_free_page(w, pfn_to_page(w, 0), 2);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_CMA_PAGES), ==, 0);
}

/*
 * 10/10: at pageblock_order, while a block is isolated, no merge between an
 * ISOLATE list and another list, from either side. Block 0 is isolated alone;
 * freeing P completes block 1 (normal side: v3.18 merges it with block 0's
 * ISOLATE chunk, race R6) or block 0 (isolated side: v3.18 stops too).
 */
static const char *const half_isolated_normal_side =
	"name: t\n" ZONE16_1CPU
	"layout: {free: [{pfn: 0, order: 2}, {pfn: 6, order: 1}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 4, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
	"                 {free_pages: {page: P}}]}]\n";

static const char *const half_isolated_isolated_side =
	"name: t\n" ZONE16_1CPU
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
	"                 {free_pages: {page: P}}]}]\n";

static void check_stopped_at_pageblock(SimWorld *w, const struct sim_run_result *res)
{
	int mt;

	g_assert_cmpuint(res->broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 12);
}

static void test_merge_stop_normal_side(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(half_isolated_normal_side);
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	g_autoptr(SimWorld) v318 = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 }, res318 = { 0 };

	run(w, NULL, &res);
	check_stopped_at_pageblock(w, &res);
	run(v318, NULL, &res318);
	g_assert_cmpint(sim_test_free_order(v318, 0, NULL), ==, 3);
	g_assert_true(res318.broken & SIM_F(SIM_CROSS_MERGE));
	sim_run_result_release(&res);
	sim_run_result_release(&res318);
}

static void test_merge_stop_isolated_side(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(half_isolated_isolated_side);
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	struct sim_run_result res = { 0 };

	run(w, NULL, &res);
	check_stopped_at_pageblock(w, &res);
	sim_run_result_release(&res);
}

/*
 * 10/10's side effect, and no re-merge step in v1 (3c605096d315 added one
 * in v3.18): after un-isolation the two blocks stay two free chunks.
 */
static void test_no_remerge_after_undo(void)
{
	g_autoptr(GString) yaml = g_string_new(half_isolated_normal_side);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };
	int mt;

	g_string_replace(
		yaml, "{free_pages: {page: P}}]}]",
		"{free_pages: {page: P}}, {undo_isolate_page_range: {start: 0, end: 4}}]}]", 1);
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, "joonsoo-v1");
	run(w, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
	sim_run_result_release(&res);
}

/*
 * What v1 leaves open (race R12's shape): isolation and un-isolation go one
 * block per zone->lock hold, and a free chunk spanning both blocks of a
 * max-order range is moved whole by the first block. Un-isolating block 0
 * puts block 1's half on a MOVABLE list while block 1 is still ISOLATE; an
 * allocation splits it, and the freed page of block 1 (re-read: ISOLATE)
 * merges below pageblock_order, where 10/10 does not look, with its
 * counted MOVABLE-list buddies: NR_FREE_PAGES stays 3 above the lists.
 * Moves counted by source list (09/10) do not double-count the chunk, as
 * v3.16 and v3.18 do (+4), but the drift is there.
 */
static void test_residual_straddling_undo(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2,\n"
		"       pcp: {high: 1, batch: 1}}\n"
		"layout: {free: [{pfn: 0, order: 3}], allocated: [{pfn: 8, order: 3, name: X}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{alloc_pages: {order: 2, as: A}}, {alloc_pages: {order: 0, as: B}},\n"
		"                 {free_pages: {page: B}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	struct sim_run_result res = { 0 };
	int mt;

	run(w, "0x14.1x9", &res);
	g_assert_true(res.broken & SIM_F(SIM_ISOLATION));
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_world_drift(w), ==, 3);
	sim_run_result_release(&res);
}

/*
 * 05/10: nr_isolate_pageblock follows set/unset under zone->lock. Nothing
 * refuses a second isolation of an isolated block (2c7452a075d4, v4.17), so
 * two overlapping users leave it above the number of isolated blocks (R13):
 * harmless for the counters here (only more re-reads), but not 0.
 */
static void test_nr_isolate_pageblock(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU
		"layout: {free: [{pfn: 0, order: 2}, {pfn: 5}, {pfn: 6, order: 1}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "joonsoo-v1");
	struct sim_run_result res = { 0 };

	run(w, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 2);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 15);
	sim_run_result_release(&res);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/joonsoo-v1/onbuddy/exact-after-split-merge-move", test_onbuddy_exact);
	g_test_add_data_func("/joonsoo-v1/guard/merge-into-isolate/joonsoo-v1", "joonsoo-v1",
			     test_guard_into_isolate);
	g_test_add_data_func("/joonsoo-v1/guard/merge-into-isolate/v3.16", "v3.16",
			     test_guard_into_isolate);
	g_test_add_func("/joonsoo-v1/recheck/pcp-flush-into-isolated-block",
			test_pcp_flush_rechecks);
	g_test_add_data_func("/joonsoo-v1/recheck/free_one_page/read-before-isolation", "1x2.0x2.1",
			     test_free_one_page_recheck);
	g_test_add_data_func("/joonsoo-v1/recheck/free_one_page/read-before-unisolation",
			     "0x13.1x2.0x3.1", test_free_one_page_recheck);
	g_test_add_data_func("/joonsoo-v1/move/test-time-move-counted/joonsoo-v1", "joonsoo-v1",
			     test_test_move_counted);
	g_test_add_data_func("/joonsoo-v1/move/test-time-move-counted/v3.16", "v3.16",
			     test_test_move_counted);
	g_test_add_data_func("/joonsoo-v1/isolate-free-page/keyed-on-list/joonsoo-v1", "joonsoo-v1",
			     test_isolate_free_page_keyed_on_list);
	g_test_add_data_func("/joonsoo-v1/isolate-free-page/keyed-on-list/v3.16", "v3.16",
			     test_isolate_free_page_keyed_on_list);
	g_test_add_func("/joonsoo-v1/isolate-free-page/cma", test_isolate_free_page_cma);
	g_test_add_func("/joonsoo-v1/merge/stop-at-pageblock/normal-side",
			test_merge_stop_normal_side);
	g_test_add_func("/joonsoo-v1/merge/stop-at-pageblock/isolated-side",
			test_merge_stop_isolated_side);
	g_test_add_func("/joonsoo-v1/merge/no-remerge-after-undo", test_no_remerge_after_undo);
	g_test_add_func("/joonsoo-v1/residual/straddling-chunk-undo",
			test_residual_straddling_undo);
	g_test_add_func("/joonsoo-v1/isolate/nr-isolate-pageblock", test_nr_isolate_pageblock);
	return g_test_run();
}
