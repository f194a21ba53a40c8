// SPDX-License-Identifier: GPL-2.0
/*
 * The v6.10 variant (freelist migratetype hygiene, Johannes Weiner, 2024):
 * what tells it apart from the v3.x variants. Accounting keyed on the list a
 * page enters or leaves (and what that does to guard pages), the block type
 * read under zone->lock, the merge rule, move_freepages_block_isolate(), the
 * pcplists under pcp->lock with remote drains, and the liveness gaps that
 * remain (pcp strays, race R8). Races are pinned by replayed schedules
 * (found by `mmsim run --trace`) or proven absent by exploration.
 */
#include "engine/exec.h"
#include "explore/explore.h"
#include "mm/entry.h"
#include "sim-test.h"

#define ZONE16                                                                         \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, " \
	"batch: 2}}\n"

static void run_rr(SimWorld *w, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, res);
}

/* Put the world in the state after the steps of a schedule string (no run to the end). */
static void replay_prefix(SimWorld *w, const char *schedule)
{
	g_autoptr(GError) error = NULL;
	struct sim_schedule s = { 0 };
	int col = 0;

	g_assert_true(sim_schedule_parse(schedule, w->ncpus, &s, &col, &error));
	g_assert_no_error(error);
	sim_world_reset(w);
	w->tracing = false;
	w->probe = NULL;
	for (size_t i = 0; i < s.n; i++) {
		struct sim_choice ch[2 * SIM_NR_CPUS_LIMIT];
		int n = sim_exec_choices(w, ch);
		bool enabled = false;

		for (int k = 0; k < n; k++)
			enabled |= ch[k].cpu == s.c[i].cpu && ch[k].irq == s.c[i].irq;
		g_assert_true(enabled); /* the schedule fits the model's steps */
		sim_exec_step(w, s.c[i], sim_exec_start_time(w, s.c[i]));
	}
	sim_schedule_release(&s);
}

/* Every interleaving, with DPOR; the exploration must be complete. */
static uint32_t explore_all(const char *yaml)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	g_autoptr(GError) error = NULL;
	struct sim_explore_opts o = { .max_preemptions = -1,
				      .dpor = true,
				      .all = true,
				      .max_steps = 10000,
				      .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS };
	struct sim_explore_result r;
	uint32_t broken;

	g_assert_true(sim_explore(w, &o, &r, &error));
	g_assert_no_error(error);
	g_assert_true(r.complete);
	g_assert_cmpuint(r.cut, ==, 0);
	broken = r.broken;
	sim_explore_result_clear(&r);
	return broken;
}

/* Every free chunk is on the list of its pageblocks' type (kernel-model.md I5). */
static bool free_lists_hygienic(SimWorld *w)
{
	unsigned long end = w->zone->zone_start_pfn + w->nr_pages;

	for (unsigned long pfn = w->zone->zone_start_pfn; pfn < end;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned long n;

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		n = 1ul << page_order(page);
		for (unsigned long b = sim_block_of(w, pfn); b <= sim_block_of(w, pfn + n - 1);
		     b++) {
			if (w->pageblock_flags[b] != page->where_mt)
				return false;
		}
		pfn += n;
	}
	return true;
}

static uint32_t entry_ok(const struct sim_run_result *res, const char *name)
{
	return res->entry_ok[sim_entry_index(sim_entry_lookup(name))];
}

/* ---------------------------------------------------------------------- */
/* Accounting                                                              */
/* ---------------------------------------------------------------------- */

/*
 * Since 10/10 neither set_page_guard() nor clear_page_guard() counts, and
 * __free_one_page() counts only the freed page: a guard buddy merged into a
 * chunk on a counted list leaves its pages there uncounted (drift -2^order,
 * permanent). pcplists disabled so that the free reaches the buddy lists.
 * v3.18 adds the guard's pages back when merging it into a normal list.
 */
