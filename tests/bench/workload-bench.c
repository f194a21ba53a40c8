// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim-workload-bench: the cost of generated workloads, for tools/bench (a
 * benchmark, not a test).
 *
 *   mmsim-workload-bench run SCENARIO VARIANT RUNS
 *	load the scenario, build the world, run RUNS runs (random strategy,
 *	seeds 1..RUNS): seconds per run, steps/s, churn operations and pages
 *	per second, bytes per page, peak RSS.
 *   mmsim-workload-bench zone PAGES OPS VARIANT
 *	a zone of PAGES pages, all free, three CPUs churning OPS operations
 *	each around 4096 held pages: load, world and run times, peak RSS.
 *	tools/bench runs it at three zone sizes and two OPS to show that a
 *	run's time grows with the operations and not with the zone (what does
 *	grow with the zone is per run, not per step: the arena reset and the
 *	end-of-run structural check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "engine/run.h"
#include "mm/entry.h"
#include "scenario/scenario.h"
#include "variants/variant.h"
#include "workload/workload.h"

static double sim_now(void)
{
	return (double)g_get_monotonic_time() / 1e6;
}

static long sim_peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Churn operations and pages of the world's last run. */
static void sim_churn_totals(SimWorld *w, uint64_t *ops, uint64_t *pages)
{
	for (unsigned int c = 0; c < w->ncpus; c++) {
		if (w->sc->scripts[c].workload.kind != SIM_WORKLOAD_CHURN)
			continue;
		*ops += sim_workload_cpu(w, c)->done;
		*pages += sim_workload_cpu(w, c)->churned;
	}
}

static int sim_bench(const char *label, SimScenario *sc, const char *variant, uint64_t runs,
		     double t_load)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimWorld) w = NULL;
	const SimVariant *v = sim_variant_lookup(variant);
	struct sim_run_result res = { 0 };
	uint64_t steps = 0, ops = 0, pages = 0;
	double t0 = sim_now(), t_world, t_run;

	if (!v || !(w = sim_world_new(sc, v, &error))) {
		fprintf(stderr, "mmsim-workload-bench: %s\n",
			error ? error->message : "unknown variant");
		return 2;
	}
	t_world = sim_now() - t0;
	t0 = sim_now();
	for (uint64_t i = 0; i < runs; i++) {
		struct sim_run_opts o = { .strategy = SIM_STRATEGY_RANDOM,
					  .seed = 1 + i,
					  .run_index = i,
					  .max_steps = sc->max_steps,
					  .check = sc->check | SIM_FINDINGS_ALWAYS };

		if (!sim_run(w, &o, &res, &error)) {
			fprintf(stderr, "mmsim-workload-bench: %s\n", error->message);
			return 2;
		}
		steps += res.steps;
		sim_churn_totals(w, &ops, &pages);
	}
	t_run = sim_now() - t0;
	printf("%s %s: %lu pages, %llu runs; load %.3f s, world %.3f s, %.3f s per run; "
	       "%.2f M steps/s, %.2f M churn ops/s, %.2f M churn pages/s; "
	       "arena %.1f bytes/page (and as much again for its snapshot); peak RSS %ld MB\n",
	       label, variant, sc->pages, (unsigned long long)runs, t_load, t_world,
	       t_run / (double)runs, (double)steps / t_run / 1e6, (double)ops / t_run / 1e6,
	       (double)pages / t_run / 1e6, (double)w->arena_size / (double)w->nr_pages,
	       sim_peak_rss_kb() / 1024);
	sim_run_result_release(&res);
	return 0;
}

static int sim_bench_zone(unsigned long pages, unsigned long ops, const char *variant)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *yaml = NULL, *label = NULL;
	g_autoptr(SimScenario) sc = NULL;
	GString *s = g_string_new(NULL);
	double t0 = sim_now();

	g_string_append_printf(s,
			       "name: bench-zone\nzone: {pages: %lu, max_order: 11, "
			       "pageblock_order: 9, cpus: 4, pcp: {high: 186, batch: 31}}\n"
			       "layout: {free: [{start: 0, end: %lu}]}\ncpus:\n",
			       pages, pages);
	for (int c = 0; c < 3; c++)
		g_string_append_printf(s,
				       "  - {workload: {churn: {ops: %lu, occupancy: 4096, mix: "
				       "[{order: 0, weight: 9}, {order: 3, weight: 1}]}}}\n",
				       ops);
	g_string_append(s, "schedule: {max_steps: 4000000000}\n");
	yaml = g_string_free(s, FALSE);
	sc = sim_scenario_load_data("bench-zone.yaml", yaml, strlen(yaml), &error);
	if (!sc) {
		fprintf(stderr, "mmsim-workload-bench: %s\n", error->message);
		return 2;
	}
	label = g_strdup_printf("zone %lu MiB, 3 x %lu ops", pages / 256, ops);
	return sim_bench(label, sc, variant, 1, sim_now() - t0);
}

int main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = NULL;
	double t0 = sim_now();

	if (argc == 5 && !strcmp(argv[1], "run")) {
		if (!(sc = sim_scenario_load(argv[2], &error))) {
			fprintf(stderr, "mmsim-workload-bench: %s\n", error->message);
			return 2;
		}
		return sim_bench(sc->name, sc, argv[3], strtoull(argv[4], NULL, 10),
				 sim_now() - t0);
	}
	if (argc == 5 && !strcmp(argv[1], "zone"))
		return sim_bench_zone(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10),
				      argv[4]);
	fprintf(stderr, "usage: mmsim-workload-bench run SCENARIO VARIANT RUNS\n"
			"       mmsim-workload-bench zone PAGES OPS VARIANT\n");
	return 2;
}
