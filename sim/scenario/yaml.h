/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A YAML document as a tree of scalars, mappings and sequences, each with
 * the line and column it starts at (libyaml's parser events, no schema).
 * Aliases, tags and multiple documents are refused: scenario files do not
 * need them, and refusing them keeps every value's position exact.
 *
 * Module prefix: sim_yaml_.
 */
#ifndef SIM_SCENARIO_YAML_H
#define SIM_SCENARIO_YAML_H

#include <glib.h>
#include <stdbool.h>

enum sim_ynode_kind {
	SIM_Y_SCALAR,
	SIM_Y_MAP,
	SIM_Y_SEQ,
};

struct sim_ynode {
	enum sim_ynode_kind kind;
	int line, col;	   /* 1-based */
	char *scalar;	   /* SIM_Y_SCALAR */
	bool plain;	   /* an unquoted scalar */
	GPtrArray *keys;   /* SIM_Y_MAP: struct sim_ynode * (scalars) */
	GPtrArray *values; /* SIM_Y_MAP: values; SIM_Y_SEQ: items */
};

struct sim_ynode *sim_yaml_parse(const char *path, const char *data, gsize len, GError **error);
void sim_ynode_free(struct sim_ynode *n);
typedef struct sim_ynode SimYNode;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimYNode, sim_ynode_free)

const char *sim_ynode_kind_name(const struct sim_ynode *n);

/* Collections nested deeper than this are refused (a scenario needs about 8). */
#define SIM_YAML_DEPTH_MAX 64

#endif /* SIM_SCENARIO_YAML_H */
