// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim explore, the counterexample diagram, the Perfetto and ftrace files,
 * and the pct strategy, as a user meets them.
 */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sim-test.h"

static char *flagship, *pcp_drain, *guard;

static char *scenario_path(const char *file)
{
	return g_build_filename(sim_test_srcdir(), "scenarios", file, NULL);
}

static void test_flagship(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "explore", flagship, "--variant", "v3.16,v3.18",
				       NULL),
			==, 0);
	/* v3.16: found, shrunk, drawn */
	g_assert_nonnull(strstr(out, "on v3.16 (v3.16 (linux-next-20140703)): explore, DPOR with "
				     "sleep sets\n  freepage-count  broken in execution "));
	g_assert_nonnull(strstr(out, "minimal (2 preemptions, 5 steps, proven): mmsim run "));
	g_assert_nonnull(strstr(out, "searched (stopped at the first violation; --all goes on)"));
	g_assert_nonnull(strstr(out, "| CPU1 (freer)"));
	g_assert_nonnull(strstr(out, "__free_pages_ok: get_pfnblock_migratetype(0) = MOVABLE"));
	g_assert_nonnull(strstr(out, "!! step 5: freepage-count broken: NR_FREE_PAGES 13 != 15"));
	/* v3.18: proven */
	g_assert_nonnull(strstr(out, "  PROVEN: no execution broke any checked invariant\n"
				     "  covered: all interleavings\n"
				     "  executions: 15 explored"));
}

/* Bounded: the flagship needs two preemptions; with one it is out of reach. */
static void test_bounded(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "explore", flagship, "--variant", "v3.16",
				       "--max-preemptions", "1", NULL),
			==, 1);
	g_assert_nonnull(strstr(out, "covered: all interleavings with at most 1 preemption\n"));
	g_assert_nonnull(strstr(out, "NOT MET (broke: nothing)"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(sim_test_mmsim(&out, &err, "explore", flagship, "--variant", "v3.16",
				       "--max-preemptions", "2", "--all", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "covered: all interleavings with at most 2 preemptions\n"));
	g_assert_nonnull(strstr(out, "expect freepage-count, isolation, stranded, cross-merge: met"));
}

/* --all: every reachable finding, counted; the scenario's expect is checked exactly. */
static void test_all(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "explore", pcp_drain, "--variant", "v3.16",
				       "--all", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "  stranded        broken in "));
	g_assert_nonnull(strstr(out, "covered: all interleavings\n"));
	g_assert_nonnull(strstr(out, "expect freepage-count, isolation, stranded, cross-merge: met"));
}

/* The diagram alone, and its replay line reproduces the finding at the same step. */
static void test_diagram_file_replays(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-explore-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "diagram.txt", NULL);
	g_autofree char *out = NULL, *err = NULL, *text = NULL, *out2 = NULL, *err2 = NULL;
	g_autoptr(GRegex) re = g_regex_new("!! step (\\d+): (\\S+) broken.*\nreplay: mmsim run \\S+ "
					   "--variant v3.16 --seed (\\d+) --replay (\\S+)\n",
					   0, 0, NULL);
	g_autoptr(GMatchInfo) m = NULL;
	g_autofree char *step = NULL, *finding = NULL, *seed = NULL, *sched = NULL, *want = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "explore", guard, "--variant", "v3.16",
				       "--diagram", path, NULL),
			==, 0);
	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, "guard-merge-isolated on v3.16: freepage-count with "
					     "1 preemption in 11 steps (minimal)\n"));
	g_assert_nonnull(strstr(text, " point of no return: after step 7 every continuation "
				      "breaks freepage-count "));
	g_assert_true(g_regex_match(re, text, 0, &m));
	step = g_match_info_fetch(m, 1);
	finding = g_match_info_fetch(m, 2);
	seed = g_match_info_fetch(m, 3);
	sched = g_match_info_fetch(m, 4);
	g_assert_cmpint(sim_test_mmsim(&out2, &err2, "run", guard, "--variant", "v3.16", "--seed",
				       seed, "--replay", sched, NULL),
			==, 0);
	want = g_strdup_printf("%s  broken in 1 of 1 runs; first in run 0 (seed %s) at step %s ",
			       finding, seed, step);
	g_assert_nonnull(strstr(out2, want));
	g_unlink(path);
	g_rmdir(dir);
}

