// SPDX-License-Identifier: GPL-2.0
/*
 * vbabka-2014: Vlastimil Babka's July 2014 proposal as the model has it
 * (sim/variants/vbabka_2014.c, docs/variants/vbabka-2014.md). What tells it
 * apart from v3.16: pages on ISOLATE lists are counted; the isolation user
 * subtracts X at isolation, N - X when the test passes, and adds back what
 * it still has subtracted at undo; the pcplists are drained between marking
 * a block and moving its pages; the free paths read the migratetype with
 * IRQs off. And what the model finds of it: R9 is harmless to
 * NR_FREE_PAGES but not to NR_FREE_CMA_PAGES, the skip-empty drain leaves
 * R3/R4, and a cross-block merge lets the test pass a misplaced max-order
 * chunk (Vlastimil's cascade).
 */
#include "explore/explore.h"
#include "mm/entry.h"
#include "sim-test.h"
#include "variants/variant.h"

#define V "vbabka-2014"
#define ZONE16_1CPU \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, batch: 2}}\n"
#define ZONE16_2CPU \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, batch: 2}}\n"
#define ZONE16_CMA                                                                                 \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2, pcp: {high: 6, batch: 2},\n" \
	"       cma: [{start: 0, end: 8}]}\n"

/* Pages still subtracted by the isolation users (zone->isolate_acct). */
static long debited(SimWorld *w)
{
	long sum = 0;

	for (int i = 0; i < SIM_NR_ISOLATE_ACCT; i++) {
		if (w->zone->isolate_acct[i].state != ISOLATE_ACCT_UNUSED)
			sum += w->zone->isolate_acct[i].nr_debited;
	}
	return sum;
}

/* Calls of a script entry point that returned 0. */
static uint32_t entry_ok(SimWorld *w, const char *name)
{
	return w->st->entry_ok[sim_entry_index(sim_entry_lookup(name))];
}

static long cma_drift(SimWorld *w)
{
	return zone_page_state(w->zone, NR_FREE_CMA_PAGES) - sim_world_truth_cma(w);
}

static void run(SimWorld *w, const char *schedule, struct sim_run_result *res)
{
	sim_test_run(w, schedule ? SIM_STRATEGY_REPLAY : SIM_STRATEGY_RR, 1, schedule, res);
}

static void explore_all(const char *yaml, const char *variant, struct sim_explore_result *r)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, variant);
	g_autoptr(GError) error = NULL;
	struct sim_explore_opts o = { .max_preemptions = -1,
				      .dpor = true,
				      .all = true,
				      .max_steps = 10000,
				      .check = sc->check | SIM_FINDINGS_ALWAYS };

	g_assert_true(sim_explore(w, &o, r, &error));
	g_assert_no_error(error);
	g_assert_true(r->complete);
}

/* ---------------------------------------------------------------------- */
/* The accounting: X, N - X, undo                                          */
/* ---------------------------------------------------------------------- */

/*
 * One pageblock of 8 pages, the largest chunk (so that un-isolation moves
 * no chunk out of a block that is still isolated: v3.16's plain move, kept
 * here, misplaces it for a moment, see /buddy/ and R12). P (pfns 0-1) is
 * allocated, the rest free: X = 6, N = 8. P is freed while isolated.
 */
static char *acct_scenario(const char *more)
{
	return g_strdup_printf(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 3, cpus: 1,\n"
		"       pcp: {high: 6, batch: 2}}\n"
		"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {free_pages: {page: P}}%s]}]\n",
		more);
}

/* A page freed into an isolated block is counted on the ISOLATE list: drift tolerated. */
static void test_isolate_list_counted(void)
{
	g_autofree char *yaml = acct_scenario("");
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };
	int mt;

	g_assert_true(w->isolate_counted);
	run(w, NULL, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->zone->isolate_acct[0].nr_moved, ==, 6);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 14 - 6 + 2);
	g_assert_cmpint(sim_world_drift(w), ==, +2); /* P counted, not yet subtracted */
	g_assert_cmpint(w->st->acct_deferred, ==, 1);
	g_assert_cmpuint(res.broken, ==, 0); /* tolerated until the test or undo */
	sim_run_result_release(&res);
}

