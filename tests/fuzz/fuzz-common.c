// SPDX-License-Identifier: GPL-2.0
/* The fuzzed code paths (see fuzz-common.h). */
#include <string.h>

#include "engine/run.h"
#include "explore/explore.h"
#include "fuzz-common.h"
#include "scenario/scenario.h"
#include "variants/variant.h"

/* Worlds larger than this are loaded but not run: a fuzzer wants many inputs a second. */
#define SIM_FUZZ_PAGES 1024
#define SIM_FUZZ_STEPS 2000

static void sim_fuzz_run(const SimScenario *sc, const SimVariant *v)
{
	g_autoptr(SimWorld) w = sim_world_new(sc, v, NULL);
	struct sim_run_result res = { 0 };
	struct sim_explore_opts eo = { .max_preemptions = -1, .dpor = true, .all = true,
				       .max_steps = 200, .max_total_steps = 20000,
				       .check = sc->check | SIM_FINDINGS_ALWAYS };
	struct sim_explore_result er;

	if (!w)
		return;
	for (int strategy = SIM_STRATEGY_RR; strategy <= SIM_STRATEGY_RANDOM; strategy++) {
		struct sim_run_opts o = { .strategy = (enum sim_strategy_kind)strategy, .seed = 1,
					  .max_steps = SIM_FUZZ_STEPS,
					  .check = sc->check | SIM_FINDINGS_ALWAYS };

		sim_run(w, &o, &res, NULL);
	}
	sim_run_result_release(&res);
	if (sim_explore(w, &eo, &er, NULL))
		sim_explore_result_clear(&er);
}

void sim_fuzz_scenario(const uint8_t *data, size_t size)
{
	g_autoptr(SimScenario) sc = sim_scenario_load_data("fuzz.yaml", (const char *)data, size,
							   NULL);

	if (!sc || sc->pages > SIM_FUZZ_PAGES)
		return;
	for (int i = 0; sim_variants[i]; i++)
		sim_fuzz_run(sc, sim_variants[i]);
}

void sim_fuzz_schedule(const uint8_t *data, size_t size)
{
	g_autofree char *str = g_strndup((const char *)data, size);
	struct sim_schedule s = { 0 }, t = { 0 };
	int col = 0;

	if (sim_schedule_parse(str, 4, &s, &col, NULL)) {
		g_autofree char *back = sim_schedule_format(&s, s.n);

		/* what the printer writes, the parser reads back to the same choices */
		if (!sim_schedule_parse(back, 4, &t, &col, NULL) || t.n != s.n ||
		    memcmp(t.c, s.c, s.n * sizeof(*s.c)))
			__builtin_trap();
	} else if (col < 1 || col > (int)strlen(str) + 1) {
		__builtin_trap(); /* an error must point inside the string */
	}
	sim_schedule_release(&s);
	sim_schedule_release(&t);
}
