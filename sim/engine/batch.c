// SPDX-License-Identifier: GPL-2.0
/* Running a scenario many times on one variant (see engine/batch.h). */
#include <stdlib.h>
#include <string.h>

#include "engine/batch.h"
#include "util/error.h"
#include "util/interrupt.h"

static int sim_cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static void sim_batch_account(struct sim_batch_result *out, const struct sim_run_result *res,
			      uint64_t run, uint64_t seed)
{
	if (res->broken)
		out->violating_runs++;
	out->broken |= res->broken;
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		struct sim_first_violation *fv = &out->first[f];

		if (!(res->broken & SIM_F(f)))
			continue;
		out->runs_by[f]++;
		if (fv->schedule)
			continue;
		fv->v = res->v[f];
		fv->run = run;
		fv->seed = seed;
		/* the prefix up to the violating step reproduces it; the rest is not needed */
		fv->schedule = sim_schedule_format(&res->schedule, res->v[f].step);
	}
	out->max_abs_drift = MAX(out->max_abs_drift, res->max_abs_drift);
	out->steps_total += res->steps;
	out->steps_max = MAX(out->steps_max, res->steps);
	out->replay_ended |= res->replay_ended;
}

bool sim_batch_run(const SimScenario *sc, const SimVariant *variant, const struct sim_batch_opts *o,
		   struct sim_batch_result *out, GError **error)
{
	g_autoptr(SimWorld) w = sim_world_new(sc, variant, error);
	struct sim_run_result res = { 0 };
	g_autofree long *finals = NULL;
	bool expect_given;

	memset(out, 0, sizeof(*out));
	if (!w)
		return false;
	out->variant = variant;
	out->ncpus = sc->cpus;
	out->strategy = o->strategy;
	out->seed = o->seed;
	out->runs = o->runs;
	finals = g_new(long, o->runs);
	if (o->strategy == SIM_STRATEGY_PCT)
		out->pct =
			(struct sim_pct_opts){ .depth = MAX(o->pct_depth, 1),
					       .steps = sim_run_estimate_steps(w, o->max_steps) };
	for (uint64_t i = 0; i < o->runs; i++) {
		struct sim_run_opts ro = {
			.strategy = o->strategy,
			.seed = o->seed + i,
			.run_index = i,
			.max_steps = o->max_steps,
			.check = o->check,
			.replay = o->replay,
			.timed_replay = o->timed_replay,
			.pct = out->pct,
			.hash_states = o->hash_states,
			.observe = o->observe,
			.observe_data = o->observe_data,
			.probe = o->probe,
			.probe_data = o->probe_data,
		};

		if (sim_interrupted()) {
			g_set_error(
				error, SIM_ERROR, SIM_ERROR_INTERRUPTED,
				"interrupted after %llu of %llu runs of %s on %s (next seed %llu)",
				(unsigned long long)i, (unsigned long long)o->runs, sc->name,
				variant->name, (unsigned long long)ro.seed);
			sim_run_result_release(&res);
			return false;
		}
		if (o->run_start)
			o->run_start(o->observe_data, i, ro.seed);
		if (!sim_run(w, &ro, &res, error)) {
			sim_run_result_release(&res);
			return false;
		}
		finals[i] = res.final_drift;
		sim_batch_account(out, &res, i, ro.seed);
	}
	sim_run_result_release(&res);
	qsort(finals, o->runs, sizeof(long), sim_cmp_long);
	out->final_drift_min = finals[0];
	out->final_drift_max = finals[o->runs - 1];
	out->final_drift_median = finals[o->runs / 2];
	out->expect = sim_scenario_expect(sc, variant->name, &expect_given);
	/*
	 * The expectation names what is reachable over all interleavings
	 * (`mmsim explore` establishes it exactly). Runs sample, and one
	 * replayed schedule shows one path: they must break nothing else.
	 */
	out->expect_met = sim_scenario_expect_sampled(out->expect, out->broken);
	return true;
}

void sim_batch_result_clear(struct sim_batch_result *r)
{
	for (int f = 0; f < SIM_N_FINDINGS; f++)
		g_free(r->first[f].schedule);
	memset(r, 0, sizeof(*r));
}
