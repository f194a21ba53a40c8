// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a comparison back from its directory, and merging the shards of
 * one comparison into the whole: the same tables the unsharded comparison
 * would have, so the same files come out of sim_compare_write().
 */
#include <string.h>

#include "compare/compare.h"
#include "compare/csv.h"
#include "compare/format.h"
#include "mm/entry.h"
#include "util/error.h"

static bool sim_load_ini(SimComparison *cmp, const char *dir, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "comparison.ini", NULL);
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *strategy = NULL, *shard = NULL;
	g_auto(GStrv) variants = NULL;
	int k;

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
		return false;
	cmp->scenario_name = g_key_file_get_string(kf, "comparison", "scenario", error);
	cmp->scenario_path = cmp->scenario_name ? g_key_file_get_string(kf, "comparison",
									"scenario_path", error) :
						  NULL;
	cmp->scenario_sha256 =
		cmp->scenario_path ?
			g_key_file_get_string(kf, "comparison", "scenario_sha256", error) :
			NULL;
	strategy = cmp->scenario_sha256 ?
			   g_key_file_get_string(kf, "comparison", "strategy", error) :
			   NULL;
	shard = strategy ? g_key_file_get_string(kf, "comparison", "shard", error) : NULL;
	variants = shard ? g_key_file_get_string_list(kf, "comparison", "variants", NULL, error) :
			   NULL;
	if (!variants)
		return false;
	cmp->pct_depth = (unsigned int)g_key_file_get_uint64(kf, "comparison", "pct_depth", NULL);
	cmp->runs = g_key_file_get_uint64(kf, "comparison", "runs", NULL);
	cmp->seed = g_key_file_get_uint64(kf, "comparison", "seed", NULL);
	cmp->max_steps = g_key_file_get_uint64(kf, "comparison", "max_steps", NULL);
	cmp->drift_points =
		(unsigned int)g_key_file_get_uint64(kf, "comparison", "drift_points", NULL);
	if ((k = sim_strategy_from_name(strategy)) < 0 ||
	    (strcmp(shard, "all") && sscanf(shard, "%u/%u", &cmp->shard, &cmp->shards) != 2)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s: bad strategy or shard", path);
		return false;
	}
	cmp->strategy = (enum sim_strategy_kind)k;
	if (k == SIM_STRATEGY_PCT && (cmp->pct_depth < 1 || cmp->pct_depth > SIM_PCT_DEPTH_MAX)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "%s: strategy pct needs pct_depth from 1 to %d", path,
			    SIM_PCT_DEPTH_MAX);
		return false;
	}
	for (int i = 0; variants[i]; i++)
		g_ptr_array_add(cmp->variants, g_strdup(variants[i]));
	return true;
}

static int sim_load_variant(const SimComparison *cmp, struct sim_csv *c, GError **error)
{
	for (guint v = 0; v < cmp->variants->len; v++) {
		if (!strcmp(g_ptr_array_index(cmp->variants, v), sim_csv_str(c, 0)))
			return (int)v;
	}
	g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s:%d: unknown variant '%s'", c->path,
		    c->line, sim_csv_str(c, 0));
	return -1;
}

static bool sim_load_row(SimComparison *cmp, struct sim_csv *c, GError **error)
{
	struct sim_run_row r = { 0 };
	int v = sim_load_variant(cmp, c, error), f;
	guint col = 10;

	if (v < 0 || !sim_csv_u64(c, 1, &r.run, error) || !sim_csv_u64(c, 2, &r.seed, error) ||
	    !sim_csv_u64(c, 3, &r.steps, error) || !sim_csv_u64(c, 4, &r.time, error) ||
	    !sim_csv_u64(c, 7, &r.first_step, error) ||
	    !sim_csv_long(c, 8, &r.max_abs_drift, error) ||
	    !sim_csv_long(c, 9, &r.final_drift, error))
		return false;
	r.variant = (uint32_t)v;
	f = sim_finding_from_name(sim_csv_str(c, 6));
	r.first = f;
	if (!sim_findings_parse(sim_csv_str(c, 5), &r.broken) ||
	    (f < 0 && strcmp(sim_csv_str(c, 6), "-"))) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s:%d: bad findings", c->path,
			    c->line);
		return false;
	}
	for (int e = 0; sim_entries[e].name; e++) {
		guint64 calls, ok, retries;

		if (!sim_compare_entry_rated(e))
			continue;
		if (!sim_csv_u64(c, col++, &calls, error) || !sim_csv_u64(c, col++, &ok, error))
			return false;
		r.calls[e] = (uint32_t)calls;
		r.ok[e] = (uint32_t)ok;
		if (sim_compare_entry_retried(e)) {
			if (!sim_csv_u64(c, col++, &retries, error))
				return false;
			r.retries[e] = (uint32_t)retries;
		}
	}
	g_array_append_val(cmp->rows, r);
	return true;
}

