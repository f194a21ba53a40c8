// SPDX-License-Identifier: GPL-2.0
/*
 * v4.6: the page allocator and pageblock isolation as of linux v4.6 (era E2),
 * on top of v3.18 (variants/v3_18.c). The changes between v3.18 and v4.6 that
 * touch the modeled paths:
 *
 *   d9dddbf55667 mm/page_alloc: prevent merging between isolated and other
 *                pageblocks (Vlastimil Babka, 2016-03-23, v4.6-rc1, Cc stable 3.18+)
 *   "mm, page_isolation: remove bogus tests for isolated pages" (Vlastimil
 *                Babka, 2015-07-21, v4.3)
 *   "mm: rename and move get/set_freepage_migratetype" (v4.3): the cache is
 *                only set for pcplist pages; move_freepages() no longer sets it
 *   "mm, page_alloc: remove MIGRATE_RESERVE" and the GFP/migratetype rework
 *                of Mel Gorman (v4.4): MOVABLE and RECLAIMABLE swap numbers,
 *                MIGRATE_HIGHATOMIC takes RESERVE's slot (= MIGRATE_PCPTYPES)
 *   the fallback rework of Joonsoo Kim (v4.1/v4.2: find_suitable_fallback,
 *                can_steal_fallback, steal_suitable_fallback) and
 *                __rmqueue_cma_fallback (CMA used smallest-first, only when
 *                the MOVABLE lists are empty)
 *   v3.19: drain_all_pages(zone) takes a zone (one zone in the model: the
 *                same thing) and the outer_start adjustment of
 *                alloc_contig_range()
 *
 * Source read: mm/page_alloc.c of a 4.6.2 tree (JasonLeeLJQ/kernel-4.6.2 @
 * bd0b35a52d26, a DRAM/NVM research fork whose edits were reversed, see
 * /work/notes/v4.6-v5.11-code.md Part A) and mm/page_isolation.c of the same
 * author's 4.6.2 tree.
 *
 * What changes over v3.18: a free that reaches pageblock_order checks its
 * buddy's pageblock and stops merging when exactly one of the two is ISOLATE,
 * whichever side is freeing (race R6 closed); test_pages_isolated() accepts
 * free buddy pages only (no test-time move, no pcplist pages); the allocator's
 * fallback; the order in which free_pcppages_bulk() visits the pcplists.
 * What does not change: the lock-free migratetype read of the free paths with
 * the recheck under zone->lock, counting in __free_one_page(),
 * move_freepages_block()'s count, the synchronous skip-empty IPI drain in
 * set_migratetype_isolate(), un-isolation by re-freeing >= pageblock_order
 * chunks (race R12), no check for an already isolated block (race R13,
 * closed by 2c7452a075d4 in v4.17), offline_pages() (v3.16's, unverified for
 * v4.6: see docs/variants/v4.6.md).
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "variants/variant.h"

#define EBUSY 16

/* ---------------------------------------------------------------------- */
/* Freeing                                                                 */
/* ---------------------------------------------------------------------- */

/* clear_page_guard() (v3.19+): the buddy's private is reset, ISOLATE is not counted. */
static void clear_page_guard(struct sim_world *w, struct zone *zone, struct page *page,
			     unsigned int order, int migratetype)
{
	clear_page_guard_flag(page);
	set_page_private(page, 0);
	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, 1l << order, migratetype);
	sim_shadow_guard(w, page, order, -1);
}

/*
 * The pageblock migratetype of the buddy at pageblock_order and above, read
 * under zone->lock before page_is_buddy() says whether the buddy is free
 * (kernel-model.md section 0 item 1). The kernel reads whatever bitmap lies
 * there, also for a buddy outside the zone (the RISC-V report of
 * kernel-model.md R17); the model has no bitmap there. Such a buddy can never
 * be merged (page_is_buddy() refuses it), so the caller stops either way.
 */
static bool sim_buddy_pageblock_migratetype(struct sim_world *w, unsigned long buddy_pfn,
					    int *buddy_mt)
{
	if (!zone_spans_pfn(w->zone, buddy_pfn))
		return false;
	*buddy_mt = get_pageblock_migratetype(w, pfn_to_page(w, buddy_pfn));
	return true;
}

/*
 * __free_one_page() (v4.6, d9dddbf55667): merging runs to pageblock_order
 * for everyone; from there on, while any pageblock of the zone is isolated,
 * each further merge first compares the migratetype of the page being freed
 * with its buddy's pageblock and stops if they differ and either is ISOLATE.
 * Two isolated blocks, or two normal ones, still merge. Counting as v3.18
 * (8f82b55dd558). Caller holds zone->lock.
 */
