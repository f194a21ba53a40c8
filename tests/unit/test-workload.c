// SPDX-License-Identifier: GPL-2.0
/*
 * Generated workloads (sim/workload/): the same seed makes the same calls,
 * churn holds its occupancy target and draws its mix, cma_alloc's ranges
 * are aligned, inside the CMA area, and given back after their hold,
 * migration moves a churn's reference with the page, page reporting takes
 * chunks off the free lists and gives them back, and alloc_contig_range()
 * fails over the chunks it holds.
 */
#include <string.h>

#include "mm/entry.h"
#include "sim-test.h"
#include "variants/variant.h"
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

/* The variants page reporting is checked on: before v5.7 (the transplant), v5.11, v6.10. */
static const char *const report_variants[] = { "v3.16", "v5.11", "v6.10" };

/*
 * 3 free chunks of order 10, one of order 9 and one of order 8 (below the
 * minimum order); a reporter of capacity 2 (the order-9 chunk and one of
 * order 10 in its first report, the two others in the leftover report).
 */
static const char *const report_one =
	"name: t\nzone: {pages: 4096, max_order: 11, pageblock_order: 9, cpus: 1}\n"
	"layout: {free: [{start: 0, end: 3072}, {pfn: 3072, order: 9}, {pfn: 3584, order: 8}]}\n"
	"cpus: [{workload: {page_reporting: {count: 1, capacity: 2, hold: 50}}}]\n";

struct report_watch {
	SimWorld *w;
	long initial;	     /* NR_FREE_PAGES before the pass */
	long max_drop;	     /* the most it was below that, at a settled step */
	uint64_t max_held;   /* the most pages the reporter held */
	bool exact;	     /* the drop must equal what the reporter holds (v5.7 putback) */
	uint64_t mismatches; /* settled steps where it did not */
};

static void report_observe(void *data, const struct sim_step_view *v)
{
	struct report_watch *rw = data;
	const struct sim_wl_cpu *wl = sim_workload_cpu(rw->w, 0);
	long drop = rw->initial - v->nr_free_pages;

	g_assert_cmpint(v->nr_free_pages, ==, v->truth);
	rw->max_held = MAX(rw->max_held, wl->held_pages);
	if (!v->settled)
		return;
	rw->max_drop = MAX(rw->max_drop, drop);
	if (rw->exact && drop != (long)wl->held_pages)
		rw->mismatches++;
}

static void report_run(SimWorld *w, struct report_watch *rw, struct sim_run_result *res)
{
	g_autoptr(GError) error = NULL;
	struct sim_run_opts o = { .strategy = SIM_STRATEGY_RANDOM,
				  .seed = 1,
				  .max_steps = 1000000,
				  .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS,
				  .observe = report_observe,
				  .observe_data = rw };

	g_assert_true(sim_run(w, &o, res, &error));
	g_assert_no_error(error);
}

/*
 * A pass takes every chunk of order >= pageblock_order off the lists,
 * capacity at a time, and NR_FREE_PAGES is down by what it holds; every
 * chunk comes back, marked PageReported; the order-8 chunk is never taken.
 */
static void test_report_holds_and_returns(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(report_one);

	for (size_t i = 0; i < G_N_ELEMENTS(report_variants); i++) {
		g_autoptr(SimWorld) w = sim_test_world(sc, report_variants[i]);
		struct report_watch rw = { .w = w,
					   .initial = 3072 + 512 + 256,
					   .exact = strcmp(report_variants[i], "v3.16") != 0 };
		struct sim_run_result res = { 0 };
		int mt;

		g_test_message("%s", report_variants[i]);
		g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, rw.initial);
		report_run(w, &rw, &res);
		g_assert_cmpuint(res.broken, ==, 0);
		/* the first report held 512 + 1024 pages, the leftover report 2 x 1024 */
		g_assert_cmpuint(rw.max_held, ==, 2048);
		g_assert_cmpint(rw.max_drop, ==, 2048);
		g_assert_cmpuint(rw.mismatches, ==, 0);
		g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, rw.initial);
		g_assert_cmpint(sim_world_truth(w), ==, rw.initial);
		g_assert_cmpuint(sim_workload_cpu(w, 0)->held_pages, ==, 0);
		g_assert_cmpuint(sim_workload_cpu(w, 0)->reported, ==, 4);
		for (unsigned long pfn = 0; pfn < 3072; pfn += 1024) {
			g_assert_cmpint(sim_test_free_order(w, pfn, &mt), ==, 10);
			g_assert_true(PageReported(pfn_to_page(w, pfn)));
		}
		g_assert_cmpint(sim_test_free_order(w, 3072, &mt), ==, 9);
		g_assert_true(PageReported(pfn_to_page(w, 3072)));
		g_assert_cmpint(sim_test_free_order(w, 3584, &mt), ==, 8);
		g_assert_false(PageReported(pfn_to_page(w, 3584)));
		g_assert_cmpuint(
			res.entry_calls[sim_entry_index(sim_entry_lookup("page_reporting"))], ==,
			1);
		sim_run_result_release(&res);
	}
}

