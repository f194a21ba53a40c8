// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim matrix: docs/matrix.md is what the model gives today, the table does
 * not depend on --jobs, a cell that differs from its scenario's expect is
 * marked and makes the exit status 1, and the CSV has its documented columns.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sim-test.h"

static gint cmp_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "matrix", the scenarios/ files in order (relative to the source tree), then extra. */
static GPtrArray *matrix_args(const char *const *extra)
{
	g_autofree char *dir = g_build_filename(sim_test_srcdir(), "scenarios", NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		if (g_str_has_suffix(name, ".yaml"))
			g_ptr_array_add(files, g_strconcat("scenarios/", name, NULL));
	}
	/* the order in which the shell expands the scenario glob (C locale) */
	g_ptr_array_sort(files, cmp_strings);
	g_ptr_array_add(args, g_strdup("matrix"));
	for (guint i = 0; i < files->len; i++)
		g_ptr_array_add(args, g_strdup(g_ptr_array_index(files, i)));
	for (int i = 0; extra && extra[i]; i++)
		g_ptr_array_add(args, g_strdup(extra[i]));
	g_ptr_array_add(args, NULL);
	return args;
}

static void test_doc_is_current(void)
{
	g_autoptr(GPtrArray) args = matrix_args(NULL);
	g_autofree char *doc_path = g_build_filename(sim_test_srcdir(), "docs", "matrix.md", NULL);
	g_autofree char *doc = NULL, *out = NULL, *err = NULL;

	g_assert_true(g_file_get_contents(doc_path, &doc, NULL, NULL));
	g_assert_cmpint(sim_test_mmsim_in(sim_test_srcdir(), &out, &err,
					  (const char *const *)args->pdata),
			<=, 1);
	if (strcmp(doc, out))
		g_test_message("docs/matrix.md is stale: run tools/matrix");
	g_assert_cmpstr(out, ==, doc);
}

static void test_jobs_do_not_matter(void)
{
	const char *one[] = { "--jobs", "1", "--format", "csv", NULL };
	const char *four[] = { "--jobs", "4", "--format", "csv", NULL };
	g_autoptr(GPtrArray) a1 = matrix_args(one), a4 = matrix_args(four);
	g_autofree char *o1 = NULL, *e1 = NULL, *o4 = NULL, *e4 = NULL;

	sim_test_mmsim_in(sim_test_srcdir(), &o1, &e1, (const char *const *)a1->pdata);
	sim_test_mmsim_in(sim_test_srcdir(), &o4, &e4, (const char *const *)a4->pdata);
	g_assert_true(g_str_has_prefix(o1, "scenario,variant,broken,expect,met,complete,"
					   "executions\n"));
	g_assert_cmpstr(o1, ==, o4);
}

/* A scenario whose expect is wrong on purpose: the cell is marked, exit status 1. */
static void test_mismatch_is_marked(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-matrix-XXXXXX", NULL);
	g_autofree char *src = g_build_filename(sim_test_srcdir(), "scenarios",
						"r04-isolate-vs-free_one_page.yaml", NULL);
	g_autofree char *dst = g_build_filename(dir, "wrong.yaml", NULL);
	g_autofree char *text = NULL, *out = NULL, *err = NULL;
	g_autofree char *wrong = NULL;
	const char *args[] = { "matrix", dst, "--variants", "v3.16,v3.18", NULL };
	char *e;

	g_assert_true(g_file_get_contents(src, &text, NULL, NULL));
	e = strstr(text, "\nexpect:");
	g_assert_nonnull(e);
	*e = 0;
	wrong = g_strconcat(text, "\nexpect:\n  v3.16: clean\n", NULL);
	g_assert_true(g_file_set_contents(dst, wrong, -1, NULL));
	g_assert_cmpint(sim_test_mmsim_argv(&out, &err, args), ==, 1);
	g_assert_nonnull(strstr(out, "| **drift iso strand merge** (expect clean) | clean |"));
	g_assert_nonnull(strstr(out, "1 cell differs from the scenario's expect (in bold)."));
	g_unlink(dst);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cli/matrix/doc-is-current", test_doc_is_current);
	g_test_add_func("/cli/matrix/jobs-do-not-matter", test_jobs_do_not_matter);
	g_test_add_func("/cli/matrix/mismatch-is-marked", test_mismatch_is_marked);
	return g_test_run();
}
