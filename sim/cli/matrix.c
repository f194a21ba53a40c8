// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim matrix SCENARIO...: every scenario on every variant, explored over
 * all interleavings, as the race x variant table (markdown or CSV), marking
 * the cells that differ from the scenarios' expect.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "matrix/matrix.h"
#include "util/error.h"
#include "util/outfile.h"

struct sim_matrix_args {
	char *variants;
	char *format;
	char *jobs;
	char *out;
	char **files;
};

static int sim_matrix_main(const struct sim_matrix_args *a, GError **error)
{
	g_autoptr(GPtrArray) variants = sim_cli_variants(a->variants, error);
	g_autoptr(SimMatrix) m = NULL;
	g_autoptr(SimOutfile) out = NULL;
	guint64 jobs = g_get_num_processors();
	bool csv = a->format && !strcmp(a->format, "csv");
	int status = 0;

	if (!variants)
		return 2;
	if (a->format && !csv && strcmp(a->format, "markdown")) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "--format: expected markdown or csv, found '%s'", a->format);
		return 2;
	}
	if (a->jobs && !sim_cli_parse_u64("--jobs", a->jobs, 1024, &jobs, error))
		return 2;
	if (!(m = sim_matrix_new(a->files, variants, error)))
		return 2;
	sim_matrix_run(m, (unsigned int)MAX(jobs, 1));
	for (guint i = 0; i < m->scenarios->len * m->variants->len; i++) {
		if (m->cells[i].error) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT, "%s on %s: %s",
				    ((SimScenario *)g_ptr_array_index(m->scenarios,
								      i / m->variants->len))->path,
				    ((const SimVariant *)g_ptr_array_index(
					     m->variants, i % m->variants->len))->name,
				    m->cells[i].error);
			return 2;
		}
		if (!sim_matrix_cell_met(&m->cells[i]))
			status = 1;
	}
	if (!(out = sim_outfile_open(a->out ? a->out : "-", error)))
		return 2;
	if (csv)
		sim_matrix_csv(sim_outfile_stream(out), m);
	else
		sim_matrix_markdown(sim_outfile_stream(out), m);
	return sim_outfile_commit(g_steal_pointer(&out), error) ? status : 2;
}

int sim_cmd_matrix(int argc, char **argv)
{
	struct sim_matrix_args a = { 0 };
	GOptionEntry entries[] = {
		{ "variants", 'v', 0, G_OPTION_ARG_STRING, &a.variants,
		  "Variants: a comma-separated list, or all (default)", "LIST" },
		{ "variant", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &a.variants, NULL, NULL },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &a.format, "markdown (default) or csv",
		  "F" },
		{ "jobs", 'j', 0, G_OPTION_ARG_STRING, &a.jobs, "Worker threads (default: all cores)",
		  "J" },
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &a.out,
		  "Write the table to FILE (default: standard output)", "FILE" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &a.files, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("SCENARIO... - the race x variant verdict table");
	g_autoptr(GError) error = NULL;
	int status;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(
		ctx, "Explores every scenario on every variant over all interleavings (DPOR).\n"
		     "Exit status: 0 if every cell is what its scenario expects, 1 if not,\n"
		     "2 on bad input. docs/matrix.md is this command's markdown output.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
		status = sim_cli_fail(error);
	} else if (!a.files || !a.files[0]) {
		fprintf(stderr, "mmsim: matrix takes one or more scenario files\n");
		status = 2;
	} else {
		status = sim_matrix_main(&a, &error);
		if (error)
			status = sim_cli_fail(error);
	}
	g_free(a.variants);
	g_free(a.format);
	g_free(a.jobs);
	g_free(a.out);
	g_strfreev(a.files);
	return status;
}