static const char *const guard_merge =
	"name: t\nzone: {pages: 8, max_order: 4, pageblock_order: 2, cpus: 1,\n"
	"       pcp: {high: 0, batch: 1}, debug_guardpage_minorder: 1}\n"
	"layout: {free: [{pfn: 0, order: 1}]}\n"
	"cpus: [{script: [{alloc_pages: {order: 0, as: A}}, {free_pages: {page: A}}]}]\n";

static void test_guard_merge_undercounts(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(guard_merge);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	g_autoptr(SimWorld) old = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 1);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 1);
	g_assert_cmpint(sim_world_drift(w), ==, -1);
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	sim_run_result_release(&res);

	run_rr(old, &res);
	g_assert_cmpint(sim_test_free_order(old, 0, NULL), ==, 1);
	g_assert_cmpint(sim_world_drift(old), ==, 0);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/*
 * The same merge onto an ISOLATE list is uncounted on both sides; the undo
 * moves the whole chunk with move_to_free_list() and counts all of it: no
 * drift. Only a guard merge into a counted list drifts.
 */
static void test_guard_merge_isolated_then_undone(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 8, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       debug_guardpage_minorder: 1}\n"
		"layout: {free: [{pfn: 0, order: 1}]}\n"
		"cpus: [{script: [{alloc_pages: {order: 0, as: A}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {free_pages: {page: A}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 1);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 2);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
}

/*
 * Without guard pages the counter equals the counted lists at every
 * zone->lock release (E4), over every interleaving: isolation and undo
 * racing with frees and allocations, alloc_contig_range() of CMA against
 * ALLOC_CMA allocations, memory offline against an allocation.
 */
static const char *const exact_scenarios[] = {
	/* isolation of a tail block of a free chunk vs allocations (R14) */
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
	"layout: {free: [{pfn: 0, order: 3}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 4, end: 8}},\n"
	"                 {test_pages_isolated: {start: 4, end: 8}},\n"
	"                 {undo_isolate_page_range: {start: 4, end: 8}}]},\n"
	"       {script: [{alloc_pages: {order: 0, as: A}}, {alloc_pages: {order: 1, as: B}},\n"
	"                 {free_pages: {page: A}}]}]\n",
	/* alloc_contig_range() of CMA vs an ALLOC_CMA allocation and its free */
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2,\n"
	"       cma: [{start: 8, end: 16}]}\n"
	"layout: {free: [{pfn: 4, order: 2}, {pfn: 8, order: 3}]}\n"
	"cpus: [{script: [{alloc_contig_range: {start: 8, end: 12, migratetype: CMA, as: C}},\n"
	"                 {free_pages: {page: C}}]},\n"
	"       {script: [{alloc_pages: {order: 0, as: A}}, {free_pages: {page: A}}]}]\n",
	/* memory offline vs an allocation refilling a pcplist */
	"name: t\nzone: {pages: 32, max_order: 4, pageblock_order: 2, cpus: 2}\n"
	"layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
	"cpus: [{script: [{offline_pages: {start: 0, end: 8}}]},\n"
	"       {script: [{alloc_pages: {order: 0, as: A}}]}]\n",
};

static void test_exact_at_every_release(void)
{
	for (size_t i = 0; i < G_N_ELEMENTS(exact_scenarios); i++)
		g_assert_cmphex(explore_all(exact_scenarios[i]), ==, 0);
}

/* ---------------------------------------------------------------------- */
/* Merging                                                                 */
/* ---------------------------------------------------------------------- */

/*
 * Above pageblock_order a merge needs equal types or two mergeable ones
 * (1dd214b8f21c): a MOVABLE block and a CMA block stay apart; NR_FREE_CMA
 * counts the CMA half only.
 */
static void test_merge_stops_at_cma_block(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 8, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       cma: [{start: 4, end: 8}]}\n"
		"layout: {free: [{pfn: 4, order: 2}], allocated: [{pfn: 0, order: 2, name: P}]}\n"
		"cpus: [{script: [{free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_CMA);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_CMA_PAGES), ==, 4);
	sim_run_result_release(&res);
}

