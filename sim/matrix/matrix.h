/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race x variant matrix: every scenario explored exhaustively (DPOR,
 * --all) on every variant, on a pool of worker threads, each cell compared
 * with the scenario's expect. What a reviewer asks for first (docs/matrix.md
 * is generated from it).
 *
 * Module prefix: sim_matrix_.
 */
#ifndef SIM_MATRIX_MATRIX_H
#define SIM_MATRIX_MATRIX_H

#include <stdio.h>

#include "scenario/scenario.h"
#include "variants/variant.h"

struct sim_matrix_cell {
	uint32_t broken;     /* findings some interleaving breaks (step-limit aside) */
	uint32_t expect;     /* the scenario's expect for the variant (0: clean) */
	bool complete;	     /* every interleaving was explored */
	bool cut;	     /* some executions reached the step limit */
	uint64_t executions; /* explored */
	char *error;	     /* the cell could not run: why */
};

struct sim_matrix {
	GPtrArray *scenarios; /* SimScenario *, owned */
	GPtrArray *variants;  /* const SimVariant * */
	struct sim_matrix_cell *cells; /* [scenario * variants->len + variant] */
	uint64_t budget;	       /* steps per cell */
};

typedef struct sim_matrix SimMatrix;

/* Load the scenario files (errors name file:line:column). */
struct sim_matrix *sim_matrix_new(char **files, GPtrArray *variants, GError **error);
void sim_matrix_free(struct sim_matrix *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimMatrix, sim_matrix_free)

/* Explore every cell with `jobs` workers; the result does not depend on jobs. */
void sim_matrix_run(struct sim_matrix *m, unsigned int jobs);

struct sim_matrix_cell *sim_matrix_cell(const struct sim_matrix *m, guint scenario, guint variant);
/* The cell's verdict is what the scenario expects (exactly, when complete). */
bool sim_matrix_cell_met(const struct sim_matrix_cell *c);

void sim_matrix_markdown(FILE *out, const struct sim_matrix *m);
void sim_matrix_csv(FILE *out, const struct sim_matrix *m);

#endif /* SIM_MATRIX_MATRIX_H */
