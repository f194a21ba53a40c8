// SPDX-License-Identifier: GPL-2.0
/*
 * Building the node tree from libyaml's event stream. A stack of open
 * collections receives each finished node; a mapping alternates keys and
 * values. Syntax errors come back as file:line:column with libyaml's words.
 */
#include <string.h>
#include <yaml.h>

#include "scenario/yaml.h"
#include "util/error.h"

void sim_ynode_free(struct sim_ynode *n)
{
	if (!n)
		return;
	g_free(n->scalar);
	if (n->keys)
		g_ptr_array_free(n->keys, TRUE);
	if (n->values)
		g_ptr_array_free(n->values, TRUE);
	g_free(n);
}

const char *sim_ynode_kind_name(const struct sim_ynode *n)
{
	return n->kind == SIM_Y_SCALAR ? "a scalar" :
	       n->kind == SIM_Y_MAP    ? "a mapping" :
					 "a sequence";
}

static struct sim_ynode *sim_ynode_new(enum sim_ynode_kind kind, const yaml_mark_t *mark)
{
	struct sim_ynode *n = g_new0(struct sim_ynode, 1);

	n->kind = kind;
	n->line = (int)mark->line + 1;
	n->col = (int)mark->column + 1;
	if (kind == SIM_Y_MAP)
		n->keys = g_ptr_array_new_with_free_func((GDestroyNotify)sim_ynode_free);
	if (kind != SIM_Y_SCALAR)
		n->values = g_ptr_array_new_with_free_func((GDestroyNotify)sim_ynode_free);
	return n;
}

struct sim_ybuild {
	const char *path;
	GPtrArray *stack; /* open collections */
	struct sim_ynode *root;
	int docs;
};

/* Attach a finished node to the innermost open collection, or make it the root. */
static bool sim_ybuild_add(struct sim_ybuild *b, struct sim_ynode *n, GError **error)
{
	struct sim_ynode *parent;

	if (!b->stack->len) {
		b->root = n;
		return true;
	}
	parent = g_ptr_array_index(b->stack, b->stack->len - 1);
	if (parent->kind == SIM_Y_SEQ) {
		g_ptr_array_add(parent->values, n);
		return true;
	}
	if (parent->keys->len == parent->values->len) {
		if (n->kind != SIM_Y_SCALAR) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "%s:%d:%d: expected a plain key, found %s", b->path, n->line,
				    n->col, sim_ynode_kind_name(n));
			sim_ynode_free(n);
			return false;
		}
		for (guint i = 0; i < parent->keys->len; i++) {
			struct sim_ynode *k = g_ptr_array_index(parent->keys, i);

			if (!strcmp(k->scalar, n->scalar)) {
				g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
					    "%s:%d:%d: duplicate key '%s' (first at line %d)",
					    b->path, n->line, n->col, n->scalar, k->line);
				sim_ynode_free(n);
				return false;
			}
		}
		g_ptr_array_add(parent->keys, n);
	} else {
		g_ptr_array_add(parent->values, n);
	}
	return true;
}

static bool sim_ybuild_event(struct sim_ybuild *b, const yaml_event_t *ev, GError **error)
{
	struct sim_ynode *n;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
				    "%s:%zu:%zu: expected one YAML document, found a second",
				    b->path, ev->start_mark.line + 1, ev->start_mark.column + 1);
			return false;
		}
		return true;
	case YAML_ALIAS_EVENT:
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "%s:%zu:%zu: expected a value, found an alias (*%s): aliases are not "
			    "supported in scenario files",
			    b->path, ev->start_mark.line + 1, ev->start_mark.column + 1,
			    ev->data.alias.anchor);
		return false;
	case YAML_SCALAR_EVENT:
		n = sim_ynode_new(SIM_Y_SCALAR, &ev->start_mark);
		n->scalar = g_strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		return sim_ybuild_add(b, n, error);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		/* the tree is freed recursively: bound its depth (scenarios need a handful) */
		if (b->stack->len >= SIM_YAML_DEPTH_MAX) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT,
				    "%s:%zu:%zu: collections nested more than %d deep "
				    "(SIM_YAML_DEPTH_MAX in sim/scenario/yaml.h)",
				    b->path, ev->start_mark.line + 1, ev->start_mark.column + 1,
				    SIM_YAML_DEPTH_MAX);
			return false;
		}
		n = sim_ynode_new(ev->type == YAML_MAPPING_START_EVENT ? SIM_Y_MAP : SIM_Y_SEQ,
				  &ev->start_mark);
		g_ptr_array_add(b->stack, n);
		return true;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = g_ptr_array_steal_index(b->stack, b->stack->len - 1);
		return sim_ybuild_add(b, n, error);
	default:
		return true;
	}
}

static void sim_ybuild_syntax_error(const char *path, const yaml_parser_t *p, GError **error)
{
	const yaml_mark_t *m = p->problem_mark.line || p->problem_mark.column ? &p->problem_mark :
										&p->context_mark;

	g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE, "%s:%zu:%zu: YAML syntax: %s%s%s", path,
		    m->line + 1, m->column + 1, p->problem ? p->problem : "invalid YAML",
		    p->context ? " " : "", p->context ? p->context : "");
}

struct sim_ynode *sim_yaml_parse(const char *path, const char *data, gsize len, GError **error)
{
	struct sim_ybuild b = { .path = path };
	yaml_parser_t parser;
	bool ok = true, done = false;

	if (!yaml_parser_initialize(&parser)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT, "%s: out of memory", path);
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	b.stack = g_ptr_array_new_with_free_func((GDestroyNotify)sim_ynode_free);
	while (ok && !done) {
		yaml_event_t ev;

		if (!yaml_parser_parse(&parser, &ev)) {
			sim_ybuild_syntax_error(path, &parser, error);
			ok = false;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		ok = sim_ybuild_event(&b, &ev, error);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	g_ptr_array_free(b.stack, TRUE);
	if (ok && !b.root) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_PARSE,
			    "%s:1:1: expected a scenario (a mapping), found an empty file", path);
		ok = false;
	}
	if (!ok) {
		sim_ynode_free(b.root);
		return NULL;
	}
	return b.root;
}