/* "If test_pages_isolated() checks pass, subtract (N - X)": the counter is exact again. */
static void test_test_subtracts_n_minus_x(void)
{
	g_autofree char *yaml = acct_scenario(", {test_pages_isolated: {start: 0, end: 8}}");
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, NULL, &res);
	g_assert_cmpuint(entry_ok(w, "test_pages_isolated"), ==, 1);
	g_assert_cmpint(w->zone->isolate_acct[0].state, ==, ISOLATE_ACCT_SETTLED);
	g_assert_cmpint(w->zone->isolate_acct[0].nr_debited, ==, 8);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(w->st->acct_deferred, ==, 0);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/* Undo adds back the remembered X (or N after a test), not what the move counts. */
static void test_undo_adds_remembered(gconstpointer data)
{
	g_autofree char *yaml = acct_scenario(data);
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };
	int mt;

	run(w, NULL, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(w->zone->isolate_acct[0].state, ==, ISOLATE_ACCT_UNUSED);
	g_assert_cmpint(w->st->acct_deferred, ==, 0);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/*
 * Isolating a range twice: each isolation remembers its own X and gives it
 * back, so the second move's count (R5) cancels out; v3.16 keeps the
 * double subtraction.
 */
static void test_double_isolation_balances(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU "layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };
	bool vb = g_str_equal(data, V);

	run(w, NULL, &res);
	g_assert_cmpint(sim_world_drift(w), ==, vb ? 0 : -4);
	g_assert_cmpuint(res.broken, ==, vb ? 0 : SIM_F(SIM_FREEPAGE_COUNT));
	sim_run_result_release(&res);
}

/* Guard pages are counted into ISOLATE lists like everything else (R1 has nothing to break). */
static void test_guard_merge_counted(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 1, batch: 1}, debug_guardpage_minorder: 1}\n"
		"layout: {free: [{pfn: 0, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{alloc_pages: {order: 0, as: A}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {free_pages: {page: A}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };
	int mt;

	run(w, NULL, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 1);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->st->shadow.guard_pages, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 14);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* Mark, drain, move                                                       */
/* ---------------------------------------------------------------------- */

/*
 * A page on this CPU's pcplist when its block is isolated (R2 in v3.16) is
 * flushed by the drain before the move, to the MOVABLE list, and the move
 * takes it to the ISOLATE list with the rest: "allow a misplacement to
 * happen ... immediately followed by move_frepages_block".
 */
static void test_drain_before_move(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}, {pfn: 4, order: 2}]}\n"
		"cpus: [{script: [{free_pages: {page: Q}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };
	int mt;

	run(w, NULL, &res);
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 2);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->zone->isolate_acct[0].nr_moved, ==, 4);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/*
 * The drain waits for a free that read the migratetype with IRQs off when
 * it IPIs that CPU: CPU1 has a page (R) on its pcplist, so it is IPIed, and
 * Q lands before the move in every interleaving. R9's merge remains
 * (harmless here), and so does v3.16's isolation test, which passes a page
 * in the middle of its free (refcount 0, cached ISOLATE: the branch v4.3
 * removed): the test then settles N - X one page early (drift -1 at the
 * test, found once the model recorded the lock-free page writes).
 * v3.16, which drains after the move, misplaces Q.
 */
static const char *const drain_reaches =
	"name: t\n" ZONE16_2CPU
	"layout: {free: [{pfn: 1}, {pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 2},\n"
	"                {pfn: 13}, {pfn: 14, order: 1}],\n"
	"         allocated: [{pfn: 0, name: Q}, {pfn: 12, name: R}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
	"                 {test_pages_isolated: {start: 0, end: 8}}]},\n"
	"       {script: [{free_pages: {page: R}}, {free_pages: {page: Q}}]}]\n";

static void test_drain_reaches_irq_off_free(void)
{
	struct sim_explore_result r;

	explore_all(drain_reaches, V, &r);
	g_assert_cmphex(r.broken, ==, SIM_F(SIM_CROSS_MERGE) | SIM_F(SIM_FREEPAGE_COUNT));
	sim_explore_result_clear(&r);
	explore_all(drain_reaches, "v3.16", &r);
	g_assert_true(r.broken & SIM_F(SIM_ISOLATION));
	g_assert_true(r.broken & SIM_F(SIM_FREEPAGE_COUNT));
	sim_explore_result_clear(&r);
}

/*
 * Without R, CPU1's pcplist is empty and drain_all_pages() does not IPI
 * it (the v3.16 skip-empty mask): a free that read MOVABLE before the mark
 * lands after the move, on a MOVABLE list of the isolated block (R4/R8).
 */
