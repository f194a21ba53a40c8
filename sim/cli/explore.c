// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim explore SCENARIO: every interleaving of the scenario's CPUs (with
 * partial-order reduction), or every one with at most K preemptions; says
 * exactly what was proven, and shows what broke as a minimal counterexample.
 * docs/explore.md.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "explore/explore.h"
#include "report/counterexample.h"
#include "report/sinks.h"
#include "util/error.h"

/* Executions are cut at this many steps unless --max-steps says otherwise. */
#define SIM_EXPLORE_DEFAULT_STEPS 100000ull

struct sim_explore_args {
	char *variant;
	char *max_preemptions;
	char *max_executions;
	char *max_steps;
	gboolean all;
	gboolean no_por;
	char *trace;
	char *perfetto;
	char *ftrace;
	char *diagram;
	char **files;
};

/* One variant's exploration and what is shown of it. */
struct sim_explored {
	const SimVariant *variant;
	struct sim_explore_result r;
	struct sim_counterexample ce[SIM_N_FINDINGS];
	int draw; /* the finding drawn, or -1 */
	uint32_t expect;
	bool expect_met;
};

static bool sim_explore_options(const struct sim_explore_args *a, const SimScenario *sc,
				struct sim_explore_opts *o, GError **error)
{
	guint64 v;

	*o = (struct sim_explore_opts){ .max_preemptions = -1,
					.dpor = !a->no_por,
					.max_steps = MIN(sc->max_steps, SIM_EXPLORE_DEFAULT_STEPS),
					.check = sc->check | SIM_FINDINGS_ALWAYS,
					.all = a->all };
	if (a->max_preemptions) {
		if (!sim_cli_parse_u64("--max-preemptions", a->max_preemptions, 64, &v, error))
			return false;
		o->max_preemptions = (int)v;
	}
	if (a->max_executions &&
	    !sim_cli_parse_u64("--max-executions", a->max_executions, G_MAXUINT64,
			       &o->max_executions, error))
		return false;
	if (a->max_steps) {
		if (!sim_cli_parse_u64("--max-steps", a->max_steps, 10000000, &v, error))
			return false;
		o->max_steps = v ? v : 1;
	}
	return true;
}

/* Did the search cover every interleaving there is (not a bounded subset)? */
static bool sim_explore_exhaustive(const struct sim_explore_opts *o,
				   const struct sim_explore_result *r)
{
	return r->complete && o->max_preemptions < 0 && !r->cut;
}

/*
 * The scenario's expect names the findings reachable over all interleavings
 * (docs/scenario-format.md). Nothing outside it may break; an exhaustive
 * --all search must break exactly it; any other search must show one of it
 * (or, for a clean expectation, nothing).
 */
static bool sim_explore_expect_met(const struct sim_explore_opts *o, struct sim_explored *e)
{
	uint32_t broken = e->r.broken & ~SIM_F(SIM_STEP_LIMIT);

	if (broken & ~e->expect)
		return false;
	if (o->all && sim_explore_exhaustive(o, &e->r))
		return broken == e->expect;
	return e->expect ? broken != 0 : true;
}

/* The finding shown first: the earliest step, then the first in the list. */
static int sim_explore_first_finding(const struct sim_explore_result *r)
{
	int best = -1;

	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if ((r->broken & SIM_F(f)) && f != SIM_STEP_LIMIT &&
		    (best < 0 || r->first[f].execution < r->first[best].execution ||
		     (r->first[f].execution == r->first[best].execution &&
		      r->first[f].v.step < r->first[best].v.step)))
			best = f;
	}
	return best;
}

static bool sim_explore_variant(const SimScenario *sc, const struct sim_explore_opts *o,
				struct sim_explored *e, GError **error)
{
	g_autoptr(SimWorld) w = sim_world_new(sc, e->variant, error);
	bool found;

	if (!w || !sim_explore(w, o, &e->r, error))
		return false;
	e->expect = sim_scenario_expect(sc, e->variant->name, &found);
	e->expect_met = sim_explore_expect_met(o, e);
	e->draw = sim_explore_first_finding(&e->r);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (!(e->r.broken & SIM_F(f)) || f == SIM_STEP_LIMIT)
			continue;
		if (!sim_counterexample_build(sc, e->variant, f, sc->seed, e->r.first[f].schedule,
					      SIM_MINIMIZE_BUDGET, &e->ce[f], error))
			return false;
	}
	return true;
}

/* What the search covered, in words a reviewer can quote. */
static char *sim_explore_scope(const struct sim_explore_args *a, const struct sim_explore_opts *o,
			       const struct sim_explore_result *r)
{
	GString *s = g_string_new(NULL);

	if (o->max_preemptions < 0)
		g_string_append(s, "all interleavings");
	else
		g_string_append_printf(s, "all interleavings with at most %d preemption%s",
				       o->max_preemptions, o->max_preemptions == 1 ? "" : "s");
	if (r->cut)
		g_string_append_printf(s, " of at most %llu steps (%llu executions were cut there)",
				       (unsigned long long)o->max_steps,
				       (unsigned long long)r->cut);
	if (r->complete)
		g_string_prepend(s, "covered: ");
	else if (r->budget)
		g_string_prepend(s, "searched (NOT exhaustively: --max-executions ran out): ");
	else
		g_string_prepend(s, "searched (stopped at the first violation; --all goes on): ");
	return g_string_free(s, FALSE);
}

