// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy model, one CPU at a time (no races): merging, splitting, guard
 * pages, and the accounting each variant keys on. Each test states the
 * kernel behaviour it pins down.
 */
#include "sim-test.h"
#include "variants/variant.h"

#define ZONE16 \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, batch: 2}}\n"

static void sim_test_run_rr(SimWorld *w, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, res);
}

/* Freeing every page merges the zone back into max-order chunks, counted once. */
static void test_free_merges_to_max_order(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16
		"layout: {allocated: [{pfn: 0, order: 2, name: A}, {pfn: 4, order: 2, name: B},\n"
		"                     {pfn: 8, order: 2, name: C}, {pfn: 12, order: 2, name: D}]}\n"
		"cpus: [{script: [{free_pages: {page: B}}, {free_pages: {page: A}},\n"
		"                 {free_pages: {page: D}}, {free_pages: {page: C}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	int mt;

	sim_test_run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_test_free_order(w, 8, NULL), ==, 3);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	g_assert_cmpuint(w->zone->free_area[3].nr_free, ==, 2);
	sim_run_result_release(&res);
}

/* expand() puts the upper halves of a split on the requested type's lists. */
static void test_alloc_splits_halves(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 8, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 1, batch: 1}}\n"
		"layout: {free: [{pfn: 0, order: 3}]}\n"
		"cpus: [{script: [{alloc_pages: {order: 0, as: A}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };

	sim_test_run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 1, NULL), ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 2, NULL), ==, 1);
	g_assert_cmpint(sim_test_free_order(w, 4, NULL), ==, 2);
	g_assert_true(w->handles[0].valid);
	g_assert_cmpuint(w->handles[0].pfn, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 7);
	sim_run_result_release(&res);
}

/* With debug_guardpage_minorder 1 the order-0 half of a split is a guard page, not free. */
static void test_guard_page_split_and_merge(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 8, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 1, batch: 1}, debug_guardpage_minorder: 1}\n"
		"layout: {free: [{pfn: 0, order: 1}]}\n"
		"cpus: [{script: [{alloc_pages: {order: 0, as: A}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };

	sim_test_run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_true(page_is_guard(pfn_to_page(w, 1)));
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 0);
	g_assert_cmpint(w->st->shadow.guard_pages, ==, 1);
	sim_run_result_release(&res);
}

/*
 * Race R2 needs no second CPU: a page freed to this CPU's pcplist before its
 * block is isolated is flushed by the drain in set_migratetype_isolate(). In
 * v3.16 it goes to the list of its cached type (MOVABLE) and merges with the
 * block's ISOLATE-list pages, but is counted by the block's type (ISOLATE):
 * NR_FREE_PAGES falls 4 below the MOVABLE lists. v3.18 re-reads the type.
 */
static const char *const pcp_then_isolate =
	"name: t\n" ZONE16
	"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, name: Q}]}\n"
	"cpus: [{script: [{free_pages: {page: Q}}, {start_isolate_page_range: {start: 0, end: 4}}]}]\n";

static void test_pcp_flush_into_isolated_block_v3_16(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(pcp_then_isolate);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };
	int mt;

	sim_test_run_rr(w, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_world_drift(w), ==, -4);
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_true(res.broken & SIM_F(SIM_ISOLATION));
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	sim_run_result_release(&res);
}

