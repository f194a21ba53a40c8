// SPDX-License-Identifier: GPL-2.0
/*
 * Shrinking a violation before it is shown (docs/explore.md).
 *
 * Given a schedule that breaks a finding, find one that breaks the same
 * finding with the fewest preemptions, and among those the fewest steps:
 * preemption-bounded searches for K = 0, 1, ... up to the schedule's own
 * count, each keeping the shortest violation found (branch and bound on the
 * step count). Then the point of no return: the first step after which
 * every continuation breaks the finding, found by exploring (DPOR) the
 * continuations of shorter and shorter prefixes until one has an execution
 * that does not break it.
 *
 * Everything is bounded by a budget of steps, so the result is deterministic;
 * when the budget runs out the best schedule found so far is returned and the
 * result says it is not proven minimal.
 */
#include <string.h>

#include "explore/minimize.h"

static uint64_t sim_budget_left(const struct sim_minimal *m, uint64_t budget)
{
	return m->steps_used < budget ? budget - m->steps_used : 0;
}

/* The fewest preemptions, then the fewest steps. */
static void sim_minimize_schedule(SimWorld *w, int finding, struct sim_schedule *found,
				  uint64_t budget, struct sim_minimal *m)
{
	int k0 = sim_explore_preemptions(w, found);

	m->schedule = sim_schedule_format(found, found->n);
	m->steps = found->n;
	m->preemptions = k0;
	m->minimal = false;
	for (int k = 0; k <= k0; k++) {
		struct sim_explore_opts o = { .max_preemptions = k, .max_steps = found->n,
					      .check = SIM_F(finding), .target = SIM_F(finding),
					      .shortest = true,
					      .max_total_steps = sim_budget_left(m, budget) };
		struct sim_explore_result r;

		if (!o.max_total_steps || !sim_explore(w, &o, &r, NULL))
			return;
		m->steps_used += r.steps + r.work;
		if (r.broken & SIM_F(finding)) {
			g_free(m->schedule);
			m->schedule = g_strdup(r.first[finding].schedule);
			m->steps = r.first[finding].v.step;
			m->preemptions = k;
			m->minimal = r.complete;
			sim_explore_result_clear(&r);
			return;
		}
		sim_explore_result_clear(&r);
		if (r.budget)
			return;
	}
}

/* Does every continuation of the first n steps of s break the finding? */
static int sim_inevitable(SimWorld *w, int finding, const struct sim_schedule *s, uint64_t n,
			  uint64_t budget, struct sim_minimal *m)
{
	struct sim_schedule prefix = { .c = s->c, .n = n };
	struct sim_explore_opts o = { .max_preemptions = -1, .dpor = true, .max_steps = 100000,
				      .check = SIM_F(finding), .target = SIM_F(finding),
				      .stop_on_clean = true, .prefix = n ? &prefix : NULL,
				      .max_total_steps = sim_budget_left(m, budget) };
	struct sim_explore_result r;
	int verdict;

	if (!o.max_total_steps || !sim_explore(w, &o, &r, NULL))
		return -1;
	m->steps_used += r.steps + r.work;
	verdict = r.found_clean ? 0 : r.complete ? 1 : -1;
	sim_explore_result_clear(&r);
	return verdict;
}

bool sim_minimize(SimWorld *w, int finding, const char *schedule, uint64_t budget,
		  struct sim_minimal *m, GError **error)
{
	struct sim_schedule s = { 0 };
	int col;

	memset(m, 0, sizeof(*m));
	if (!sim_schedule_parse(schedule, w->ncpus, &s, &col, error))
		return false;
	if (s.n > SIM_MINIMIZE_MAX_STEPS) {
		m->schedule = g_strdup(schedule);
		m->steps = s.n;
		m->preemptions = sim_explore_preemptions(w, &s);
		m->no_return = s.n;
		m->too_long = true;
		sim_schedule_release(&s);
		return true;
	}
	sim_minimize_schedule(w, finding, &s, budget, m);
	sim_schedule_parse(m->schedule, w->ncpus, &s, &col, NULL);
	/* the point of no return: walk back while every continuation still breaks it */
	m->no_return = s.n;
	m->no_return_proven = true;
	for (uint64_t n = s.n - 1; n > 0; n--) {
		int v = sim_inevitable(w, finding, &s, n, budget, m);

		if (v < 0)
			m->no_return_proven = false;
		if (v != 1)
			break;
		m->no_return = n;
	}
	sim_schedule_release(&s);
	return true;
}

const char *sim_minimal_how(const struct sim_minimal *m)
{
	return m->too_long ? "too long to shrink" : m->minimal ? "proven" : "search budget ran out";
}

void sim_minimal_clear(struct sim_minimal *m)
{
	g_free(m->schedule);
	memset(m, 0, sizeof(*m));
}
