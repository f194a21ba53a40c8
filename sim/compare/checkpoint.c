// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoints of a comparison, so a killed sweep resumes (compare --resume).
 *
 * While `mmsim compare ... --out DIR` runs, DIR.partial/ holds what the
 * comparison is (checkpoint.ini: its definition and the size of its tasks)
 * and one file per finished task (task-V-FIRST: the task's rows, drift
 * samples and first violations), each written whole or not at all
 * (util/outfile.h). A resumed comparison with the same definition loads the
 * finished tasks and runs the others; tasks are deterministic, so the result
 * is the one an uninterrupted run gives. DIR.partial/ is removed once DIR is
 * written. The task files are raw structs: a checkpoint is resumed by an
 * mmsim whose structs have the same sizes, and refused otherwise.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "compare/compare.h"
#include "util/error.h"
#include "util/outfile.h"

#define SIM_CHECKPOINT_VERSION 1

char *sim_checkpoint_dir(const char *out)
{
	return g_strconcat(out, ".partial", NULL);
}

/* What must match for a checkpoint to be resumed, in one string. */
static char *sim_checkpoint_identity(const SimComparison *cmp, uint64_t per)
{
	g_autoptr(GString) variants = g_string_new(NULL);

	for (guint i = 0; i < cmp->variants->len; i++)
		g_string_append_printf(variants, "%s%s", i ? "," : "",
				       (const char *)g_ptr_array_index(cmp->variants, i));
	return g_strdup_printf(
		"version %d; sizes %zu %zu %zu; scenario %s; variants %s; strategy %d "
		"depth %u; runs %llu; seed %llu; max_steps %llu; drift_points %u; shard %u/%u; "
		"task %llu",
		SIM_CHECKPOINT_VERSION, sizeof(struct sim_run_row),
		sizeof(struct sim_drift_row), sizeof(struct sim_violation_row),
		cmp->scenario_sha256, variants->str, cmp->strategy, cmp->pct_depth,
		(unsigned long long)cmp->runs, (unsigned long long)cmp->seed,
		(unsigned long long)cmp->max_steps, cmp->drift_points, cmp->shard, cmp->shards,
		(unsigned long long)per);
}

static void sim_checkpoint_clear(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		g_unlink(path);
	}
	g_rmdir(dir);
}

void sim_checkpoint_remove(const char *dir)
{
	sim_checkpoint_clear(dir);
}

bool sim_checkpoint_start(const SimComparison *cmp, const char *dir, uint64_t per, bool resume,
			  GError **error)
{
	g_autofree char *ini = g_build_filename(dir, "checkpoint.ini", NULL);
	g_autofree char *want = sim_checkpoint_identity(cmp, per);
	g_autofree char *have = NULL;

	if (resume) {
		if (!g_file_get_contents(ini, &have, NULL, NULL)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_IO,
				    "--resume: %s holds no interrupted comparison", dir);
			return false;
		}
		if (strcmp(g_strstrip(have), want)) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
				    "--resume: %s was made by a different comparison or mmsim build "
				    "(%s); run it again without --resume",
				    dir, have);
			return false;
		}
		return true;
	}
	sim_checkpoint_clear(dir);
	if (g_mkdir_with_parents(dir, 0777)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot create", dir);
		return false;
	}
	{
		g_autoptr(SimOutfile) f = sim_outfile_open(ini, error);

		if (!f)
			return false;
		fprintf(sim_outfile_stream(f), "%s\n", want);
		return sim_outfile_commit(g_steal_pointer(&f), error);
	}
}

static char *sim_task_path(const char *dir, uint32_t variant, uint64_t first)
{
	g_autofree char *name =
		g_strdup_printf("task-%u-%llu", variant, (unsigned long long)first);

	return g_build_filename(dir, name, NULL);
}

bool sim_checkpoint_save(const char *dir, uint32_t variant, uint64_t first,
			 const struct sim_run_row *rows, uint64_t nrows, const GArray *drift,
			 const GArray *violations, GError **error)
{
	g_autofree char *path = sim_task_path(dir, variant, first);
	g_autoptr(SimOutfile) f = sim_outfile_open(path, error);
	FILE *out;
	uint64_t n[3] = { nrows, drift->len, violations->len };

	if (!f)
		return false;
	out = sim_outfile_stream(f);
	fwrite(n, sizeof(n), 1, out);
	/* an empty GArray's data is NULL, which fwrite may not be given */
	if (nrows)
		fwrite(rows, sizeof(*rows), nrows, out);
	if (drift->len)
		fwrite(drift->data, sizeof(struct sim_drift_row), drift->len, out);
	for (guint i = 0; i < violations->len; i++) {
		struct sim_violation_row vr = g_array_index(violations, struct sim_violation_row, i);
		uint32_t len = (uint32_t)strlen(vr.schedule);

		fwrite(&vr, sizeof(vr), 1, out);
		fwrite(&len, sizeof(len), 1, out);
		fwrite(vr.schedule, 1, len, out);
	}
	return sim_outfile_commit(g_steal_pointer(&f), error);
}

/* Read exactly len bytes at *p of data (size end), or fail. */
static bool sim_take(const char **p, const char *end, void *dst, size_t len)
{
	if ((size_t)(end - *p) < len)
		return false;
	memcpy(dst, *p, len);
	*p += len;
	return true;
}

int sim_checkpoint_load(const char *dir, uint32_t variant, uint64_t first,
			struct sim_run_row *rows, uint64_t nrows, GArray *drift, GArray *violations)
{
	g_autofree char *path = sim_task_path(dir, variant, first);
	g_autofree char *data = NULL;
	const char *p, *end;
	uint64_t n[3];
	gsize len;
	guint d0 = drift->len, v0 = violations->len;

	if (!g_file_get_contents(path, &data, &len, NULL))
		return 0; /* not finished before the interruption */
	p = data;
	end = data + len;
	if (!sim_take(&p, end, n, sizeof(n)) || n[0] != nrows ||
	    !sim_take(&p, end, rows, sizeof(*rows) * nrows))
		return -1;
	g_array_set_size(drift, d0 + (guint)n[1]);
	if (!sim_take(&p, end, &g_array_index(drift, struct sim_drift_row, d0),
		      sizeof(struct sim_drift_row) * n[1]))
		goto bad;
	for (uint64_t i = 0; i < n[2]; i++) {
		struct sim_violation_row vr;
		uint32_t slen;

		if (!sim_take(&p, end, &vr, sizeof(vr)) || !sim_take(&p, end, &slen, sizeof(slen)) ||
		    (size_t)(end - p) < slen)
			goto bad;
		vr.schedule = g_strndup(p, slen);
		p += slen;
		g_array_append_val(violations, vr);
	}
	return p == end ? 1 : -1;
bad:
	g_array_set_size(drift, d0);
	for (guint i = v0; i < violations->len; i++)
		g_free(g_array_index(violations, struct sim_violation_row, i).schedule);
	g_array_set_size(violations, v0);
	return -1;
}
