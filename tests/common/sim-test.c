// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include "engine/exec.h"
#include "sim-test.h"
#include "variants/variant.h"

SimScenario *sim_test_scenario(const char *yaml)
{
	g_autoptr(GError) error = NULL;
	SimScenario *sc = sim_scenario_load_data("test.yaml", yaml, strlen(yaml), &error);

	g_assert_no_error(error);
	g_assert_nonnull(sc);
	return sc;
}

char *sim_test_scenario_error(const char *yaml)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = sim_scenario_load_data("test.yaml", yaml, strlen(yaml), &error);

	if (sc)
		return NULL;
	g_assert_nonnull(error);
	return g_strdup(error->message);
}

SimWorld *sim_test_world(const SimScenario *sc, const char *variant)
{
	g_autoptr(GError) error = NULL;
	const SimVariant *v = sim_variant_lookup(variant);
	SimWorld *w;

	g_assert_nonnull(v);
	w = sim_world_new(sc, v, &error);
	g_assert_no_error(error);
	return w;
}

void sim_test_run(SimWorld *w, enum sim_strategy_kind strategy, uint64_t seed, const char *schedule,
		  struct sim_run_result *res)
{
	g_autoptr(GError) error = NULL;
	struct sim_schedule replay = { 0 };
	struct sim_run_opts o = { .strategy = strategy,
				  .seed = seed,
				  .max_steps = 1000000,
				  .check = SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS };
	int col = 0;

	if (schedule) {
		g_assert_true(sim_schedule_parse(schedule, w->ncpus, &replay, &col, &error));
		o.replay = &replay;
	}
	g_assert_true(sim_run(w, &o, res, &error));
	g_assert_no_error(error);
	sim_schedule_release(&replay);
}

void sim_test_batch(const SimScenario *sc, const char *variant, struct sim_batch_result *r)
{
	g_autoptr(GError) error = NULL;
	struct sim_batch_opts o = { .strategy = sc->strategy,
				    .runs = sc->runs,
				    .seed = sc->seed,
				    .max_steps = sc->max_steps,
				    .check = sc->check | SIM_FINDINGS_ALWAYS };

	g_assert_true(sim_batch_run(sc, sim_variant_lookup(variant), &o, r, &error));
	g_assert_no_error(error);
}

struct sim_test_search {
	SimWorld *w;
	int max_preemptions;
	bool (*pred)(SimWorld *w, void *data);
	void *data;
	uint64_t executions, hits;
};

/* The search below node `depth`: the world is in that node's state. */
static void sim_test_search_from(struct sim_test_search *s, int last_cpu, int preemptions)
{
	struct sim_choice ch[2 * SIM_NR_CPUS_LIMIT];
	struct sim_breach b[SIM_N_FINDINGS];
	int n = sim_exec_choices(s->w, ch);
	bool last_can_go_on = false;
	g_autofree void *snap = NULL;

	if (!n) {
		s->executions++;
		return;
	}
	for (int i = 0; i < n; i++)
		last_can_go_on |= ch[i].cpu == last_cpu && !ch[i].irq;
	snap = g_memdup2(s->w->arena, s->w->arena_size);
	for (int i = 0; i < n; i++) {
		bool preempts = last_can_go_on && (ch[i].cpu != last_cpu || ch[i].irq);

		if (s->max_preemptions >= 0 && preemptions + preempts > s->max_preemptions)
			continue;
		memcpy(s->w->arena, snap, s->w->arena_size);
		sim_exec_step(s->w, ch[i], sim_exec_start_time(s->w, ch[i]));
		sim_check_step(s->w, SIM_INVARIANTS_ALL | SIM_FINDINGS_ALWAYS, 0, b);
		if (s->pred(s->w, s->data))
			s->hits++;
		sim_test_search_from(s, ch[i].cpu, preemptions + preempts);
	}
}

uint64_t sim_test_search(SimWorld *w, int max_preemptions, bool (*pred)(SimWorld *w, void *data),
			 void *data, uint64_t *hits)
{
	struct sim_test_search s = {
		.w = w, .max_preemptions = max_preemptions, .pred = pred, .data = data
	};

	sim_world_reset(w);
	sim_test_search_from(&s, -1, 0);
	*hits = s.hits;
	return s.executions;
}

int sim_test_free_order(SimWorld *w, unsigned long pfn, int *migratetype)
{
	struct page *page = pfn_to_page(w, pfn);

	if (!PageBuddy(page))
		return -1;
	if (migratetype)
		*migratetype = page->where_mt;
	return (int)page_order(page);
}

bool sim_test_quick(void)
{
	return g_getenv("MMSIM_TEST_QUICK") != NULL;
}

const char *sim_test_srcdir(void)
{
	const char *dir = g_getenv("MMSIM_SOURCE_DIR");

	return dir ? dir : MMSIM_SOURCE_DIR;
}

int sim_test_mmsim_argv(char **out, char **err, const char *const *args)
{
	return sim_test_mmsim_in(NULL, out, err, args);
}

int sim_test_mmsim_in(const char *cwd, char **out, char **err, const char *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	const char *bin = g_getenv("MMSIM_BIN");
	int status = -1;

	g_assert_nonnull(bin);
	g_ptr_array_add(argv, (gpointer)bin);
	for (int i = 0; args[i]; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	g_assert_true(g_spawn_sync(cwd, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   out, err, &status, &error));
	g_assert_no_error(error);
	/* a crash is never an acceptable exit status */
	g_assert_false(WIFSIGNALED(status));
	return g_spawn_check_wait_status(status, NULL) ? 0 : WEXITSTATUS(status);
}

int sim_test_mmsim(char **out, char **err, ...)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	const char *arg;
	va_list ap;

	va_start(ap, err);
	while ((arg = va_arg(ap, const char *)))
		g_ptr_array_add(args, (gpointer)arg);
	va_end(ap);
	g_ptr_array_add(args, NULL);
	return sim_test_mmsim_argv(out, err, (const char *const *)args->pdata);
}
