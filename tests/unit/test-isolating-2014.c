// SPDX-License-Identifier: GPL-2.0
/*
 * isolating-2014 (sim/variants/isolating_2014.c): Vlastimil Babka's July
 * 2014 isolate pcplists, design d2. What tells it apart from v3.16: a page
 * of an isolated block is freed to a per-CPU list and merges only when the
 * isolating CPU flushes the lists (by IPI, for a pfn range); isolation marks
 * the block, drains, and moves afterwards; free_pcppages_bulk() counts by the
 * cached type. And the races the design leaves, each replayed.
 */
#include "explore/explore.h"
#include "mm/entry.h"
#include "sim-test.h"

#define VARIANT "isolating-2014"

/* 16 pages, blocks of 4, one CPU; block 1 (pfns 4-7) allocated unless said otherwise. */
#define ZONE16_1CPU \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, batch: 2}}\n"

static void run_rr(SimWorld *w, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, res);
}

static void run_replay(SimWorld *w, const char *schedule, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, schedule, res);
}

/* Observer: the most pages ever held on the isolate pcplists during a run. */
struct held_watch {
	SimWorld *w;
	long max_held;
};

static void note_held(void *data, const struct sim_step_view *v)
{
	struct held_watch *h = data;

	h->max_held = MAX(h->max_held, h->w->st->shadow.held_pages);
}

/*
 * A replayed run (round robin if schedule is NULL); returns the most pages
 * the isolate pcplists held at once.
 */
static long run_replay_held(SimWorld *w, const char *schedule, struct sim_run_result *res)
{
	g_autoptr(GError) error = NULL;
	struct sim_schedule replay = { 0 };
	struct held_watch h = { .w = w };
	struct sim_run_opts o = { .strategy = schedule ? SIM_STRATEGY_REPLAY : SIM_STRATEGY_RR,
				  .seed = 1,
				  .max_steps = 1000000,
				  .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS,
				  .replay = &replay,
				  .observe = note_held,
				  .observe_data = &h };
	int col = 0;

	if (schedule)
		g_assert_true(sim_schedule_parse(schedule, w->ncpus, &replay, &col, &error));
	else
		o.replay = NULL;
	g_assert_true(sim_run(w, &o, res, &error));
	g_assert_no_error(error);
	sim_schedule_release(&replay);
	return h.max_held;
}

static SimScenario *load(const char *file)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *path = g_build_filename(sim_test_srcdir(), "scenarios", file, NULL);
	SimScenario *sc = sim_scenario_load(path, &error);

	g_assert_no_error(error);
	return sc;
}

/* The page heads a chunk held on cpu's isolate pcplist, of this order. */
static void assert_on_isolate_pcplist(SimWorld *w, unsigned long pfn, int cpu, unsigned int order)
{
	struct page *page = pfn_to_page(w, pfn);

	g_assert_false(PageBuddy(page));
	g_assert_cmpint(page->where, ==, SIM_WHERE_HELD);
	g_assert_cmpint(page->where_arg, ==, cpu);
	g_assert_cmpuint(page_private(page), ==, order);
	g_assert_cmpint(page_count(page), ==, 0);
	g_assert_cmpint(get_freepage_migratetype(page), ==, MIGRATE_ISOLATE);
}

/* ---------------------------------------------------------------------- */
/* The isolate pcplists                                                    */
/* ---------------------------------------------------------------------- */

static const char *const two_pairs_in_block0 =
	"name: t\n" ZONE16_1CPU "layout: {free: [{pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}, {pfn: 2, order: 1, name: Q}]}\n";

/*
 * A page of an isolated block is "put on special unbounded pcplist and that's
 * it": any order, not merged with its free buddy, not counted, not PageBuddy.
 * v3.16 would merge P and Q into an order-2 chunk on the ISOLATE list.
 */