/* Merging differing mergeable types retypes the buddy's block (03/10). */
static void test_merge_retypes_buddy_block(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 8, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       blocks: [{start: 4, end: 8, migratetype: UNMOVABLE}]}\n"
		"layout: {free: [{pfn: 4, order: 2}], allocated: [{pfn: 0, order: 2, name: P}]}\n"
		"cpus: [{script: [{free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->pageblock_flags[1], ==, MIGRATE_MOVABLE);
	g_assert_true(free_lists_hygienic(w));
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* Isolation                                                               */
/* ---------------------------------------------------------------------- */

/*
 * move_freepages_block_isolate() (09/10): isolating the tail block of a
 * free max-order chunk splits it under zone->lock, each half on its own
 * block's list, counted exactly; un-isolation puts the half back and it
 * merges again. v3.18 leaves the whole chunk on the MOVABLE list (the head
 * is in the other block): pages of an isolated block allocatable.
 */
static const char *const tail_block =
	"name: t\n" ZONE16 "layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 4, end: 8}}]}]\n";

static void test_isolate_splits_tail_block(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(tail_block);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	g_autoptr(SimWorld) old = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 12);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 1);
	sim_run_result_release(&res);

	run_rr(old, &res);
	g_assert_true(res.broken & SIM_F(SIM_ISOLATION));
	sim_run_result_release(&res);
}

static void test_isolate_splits_head_block_and_undo_merges(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16 "layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	replay_prefix(w, "0x2");
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 12);

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
	sim_run_result_release(&res);
}

/* 2c7452a075d4 (v4.17): an isolated block is not isolated twice, nothing is counted twice. */
static void test_isolate_twice_refused(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16 "layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(
		res.entry_calls[sim_entry_index(sim_entry_lookup("start_isolate_page_range"))], ==,
		2);
	g_assert_cmpuint(entry_ok(&res, "start_isolate_page_range"), ==, 1);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 1);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
}

/*
 * alloc_contig_range() goes to done: undo_isolate_page_range() when its own
 * start_isolate_page_range() fails, and the undo un-isolates every isolated
 * block of the range, also those another user isolated (the failure that
 * sent it there). The v6.10 code as written; kernel-model.md R13.
 */
static void test_failed_contig_undoes_other_isolation(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16 "layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {alloc_contig_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(&res, "alloc_contig_range"), ==, 0);
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->pageblock_flags[1], ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
	sim_run_result_release(&res);
}

/*
 * The same undo against memory offline (race R13 again, from v5.19): offline
 * has isolated [0, 8) and passed test_pages_isolated(); alloc_contig_range()
 * on CPU1 fails on the first block and its undo moves block 0's free pages
 * back to MOVABLE, counted; __offline_isolated_pages() then takes them off
 * with del_page_from_free_list(..., MIGRATE_ISOLATE), which subtracts
 * nothing (VM_WARN only): NR_FREE_PAGES keeps 4 pages that left the zone,
 * and nr_isolate_pageblock ends at -2. Minimal schedule from mmsim explore.
 */
static void test_contig_undo_vs_offline_drifts(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
		"layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{offline_pages: {start: 0, end: 8}}]},\n"
		"       {script: [{alloc_contig_range: {start: 0, end: 8, as: C}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "0x10.1x4.0", &res);
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpuint(entry_ok(&res, "offline_pages"), ==, 1);
	g_assert_cmpuint(entry_ok(&res, "alloc_contig_range"), ==, 0);
	g_assert_cmpint(sim_world_drift(w), ==, 4);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, -2);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* Where the block type is read                                            */
/* ---------------------------------------------------------------------- */

/*
 * set_migratetype_isolate() no longer drains (7612921f2376, v5.11): a page
 * freed to this CPU's pcplist before the isolation stays there until a
 * drain, whose free_pcppages_bulk() reads the block type under zone->lock
 * per page (01/10): the page joins the ISOLATE list, uncounted.
 */
