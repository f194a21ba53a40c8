// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering a comparison's plots with gnuplot from the CSV files of its
 * directory (the templates are in plots/). Each plot is written as PNG
 * (pngcairo) and SVG, to a temporary name first, like every output file.
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <string.h>

#include "compare/compare.h"
#include "util/error.h"

static const struct {
	const char *name;     /* output name without extension */
	const char *template; /* in plots/ */
	const char *data;     /* needs this file to have data rows */
} sim_plots[] = {
	{ "drift", "compare-drift.gp", "drift-band.csv" },
	{ "final-drift", "compare-final-drift.gp", "final-drift.csv" },
	{ "violations", "compare-violations.gp", "violations-by-invariant.csv" },
	{ "success", "compare-success.gp", "success.csv" },
};

static const char *sim_plots_dir(void)
{
	const char *dir = g_getenv("MMSIM_PLOTS");

	return dir ? dir : MMSIM_PLOTS_DIR;
}

/* Does the CSV file have a line after its header? */
static bool sim_has_rows(const char *path)
{
	g_autofree char *data = NULL;
	char *nl;

	if (!g_file_get_contents(path, &data, NULL, NULL))
		return false;
	nl = strchr(data, '\n');
	return nl && nl[1];
}

/* One gnuplot process rendering one file, started asynchronously. */
struct sim_plot_proc {
	char *out, *tmp;
	GPid pid;
	int err_fd;
};

static bool sim_plot_start(const char *gnuplot, const char *dir, const char *variants,
			   const char *name, const char *template, const char *fmt,
			   struct sim_plot_proc *p, GError **error)
{
	g_autofree char *tpl = g_build_filename(sim_plots_dir(), template, NULL);
	g_autofree char *vars = NULL;
	const char *argv[] = { gnuplot, "-e", NULL, tpl, NULL };

	p->out = g_strdup_printf("%s/%s.%s", dir, name, fmt);
	p->tmp = g_strdup_printf("%s.tmp", p->out);
	vars = g_strdup_printf("plots='%s'; dir='%s'; out='%s'; fmt='%s'; variants='%s'",
			       sim_plots_dir(), dir, p->tmp, fmt, variants);
	argv[2] = vars;
	return g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
					G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
					NULL, NULL, &p->pid, NULL, NULL, &p->err_fd, error);
}

/* Wait for it; rename its output into place, or say what gnuplot said. */
static bool sim_plot_finish(struct sim_plot_proc *p, GError **error)
{
	char msg[512];
	ssize_t n = read(p->err_fd, msg, sizeof(msg) - 1);
	int status = 0;
	bool ok;

	msg[n > 0 ? n : 0] = 0;
	close(p->err_fd);
	waitpid(p->pid, &status, 0);
	g_spawn_close_pid(p->pid);
	ok = g_spawn_check_wait_status(status, NULL) && g_rename(p->tmp, p->out) == 0;
	if (!ok) {
		g_unlink(p->tmp);
		if (error && !*error)
			g_set_error(error, SIM_ERROR, SIM_ERROR_IO,
				    "gnuplot could not render %s: %s", p->out,
				    *msg ? g_strstrip(msg) : "no output");
	}
	g_free(p->out);
	g_free(p->tmp);
	return ok;
}

bool sim_compare_plot(const char *dir, bool quiet, GError **error)
{
	g_autofree char *ini = g_build_filename(dir, "comparison.ini", NULL);
	g_autofree char *gnuplot = g_find_program_in_path("gnuplot");
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) variants = NULL;
	g_autofree char *words = NULL;
	struct sim_plot_proc procs[2 * G_N_ELEMENTS(sim_plots)];
	size_t n = 0;
	bool ok = true;

	if (!gnuplot) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "gnuplot not found: the data is in %s; install gnuplot-nox "
			    "(tools/setup does) and run: mmsim plot %s",
			    dir, dir);
		return false;
	}
	if (!g_key_file_load_from_file(kf, ini, G_KEY_FILE_NONE, error) ||
	    !(variants = g_key_file_get_string_list(kf, "comparison", "variants", NULL, error)))
		return false;
	words = g_strjoinv(" ", variants);
	/* all plots at once: each is a short gnuplot process */
	for (size_t i = 0; i < G_N_ELEMENTS(sim_plots) && ok; i++) {
		g_autofree char *data = g_build_filename(dir, sim_plots[i].data, NULL);

		if (!sim_has_rows(data))
			continue;
		for (int f = 0; f < 2 && ok; f++) {
			ok = sim_plot_start(gnuplot, dir, words, sim_plots[i].name,
					    sim_plots[i].template, f ? "svg" : "png", &procs[n],
					    error);
			n += ok;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!quiet && i % 2 == 0 && g_str_has_suffix(procs[i].out, ".png"))
			fprintf(stderr, "plot: %s, .svg\n", procs[i].out);
		ok &= sim_plot_finish(&procs[i], error);
	}
	return ok;
}
