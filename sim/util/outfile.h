/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output files that are never half-written: written to a temporary name in
 * the same directory and renamed into place only when complete. Abandoning
 * one (an error, an interrupted run) removes the temporary and leaves the
 * previous file, if any, untouched. "-" is standard output.
 *
 * Module prefix: sim_outfile_.
 */
#ifndef SIM_UTIL_OUTFILE_H
#define SIM_UTIL_OUTFILE_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct sim_outfile SimOutfile;

/* Read the umask (call once before starting threads; later calls do nothing). */
void sim_outfile_init(void);
SimOutfile *sim_outfile_open(const char *path, GError **error);
FILE *sim_outfile_stream(SimOutfile *o);
/* Flush, close and rename into place; frees o. */
bool sim_outfile_commit(SimOutfile *o, GError **error);
/* Close and remove the temporary; frees o. NULL is fine. */
void sim_outfile_abandon(SimOutfile *o);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimOutfile, sim_outfile_abandon)

#endif /* SIM_UTIL_OUTFILE_H */
