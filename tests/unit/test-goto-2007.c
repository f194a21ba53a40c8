// SPDX-License-Identifier: GPL-2.0
/*
 * The goto-2007 variant (Goto/KAMEZAWA, "[RFC] memory hotremove patch take 2",
 * 2007-05): what tells it apart from the v3.16 baseline it is transplanted
 * onto. Freed pages of a registered range are captured in __free_one_page()
 * (Reserved + Private, order 0, off the buddy lists, uncounted) instead of
 * going to an ISOLATE list; registration is MAX_ORDER aligned and refuses
 * overlaps; the capture drain interrupts every CPU; undo gives the pages back
 * through the ordinary free path; offline_pages() never drains again.
 */
#include "mm/entry.h"
#include "sim-test.h"
#include "variants/variant.h"

#define ZONE16_1CPU \
	"zone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1, pcp: {high: 6, batch: 2}}\n"

/* P (pfns 0-1) allocated; 2-3, 4-7 and 8-15 free. */
#define LAYOUT_P                                                                         \
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 4, order: 2}, {pfn: 8, order: 3}],\n" \
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n"

static void run_rr(SimWorld *w, struct sim_run_result *res)
{
	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, res);
}

/* The calls of a script entry that returned 0. */
static uint32_t entry_ok(SimWorld *w, const char *name)
{
	return w->st->entry_ok[sim_entry_index(sim_entry_lookup(name))];
}

static bool captured(SimWorld *w, unsigned long pfn)
{
	struct page *page = pfn_to_page(w, pfn);

	return PageReserved(page) && PagePrivate(page) && !PageBuddy(page) &&
	       page->where == SIM_WHERE_HELD;
}

/*
 * [04/10]: capture_isolate_freed_pages() takes every free chunk of the range
 * off free_area[] and out of NR_FREE_PAGES, split into order-0 pages on the
 * info (the held list); no pageblock changes type (2007 had no
 * MIGRATE_ISOLATE), unlike v3.16, which moves them to ISOLATE lists.
 */
static void test_scan_captures_free_chunks(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 14);
	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "start_isolate_page_range"), ==, 1);
	for (unsigned long pfn = 2; pfn < 8; pfn++)
		g_assert_true(captured(w, pfn));
	g_assert_false(captured(w, 0));
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 6);
	g_assert_cmpint(sim_test_free_order(w, 8, NULL), ==, 3);
	for (unsigned long b = 0; b < w->nr_blocks; b++)
		g_assert_cmpint(w->pageblock_flags[b], ==, MIGRATE_MOVABLE);
	g_assert_cmpint(w->zone->isolation_list_len, ==, 1);
	sim_run_result_release(&res);
}

/* The scan keeps v3.16's NR_FREE_CMA_PAGES in step for chunks of CMA blocks. */
static void test_scan_uncounts_cma(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       cma: [{start: 8, end: 16}]}\n"
		"layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{start_isolate_page_range: {start: 8, end: 16}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_CMA_PAGES), ==, 0);
	sim_run_result_release(&res);
}

/*
 * [02/10]: a page freed into a registered range is captured before
 * __free_one_page() counts or merges it: P stays two order-0 pages, next to
 * its captured buddies, and NR_FREE_PAGES does not move. v3.16 merges it on
 * the ISOLATE list up to order 3 (test-buddy's merge tests).
 */
static void test_free_into_range_is_captured(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	for (unsigned long pfn = 0; pfn < 8; pfn++) {
		g_assert_true(captured(w, pfn));
		g_assert_cmpint(page_private(pfn_to_page(w, pfn)), ==, 0); /* order 0 */
	}
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 8);
	sim_run_result_release(&res);
}

/*
 * Race R2's setup without a second CPU: Q is on this CPU's pcplist, cached
 * MOVABLE, when the range is registered. The capture's drain flushes it and
 * __free_one_page() captures it whatever its cached type: nothing reaches a
 * MOVABLE list, nothing is miscounted (v3.16: drift -4, test-buddy).
 */
static void test_pcp_page_captured_at_flush(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [{free_pages: {page: Q}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_true(captured(w, 0));
	g_assert_cmpint(w->pageset[0].count, ==, 0);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/* register_isolation(): "target range has to match MAX_ORDER alignmet" (-EINVAL). */
static void test_register_needs_max_order_alignment(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 4}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "start_isolate_page_range"), ==, 0);
	g_assert_cmpint(w->zone->isolation_list_len, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 14);
	sim_run_result_release(&res);
}

/*
 * "we don't allow overlap among isolation areas" (-EBUSY): a second
 * registration of the range fails and changes nothing, where v3.16 isolates
 * twice and subtracts the free pages twice (R5/R13, test-buddy).
 */
static void test_overlap_refused(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {start_isolate_page_range: {start: 0, end: 16}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "start_isolate_page_range"), ==, 1);
	g_assert_cmpint(w->zone->isolation_list_len, ==, 1);
	g_assert_cmpint(sim_world_drift(w), ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 8);
	sim_run_result_release(&res);
}

/*
 * Undo: detach, then free_all_isolated_pages() gives each page back through
 * __free_page(): the pcplist first, counted when flushed, merging rebuilt
 * page by page. After a drain the range is one order-3 chunk again.
 */
static void test_undo_gives_back_through_pcp(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {free_pages: {page: P}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}},\n"
		"                 drain_local_pages]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };
	int mt;

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(w->zone->isolation_list_len, ==, 0);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 0);
	for (unsigned long pfn = 0; pfn < 8; pfn++)
		g_assert_false(PageReserved(pfn_to_page(w, pfn)) ||
			       PagePrivate(pfn_to_page(w, pfn)));
	g_assert_cmpint(sim_test_free_order(w, 0, &mt), ==, 3);
	g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	sim_run_result_release(&res);
}

