// SPDX-License-Identifier: GPL-2.0
/*
 * Running a comparison on a pool of worker threads.
 *
 * The runs are cut into tasks of consecutive runs of one variant. A worker
 * builds its own world for the task (worlds are never shared), runs it, and
 * writes each run's row into the slot of its (variant, run): the tables do
 * not depend on which worker ran what or when, so the output is the same for
 * any number of workers. Drift samples and first violations are kept per
 * task and gathered in task order afterwards.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compare/compare.h"
#include "util/error.h"
#include "util/interrupt.h"
#include "variants/variant.h"

struct sim_task {
	uint32_t variant;
	uint64_t first, end; /* runs [first, end) */
	GArray *drift;	     /* struct sim_drift_row */
	GArray *violations;  /* struct sim_violation_row */
};

struct sim_pool_ctx {
	SimComparison *cmp;
	const char *checkpoint; /* directory for finished tasks, or NULL */
	const SimScenario *sc;
	uint64_t slice_first, slice_len;
	atomic_uint_fast64_t done, violating; /* runs finished, and with a violation */
	GMutex lock;
	GError *error; /* the first error of any task */
};

SimComparison *sim_compare_new(void)
{
	SimComparison *cmp = g_new0(SimComparison, 1);

	cmp->variants = g_ptr_array_new_with_free_func(g_free);
	cmp->rows = g_array_new(FALSE, TRUE, sizeof(struct sim_run_row));
	cmp->drift = g_array_new(FALSE, FALSE, sizeof(struct sim_drift_row));
	cmp->violations = g_array_new(FALSE, FALSE, sizeof(struct sim_violation_row));
	return cmp;
}

static void sim_violation_rows_free(GArray *a)
{
	for (guint i = 0; i < a->len; i++)
		g_free(g_array_index(a, struct sim_violation_row, i).schedule);
	g_array_free(a, TRUE);
}

void sim_compare_free(SimComparison *cmp)
{
	if (!cmp)
		return;
	g_free(cmp->scenario_name);
	g_free(cmp->scenario_path);
	g_free(cmp->scenario_sha256);
	g_ptr_array_free(cmp->variants, TRUE);
	g_array_free(cmp->rows, TRUE);
	g_array_free(cmp->drift, TRUE);
	sim_violation_rows_free(cmp->violations);
	g_free(cmp);
}

/* Shard I of N holds runs [(I-1) * runs / N, I * runs / N) of every variant. */
void sim_compare_slice(const SimComparison *cmp, uint64_t *first, uint64_t *end)
{
	if (!cmp->shards) {
		*first = 0;
		*end = cmp->runs;
		return;
	}
	*first = (cmp->shard - 1) * cmp->runs / cmp->shards;
	*end = cmp->shard * cmp->runs / cmp->shards;
}

/* Keep the first violation of each finding of a run, if it is the task's first. */
static void sim_task_violations(struct sim_task *t, const struct sim_run_result *res, uint64_t run,
				uint64_t seed, uint32_t *seen)
{
	for (int f = 0; f < SIM_N_FINDINGS; f++) {
		struct sim_violation_row vr = {
			.variant = t->variant, .finding = f, .run = run, .seed = seed
		};

		if (!(res->broken & SIM_F(f)) || (*seen & SIM_F(f)))
			continue;
		*seen |= SIM_F(f);
		vr.v = res->v[f];
		vr.schedule = sim_schedule_format(&res->schedule, res->v[f].step);
		g_array_append_val(t->violations, vr);
	}
}

static void sim_task_row(struct sim_pool_ctx *ctx, const struct sim_task *t, uint64_t run,
			 uint64_t seed, const struct sim_run_result *res)
{
	struct sim_run_row *row =
		&g_array_index(ctx->cmp->rows, struct sim_run_row,
			       t->variant * ctx->slice_len + (run - ctx->slice_first));

	row->variant = t->variant;
	row->run = run;
	row->seed = seed;
	row->steps = res->steps;
	row->time = res->time;
	row->broken = res->broken;
	row->first = res->first;
	row->first_step = res->first >= 0 ? res->v[res->first].step : 0;
	row->max_abs_drift = res->max_abs_drift;
	row->final_drift = res->final_drift;
	memcpy(row->calls, res->entry_calls, sizeof(row->calls));
	memcpy(row->ok, res->entry_ok, sizeof(row->ok));
	memcpy(row->retries, res->entry_retries, sizeof(row->retries));
	for (size_t i = 0; i < res->n_drift; i++) {
		struct sim_drift_row d = { t->variant, run, res->drift[i].time,
					   res->drift[i].drift };

		g_array_append_val(t->drift, d);
	}
}

