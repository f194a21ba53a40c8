/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel entry points a scenario's CPU can call, and the arguments each
 * takes. The scenario loader validates calls against this table; a call runs
 * the variant's function (or the thin wrapper here that stands for the API
 * above it, e.g. alloc_pages() -> buffered_rmqueue()).
 */
#ifndef SIM_MM_ENTRY_H
#define SIM_MM_ENTRY_H

#include <stddef.h>

#include "engine/world.h"

enum sim_arg {
	SIM_ARG_ORDER = 0x01, /* order: */
	SIM_ARG_MT = 0x02,    /* migratetype: */
	SIM_ARG_AS = 0x04,    /* as: name the allocation */
	SIM_ARG_PAGE = 0x08,  /* page: a named allocation */
	SIM_ARG_RANGE = 0x10, /* start:, end: (pageblock aligned pfns) */
	SIM_ARG_COLD = 0x20,  /* cold: true */
};

struct sim_entry {
	const char *name;
	const struct sim_fn *fn; /* a wrapper here, or NULL: ... */
	size_t op;		 /* ... the variant's function at this offset in sim_mm_ops */
	unsigned int args;	 /* SIM_ARG_* accepted */
	unsigned int required;	 /* SIM_ARG_* required */
	bool returns;		 /* the call has a result worth tracing */
	bool success_rate;	 /* comparisons report how often it returns 0 */
	bool retries;		 /* ... and how often it went round again (sim_count_retry()) */
	bool workload_only;	 /* called by a workload (workload/), not from a script */
	const char *summary;
};

extern const struct sim_entry sim_entries[];

static inline int sim_entry_index(const struct sim_entry *e)
{
	return (int)(e - sim_entries);
}

const struct sim_entry *sim_entry_lookup(const char *name);

/*
 * What a workload's calls run (entry.c): __free_pages of a pfn, cma_alloc,
 * cma_release, a page reporting pass, free_contig_range.
 */
extern const struct sim_fn sim_workload_free_fn, sim_workload_cma_alloc_fn,
	sim_workload_cma_release_fn, sim_workload_page_reporting_fn, sim_workload_free_contig_fn;
/* The function a call of this entry runs under the world's variant. */
const struct sim_fn *sim_entry_fn(const struct sim_world *w, const struct sim_entry *e);

#endif /* SIM_MM_ENTRY_H */
