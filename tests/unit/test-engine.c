// SPDX-License-Identifier: GPL-2.0
/*
 * The engine: determinism, resetting a world, replaying a schedule, IPIs
 * and the strategies' contracts.
 */
#include <string.h>

#include "engine/exec.h"
#include "engine/step.h"
#include "mm/page_alloc.h"
#include "sim-test.h"
#include "util/error.h"

static const char *const flagship =
	"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
	"layout: {free: [{pfn: 2, order: 1}, {pfn: 5}, {pfn: 6, order: 1}, {pfn: 8, order: 3}],\n"
	"         allocated: [{pfn: 0, order: 1, name: P}]}\n"
	"cpus: [{script: [{start_isolate_page_range: {start: 0, end: 8}},\n"
	"                 {undo_isolate_page_range: {start: 0, end: 8}}]},\n"
	"       {script: [{free_pages: {page: P}}]}]\n"
	"schedule: {runs: 300, seed: 7}\n";

/* After any run, resetting restores the initial state byte for byte. */
static void test_reset_restores_initial_state(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(flagship);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	g_autofree void *before = g_memdup2(w->arena, w->arena_size);
	struct sim_run_result res = { 0 };

	sim_test_run(w, SIM_STRATEGY_RANDOM, 3, NULL, &res);
	g_assert_cmpint(memcmp(before, w->arena, w->arena_size), !=, 0);
	sim_world_reset(w);
	g_assert_cmpint(memcmp(before, w->arena, w->arena_size), ==, 0);
	sim_run_result_release(&res);
}

/* The same seed gives the same schedule and findings; the world is not reused state. */
static void test_same_seed_same_run(gconstpointer data)
{
	enum sim_strategy_kind strategy = GPOINTER_TO_INT(data);
	g_autoptr(SimScenario) sc = sim_test_scenario(flagship);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_run_result a = { 0 }, b = { 0 };

	for (uint64_t seed = 1; seed < 50; seed++) {
		g_autofree char *sa = NULL, *sb = NULL;

		sim_test_run(w, strategy, seed, NULL, &a);
		sa = sim_schedule_format(&a.schedule, a.schedule.n);
		sim_test_run(w, strategy, seed + 1000, NULL, &b); /* something else in between */
		sim_test_run(w, strategy, seed, NULL, &b);
		sb = sim_schedule_format(&b.schedule, b.schedule.n);
		g_assert_cmpstr(sa, ==, sb);
		g_assert_cmpuint(a.broken, ==, b.broken);
		g_assert_cmpint(a.final_drift, ==, b.final_drift);
		g_assert_cmpuint(a.time, ==, b.time);
	}
	sim_run_result_release(&a);
	sim_run_result_release(&b);
}

/* The schedule printed for a violation replays to the same violation at the same step. */
static void test_replay_reproduces_violation(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(flagship);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_batch_result r = { 0 };
	struct sim_run_result res = { 0 };
	int found = 0;

	sim_test_batch(sc, "v3.16", &r);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		const struct sim_first_violation *fv = &r.first[f];

		if (!(r.broken & SIM_F(f)))
			continue;
		sim_test_run(w, SIM_STRATEGY_REPLAY, fv->seed, fv->schedule, &res);
		g_assert_true(res.broken & SIM_F(f));
		g_assert_cmpuint(res.v[f].step, ==, fv->v.step);
		g_assert_cmpint(res.v[f].drift, ==, fv->v.drift);
		g_assert_cmpstr(res.v[f].function, ==, fv->v.function);
		found++;
	}
	g_assert_cmpint(found, >=, 3);
	sim_batch_result_clear(&r);
	sim_run_result_release(&res);
}

/* rr gives every CPU one step in turn. */
static void test_rr_alternates(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(flagship);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.18");
	struct sim_run_result res = { 0 };
	g_autofree char *s = NULL;

	sim_test_run(w, SIM_STRATEGY_RR, 1, NULL, &res);
	s = sim_schedule_format(&res.schedule, 6);
	g_assert_cmpstr(s, ==, "0.1.0.1.0.1");
	sim_run_result_release(&res);
}

