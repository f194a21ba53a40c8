// SPDX-License-Identifier: GPL-2.0
/*
 * Generated workloads (sim/workload/): the same seed makes the same calls,
 * churn holds its occupancy target and draws its mix, cma_alloc's ranges
 * are aligned, inside the CMA area, and given back after their hold, and
 * migration moves a churn's reference with the page.
 */
#include <string.h>

#include "mm/entry.h"
#include "sim-test.h"
#include "workload/workload.h"

/* One CPU churning 64 pages of a 1024-page zone, 3000 operations. */
static const char *const churn_one =
	"name: t\nzone: {pages: 1024, max_order: 6, pageblock_order: 4, cpus: 1,\n"
	"       pcp: {high: 12, batch: 4}}\n"
	"layout: {free: [{start: 0, end: 1024}]}\n"
	"cpus: [{workload: {churn: {ops: 3000, occupancy: 64, mix: [\n"
	"    {order: 0, weight: 3}, {order: 2, migratetype: UNMOVABLE, weight: 1}]}}}]\n";

/* Three churning CPUs and a CMA user on the same zone (the experiment, small). */
static const char *const churn_cma =
	"name: t\nzone: {pages: 2048, max_order: 6, pageblock_order: 4, cpus: 4,\n"
	"       pcp: {high: 12, batch: 4}, cma: [{start: 1024, end: 2048}]}\n"
	"layout: {free: [{start: 0, end: 2048}]}\n"
	"cpus:\n"
	"  - {workload: {churn: {ops: 3000, occupancy: 400}}}\n"
	"  - {workload: {churn: {ops: 3000, occupancy: 400}}}\n"
	"  - {workload: {churn: {ops: 3000, occupancy: 400}}}\n"
	"  - {workload: {cma_alloc: {count: 6, pages: 96, interval: 50}}}\n";

static uint64_t sim_run_hash(SimWorld *w, uint64_t seed, char **schedule)
{
	struct sim_run_result res = { 0 };
	uint64_t h;

	sim_test_run(w, SIM_STRATEGY_RANDOM, seed, NULL, &res);
	g_assert_cmpuint(res.broken & ~SIM_F(SIM_FREEPAGE_COUNT), ==, 0); /* v3.18 below */
	h = sim_world_hash(w);
	if (schedule)
		*schedule = sim_schedule_format(&res.schedule, res.schedule.n);
	sim_run_result_release(&res);
	return h;
}

/* Same seed: the same schedule and the same final arena; another seed: another run. */
static void test_deterministic(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(churn_cma);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	g_autofree char *sa = NULL, *sb = NULL;
	uint64_t a = sim_run_hash(w, 5, &sa), other = sim_run_hash(w, 6, NULL);
	uint64_t b = sim_run_hash(w, 5, &sb);

	g_assert_cmpuint(a, ==, b);
	g_assert_cmpstr(sa, ==, sb);
	g_assert_cmpuint(a, !=, other);
}

/* A run's schedule, replayed, makes the same calls: the same final arena. */
static void test_replay(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(churn_cma);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };
	g_autofree char *sched = NULL;
	uint64_t h;

	sim_test_run(w, SIM_STRATEGY_RANDOM, 11, NULL, &res);
	sched = sim_schedule_format(&res.schedule, res.schedule.n);
	h = sim_world_hash(w);
	sim_test_run(w, SIM_STRATEGY_REPLAY, 11, sched, &res);
	g_assert_cmpuint(sim_world_hash(w), ==, h);
	g_assert_false(res.replay_ended);
	sim_run_result_release(&res);
}

/* Every held chunk is allocated (not free, not on a pcplist) and they sum to held_pages. */
static uint64_t sim_check_held(SimWorld *w, unsigned int cpu, bool churn)
{
	const struct sim_wl_cpu *wl = sim_workload_cpu(w, cpu);
	const struct sim_wl_chunk *c = sim_workload_chunks(w, cpu);
	uint64_t pages = 0;

	for (uint32_t i = 0; i < wl->n_held; i++) {
		struct page *page = pfn_to_page(w, c[i].pfn);

		g_assert_false(PageBuddy(page));
		g_assert_cmpint(page->where, ==, SIM_WHERE_NONE);
		g_assert_cmpint(page_count(page), >=, 1);
		pages += churn ? 1ull << c[i].order : c[i].order;
	}
	g_assert_cmpuint(pages, ==, wl->held_pages);
	return pages;
}