static void test_drain_skips_empty_cpu(void)
{
	struct sim_explore_result r;

	explore_all("name: t\n" ZONE16_2CPU
		    "layout: {free: [{pfn: 1}, {pfn: 2, order: 1}, {pfn: 4, order: 2},\n"
		    "                {pfn: 8, order: 3}],\n"
		    "         allocated: [{pfn: 0, name: Q}]}\n"
		    "cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		    "                 {test_pages_isolated: {start: 0, end: 8}}]},\n"
		    "       {script: [{free_pages: {page: Q}}]}]\n",
		    V, &r);
	g_assert_true(r.broken & SIM_F(SIM_ISOLATION));
	/*
	 * And the test passing while Q is in the middle of its free (v3.16
	 * accepts a refcount-0 page cached ISOLATE): N - X subtracts Q before
	 * it is counted, one page short until it lands.
	 */
	g_assert_true(r.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpint(r.first[SIM_FREEPAGE_COUNT].v.drift, ==, -1);
	sim_explore_result_clear(&r);
}

/* ---------------------------------------------------------------------- */
/* The races of the thread                                                 */
/* ---------------------------------------------------------------------- */

/*
 * R9, Joonsoo Kim's counterexample: CPU0 marks block 0 and drops the lock
 * (steps 1-3); CPU1 frees Q with MIGRATE_ISOLATE, which merges with the
 * MOVABLE pages of blocks 0 and 1 onto the ISOLATE list (4-7). Counted, so
 * the move's X (8) is exactly what is subtracted.
 */
static void test_r9_counted(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_2CPU
		"layout: {free: [{pfn: 1}, {pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{free_pages: {page: Q}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };
	int mt;

	run(w, "0x3.1x4", &res);
	g_assert_cmpuint(res.broken, ==, SIM_F(SIM_CROSS_MERGE));
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_ISOLATE);
	g_assert_cmpint(w->zone->isolate_acct[0].nr_moved, ==, 8);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	sim_run_result_release(&res);
}

/*
 * R9 in a CMA range: P (block 0, after its move) is freed with ISOLATE
 * during block 1's drain and merges block 1's CMA chunk onto the ISOLATE
 * list; block 1's move finds no head and subtracts nothing. The test's
 * N - X repairs NR_FREE_PAGES; nothing repairs NR_FREE_CMA_PAGES, which
 * keeps the 4 pages alloc_contig_range() took.
 */
static const char *const cma_contig =
	"name: t\n" ZONE16_CMA
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
	"cpus: [{script: [{alloc_contig_range: {start: 0, end: 8, migratetype: CMA, as: C}}]},\n"
	"       {script: [{free_pages: {page: P}}]}]\n";

static void test_r9_cma_counter(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(cma_contig);
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, "0x13.1x3.0x9", &res);
	g_assert_cmpuint(entry_ok(w, "alloc_contig_range"), ==, 1);
	g_assert_true(res.broken & SIM_F(SIM_CMA_COUNT));
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_false(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(cma_drift(w), ==, +4);
	sim_run_result_release(&res);
}

/*
 * No race needed: a page freed into an isolated CMA block is counted keyed
 * on MIGRATE_ISOLATE (the block's CMA type is overwritten), and undo adds
 * the remembered X, so NR_FREE_CMA_PAGES misses it for good.
 */
static void test_cma_undo_misses_freed_pages(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 6, batch: 2}, cma: [{start: 0, end: 8}]}\n"
		"layout: {free: [{pfn: 2, order: 1}, {pfn: 5}, {pfn: 6, order: 1},\n"
		"                {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8, migratetype: CMA}},\n"
		"                 {free_pages: {page: P}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8, migratetype: CMA}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, NULL, &res);
	g_assert_cmpuint(res.broken, ==, SIM_F(SIM_CMA_COUNT));
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(cma_drift(w), ==, -2);
	sim_run_result_release(&res);
}

/*
 * R3 through the skip-empty drain of un-isolation: CPU1 reads ISOLATE with
 * IRQs off (steps 18-19), CPU0's drain sees its pcplist empty and moves the
 * block back; P then lands on the ISOLATE list of a MOVABLE block, merged
 * with 2-3: 4 pages counted that nobody can allocate (+4, permanent).
 */
