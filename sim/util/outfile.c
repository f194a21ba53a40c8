// SPDX-License-Identifier: GPL-2.0
/* Atomic output files (see util/outfile.h). */
#include <errno.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/outfile.h"

struct sim_outfile {
	char *path;
	char *tmp; /* NULL for stdout */
	FILE *f;
};

/*
 * The process's umask. umask() can only be read by setting it, which is not
 * thread-safe, so it is read once, before any thread exists (main() calls
 * sim_outfile_init()).
 */
static gsize sim_umask_once;
static mode_t sim_umask;

void sim_outfile_init(void)
{
	if (g_once_init_enter(&sim_umask_once)) {
		sim_umask = umask(0);
		umask(sim_umask);
		g_once_init_leave(&sim_umask_once, 1);
	}
}

/* mkstemp() makes the file 0600; give it the mode a plain fopen() would (0666 & ~umask). */
static void sim_outfile_mode(int fd)
{
	sim_outfile_init();
	if (fchmod(fd, 0666 & ~sim_umask))
		return; /* the file stays private; nothing is lost */
}

SimOutfile *sim_outfile_open(const char *path, GError **error)
{
	SimOutfile *o = g_new0(SimOutfile, 1);
	int fd;

	o->path = g_strdup(path);
	if (!strcmp(path, "-")) {
		o->f = stdout;
		return o;
	}
	o->tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
	fd = g_mkstemp(o->tmp);
	if (fd >= 0)
		sim_outfile_mode(fd);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot write: %s", path,
			    g_strerror(errno));
		if (fd >= 0)
			close(fd);
		g_free(o->path);
		g_free(o->tmp);
		g_free(o);
		return NULL;
	}
	return o;
}

FILE *sim_outfile_stream(SimOutfile *o)
{
	return o->f;
}

bool sim_outfile_commit(SimOutfile *o, GError **error)
{
	bool ok = true;

	if (!o->tmp) {
		ok = fflush(o->f) == 0;
	} else {
		ok = fflush(o->f) == 0 && fsync(fileno(o->f)) == 0;
		ok = (fclose(o->f) == 0) && ok;
		o->f = NULL;
		ok = ok && g_rename(o->tmp, o->path) == 0;
	}
	if (!ok)
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot write: %s", o->path,
			    g_strerror(errno));
	if (o->tmp && !ok)
		g_unlink(o->tmp);
	g_free(o->path);
	g_free(o->tmp);
	g_free(o);
	return ok;
}

void sim_outfile_abandon(SimOutfile *o)
{
	if (!o)
		return;
	if (o->tmp) {
		if (o->f)
			fclose(o->f);
		g_unlink(o->tmp);
	}
	g_free(o->path);
	g_free(o->tmp);
	g_free(o);
}
