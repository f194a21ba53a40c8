// SPDX-License-Identifier: GPL-2.0
/*
 * The command line as a user meets it: exit statuses, error messages, the
 * replay of a printed violation, output files that are never half-written.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "sim-test.h"

static char *flagship;

static void test_flagship_verdicts(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", "--runs", "2000",
			      "--seed", "1", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "freepage-count  broken in"));
	g_assert_nonnull(strstr(out, "in __free_one_page"));
	g_assert_nonnull(strstr(out, "replay: mmsim run"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.18", "--runs", "2000",
			      "--seed", "1", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "no run broke any invariant"));
}

/* One run of v3.16 that happens not to break: its expect (four invariants) is not met. */
static void test_expect_not_met_exits_1(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", "--strategy", "rr",
			      "--runs", "1", NULL),
			==, 1);
	g_assert_nonnull(strstr(out, "NOT MET"));
}

/* The replay line printed for a violation reproduces it at the same step. */
static void test_replay_line_reproduces(void)
{
	g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
	g_autoptr(GRegex) re = g_regex_new("freepage-count .*? at step (\\d+) .*?replay: mmsim run "
					   "\\S+ --variant v3.16 --seed (\\d+) --replay (\\S+)",
					   G_REGEX_DOTALL, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *step = NULL, *seed = NULL, *sched = NULL, *want = NULL;

	sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", NULL);
	g_assert_true(g_regex_match(re, out, 0, &m));
	step = g_match_info_fetch(m, 1);
	seed = g_match_info_fetch(m, 2);
	sched = g_match_info_fetch(m, 3);
	g_assert_cmpint(sim_test_mmsim(&out2, &err2, "run", flagship, "--variant", "v3.16", "--seed", seed,
			      "--replay", sched, NULL),
			==, 0);
	want = g_strdup_printf("freepage-count  broken in 1 of 1 runs; first in run 0 (seed %s) at "
			       "step %s ",
			       seed, step);
	g_assert_nonnull(strstr(out2, want));
	g_assert_nonnull(strstr(out2, " !! freepage-count: "));
}

static void test_json_report(void)
{
	g_autofree char *out = NULL, *err = NULL;
	static const char *const keys[] = {
		"\"scenario\":",    "\"results\":", "\"variant\":",	   "\"strategy\":",
		"\"seed\":",	    "\"runs\":",    "\"violating_runs\":", "\"max_abs_drift\":",
		"\"final_drift\":", "\"expect\":",  "\"expect_met\":",	   "\"violations\":",
		"\"invariant\":",   "\"run\":",	    "\"step\":",	   "\"cpu\":",
		"\"function\":",    "\"message\":", "\"nr_free_pages\":",  "\"truth\":",
		"\"drift\":",	    "\"schedule\":"
	};

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--json", NULL), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++)
		g_assert_nonnull(strstr(out, keys[i]));
	g_assert_true(g_str_has_prefix(out, "{\"scenario\": \"isolate-vs-free_one_page\""));
}

static void test_bad_usage_exits_2(void)
{
	static const struct {
		const char *args[6];
		const char *err;
	} cases[] = {
		{ { "run", NULL }, "mmsim: run takes one scenario file" },
		{ { "run", "--variant", "v9", "@F", NULL },
		  "mmsim: --variant: unknown variant 'v9' (known: v3.16, joonsoo-v2, v3.18, or all)" },
		{ { "run", "--runs", "many", "@F", NULL },
		  "mmsim: --runs: expected an integer from 0 to 1000000000, found 'many'" },
		{ { "run", "--variant", "v3.16", "--replay", "0.x", "@F" },
		  "mmsim: --replay:1:3: expected a CPU number, found 'x'" },
		{ { "run", "--replay", "0", "@F", NULL },
		  "mmsim: --replay: a schedule belongs to one variant; name it with --variant" },
		{ { "run", "--variant", "v3.16", "--replay", "1x3.1", "@F" },
		  "mmsim: --replay:1:5: step 4 of the schedule names CPU 1, which cannot run: its script is finished (runnable: 0)" },
		{ { "run", "no-such-file.yaml", NULL }, "mmsim: no-such-file.yaml: cannot read:" },
		{ { "frobnicate", NULL }, "mmsim: unknown command 'frobnicate'" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *out = NULL, *err = NULL;
		const char *a[6];

		for (int k = 0; k < 6; k++)
			a[k] = cases[i].args[k] && !strcmp(cases[i].args[k], "@F") ?
				       flagship :
				       cases[i].args[k];
		g_assert_cmpint(sim_test_mmsim(&out, &err, a[0], a[1], a[2], a[3], a[4], a[5], NULL), ==, 2);
		g_assert_nonnull(strstr(err, cases[i].err));
	}
}

static void test_validate(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-XXXXXX", NULL);
	g_autofree char *bad = g_build_filename(dir, "bad.yaml", NULL);
	g_autofree char *out = NULL, *err = NULL;

	g_assert_true(g_file_set_contents(bad, "name: x\nzone: {pages: 16, frob: 1}\n", -1, NULL));
	g_assert_cmpint(sim_test_mmsim(&out, &err, "validate", flagship, bad, NULL), ==, 2);
	g_assert_nonnull(strstr(out, "isolate-vs-free_one_page.yaml: ok"));
	g_assert_nonnull(strstr(err, "bad.yaml:2:19: unknown key 'frob' in zone"));
	g_unlink(bad);
	g_rmdir(dir);
}

/* --trace and --csv: written completely, or not at all when the run fails. */
static void test_output_files(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-XXXXXX", NULL);
	g_autofree char *trace = g_build_filename(dir, "trace.txt", NULL);
	g_autofree char *csv = g_build_filename(dir, "drift.csv", NULL);
	g_autofree char *out = NULL, *err = NULL, *text = NULL;
	g_autoptr(GDir) d = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", "--runs", "3",
			      "--trace", trace, "--csv", csv, NULL),
			==, 1);
	g_assert_true(g_file_get_contents(csv, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, "variant,run,seed,step,time_ns,cpu,irq,nr_free_pages,"
					     "truth,drift,settled\nv3.16,0,1,1,"));
	g_unlink(trace);
	g_unlink(csv);
	g_free(out);
	g_free(err);
	/* a bad replay fails after the trace has started: nothing is left behind */
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", "--replay",
			      "1x3.1", "--trace", trace, NULL),
			==, 2);
	g_assert_false(g_file_test(trace, G_FILE_TEST_EXISTS));
	d = g_dir_open(dir, 0, NULL);
	g_assert_null(g_dir_read_name(d));
	g_rmdir(dir);
}

static void test_variants_lists_registry(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "variants", NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "v3.16      E0"));
	g_assert_nonnull(strstr(out, "\nv3.18      E1"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	flagship = g_build_filename(sim_test_srcdir(), "scenarios", "isolate-vs-free_one_page.yaml",
				    NULL);
	g_test_add_func("/cli/run/flagship-verdicts", test_flagship_verdicts);
	g_test_add_func("/cli/run/expect-not-met-exits-1", test_expect_not_met_exits_1);
	g_test_add_func("/cli/run/replay-line-reproduces", test_replay_line_reproduces);
	g_test_add_func("/cli/run/json-report", test_json_report);
	g_test_add_func("/cli/run/output-files", test_output_files);
	g_test_add_func("/cli/usage/bad-input-exits-2", test_bad_usage_exits_2);
	g_test_add_func("/cli/validate/reports-file-line-column", test_validate);
	g_test_add_func("/cli/variants/lists-registry", test_variants_lists_registry);
	return g_test_run();
}