/* drain_all_pages() interrupts the CPU with pcp pages and waits for its handler. */
static void test_drain_all_pages_ipi(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n"
		"layout: {free: [{pfn: 8, order: 3}], allocated: [{pfn: 0, name: Q}]}\n"
		"cpus: [{script: [drain_all_pages]}, {script: [{free_pages: {page: Q}}]}]\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_run_result res = { 0 };

	/* CPU1 frees Q to its pcplist (4 steps), CPU0 reads both counts, sends, waits. */
	sim_test_run(w, SIM_STRATEGY_REPLAY, 1, "1x3.0x4.1!.1.0", &res);
	g_assert_cmpuint(res.broken, ==, 0);
	g_assert_false(res.replay_ended);
	g_assert_cmpint(w->pageset[1].count, ==, 0);
	g_assert_cmpint(sim_test_free_order(w, 0, NULL), ==, 0);
	sim_run_result_release(&res);
}

/* A replayed choice that cannot run is an error naming why. */
static void test_replay_blocked_choice(void)
{
	g_autoptr(SimScenario) sc = sim_test_scenario(flagship);
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	g_autoptr(GError) error = NULL;
	struct sim_schedule s = { 0 };
	struct sim_run_result res = { 0 };
	struct sim_run_opts o = { .strategy = SIM_STRATEGY_REPLAY,
				  .max_steps = 100,
				  .check = SIM_INVARIANTS_ALL,
				  .replay = &s };
	int col;

	g_assert_true(sim_schedule_parse("1x3.1", 2, &s, &col, &error));
	g_assert_false(sim_run(w, &o, &res, &error));
	g_assert_error(error, SIM_ERROR, SIM_ERROR_REPLAY);
	g_assert_nonnull(strstr(error->message, "step 4 of the schedule names CPU 1"));
	g_assert_nonnull(strstr(error->message, "script is finished"));
	sim_schedule_release(&s);
	sim_run_result_release(&res);
}

/* Two CPUs each waiting for the other is reported, not hung on. */
static enum sim_ret hold_lock_and_ipi(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &w->zone->lock);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_SEND);
	smp_call_function_many(w, 2, f->fn);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_END(f);
}

static enum sim_ret spin_on_lock(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &w->zone->lock);
	SIM_END(f);
}

static void test_deadlock_has_no_choice(void)
{
	static const struct sim_fn a = { "hold_lock_and_ipi", hold_lock_and_ipi };
	static const struct sim_fn b = { "spin_on_lock", spin_on_lock };
	g_autoptr(SimScenario) sc = sim_test_scenario(
		"name: t\nzone: {pages: 16, max_order: 4, pageblock_order: 2, cpus: 2}\n");
	g_autoptr(SimWorld) w = sim_test_world(sc, "v3.16");
	struct sim_choice ch[4];

	*sim_push(w, &w->cpus[0]) = (struct sim_frame){ .fn = &a };
	*sim_push(w, &w->cpus[1]) = (struct sim_frame){ .fn = &b };
	sim_exec_step(w, (struct sim_choice){ 0, 0 }, 0); /* CPU0: IRQs off */
	sim_exec_step(w, (struct sim_choice){ 0, 0 }, 0); /* takes the lock */
	sim_exec_step(w, (struct sim_choice){ 0, 0 }, 0); /* sends the IPI, waits */
	sim_exec_step(w, (struct sim_choice){ 1, 0 }, 0); /* CPU1: IRQs off, spins */
	g_assert_cmpint(sim_exec_choices(w, ch), ==, 0);
	g_assert_false(sim_exec_done(w));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/engine/reset/restores-initial-state", test_reset_restores_initial_state);
	g_test_add_data_func("/engine/determinism/same-seed/random",
			     GINT_TO_POINTER(SIM_STRATEGY_RANDOM), test_same_seed_same_run);
	g_test_add_data_func("/engine/determinism/same-seed/timed",
			     GINT_TO_POINTER(SIM_STRATEGY_TIMED), test_same_seed_same_run);
	g_test_add_func("/engine/replay/reproduces-violation", test_replay_reproduces_violation);
	g_test_add_func("/engine/replay/blocked-choice-is-an-error", test_replay_blocked_choice);
	g_test_add_func("/engine/sched/rr-alternates", test_rr_alternates);
	g_test_add_func("/engine/ipi/drain-all-pages", test_drain_all_pages_ipi);
	g_test_add_func("/engine/deadlock/no-choice", test_deadlock_has_no_choice);
	return g_test_run();
}
