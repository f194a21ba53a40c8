// SPDX-License-Identifier: GPL-2.0
/*
 * Per-variant figures of a comparison, computed from its tables only.
 *
 * Percentiles are nearest-rank over all runs (the value at rank
 * ceil(p/100 * n)). Distributions are kept as tallies of distinct values,
 * which stay small for drift however many runs there are.
 */
#include <math.h>
#include <string.h>

#include "compare/compare.h"
#include "compare/tally.h"
#include "mm/entry.h"

void sim_tally_init(struct sim_tally *t)
{
	t->v = g_array_new(FALSE, FALSE, sizeof(struct sim_tally_bin));
	t->n = 0;
}

void sim_tally_clear(struct sim_tally *t)
{
	if (t->v)
		g_array_free(t->v, TRUE);
	t->v = NULL;
}

void sim_tally_add(struct sim_tally *t, long value, uint64_t count)
{
	guint lo = 0, hi = t->v->len;

	while (lo < hi) {
		guint mid = (lo + hi) / 2;

		if (g_array_index(t->v, struct sim_tally_bin, mid).value < value)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->v->len && g_array_index(t->v, struct sim_tally_bin, lo).value == value) {
		g_array_index(t->v, struct sim_tally_bin, lo).count += count;
	} else {
		struct sim_tally_bin b = { value, count };

		g_array_insert_val(t->v, lo, b);
	}
	t->n += count;
}

long sim_tally_percentile(const struct sim_tally *t, double p)
{
	uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)t->n), seen = 0;

	if (!t->n)
		return 0;
	rank = MAX(rank, 1);
	for (guint i = 0; i < t->v->len; i++) {
		seen += g_array_index(t->v, struct sim_tally_bin, i).count;
		if (seen >= rank)
			return g_array_index(t->v, struct sim_tally_bin, i).value;
	}
	return g_array_index(t->v, struct sim_tally_bin, t->v->len - 1).value;
}

bool sim_compare_entry_rated(int entry)
{
	return sim_entries[entry].name && sim_entries[entry].success_rate;
}

bool sim_compare_entry_retried(int entry)
{
	return sim_compare_entry_rated(entry) && sim_entries[entry].retries;
}

static void sim_summarize_row(struct sim_variant_summary *s, const struct sim_run_row *r)
{
	s->runs++;
	if (r->broken) {
		s->violating_runs++;
		if (s->first_violating_run < 0) {
			s->first_violating_run = (int64_t)r->run;
			s->first_violating_seed = r->seed;
		}
	}
	s->broken |= r->broken;
	for (int f = 0; f < SIM_N_FINDINGS; f++)
		s->runs_by[f] += (r->broken >> f) & 1;
	s->max_abs_drift = MAX(s->max_abs_drift, r->max_abs_drift);
	s->steps_mean += (double)r->steps;
	s->steps_max = MAX(s->steps_max, r->steps);
	for (int e = 0; e < SIM_ENTRIES_MAX; e++) {
		s->calls[e] += r->calls[e];
		s->ok[e] += r->ok[e];
		s->retries[e] += r->retries[e];
	}
}

struct sim_variant_summary *sim_compare_summarize(const SimComparison *cmp)
{
	guint nv = cmp->variants->len;
	struct sim_variant_summary *s = g_new0(struct sim_variant_summary, nv);
	struct sim_tally *finals = g_new0(struct sim_tally, nv);

	for (guint v = 0; v < nv; v++) {
		s[v].variant = g_ptr_array_index(cmp->variants, v);
		s[v].first_violating_run = -1;
		sim_tally_init(&finals[v]);
	}
	for (guint i = 0; i < cmp->rows->len; i++) {
		const struct sim_run_row *r = &g_array_index(cmp->rows, struct sim_run_row, i);

		sim_summarize_row(&s[r->variant], r);
		sim_tally_add(&finals[r->variant], r->final_drift, 1);
	}
	for (guint v = 0; v < nv; v++) {
		s[v].steps_mean = s[v].runs ? s[v].steps_mean / (double)s[v].runs : 0;
		s[v].final_min = sim_tally_percentile(&finals[v], 0);
		s[v].final_p5 = sim_tally_percentile(&finals[v], 5);
		s[v].final_median = sim_tally_percentile(&finals[v], 50);
		s[v].final_p95 = sim_tally_percentile(&finals[v], 95);
		s[v].final_max = sim_tally_percentile(&finals[v], 100);
		sim_tally_clear(&finals[v]);
	}
	g_free(finals);
	return s;
}
