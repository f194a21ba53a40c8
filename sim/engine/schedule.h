/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Schedules: the sequence of choices a run made, as a compact printable
 * string that --replay takes back.
 *
 * Grammar: tokens separated by '.', each `CPU`, `CPU!` (deliver the IPI
 * pending on CPU) or either followed by `xN` (N times in a row), e.g.
 * "1.0x5.1x3.0!.0x2": CPU1 one step, CPU0 five, CPU1 three, an IPI taken by
 * CPU0, CPU0 two more. Together with the run's seed (which only the timed
 * strategy's jitter uses) it reproduces the run exactly.
 */
#ifndef SIM_ENGINE_SCHEDULE_H
#define SIM_ENGINE_SCHEDULE_H

#include <glib.h>

#include "engine/exec.h"

struct sim_schedule {
	struct sim_choice *c;
	size_t n, cap;
	/* where a parsed schedule came from, for messages (NULL: nowhere) */
	const char *origin; /* "--replay" or a scenario file */
	int line, col;	    /* of its first character */
	GArray *token_step; /* size_t: the first step of each token */
	GArray *token_col;  /* int: the column of each token in the string */
};

void sim_schedule_clear(struct sim_schedule *s);
void sim_schedule_release(struct sim_schedule *s);
void sim_schedule_append(struct sim_schedule *s, struct sim_choice c);
/* The string form; free with g_free. */
char *sim_schedule_format(const struct sim_schedule *s, size_t upto);
/*
 * Parse a schedule string. On error, *col is the 1-based column in `str`
 * and the GError message says what was expected there (without position).
 */
bool sim_schedule_parse(const char *str, unsigned int ncpus, struct sim_schedule *out, int *col,
			GError **error);
/* "origin:line:column" of the token that holds step (0-based), or NULL if unknown; g_free it. */
char *sim_schedule_where(const struct sim_schedule *s, size_t step);

#endif /* SIM_ENGINE_SCHEDULE_H */
