// SPDX-License-Identifier: GPL-2.0
/*
 * The command line as a user meets it: exit statuses, error messages, the
 * replay of a printed violation, output files that are never half-written.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <string.h>

#include "sim-test.h"

static char *flagship;

static void test_flagship_verdicts(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", "--runs",
				       "2000", "--seed", "1", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "freepage-count  broken in"));
	g_assert_nonnull(strstr(out, "in __free_one_page"));
	g_assert_nonnull(strstr(out, "replay: mmsim run"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.18", "--runs",
				       "2000", "--seed", "1", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "no run broke any invariant"));
}

/*
 * A scenario whose expect says v3.16 is clean: runs that break it do not
 * meet it (exit 1); one rr run that breaks nothing meets the real expect,
 * naming what it did not see.
 */
static void test_expect_not_met_exits_1(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "wrong.yaml", NULL);
	g_autofree char *text = NULL, *wrong = NULL, *out = NULL, *err = NULL;
	g_autofree char *out2 = NULL, *err2 = NULL;
	char *e;

	g_assert_true(g_file_get_contents(flagship, &text, NULL, NULL));
	g_assert_nonnull(e = strstr(text, "\nexpect:"));
	*e = 0;
	wrong = g_strconcat(text, "\nexpect:\n  v3.16: clean\n", NULL);
	g_assert_true(g_file_set_contents(path, wrong, -1, NULL));
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", path, "--variant", "v3.16", "--runs",
				       "200", "--no-minimize", NULL),
			==, 1);
	g_assert_nonnull(strstr(out, "expect clean: NOT MET (broke: freepage-count"));
	g_unlink(path);
	g_rmdir(dir);
	g_assert_cmpint(sim_test_mmsim(&out2, &err2, "run", flagship, "--variant", "v3.16",
				       "--strategy", "rr", "--runs", "1", NULL),
			==, 0);
	g_assert_nonnull(strstr(out2, ": met (not seen in these runs: freepage-count, isolation, "
				      "stranded, cross-merge;"));
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
	g_assert_cmpint(sim_test_mmsim(&out2, &err2, "run", flagship, "--variant", "v3.16",
				       "--seed", seed, "--replay", sched, NULL),
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

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16,v3.18",
				       "--json", NULL),
			==, 0);
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
		  "mmsim: --variant: unknown variant 'v9' (known: goto-2007, v3.16, " },
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
		g_assert_cmpint(
			sim_test_mmsim(&out, &err, a[0], a[1], a[2], a[3], a[4], a[5], NULL), ==,
			2);
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
	g_assert_nonnull(strstr(out, "r04-isolate-vs-free_one_page.yaml: ok"));
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

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16", "--runs",
				       "3", "--trace", trace, "--csv", csv, NULL),
			==, 0);
	g_assert_true(g_file_get_contents(csv, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, "variant,run,seed,step,time_ns,cpu,irq,nr_free_pages,"
					     "truth,drift,settled\nv3.16,0,1,1,"));
	g_unlink(trace);
	g_unlink(csv);
	g_free(out);
	g_free(err);
	/* a bad replay fails after the trace has started: nothing is left behind */
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16",
				       "--replay", "1x3.1", "--trace", trace, NULL),
			==, 2);
	g_assert_false(g_file_test(trace, G_FILE_TEST_EXISTS));
	d = g_dir_open(dir, 0, NULL);
	g_assert_null(g_dir_read_name(d));
	g_rmdir(dir);
}

/* --check-determinism runs each seed twice and compares the state after every step. */
static void test_check_determinism(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16",
				       "--strategy", "timed", "--runs", "50", "--check-determinism",
				       NULL),
			==, 0);
	g_assert_true(g_str_has_prefix(out, "isolate-vs-free_one_page on v3.16: deterministic: "
					    "50 runs run twice, the state after each of "));
}

/*
 * SIGINT in the middle of a long run: exit 128 + SIGINT, a message saying
 * where it stopped, the previous output file untouched and no temporary left.
 */
static void test_interrupt_keeps_previous_file(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-XXXXXX", NULL);
	g_autofree char *trace = g_build_filename(dir, "trace.txt", NULL);
	g_autofree char *churn =
		g_build_filename(sim_test_srcdir(), "tests", "bench", "churn.yaml", NULL);
	g_autofree char *text = NULL, *err = NULL;
	const char *argv[] = { g_getenv("MMSIM_BIN"),
			       "run",
			       churn,
			       "--variant",
			       "v3.16",
			       "--runs",
			       "100",
			       "--trace",
			       trace,
			       NULL };
	g_autoptr(GError) error = NULL;
	g_autoptr(GDir) d = NULL;
	GPid pid;
	int fd_err, status;
	gsize len;

	g_assert_true(g_file_set_contents(trace, "the previous trace\n", -1, NULL));
	g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
					       NULL, NULL, &pid, NULL, NULL, &fd_err, &error));
	g_usleep(300000);
	kill(pid, SIGINT);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_spawn_close_pid(pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 128 + SIGINT);
	{
		g_autoptr(GIOChannel) ch = g_io_channel_unix_new(fd_err);

		g_io_channel_set_close_on_unref(ch, TRUE);
		g_io_channel_read_to_end(ch, &err, &len, NULL);
	}
	g_assert_true(g_str_has_prefix(err, "mmsim: interrupted "));
	g_assert_true(g_file_get_contents(trace, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "the previous trace\n");
	g_unlink(trace);
	d = g_dir_open(dir, 0, NULL);
	g_assert_null(g_dir_read_name(d)); /* no temporary left behind */
	g_rmdir(dir);
}

static void test_variants_lists_registry(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "variants", NULL), ==, 0);
	g_assert_true(g_str_has_prefix(out, "goto-2007  proposal"));
	g_assert_nonnull(strstr(out, "\nv3.16      E0"));
	g_assert_nonnull(strstr(out, "\nv3.18      E1"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	flagship = g_build_filename(sim_test_srcdir(), "scenarios",
				    "r04-isolate-vs-free_one_page.yaml", NULL);
	g_test_add_func("/cli/run/flagship-verdicts", test_flagship_verdicts);
	g_test_add_func("/cli/run/expect-not-met-exits-1", test_expect_not_met_exits_1);
	g_test_add_func("/cli/run/replay-line-reproduces", test_replay_line_reproduces);
	g_test_add_func("/cli/run/json-report", test_json_report);
	g_test_add_func("/cli/run/output-files", test_output_files);
	g_test_add_func("/cli/run/check-determinism", test_check_determinism);
	g_test_add_func("/cli/run/interrupt-keeps-previous-file",
			test_interrupt_keeps_previous_file);
	g_test_add_func("/cli/usage/bad-input-exits-2", test_bad_usage_exits_2);
	g_test_add_func("/cli/validate/reports-file-line-column", test_validate);
	g_test_add_func("/cli/variants/lists-registry", test_variants_lists_registry);
	return g_test_run();
}