/* After undo the range is not registered: a page freed into it is not captured. */
static void test_free_after_undo_not_captured(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
		"                 {undo_isolate_page_range: {start: 0, end: 8}},\n"
		"                 drain_local_pages, {free_pages: {page: P}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_false(captured(w, 0));
	g_assert_cmpint(sim_test_free_order(w, 0, NULL), ==, 3);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 16);
	sim_run_result_release(&res);
}

/*
 * The undo of a range another CPU registered is not this caller's: the
 * kernel's caller holds its info pointer, so it cannot undo someone else's
 * isolation (race R13 of the pageblock designs).
 */
static void test_undo_only_own_registration(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n" LAYOUT_P
		"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}}]},\n"
		"       {script: [{undo_isolate_page_range: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "0x3.1!", &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpint(w->zone->isolation_list_len, ==, 1);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 6);
	sim_run_result_release(&res);
}

/*
 * [03/10]: drain_all_pages() is schedule_on_each_cpu(): CPU 1, whose
 * pcplists are empty, is interrupted too (the schedule's "1!" would not be
 * enabled on v3.16, whose drain skips CPUs that look empty).
 */
static void test_drain_interrupts_every_cpu(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
		"layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [drain_all_pages]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "0.0.1!.0", &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(res.steps, ==, 4);
	sim_run_result_release(&res);
}

/*
 * [05/10]'s offline_pages() never drains the pcplists again: the page it
 * migrated away waits on this CPU's pcplist (high 6), the loop finds it
 * neither Reserved nor captured forever, and gives up (-EAGAIN, its
 * timeout): "cause of eternal loop in offline_pages()" (cover letter). The
 * captured pages go back. v3.16's offline_pages() drains and succeeds.
 */
static const char *const offline_migrate =
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
	"       pcp: {high: %d, batch: %d}}\n"
	"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 4, order: 2},\n"
	"                {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, name: M, migratetype: MOVABLE}]}\n"
	"cpus: [{script: [{offline_pages: {start: 0, end: 8}}]}]\n";

static void test_offline_loops_on_pcp_page(void)
{
	g_autofree char *yaml = g_strdup_printf(offline_migrate, 6, 2);
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	g_autoptr(SimWorld) base = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "offline_pages"), ==, 0);
	g_assert_cmpint(w->st->shadow.offline_pages, ==, 0);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 0);
	g_assert_cmpint(w->zone->isolation_list_len, ==, 0);
	sim_run_result_release(&res);

	run_rr(base, &res);
	g_assert_cmpuint(entry_ok(base, "offline_pages"), ==, 1);
	sim_run_result_release(&res);
}

/* With pcplists that flush at once (high 1), the migrated page is captured: offlined. */
static void test_offline_succeeds_when_flushed(void)
{
	g_autofree char *yaml = g_strdup_printf(offline_migrate, 1, 1);
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "offline_pages"), ==, 1);
	g_assert_cmpint(w->st->shadow.offline_pages, ==, 8);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 0);
	for (unsigned long pfn = 0; pfn < 8; pfn++) {
		g_assert_true(PageReserved(pfn_to_page(w, pfn)));
		g_assert_false(PagePrivate(pfn_to_page(w, pfn)));
	}
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, 7);
	sim_run_result_release(&res);
}

/*
 * alloc_contig_range() (not in the record): the captured pages of [start,
 * end) become the caller's, the rest of the MAX_ORDER-aligned range goes
 * back; free_pages gives the allocation back.
 */
static void test_alloc_contig_takes_captured(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\n" ZONE16_1CPU "layout: {free: [{pfn: 0, order: 3}, {pfn: 8, order: 3}]}\n"
		"cpus: [{script: [{alloc_contig_range: {start: 0, end: 4, as: C}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	struct sim_run_result res = { 0 };

	run_rr(w, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "alloc_contig_range"), ==, 1);
	for (unsigned long pfn = 0; pfn < 4; pfn++)
		g_assert_cmpint(page_count(pfn_to_page(w, pfn)), ==, 1);
	g_assert_cmpint(w->st->shadow.alloc_pages, ==, 4);
	g_assert_cmpint(w->st->shadow.held_pages, ==, 0);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES) + w->st->shadow.pcp_pages, ==, 12);
	sim_run_result_release(&res);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/goto-2007/capture/scan-takes-free-chunks",
			test_scan_captures_free_chunks);
	g_test_add_func("/goto-2007/capture/scan-uncounts-cma", test_scan_uncounts_cma);
	g_test_add_func("/goto-2007/capture/free-into-range", test_free_into_range_is_captured);
	g_test_add_func("/goto-2007/capture/pcp-page-at-flush", test_pcp_page_captured_at_flush);
	g_test_add_func("/goto-2007/register/max-order-alignment",
			test_register_needs_max_order_alignment);
	g_test_add_func("/goto-2007/register/overlap-refused", test_overlap_refused);
	g_test_add_func("/goto-2007/undo/gives-back-through-pcp", test_undo_gives_back_through_pcp);
	g_test_add_func("/goto-2007/undo/free-after-not-captured",
			test_free_after_undo_not_captured);
	g_test_add_func("/goto-2007/undo/only-own-registration", test_undo_only_own_registration);
	g_test_add_func("/goto-2007/drain/every-cpu", test_drain_interrupts_every_cpu);
	g_test_add_func("/goto-2007/offline/loops-on-pcp-page", test_offline_loops_on_pcp_page);
	g_test_add_func("/goto-2007/offline/succeeds-when-flushed",
			test_offline_succeeds_when_flushed);
	g_test_add_func("/goto-2007/alloc-contig/takes-captured", test_alloc_contig_takes_captured);
	return g_test_run();
}
