// SPDX-License-Identifier: GPL-2.0
/*
 * The step loop of one run. Nothing here allocates per step: the schedule
 * buffer grows geometrically and is reused across runs.
 */
#include <stdio.h>
#include <string.h>

#include "engine/exec.h"
#include "engine/run.h"
#include "util/error.h"
#include "util/interrupt.h"
#include "mm/page.h"

static void sim_run_chain(const struct sim_step_info *info, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = 0;
	for (int i = 0; i < info->deepest && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " > " : "",
					info->deep_chain[i]);
}

static void sim_run_record(SimWorld *w, struct sim_run_result *res, const struct sim_breach *b,
			   uint64_t step)
{
	struct sim_violation *v = &res->v[b->finding];
	const struct sim_step_info *info = &w->info;

	if (res->broken & SIM_F(b->finding))
		return;
	res->broken |= SIM_F(b->finding);
	if (res->first < 0)
		res->first = b->finding;
	v->finding = b->finding;
	v->step = step;
	v->time = w->st->now;
	v->cpu = info->cpu;
	v->irq = info->irq;
	g_strlcpy(v->function, info->deepest ? info->deep_chain[info->deepest - 1] : "-",
		  sizeof(v->function));
	sim_run_chain(info, v->chain, sizeof(v->chain));
	g_strlcpy(v->message, b->message, sizeof(v->message));
	v->nr_free_pages = zone_page_state(w->zone, NR_FREE_PAGES);
	v->truth = sim_world_truth(w);
	v->drift = v->nr_free_pages - v->truth;
}

/* A finding that is not tied to a step's function (deadlock, step limit, final checks). */
static void sim_run_record_end(SimWorld *w, struct sim_run_result *res, int finding,
			       const char *message)
{
	struct sim_breach b = { .finding = finding };

	g_strlcpy(b.message, message, sizeof(b.message));
	w->info.deepest = 0;
	sim_run_record(w, res, &b, res->steps);
}

static void sim_run_observe(SimWorld *w, const struct sim_run_opts *o, uint64_t step, bool settled,
			    const struct sim_breach *b, int nb)
{
	const struct sim_step_info *info = &w->info;
	struct sim_step_view v = {
		.run = o->run_index,
		.step = step,
		.time = w->st->now,
		.cpu = info->cpu,
		.irq = info->irq,
		.function = info->event_fn ? info->event_fn :
			    info->deepest  ? info->deep_chain[info->deepest - 1] :
					     "-",
		.chain = info->deep_chain,
		.depth = info->deepest,
		.events = info->events->str,
		.n_events = info->n_events,
		.ev_fn = info->ev_fn,
		.ev_text = info->ev_text->str,
		.nr_free_pages = zone_page_state(w->zone, NR_FREE_PAGES),
		.truth = sim_world_truth(w),
		.nr_free_cma = zone_page_state(w->zone, NR_FREE_CMA_PAGES),
		.truth_cma = sim_world_truth_cma(w),
		.settled = settled,
		.breaches = b,
		.n_breaches = nb,
	};

	v.drift = v.nr_free_pages - v.truth;
	if (o->hash_states)
		v.state_hash = sim_world_hash(w);
	o->observe(o->observe_data, &v);
}

static bool sim_run_settled(const SimWorld *w)
{
	return w->zone->lock.owner < 0 && !w->st->acct_pending;
}

/*
 * Halve the samples: keep every other one, and the last. Deterministic, and
 * keeps the shape of a step function well enough for plots of many runs.
 */
static void sim_run_thin_drift(struct sim_run_result *res)
{
	size_t k = 0;

	for (size_t i = 0; i < res->n_drift; i += 2)
		res->drift[k++] = res->drift[i];
	if (res->n_drift % 2 == 0)
		res->drift[k - 1] = res->drift[res->n_drift - 1];
	res->n_drift = k;
}

static void sim_run_sample_drift(const struct sim_run_opts *o, struct sim_run_result *res,
				 uint64_t time, long drift, bool last)
{
	/* the drift is 0 before the first sample: a run that stays at 0 keeps none */
	long prev = res->n_drift ? res->drift[res->n_drift - 1].drift : 0;

	if (!o->drift_points || (drift == prev && (!last || !res->n_drift)))
		return;
	if (res->n_drift == res->cap_drift) {
		res->cap_drift = 2 * MAX(o->drift_points, 2u);
		res->drift = g_renew(struct sim_drift_sample, res->drift, res->cap_drift);
		if (res->n_drift == res->cap_drift)
			sim_run_thin_drift(res);
	}
	res->drift[res->n_drift++] = (struct sim_drift_sample){ time, drift };
	if (last) {
		while (res->n_drift > o->drift_points)
			sim_run_thin_drift(res);
	}
}

