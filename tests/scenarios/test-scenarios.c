// SPDX-License-Identifier: GPL-2.0
/*
 * Every scenario of scenarios/ on every variant, with the scenario's own
 * schedule: the findings must be exactly the scenario's expect (clean when
 * it names none). Test paths: /scenarios/<file>/<variant>.
 */
#include "sim-test.h"
#include "variants/variant.h"

struct case_data {
	char *path;
	const SimVariant *variant;
};

static void test_expect(gconstpointer data)
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
	if (!r.expect_met)
		g_test_message("%s on %s: expected %s, broke %s", sc->name, c->variant->name,
			       expect, broken);
	g_assert_cmpstr(broken, ==, expect);
	sim_batch_result_clear(&r);
}

int main(int argc, char **argv)
{
	g_autofree char *dir = g_build_filename(sim_test_srcdir(), "scenarios", NULL);
	g_autoptr(GDir) d = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
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

			c->path = g_build_filename(dir, file, NULL);
			c->variant = sim_variants[v];
			g_test_add_data_func_full(path, c, test_expect, NULL);
		}
	}
	return g_test_run();
}