struct track {
	GArray *stack; /* names of the open slices */
	double last_ts;
};

static void track_free(gpointer p)
{
	struct track *t = p;

	g_array_unref(t->stack);
	g_free(t);
}

/*
 * The Perfetto file: valid JSON, a track per CPU whose B/E slices nest and
 * whose times never go back, lock and IPI instants, the three counters and
 * the broken invariant.
 */
static void check_perfetto(const char *path)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GHashTable) tracks =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, track_free);
	JsonArray *events;
	guint slices = 0, locks = 0, ipis = 0, counters = 0, broken = 0;

	g_assert_true(json_parser_load_from_file(parser, path, &error));
	g_assert_no_error(error);
	events = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)),
					      "traceEvents");
	g_assert_nonnull(events);
	for (guint i = 0; i < json_array_get_length(events); i++) {
		JsonObject *e = json_array_get_object_element(events, i);
		const char *ph = json_object_get_string_member(e, "ph");
		const char *name = json_object_get_string_member(e, "name");
		g_autofree char *key = g_strdup_printf(
			"%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
			json_object_get_int_member(e, "pid"), json_object_get_int_member(e, "tid"));
		double ts = json_object_get_double_member(e, "ts");
		struct track *t = g_hash_table_lookup(tracks, key);

		if (!strcmp(ph, "M"))
			continue;
		if (!t) {
			t = g_new0(struct track, 1);
			t->stack = g_array_new(FALSE, FALSE, sizeof(const char *));
			g_hash_table_insert(tracks, g_strdup(key), t);
		}
		if (!strcmp(ph, "C")) {
			counters += !strcmp(name, "NR_FREE_PAGES") || !strcmp(name, "drift");
			continue; /* counters share tid 0 with CPU0's slices; times checked there */
		}
		g_assert_cmpfloat(ts, >=, t->last_ts);
		t->last_ts = ts;
		if (!strcmp(ph, "B")) {
			g_array_append_val(t->stack, name);
			slices++;
		} else if (!strcmp(ph, "E")) {
			g_assert_cmpuint(t->stack->len, >, 0);
			g_array_set_size(t->stack, t->stack->len - 1);
		} else {
			g_assert_cmpstr(ph, ==, "i");
			locks += g_str_has_prefix(name, "spin_lock(&zone->lock)");
			ipis += strstr(name, "IPI") != NULL;
			broken += strstr(name, "freepage-count broken") != NULL;
		}
	}
	/* every slice is closed by the end of its run */
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, tracks);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_assert_cmpuint(((struct track *)v)->stack->len, ==, 0);
	g_assert_cmpuint(slices, >, 5);
	g_assert_cmpuint(locks, >, 0);
	g_assert_cmpuint(ipis, >, 0);
	g_assert_cmpuint(counters, >, 0);
	g_assert_cmpuint(broken, ==, 1);
}

/* Lines of `trace-cmd report`, with the kmem tracepoints the model passes through. */
static void check_ftrace(const char *path)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GRegex) re = g_regex_new("^ *\\S+-\\d+ +\\[\\d{3}\\] +\\d+\\.\\d{9}: "
					   "(mm_page_free|mm_page_pcpu_drain|mm_page_alloc|"
					   "mm_page_alloc_zone_locked|mm_page_alloc_extfrag|"
					   "mmsim_lock|mmsim_ipi|mmsim_invariant): \\S",
					   0, 0, NULL);
	guint drains = 0, frees = 0;

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	g_assert_true(g_str_has_prefix(text, "cpus=2\n"));
	lines = g_strsplit(text, "\n", -1);
	for (int i = 1; lines[i] && lines[i][0]; i++) {
		if (lines[i][0] == '#')
			continue;
		if (!g_regex_match(re, lines[i], 0, NULL))
			g_error("not a trace-cmd line: '%s'", lines[i]);
		drains += strstr(lines[i], ": mm_page_pcpu_drain: page=") != NULL;
		frees += strstr(lines[i], ": mm_page_free: page=") != NULL;
	}
	g_assert_cmpuint(drains, >, 0);
	g_assert_cmpuint(frees, >, 0);
}

