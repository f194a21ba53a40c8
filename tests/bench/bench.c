// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim-bench: the speed of the step loop, for tools/bench (a benchmark,
 * not a test). Runs a scenario with the random strategy, without tracing,
 * for at least --seconds of wall time, and prints simulated steps per second,
 * nanoseconds per step, runs per second and bytes per modeled page.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine/run.h"
#include "scenario/scenario.h"
#include "variants/variant.h"

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	const SimVariant *v;
	struct sim_run_result res = { 0 };
	double seconds = argc > 3 ? atof(argv[3]) : 2.0, elapsed;
	guint64 steps = 0, runs = 0;
	gint64 t0;

	if (argc < 3) {
		fprintf(stderr, "usage: mmsim-bench SCENARIO VARIANT [SECONDS]\n");
		return 2;
	}
	sc = sim_scenario_load(argv[1], &error);
	v = sim_variant_lookup(argv[2]);
	if (!sc || !v || !(w = sim_world_new(sc, v, &error))) {
		fprintf(stderr, "mmsim-bench: %s\n", error ? error->message : "unknown variant");
		return 2;
	}
	t0 = g_get_monotonic_time();
	do {
		struct sim_run_opts o = { .strategy = SIM_STRATEGY_RANDOM,
					  .seed = 1 + runs,
					  .run_index = runs,
					  .max_steps = sc->max_steps,
					  .check = sc->check | SIM_FINDINGS_ALWAYS };

		if (!sim_run(w, &o, &res, &error))
			return 2;
		steps += res.steps;
		runs++;
		elapsed = (double)(g_get_monotonic_time() - t0) / 1e6;
	} while (elapsed < seconds);
	printf("scenario %s, variant %s: %llu runs, %llu steps in %.2f s\n", sc->name, v->name,
	       (unsigned long long)runs, (unsigned long long)steps, elapsed);
	printf("steps_per_second %.0f\nns_per_step %.1f\nruns_per_second %.1f\n",
	       (double)steps / elapsed, elapsed * 1e9 / (double)steps, (double)runs / elapsed);
	printf("bytes_per_page %.1f (arena %zu bytes for %lu pages)\n",
	       (double)w->arena_size / (double)w->nr_pages, w->arena_size, w->nr_pages);
	sim_run_result_release(&res);
	return 0;
}
