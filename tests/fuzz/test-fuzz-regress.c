// SPDX-License-Identifier: GPL-2.0
/*
 * The inputs the fuzzers once crashed or hung on (tests/fuzz/regress/), run
 * again through the same code as the fuzzers (fuzz-common.c): each must now
 * be refused cleanly or load and run. Test paths: /fuzz/regress/<file>.
 */
#include "fuzz-common.h"
#include "sim-test.h"

static void test_input(gconstpointer data)
{
	const char *path = data;
	g_autofree char *text = NULL, *base = g_path_get_basename(path);
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &text, &len, NULL));
	if (g_str_has_prefix(base, "schedule-"))
		sim_fuzz_schedule((const uint8_t *)text, len);
	else
		sim_fuzz_scenario((const uint8_t *)text, len);
}

int main(int argc, char **argv)
{
	g_autofree char *dir = g_build_filename(sim_test_srcdir(), "tests", "fuzz", "regress", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	g_test_init(&argc, &argv, NULL);
	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *test = g_strdup_printf("/fuzz/regress/%s", name);

		g_test_add_data_func_full(test, g_build_filename(dir, name, NULL), test_input,
					  g_free);
	}
	return g_test_run();
}