static bool sim_load_drift_row(SimComparison *cmp, struct sim_csv *c, GError **error)
{
	struct sim_drift_row d = { 0 };
	int v = sim_load_variant(cmp, c, error);

	if (v < 0 || !sim_csv_u64(c, 1, &d.run, error) || !sim_csv_u64(c, 2, &d.time, error) ||
	    !sim_csv_long(c, 3, &d.drift, error))
		return false;
	d.variant = (uint32_t)v;
	g_array_append_val(cmp->drift, d);
	return true;
}

static bool sim_load_violation(SimComparison *cmp, struct sim_csv *c, GError **error)
{
	struct sim_violation_row r = { 0 };
	int v = sim_load_variant(cmp, c, error);
	guint64 cpu, irq;

	if (v < 0 || !sim_csv_u64(c, 2, &r.run, error) || !sim_csv_u64(c, 3, &r.seed, error) ||
	    !sim_csv_u64(c, 4, &r.v.step, error) || !sim_csv_u64(c, 5, &r.v.time, error) ||
	    !sim_csv_u64(c, 6, &cpu, error) || !sim_csv_u64(c, 7, &irq, error) ||
	    !sim_csv_long(c, 10, &r.v.nr_free_pages, error) ||
	    !sim_csv_long(c, 11, &r.v.truth, error) || !sim_csv_long(c, 12, &r.v.drift, error))
		return false;
	r.variant = (uint32_t)v;
	r.finding = r.v.finding = sim_finding_from_name(sim_csv_str(c, 1));
	r.v.cpu = (int)cpu;
	r.v.irq = irq != 0;
	g_strlcpy(r.v.function, sim_csv_str(c, 8), sizeof(r.v.function));
	g_strlcpy(r.v.chain, sim_csv_str(c, 9), sizeof(r.v.chain));
	g_strlcpy(r.v.message, sim_csv_str(c, 13), sizeof(r.v.message));
	r.schedule = g_strdup(sim_csv_str(c, 14));
	g_array_append_val(cmp->violations, r);
	return true;
}

typedef bool (*SimLoadRowFunc)(SimComparison *cmp, struct sim_csv *c, GError **error);

static bool sim_load_csv(SimComparison *cmp, const char *dir, const char *name, const char *header,
			 SimLoadRowFunc fn, GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	struct sim_csv c;
	bool ok = true;

	if (!sim_csv_open(&c, path, header, error))
		return false;
	while (ok && sim_csv_next(&c))
		ok = fn(cmp, &c, error);
	sim_csv_close(&c);
	return ok;
}

SimComparison *sim_compare_load(const char *dir, GError **error)
{
	g_autoptr(SimComparison) cmp = sim_compare_new();
	g_autofree char *runs_header = sim_runs_header();

	if (!sim_load_ini(cmp, dir, error) ||
	    !sim_load_csv(cmp, dir, "runs.csv", runs_header, sim_load_row, error) ||
	    !sim_load_csv(cmp, dir, "drift.csv", sim_drift_header, sim_load_drift_row, error) ||
	    !sim_load_csv(cmp, dir, "violations.csv", sim_violations_header, sim_load_violation,
			  error))
		return NULL;
	return g_steal_pointer(&cmp);
}

/* ---------------------------------------------------------------------- */
/* Merging shards                                                          */
/* ---------------------------------------------------------------------- */

