// SPDX-License-Identifier: GPL-2.0
/*
 * Memory hot-remove and hot-add (mm/memory_hotplug.c): online_pages() gives
 * an offlined range back in the era's way (v3.16: page by page through the
 * pcplists; v5.10+: MAX_ORDER-1 chunks into isolated blocks, un-isolated
 * after), refuses a range that is not offline, the `offline` workload
 * offlines and onlines its block `count` times, and offline_pages() counts
 * the rounds it goes again.
 */
#include "mm/entry.h"
#include "sim-test.h"
#include "workload/workload.h"

/* A quiet zone: offline the second half's first 64 pages, online them again. */
static const char *const offline_online =
	"name: t\nzone: {pages: 256, max_order: 5, pageblock_order: 4, cpus: 1,\n"
	"       pcp: {high: 12, batch: 4}}\n"
	"layout: {free: [{start: 0, end: 256}]}\n"
	"cpus: [{script: [{offline_pages: {start: 128, end: 192}},\n"
	"                 {online_pages: {start: 128, end: 192}}]}]\n";

static uint32_t entry_calls(SimWorld *w, const char *name)
{
	return w->st->entry_calls[sim_entry_index(sim_entry_lookup(name))];
}

static uint32_t entry_ok(SimWorld *w, const char *name)
{
	return w->st->entry_ok[sim_entry_index(sim_entry_lookup(name))];
}

static uint32_t entry_retries(SimWorld *w, const char *name)
{
	return w->st->entry_retries[sim_entry_index(sim_entry_lookup(name))];
}

/* Every page of [start, end) is in the zone again, on a MOVABLE block. */
static void sim_check_online(SimWorld *w, unsigned long start, unsigned long end)
{
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page = pfn_to_page(w, pfn);

		g_assert_false(PageReserved(page));
		g_assert_cmpint(get_pageblock_migratetype(w, page), ==, MIGRATE_MOVABLE);
	}
	g_assert_cmpint(w->st->shadow.offline_pages, ==, 0);
	g_assert_cmpint(w->zone->nr_isolate_pageblock, ==, 0);
}

/*
 * Every variant: the range goes and comes back; all 256 pages are free
 * again (on the buddy lists or a pcplist) and NR_FREE_PAGES counts the
 * ones on the lists.
 */
static void test_online_restores(gconstpointer data)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(offline_online);
	g_autoptr(SimWorld) w = sim_test_world(sc, data);
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_ok(w, "offline_pages"), ==, 1);
	g_assert_cmpuint(entry_ok(w, "online_pages"), ==, 1);
	sim_check_online(w, 128, 192);
	g_assert_cmpint(sim_world_truth(w) + w->st->shadow.pcp_pages, ==, 256);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, sim_world_truth(w));
	sim_run_result_release(&res);
}

/*
 * How the pages come back tells the eras apart: v3.16 frees them one by
 * one through this CPU's pcplist (__free_page()); v5.11 and v6.10 free
 * MAX_ORDER-1 chunks straight to the buddy (__free_pages_core()).
 */
static void test_online_paths(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(offline_online);
	g_autoptr(SimWorld) old = sim_test_world(sc, "v3.16");
	g_autoptr(SimWorld) v5_11 = sim_test_world(sc, "v5.11");
	g_autoptr(SimWorld) v6_10 = sim_test_world(sc, "v6.10");
	struct sim_run_result res = { 0 };
	int mt;

	sim_test_run(old, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpint(old->st->shadow.pcp_pages, >, 0);
	sim_run_result_release(&res);
	sim_test_run(v5_11, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpint(v5_11->st->shadow.pcp_pages, ==, 0);
	for (unsigned long pfn = 128; pfn < 192; pfn += 16) {
		g_assert_cmpint(sim_test_free_order(v5_11, pfn, &mt), ==, 4);
		g_assert_cmpint(mt, ==, MIGRATE_MOVABLE);
	}
	sim_run_result_release(&res);
	sim_test_run(v6_10, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpint(v6_10->st->shadow.pcp_pages, ==, 0);
	g_assert_cmpint(sim_test_free_order(v6_10, 128, &mt), ==, 4);
	sim_run_result_release(&res);
}

/* Onlining memory that is online is -EINVAL (the memory block state check), and changes nothing. */
static void test_online_not_offline(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 64, max_order: 5, pageblock_order: 4, cpus: 1}\n"
		"layout: {free: [{start: 0, end: 64}]}\n"
		"cpus: [{script: [{online_pages: {start: 16, end: 32}}]}]\n");

	for (int v = 0; sim_variants[v]; v++) {
		g_autoptr(SimWorld) w = sim_test_world(sc, sim_variants[v]->name);
		struct sim_run_result res = { 0 };

		sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, &res);
		g_assert_cmpuint(res.broken, ==, 0);
		g_assert_cmpuint(entry_calls(w, "online_pages"), ==, 1);
		g_assert_cmpuint(entry_ok(w, "online_pages"), ==, 0);
		g_assert_cmpint(sim_world_truth(w), ==, 64);
		for (unsigned long pfn = 0; pfn < 64; pfn++)
			g_assert_false(PageReserved(pfn_to_page(w, pfn)));
		sim_run_result_release(&res);
	}
}