static void __free_one_page(struct sim_world *w, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype)
{
	unsigned long page_idx, buddy_idx = 0, combined_idx;
	unsigned long buddy_pfn = pfn;
	unsigned int max_order;

	sim_enter(w, "__free_one_page");
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freed(w, page);
	SIM_EV(w, "pfn %lu order %u to %s", pfn, order, migratetype_name(migratetype));
	max_order = MIN(MAX_ORDER(zone), pageblock_order(zone) + 1);

	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, 1l << order, migratetype);

	page_idx = pfn & ((1ul << MAX_ORDER(zone)) - 1);
	VM_BUG_ON(w, page_idx & ((1ul << order) - 1));

continue_merging:
	while (order < max_order - 1) {
		buddy_idx = __find_buddy_index(page_idx, order);
		buddy_pfn = pfn + (buddy_idx - page_idx);
		if (!page_is_buddy(w, buddy_pfn, order))
			goto done_merging;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		/*
		 * Our buddy is free or it is CONFIG_DEBUG_PAGEALLOC guard page,
		 * merge with it and move up one order.
		 */
		if (page_is_guard(pfn_to_page(w, buddy_pfn))) {
			clear_page_guard(w, zone, pfn_to_page(w, buddy_pfn), order, migratetype);
		} else {
			list_del(w, &pfn_to_page(w, buddy_pfn)->lru);
			zone->free_area[order].nr_free--;
			rmv_page_order(pfn_to_page(w, buddy_pfn));
		}
		combined_idx = buddy_idx & page_idx;
		pfn = pfn + (combined_idx - page_idx);
		page = pfn_to_page(w, pfn);
		page_idx = combined_idx;
		order++;
	}
	if (max_order < MAX_ORDER(zone)) {
		/* If we are here, it means order is >= pageblock_order.
		 * We want to prevent merge between freepages on isolate
		 * pageblock and normal pageblock. Without this, pageblock
		 * isolation could cause incorrect freepage or CMA accounting.
		 *
		 * We don't want to hit this code for the more frequent
		 * low-order merging.
		 */
		if (has_isolate_pageblock(zone)) {
			int buddy_mt;

			buddy_idx = __find_buddy_index(page_idx, order);
			buddy_pfn = pfn + (buddy_idx - page_idx);
			if (!sim_buddy_pageblock_migratetype(w, buddy_pfn, &buddy_mt))
				goto done_merging;
			if (migratetype != buddy_mt &&
			    (is_migrate_isolate(migratetype) || is_migrate_isolate(buddy_mt))) {
				SIM_EV(w, "order %u: buddy block %lu is %s, stop", order,
				       sim_block_of(w, buddy_pfn), migratetype_name(buddy_mt));
				goto done_merging;
			}
		}
		max_order++;
		goto continue_merging;
	}

done_merging:
	set_page_order(page, order);
	sim_free_one_page_insert(w, page, pfn, zone, order, migratetype, page_idx, buddy_idx,
				 buddy_pfn);
	sim_leave(w);
}

/*
 * The pcplists in the order of the kernel's migratetype numbers: from v4.4
 * MIGRATE_MOVABLE is 1 and MIGRATE_RECLAIMABLE 2 (kernel-model.md section 0
 * item 8), while the model's enum keeps v3.16's numbers. Only the round robin
 * of free_pcppages_bulk() depends on the numbers, so it goes through this
 * table: index i is the kernel's migratetype i.
 */
static const int pcp_migratetype_v4_4[MIGRATE_PCPTYPES] = {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
};

/*
 * free_pcppages_bulk() (v4.6): as v3.18 (51bb1a4093cc), with the v4.3 name of
 * the cache, the VM_BUG_ON that no pcplist page caches ISOLATE, and the
 * round robin over the lists in v4.4 numbering (MOVABLE before RECLAIMABLE).
 * The caller fixes pcp->count. Called with IRQs off. Frame: .arg count.
 */
