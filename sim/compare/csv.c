// SPDX-License-Identifier: GPL-2.0
/* CSV for comparisons (see csv.h). */
#include <errno.h>
#include <string.h>

#include "compare/csv.h"
#include "util/error.h"

void sim_csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

bool sim_csv_open(struct sim_csv *c, const char *path, const char *header, GError **error)
{
	g_autoptr(GError) err = NULL;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if (!g_file_get_contents(path, &c->data, NULL, &err)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot read: %s", path,
			    err->message);
		return false;
	}
	c->p = c->data;
	c->fields = g_ptr_array_new_with_free_func(g_free);
	if (sim_csv_next(c)) {
		GString *got = g_string_new(NULL);
		bool same;

		for (guint i = 0; i < c->fields->len; i++)
			g_string_append_printf(got, "%s%s", i ? "," : "", sim_csv_str(c, i));
		same = !strcmp(got->str, header);
		g_string_free(got, TRUE);
		if (same)
			return true;
	}
	g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s:1:1: expected the header %s", path,
		    header);
	sim_csv_close(c);
	return false;
}

bool sim_csv_next(struct sim_csv *c)
{
	GString *f = g_string_new(NULL);
	bool quoted = false;

	g_ptr_array_set_size(c->fields, 0);
	if (!*c->p) {
		g_string_free(f, TRUE);
		return false;
	}
	c->line++;
	for (; *c->p; c->p++) {
		char ch = *c->p;

		if (quoted) {
			if (ch == '"' && c->p[1] == '"')
				g_string_append_c(f, *++c->p);
			else if (ch == '"')
				quoted = false;
			else
				g_string_append_c(f, ch);
		} else if (ch == '"') {
			quoted = true;
		} else if (ch == ',') {
			g_ptr_array_add(c->fields, g_string_free(f, FALSE));
			f = g_string_new(NULL);
		} else if (ch == '\n') {
			c->p++;
			break;
		} else {
			g_string_append_c(f, ch);
		}
	}
	g_ptr_array_add(c->fields, g_string_free(f, FALSE));
	return true;
}

void sim_csv_close(struct sim_csv *c)
{
	g_free(c->data);
	if (c->fields)
		g_ptr_array_free(c->fields, TRUE);
	memset(c, 0, sizeof(*c));
}

const char *sim_csv_str(struct sim_csv *c, guint i)
{
	return i < c->fields->len ? g_ptr_array_index(c->fields, i) : "";
}

bool sim_csv_u64(struct sim_csv *c, guint i, guint64 *out, GError **error)
{
	const char *s = sim_csv_str(c, i);
	char *end = NULL;

	errno = 0;
	*out = g_ascii_strtoull(s, &end, 10);
	if (!g_ascii_isdigit(*s) || *end || errno) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "%s:%d: field %u: expected an integer, found '%s'", c->path, c->line,
			    i + 1, s);
		return false;
	}
	return true;
}

bool sim_csv_long(struct sim_csv *c, guint i, long *out, GError **error)
{
	const char *s = sim_csv_str(c, i);
	char *end = NULL;

	errno = 0;
	*out = (long)g_ascii_strtoll(s, &end, 10);
	if (!*s || *end || errno) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "%s:%d: field %u: expected an integer, found '%s'", c->path, c->line,
			    i + 1, s);
		return false;
	}
	return true;
}