static void test_free_goes_to_isolate_pcplist(void)
{
	g_autoptr(GString) yaml = g_string_new(two_pairs_in_block0);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };

	g_string_append(yaml,
			"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
			"                 {free_pages: {page: P}}, {free_pages: {page: Q}}]}]\n");
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, VARIANT);
	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	assert_on_isolate_pcplist(w, 0, 0, 1);
	assert_on_isolate_pcplist(w, 2, 0, 1);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 4);
	g_assert_cmpint(w->pageset[0].count, ==, 0); /* not a pcp->count page */
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * The flush ("flushes the special pcplist on isolate buddy list and merge as
 * needed") runs before test_pages_isolated(): the pages merge on the ISOLATE
 * list, uncounted, and the test passes.
 */
static void test_flush_before_test_merges_on_isolate_list(void)
{
	g_autoptr(GString) yaml = g_string_new(two_pairs_in_block0);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };
	int mt;

	g_string_append(yaml, "cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
			      "                 {free_pages: {page: P}}, {free_pages: {page: Q}},\n"
			      "                 {test_pages_isolated: {start: 0, end: 4}}]}]\n");
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, VARIANT);
	g_assert_cmpint(run_replay_held(w, NULL, &res), ==, 4); /* P and Q waited */
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpuint(res.entry_ok[sim_entry_index(sim_entry_lookup("test_pages_isolated"))], ==,
			 1);
	sim_run_result_release(&res);
}

/*
 * Undo: move back, restore the type, then "flushes the isolate pcplists of
 * all CPU's on the MOVABLE freelist": the pages merge there and are counted.
 */
static void test_undo_flushes_to_restored_type(void)
{
	g_autoptr(GString) yaml = g_string_new(two_pairs_in_block0);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };
	int mt;

	g_string_append(yaml,
			"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
			"                 {free_pages: {page: P}}, {free_pages: {page: Q}},\n"
			"                 {undo_isolate_page_range: {start: 0, end: 4}}]}]\n");
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, VARIANT);
	g_assert_cmpint(run_replay_held(w, NULL, &res), ==, 4); /* P and Q waited */
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 12);
	sim_run_result_release(&res);
}

/*
 * "the flush operation needs a pfn start/end parameters to only flush pages
 * belonging to the given isolation": undoing [4, 8) leaves the page of the
 * still isolated [0, 4) on the list.
 */
static void test_flush_takes_pfn_range(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU "layout: {free: [{pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, order: 1, name: P}, {pfn: 4, order: 1, name: R}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {start_isolate_page_range: {start: 4, end: 8}},\n"
		"                 {free_pages: {page: P}}, {free_pages: {page: R}},\n"
		"                 {undo_isolate_page_range: {start: 4, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	assert_on_isolate_pcplist(w, 0, 0, 1);
	g_assert_cmpint(sim_test_free_order(w, 4, &mt), ==, 1);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 2);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* Isolation: mark, drain, move                                            */
/* ---------------------------------------------------------------------- */

/*
 * A pcp page of the block is drained after the mark onto the list of its
 * cached type and counted ("allow a misplacement to happen (and the page
 * accounted as freepage) immediately followed by move_frepages_block"); the
 * move then takes the merged chunk to the ISOLATE list: no drift (v3.16
 * ends 4 below, test-buddy). Between the mark and the move the block's free
 * pages are on a MOVABLE list: that is the design, and the isolation
 * invariant waits for start_isolate_page_range() to return before it looks.
 */