static enum sim_ret free_pcppages_bulk(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];
	int migratetype = 0, batch_free = 0, to_free = f->arg;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	while (to_free) {
		struct list_head *list;

		/*
		 * Remove pages from lists in a round-robin fashion. A
		 * batch_free count is maintained that is incremented when an
		 * empty list is encountered.  This is so more pages are freed
		 * off fuller lists instead of spinning excessively around empty
		 * lists
		 */
		do {
			batch_free++;
			if (++migratetype == MIGRATE_PCPTYPES)
				migratetype = 0;
			list = &pcp->lists[pcp_migratetype_v4_4[migratetype]];
		} while (list_empty(w, list));

		/* This is the only non-empty list. Free them all. */
		if (batch_free == MIGRATE_PCPTYPES)
			batch_free = to_free;

		do {
			struct page *page = container_of(list_last(w, list), struct page, lru);
			int mt; /* migratetype of the to-be-freed page */

			/* must delete as __free_one_page list manipulates */
			list_del(w, &page->lru);

			mt = get_pcppage_migratetype(page);
			/* MIGRATE_ISOLATE page should not go to pcplists */
			VM_BUG_ON(w, is_migrate_isolate(mt));
			/* Pageblock could have been isolated meanwhile */
			if (has_isolate_pageblock(zone))
				mt = get_pageblock_migratetype(w, page);

			w->ops->__free_one_page(w, page, page_to_pfn(w, page), zone, 0, mt);
			SIM_TRACEPOINT(w, mm_page_pcpu_drain,
				       "page=%p pfn=%lu order=%d migratetype=%d",
				       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page),
				       0, mt);
		} while (--to_free && --batch_free && !list_empty(w, list));
	}
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_pcppages_bulk);

/* ---------------------------------------------------------------------- */
/* Allocation                                                              */
/* ---------------------------------------------------------------------- */

/*
 * This array describes the order lists are fallen back to when the free
 * lists for the desirable migrate type are depleted (v4.6: no
 * MIGRATE_RESERVE; CMA is reached through __rmqueue_cma_fallback() only).
 */
static const int fallbacks[MIGRATE_TYPES][3] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE, MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_TYPES },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_RESERVE] = { MIGRATE_TYPES }, /* MIGRATE_HIGHATOMIC: never used */
	[MIGRATE_CMA] = { MIGRATE_TYPES },     /* Never used */
	[MIGRATE_ISOLATE] = { MIGRATE_TYPES }, /* Never used */
};

static void change_pageblock_range(struct sim_world *w, struct page *pageblock_page,
				   int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - (int)pageblock_order(w->zone));

	while (nr_pageblocks--) {
		set_pageblock_migratetype(w, pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages(w->zone);
	}
}

/*
 * can_steal_fallback() (v4.6): whole pageblocks, large buddies, and
 * unmovable or reclaimable requests steal. page_group_by_mobility_disabled
 * is false: the scaled zone stands for a large one.
 */
static bool can_steal_fallback(struct zone *zone, unsigned int order, int start_mt)
{
	if (order >= pageblock_order(zone))
		return true;
	if (order >= pageblock_order(zone) / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	    start_mt == MIGRATE_UNMOVABLE)
		return true;
	return false;
}

/*
 * steal_suitable_fallback() (v4.6): take the whole pageblock (range) for
 * orders >= pageblock_order, otherwise move its free pages and claim it if
 * at least half of it was free. Caller holds zone->lock.
 */
static void steal_suitable_fallback(struct sim_world *w, struct zone *zone, struct page *page,
				    int start_type)
{
	unsigned int current_order = page_order(page);
	int pages;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= pageblock_order(zone)) {
		change_pageblock_range(w, page, (int)current_order, start_type);
		return;
	}

	pages = w->ops->move_freepages_block(w, zone, page, start_type);

	/* Claim the whole block if over half of it is free */
	if (pages >= (1 << (pageblock_order(zone) - 1)))
		set_pageblock_migratetype(w, page, start_type);
}

/* find_suitable_fallback() (v4.6), only_stealable false. Caller holds zone->lock. */
static int find_suitable_fallback(struct sim_world *w, struct zone *zone, struct free_area *area,
				  unsigned int order, int migratetype, bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;

	*can_steal = false;
	for (int i = 0;; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (fallback_mt == MIGRATE_TYPES)
			break;
		if (list_empty(w, &area->free_list[fallback_mt]))
			continue;
		if (can_steal_fallback(zone, order, migratetype))
			*can_steal = true;
		return fallback_mt;
	}
	return -1;
}

/*
 * __rmqueue_fallback() (v4.6): remove an element from the buddy allocator
 * from the fallback list, largest chunk first; the split halves go to the
 * requested type's lists. Caller holds zone->lock.
 */
