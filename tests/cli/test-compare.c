// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim compare, plot and merge as a user runs them: the same files for any
 * --jobs and for shards merged; the documented columns; a summary that
 * agrees with the per-run rows; plots that are real PNG and SVG files.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>

#include "sim-test.h"

static char *scenario;

static char *tmpdir(void)
{
	return g_dir_make_tmp("mmsim-compare-XXXXXX", NULL);
}

static void rm_rf(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *p = g_build_filename(dir, name, NULL);

		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			rm_rf(p);
		else
			g_unlink(p);
	}
	g_rmdir(dir);
}

static char *slurp(const char *dir, const char *name)
{
	g_autofree char *p = g_build_filename(dir, name, NULL);
	char *data = NULL;

	g_assert_true(g_file_get_contents(p, &data, NULL, NULL));
	return data;
}

static void compare(const char *out, const char *jobs, const char *shard)
{
	const char *args[] = { "compare", scenario, "--runs", "600",
			       "--seed",  "9",	    "--jobs", jobs,
			       "--out",	  out,	    "-q",     shard ? "--shard" : NULL,
			       shard,	  NULL };
	g_autofree char *o = NULL, *e = NULL;

	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, args), <=, 1);
}

static const char *const files[] = { "comparison.ini",	"runs.csv",
				     "drift.csv",	"violations.csv",
				     "summary.csv",	"drift-band.csv",
				     "final-drift.csv", "violations-by-invariant.csv",
				     "success.csv",	"report.md" };

static void assert_same_files(const char *a, const char *b)
{
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *x = slurp(a, files[i]);
		g_autofree char *y = slurp(b, files[i]);

		g_test_message("%s", files[i]);
		g_assert_cmpstr(x, ==, y);
	}
}

static void test_jobs_do_not_change_results(void)
{
	g_autofree char *a = tmpdir(), *b = tmpdir();

	compare(a, "1", NULL);
	compare(b, "4", NULL);
	assert_same_files(a, b);
	rm_rf(a);
	rm_rf(b);
}

static void test_shards_merge_to_the_whole(void)
{
	g_autofree char *whole = tmpdir(), *s1 = tmpdir(), *s2 = tmpdir(), *s3 = tmpdir();
	g_autofree char *merged = tmpdir();
	g_autofree char *o = NULL, *e = NULL;
	const char *args[] = { "merge", "-q", "--out", merged, s3, s1, s2, NULL };

	compare(whole, "2", NULL);
	compare(s1, "2", "1/3");
	compare(s2, "2", "2/3");
	compare(s3, "2", "3/3");
	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, args), ==, 0);
	assert_same_files(whole, merged);
	rm_rf(whole);
	rm_rf(s1);
	rm_rf(s2);
	rm_rf(s3);
	rm_rf(merged);
}

static void test_merge_refuses_mismatch(void)
{
	g_autofree char *s1 = tmpdir(), *s2 = tmpdir(), *merged = tmpdir();
	g_autofree char *o = NULL, *e = NULL;
	const char *args[] = { "merge", "--out", merged, s1, s2, NULL };
	const char *args2[] = { "merge", "--out", merged, s1, NULL };

	compare(s1, "1", "1/2");
	compare(s2, "1", "1/2");
	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, args), ==, 2);
	g_assert_nonnull(strstr(e, "this shard is given twice"));
	g_free(o);
	g_free(e);
	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, args2), ==, 2);
	g_assert_nonnull(strstr(e, "shard 2/2 is missing"));
	rm_rf(s1);
	rm_rf(s2);
	rm_rf(merged);
}

/* The first line of a CSV file. */
static char *header(const char *dir, const char *name)
{
	g_autofree char *data = slurp(dir, name);

	return g_strndup(data, strcspn(data, "\n"));
}

