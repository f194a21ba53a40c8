// SPDX-License-Identifier: GPL-2.0
/* Schedule strings (see engine/schedule.h for the grammar). */
#include <stdlib.h>
#include <string.h>

#include "engine/schedule.h"
#include "util/error.h"

#define SIM_SCHEDULE_MAX 50000000ul

void sim_schedule_clear(struct sim_schedule *s)
{
	s->n = 0;
}

void sim_schedule_release(struct sim_schedule *s)
{
	g_free(s->c);
	if (s->token_step)
		g_array_free(s->token_step, TRUE);
	if (s->token_col)
		g_array_free(s->token_col, TRUE);
	memset(s, 0, sizeof(*s));
}

char *sim_schedule_where(const struct sim_schedule *s, size_t step)
{
	guint lo = 0, hi;

	if (!s->origin || !s->token_step || !s->token_step->len)
		return NULL;
	/* the last token starting at or before step */
	hi = s->token_step->len;
	while (hi - lo > 1) {
		guint mid = (lo + hi) / 2;

		if (g_array_index(s->token_step, size_t, mid) <= step)
			lo = mid;
		else
			hi = mid;
	}
	return g_strdup_printf("%s:%d:%d", s->origin, s->line,
			       s->col + g_array_index(s->token_col, int, lo) - 1);
}

void sim_schedule_append(struct sim_schedule *s, struct sim_choice c)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->c = g_renew(struct sim_choice, s->c, s->cap);
	}
	s->c[s->n++] = c;
}

char *sim_schedule_format(const struct sim_schedule *s, size_t upto)
{
	GString *out = g_string_new(NULL);
	size_t n = MIN(upto, s->n);

	for (size_t i = 0; i < n;) {
		size_t run = 1;

		while (i + run < n && s->c[i + run].cpu == s->c[i].cpu &&
		       s->c[i + run].irq == s->c[i].irq)
			run++;
		g_string_append_printf(out, "%s%u%s", out->len ? "." : "", s->c[i].cpu,
				       s->c[i].irq ? "!" : "");
		if (run > 1)
			g_string_append_printf(out, "x%zu", run);
		i += run;
	}
	return g_string_free(out, FALSE);
}

static bool sim_parse_number(const char **p, unsigned long *v)
{
	char *end;

	if (!g_ascii_isdigit(**p))
		return false;
	*v = strtoul(*p, &end, 10);
	*p = end;
	return true;
}

bool sim_schedule_parse(const char *str, unsigned int ncpus, struct sim_schedule *out, int *col,
			GError **error)
{
	const char *p = str;

	sim_schedule_clear(out);
	if (!out->token_step) {
		out->token_step = g_array_new(FALSE, FALSE, sizeof(size_t));
		out->token_col = g_array_new(FALSE, FALSE, sizeof(int));
	}
	g_array_set_size(out->token_step, 0);
	g_array_set_size(out->token_col, 0);
	while (*p) {
		const char *tok = p;
		unsigned long cpu, count = 1;
		struct sim_choice c = { 0, 0 };

		if (!sim_parse_number(&p, &cpu)) {
			*col = (int)(p - str) + 1;
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "expected a CPU number, found '%c'", *p);
			return false;
		}
		if (cpu >= ncpus) {
			*col = (int)(tok - str) + 1;
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "CPU %lu does not exist (the scenario has %u CPUs)", cpu,
				    ncpus);
			return false;
		}
		c.cpu = (uint8_t)cpu;
		if (*p == '!') {
			c.irq = 1;
			p++;
		}
		if (*p == 'x') {
			const char *num = ++p;

			if (!sim_parse_number(&p, &count) || count == 0 || count > 100000000ul) {
				*col = (int)(num - str) + 1;
				g_set_error(
					error, SIM_ERROR, SIM_ERROR_PARSE,
					"expected a repeat count from 1 to 100000000 after 'x'");
				return false;
			}
		}
		if (*p && *p != '.') {
			*col = (int)(p - str) + 1;
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "expected '.', '!', 'x' or the end, found '%c'", *p);
			return false;
		}
		if (*p == '.' && !p[1]) {
			*col = (int)(p - str) + 2;
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "expected a CPU number after '.'");
			return false;
		}
		if (out->n + count > SIM_SCHEDULE_MAX) {
			*col = (int)(tok - str) + 1;
			g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT,
				    "the schedule is longer than %lu steps, the limit",
				    SIM_SCHEDULE_MAX);
			return false;
		}
		if (*p)
			p++;
		{
			int tcol = (int)(tok - str) + 1;

			g_array_append_val(out->token_step, out->n);
			g_array_append_val(out->token_col, tcol);
		}
		while (count--)
			sim_schedule_append(out, c);
	}
	if (!out->n) {
		*col = 1;
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "expected a schedule, found nothing");
		return false;
	}
	return true;
}