static void test_perfetto_and_ftrace(void)
{
	g_autofree char *dir = g_dir_make_tmp("mmsim-explore-XXXXXX", NULL);
	g_autofree char *pf = g_build_filename(dir, "trace.json", NULL);
	g_autofree char *ft = g_build_filename(dir, "trace.txt", NULL);
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "explore", pcp_drain, "--variant", "v3.16",
				       "--perfetto", pf, "--ftrace", ft, NULL),
			==, 0);
	check_perfetto(pf);
	check_ftrace(ft);
	g_unlink(pf);
	g_unlink(ft);
	g_free(out);
	g_free(err);
	/* run writes them for every run */
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", pcp_drain, "--variant", "v3.16",
				       "--replay", "1x3.0x5.1!.1", "--perfetto", pf, NULL),
			==, 0);
	check_perfetto(pf);
	g_unlink(pf);
	g_rmdir(dir);
}

static void test_pct(void)
{
	g_autofree char *out = NULL, *err = NULL;

	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16",
				       "--strategy", "pct", "--pct-depth", "3", "--runs", "2000",
				       "--no-minimize", NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "  freepage-count  broken in "));
	g_assert_nonnull(strstr(out, "pct depth 3: each run finds a given bug of depth 3 with "
				     "probability >= 1/(n k^(d-1)) = 0.000693\n"
				     "    n = 4 processes (a task and an IPI handler per CPU), k = 19 "
				     "steps"));
	g_free(out);
	g_free(err);
	/* depth 2 cannot order three events: the flagship needs depth 3 */
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--variant", "v3.16",
				       "--strategy", "pct", "--pct-depth", "2", "--runs", "2000",
				       NULL),
			==, 0);
	g_assert_nonnull(strstr(out, "no run broke any invariant"));
	g_free(out);
	g_free(err);
	g_assert_cmpint(sim_test_mmsim(&out, &err, "run", flagship, "--pct-depth", "2", NULL), ==,
			2);
	g_assert_nonnull(strstr(err, "--pct-depth: only the pct strategy has a depth"));
}

static void test_bad_usage(void)
{
	static const struct {
		const char *args[6];
		const char *err;
	} cases[] = {
		{ { "explore", NULL }, "mmsim: explore takes one scenario file\n" },
		{ { "explore", "--max-preemptions", "two", "@F", NULL },
		  "mmsim: --max-preemptions: expected an integer from 0 to 64, found 'two'\n" },
		{ { "explore", "--max-executions", "-1", "@F", NULL },
		  "mmsim: --max-executions: expected an integer" },
		{ { "explore", "--variant", "v2.6", "@F", NULL },
		  "mmsim: --variant: unknown variant 'v2.6'" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *args[7] = { NULL };
		g_autofree char *out = NULL, *err = NULL;

		for (int k = 0; cases[i].args[k]; k++)
			args[k] = !strcmp(cases[i].args[k], "@F") ? flagship : cases[i].args[k];
		g_assert_cmpint(sim_test_mmsim_argv(&out, &err, args), ==, 2);
		g_assert_true(g_str_has_prefix(err, cases[i].err));
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	flagship = scenario_path("r04-isolate-vs-free_one_page.yaml");
	pcp_drain = scenario_path("r02-isolate-vs-pcp-drain.yaml");
	guard = scenario_path("r01-guard-merge-isolated.yaml");
	g_test_add_func("/cli/explore/flagship", test_flagship);
	g_test_add_func("/cli/explore/bounded", test_bounded);
	g_test_add_func("/cli/explore/all", test_all);
	g_test_add_func("/cli/explore/diagram-file-replays", test_diagram_file_replays);
	g_test_add_func("/cli/explore/perfetto-and-ftrace", test_perfetto_and_ftrace);
	g_test_add_func("/cli/explore/bad-usage", test_bad_usage);
	g_test_add_func("/cli/run/pct", test_pct);
	return g_test_run();
}
