// SPDX-License-Identifier: GPL-2.0
/*
 * The bad-input suite: every file of tests/data/bad/ is a malformed scenario
 * whose exact message (file:line:column: what was expected) is in
 * tests/data/bad/expected.tsv ({VARIANTS} there stands for the registry's
 * names, so adding a variant does not touch the file). `mmsim validate` and
 * `mmsim run` must print it and exit 2, without crashing, hanging or
 * writing anything.
 * Test paths: /cli/bad-input/<file>.
 */
#include <string.h>

#include "sim-test.h"
#include "variants/variant.h"

/* The message with {VARIANTS} replaced by the registry's names. */
static char *expand(const char *message)
{
	g_autoptr(GString) names = g_string_new(NULL);
	g_auto(GStrv) parts = g_strsplit(message, "{VARIANTS}", -1);

	for (int i = 0; sim_variants[i]; i++)
		g_string_append_printf(names, "%s%s", i ? ", " : "", sim_variants[i]->name);
	return g_strjoinv(names->str, parts);
}

struct bad_case {
	char *file;
	char *message;
};

static void test_bad_file(gconstpointer data)
{
	const struct bad_case *c = data;
	g_autofree char *path = g_build_filename("tests", "data", "bad", c->file, NULL);
	g_autofree char *want = g_strdup_printf("mmsim: %s:%s\n", path, c->message);
	const char *validate[] = { "validate", path, NULL };
	const char *run[] = { "run", path, "--runs", "1", NULL };
	const char *const *cmds[] = { validate, run };

	for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_autofree char *out = NULL, *err = NULL;

		g_assert_cmpint(sim_test_mmsim_in(sim_test_srcdir(), &out, &err, cmds[i]), ==, 2);
		g_assert_cmpstr(err, ==, want);
		g_assert_cmpstr(out, ==, "");
	}
}

int main(int argc, char **argv)
{
	g_autofree char *tsv = g_build_filename(sim_test_srcdir(), "tests", "data", "bad",
						"expected.tsv", NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	guint n = 0;

	g_test_init(&argc, &argv, NULL);
	g_assert_true(g_file_get_contents(tsv, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		char *tab = strchr(lines[i], '\t');
		struct bad_case *c;
		g_autofree char *test = NULL;

		if (!tab)
			continue;
		c = g_new0(struct bad_case, 1);
		c->file = g_strndup(lines[i], (gsize)(tab - lines[i]));
		c->message = expand(tab + 1);
		test = g_strdup_printf("/cli/bad-input/%s", c->file);
		g_test_add_data_func(test, c, test_bad_file);
		n++;
	}
	g_assert_cmpuint(n, >=, 50);
	return g_test_run();
}