static void test_isolation_does_not_drain(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{free_pages: {page: Q}}, {start_isolate_page_range: {start: 0, "
		"end: 4}},\n"
		"                 drain_local_pages]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	replay_prefix(w, "0x5");
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_ISOLATE);
	g_assert_cmpint(pfn_to_page(w, 0)->where, ==, SIM_WHERE_PCP);

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * Race R15 (07/10, 55612e80e722): a free racing with block stealing. The
 * free paths read the type under zone->lock, so the freed page goes to the
 * list of the block's type whatever the order; v3.16 reads it before and
 * puts the page on the MOVABLE list of a block just stolen for UNMOVABLE.
 */
static const char *const free_vs_steal =
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2,\n"
	"       blocks: [{start: 4, end: 8, migratetype: UNMOVABLE}]}\n"
	"layout: {free: [{pfn: 2, order: 1}], allocated: [{pfn: 0, order: 1, name: P}]}\n"
	"cpus: [{script: [{alloc_pages: {order: 0, migratetype: UNMOVABLE, as: U}}]},\n"
	"       {script: [{free_pages: {page: P}}]}]\n";

static void test_free_vs_steal_hygiene(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(free_vs_steal);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	g_autoptr(SimWorld) old = sim_test_world(sc, "v3.16");
	unsigned int stolen = 0, old_unhygienic = 0;

	for (uint64_t seed = 1; seed <= 300; seed++) {
		struct sim_run_result res = { 0 };

		sim_test_run(w, SIM_STRATEGY_RANDOM, seed, NULL, &res);
		g_assert_cmpuint(res.broken, ==, 0);
		g_assert_true(free_lists_hygienic(w));
		stolen += w->pageblock_flags[0] == MIGRATE_UNMOVABLE;
		sim_run_result_release(&res);
		sim_test_run(old, SIM_STRATEGY_RANDOM, seed, NULL, &res);
		old_unhygienic += !free_lists_hygienic(old);
		sim_run_result_release(&res);
	}
	g_assert_cmpuint(stolen, >, 0);
	g_assert_cmpuint(old_unhygienic, >, 0);
}

/* ---------------------------------------------------------------------- */
/* pcp->lock and the remote drain                                          */
/* ---------------------------------------------------------------------- */

/*
 * drain_all_pages() on CPU0 drains CPU1's pcplist itself, under CPU1's
 * pcp->lock (v6.0: no IPI). While it holds that lock (spinning for
 * zone->lock), CPU1's free finds pcp_spin_trylock() failing and frees
 * straight to the buddy lists. Schedule from `mmsim run --trace`.
 */
static void test_trylock_failure_frees_direct(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
		"layout: {free: [{pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: R}, {pfn: 1, name: Q}]}\n"
		"cpus: [{script: [drain_all_pages]},\n"
		"       {script: [{free_pages: {page: R}}, {free_pages: {page: Q}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	replay_prefix(w, "1x3.0x5.1x4");
	g_assert_cmpint(w->pageset[1].lock.owner, ==, 0);
	g_assert_cmpint(pfn_to_page(w, 0)->where, ==, SIM_WHERE_PCP);
	g_assert_cmpint(sim_test_free_order(w, 1, &mt), ==, 0);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpuint(w->cpus[1].ipi_pending, ==, 0);

	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "1x3.0x5.1x4", &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, NULL), ==, 1);
	g_assert_cmpint(w->pageset[1].count, ==, 0);
	g_assert_cmpint(w->pageset[1].lock.owner, ==, -1);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* Liveness (race R8): no drift, but isolation users fail                  */
/* ---------------------------------------------------------------------- */

/*
 * alloc_contig_range() drains once, after isolating. A free that read
 * MOVABLE before the isolation and takes pcp_spin_trylock() after the drain
 * leaves its page on the pcplist: test_pages_isolated() fails, -EBUSY; the
 * page is not counted and nothing drifts. Schedule from `mmsim run --trace`.
 */
static void test_contig_pcp_stray(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{alloc_contig_range: {start: 0, end: 4, as: C}}]},\n"
		"       {script: [{free_pages: {page: Q}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "1x2.0x6.1", &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(&res, "alloc_contig_range"), ==, 0);
	g_assert_cmpint(pfn_to_page(w, 0)->where, ==, SIM_WHERE_PCP);
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_MOVABLE);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
}