static void test_r3_stranded_counted(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_2CPU
		"layout: {free: [{pfn: 2, order: 1}, {pfn: 5}, {pfn: 6, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, "0x17.1x2.0x14.1", &res);
	g_assert_true(res.broken & SIM_F(SIM_STRANDED));
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpint(sim_world_drift(w), ==, +4);
	sim_run_result_release(&res);
}

/*
 * Vlastimil Babka's cascade ("the very last freed page in the MAX_ORDER
 * block was misplaced ... single page at MAX_ORDER size becoming
 * misplaced") without any stale read: block 0 is moved, P completes block 1
 * before block 1 is marked and merges block 0's ISOLATE pages onto a
 * MOVABLE list (R6). The chunk's head keeps its cached ISOLATE, so the test
 * passes it and subtracts N - X: NR_FREE_PAGES is a whole max-order block
 * short where the design says "the accounting matches reality" (step 21).
 */
static void test_cascade_passes_test(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_2CPU "layout: {free: [{pfn: 0, order: 2}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 4, order: 2, name: P}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {test_pages_isolated: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, "0x8.1x3.0x10", &res);
	g_assert_true(res.broken & SIM_F(SIM_ISOLATION));
	g_assert_true(res.broken & SIM_F(SIM_CROSS_MERGE));
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpuint(res.v[SIM_FREEPAGE_COUNT].step, ==, 21);
	g_assert_cmpint(res.v[SIM_FREEPAGE_COUNT].drift, ==, -8);
	g_assert_cmpint(sim_world_drift(w), ==, 0); /* undo gives it all back */
	sim_run_result_release(&res);
}

/*
 * Neither one max-order block nor transient: the isolator handles two
 * max-order ranges one after the other; a free that read ISOLATE strands
 * each (R3 through the skip-empty drain of un-isolation), each merging a
 * whole block onto its ISOLATE list. 16 pages counted that nobody can
 * allocate, after both undos.
 */
