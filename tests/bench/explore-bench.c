// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim-explore-bench: the speed of exploration, for tools/bench (a
 * benchmark, not a test). Explores a scenario on a variant completely
 * (--all), again and again for at least SECONDS of wall time, and prints the
 * executions and steps of one exploration, the time it takes and executions
 * per second.
 *   mmsim-explore-bench SCENARIO VARIANT dpor|dfs|K [SECONDS]
 * K: every interleaving with at most K preemptions (plain DFS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/explore.h"
#include "scenario/scenario.h"
#include "variants/variant.h"

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = NULL;
	g_autoptr(SimWorld) w = NULL;
	const SimVariant *v;
	struct sim_explore_opts o = { .max_preemptions = -1, .all = true };
	struct sim_explore_result r = { 0 };
	double seconds = argc > 4 ? atof(argv[4]) : 2.0, elapsed;
	guint64 rounds = 0;
	gint64 t0;

	if (argc < 4) {
		fprintf(stderr, "usage: mmsim-explore-bench SCENARIO VARIANT dpor|dfs|K [SECONDS]\n");
		return 2;
	}
	sc = sim_scenario_load(argv[1], &error);
	v = sim_variant_lookup(argv[2]);
	if (!sc || !v || !(w = sim_world_new(sc, v, &error))) {
		fprintf(stderr, "mmsim-explore-bench: %s\n", error ? error->message : "unknown variant");
		return 2;
	}
	if (!strcmp(argv[3], "dpor"))
		o.dpor = true;
	else if (strcmp(argv[3], "dfs"))
		o.max_preemptions = atoi(argv[3]);
	o.max_steps = MIN(sc->max_steps, 100000);
	o.check = sc->check | SIM_FINDINGS_ALWAYS;
	t0 = g_get_monotonic_time();
	do {
		sim_explore_result_clear(&r);
		if (!sim_explore(w, &o, &r, &error)) {
			fprintf(stderr, "mmsim-explore-bench: %s\n", error->message);
			return 2;
		}
		rounds++;
		elapsed = (double)(g_get_monotonic_time() - t0) / 1e6;
	} while (elapsed < seconds);
	printf("explore %s on %s, %s: %llu executions, %llu steps, %s; %llu explorations in "
	       "%.2f s\n",
	       sc->name, v->name, argv[3], (unsigned long long)r.executions,
	       (unsigned long long)r.steps, r.complete ? "complete" : "INCOMPLETE",
	       (unsigned long long)rounds, elapsed);
	printf("ms_per_exploration %.3f\nexecutions_per_second %.0f\nsteps_per_second %.0f\n",
	       elapsed * 1e3 / (double)rounds, (double)(r.executions * rounds) / elapsed,
	       (double)(r.steps * rounds) / elapsed);
	sim_explore_result_clear(&r);
	return 0;
}