static const char *sim_explore_method(const struct sim_explore_opts *o)
{
	if (o->max_preemptions >= 0)
		return "depth-first, preemption-bounded";
	return o->dpor ? "DPOR with sleep sets" : "depth-first, no reduction";
}

static void sim_explore_print_finding(const struct sim_explored *e, int f, bool all)
{
	const struct sim_explore_found *fd = &e->r.first[f];
	const struct sim_violation *v = &fd->v;
	const struct sim_counterexample *ce = &e->ce[f];

	printf("  %-15s broken", sim_finding_name(f));
	if (all)
		printf(" in %llu of the executions explored (%llu distinct by function and drift);"
		       " first",
		       (unsigned long long)e->r.violating_executions[f],
		       (unsigned long long)e->r.distinct[f]);
	printf(" in execution %llu at step %llu on CPU%d%s in %s\n",
	       (unsigned long long)fd->execution + 1, (unsigned long long)v->step, v->cpu,
	       v->irq ? " (IPI)" : "", v->function);
	if (v->chain[0])
		printf("%19s(%s)\n", "", v->chain);
	printf("%19s%s\n%19sNR_FREE_PAGES %ld, truth %ld, drift %+ld\n", "", v->message, "",
	       v->nr_free_pages, v->truth, v->drift);
	if (ce->replay)
		printf("%19sminimal (%d preemption%s, %llu steps, %s): %s\n", "",
		       ce->min.preemptions, ce->min.preemptions == 1 ? "" : "s",
		       (unsigned long long)ce->min.steps,
		       sim_minimal_how(&ce->min), ce->replay);
}

static void sim_explore_print(const struct sim_explore_args *a, const SimScenario *sc,
			      const struct sim_explore_opts *o, const struct sim_explored *e)
{
	const struct sim_explore_result *r = &e->r;
	g_autofree char *scope = sim_explore_scope(a, o, r);
	g_autofree char *expect = sim_findings_to_string(e->expect);
	g_autofree char *broken = sim_findings_to_string(r->broken & ~SIM_F(SIM_STEP_LIMIT));

	printf("%s on %s (%s): explore, %s\n", sc->name, e->variant->name, e->variant->kernel,
	       sim_explore_method(o));
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if ((r->broken & SIM_F(f)) && f != SIM_STEP_LIMIT)
			sim_explore_print_finding(e, f, o->all);
	}
	if (!(r->broken & ~SIM_F(SIM_STEP_LIMIT)))
		printf("  %s: no execution broke any checked invariant\n",
		       r->complete ? "PROVEN" : "not proven");
	printf("  %s\n", scope);
	printf("  executions: %llu explored (%llu steps), %llu cut short by sleep sets, %llu "
	       "choices pruned by reduction or bound; longest %llu steps\n",
	       (unsigned long long)r->executions, (unsigned long long)r->steps,
	       (unsigned long long)r->sleep_blocked, (unsigned long long)r->pruned,
	       (unsigned long long)r->max_depth);
	printf("  expect %s: %s", expect, e->expect_met ? "met" : "NOT MET");
	if (!e->expect_met || (e->expect && (r->broken & ~SIM_F(SIM_STEP_LIMIT)) != e->expect))
		printf(" (broke: %s)", r->broken & ~SIM_F(SIM_STEP_LIMIT) ? broken : "nothing");
	printf("\n");
	if (e->draw >= 0)
		printf("\n%s\n", e->ce[e->draw].diagram);
}

/* --trace/--perfetto/--ftrace: replay each drawn counterexample into them. */
static bool sim_explore_traces(const SimScenario *sc, struct sim_explored *ex, guint n,
			       struct sim_sinks *sinks, GError **error)
{
	for (guint i = 0; i < n; i++) {
		const struct sim_counterexample *ce = ex[i].draw >= 0 ? &ex[i].ce[ex[i].draw] : NULL;
		struct sim_schedule s = { 0 };
		struct sim_batch_result r = { 0 };
		struct sim_batch_opts o = { .strategy = SIM_STRATEGY_REPLAY, .runs = 1,
					    .seed = sc->seed, .check = sc->check | SIM_FINDINGS_ALWAYS,
					    .replay = &s };
		int col;
		bool ok;

		if (!ce)
			continue;
		o.max_steps = ce->min.steps;
		sim_sinks_variant(sinks, ex[i].variant->name);
		sim_sinks_attach(sinks, &o);
		ok = sim_schedule_parse(ce->min.schedule, sc->cpus, &s, &col, error) &&
		     sim_batch_run(sc, ex[i].variant, &o, &r, error);
		sim_batch_result_clear(&r);
		sim_schedule_release(&s);
		if (!ok)
			return false;
	}
	return true;
}