static void test_strands_accumulate(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 32, max_order: 4, pageblock_order: 2, cpus: 2,\n"
		"       pcp: {high: 6, batch: 2}}\n"
		"layout: {free: [{pfn: 1}, {pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 9},\n"
		"                {pfn: 10, order: 1}, {pfn: 12, order: 2}, {pfn: 16, order: 3},\n"
		"                {pfn: 24, order: 3}],\n"
		"         allocated: [{pfn: 0, name: P}, {pfn: 8, name: R}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {start_isolate_page_range: {start: 8, end: 16}},\n"
		"                 {undo_isolate_page_range: {start: 8, end: 16}}]},\n"
		"       {script: [{free_pages: {page: P}}, {free_pages: {page: R}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, "0x17.1x2.0x31.1x4.0x14.1x2", &res);
	g_assert_true(res.broken & SIM_F(SIM_STRANDED));
	g_assert_true(res.broken & SIM_F(SIM_FREEPAGE_COUNT));
	g_assert_cmpint(w->st->shadow.stranded, ==, 16);
	g_assert_cmpint(sim_world_drift(w), ==, +16);
	g_assert_cmpint(w->st->acct_deferred, ==, 0);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* The users taking their pages                                           */
/* ---------------------------------------------------------------------- */

/* Pages alloc_contig_range() and offline_pages() take leave the debit: exact at the end. */
static void test_take_exact(gconstpointer data)
{
	g_autofree char *yaml = g_strdup_printf(
		"name: t\n" ZONE16_1CPU
		"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 2}],\n"
		"         allocated: [{pfn: 0, order: 1, name: P}, {pfn: 12, order: 2}]}\n"
		"cpus: [{script: [{%s: {start: 0, end: 8}}]}]\n",
		(const char *)data);
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct sim_run_result res = { 0 };

	run(w, NULL, &res);
	g_assert_cmpuint(w->st->entry_ok[sim_entry_index(sim_entry_lookup(data))], ==, 1);
	g_assert_cmpint(debited(w), ==, 0);
	g_assert_cmpint(w->st->acct_deferred, ==, 0);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpuint(res.broken, ==, 0);
	sim_run_result_release(&res);
}

/* ---------------------------------------------------------------------- */
/* The design's own bookkeeping is closed                                  */
/* ---------------------------------------------------------------------- */

struct ledger_check {
	SimWorld *w;
	long checked, bad;
};

static void ledger_observe(void *data, const struct sim_step_view *v)
{
	struct ledger_check *c = data;

	if (!v->settled)
		return;
	c->checked++;
	if (v->nr_free_pages != c->w->st->shadow.free_total - debited(c->w))
		c->bad++;
}

/*
 * kernel-model.md I1 for this design: NR_FREE_PAGES == COUNTED +
 * Lfree(ISOLATE) - the isolation users' debits, at every settled step of
 * many random runs. It holds by construction (every list operation counts,
 * only the users subtract); what it checks is that no path (take, offline,
 * guard pages, undo) leaves the ledger open.
 */
static void test_ledger_closed(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(data);
	g_autoptr(SimWorld) w = sim_test_world(sc, V);
	struct ledger_check c = { .w = w };

	for (uint64_t seed = 1; seed <= 300; seed++) {
		g_autoptr(GError) error = NULL;
		struct sim_run_opts o = { .strategy = SIM_STRATEGY_RANDOM,
					  .seed = seed,
					  .max_steps = 100000,
					  .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS,
					  .observe = ledger_observe,
					  .observe_data = &c };
		struct sim_run_result res = { 0 };

		g_assert_true(sim_run(w, &o, &res, &error));
		g_assert_no_error(error);
		sim_run_result_release(&res);
	}
	g_assert_cmpint(c.checked, >, 1000);
	g_assert_cmpint(c.bad, ==, 0);
}

static const char *const ledger_offline =
	"name: t\n" ZONE16_2CPU
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 2}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}, {pfn: 12, order: 2, name: R}]}\n"
	"cpus: [{script: [{offline_pages: {start: 0, end: 8}}]},\n"
	"       {script: [{free_pages: {page: R}}, {alloc_pages: {as: A}}, {free_pages: {page: A}}]}]\n";

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/vbabka-2014/accounting/isolate-list-counted", test_isolate_list_counted);
	g_test_add_func("/vbabka-2014/accounting/test-subtracts-n-minus-x",
			test_test_subtracts_n_minus_x);
	g_test_add_data_func("/vbabka-2014/accounting/undo-adds-remembered/untested",
			     ", {undo_isolate_page_range: {start: 0, end: 8}}",
			     test_undo_adds_remembered);
	g_test_add_data_func("/vbabka-2014/accounting/undo-adds-remembered/tested",
			     ", {test_pages_isolated: {start: 0, end: 8}},"
			     " {undo_isolate_page_range: {start: 0, end: 8}}",
			     test_undo_adds_remembered);
	g_test_add_data_func("/vbabka-2014/accounting/double-isolation/vbabka-2014", V,
			     test_double_isolation_balances);
	g_test_add_data_func("/vbabka-2014/accounting/double-isolation/v3.16", "v3.16",
			     test_double_isolation_balances);
	g_test_add_func("/vbabka-2014/accounting/guard-merge-counted", test_guard_merge_counted);
	g_test_add_func("/vbabka-2014/drain/before-move", test_drain_before_move);
	g_test_add_func("/vbabka-2014/drain/reaches-irq-off-free", test_drain_reaches_irq_off_free);
	g_test_add_func("/vbabka-2014/drain/skips-empty-cpu", test_drain_skips_empty_cpu);
	g_test_add_func("/vbabka-2014/r9/counted", test_r9_counted);
	g_test_add_func("/vbabka-2014/r9/cma-counter", test_r9_cma_counter);
	g_test_add_func("/vbabka-2014/cma/undo-misses-freed-pages",
			test_cma_undo_misses_freed_pages);
	g_test_add_func("/vbabka-2014/r3/stranded-counted", test_r3_stranded_counted);
	g_test_add_func("/vbabka-2014/r7/cascade-passes-test", test_cascade_passes_test);
	g_test_add_func("/vbabka-2014/r7/strands-accumulate", test_strands_accumulate);
	g_test_add_data_func("/vbabka-2014/take/alloc-contig-range", "alloc_contig_range",
			     test_take_exact);
	g_test_add_data_func("/vbabka-2014/take/offline-pages", "offline_pages", test_take_exact);
	g_test_add_data_func("/vbabka-2014/ledger/cma-contig", cma_contig, test_ledger_closed);
	g_test_add_data_func("/vbabka-2014/ledger/drain-reaches", drain_reaches,
			     test_ledger_closed);
	g_test_add_data_func("/vbabka-2014/ledger/offline", ledger_offline, test_ledger_closed);
	return g_test_run();
}
