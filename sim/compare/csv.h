/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few CSV helpers comparisons need: RFC 4180 quoting on write, and a
 * reader that splits a line into fields (quotes honoured) and names the
 * file:line of anything it cannot read.
 */
#ifndef SIM_COMPARE_CSV_H
#define SIM_COMPARE_CSV_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* Write a field, quoted if it holds a comma, a quote or a newline. */
void sim_csv_field(FILE *out, const char *s);

struct sim_csv {
	const char *path;
	char *data;
	char *p;
	int line;
	GPtrArray *fields; /* char *, the current line's */
};

bool sim_csv_open(struct sim_csv *c, const char *path, const char *header, GError **error);
/* The next line's fields (into c->fields); false at the end. */
bool sim_csv_next(struct sim_csv *c);
void sim_csv_close(struct sim_csv *c);

/* Field i as an integer / string; sets error naming file:line when it is not one. */
bool sim_csv_u64(struct sim_csv *c, guint i, guint64 *out, GError **error);
bool sim_csv_long(struct sim_csv *c, guint i, long *out, GError **error);
const char *sim_csv_str(struct sim_csv *c, guint i);

#endif /* SIM_COMPARE_CSV_H */