static void sim_task_run(gpointer data, gpointer user)
{
	struct sim_task *t = data;
	struct sim_pool_ctx *ctx = user;
	const SimComparison *cmp = ctx->cmp;
	const SimVariant *v = sim_variant_lookup(g_ptr_array_index(cmp->variants, t->variant));
	g_autoptr(GError) error = NULL;
	g_autoptr(SimWorld) w = sim_world_new(ctx->sc, v, &error);
	struct sim_run_result res = { 0 };
	uint32_t seen = 0;
	struct sim_pct_opts pct = { 0 };
	uint64_t i;

	if (w && cmp->strategy == SIM_STRATEGY_PCT)
		pct = (struct sim_pct_opts){ .depth = cmp->pct_depth,
					     .steps = sim_run_estimate_steps(w, cmp->max_steps) };
	for (i = t->first; w && i < t->end; i++) {
		struct sim_run_opts o = { .strategy = cmp->strategy,
					  .pct = pct,
					  .seed = cmp->seed + i,
					  .run_index = i,
					  .max_steps = cmp->max_steps,
					  .check = ctx->sc->check | SIM_FINDINGS_ALWAYS,
					  .drift_points = cmp->drift_points };

		if (sim_interrupted()) {
			g_set_error(&error, SIM_ERROR, SIM_ERROR_INTERRUPTED,
				    "interrupted: %llu of %llu runs done",
				    (unsigned long long)atomic_load(&ctx->done),
				    (unsigned long long)(ctx->slice_len * cmp->variants->len));
			break;
		}
		if (!sim_run(w, &o, &res, &error))
			break;
		sim_task_row(ctx, t, i, o.seed, &res);
		sim_task_violations(t, &res, i, o.seed, &seen);
		if (res.broken)
			atomic_fetch_add(&ctx->violating, 1);
		atomic_fetch_add(&ctx->done, 1);
	}
	sim_run_result_release(&res);
	if (!error && ctx->checkpoint)
		sim_checkpoint_save(
			ctx->checkpoint, t->variant, t->first,
			&g_array_index(cmp->rows, struct sim_run_row,
				       t->variant * ctx->slice_len + (t->first - ctx->slice_first)),
			t->end - t->first, t->drift, t->violations, &error);
	if (error) {
		g_mutex_lock(&ctx->lock);
		if (!ctx->error)
			ctx->error = g_steal_pointer(&error);
		g_mutex_unlock(&ctx->lock);
		atomic_fetch_add(&ctx->done, t->end - i); /* the runs left: do not wait for them */
	}
}

/* --resume: a task an interrupted run finished is loaded, not run again. */
static bool sim_compare_task_resumed(struct sim_pool_ctx *ctx, struct sim_task *t)
{
	struct sim_run_row *rows =
		&g_array_index(ctx->cmp->rows, struct sim_run_row,
			       t->variant * ctx->slice_len + (t->first - ctx->slice_first));
	uint64_t n = t->end - t->first;

	if (sim_checkpoint_load(ctx->checkpoint, t->variant, t->first, rows, n, t->drift,
				t->violations) != 1)
		return false; /* not finished (or damaged): run it */
	for (uint64_t i = 0; i < n; i++)
		atomic_fetch_add(&ctx->violating, rows[i].broken != 0);
	atomic_fetch_add(&ctx->done, n);
	return true;
}

/* Progress on stderr: a bar on a terminal, a line every few seconds otherwise. */
static void sim_compare_progress(struct sim_pool_ctx *ctx, uint64_t total, gint64 t0, bool tty,
				 bool final)
{
	uint64_t done = atomic_load(&ctx->done);
	uint64_t bad = atomic_load(&ctx->violating);
	double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
	double rate = secs > 0 ? (double)done / secs : 0;
	double eta = rate > 0 ? (double)(total - done) / rate : 0;

	if (tty) {
		int width = 30, fill = total ? (int)(width * done / total) : width;

		fprintf(stderr,
			"\r[%.*s%*s] %llu/%llu runs, %llu with a violation, %.0f runs/s, ETA %.0fs ",
			fill, "==============================", width - fill, "",
			(unsigned long long)done, (unsigned long long)total,
			(unsigned long long)bad, rate, eta);
		if (final)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "compare: %llu/%llu runs, %llu with a violation, %.0f runs/s\n",
			(unsigned long long)done, (unsigned long long)total,
			(unsigned long long)bad, rate);
	}
}

/*
 * Runs per task: about 64 tasks in all (8 per worker up to 8 workers), at
 * most 4096 runs each so a checkpoint loses little, at least 1. It does not
 * depend on --jobs, so a comparison resumes with any number of workers.
 */
static uint64_t sim_compare_task_size(const SimComparison *cmp, uint64_t first, uint64_t end)
{
	return MAX(1, MIN(4096, (end - first) * cmp->variants->len / 64));
}

/* Tasks of consecutive runs of one variant. */
static GPtrArray *sim_compare_tasks(const SimComparison *cmp, uint64_t first, uint64_t end,
				    uint64_t per)
{
	GPtrArray *tasks = g_ptr_array_new();

	for (uint32_t v = 0; v < cmp->variants->len; v++) {
		for (uint64_t a = first; a < end; a += per) {
			struct sim_task *t = g_new0(struct sim_task, 1);

			t->variant = v;
			t->first = a;
			t->end = MIN(end, a + per);
			t->drift = g_array_new(FALSE, FALSE, sizeof(struct sim_drift_row));
			t->violations = g_array_new(FALSE, FALSE, sizeof(struct sim_violation_row));
			g_ptr_array_add(tasks, t);
		}
	}
	return tasks;
}

