// SPDX-License-Identifier: GPL-2.0
/*
 * A comparison's files (docs/compare.md): what it ran (comparison.ini), one
 * row per run (runs.csv), the drift samples (drift.csv), the first
 * violations (violations.csv), and what is derived from them: summary.csv,
 * the plot data, report.md and the plots. Reading them back (for merge) is
 * here too, next to the writing, so the two cannot drift apart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compare/compare.h"
#include "compare/csv.h"
#include "compare/format.h"
#include "compare/tally.h"
#include "mm/entry.h"
#include "report/report.h"
#include "util/error.h"
#include "util/outfile.h"
#include "variants/variant.h"

#define SIM_BAND_POINTS 200

/* ---------------------------------------------------------------------- */
/* Columns                                                                 */
/* ---------------------------------------------------------------------- */

char *sim_runs_header(void)
{
	GString *h = g_string_new("variant,run,seed,steps,time_ns,findings,first_finding,"
				  "first_step,max_abs_drift,final_drift");

	for (int e = 0; sim_entries[e].name; e++) {
		if (sim_compare_entry_rated(e))
			g_string_append_printf(h, ",%s_calls,%s_ok", sim_entries[e].name,
					       sim_entries[e].name);
		if (sim_compare_entry_retried(e))
			g_string_append_printf(h, ",%s_retries", sim_entries[e].name);
	}
	return g_string_free(h, FALSE);
}

const char sim_drift_header[] = "variant,run,time_ns,drift";
const char sim_violations_header[] =
	"variant,finding,run,seed,step,time_ns,cpu,irq,function,chain,nr_free_pages,truth,drift,"
	"message,schedule";

/* "clean" or "freepage-count|isolation" */
char *sim_findings_field(uint32_t mask)
{
	GString *s = g_string_new(NULL);

	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		if (mask & SIM_F(f))
			g_string_append_printf(s, "%s%s", s->len ? "|" : "", sim_finding_name(f));
	}
	if (!s->len)
		g_string_append(s, "clean");
	return g_string_free(s, FALSE);
}