static bool sim_merge_check(const SimComparison *a, const SimComparison *b, const char *dir,
			    GError **error)
{
	bool same = !strcmp(a->scenario_sha256, b->scenario_sha256) &&
		    !strcmp(a->scenario_name, b->scenario_name) && a->strategy == b->strategy &&
		    a->pct_depth == b->pct_depth && a->runs == b->runs && a->seed == b->seed &&
		    a->max_steps == b->max_steps && a->drift_points == b->drift_points &&
		    a->shards == b->shards && a->variants->len == b->variants->len;

	for (guint v = 0; same && v < a->variants->len; v++)
		same = !strcmp(g_ptr_array_index(a->variants, v),
			       g_ptr_array_index(b->variants, v));
	if (!same)
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "%s: not a shard of the same comparison as the first (scenario, "
			    "strategy, runs, seed, limits, variants and shard count must agree)",
			    dir);
	return same;
}

/* The shards, indexed by shard number, each present once. */
static SimComparison **sim_merge_order(GPtrArray *shards, GPtrArray *dirs, GError **error)
{
	const SimComparison *first = g_ptr_array_index(shards, 0);
	SimComparison **by = g_new0(SimComparison *, first->shards + 1);

	for (guint i = 0; i < shards->len; i++) {
		SimComparison *s = g_ptr_array_index(shards, i);
		const char *dir = g_ptr_array_index(dirs, i);

		if (!sim_merge_check(first, s, dir, error))
			goto fail;
		if (!s->shards || by[s->shard]) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE, "%s: %s", dir,
				    s->shards ? "this shard is given twice" :
						"not a shard (--shard I/N)");
			goto fail;
		}
		by[s->shard] = s;
	}
	for (unsigned int k = 1; k <= first->shards; k++) {
		if (!by[k]) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE, "shard %u/%u is missing", k,
				    first->shards);
			goto fail;
		}
	}
	return by;
fail:
	g_free(by);
	return NULL;
}

static void sim_merge_variant(SimComparison *out, SimComparison **by, unsigned int n, uint32_t v)
{
	for (unsigned int k = 1; k <= n; k++) {
		const SimComparison *s = by[k];

		for (guint i = 0; i < s->rows->len; i++) {
			if (g_array_index(s->rows, struct sim_run_row, i).variant == v)
				g_array_append_val(out->rows,
						   g_array_index(s->rows, struct sim_run_row, i));
		}
		for (guint i = 0; i < s->drift->len; i++) {
			if (g_array_index(s->drift, struct sim_drift_row, i).variant == v)
				g_array_append_val(
					out->drift,
					g_array_index(s->drift, struct sim_drift_row, i));
		}
	}
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		const struct sim_violation_row *best = NULL;

		for (unsigned int k = 1; k <= n; k++) {
			for (guint i = 0; i < by[k]->violations->len; i++) {
				const struct sim_violation_row *r = &g_array_index(
					by[k]->violations, struct sim_violation_row, i);

				if (r->variant == v && r->finding == f &&
				    (!best || r->run < best->run))
					best = r;
			}
		}
		if (best) {
			struct sim_violation_row copy = *best;

			copy.schedule = g_strdup(best->schedule);
			g_array_append_val(out->violations, copy);
		}
	}
}

SimComparison *sim_compare_merge(GPtrArray *dirs, GError **error)
{
	g_autoptr(GPtrArray) shards =
		g_ptr_array_new_with_free_func((GDestroyNotify)sim_compare_free);
	g_autofree SimComparison **by = NULL;
	SimComparison *out, *first;

	for (guint i = 0; i < dirs->len; i++) {
		SimComparison *s = sim_compare_load(g_ptr_array_index(dirs, i), error);

		if (!s)
			return NULL;
		g_ptr_array_add(shards, s);
	}
	if (!shards->len || !(by = sim_merge_order(shards, dirs, error)))
		return NULL;
	first = g_ptr_array_index(shards, 0);
	out = sim_compare_new();
	out->scenario_name = g_strdup(first->scenario_name);
	out->scenario_path = g_strdup(first->scenario_path);
	out->scenario_sha256 = g_strdup(first->scenario_sha256);
	out->strategy = first->strategy;
	out->pct_depth = first->pct_depth;
	out->runs = first->runs;
	out->seed = first->seed;
	out->max_steps = first->max_steps;
	out->drift_points = first->drift_points;
	for (guint v = 0; v < first->variants->len; v++) {
		g_ptr_array_add(out->variants, g_strdup(g_ptr_array_index(first->variants, v)));
		sim_merge_variant(out, by, first->shards, v);
	}
	return out;
}