/*
 * zone_pcp_disable() is not airtight in v6.10: drain_pages_zone() reads the
 * target's pcp->count outside pcp->lock. CPU1 sized its refill with the old
 * high (step 1), CPU0 disables pcplists and reads CPU1's count as 0, then
 * the refill adds two pages of block 0 and keeps one: offline_pages() never
 * sees the block free and gives up (the kernel loops until a signal).
 * Fixed by 66eca1021a42 "mm/page_alloc: fix pcp->count race between
 * drain_pages_zone() vs __rmqueue_pcplist()" (Li Zhijian, v6.11, 6.10.y).
 */
static void test_offline_pcp_disable_race(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(exact_scenarios[2]);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "1.0x4.1", &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(&res, "offline_pages"), ==, 0);
	g_assert_cmpint(pfn_to_page(w, 1)->where, ==, SIM_WHERE_PCP);
	g_assert_cmpint(w->pageset[1].high, ==, 6); /* zone_pcp_enable() restored it */
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
	sim_run_result_release(&res);
}

/* Without the race, offline_pages() takes the range out of the zone; the blocks stay ISOLATE. */
static void test_offline_leaves_blocks_isolated(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(exact_scenarios[2]);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(&res, "offline_pages"), ==, 1);
	g_assert_cmpint(w->st->shadow.offline_pages, ==, 8);
	g_assert_cmpint(w->pageblock_flags[0], ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->pageblock_flags[1], ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/v6.10/accounting/guard-merge-undercounts", test_guard_merge_undercounts);
	g_test_add_func("/v6.10/accounting/guard-merge-isolated-then-undone",
			test_guard_merge_isolated_then_undone);
	g_test_add_func("/v6.10/accounting/exact-at-every-release", test_exact_at_every_release);
	g_test_add_func("/v6.10/merge/stops-at-cma-block", test_merge_stops_at_cma_block);
	g_test_add_func("/v6.10/merge/retypes-buddy-block", test_merge_retypes_buddy_block);
	g_test_add_func("/v6.10/isolate/splits-tail-block", test_isolate_splits_tail_block);
	g_test_add_func("/v6.10/isolate/splits-head-block-and-undo-merges",
			test_isolate_splits_head_block_and_undo_merges);
	g_test_add_func("/v6.10/isolate/twice-refused", test_isolate_twice_refused);
	g_test_add_func("/v6.10/isolate/failed-contig-undoes-other-isolation",
			test_failed_contig_undoes_other_isolation);
	g_test_add_func("/v6.10/isolate/contig-undo-vs-offline-drifts",
			test_contig_undo_vs_offline_drifts);
	g_test_add_func("/v6.10/free/isolation-does-not-drain", test_isolation_does_not_drain);
	g_test_add_func("/v6.10/free/type-read-under-lock-vs-steal", test_free_vs_steal_hygiene);
	g_test_add_func("/v6.10/pcp/trylock-failure-frees-direct",
			test_trylock_failure_frees_direct);
	g_test_add_func("/v6.10/liveness/contig-pcp-stray", test_contig_pcp_stray);
	g_test_add_func("/v6.10/liveness/offline-pcp-disable-race", test_offline_pcp_disable_race);
	g_test_add_func("/v6.10/offline/leaves-blocks-isolated",
			test_offline_leaves_blocks_isolated);
	return g_test_run();
}