bool sim_findings_parse(const char *field, uint32_t *mask)
{
	g_auto(GStrv) names = g_strsplit(field, "|", -1);

	*mask = 0;
	if (!strcmp(field, "clean"))
		return true;
	for (int i = 0; names[i]; i++) {
		int f = sim_finding_from_name(names[i]);

		if (f < 0)
			return false;
		*mask |= SIM_F(f);
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Writing the tables                                                      */
/* ---------------------------------------------------------------------- */

static const char *sim_variant_name(const SimComparison *cmp, uint32_t v)
{
	return g_ptr_array_index(cmp->variants, v);
}

/*
 * The big tables are formatted in chunks on worker threads and written in
 * order: the bytes do not depend on the number of threads.
 */
typedef void (*SimFormatFunc)(GString *out, const SimComparison *cmp, guint i);

struct sim_format_job {
	const SimComparison *cmp;
	SimFormatFunc fn;
	guint from, to;
	GString *text;
};

static gpointer sim_format_chunk(gpointer data)
{
	struct sim_format_job *j = data;

	for (guint i = j->from; i < j->to; i++)
		j->fn(j->text, j->cmp, i);
	return NULL;
}

static void sim_write_parallel(FILE *out, const SimComparison *cmp, guint n, SimFormatFunc fn,
			       unsigned int jobs)
{
	unsigned int k = MAX(1u, MIN(jobs, n / 4096 + 1));
	g_autofree struct sim_format_job *j = g_new0(struct sim_format_job, k);
	g_autofree GThread **t = g_new0(GThread *, k);

	for (unsigned int c = 0; c < k; c++) {
		j[c] = (struct sim_format_job){ cmp, fn, (guint)((uint64_t)n * c / k),
						(guint)((uint64_t)n * (c + 1) / k),
						g_string_new(NULL) };
		t[c] = c ? g_thread_new("mmsim-format", sim_format_chunk, &j[c]) : NULL;
	}
	sim_format_chunk(&j[0]);
	for (unsigned int c = 0; c < k; c++) {
		if (t[c])
			g_thread_join(t[c]);
		fwrite(j[c].text->str, 1, j[c].text->len, out);
		g_string_free(j[c].text, TRUE);
	}
}

static void sim_format_run(GString *out, const SimComparison *cmp, guint i)
{
	const struct sim_run_row *r = &g_array_index(cmp->rows, struct sim_run_row, i);
	g_autofree char *findings = sim_findings_field(r->broken);

	g_string_append_printf(out, "%s,%llu,%llu,%llu,%llu,%s,%s,%llu,%ld,%ld",
			       sim_variant_name(cmp, r->variant), (unsigned long long)r->run,
			       (unsigned long long)r->seed, (unsigned long long)r->steps,
			       (unsigned long long)r->time, findings,
			       r->first >= 0 ? sim_finding_name(r->first) : "-",
			       (unsigned long long)r->first_step, r->max_abs_drift, r->final_drift);
	for (int e = 0; sim_entries[e].name; e++) {
		if (sim_compare_entry_rated(e))
			g_string_append_printf(out, ",%u,%u", r->calls[e], r->ok[e]);
		if (sim_compare_entry_retried(e))
			g_string_append_printf(out, ",%u", r->retries[e]);
	}
	g_string_append_c(out, '\n');
}

static void sim_format_drift(GString *out, const SimComparison *cmp, guint i)
{
	const struct sim_drift_row *d = &g_array_index(cmp->drift, struct sim_drift_row, i);

	g_string_append_printf(out, "%s,%llu,%llu,%ld\n", sim_variant_name(cmp, d->variant),
			       (unsigned long long)d->run, (unsigned long long)d->time, d->drift);
}

static bool sim_write_table(const char *dir, const char *name, const char *header,
			    const SimComparison *cmp, guint n, SimFormatFunc fn, unsigned int jobs,
			    GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(SimOutfile) o = sim_outfile_open(path, error);

	if (!o)
		return false;
	fprintf(sim_outfile_stream(o), "%s\n", header);
	sim_write_parallel(sim_outfile_stream(o), cmp, n, fn, jobs);
	return sim_outfile_commit(g_steal_pointer(&o), error);
}

static void sim_write_violations(FILE *out, const SimComparison *cmp)
{
	fprintf(out, "%s\n", sim_violations_header);
	for (guint i = 0; i < cmp->violations->len; i++) {
		const struct sim_violation_row *r =
			&g_array_index(cmp->violations, struct sim_violation_row, i);
		const struct sim_violation *v = &r->v;

		fprintf(out, "%s,%s,%llu,%llu,%llu,%llu,%d,%d,", sim_variant_name(cmp, r->variant),
			sim_finding_name(r->finding), (unsigned long long)r->run,
			(unsigned long long)r->seed, (unsigned long long)v->step,
			(unsigned long long)v->time, v->cpu, v->irq);
		sim_csv_field(out, v->function);
		fputc(',', out);
		sim_csv_field(out, v->chain);
		fprintf(out, ",%ld,%ld,%ld,", v->nr_free_pages, v->truth, v->drift);
		sim_csv_field(out, v->message);
		fputc(',', out);
		sim_csv_field(out, r->schedule);
		fputc('\n', out);
	}
}

static bool sim_write_ini(const SimComparison *cmp, const char *path, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *data = NULL;
	g_autofree char *shard = NULL;
	g_autoptr(SimOutfile) o = NULL;

	g_key_file_set_string(kf, "comparison", "scenario", cmp->scenario_name);
	g_key_file_set_string(kf, "comparison", "scenario_path", cmp->scenario_path);
	g_key_file_set_string(kf, "comparison", "scenario_sha256", cmp->scenario_sha256);
	g_key_file_set_string(kf, "comparison", "strategy", sim_strategy_name(cmp->strategy));
	if (cmp->strategy == SIM_STRATEGY_PCT)
		g_key_file_set_uint64(kf, "comparison", "pct_depth", cmp->pct_depth);
	g_key_file_set_uint64(kf, "comparison", "runs", cmp->runs);
	g_key_file_set_uint64(kf, "comparison", "seed", cmp->seed);
	g_key_file_set_uint64(kf, "comparison", "max_steps", cmp->max_steps);
	g_key_file_set_uint64(kf, "comparison", "drift_points", cmp->drift_points);
	g_key_file_set_string_list(kf, "comparison", "variants",
				   (const char *const *)cmp->variants->pdata, cmp->variants->len);
	shard = cmp->shards ? g_strdup_printf("%u/%u", cmp->shard, cmp->shards) : g_strdup("all");
	g_key_file_set_string(kf, "comparison", "shard", shard);
	data = g_key_file_to_data(kf, NULL, NULL);
	if (!(o = sim_outfile_open(path, error)))
		return false;
	fputs(data, sim_outfile_stream(o));
	return sim_outfile_commit(g_steal_pointer(&o), error);
}

/* ---------------------------------------------------------------------- */
/* Derived files                                                           */
/* ---------------------------------------------------------------------- */

static void sim_write_summary(FILE *out, const SimComparison *cmp,
			      const struct sim_variant_summary *s)
{
	fputs("variant,runs,violating_runs", out);
	for (int f = 0; f < SIM_N_FINDINGS; f++)
		fprintf(out, ",%s_runs", sim_finding_name(f));
	fputs(",first_violating_run,first_violating_seed,max_abs_drift,final_drift_min,"
	      "final_drift_p5,final_drift_median,final_drift_p95,final_drift_max,steps_mean,"
	      "steps_max",
	      out);
	for (int e = 0; sim_entries[e].name; e++) {
		if (sim_compare_entry_rated(e))
			fprintf(out, ",%s_calls,%s_ok", sim_entries[e].name, sim_entries[e].name);
		if (sim_compare_entry_retried(e))
			fprintf(out, ",%s_retries", sim_entries[e].name);
	}
	fputc('\n', out);
	for (guint v = 0; v < cmp->variants->len; v++) {
		fprintf(out, "%s,%llu,%llu", s[v].variant, (unsigned long long)s[v].runs,
			(unsigned long long)s[v].violating_runs);
		for (int f = 0; f < SIM_N_FINDINGS; f++)
			fprintf(out, ",%llu", (unsigned long long)s[v].runs_by[f]);
		if (s[v].first_violating_run >= 0)
			fprintf(out, ",%lld,%llu", (long long)s[v].first_violating_run,
				(unsigned long long)s[v].first_violating_seed);
		else
			fputs(",-,-", out);
		fprintf(out, ",%ld,%ld,%ld,%ld,%ld,%ld,%.1f,%llu", s[v].max_abs_drift,
			s[v].final_min, s[v].final_p5, s[v].final_median, s[v].final_p95,
			s[v].final_max, s[v].steps_mean, (unsigned long long)s[v].steps_max);
		for (int e = 0; sim_entries[e].name; e++) {
			if (sim_compare_entry_rated(e))
				fprintf(out, ",%llu,%llu", (unsigned long long)s[v].calls[e],
					(unsigned long long)s[v].ok[e]);
			if (sim_compare_entry_retried(e))
				fprintf(out, ",%llu", (unsigned long long)s[v].retries[e]);
		}
		fputc('\n', out);
	}
}

/* Grid point g of the band: time tmax * g / (SIM_BAND_POINTS - 1). */
static uint64_t sim_band_time(uint64_t tmax, int g)
{
	return tmax * (uint64_t)g / (SIM_BAND_POINTS - 1);
}

/* The first grid point at or after time t. */
static int sim_band_index(uint64_t tmax, uint64_t t)
{
	int g = (int)MIN((t * (SIM_BAND_POINTS - 1) + tmax - 1) / tmax, SIM_BAND_POINTS);

	while (g > 0 && sim_band_time(tmax, g - 1) >= t)
		g--;
	while (g < SIM_BAND_POINTS && sim_band_time(tmax, g) < t)
		g++;
	return g;
}

/*
 * The band of one variant: at each grid time, the distribution over runs of
 * the drift then (a run's drift at t is its last sample at or before t, 0
 * before the first). Each run adds its constant segments to difference
 * arrays, one per distinct drift value: O(samples + values x points).
 */
struct sim_band {
	GArray *values; /* long, sorted, distinct */
	int64_t *diff;	/* [value index][SIM_BAND_POINTS + 1] */
};

static guint sim_band_value(const struct sim_band *b, long d)
{
	guint lo = 0, hi = b->values->len;

	while (lo < hi) {
		guint mid = (lo + hi) / 2;

		if (g_array_index(b->values, long, mid) < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void sim_band_segment(struct sim_band *b, long d, int from, int to)
{
	int64_t *row = b->diff + (size_t)sim_band_value(b, d) * (SIM_BAND_POINTS + 1);

	if (from >= to)
		return;
	row[from]++;
	row[to]--;
}

/* The distinct drift values of the variant's samples, and 0. */
static void sim_band_values(struct sim_band *b, const SimComparison *cmp, guint d0, guint d1)
{
	struct sim_tally t;

	sim_tally_init(&t);
	sim_tally_add(&t, 0, 1);
	for (guint i = d0; i < d1; i++)
		sim_tally_add(&t, g_array_index(cmp->drift, struct sim_drift_row, i).drift, 1);
	b->values = g_array_new(FALSE, FALSE, sizeof(long));
	for (guint i = 0; i < t.v->len; i++)
		g_array_append_val(b->values, g_array_index(t.v, struct sim_tally_bin, i).value);
	sim_tally_clear(&t);
	b->diff = g_new0(int64_t, (size_t)b->values->len * (SIM_BAND_POINTS + 1));
}

/* Add the runs rows [r0, r1) with their samples from drift index d0 on. */
static void sim_band_runs(struct sim_band *b, const SimComparison *cmp, guint r0, guint r1,
			  guint d0, uint64_t tmax)
{
	guint di = d0;

	for (guint ri = r0; ri < r1; ri++) {
		const struct sim_run_row *r = &g_array_index(cmp->rows, struct sim_run_row, ri);
		long cur = 0;
		int from = 0;

		for (; di < cmp->drift->len; di++) {
			const struct sim_drift_row *d =
				&g_array_index(cmp->drift, struct sim_drift_row, di);
			int g;

			if (d->variant != r->variant || d->run != r->run)
				break;
			g = sim_band_index(tmax, d->time);
			sim_band_segment(b, cur, from, g);
			cur = d->drift;
			from = MAX(from, g);
		}
		sim_band_segment(b, cur, from, SIM_BAND_POINTS);
	}
}

static void sim_band_print(FILE *out, const struct sim_band *b, const char *variant, uint64_t tmax)
{
	guint k = b->values->len;
	g_autofree int64_t *run = g_new0(int64_t, k);

	for (int g = 0; g < SIM_BAND_POINTS; g++) {
		struct sim_tally t;

		sim_tally_init(&t);
		for (guint i = 0; i < k; i++) {
			run[i] += b->diff[(size_t)i * (SIM_BAND_POINTS + 1) + g];
			if (run[i])
				sim_tally_add(&t, g_array_index(b->values, long, i),
					      (uint64_t)run[i]);
		}
		fprintf(out, "%s,%llu,%ld,%ld,%ld\n", variant,
			(unsigned long long)sim_band_time(tmax, g), sim_tally_percentile(&t, 5),
			sim_tally_percentile(&t, 50), sim_tally_percentile(&t, 95));
		sim_tally_clear(&t);
	}
}

/* drift-band.csv: per variant, the p5, median and p95 of drift across runs over time. */
static void sim_write_band(FILE *out, const SimComparison *cmp)
{
	uint64_t tmax = 1;
	guint r0 = 0, d0 = 0;

	for (guint i = 0; i < cmp->rows->len; i++)
		tmax = MAX(tmax, g_array_index(cmp->rows, struct sim_run_row, i).time);
	fputs("variant,time_ns,p5,median,p95\n", out);
	for (guint v = 0; v < cmp->variants->len; v++) {
		struct sim_band b;
		guint r1 = r0, d1 = d0;

		while (r1 < cmp->rows->len &&
		       g_array_index(cmp->rows, struct sim_run_row, r1).variant == v)
			r1++;
		while (d1 < cmp->drift->len &&
		       g_array_index(cmp->drift, struct sim_drift_row, d1).variant == v)
			d1++;
		sim_band_values(&b, cmp, d0, d1);
		sim_band_runs(&b, cmp, r0, r1, d0, tmax);
		sim_band_print(out, &b, sim_variant_name(cmp, v), tmax);
		g_array_free(b.values, TRUE);
		g_free(b.diff);
		r0 = r1;
		d0 = d1;
	}
}

/* final-drift.csv: how many runs of each variant ended with each drift. */
static void sim_write_final_drift(FILE *out, const SimComparison *cmp)
{
	guint ri = 0;

	fputs("variant,final_drift,runs\n", out);
	for (guint v = 0; v < cmp->variants->len; v++) {
		struct sim_tally t;

		sim_tally_init(&t);
		for (; ri < cmp->rows->len; ri++) {
			const struct sim_run_row *r =
				&g_array_index(cmp->rows, struct sim_run_row, ri);

			if (r->variant != v)
				break;
			sim_tally_add(&t, r->final_drift, 1);
		}
		for (guint b = 0; b < t.v->len; b++) {
			const struct sim_tally_bin *bin =
				&g_array_index(t.v, struct sim_tally_bin, b);

			fprintf(out, "%s,%ld,%llu\n", sim_variant_name(cmp, v), bin->value,
				(unsigned long long)bin->count);
		}
		sim_tally_clear(&t);
	}
}

/* violations-by-invariant.csv: one row per finding, one column per variant (runs). */
static void sim_write_violation_bars(FILE *out, const SimComparison *cmp,
				     const struct sim_variant_summary *s)
{
	fputs("invariant", out);
	for (guint v = 0; v < cmp->variants->len; v++)
		fprintf(out, ",%s", sim_variant_name(cmp, v));
	fputc('\n', out);
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		uint64_t any = 0;

		for (guint v = 0; v < cmp->variants->len; v++)
			any += s[v].runs_by[f];
		if (!any && !(SIM_F(f) & SIM_INVARIANTS_ALL))
			continue; /* deadlock, bug, step-limit: only when they happened */
		fputs(sim_finding_name(f), out);
		for (guint v = 0; v < cmp->variants->len; v++)
			fprintf(out, ",%llu", (unsigned long long)s[v].runs_by[f]);
		fputc('\n', out);
	}
}

/* success.csv: per rated entry point the scenario calls, its success rate per variant (%). */
static bool sim_write_success(FILE *out, const SimComparison *cmp,
			      const struct sim_variant_summary *s)
{
	bool any = false;

	fputs("entry", out);
	for (guint v = 0; v < cmp->variants->len; v++)
		fprintf(out, ",%s", sim_variant_name(cmp, v));
	fputc('\n', out);
	for (int e = 0; sim_entries[e].name; e++) {
		uint64_t calls = 0;

		for (guint v = 0; v < cmp->variants->len; v++)
			calls += s[v].calls[e];
		if (!sim_compare_entry_rated(e) || !calls)
			continue;
		any = true;
		fputs(sim_entries[e].name, out);
		for (guint v = 0; v < cmp->variants->len; v++)
			fprintf(out, ",%.2f",
				s[v].calls[e] ? 100.0 * (double)s[v].ok[e] / (double)s[v].calls[e] :
						0);
		fputc('\n', out);
	}
	return any;
}

/* ---------------------------------------------------------------------- */
/* Writing everything                                                      */
/* ---------------------------------------------------------------------- */

typedef void (*SimWriteFunc)(FILE *out, const SimComparison *cmp);

static bool sim_write_file(const char *dir, const char *name, const SimComparison *cmp,
			   SimWriteFunc fn, GError **error)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autoptr(SimOutfile) o = sim_outfile_open(path, error);

	if (!o)
		return false;
	fn(sim_outfile_stream(o), cmp);
	return sim_outfile_commit(g_steal_pointer(&o), error);
}

/* The files derived from the summary (they need it as well as the tables). */
static bool sim_write_derived(const char *dir, const SimComparison *cmp,
			      const struct sim_variant_summary *s, GError **error)
{
	g_autofree char *p1 = g_build_filename(dir, "summary.csv", NULL);
	g_autofree char *p2 = g_build_filename(dir, "violations-by-invariant.csv", NULL);
	g_autofree char *p3 = g_build_filename(dir, "success.csv", NULL);
	g_autoptr(SimOutfile) o1 = sim_outfile_open(p1, error);
	g_autoptr(SimOutfile) o2 = o1 ? sim_outfile_open(p2, error) : NULL;
	g_autoptr(SimOutfile) o3 = o2 ? sim_outfile_open(p3, error) : NULL;

	if (!o3)
		return false;
	sim_write_summary(sim_outfile_stream(o1), cmp, s);
	sim_write_violation_bars(sim_outfile_stream(o2), cmp, s);
	sim_write_success(sim_outfile_stream(o3), cmp, s);
	return sim_outfile_commit(g_steal_pointer(&o1), error) &&
	       sim_outfile_commit(g_steal_pointer(&o2), error) &&
	       sim_outfile_commit(g_steal_pointer(&o3), error);
}

bool sim_compare_write_report(const SimComparison *cmp, const struct sim_variant_summary *s,
			      const char *dir, GError **error);
void sim_compare_table(FILE *out, const SimComparison *cmp, const struct sim_variant_summary *s);

bool sim_compare_write(const SimComparison *cmp, const char *dir, unsigned int jobs, GError **error)
{
	g_autofree char *ini = g_build_filename(dir, "comparison.ini", NULL);
	g_autofree char *runs_header = sim_runs_header();
	g_autofree struct sim_variant_summary *s = NULL;

	if (g_mkdir_with_parents(dir, 0755) < 0) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot create: %s", dir,
			    g_strerror(errno));
		return false;
	}
	s = sim_compare_summarize(cmp);
	return sim_write_ini(cmp, ini, error) &&
	       sim_write_table(dir, "runs.csv", runs_header, cmp, cmp->rows->len, sim_format_run,
			       jobs, error) &&
	       sim_write_table(dir, "drift.csv", sim_drift_header, cmp, cmp->drift->len,
			       sim_format_drift, jobs, error) &&
	       sim_write_file(dir, "violations.csv", cmp, sim_write_violations, error) &&
	       sim_write_file(dir, "drift-band.csv", cmp, sim_write_band, error) &&
	       sim_write_file(dir, "final-drift.csv", cmp, sim_write_final_drift, error) &&
	       sim_write_derived(dir, cmp, s, error) &&
	       sim_compare_write_report(cmp, s, dir, error);
}

/* The summary table, as in report.md, on a stream. */
void sim_compare_print(FILE *out, const SimComparison *cmp)
{
	g_autofree struct sim_variant_summary *s = sim_compare_summarize(cmp);

	sim_compare_table(out, cmp, s);
}