/* A reporter and an alloc_contig_range() of [0, 1024) after 200 idle steps of its CPU. */
static char *report_contig_yaml(unsigned int capacity, unsigned int hold)
{
	return g_strdup_printf(
		"name: t\nzone: {pages: 2048, max_order: 11, pageblock_order: 9, cpus: 2}\n"
		"layout: {free: [{start: 0, end: 2048}]}\n"
		"cpus:\n"
		"  - {workload: {page_reporting: {count: 1, capacity: %u, hold: %u}}}\n"
		"  - {workload: {alloc_contig: {pages: 1024, end: 1024, count: 1, interval: 200}}}\n",
		capacity, hold);
}

/*
 * The alloc_contig_range() calls of a run of the scenario and how many
 * returned 0; returns how many returned -EBUSY.
 */
static uint64_t report_contig_run(const char *yaml, const char *variant, uint32_t *calls,
				  uint32_t *ok)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(SimWorld) w = sim_test_world(sc, variant);
	const struct sim_entry *e = sim_entry_lookup("alloc_contig_range");
	struct sim_run_result res = { 0 };
	uint64_t busy;

	sim_test_run(w, SIM_STRATEGY_RANDOM, 7, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	*calls = res.entry_calls[sim_entry_index(e)];
	*ok = res.entry_ok[sim_entry_index(e)];
	g_assert_cmpuint(sim_workload_cpu(w, 1)->ok, ==, *ok);
	g_assert_cmpuint(sim_workload_cpu(w, 1)->fail, ==, *calls - *ok);
	busy = sim_workload_cpu(w, 1)->busy;
	sim_run_result_release(&res);
	return busy;
}

/*
 * While the reporter holds the range's chunk (a long report), the
 * allocation fails with -EBUSY (the chunk is neither free nor movable); with
 * no reporting (capacity 0), or a report long over, it succeeds.
 */
static void test_report_contig_busy(void)
{
	g_autofree char *held = report_contig_yaml(32, 100000);
	g_autofree char *off = report_contig_yaml(0, 100000);
	g_autofree char *over = report_contig_yaml(32, 5);
	uint32_t calls, ok;

	for (size_t i = 0; i < G_N_ELEMENTS(report_variants); i++) {
		g_test_message("%s", report_variants[i]);
		g_assert_cmpuint(report_contig_run(held, report_variants[i], &calls, &ok), ==, 1);
		g_assert_cmpuint(calls, ==, 1);
		g_assert_cmpuint(ok, ==, 0);
		report_contig_run(off, report_variants[i], &calls, &ok);
		g_assert_cmpuint(calls, ==, 1);
		g_assert_cmpuint(ok, ==, 1);
		report_contig_run(over, report_variants[i], &calls, &ok);
		g_assert_cmpuint(calls, ==, 1);
		g_assert_cmpuint(ok, ==, 1);
	}
}

/*
 * alloc_contig: chunks round robin over the range, each freed after its
 * hold. The chunks are MAX_ORDER_NR_PAGES (max_order 10): a smaller chunk
 * would have alloc_contig_range() isolate its held neighbour too, whose
 * pages are not on the LRU, and fail -EBUSY as the kernel does.
 */
static void test_contig_round_robin(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 4096, max_order: 10, pageblock_order: 9, cpus: 1}\n"
		"layout: {free: [{start: 0, end: 4096}]}\n"
		"cpus: [{workload: {alloc_contig: {pages: 512, start: 1024, end: 3072, count: 6,\n"
		"    interval: 3, hold: 10}}}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v5.11");
	const struct sim_entry *e = sim_entry_lookup("free_contig_range");
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_RANDOM, 3, NULL, &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_cmpuint(sim_workload_cpu(w, 0)->ok, ==, 6);
	g_assert_cmpuint(sim_workload_cpu(w, 0)->n_held, ==, 0);
	g_assert_cmpuint(res.entry_calls[sim_entry_index(e)], ==, 6);
	/* 6 calls over 4 positions: the cursor wrapped to the third */
	g_assert_cmpuint(sim_workload_cpu(w, 0)->cursor, ==, 2 * 512);
	g_assert_cmpint(sim_world_truth(w) + w->st->shadow.pcp_pages, ==, 4096);
	sim_run_result_release(&res);
}

/*
 * Two alloc_contig users on one range: a chunk one of them holds is not on
 * the LRU, so the other's alloc_contig_range() over it fails -EBUSY instead
 * of migrating it away under its holder (which then freed it twice: a BUG
 * the kernel has not).
 */