/* Gather the tasks' samples and violations in task order: (variant, run). */
static void sim_compare_gather(SimComparison *cmp, GPtrArray *tasks)
{
	for (guint i = 0; i < tasks->len; i++) {
		struct sim_task *t = g_ptr_array_index(tasks, i);

		g_array_append_vals(cmp->drift, t->drift->data, t->drift->len);
		for (guint k = 0; k < t->violations->len; k++) {
			struct sim_violation_row *vr =
				&g_array_index(t->violations, struct sim_violation_row, k);
			bool have = false;

			for (guint j = 0; j < cmp->violations->len && !have; j++) {
				const struct sim_violation_row *o = &g_array_index(
					cmp->violations, struct sim_violation_row, j);

				have = o->variant == vr->variant && o->finding == vr->finding;
			}
			if (have)
				g_free(vr->schedule); /* an earlier task of this variant had it */
			else
				g_array_append_val(cmp->violations, *vr);
		}
		g_array_free(t->drift, TRUE);
		g_array_free(t->violations, TRUE);
		g_free(t);
	}
}

static gint sim_violation_cmp(gconstpointer a, gconstpointer b)
{
	const struct sim_violation_row *x = a, *y = b;

	if (x->variant != y->variant)
		return x->variant < y->variant ? -1 : 1;
	return x->finding - y->finding;
}

/*
 * What a comparison keeps in memory: a row per run and its drift samples.
 * Refused up front when it would not fit, with the way out.
 */
static bool sim_compare_fits(const SimComparison *cmp, uint64_t total, GError **error)
{
	double bytes = (double)total * (double)(sizeof(struct sim_run_row) +
						cmp->drift_points * sizeof(struct sim_drift_row));

	if (total < G_MAXUINT && bytes <= (double)SIM_COMPARE_MEMORY_LIMIT)
		return true;
	g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT,
		    "compare: %llu runs with %u drift points each need about %.1f GiB of memory, "
		    "more than the %.0f GiB limit (SIM_COMPARE_MEMORY_LIMIT in "
		    "sim/compare/compare.h): split the runs with --shard I/N and mmsim merge, or "
		    "lower --drift-points",
		    (unsigned long long)total, cmp->drift_points, bytes / (1u << 30),
		    (double)SIM_COMPARE_MEMORY_LIMIT / (1u << 30));
	return false;
}

bool sim_compare_run(SimComparison *cmp, const SimScenario *sc, const struct sim_compare_opts *o,
		     GError **error)
{
	struct sim_pool_ctx ctx = { .cmp = cmp, .sc = sc, .checkpoint = o->checkpoint };
	g_autoptr(GPtrArray) tasks = NULL;
	GThreadPool *pool;
	uint64_t first, end, total, per;
	gint64 t0 = g_get_monotonic_time(), last = t0;
	bool tty = isatty(2);

	sim_compare_slice(cmp, &first, &end);
	ctx.slice_first = first;
	ctx.slice_len = end - first;
	total = ctx.slice_len * cmp->variants->len;
	if (!sim_compare_fits(cmp, total, error))
		return false;
	g_array_set_size(cmp->rows, (guint)total);
	per = sim_compare_task_size(cmp, first, end);
	if (o->checkpoint && !sim_checkpoint_start(cmp, o->checkpoint, per, o->resume, error))
		return false;
	g_mutex_init(&ctx.lock);
	tasks = sim_compare_tasks(cmp, first, end, per);
	pool = g_thread_pool_new(sim_task_run, &ctx, (gint)MAX(1u, o->jobs), TRUE, NULL);
	for (guint i = 0; i < tasks->len; i++) {
		struct sim_task *t = g_ptr_array_index(tasks, i);

		if (o->resume && sim_compare_task_resumed(&ctx, t))
			continue;
		g_thread_pool_push(pool, t, NULL);
	}
	while (atomic_load(&ctx.done) < total) {
		g_usleep(50000);
		if (!o->quiet && g_get_monotonic_time() - last > (tty ? 200000 : 5000000)) {
			sim_compare_progress(&ctx, total, t0, tty, false);
			last = g_get_monotonic_time();
		}
	}
	g_thread_pool_free(pool, FALSE, TRUE);
	if (!o->quiet && !ctx.error)
		sim_compare_progress(&ctx, total, t0, tty, true);
	g_mutex_clear(&ctx.lock);
	sim_compare_gather(cmp, tasks);
	g_array_sort(cmp->violations, sim_violation_cmp);
	if (ctx.error) {
		g_propagate_error(error, ctx.error);
		return false;
	}
	return true;
}