/*
 * The offline workload: `count` offlines, each followed `hold` idle steps
 * later by an online; nothing held at the end, every page back.
 */
static void test_offline_workload(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 256, max_order: 5, pageblock_order: 4, cpus: 2,\n"
		"       pcp: {high: 12, batch: 4}}\n"
		"layout: {free: [{start: 0, end: 256}]}\n"
		"cpus:\n"
		"  - {workload: {churn: {ops: 2000, occupancy: 60}}}\n"
		"  - {workload: {offline: {start: 192, end: 256, count: 4, interval: 5, hold: 9}}}\n");

	for (int v = 0; sim_variants[v]; v++) {
		g_autoptr(SimWorld) w = sim_test_world(sc, sim_variants[v]->name);
		struct sim_run_result res = { 0 };
		const struct sim_wl_cpu *wl;

		sim_test_run(w, SIM_STRATEGY_RANDOM, 7, NULL, &res);
		wl = sim_workload_cpu(w, 1);
		g_assert_cmpuint(wl->ok + wl->fail, ==, 4);
		g_assert_cmpuint(entry_calls(w, "offline_pages"), ==, 4);
		g_assert_cmpuint(entry_calls(w, "online_pages"), ==, wl->ok);
		g_assert_cmpuint(entry_ok(w, "online_pages"), ==, wl->ok);
		g_assert_cmpuint(wl->n_held, ==, 0);
		g_assert_cmpint(w->st->shadow.offline_pages, ==, 0);
		g_assert_cmpuint(wl->tick, >=, 4 * 5);
		sim_run_result_release(&res);
	}
}

/* Without a hold the block stays offline after the first success: one call. */
static void test_offline_workload_keeps(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 128, max_order: 5, pageblock_order: 4, cpus: 1}\n"
		"layout: {free: [{start: 0, end: 128}]}\n"
		"cpus: [{workload: {offline: {start: 64, end: 128, count: 3}}}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v4.6");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(entry_calls(w, "offline_pages"), ==, 1);
	g_assert_cmpuint(entry_calls(w, "online_pages"), ==, 0);
	g_assert_cmpint(w->st->shadow.offline_pages, ==, 64);
	g_assert_cmpint(sim_world_truth(w), ==, 64);
	sim_run_result_release(&res);
}

/*
 * Retries are counted under offline_pages: goto-2007's offline migrates a
 * page away, the old page waits on the pcplist, and every pass finds it
 * again until the loop's bound (the cover letter's eternal loop); v3.16
 * drains and needs no second pass.
 */
static void test_offline_retries(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 1,\n"
		"       pcp: {high: 6, batch: 2}}\n"
		"layout: {free: [{pfn: 1, order: 0}, {pfn: 2, order: 1}, {pfn: 4, order: 2},\n"
		"                {pfn: 8, order: 3}],\n"
		"         allocated: [{pfn: 0, name: M, migratetype: MOVABLE}]}\n"
		"cpus: [{script: [{offline_pages: {start: 0, end: 8}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "goto-2007");
	g_autoptr(SimWorld) base = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };
	int idx = sim_entry_index(sim_entry_lookup("offline_pages"));

	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpuint(entry_ok(w, "offline_pages"), ==, 0);
	g_assert_cmpuint(entry_retries(w, "offline_pages"), >, 0);
	g_assert_cmpuint(res.entry_retries[idx], ==, entry_retries(w, "offline_pages"));
	sim_run_result_release(&res);
	sim_test_run(base, SIM_STRATEGY_RR, 1, NULL, &res);
	g_assert_cmpuint(entry_ok(base, "offline_pages"), ==, 1);
	g_assert_cmpuint(res.entry_retries[idx], ==, 0);
	sim_run_result_release(&res);
}

int main(int argc, char **argv)
{
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);

	g_test_init(&argc, &argv, NULL);
	for (int v = 0; sim_variants[v]; v++) {
		char *path = g_strdup_printf("/hotplug/online/restores/%s", sim_variants[v]->name);

		g_ptr_array_add(paths, path);
		g_test_add_data_func(path, sim_variants[v]->name, test_online_restores);
	}
	g_test_add_func("/hotplug/online/era-paths", test_online_paths);
	g_test_add_func("/hotplug/online/not-offline", test_online_not_offline);
	g_test_add_func("/hotplug/workload/offline-online", test_offline_workload);
	g_test_add_func("/hotplug/workload/no-hold-keeps-it", test_offline_workload_keeps);
	g_test_add_func("/hotplug/offline/retries", test_offline_retries);
	return g_test_run();
}