static struct page *__rmqueue_fallback(struct sim_world *w, struct zone *zone, unsigned int order,
				       int start_migratetype)
{
	/* Find the largest possible block of pages in the other list */
	for (int current_order = (int)MAX_ORDER(zone) - 1; current_order >= (int)order;
	     --current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;
		bool can_steal;
		int fallback_mt;

		fallback_mt = find_suitable_fallback(w, zone, area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt == -1)
			continue;

		page = container_of(list_first(w, &area->free_list[fallback_mt]), struct page, lru);
		if (can_steal)
			steal_suitable_fallback(w, zone, page, start_migratetype);

		/* Remove the page from the freelists */
		area->nr_free--;
		list_del(w, &page->lru);
		rmv_page_order(page);

		w->ops->expand(w, zone, page, (int)order, current_order, start_migratetype);
		/*
		 * The pcppage_migratetype may differ from pageblock's
		 * migratetype depending on the decisions in
		 * find_suitable_fallback(). This is OK as long as it does not
		 * differ for MIGRATE_CMA pageblocks. Those can be used as
		 * fallback only via special __rmqueue_cma_fallback() function
		 */
		set_pcppage_migratetype(page, start_migratetype);
		SIM_TRACEPOINT(w, mm_page_alloc_extfrag,
			       "page=%p pfn=%lu alloc_order=%d fallback_order=%d "
			       "pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d "
			       "fragmenting=%d change_ownership=%d",
			       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page),
			       (int)order, current_order, (int)pageblock_order(zone),
			       start_migratetype, fallback_mt,
			       current_order < (int)pageblock_order(zone),
			       get_pageblock_migratetype(w, page) == start_migratetype);
		SIM_EV(w, "fallback: pfn %lu order %d from %s", page_to_pfn(w, page), current_order,
		       migratetype_name(fallback_mt));
		return page;
	}
	return NULL;
}

/*
 * __rmqueue() (v4.6): do the hard work of removing an element from the buddy
 * allocator. MOVABLE requests try the CMA lists (smallest first) before the
 * fallbacks. No MIGRATE_RESERVE (v4.4); the HIGHATOMIC reserve is used by
 * ALLOC_HARDER allocations only, which the model does not make. Call me with
 * the zone->lock already held.
 */
static struct page *__rmqueue(struct sim_world *w, struct zone *zone, unsigned int order,
			      int migratetype)
{
	struct page *page;

	sim_enter(w, "__rmqueue");
	lockdep_assert_held(w, &zone->lock);
	page = __rmqueue_smallest(w, zone, order, migratetype);
	if (!page) {
		if (migratetype == MIGRATE_MOVABLE)
			page = __rmqueue_smallest(w, zone, order, MIGRATE_CMA); /* cma_fallback */
		if (!page)
			page = __rmqueue_fallback(w, zone, order, migratetype);
	}
	if (page)
		SIM_TRACEPOINT(w, mm_page_alloc_zone_locked,
			       "page=%p pfn=%lu order=%u migratetype=%d percpu_refill=%d",
			       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), order,
			       migratetype, order == 0);
	sim_leave(w);
	return page;
}

/*
 * move_freepages() (v4.6): as v3.16 but without set_freepage_migratetype():
 * since v4.3 the cache is only meaningful on pcplist pages. Returns every
 * free page it walks (R5). Caller holds zone->lock.
 */
static int move_freepages(struct sim_world *w, struct zone *zone, unsigned long start_pfn,
			  unsigned long end_pfn, int migratetype)
{
	unsigned long pfn;
	int pages_moved = 0;

	sim_enter(w, "move_freepages");
	lockdep_assert_held(w, &zone->lock);
	for (pfn = start_pfn; pfn <= end_pfn;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = page_order(page);
		list_move(w, &page->lru, &zone->free_area[order].free_list[migratetype]);
		sim_charge(w, SIM_COST_BUDDY);
		pfn += 1ul << order;
		pages_moved += 1 << order;
	}
	SIM_EV(w, "move_freepages(%lu-%lu, %s) = %d", start_pfn, end_pfn,
	       migratetype_name(migratetype), pages_moved);
	sim_leave(w);
	return pages_moved;
}

/* ---------------------------------------------------------------------- */
/* Isolation                                                               */
/* ---------------------------------------------------------------------- */

/*
 * __test_page_isolated_in_pageblock() (v4.3; the name without suffix is
 * v3.16's, mm/page_alloc.h), "mm, page_isolation: remove
 * bogus tests for isolated pages"): free buddy pages are stepped over, and
 * nothing else passes (HWPoison is not modeled). No test-time move, no
 * acceptance of pcplist pages. Caller holds zone->lock.
 */