static void test_contig_two_users(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 4096, max_order: 11, pageblock_order: 9, cpus: 2,\n"
		"       pcp: {high: 42, batch: 7}}\n"
		"layout: {free: [{start: 0, end: 4096}]}\n"
		"cpus:\n"
		"  - {workload: {alloc_contig: {pages: 1024, count: 20, interval: 10, hold: 200}}}\n"
		"  - {workload: {alloc_contig: {pages: 1024, count: 20, interval: 10, hold: 200}}}\n");

	for (int v = 0; sim_variants[v]; v++) {
		g_autoptr(SimWorld) w = sim_test_world(sc, sim_variants[v]->name);

		for (uint64_t seed = 1; seed <= 5; seed++) {
			struct sim_run_result res = { 0 };

			sim_test_run(w, SIM_STRATEGY_RANDOM, seed, NULL, &res);
			if (res.broken & SIM_F(SIM_BUG))
				g_test_message("%s seed %" G_GUINT64_FORMAT ": %s",
					       sim_variants[v]->name, seed, res.v[SIM_BUG].message);
			g_assert_false(res.broken & SIM_F(SIM_BUG));
			sim_run_result_release(&res);
		}
	}
}

/* One run of w with the options, the schedule returned; the final arena's hash. */
static uint64_t timed_run(SimWorld *w, const struct sim_run_opts *o, char **schedule,
			  uint64_t *time)
{
	g_autoptr(GError) error = NULL;
	struct sim_run_result res = { 0 };
	uint64_t h;

	g_assert_true(sim_run(w, o, &res, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_false(res.replay_ended);
	if (schedule)
		*schedule = sim_schedule_format(&res.schedule, res.schedule.n);
	*time = res.time;
	h = sim_world_hash(w);
	sim_run_result_release(&res);
	return h;
}

/*
 * Under the timed strategy a workload's intervals and holds are simulated
 * nanoseconds: the CPU sleeps between its calls (a few idle steps, not one
 * per nanosecond) and the run lasts at least count x interval; a replay of
 * the run with its costs (--strategy timed --replay) ends in the same state.
 */
static void test_timed_intervals(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 512, max_order: 6, pageblock_order: 4, cpus: 2,\n"
		"       cma: [{start: 256, end: 512}]}\n"
		"layout: {free: [{start: 0, end: 512}]}\n"
		"cpus:\n"
		"  - {workload: {churn: {ops: 4000, occupancy: 100}}}\n"
		"  - {workload: {cma_alloc: {count: 4, pages: 32, interval: 200000, hold: 50000}}}\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v6.10");
	struct sim_run_opts timed = { .strategy = SIM_STRATEGY_TIMED,
				      .seed = 9,
				      .max_steps = 1000000,
				      .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS };
	struct sim_schedule replay = { 0 };
	g_autoptr(GError) error = NULL;
	g_autofree char *sched = NULL;
	uint64_t t1, t2, h1, h2;
	int col = 0;

	h1 = timed_run(w, &timed, &sched, &t1);
	g_assert_cmpuint(sim_workload_cpu(w, 1)->ok + sim_workload_cpu(w, 1)->fail, ==, 4);
	g_assert_cmpuint(sim_workload_cpu(w, 1)->n_held, ==, 0);
	g_assert_cmpuint(t1, >=, 4 * 200000);
	/* it slept: an idle step per wake-up, not one per step of the others */
	g_assert_cmpuint(sim_workload_cpu(w, 1)->tick, <, 20);
	g_assert_true(sim_schedule_parse(sched, w->ncpus, &replay, &col, &error));
	h2 = timed_run(w,
		       &(struct sim_run_opts){ .strategy = SIM_STRATEGY_REPLAY,
					       .seed = 9,
					       .max_steps = 1000000,
					       .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS,
					       .replay = &replay,
					       .timed_replay = true },
		       NULL, &t2);
	g_assert_cmpuint(h2, ==, h1);
	g_assert_cmpuint(t2, ==, t1);
	sim_schedule_release(&replay);
	/* other strategies count idle steps: 4 x 200000 of them */
	timed.strategy = SIM_STRATEGY_RANDOM;
	timed.max_steps = 2000000;
	timed_run(w, &timed, NULL, &t1);
	g_assert_cmpuint(sim_workload_cpu(w, 1)->tick, >=, 4 * 200000);
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
	g_test_add_func("/workload/page_reporting/holds-and-returns",
			test_report_holds_and_returns);
	g_test_add_func("/workload/page_reporting/contig-busy", test_report_contig_busy);
	g_test_add_func("/workload/alloc_contig/round-robin", test_contig_round_robin);
	g_test_add_func("/workload/alloc_contig/two-users", test_contig_two_users);
	g_test_add_func("/workload/timed/intervals-in-ns", test_timed_intervals);
	return g_test_run();
}
