// SPDX-License-Identifier: GPL-2.0
/*
 * The v5.11 variant (variants/v5_11.c) against its base, v4.6: isolation
 * without a drain (7612921f2376), zone_pcp_disable() around memory offline
 * (ec6e8c7e0314) and what it closes (R8 for offline, not for CMA), the
 * workqueue drain under pcpu_drain_mutex, the "already isolated" check
 * (2c7452a075d4, R13), the un-isolation of a max-order head by
 * move_freepages_block() (R12 stays), and blocks left isolated by offline.
 */
#include "explore/explore.h"
#include "mm/entry.h"
#include "sim-test.h"
#include "variants/variant.h"

#define ZONE16_2CPU                                                                    \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, " \
	"batch: 2}}\n"

static void run_rr(SimWorld *w, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, res);
}

/* Every interleaving (DPOR, or plain DFS): the findings reachable. */
static uint32_t explore_with(const char *yaml, const char *variant, bool dpor)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, variant);
	g_autoptr(GError) error = NULL;
	struct sim_explore_opts o = { .max_preemptions = -1,
				      .dpor = dpor,
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

static uint32_t explore_all(const char *yaml, const char *variant)
{
	return explore_with(yaml, variant, true);
}

/*
 * 7612921f2376: set_migratetype_isolate() no longer drains. A page freed to
 * this CPU's pcplist before its block is isolated stays there in v5.11; in
 * v4.6 the isolation's drain flushes it to the ISOLATE list.
 */
static void test_isolate_does_not_drain(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n"
		"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1}\n"
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{free_pages: {page: Q}}, {start_isolate_page_range: {start: 0, "
		"end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	bool drains = g_str_equal(data, "v4.6");
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(pfn_to_page(w, 0)->where, ==, drains ? SIM_WHERE_FREE : SIM_WHERE_PCP);
	g_assert_cmpint(w->pageset[0].count, ==, drains ? 0 : 1);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, drains ? 2 : -1);
	if (drains)
		g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	sim_run_result_release(&res);
}

/*
 * 2c7452a075d4 (v4.17): two alloc_contig_range() calls on the same range
 * (CMA and a gigantic page, R13). In v5.11 the second isolation fails and
 * nothing is counted twice, over every interleaving.
 */
static void test_r13_overlap_refused(void)
{
	g_assert_cmphex(
		explore_all("name: t\n" ZONE16_2CPU "layout: {free: [{pfn: 0, order: 3}]}\n"
			    "cpus: [{script: [{alloc_contig_range: {start: 0, end: 4, as: A}}]},\n"
			    "       {script: [{alloc_contig_range: {start: 0, end: 4, as: B}}]}]\n",
			    "v5.11"),
		==, 0);
}

/*
 * "do not isolate the max order page": undoing the isolation of a free
 * MAX_ORDER-1 chunk moves it back with move_freepages_block(), to the list
 * tail (v5.10), where v4.6 takes it off and frees it again, to the head. An
 * order-3 allocation then finds the other chunk first in v5.11. Both leave
 * the chunk on a MOVABLE list while block 1 is still isolated, between the
 * two blocks' unsets: the window of R12 (isolation), even on one CPU.
 */
static void test_unset_max_order_head_moved(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n"
		"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1}\n"
		"layout: {free: [{pfn: 8, order: 3}, {pfn: 0, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {alloc_pages: {order: 3, as: A}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmphex(res.broken, ==, SIM_F(SIM_ISOLATION));
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpuint(w->handles[0].pfn, ==, g_str_equal(data, "v5.11") ? 8 : 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * R12 remains in v5.11 through the plain move_freepages_block() path
 * (kernel-model.md section 0 item 7): block 0's unset moves the whole
 * max-order chunk to MOVABLE while block 1 is isolated, an allocation splits
 * it, block 1's unset puts its half back with __putback_isolated_page() and
 * counts it again.
 */
static void test_r12_unset_split(void)
{
	g_assert_cmphex(
		explore_all("name: t\n" ZONE16_2CPU "layout: {free: [{pfn: 0, order: 3}]}\n"
			    "cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
			    "                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
			    "       {script: [{alloc_pages: {order: 0, as: A}}]}]\n",
			    "v5.11"),
		==, SIM_F(SIM_FREEPAGE_COUNT) | SIM_F(SIM_ISOLATION));
}

/*
 * ec6e8c7e0314: after offline_pages() the blocks stay ISOLATE with
 * nr_isolate_pageblock brought down, and zone_pcp_enable() restored every
 * CPU's high and batch; v4.6 un-isolates the offlined range.
 */
static void test_offline_leaves_blocks_isolated(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_2CPU "layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{offline_pages: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	bool v5_11 = g_str_equal(data, "v5.11");

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(w->st->entry_ok[sim_entry_index(sim_entry_lookup("offline_pages"))], ==,
			 1);
	g_assert_cmpint(w->st->shadow.offline_pages, ==, 4);
	g_assert_cmpint(w->pageblock_flags[0], ==, v5_11 ? MIGRATE_ISOLATE : MIGRATE_MOVABLE);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
	for (unsigned int cpu = 0; cpu < w->ncpus; cpu++) {
		g_assert_cmpint(w->pageset[cpu].high, ==, 6);
		g_assert_cmpint(w->pageset[cpu].batch, ==, 2);
	}
	g_assert_cmpint(w->st->pcp_batch_high_lock.owner, ==, -1);
	sim_run_result_release(&res);
}

/*
 * Two CPUs drain at once while a third frees: pcpu_drain_mutex serializes
 * the drains, the work items run on every CPU; no deadlock, no finding, over
 * every interleaving.
 */
static void test_concurrent_drains(void)
{
	g_assert_cmphex(
		explore_all("name: t\n"
			    "zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 3}\n"
			    "layout: {free: [{pfn: 8, order: 3}], allocated: [{pfn: 0, name: Q}]}\n"
			    "cpus: [{script: [drain_all_pages]}, {script: [drain_all_pages]},\n"
			    "       {script: [{free_pages: {page: Q}}]}]\n",
			    "v5.11"),
		==, 0);
}

/*
 * Offline of [0, 8) while P (pfns 4-7) is freed, with block 0 free: if the
 * offline is interrupted (the model's signal, after its rounds) while the
 * free is still in flight, the free reads ISOLATE, P merges with block 0's
 * chunk into a max-order chunk on the ISOLATE list (both blocks isolated),
 * and block 0's unset moves it whole to MOVABLE while block 1 is still
 * isolated: R12's window (isolation). Reaching it needs the drain's work
 * item on CPU 1 to run before CPU 1's lock-free read, which the explorer's
 * DPOR only tries since it looks past a racing step under which the work
 * item could not run (CPU 1's IRQs off) to one where it could: it must find
 * what the plain search finds.
 */
static void test_dpor_sees_work_before_irqs_off(void)
{
	static const char *const yaml =
		"name: t\n" ZONE16_2CPU "layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 4, order: 2, name: P}]}\n"
		"cpus: [{script: [{offline_pages: {start: 0, end: 8}}]},\n"
		"       {script: [{free_pages: {page: P}}]}]\n";

	g_assert_cmphex(explore_with(yaml, "v5.11", false), ==, SIM_F(SIM_ISOLATION));
	g_assert_cmphex(explore_with(yaml, "v5.11", true), ==, SIM_F(SIM_ISOLATION));
}

/* ---------------------------------------------------------------------- */
/* R8: a pcplist page left behind in an isolated block                     */
/* ---------------------------------------------------------------------- */

/*
 * The scenario of Pavel Tatashin's report (2020-09-01), scaled: CPU 1 frees
 * Q (block 0) while CPU 0 offlines block 0, or takes it with
 * alloc_contig_range().
 */
static const char *const r8_yaml =
	"name: t\n" ZONE16_2CPU
	"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, name: Q}]}\n"
	"cpus: [{script: [%s]}, {script: [{free_pages: {page: Q}}]}]\n";

/*
 * The R8 state (kernel-model.md invariant I11): CPU 0 is inside
 * test_pages_isolated() with block 0 isolated, CPU 1 has finished freeing Q,
 * and Q is on a pcplist. Nothing will drain it: the test fails however often
 * it is repeated.
 */
static bool r8_stray(SimWorld *w, void *data)
{
	const struct sim_cpu *c0 = &w->cpus[0], *c1 = &w->cpus[1];
	bool testing = false;

	for (int i = 0; i < c0->sp; i++)
		testing |= g_str_equal(c0->stack[i].fn->name, "test_pages_isolated");
	return testing && w->pageblock_flags[0] == MIGRATE_ISOLATE && !c1->sp &&
	       c1->script_pc >= w->script_len[1] && pfn_to_page(w, 0)->where == SIM_WHERE_PCP;
}

/* Every interleaving (plain DFS: the predicate is not visible to DPOR); the stray states seen. */
static uint64_t r8_search(const char *variant, const char *call)
{
	g_autofree char *yaml = g_strdup_printf(r8_yaml, call);
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, variant);
	uint64_t hits = 0, executions;

	executions = sim_test_search(w, -1, r8_stray, NULL, &hits);
	g_test_message("%s, %s: %llu executions, %llu stray states", variant, call,
		       (unsigned long long)executions, (unsigned long long)hits);
	g_assert_cmpuint(executions, >, 0);
	return hits;
}

/* v4.6: the drain in set_migratetype_isolate() and offline's drains can all miss Q. */
static void test_r8_offline_v4_6(void)
{
	g_assert_cmpuint(r8_search("v4.6", "{offline_pages: {start: 0, end: 4}}"), >, 0);
}

/* v5.11: with the pcplists disabled the stray state is unreachable. */
static void test_r8_offline_v5_11(void)
{
	g_assert_cmpuint(r8_search("v5.11", "{offline_pages: {start: 0, end: 4}}"), ==, 0);
}

/* v4.6: alloc_contig_range()'s drains (each block's, then after migration) can all miss Q. */
static void test_r8_cma_v4_6(void)
{
	g_assert_cmpuint(r8_search("v4.6", "{alloc_contig_range: {start: 0, end: 4, as: A}}"), >,
			 0);
}

/* v5.11: alloc_contig_range() drains once and keeps the pcplists on: R8 stays. */
static void test_r8_cma_v5_11(void)
{
	g_assert_cmpuint(r8_search("v5.11", "{alloc_contig_range: {start: 0, end: 4, as: A}}"), >,
			 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_data_func("/v5.11/isolate/no-drain/v4.6", "v4.6", test_isolate_does_not_drain);
	g_test_add_data_func("/v5.11/isolate/no-drain/v5.11", "v5.11", test_isolate_does_not_drain);
	g_test_add_func("/v5.11/isolate/r13-overlap-refused", test_r13_overlap_refused);
	g_test_add_data_func("/v5.11/unset/max-order-head-moved/v4.6", "v4.6",
			     test_unset_max_order_head_moved);
	g_test_add_data_func("/v5.11/unset/max-order-head-moved/v5.11", "v5.11",
			     test_unset_max_order_head_moved);
	g_test_add_func("/v5.11/unset/r12-split", test_r12_unset_split);
	g_test_add_data_func("/v5.11/offline/leaves-blocks-isolated/v4.6", "v4.6",
			     test_offline_leaves_blocks_isolated);
	g_test_add_data_func("/v5.11/offline/leaves-blocks-isolated/v5.11", "v5.11",
			     test_offline_leaves_blocks_isolated);
	g_test_add_func("/v5.11/drain/concurrent-drains", test_concurrent_drains);
	g_test_add_func("/v5.11/explore/dpor-sees-work-before-irqs-off",
			test_dpor_sees_work_before_irqs_off);
	g_test_add_func("/v5.11/r8/offline-stray/v4.6", test_r8_offline_v4_6);
	g_test_add_func("/v5.11/r8/offline-no-stray/v5.11", test_r8_offline_v5_11);
	g_test_add_func("/v5.11/r8/cma-stray/v4.6", test_r8_cma_v4_6);
	g_test_add_func("/v5.11/r8/cma-stray/v5.11", test_r8_cma_v5_11);
	return g_test_run();
}