static void sim_run_begin(SimWorld *w, const struct sim_run_opts *o, struct sim_run_result *res)
{
	struct sim_schedule keep = res->schedule;
	struct sim_drift_sample *drift = res->drift;
	size_t cap_drift = res->cap_drift;

	sim_world_reset(w);
	sim_world_seed(w, o->seed ^ 0x6a09e667f3bcc909ull);
	memset(res, 0, sizeof(*res));
	res->schedule = keep;
	res->drift = drift;
	res->cap_drift = cap_drift;
	sim_schedule_clear(&res->schedule);
	res->first = -1;
	w->tracing = o->observe != NULL;
	w->probe = o->probe;
	w->probe_data = o->probe_data;
	w->timed = o->strategy == SIM_STRATEGY_TIMED ||
		   (o->strategy == SIM_STRATEGY_REPLAY && o->timed_replay);
	w->jitter = w->timed ? w->sc->jitter : 0;
}

bool sim_run(SimWorld *w, const struct sim_run_opts *o, struct sim_run_result *res, GError **error)
{
	struct sim_choice ch[2 * SIM_NR_CPUS_LIMIT];
	struct sim_breach b[SIM_N_FINDINGS];
	struct sim_sched sched;
	bool done = false;

	sim_run_begin(w, o, res);
	sim_sched_init(&sched, o->strategy, o->seed, o->replay, &o->pct, w->ncpus);
	while (res->steps < o->max_steps) {
		int n = sim_exec_choices(w, ch), i, nb;
		bool settled;

		if (n == 0)
			break;
		/* a long run stops within a few milliseconds of SIGINT/SIGTERM */
		if (!(res->steps & 0xffff) && res->steps && sim_interrupted()) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_INTERRUPTED,
				    "interrupted at step %llu of run %llu (seed %llu)",
				    (unsigned long long)res->steps,
				    (unsigned long long)o->run_index, (unsigned long long)o->seed);
			return false;
		}
		i = sim_sched_choose(&sched, w, ch, n, error);
		if (i < 0)
			return false;
		sim_schedule_append(&res->schedule, ch[i]);
		sim_exec_step(w, ch[i], sim_exec_start_time(w, ch[i]));
		res->steps++;

		nb = sim_check_step(w, o->check, o->observe ? ~0u : ~res->broken, b);
		for (int k = 0; k < nb; k++)
			sim_run_record(w, res, &b[k], res->steps);
		settled = sim_run_settled(w);
		if (settled) {
			long d = sim_world_drift(w);

			res->max_abs_drift = MAX(res->max_abs_drift, ABS(d));
			res->final_drift = d;
			sim_run_sample_drift(o, res, w->st->now, d, false);
		}
		if (o->observe)
			sim_run_observe(w, o, res->steps, settled, b, nb);
		if (res->broken & SIM_F(SIM_BUG))
			break;
	}
	done = sim_exec_done(w);
	res->time = w->st->now + w->info.cost;
	res->replay_ended = sched.replay_ended;
	sim_run_sample_drift(o, res, res->time, res->final_drift, true);
	memcpy(res->entry_calls, w->st->entry_calls, sizeof(res->entry_calls));
	memcpy(res->entry_ok, w->st->entry_ok, sizeof(res->entry_ok));
	memcpy(res->entry_retries, w->st->entry_retries, sizeof(res->entry_retries));
	if (!done && !(res->broken & SIM_F(SIM_BUG))) {
		char msg[160];

		if (res->steps >= o->max_steps) {
			snprintf(msg, sizeof(msg), "the run did not finish within %llu steps",
				 (unsigned long long)o->max_steps);
			sim_run_record_end(w, res, SIM_STEP_LIMIT, msg);
		} else {
			snprintf(msg, sizeof(msg), "no CPU can run but not every CPU is done");
			sim_run_record_end(w, res, SIM_DEADLOCK, msg);
		}
	}
	if (done) {
		int nb = sim_check_final(w, o->check, b);

		for (int k = 0; k < nb; k++)
			sim_run_record_end(w, res, b[k].finding, b[k].message);
	}
	return true;
}

void sim_run_result_release(struct sim_run_result *res)
{
	sim_schedule_release(&res->schedule);
	g_free(res->drift);
	res->drift = NULL;
	res->n_drift = res->cap_drift = 0;
}

uint64_t sim_run_estimate_steps(SimWorld *w, uint64_t max_steps)
{
	struct sim_run_opts o = { .strategy = SIM_STRATEGY_RR, .max_steps = max_steps };
	struct sim_run_result res = { 0 };
	uint64_t steps = 1;

	if (sim_run(w, &o, &res, NULL))
		steps = MAX(res.steps, 1);
	sim_run_result_release(&res);
	return steps;
}
