// SPDX-License-Identifier: GPL-2.0
/*
 * Every scenario of scenarios/ on every variant, two ways:
 *  - explored: every interleaving (DPOR, --all): the findings reachable must
 *    be exactly the scenario's expect (clean when it names none);
 *  - sampled: the scenario's own schedule must break nothing else and,
 *    unless clean is expected, something of it.
 * Test paths: /scenarios/<file>/<variant>/{explored,sampled}.
 */
#include "explore/explore.h"
#include "sim-test.h"
#include "variants/variant.h"

struct case_data {
	char *path;
	const SimVariant *variant;
};

static void case_data_free(gpointer p)
{
	struct case_data *c = p;

	g_free(c->path);
	g_free(c);
}

static void test_sampled(gconstpointer data)
{
	const struct case_data *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = sim_scenario_load(c->path, &error);
	struct sim_batch_result r = { 0 };
	g_autofree char *expect = NULL, *broken = NULL;

	g_assert_no_error(error);
	sim_test_batch(sc, c->variant->name, &r);
	expect = sim_findings_to_string(r.expect);
	broken = sim_findings_to_string(r.broken);
	g_test_message("%s on %s: expect %s, %llu runs broke %s", sc->name, c->variant->name,
		       expect, (unsigned long long)r.runs, broken);
	g_assert_true(sim_scenario_expect_sampled(r.expect, r.broken));
	sim_batch_result_clear(&r);
}

static void test_explored(gconstpointer data)
{
	const struct case_data *c = data;
	g_autoptr(GError) error = NULL;
	g_autoptr(SimScenario) sc = sim_scenario_load(c->path, &error);
	g_autoptr(SimWorld) w = NULL;
	struct sim_explore_opts o = { .max_preemptions = -1, .dpor = true, .all = true };
	struct sim_explore_result r;
	g_autofree char *expect = NULL, *broken = NULL;
	bool given;

	g_assert_no_error(error);
	w = sim_test_world(sc, c->variant->name);
	o.max_steps = sc->max_steps;
	o.check = sc->check | SIM_FINDINGS_ALWAYS;
	g_assert_true(sim_explore(w, &o, &r, &error));
	g_assert_no_error(error);
	expect = sim_findings_to_string(sim_scenario_expect(sc, c->variant->name, &given));
	broken = sim_findings_to_string(r.broken);
	g_test_message("%s on %s: %llu executions", sc->name, c->variant->name,
		       (unsigned long long)r.executions);
	g_assert_true(r.complete);
	g_assert_cmpuint(r.cut, ==, 0);
	g_assert_cmpstr(broken, ==, expect);
	sim_explore_result_clear(&r);
}

int main(int argc, char **argv)
{
	g_autofree char *dir = g_build_filename(sim_test_srcdir(), "scenarios", NULL);
	g_autoptr(GDir) d = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	/* the cases outlive g_test_run(): freed after it (LeakSanitizer saw them lost) */
	g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func(case_data_free);
	const char *name;

	g_test_init(&argc, &argv, NULL);
	d = g_dir_open(dir, 0, NULL);
	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		if (g_str_has_suffix(name, ".yaml"))
			g_ptr_array_add(files, g_strdup(name));
	}
	g_ptr_array_sort(files, (GCompareFunc)(void *)g_strcmp0);
	g_assert_cmpuint(files->len, >=, 3);
	for (guint i = 0; i < files->len; i++) {
		const char *file = *(const char **)&g_ptr_array_index(files, i);

		for (int v = 0; sim_variants[v]; v++) {
			struct case_data *c = g_new0(struct case_data, 1);
			g_autofree char *base = g_strndup(file, strlen(file) - 5);
			g_autofree char *path =
				g_strdup_printf("/scenarios/%s/%s", base, sim_variants[v]->name);
			g_autofree char *explored = g_strconcat(path, "/explored", NULL);
			g_autofree char *sampled = g_strconcat(path, "/sampled", NULL);

			c->path = g_build_filename(dir, file, NULL);
			c->variant = sim_variants[v];
			g_ptr_array_add(cases, c);
			g_test_add_data_func(explored, c, test_explored);
			g_test_add_data_func(sampled, c, test_sampled);
		}
	}
	return g_test_run();
}