static bool sim_explore_write_diagrams(const char *path, const struct sim_explored *ex, guint n,
				       GError **error)
{
	g_autoptr(SimOutfile) f = sim_outfile_open(path, error);
	bool any = false;

	if (!f)
		return false;
	for (guint i = 0; i < n; i++) {
		if (ex[i].draw < 0)
			continue;
		fprintf(sim_outfile_stream(f), "%s%s", any ? "\n" : "",
			ex[i].ce[ex[i].draw].diagram);
		any = true;
	}
	if (!any)
		fprintf(sim_outfile_stream(f), "no counterexample: no execution broke an invariant\n");
	return sim_outfile_commit(g_steal_pointer(&f), error);
}

static void sim_explored_clear(struct sim_explored *e)
{
	sim_explore_result_clear(&e->r);
	sim_counterexamples_clear(e->ce);
}

static int sim_explore_scenario(const struct sim_explore_args *a, GError **error)
{
	g_autoptr(SimScenario) sc = sim_scenario_load(a->files[0], error);
	g_autoptr(GPtrArray) variants = NULL;
	struct sim_explore_opts o;
	struct sim_sinks sinks = { 0 };
	struct sim_sinks_paths paths = { a->trace, NULL, a->perfetto, a->ftrace };
	struct sim_explored *ex;
	int status = 0;
	guint n;
	bool ok = true;

	if (!sc || !(variants = sim_cli_variants(a->variant, error)) ||
	    !sim_explore_options(a, sc, &o, error))
		return 2;
	ex = g_new0(struct sim_explored, variants->len);
	for (n = 0; n < variants->len && ok; n++) {
		ex[n].variant = g_ptr_array_index(variants, n);
		ok = sim_explore_variant(sc, &o, &ex[n], error);
		if (!ok)
			break;
		sim_explore_print(a, sc, &o, &ex[n]);
		if (!ex[n].expect_met)
			status = 1;
		fflush(stdout);
	}
	if (ok && (a->trace || a->perfetto || a->ftrace))
		ok = sim_sinks_open(&sinks, &paths, NULL, sc, error) &&
		     sim_explore_traces(sc, ex, n, &sinks, error) &&
		     sim_sinks_commit(&sinks, error);
	if (ok && a->diagram)
		ok = sim_explore_write_diagrams(a->diagram, ex, n, error);
	sim_sinks_abandon(&sinks);
	for (guint i = 0; i < variants->len; i++)
		sim_explored_clear(&ex[i]);
	g_free(ex);
	return ok ? status : 2;
}

int sim_cmd_explore(int argc, char **argv)
{
	struct sim_explore_args a = { 0 };
	GOptionEntry entries[] = {
		{ "variant", 'v', 0, G_OPTION_ARG_STRING, &a.variant,
		  "Variant(s) to explore: a name, a comma-separated list, or all (default)",
		  "NAME" },
		{ "max-preemptions", 'k', 0, G_OPTION_ARG_STRING, &a.max_preemptions,
		  "Explore only interleavings with at most K preemptions (no reduction)", "K" },
		{ "max-executions", 0, 0, G_OPTION_ARG_STRING, &a.max_executions,
		  "Stop after N executions (the report then proves nothing)", "N" },
		{ "max-steps", 0, 0, G_OPTION_ARG_STRING, &a.max_steps,
		  "Cut executions at N steps (default: the scenario's, at most 100000)", "N" },
		{ "all", 'a', 0, G_OPTION_ARG_NONE, &a.all,
		  "Go on after a violation: every reachable violation, counted", NULL },
		{ "no-por", 0, 0, G_OPTION_ARG_NONE, &a.no_por,
		  "Plain depth-first search, without partial-order reduction", NULL },
		{ "diagram", 0, 0, G_OPTION_ARG_FILENAME, &a.diagram,
		  "Write the two-column counterexample diagram(s) alone to FILE", "FILE" },
		{ "trace", 't', 0, G_OPTION_ARG_FILENAME, &a.trace,
		  "Write the counterexample's per-step trace to FILE", "FILE" },
		{ "perfetto", 0, 0, G_OPTION_ARG_FILENAME, &a.perfetto,
		  "Write the counterexample as Perfetto / chrome://tracing JSON to FILE", "FILE" },
		{ "ftrace", 0, 0, G_OPTION_ARG_FILENAME, &a.ftrace,
		  "Write the counterexample as trace-cmd report lines to FILE", "FILE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.files, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("SCENARIO - explore every interleaving of a scenario");
	g_autoptr(GError) error = NULL;
	int status;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Exit status: 0 if every variant did what the scenario expects, 1 if one\n"
		     "did not, 2 on bad input or usage. See docs/explore.md.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		status = sim_cli_fail(error);
	else if (!a.files || !a.files[0] || a.files[1]) {
		fprintf(stderr, "mmsim: explore takes one scenario file\n");
		status = 2;
	} else {
		status = sim_explore_scenario(&a, &error);
		if (error)
			status = sim_cli_fail(error);
	}
	g_free(a.variant);
	g_free(a.max_preemptions);
	g_free(a.max_executions);
	g_free(a.max_steps);
	g_free(a.trace);
	g_free(a.perfetto);
	g_free(a.ftrace);
	g_free(a.diagram);
	g_strfreev(a.files);
	return status;
}