static void test_drain_misplaces_then_move_fixes(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{free_pages: {page: Q}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(w->st->shadow.misplaced, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* The races of kernel-model.md section 3 the design closes                */
/* ---------------------------------------------------------------------- */

static const char *const pair_and_buddy_2cpus =
	"name: t\n"
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, batch: 2}}\n"
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n";

/*
 * R9, Joonsoo Kim's counterexample (2014-07-14): CPU1 frees P with
 * MIGRATE_ISOLATE after the mark and before the move. In v3.16 order
 * (set, drain, move) P would merge with the counted pfns 2-3 on the isolate
 * list. Here it waits on CPU1's isolate pcplist; the move takes pfns 2-3,
 * the flush merges P with them on the ISOLATE list: no drift, no cross-merge.
 */
static void test_r9_free_between_mark_and_move(void)
{
	g_autoptr(GString) yaml = g_string_new(pair_and_buddy_2cpus);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };
	int mt;

	g_string_append(yaml, "cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}}]},\n"
			      "       {script: [{free_pages: {page: P}}]}]\n");
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, VARIANT);
	/* CPU0 marks block 0; CPU1 frees P reading ISOLATE; CPU0 drains, moves, flushes */
	g_assert_cmpint(run_replay_held(w, "0x2.1x3", &res), ==, 2); /* P waited */
	g_assert_cmpuint(res.broken & ~SIM_F(SIM_ISOLATION), ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * R3 (ad53f92eb416 "case 1"): CPU1 reads ISOLATE (IRQs off) and is about to
 * free P when CPU0 un-isolates the block. The undo's flush IPI waits for
 * CPU1's IRQs to come back on, P is on CPU1's isolate pcplist by then, and
 * the flush puts it on the MOVABLE list, counted: nothing stranded.
 */
static void test_r3_stale_isolate_read_vs_undo(void)
{
	g_autoptr(GString) yaml = g_string_new(pair_and_buddy_2cpus);
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	struct sim_run_result res = { 0 };
	int mt;

	g_string_append(yaml, "cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
			      "                 {undo_isolate_page_range: {start: 0, end: 4}}]},\n"
			      "       {script: [{free_pages: {page: P}}]}]\n");
	sc = sim_test_scenario(yaml->str);
	w = sim_test_world(sc, VARIANT);
	g_assert_cmpint(run_replay_held(w, "0x8.1!.0.1x2.0x4.1.1!.1.0", &res), ==, 2);
	g_assert_false(res.replay_ended);
	g_assert_cmpuint(res.broken & ~SIM_F(SIM_ISOLATION), ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->st->shadow.stranded, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 12);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* The races it leaves                                                     */
/* ---------------------------------------------------------------------- */

/*
 * R4 through "the drain as usual": drain_all_pages() IPIs only CPUs whose
 * pcp->count reads non-zero. CPU1, freeing an order-1 page, has read MOVABLE
 * with IRQs off and an empty pcplist; the drain skips it, the move runs, and
 * CPU1's free_one_page(MOVABLE) merges P with pfns 2-3 from the ISOLATE list:
 * cross-merge, NR_FREE_PAGES 2 below the lists.
 */
static void test_r4_through_skipped_drain(void)
{
	g_autoptr(SimScenario) sc = load("r04-isolate-vs-free_one_page.yaml");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_run_result res = { 0 };

	run_replay(w, "1x2.0x14.1", &res);
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpint(res.v[SIM_FREEPAGE_COUNT].drift, ==, -2);
	g_assert_cmpstr(res.v[SIM_FREEPAGE_COUNT].function, ==, "__free_one_page");
	sim_run_result_release(&res);
}

/*
 * R8 then R2: the same skipped CPU adds Q to its MOVABLE pcplist after both
 * blocks were moved; the next drain flushes Q by its cached type into
 * isolated block 0, where it merges pfns 1-3 off the ISOLATE list (R7):
 * drift -3.
 */
static void test_r8_stray_pcp_page(void)
{
	g_autoptr(SimScenario) sc = load("r02-isolate-vs-pcp-drain.yaml");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_run_result res = { 0 };

	run_replay(w, "1x2.0x14.1.1!.0x5.1!.1", &res);
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_cmpint(res.v[SIM_FREEPAGE_COUNT].drift, ==, -3);
	g_assert_cmpstr(res.v[SIM_CROSS_MERGE].chain, ==,
			"drain_local_pages > free_pcppages_bulk > __free_one_page");
	sim_run_result_release(&res);
}

/*
 * R6: blocks are isolated one at a time and merging is unrestricted. Block 0
 * is marked, drained and moved (its order-2 chunk on the ISOLATE list);
 * block 1 is not marked yet, so CPU1 frees P there to a MOVABLE list,
 * reading the type correctly, and the merge absorbs block 0's chunk.
 */
static void test_r6_merge_across_blocks(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n"
		"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, "
		"batch: 2}}\n"
		"layout: {free: [{pfn: 0, order: 2}, {pfn: 6, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 4, order: 1, name: P}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_run_result res = { 0 };

	run_replay(w, "0x7.1x3", &res);
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_cmpint(res.v[SIM_CROSS_MERGE].drift, ==, -4);
	g_assert_cmpstr(res.v[SIM_CROSS_MERGE].chain, ==,
			"free_pages > __free_pages_ok > free_one_page > __free_one_page");
	sim_run_result_release(&res);
}

/*
 * R13 in a new form: isolator B marks block 0 (already isolated by A), A
 * undoes it, and B's move, after its drain, puts the block's free pages on
 * the ISOLATE list of a MOVABLE block. In v3.16 mark and move are one
 * critical section and the overlap only double-counts (R5).
 */
static void test_r13_overlap_strands(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n"
		"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, "
		"batch: 2}}\n"
		"layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 4}}]},\n"
		"       {script: [{start_isolate_page_range: {start: 0, end: 4}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_run_result res = { 0 };

	run_replay(w, "0x8.1!.1x2.0x5.1x6.1!.0.0!.1", &res);
	g_assert_true(res.broken & SIM_F(SIM_STRANDED));
	g_assert_cmpuint(res.v[SIM_STRANDED].step, ==, 26);
	sim_run_result_release(&res);
}

/*
 * R12 (an allocation splits a chunk spanning both blocks between the two
 * unsets). Also a regression test of the explorer: the split must run while
 * CPU1 has not yet taken the flush IPI that start_isolate_page_range() sent
 * it, so DPOR has to race the IPI against the start of CPU1's IRQs-off
 * allocation, not its end (sim/explore/explore.c, "co-enabled"). DPOR finds
 * what plain DFS finds.
 */
static void test_r12_found_by_dpor(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n"
		"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, "
		"batch: 2}}\n"
		"layout: {free: [{pfn: 0, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{alloc_pages: {order: 2, as: A}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, VARIANT);
	struct sim_explore_opts o = { .max_preemptions = -1,
				      .all = true,
				      .max_steps = 10000,
				      .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS };
	struct sim_explore_result dfs, dpor;

	g_assert_true(sim_explore(w, &o, &dfs, NULL));
	o.dpor = true;
	g_assert_true(sim_explore(w, &o, &dpor, NULL));
	g_assert_true(dfs.complete && dpor.complete);
	g_assert_true(dfs.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmphex(dpor.broken, ==, dfs.broken);
	g_assert_cmpint(dpor.first[SIM_FREEPAGE_COUNT].v.drift, ==, 4);
	sim_explore_result_clear(&dfs);
	sim_explore_result_clear(&dpor);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/isolating-2014/free/goes-to-isolate-pcplist",
			test_free_goes_to_isolate_pcplist);
	g_test_add_func("/isolating-2014/flush/before-test-merges-on-isolate-list",
			test_flush_before_test_merges_on_isolate_list);
	g_test_add_func("/isolating-2014/flush/undo-to-restored-type",
			test_undo_flushes_to_restored_type);
	g_test_add_func("/isolating-2014/flush/pfn-range", test_flush_takes_pfn_range);
	g_test_add_func("/isolating-2014/isolate/drain-misplaces-then-move-fixes",
			test_drain_misplaces_then_move_fixes);
	g_test_add_func("/isolating-2014/closed/r9-free-between-mark-and-move",
			test_r9_free_between_mark_and_move);
	g_test_add_func("/isolating-2014/closed/r3-stale-isolate-read-vs-undo",
			test_r3_stale_isolate_read_vs_undo);
	g_test_add_func("/isolating-2014/open/r4-through-skipped-drain",
			test_r4_through_skipped_drain);
	g_test_add_func("/isolating-2014/open/r8-stray-pcp-page", test_r8_stray_pcp_page);
	g_test_add_func("/isolating-2014/open/r6-merge-across-blocks", test_r6_merge_across_blocks);
	g_test_add_func("/isolating-2014/open/r12-found-by-dpor", test_r12_found_by_dpor);
	g_test_add_func("/isolating-2014/open/r13-overlap-strands", test_r13_overlap_strands);
	return g_test_run();
}