static void test_pcp_flush_into_isolated_block_v3_18(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(pcp_then_isolate);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	int mt;

	sim_test_run_rr(w, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/*
 * Variants with 2c7452a075d4 (v4.17, "make start_isolate_page_range() fail
 * if already isolated"): a second isolation of a block returns -EBUSY.
 */
static bool sim_test_refuses_isolated_block(const char *variant)
{
	return g_str_equal(variant, "v5.11") || g_str_equal(variant, "v6.10");
}

/*
 * move_freepages_block() returns every free page it walks (R5). Isolating a
 * block twice (v3.16 to v4.6 have no "already isolated" check, added in
 * v4.17 by 2c7452a075d4) subtracts its free pages twice; from v4.17 the
 * second isolation fails and nothing is counted twice. joonsoo-v1 (09/10)
 * counts a move by the list each chunk came from: the second move is from
 * ISOLATE to ISOLATE and subtracts nothing.
 */
static void test_isolate_twice_counts_twice(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16 "layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };

	if (g_str_equal(data, "vbabka-2014")) {
		/* each isolation remembers its X: see /vbabka-2014/accounting/ */
		g_test_skip("the isolation users keep the count (test-vbabka-2014.c)");
		return;
	}
	w = sim_test_world(sc, data);
	sim_test_run_rr(w, &res);
	if (sim_test_refuses_isolated_block(data)) {
		g_assert_cmpint(sim_world_drift(w), ==, 0);
		g_assert_cmpuint(res.broken, ==, 0);
		g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 1);
	} else if (g_str_equal(data, "joonsoo-v1")) {
		g_assert_cmpint(sim_world_drift(w), ==, 0);
		g_assert_cmpuint(res.broken, ==, 0);
	} else {
		g_assert_cmpint(sim_world_drift(w), ==, -4);
		g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	}
	sim_run_result_release(&res);
}

/*
 * 3c605096d315: a page freed to an ISOLATE list merges no further than
 * pageblock_order in v3.18 (v3.16 merges up to MAX_ORDER-1), and
 * unset_migratetype_isolate() re-frees the block so the merge happens then.
 * joonsoo-v1 (10/10) stops only between lists of different types, one of them
 * ISOLATE: both halves here are on ISOLATE lists, so it merges to MAX_ORDER-1.
 * So does v4.6 on (d9dddbf55667): the merge stops only between an isolated
 * and a non-isolated block, and two isolated blocks merge.
 * v6.10 merges two ISOLATE blocks again: only differing types stop the merge
 * above pageblock_order (1dd214b8f21c).
 */
static const char *const free_into_isolated_pair =
	"name: t\n" ZONE16
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
	"                 {free_pages: {page: P}}]}]\n";

static void test_merge_limit_on_isolated_side(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(free_into_isolated_pair);
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	bool to_max;
	int mt;

	if (g_str_equal(data, "isolating-2014")) {
		g_test_skip("P waits on an isolate pcplist, unmerged: test-isolating-2014");
		return;
	}
	sim_test_run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	/*
	 * v3.16 and the proposals without a merge limit merge across the blocks;
	 * v4.6+ merge two ISOLATE blocks.
	 */
	to_max = g_str_equal(data, "v3.16") || g_str_equal(data, "joonsoo-v1") ||
		 g_str_equal(data, "vbabka-2014") || g_str_equal(data, "v4.6") ||
		 g_str_equal(data, "v5.11") || g_str_equal(data, "v6.10");
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, to_max ? 3 : 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	sim_run_result_release(&res);
}

static void test_unisolate_remerges_v3_18(void)
{
	g_autoptr(GString) yaml = g_string_new(free_into_isolated_pair);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };
	int mt;

	g_string_replace(
		yaml, "{free_pages: {page: P}}]}]",
		"{free_pages: {page: P}}, {undo_isolate_page_range: {start: 0, end: 8}}]}]", 1);
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, "v3.18");
	sim_test_run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	sim_run_result_release(&res);
}

/*
 * NR_FREE_CMA_PAGES follows the CMA lists through a MOVABLE fallback
 * allocation and its free. The final drain gives back what a pcplist kept
 * (v6.10 keeps the page: nr_pcp_free() is 0 for high 1, batch 1).
 */
static void test_cma_counter(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 1, batch: 1}, cma: [{start: 8, end: 16}]}\n"
		"layout: {free: [{pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{alloc_pages: {order: 1, as: A}}, {alloc_pages: {order: 0, as: B}},\n"
		"                 {free_pages: {page: A}}, {free_pages: {page: B}},\n"
		"                 drain_local_pages]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };

	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_CMA_PAGES), ==, 8);
	sim_test_run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_CMA_PAGES), ==, 8);
	g_assert_cmpint(sim_test_free_order(w, 8, NULL), ==, 3);
	sim_run_result_release(&res);
}

static void add_per_variant(const char *path, GTestDataFunc fn)
{
	for (int i = 0; sim_variants[i]; i++) {
		g_autofree char *p = g_strdup_printf("%s/%s", path, sim_variants[i]->name);

		g_test_add_data_func(p, sim_variants[i]->name, fn);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	add_per_variant("/buddy/free/merges-to-max-order", test_free_merges_to_max_order);
	add_per_variant("/buddy/alloc/splits-halves", test_alloc_splits_halves);
	add_per_variant("/buddy/guard/split-makes-guard", test_guard_page_split_and_merge);
	add_per_variant("/buddy/cma/counter-follows-lists", test_cma_counter);
	add_per_variant("/buddy/isolate/twice-counts-twice", test_isolate_twice_counts_twice);
	add_per_variant("/buddy/merge/limit-on-isolated-side", test_merge_limit_on_isolated_side);
	g_test_add_func("/buddy/pcp/flush-into-isolated-block/v3.16",
			test_pcp_flush_into_isolated_block_v3_16);
	g_test_add_func("/buddy/pcp/flush-into-isolated-block/v3.18",
			test_pcp_flush_into_isolated_block_v3_18);
	g_test_add_func("/buddy/unisolate/remerges/v3.18", test_unisolate_remerges_v3_18);
	return g_test_run();
}
