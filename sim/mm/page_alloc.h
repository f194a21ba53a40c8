/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The v3.16 baseline's functions that variants reuse (mm/page_alloc.c,
 * mm/page_isolation.c), and the model's helpers that go with them.
 */
#ifndef SIM_MM_PAGE_ALLOC_H
#define SIM_MM_PAGE_ALLOC_H

#include "engine/world.h"
#include "mm/list.h"

/* Step-machine descriptors of the baseline. */
extern const struct sim_fn sim_base_free_hot_cold_page, sim_base___free_pages_ok,
	sim_base_free_one_page, sim_base_free_pcppages_bulk, sim_base_buffered_rmqueue,
	sim_base_rmqueue_bulk, sim_base_drain_all_pages, sim_base_drain_local_pages,
	sim_base_set_migratetype_isolate, sim_base_unset_migratetype_isolate,
	sim_base_start_isolate_page_range, sim_base_undo_isolate_page_range,
	sim_base_test_pages_isolated, sim_base_migrate_range, sim_base_isolate_freepages_range,
	sim_base_alloc_contig_range, sim_base_offline_pages, sim_base___free_pages,
	sim_base_cma_alloc, sim_base_cma_release, sim_base_online_pages,
	sim_base_page_reporting_process_zone;
/* online_pages() as of v5.10: into isolated pageblocks (memory_hotplug.c) */
extern const struct sim_fn sim_online_pages_isolated;

void free_pages_prepare(struct sim_world *w, struct page *page, unsigned int order);
void prep_new_page(struct sim_world *w, struct page *page, unsigned int order, int migratetype);
struct page *__rmqueue_smallest(struct sim_world *w, struct zone *zone, unsigned int order,
				int migratetype);
unsigned long __isolate_free_page(struct sim_world *w, struct page *page, unsigned int order);
bool has_unmovable_pages(struct sim_world *w, struct zone *zone, struct page *page, int count);
bool __test_page_isolated_in_pageblock(struct sim_world *w, unsigned long pfn,
				       unsigned long end_pfn);

/*
 * free_pcppages_bulk()'s round robin (v3.16 to v4.3, three pcplists in
 * migratetype order): the next non-empty list after *migratetype, counting
 * the lists it passes in *batch_free ("so more pages are freed off fuller
 * lists"); when it is the only non-empty list, free all that is left from
 * it. One copy for the variants that keep v3.16's loop. Caller holds
 * zone->lock, and to_free <= pcp->count: some list is not empty.
 */
static inline struct list_head *pcp_next_list(struct sim_world *w, struct per_cpu_pages *pcp,
					      int *migratetype, int *batch_free, int to_free)
{
	struct list_head *list;

	do {
		(*batch_free)++;
		if (++*migratetype == MIGRATE_PCPTYPES)
			*migratetype = 0;
		list = &pcp->lists[*migratetype];
	} while (list_empty(w, list));
	/* This is the only non-empty list. Free them all. */
	if (*batch_free == MIGRATE_PCPTYPES)
		*batch_free = to_free;
	return list;
}

/* pfn_max_align_down/up(): MAX_ORDER_NR_PAGES or a pageblock, whichever is larger. */
static inline unsigned long pfn_max_align_down(struct zone *zone, unsigned long pfn)
{
	return pfn & ~(MAX(1ul << (MAX_ORDER(zone) - 1), pageblock_nr_pages(zone)) - 1);
}

static inline unsigned long pfn_max_align_up(struct zone *zone, unsigned long pfn)
{
	unsigned long a = MAX(1ul << (MAX_ORDER(zone) - 1), pageblock_nr_pages(zone));

	return (pfn + a - 1) & ~(a - 1);
}

/* alloc_contig_range()'s search for the free chunk containing start, v3.19+ (contig.c). */
unsigned long alloc_contig_outer_start(struct sim_world *w, unsigned long start);

/* __free_one_page's pieces shared by the variants' versions of it. */
void sim_note_merge(struct sim_world *w, unsigned long pfn, unsigned long buddy_pfn,
		    unsigned int order, int migratetype);
void sim_free_one_page_insert(struct sim_world *w, struct page *page, unsigned long pfn,
			      struct zone *zone, unsigned int order, int migratetype,
			      unsigned long page_idx, unsigned long buddy_idx,
			      unsigned long buddy_pfn);

/* smp_call_function_many(mask, func, info, wait): queue `fn` on every other CPU in mask. */
void smp_call_function_many(struct sim_world *w, uint64_t mask, const struct sim_fn *fn);
/* queue_work_on() each CPU of mask, this one included (v4.11+ drains, engine/exec.c). */
void sim_queue_work_on_mask(struct sim_world *w, uint64_t mask, const struct sim_fn *fn);

#endif /* SIM_MM_PAGE_ALLOC_H */
