// SPDX-License-Identifier: GPL-2.0
/*
 * The race x variant matrix (see matrix.h): cells explored on a thread pool,
 * each worker with its own world, results written to the cell's slot, so
 * the tables are the same for any number of workers.
 */
#include <string.h>

#include "check/invariants.h"
#include "explore/explore.h"
#include "matrix/matrix.h"

#define SIM_MATRIX_BUDGET 200000000ull /* steps per cell: a few seconds at worst */

struct sim_matrix *sim_matrix_new(char **files, GPtrArray *variants, GError **error)
{
	g_autoptr(SimMatrix) m = g_new0(struct sim_matrix, 1);

	m->scenarios = g_ptr_array_new_with_free_func((GDestroyNotify)sim_scenario_free);
	m->variants = g_ptr_array_ref(variants);
	m->budget = SIM_MATRIX_BUDGET;
	for (int i = 0; files[i]; i++) {
		SimScenario *sc = sim_scenario_load(files[i], error);

		if (!sc)
			return NULL;
		g_ptr_array_add(m->scenarios, sc);
	}
	m->cells = g_new0(struct sim_matrix_cell, m->scenarios->len * variants->len);
	return g_steal_pointer(&m);
}

void sim_matrix_free(struct sim_matrix *m)
{
	if (!m)
		return;
	for (guint i = 0; m->cells && i < m->scenarios->len * m->variants->len; i++)
		g_free(m->cells[i].error);
	g_free(m->cells);
	g_ptr_array_unref(m->scenarios);
	g_ptr_array_unref(m->variants);
	g_free(m);
}

struct sim_matrix_cell *sim_matrix_cell(const struct sim_matrix *m, guint scenario, guint variant)
{
	return &m->cells[scenario * m->variants->len + variant];
}

bool sim_matrix_cell_met(const struct sim_matrix_cell *c)
{
	if (c->error)
		return false;
	if (c->complete && !c->cut)
		return c->broken == c->expect;
	/* a partial search shows some of what is reachable: nothing outside expect */
	return !(c->broken & ~c->expect);
}

struct sim_matrix_job {
	const struct sim_matrix *m;
	guint scenario, variant;
};

static void sim_matrix_explore(gpointer data, gpointer user)
{
	struct sim_matrix_job *j = data;
	const SimScenario *sc = g_ptr_array_index(j->m->scenarios, j->scenario);
	const SimVariant *v = g_ptr_array_index(j->m->variants, j->variant);
	struct sim_matrix_cell *c = sim_matrix_cell(j->m, j->scenario, j->variant);
	struct sim_explore_opts o = { .max_preemptions = -1,
				      .dpor = true,
				      .all = true,
				      .max_steps = MIN(sc->max_steps, 100000),
				      .max_total_steps = j->m->budget,
				      .check = sc->check | SIM_FINDINGS_ALWAYS };
	struct sim_explore_result r;
	g_autoptr(GError) error = NULL;
	g_autoptr(SimWorld) w = sim_world_new(sc, v, &error);
	bool given;

	c->expect = sim_scenario_expect(sc, v->name, &given);
	if (!w || !sim_explore(w, &o, &r, &error)) {
		c->error = g_strdup(error ? error->message : "explore failed");
		return;
	}
	c->broken = r.broken & ~SIM_F(SIM_STEP_LIMIT);
	c->complete = r.complete;
	c->cut = r.cut > 0;
	c->executions = r.executions;
	sim_explore_result_clear(&r);
}

void sim_matrix_run(struct sim_matrix *m, unsigned int jobs)
{
	guint n = m->scenarios->len * m->variants->len;
	g_autofree struct sim_matrix_job *job = g_new0(struct sim_matrix_job, n);
	GThreadPool *pool = g_thread_pool_new(sim_matrix_explore, NULL, (gint)MAX(jobs, 1u), TRUE,
					      NULL);

	for (guint i = 0; i < n; i++) {
		job[i] = (struct sim_matrix_job){ m, i / m->variants->len, i % m->variants->len };
		g_thread_pool_push(pool, &job[i], NULL);
	}
	g_thread_pool_free(pool, FALSE, TRUE);
}

/* ---------------------------------------------------------------------- */
/* Output                                                                  */
/* ---------------------------------------------------------------------- */

/* Short names for the cells (the legend explains them). */
static const char *const sim_matrix_short[SIM_N_FINDINGS] = {
	[SIM_FREEPAGE_COUNT] = "drift", [SIM_CMA_COUNT] = "cma",     [SIM_ISOLATION] = "iso",
	[SIM_STRANDED] = "strand",	[SIM_CROSS_MERGE] = "merge", [SIM_BUDDY] = "BUDDY",
	[SIM_DEADLOCK] = "DEADLOCK",	[SIM_BUG] = "BUG",	     [SIM_STEP_LIMIT] = "limit",
};