static bool __test_page_isolated_in_pageblock_v4_3(struct sim_world *w, unsigned long pfn,
						   unsigned long end_pfn)
{
	lockdep_assert_held(w, &w->zone->lock);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(w, pfn);

		if (PageBuddy(page))
			/*
			 * If the page is on a free list, it has to be on
			 * the correct MIGRATE_ISOLATE freelist. There is no
			 * simple way to verify that as VM_BUG_ON(), though.
			 */
			pfn += 1ul << page_order(page);
		else
			break;
	}
	SIM_EV(w, "walk stopped at pfn %lu of %lu", pfn, end_pfn);
	return pfn >= end_pfn;
}

/*
 * alloc_contig_range() (v4.6): as v3.16 (isolate the max-aligned range,
 * each block draining; migrate; lru_add_drain_all (no LRU in the model) and
 * drain_all_pages(zone); test; take; give back head and tail; undo), except
 * that a start no free chunk covers goes on to test_pages_isolated() instead
 * of failing at once. Frame: .pfn start, .end end, .mt. Returns 0 or -EBUSY.
 */
struct alloc_contig_range_locals {
	int32_t ret;
	uint32_t outer_start;
	uint32_t outer_end;
	uint32_t pfn;
};

static enum sim_ret alloc_contig_range(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct alloc_contig_range_locals *l = SIM_LOCALS(f, struct alloc_contig_range_locals);
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->start_isolate_page_range,
		 .pfn = (uint32_t)pfn_max_align_down(zone, f->pfn),
		 .end = (uint32_t)pfn_max_align_up(zone, f->end), .mt = f->mt);
	if (cpu->ret)
		SIM_RETURN_VAL(cpu, cpu->ret);
	/*
	 * In case of -EBUSY, we'd like to know which page causes problem.
	 * So, just fall through. We will check it in test_pages_isolated().
	 */
	SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
	l->ret = (int32_t)cpu->ret;
	if (l->ret && l->ret != -EBUSY)
		goto done;
	/* lru_add_drain_all(); */
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	/* racy PageBuddy reads: the test below decides */
	SIM_RACY_READ(w, cpu, f, l->outer_start, (uint32_t)alloc_contig_outer_start(w, f->pfn));
	/* Make sure the range is really isolated. */
	SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = l->outer_start, .end = f->end);
	if (cpu->ret) {
		SIM_EV(w, "alloc_contig_range: [%u, %u) PFNs busy", l->outer_start, f->end);
		l->ret = -EBUSY;
		goto done;
	}
	/* Grab isolated pages from freelists. */
	SIM_CALL(w, cpu, f, w->ops->isolate_freepages_range, .pfn = l->outer_start, .end = f->end);
	l->outer_end = (uint32_t)cpu->ret;
	if (!l->outer_end) {
		l->ret = -EBUSY;
		goto done;
	}
	l->ret = 0;
	/* Free head and tail (if any): free_contig_range() */
	for (l->pfn = l->outer_start; l->pfn < f->pfn; l->pfn++)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = l->pfn);
	for (l->pfn = f->end; l->pfn < l->outer_end; l->pfn++)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = l->pfn);
done:
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range,
		 .pfn = (uint32_t)pfn_max_align_down(zone, f->pfn),
		 .end = (uint32_t)pfn_max_align_up(zone, f->end), .mt = f->mt);
	SIM_EV(w, "alloc_contig_range(%u, %u) = %d", f->pfn, f->end, l->ret);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(alloc_contig_range);

extern const struct sim_variant sim_variant_v3_18;

const struct sim_variant sim_variant_v4_6 = {
	.name = "v4.6",
	.era = "E2",
	.kernel = "v4.6 (d9dddbf55667, \"remove bogus tests for isolated pages\" v4.3, "
		  "v4.4 migratetype numbering and fallback)",
	.summary = "v3.18 plus the buddy-side merge check (d9dddbf55667) and the v4.3 "
		   "test_pages_isolated; drains still skip-empty IPIs",
	.base = &sim_variant_v3_18,
	.ops = {
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.alloc_contig_range = &alloc_contig_range_fn,
		.__free_one_page = __free_one_page,
		.__rmqueue = __rmqueue,
		.move_freepages = move_freepages,
		.__test_page_isolated_in_pageblock = __test_page_isolated_in_pageblock_v4_3,
	},
};
