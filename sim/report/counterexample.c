// SPDX-License-Identifier: GPL-2.0
/* Building a counterexample (see counterexample.h). */
#include <string.h>

#include "report/counterexample.h"
#include "report/diagram.h"
#include "util/error.h"

/* Replay the minimal schedule up to its violating step, drawing the diagram. */
static bool sim_counterexample_replay(const SimScenario *sc, const SimVariant *variant, int finding,
				      uint64_t seed, struct sim_counterexample *ce,
				      struct sim_diagram *d, GError **error)
{
	struct sim_schedule s = { 0 };
	struct sim_batch_result r = { 0 };
	struct sim_batch_opts o = { .strategy = SIM_STRATEGY_REPLAY,
				    .runs = 1,
				    .seed = seed,
				    .max_steps = ce->min.steps,
				    .check = sc->check | SIM_FINDINGS_ALWAYS,
				    .replay = &s,
				    .observe = sim_diagram_observe,
				    .observe_data = d };
	int col;
	bool ok;

	ok = sim_schedule_parse(ce->min.schedule, sc->cpus, &s, &col, error) &&
	     sim_batch_run(sc, variant, &o, &r, error);
	if (ok && !(r.broken & SIM_F(finding))) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_REPLAY,
			    "the minimal schedule %s does not break %s on replay (a model bug)",
			    ce->min.schedule, sim_finding_name(finding));
		ok = false;
	}
	if (ok)
		ce->v = r.first[finding].v;
	sim_batch_result_clear(&r);
	sim_schedule_release(&s);
	return ok;
}

bool sim_counterexample_build(const SimScenario *sc, const SimVariant *variant, int finding,
			      uint64_t seed, const char *schedule, uint64_t budget,
			      struct sim_counterexample *ce, GError **error)
{
	g_autoptr(SimWorld) w = sim_world_new(sc, variant, error);
	struct sim_diagram *d = NULL;
	struct sim_diagram_info info = { .finding = finding };
	g_autofree char *title = NULL;

	memset(ce, 0, sizeof(*ce));
	if (!w || !sim_minimize(w, finding, schedule, budget, &ce->min, error))
		return false;
	ce->replay = g_strdup_printf("mmsim run %s --variant %s --seed %llu --replay %s", sc->path,
				     variant->name, (unsigned long long)seed, ce->min.schedule);
	if (ce->min.too_long) {
		ce->v.finding = finding;
		/* a workload's run: the replay command printed with it, --trace FILE */
		ce->diagram = g_strdup_printf("%s on %s: %s after %llu steps: too long to draw; "
					      "its replay command with --trace FILE shows every "
					      "step\n",
					      sc->name, variant->name, sim_finding_name(finding),
					      (unsigned long long)ce->min.steps);
		return true;
	}
	d = sim_diagram_new(sc);
	if (!sim_counterexample_replay(sc, variant, finding, seed, ce, d, error)) {
		sim_diagram_free(d);
		return false;
	}
	title = g_strdup_printf("%s on %s: %s with %d preemption%s in %llu steps (%s)", sc->name,
				variant->name, sim_finding_name(finding), ce->min.preemptions,
				ce->min.preemptions == 1 ? "" : "s",
				(unsigned long long)ce->min.steps,
				ce->min.minimal ? "minimal" : "not proven minimal: search budget");
	info.title = title;
	info.step = ce->v.step;
	info.no_return = ce->min.no_return_proven && ce->min.no_return < ce->min.steps ?
				 ce->min.no_return :
				 0;
	info.message = ce->v.message;
	info.replay = ce->replay;
	ce->diagram = sim_diagram_render(d, &info);
	sim_diagram_free(d);
	return true;
}

void sim_counterexample_clear(struct sim_counterexample *ce)
{
	sim_minimal_clear(&ce->min);
	g_free(ce->replay);
	g_free(ce->diagram);
	memset(ce, 0, sizeof(*ce));
}

bool sim_counterexamples_build(const SimScenario *sc, const struct sim_batch_result *r,
			       uint64_t budget, struct sim_counterexample *ce, GError **error)
{
	memset(ce, 0, sizeof(*ce) * SIM_N_FINDINGS);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		const struct sim_first_violation *fv = &r->first[f];

		if (!(r->broken & SIM_F(f)) || f == SIM_STEP_LIMIT)
			continue;
		if (!sim_counterexample_build(sc, r->variant, f, fv->seed, fv->schedule, budget,
					      &ce[f], error)) {
			sim_counterexamples_clear(ce);
			return false;
		}
	}
	return true;
}

void sim_counterexamples_clear(struct sim_counterexample *ce)
{
	for (int f = 0; f < SIM_N_FINDINGS; f++)
		sim_counterexample_clear(&ce[f]);
}

int sim_counterexamples_first(const struct sim_batch_result *r, const struct sim_counterexample *ce)
{
	int best = -1;

	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		const struct sim_first_violation *a = &r->first[f], *b;

		if (!ce[f].diagram)
			continue;
		b = best < 0 ? NULL : &r->first[best];
		if (!b || a->run < b->run || (a->run == b->run && a->v.step < b->v.step))
			best = f;
	}
	return best;
}