static char *sim_matrix_findings(uint32_t mask, const char *sep)
{
	GString *s = g_string_new(NULL);

	if (!mask)
		return g_string_free(g_string_append(s, "clean"), FALSE);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (mask & SIM_F(f))
			g_string_append_printf(s, "%s%s", s->len ? sep : "", sim_matrix_short[f]);
	}
	return g_string_free(s, FALSE);
}

static char *sim_matrix_cell_text(const struct sim_matrix_cell *c)
{
	g_autofree char *got = NULL, *want = NULL;
	GString *s = g_string_new(NULL);

	if (c->error) {
		g_string_append(s, "error");
		return g_string_free(s, FALSE);
	}
	got = sim_matrix_findings(c->broken, " ");
	if (sim_matrix_cell_met(c))
		g_string_append(s, got);
	else {
		want = sim_matrix_findings(c->expect, " ");
		g_string_append_printf(s, "**%s** (expect %s)", got, want);
	}
	if (!c->complete || c->cut)
		g_string_append(s, " (partial)");
	return g_string_free(s, FALSE);
}

/* The scenarios below the table: what each is, and where it comes from. */
static void sim_matrix_scenarios(FILE *out, const struct sim_matrix *m)
{
	fputs("\n## Scenarios\n\n", out);
	for (guint s = 0; s < m->scenarios->len; s++) {
		const SimScenario *sc = g_ptr_array_index(m->scenarios, s);
		g_autofree char *desc = g_strdup(sc->description ? sc->description : "");

		g_strstrip(desc);
		for (char *p = desc; *p; p++)
			if (*p == '\n')
				*p = ' ';
		fprintf(out, "- `%s` (%s): %s", sc->name, sc->path, desc);
		for (guint r = 0; r < sc->references->len; r++)
			fprintf(out, "%s%s", r ? "; " : " Sources: ",
				(const char *)g_ptr_array_index(sc->references, r));
		fputc('\n', out);
	}
}

void sim_matrix_markdown(FILE *out, const struct sim_matrix *m)
{
	guint mismatches = 0;

	fputs("# Race x variant matrix\n\n"
	      "Generated by `tools/matrix` (`mmsim matrix scenarios/*.yaml`); do not edit by hand: "
	      "`tests/cli/test-matrix` fails when this file is not what the model gives. Each "
	      "scenario (rows) is explored over all its interleavings on each design variant "
	      "(columns); a cell names what some interleaving breaks.\n\n",
	      out);
	fputs("| scenario |", out);
	for (guint v = 0; v < m->variants->len; v++)
		fprintf(out, " %s |", ((const SimVariant *)g_ptr_array_index(m->variants, v))->name);
	fputs("\n|---|", out);
	for (guint v = 0; v < m->variants->len; v++)
		fputs("---|", out);
	fputc('\n', out);
	for (guint s = 0; s < m->scenarios->len; s++) {
		const SimScenario *sc = g_ptr_array_index(m->scenarios, s);

		fprintf(out, "| %s |", sc->name);
		for (guint v = 0; v < m->variants->len; v++) {
			g_autofree char *t = sim_matrix_cell_text(sim_matrix_cell(m, s, v));

			mismatches += !sim_matrix_cell_met(sim_matrix_cell(m, s, v));
			fprintf(out, " %s |", t);
		}
		fputc('\n', out);
	}
	fprintf(out,
		"\nCells: what some interleaving breaks, over all interleavings (DPOR, "
		"docs/explore.md). drift: freepage-count; cma: cma-count; iso: isolation; strand: "
		"stranded; merge: cross-merge (docs/model.md). %u cell%s differ%s from the "
		"scenario's expect%s.\n",
		mismatches, mismatches == 1 ? "" : "s", mismatches == 1 ? "s" : "",
		mismatches ? " (in bold)" : "");
	sim_matrix_scenarios(out, m);
}

void sim_matrix_csv(FILE *out, const struct sim_matrix *m)
{
	fputs("scenario,variant,broken,expect,met,complete,executions\n", out);
	for (guint s = 0; s < m->scenarios->len; s++) {
		const SimScenario *sc = g_ptr_array_index(m->scenarios, s);

		for (guint v = 0; v < m->variants->len; v++) {
			const struct sim_matrix_cell *c = sim_matrix_cell(m, s, v);
			g_autofree char *got = sim_matrix_findings(c->broken, ";");
			g_autofree char *want = sim_matrix_findings(c->expect, ";");

			fprintf(out, "%s,%s,%s,%s,%s,%s,%llu\n", sc->name,
				((const SimVariant *)g_ptr_array_index(m->variants, v))->name,
				c->error ? "error" : got, want,
				sim_matrix_cell_met(c) ? "yes" : "no",
				c->complete && !c->cut ? "yes" : "no",
				(unsigned long long)c->executions);
		}
	}
}
