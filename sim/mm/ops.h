/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel functions a design variant may replace.
 *
 * Step machines (they contain scheduling points) are struct sim_fn
 * descriptors; functions that run atomically within a step (called with
 * zone->lock held) are plain C. The baseline, linux v3.16, provides every
 * entry (mm/page_alloc.c, mm/page_isolation.c) but __putback_isolated_page,
 * which came with free page reporting in v5.7 (NULL before: its callers take
 * the path of their era, mm/page_reporting.c); a variant overrides the ones
 * its patch set changes and inherits the rest (variants/variant.c).
 *
 * Adding a kernel function a variant needs: one line here, its baseline in
 * mm/, and the variant's version in its own file.
 */
#ifndef SIM_MM_OPS_H
#define SIM_MM_OPS_H

#include "engine/world.h"

/* X(name): step machines. */
#define SIM_MM_STEP_OPS(X)           \
	X(free_hot_cold_page)        \
	X(__free_pages_ok)           \
	X(free_one_page)             \
	X(free_pcppages_bulk)        \
	X(buffered_rmqueue)          \
	X(rmqueue_bulk)              \
	X(drain_all_pages)           \
	X(drain_local_pages)         \
	X(set_migratetype_isolate)   \
	X(unset_migratetype_isolate) \
	X(start_isolate_page_range)  \
	X(undo_isolate_page_range)   \
	X(test_pages_isolated)       \
	X(migrate_range)             \
	X(isolate_freepages_range)   \
	X(alloc_contig_range)        \
	X(offline_pages)             \
	X(online_pages)

/* X(return type, name, parameters): atomic functions, caller holds zone->lock. */
#define SIM_MM_PLAIN_OPS(X)                                                                 \
	X(void, __free_one_page,                                                            \
	  (struct sim_world * w, struct page * page, unsigned long pfn, struct zone *zone,  \
	   unsigned int order, int migratetype))                                            \
	X(struct page *, __rmqueue,                                                         \
	  (struct sim_world * w, struct zone * zone, unsigned int order, int migratetype))  \
	X(void, expand,                                                                     \
	  (struct sim_world * w, struct zone * zone, struct page * page, int low, int high, \
	   int migratetype))                                                                \
	X(int, move_freepages,                                                              \
	  (struct sim_world * w, struct zone * zone, unsigned long start_pfn,               \
	   unsigned long end_pfn, int migratetype))                                         \
	X(int, move_freepages_block,                                                        \
	  (struct sim_world * w, struct zone * zone, struct page * page, int migratetype))  \
	X(bool, __test_page_isolated_in_pageblock,                                          \
	  (struct sim_world * w, unsigned long pfn, unsigned long end_pfn))                 \
	X(unsigned long, __isolate_free_page,                                               \
	  (struct sim_world * w, struct page * page, unsigned int order))                   \
	X(void, __putback_isolated_page,                                                    \
	  (struct sim_world * w, struct page * page, unsigned int order, int mt))

struct sim_mm_ops {
#define SIM_X_STEP(name)	       const struct sim_fn *name;
#define SIM_X_PLAIN(ret, name, params) ret(*name) params;
	SIM_MM_STEP_OPS(SIM_X_STEP)
	SIM_MM_PLAIN_OPS(SIM_X_PLAIN)
#undef SIM_X_STEP
#undef SIM_X_PLAIN
};

/* The v3.16 baseline (mm/page_alloc.c, mm/page_isolation.c). */
extern const struct sim_mm_ops sim_mm_v3_16_ops;

#endif /* SIM_MM_OPS_H */