static void test_documented_columns(void)
{
	g_autofree char *d = tmpdir();
	g_autofree char *runs = NULL, *drift = NULL, *viol = NULL, *sum = NULL, *band = NULL;

	compare(d, "2", NULL);
	runs = header(d, "runs.csv");
	drift = header(d, "drift.csv");
	viol = header(d, "violations.csv");
	sum = header(d, "summary.csv");
	band = header(d, "drift-band.csv");
	g_assert_cmpstr(runs, ==,
			"variant,run,seed,steps,time_ns,findings,first_finding,first_step,"
			"max_abs_drift,final_drift,test_pages_isolated_calls,"
			"test_pages_isolated_ok,alloc_contig_range_calls,alloc_contig_range_ok,"
			"offline_pages_calls,offline_pages_ok,offline_pages_retries,"
			"online_pages_calls,online_pages_ok,cma_alloc_calls,cma_alloc_ok,"
			"cma_alloc_retries");
	g_assert_cmpstr(drift, ==, "variant,run,time_ns,drift");
	g_assert_cmpstr(viol, ==,
			"variant,finding,run,seed,step,time_ns,cpu,irq,function,chain,"
			"nr_free_pages,truth,drift,message,schedule");
	g_assert_cmpstr(sum, ==,
			"variant,runs,violating_runs,freepage-count_runs,cma-count_runs,"
			"isolation_runs,stranded_runs,cross-merge_runs,buddy_runs,"
			"deadlock_runs,bug_runs,step-limit_runs,first_violating_run,"
			"first_violating_seed,max_abs_drift,final_drift_min,final_drift_p5,"
			"final_drift_median,final_drift_p95,final_drift_max,steps_mean,"
			"steps_max,test_pages_isolated_calls,test_pages_isolated_ok,"
			"alloc_contig_range_calls,alloc_contig_range_ok,offline_pages_calls,"
			"offline_pages_ok,offline_pages_retries,online_pages_calls,"
			"online_pages_ok,cma_alloc_calls,cma_alloc_ok,cma_alloc_retries");
	g_assert_cmpstr(band, ==, "variant,time_ns,p5,median,p95");
	rm_rf(d);
}

/* summary.csv's counts are the counts of runs.csv's rows. */
static void test_summary_matches_runs(void)
{
	g_autofree char *d = tmpdir();
	g_autofree char *runs = NULL, *sum = NULL;
	g_auto(GStrv) lines = NULL, slines = NULL;
	GHashTable *violating = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	GHashTable *total = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	compare(d, "2", NULL);
	runs = slurp(d, "runs.csv");
	lines = g_strsplit(runs, "\n", -1);
	for (int i = 1; lines[i] && *lines[i]; i++) {
		g_auto(GStrv) f = g_strsplit(lines[i], ",", -1);

		g_hash_table_insert(
			total, g_strdup(f[0]),
			GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(total, f[0])) + 1));
		if (strcmp(f[5], "clean"))
			g_hash_table_insert(violating, g_strdup(f[0]),
					    GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(
								     violating, f[0])) +
							     1));
	}
	sum = slurp(d, "summary.csv");
	slines = g_strsplit(sum, "\n", -1);
	g_assert_nonnull(slines[1]);
	for (int i = 1; slines[i] && *slines[i]; i++) {
		g_auto(GStrv) f = g_strsplit(slines[i], ",", -1);

		g_assert_cmpuint(g_ascii_strtoull(f[1], NULL, 10), ==,
				 GPOINTER_TO_UINT(g_hash_table_lookup(total, f[0])));
		g_assert_cmpuint(g_ascii_strtoull(f[2], NULL, 10), ==,
				 GPOINTER_TO_UINT(g_hash_table_lookup(violating, f[0])));
	}
	g_hash_table_unref(violating);
	g_hash_table_unref(total);
	rm_rf(d);
}

static void test_plots_are_png_and_svg(void)
{
	g_autofree char *d = tmpdir();
	g_autofree char *gp = g_find_program_in_path("gnuplot");
	static const char *const names[] = { "drift", "final-drift", "violations" };

	if (!gp) {
		g_test_skip("gnuplot is not installed");
		return;
	}
	compare(d, "2", NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *png_name = g_strdup_printf("%s.png", names[i]);
		g_autofree char *svg_name = g_strdup_printf("%s.svg", names[i]);
		g_autofree char *png = NULL, *svg = NULL;
		g_autofree char *p = g_build_filename(d, png_name, NULL);
		gsize len = 0;

		g_assert_true(g_file_get_contents(p, &png, &len, NULL));
		g_assert_cmpuint(len, >, 1000);
		g_assert_cmpint(memcmp(png, "\x89PNG\r\n\x1a\n", 8), ==, 0);
		svg = slurp(d, svg_name);
		g_assert_nonnull(strstr(svg, "<svg"));
		g_assert_nonnull(strstr(svg, "</svg>"));
	}
	rm_rf(d);
}

/* mmsim plot renders again from the CSVs alone. */
static void test_plot_rerenders(void)
{
	g_autofree char *d = tmpdir();
	g_autofree char *p = NULL, *o = NULL, *e = NULL;
	g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
	const char *args[] = { "plot", d, NULL };

	if (!gnuplot) {
		g_test_skip("gnuplot is not installed");
		return;
	}
	compare(d, "2", NULL);
	p = g_build_filename(d, "drift.svg", NULL);
	g_unlink(p);
	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, args), ==, 0);
	g_assert_true(g_file_test(p, G_FILE_TEST_EXISTS));
	rm_rf(d);
}

