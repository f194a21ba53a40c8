// SPDX-License-Identifier: GPL-2.0
/*
 * The counterexample as kernel reviewers draw it on the list: one column per
 * CPU, time going down, each step's kernel functions and events (locks, the
 * migratetype read, list moves, counter updates) in the column of the CPU
 * that ran it, a rule at the point of no return, and the counter against the
 * truth at the breaking step.
 */
#include <string.h>

#include "report/diagram.h"

#define SIM_DIAGRAM_COL_MAX 72 /* a CPU's column at most; longer events wrap */

struct sim_diagram_line {
	uint64_t step;  /* the step it belongs to (0: continuation line) */
	int cpu;
	char *text;
};

struct sim_diagram {
	const SimScenario *sc;
	GArray *lines; /* struct sim_diagram_line */
	uint64_t last_step;
	long nfp, truth;
};

struct sim_diagram *sim_diagram_new(const SimScenario *sc)
{
	struct sim_diagram *d = g_new0(struct sim_diagram, 1);

	d->sc = sc;
	d->lines = g_array_new(FALSE, FALSE, sizeof(struct sim_diagram_line));
	return d;
}

void sim_diagram_free(struct sim_diagram *d)
{
	if (!d)
		return;
	for (guint i = 0; i < d->lines->len; i++)
		g_free(g_array_index(d->lines, struct sim_diagram_line, i).text);
	g_array_free(d->lines, TRUE);
	g_free(d);
}

static void sim_diagram_add(struct sim_diagram *d, uint64_t step, int cpu, char *text)
{
	struct sim_diagram_line l = { step, cpu, text };

	g_array_append_val(d->lines, l);
}

/* Observer: one line per event; a function's name when it changes, indented by depth. */
void sim_diagram_observe(void *data, const struct sim_step_view *v)
{
	struct sim_diagram *d = data;
	const char *t = v->ev_text, *prev = NULL;

	if (v->irq)
		sim_diagram_add(d, v->step, v->cpu, g_strdup("-- IPI --"));
	for (int i = 0; i < v->n_events; i++) {
		const char *fn = v->ev_fn[i];
		uint64_t step = i || v->irq ? 0 : v->step;

		if (!strcmp(fn, "script") && g_str_has_prefix(t, "call "))
			sim_diagram_add(d, step, v->cpu, g_strdup(t + 5)); /* "call f(args)" -> "f(args)" */
		else if (!strcmp(fn, "script"))
			sim_diagram_add(d, step, v->cpu, g_strdup(t));
		else if (prev && !strcmp(prev, fn))
			sim_diagram_add(d, step, v->cpu, g_strdup_printf("  %s", t));
		else
			sim_diagram_add(d, step, v->cpu, g_strdup_printf("%s: %s", fn, t));
		prev = fn;
		t += strlen(t) + 1;
	}
	if (!v->n_events)
		sim_diagram_add(d, v->step, v->cpu, g_strdup_printf("%s", v->function));
	d->last_step = v->step;
	d->nfp = v->nr_free_pages;
	d->truth = v->truth;
}

static void sim_diagram_rule(GString *out, size_t width, char ch, const char *label)
{
	size_t len = label ? strlen(label) + 2 : 0;
	size_t side = width > len ? (width - len) / 2 : 0;

	for (size_t i = 0; i < side; i++)
		g_string_append_c(out, ch);
	if (label)
		g_string_append_printf(out, " %s ", label);
	for (size_t i = side + len; i < width; i++)
		g_string_append_c(out, ch);
	g_string_append_c(out, '\n');
}

/* A line of the table: the step number, then the text in its CPU's column, wrapped. */
static void sim_diagram_row(GString *out, const struct sim_diagram_line *l, int ncpus,
			    const int *col)
{
	const char *t = l->text;
	size_t len = strlen(t);
	bool first = true;

	do {
		const char *indent = first ? "" : "    ";
		size_t n = MIN(len, (size_t)col[l->cpu] - 1 - strlen(indent));

		if (first && l->step)
			g_string_append_printf(out, "%5llu ", (unsigned long long)l->step);
		else
			g_string_append(out, "      ");
		for (int c = 0; c < ncpus; c++) {
			size_t start = out->len;

			if (c == l->cpu)
				g_string_append_printf(out, "%s%.*s", indent, (int)n, t);
			while (out->len - start < (size_t)col[c])
				g_string_append_c(out, ' ');
			if (c + 1 < ncpus)
				g_string_append(out, "| ");
		}
		while (out->len && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		g_string_append_c(out, '\n');
		t += n;
		len -= n;
		first = false;
	} while (len);
}

/* Each CPU's column: as wide as its longest line (and its header), at most the maximum. */
static size_t sim_diagram_columns(const struct sim_diagram *d, int *col)
{
	int ncpus = (int)d->sc->cpus;
	size_t width = 6;

	for (int c = 0; c < ncpus; c++)
		col[c] = 16;
	for (guint i = 0; i < d->lines->len; i++) {
		const struct sim_diagram_line *l = &g_array_index(d->lines, struct sim_diagram_line, i);

		col[l->cpu] = MAX(col[l->cpu], (int)MIN(strlen(l->text) + 2, SIM_DIAGRAM_COL_MAX));
	}
	for (int c = 0; c < ncpus; c++)
		width += (size_t)col[c] + (c + 1 < ncpus ? 2 : 0);
	return width;
}

char *sim_diagram_render(struct sim_diagram *d, const struct sim_diagram_info *info)
{
	int ncpus = (int)d->sc->cpus;
	g_autofree int *col = g_new0(int, ncpus);
	size_t width = sim_diagram_columns(d, col);
	GString *out = g_string_new(NULL);
	bool ruled = false;

	g_string_append_printf(out, "%s\n", info->title);
	g_string_append(out, "      ");
	for (int c = 0; c < ncpus; c++) {
		g_autofree char *h = d->sc->scripts[c].name ?
					     g_strdup_printf("CPU%d (%s)", c, d->sc->scripts[c].name) :
					     g_strdup_printf("CPU%d", c);

		g_string_append_printf(out, "%-*s%s", col[c], h, c + 1 < ncpus ? "| " : "");
	}
	while (out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	g_string_append_c(out, '\n');
	sim_diagram_rule(out, width, '-', NULL);
	for (guint i = 0; i < d->lines->len; i++) {
		const struct sim_diagram_line *l = &g_array_index(d->lines, struct sim_diagram_line, i);

		if (l->step > info->no_return && info->no_return && !ruled && l->step) {
			g_autofree char *label = g_strdup_printf(
				"point of no return: after step %llu every continuation breaks %s",
				(unsigned long long)info->no_return, sim_finding_name(info->finding));

			sim_diagram_rule(out, width, '=', label);
			ruled = true;
		}
		sim_diagram_row(out, l, ncpus, col);
	}
	sim_diagram_rule(out, width, '-', NULL);
	g_string_append_printf(out, "!! step %llu: %s broken: %s\n", (unsigned long long)info->step,
			       sim_finding_name(info->finding), info->message);
	if (info->finding != SIM_FREEPAGE_COUNT)
		g_string_append_printf(out, "   NR_FREE_PAGES %ld, pages on the counted free lists %ld "
					    "(drift %+ld)\n", d->nfp, d->truth, d->nfp - d->truth);
	if (info->replay)
		g_string_append_printf(out, "replay: %s\n", info->replay);
	return g_string_free(out, FALSE);
}