/* Below the target it allocates, at or above it frees: held pages end near the target. */
static void test_churn_occupancy(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(churn_one);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	const struct sim_entry *alloc = sim_entry_lookup("alloc_pages");
	const struct sim_entry *free = sim_entry_lookup("free_pages");

	sim_test_run(w, SIM_STRATEGY_RANDOM, 1, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(sim_workload_cpu(w, 0)->done, ==, 3000);
	g_assert_cmpuint(res.entry_calls[sim_entry_index(alloc)] +
				 res.entry_calls[sim_entry_index(free)],
			 ==, 3000);
	/* one chunk (at most 4 pages) over or under the target */
	g_assert_cmpuint(sim_check_held(w, 0, true), >=, 64 - 4);
	g_assert_cmpuint(sim_workload_cpu(w, 0)->held_pages, <, 64 + 4);
	/* after the fill it alternates: as many frees as allocations, give or take the fill */
	g_assert_cmpuint(res.entry_calls[sim_entry_index(free)], >, 1000);
	sim_run_result_release(&res);
}

/* With a target it never reaches, every operation allocates: the held chunks show the mix. */
static void test_churn_mix(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16384, max_order: 6, pageblock_order: 4, cpus: 1}\n"
		"layout: {free: [{start: 0, end: 16384}]}\n"
		"cpus: [{workload: {churn: {ops: 3000, occupancy: 16384, mix: [\n"
		"    {order: 0, weight: 3}, {order: 1, migratetype: UNMOVABLE, weight: 1},\n"
		"    {order: 3, migratetype: RECLAIMABLE, weight: 0}]}}}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };
	const struct sim_wl_chunk *c;
	unsigned int by_order[4] = { 0 };

	sim_test_run(w, SIM_STRATEGY_RANDOM, 2, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(sim_workload_cpu(w, 0)->n_held, ==, 3000);
	c = sim_workload_chunks(w, 0);
	for (uint32_t i = 0; i < 3000; i++) {
		struct page *page = pfn_to_page(w, c[i].pfn);

		g_assert_cmpuint(c[i].order, <, 4);
		by_order[c[i].order]++;
		g_assert_cmpint(page->alloc_mt, ==,
				c[i].order ? MIGRATE_UNMOVABLE : MIGRATE_MOVABLE);
	}
	/* 3:1 of 3000 draws: 2250 +- 24 (sd); a weight of 0 is never drawn */
	g_assert_cmpuint(by_order[0], >, 2250 - 120);
	g_assert_cmpuint(by_order[0], <, 2250 + 120);
	g_assert_cmpuint(by_order[0] + by_order[1], ==, 3000);
	g_assert_cmpuint(by_order[3], ==, 0);
	sim_check_held(w, 0, true);
	sim_run_result_release(&res);
}

/* Ranges kept for good: aligned to 2^align_order, inside the area, disjoint, allocated. */
static void test_cma_aligned(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(churn_cma);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	const struct sim_wl_cpu *wl;
	const struct sim_wl_chunk *c;

	sim_test_run(w, SIM_STRATEGY_RANDOM, 3, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	wl = sim_workload_cpu(w, 3);
	c = sim_workload_chunks(w, 3);
	g_assert_cmpuint(wl->ok + wl->fail, ==, 6);
	g_assert_cmpuint(wl->ok, >=, 1);
	g_assert_cmpuint(wl->n_held, ==, wl->ok);
	g_assert_cmpuint(sc->scripts[3].workload.align_order, ==, 7); /* get_order(96) */
	for (uint32_t i = 0; i < wl->n_held; i++) {
		g_assert_cmpuint((c[i].pfn - 1024) % 128, ==, 0);
		g_assert_cmpuint(c[i].pfn, >=, 1024);
		g_assert_cmpuint(c[i].pfn + c[i].order, <=, 2048);
		for (uint32_t j = 0; j < i; j++)
			g_assert_true(c[j].pfn + 96 <= c[i].pfn || c[i].pfn + 96 <= c[j].pfn);
	}
	sim_check_held(w, 3, false);
	/* the churns' references followed their migrated pages */
	for (unsigned int cpu = 0; cpu < 3; cpu++)
		sim_check_held(w, cpu, true);
	sim_run_result_release(&res);
}

/* With a hold, every range is released: nothing held, bitmap clear, each page free again. */
static void test_cma_hold_release(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 512, max_order: 6, pageblock_order: 4, cpus: 1,\n"
		"       cma: [{start: 256, end: 512}]}\n"
		"layout: {free: [{start: 0, end: 512}]}\n"
		"cpus: [{workload: {cma_alloc: {count: 5, pages: 64, interval: 3, hold: 7}}}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };
	const struct sim_wl_cpu *wl;
	const uint8_t *bitmap;

	sim_test_run(w, SIM_STRATEGY_RANDOM, 4, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	wl = sim_workload_cpu(w, 0);
	g_assert_cmpuint(wl->ok, ==, 5);
	g_assert_cmpuint(wl->n_held, ==, 0);
	g_assert_cmpuint(res.entry_calls[sim_entry_index(sim_entry_lookup("cma_release"))], ==, 5);
	/* each hold ends 7 idle steps after its allocation, the next starts 3 after: 2 held */
	g_assert_cmpuint(wl->tick, >=, 5 * 3 + 7 - 3);
	bitmap = sim_workload_cma_bitmap(w);
	for (int i = 0; i < 256 / 8; i++)
		g_assert_cmpuint(bitmap[i], ==, 0);
	/* free_contig_range() freed each page through the pcplist: all 512 free */
	g_assert_cmpint(sim_world_truth(w) + w->st->shadow.pcp_pages, ==, 512);
	sim_run_result_release(&res);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/workload/deterministic", test_deterministic);
	g_test_add_func("/workload/replay", test_replay);
	g_test_add_func("/workload/churn/occupancy", test_churn_occupancy);
	g_test_add_func("/workload/churn/mix", test_churn_mix);
	g_test_add_func("/workload/cma_alloc/aligned", test_cma_aligned);
	g_test_add_func("/workload/cma_alloc/hold-release", test_cma_hold_release);
	return g_test_run();
}