/*
 * A comparison killed halfway keeps its finished runs in DIR.partial; the
 * same command with --resume (and another --jobs) goes on from there and
 * writes what an uninterrupted comparison writes, byte for byte.
 */
static void test_interrupt_and_resume(void)
{
	g_autofree char *d = tmpdir();
	g_autofree char *churn =
		g_build_filename(sim_test_srcdir(), "tests", "bench", "churn.yaml", NULL);
	g_autofree char *a = g_build_filename(d, "a", NULL);
	g_autofree char *b = g_build_filename(d, "b", NULL);
	g_autofree char *partial = g_strconcat(a, ".partial", NULL);
	g_autofree char *o = NULL, *e = NULL, *o2 = NULL, *e2 = NULL;
	const char *argv[] = { g_getenv("MMSIM_BIN"),
			       "compare",
			       churn,
			       "--variants",
			       "v3.16,v3.18",
			       "--runs",
			       "8",
			       "--jobs",
			       "2",
			       "--out",
			       a,
			       "-q",
			       NULL };
	const char *resume[] = { "compare", churn,	"--variants", "v3.16,v3.18", "--runs",
				 "8",	    "--jobs",	"1",	      "--out",	     a,
				 "-q",	    "--resume", NULL };
	const char *whole[] = { "compare", churn, "--variants", "v3.16,v3.18", "--runs", "8",
				"--out",   b,	  "-q",		NULL };
	const char *files[] = { "runs.csv", "drift.csv", "violations.csv", "summary.csv",
				"report.md" };
	GPid pid;
	int status;

	g_assert_true(g_spawn_async(NULL, (char **)argv, NULL,
				    G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
					    G_SPAWN_STDERR_TO_DEV_NULL,
				    NULL, NULL, &pid, NULL));
	g_usleep(500000);
	kill(pid, SIGINT);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_spawn_close_pid(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGINT) {
		g_assert_true(g_file_test(partial, G_FILE_TEST_IS_DIR));
		g_assert_false(g_file_test(a, G_FILE_TEST_EXISTS));
	} else {
		g_test_message("the comparison finished before SIGINT: resume has nothing to do");
	}
	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, resume), <=, 1);
	g_assert_false(g_file_test(partial, G_FILE_TEST_EXISTS));
	g_assert_cmpint(sim_test_mmsim_argv(&o2, &e2, whole), <=, 1);
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *pa = g_build_filename(a, files[i], NULL);
		g_autofree char *pb = g_build_filename(b, files[i], NULL);
		g_autofree char *ta = NULL, *tb = NULL;

		g_assert_true(g_file_get_contents(pa, &ta, NULL, NULL));
		g_assert_true(g_file_get_contents(pb, &tb, NULL, NULL));
		g_assert_cmpstr(ta, ==, tb);
	}
	rm_rf(d);
}

/* A sweep that would not fit in memory is refused before it starts, with the way out. */
static void test_too_big_is_refused(void)
{
	g_autofree char *d = tmpdir();
	g_autofree char *out_dir = g_build_filename(d, "out", NULL);
	g_autofree char *o = NULL, *e = NULL;
	const char *args[] = {
		"compare", scenario, "--runs", "1000000000", "--out", out_dir, NULL
	};

	g_assert_cmpint(sim_test_mmsim_argv(&o, &e, args), ==, 2);
	g_assert_true(g_str_has_prefix(e, "mmsim: compare: "));
	g_assert_nonnull(strstr(e, "SIM_COMPARE_MEMORY_LIMIT"));
	g_assert_nonnull(strstr(e, "--shard I/N"));
	g_assert_false(g_file_test(out_dir, G_FILE_TEST_EXISTS));
	rm_rf(d);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	scenario = g_build_filename(sim_test_srcdir(), "scenarios", "r02-isolate-vs-pcp-drain.yaml",
				    NULL);
	g_test_add_func("/compare/determinism/jobs", test_jobs_do_not_change_results);
	g_test_add_func("/compare/determinism/shards-merge-to-the-whole",
			test_shards_merge_to_the_whole);
	g_test_add_func("/compare/merge/refuses-mismatch", test_merge_refuses_mismatch);
	g_test_add_func("/compare/files/documented-columns", test_documented_columns);
	g_test_add_func("/compare/files/summary-matches-runs", test_summary_matches_runs);
	g_test_add_func("/compare/plots/png-and-svg", test_plots_are_png_and_svg);
	g_test_add_func("/compare/plots/rerender", test_plot_rerenders);
	g_test_add_func("/compare/limits/too-big-is-refused", test_too_big_is_refused);
	g_test_add_func("/compare/interrupt/resume-gives-the-whole", test_interrupt_and_resume);
	return g_test_run();
}
