/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tally: a distribution kept as sorted distinct values with counts, for
 * percentiles over any number of runs in little memory (drift values repeat).
 */
#ifndef SIM_COMPARE_TALLY_H
#define SIM_COMPARE_TALLY_H

#include <glib.h>
#include <stdint.h>

struct sim_tally_bin {
	long value;
	uint64_t count;
};

struct sim_tally {
	GArray *v; /* struct sim_tally_bin, by value */
	uint64_t n;
};

void sim_tally_init(struct sim_tally *t);
void sim_tally_clear(struct sim_tally *t);
void sim_tally_add(struct sim_tally *t, long value, uint64_t count);
/* Nearest-rank percentile (0 gives the minimum, 100 the maximum); 0 when empty. */
long sim_tally_percentile(const struct sim_tally *t, double p);

#endif /* SIM_COMPARE_TALLY_H */
