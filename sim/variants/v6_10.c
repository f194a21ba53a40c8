// SPDX-License-Identifier: GPL-2.0
/*
 * v6.10: the page allocator after Johannes Weiner's "[PATCH V4 00/10] mm:
 * page_alloc: freelist migratetype hygiene" (2024-03-20,
 * <20240320180429.678181-1-hannes@cmpxchg.org>, merged for v6.10), era E4 of
 * kernel-model.md:
 *
 *   01/10 mm: page_alloc: remove pcppage migratetype caching
 *   02/10 mm: page_alloc: optimize free_unref_folios()
 *   03/10 mm: page_alloc: fix up block types when merging compatible blocks
 *   04/10 mm: page_alloc: move free pages when converting block during isolation
 *   05/10 mm: page_alloc: fix move_freepages_block() range error
 *   06/10 mm: page_alloc: fix freelist movement during block conversion
 *   07/10 mm: page_alloc: close migratetype race between freeing and stealing
 *         (55612e80e722)
 *   08/10 mm: page_alloc: set migratetype inside move_freepages()
 *   09/10 mm: page_isolation: prepare for hygienic freelists
 *   10/10 mm: page_alloc: consolidate free page accounting
 *   (+ "mm: page_alloc: batch vmstat updates in expand()", Vlastimil Babka's
 *   suggestion, folded into the merge)
 *
 * with what v6.10 has around it: pcp->lock and the remote drain (Mel
 * Gorman, v6.0), the v6.7 pcp batch scaling (free_count, alloc_factor),
 * alloc_contig_range at pageblock granularity (Zi Yan, v5.19) and memory
 * offline under zone_pcp_disable() (Vlastimil Babka, v5.11). Source: the
 * v6.10 mm/page_alloc.c and include/linux/mmzone.h extracted in
 * /work/notes/v6.10-code.md (qiaozhe1/linux6.10, v6.10 by content), the
 * series' mails for mm/page_isolation.c (09/10, 10/10), the v6.10-stable
 * review of 66eca1021a42 for drain_pages_zone(); docs/variants/v6.10.md lists
 * what was verified where.
 *
 * What changes over the v3.16 baseline (everything that differs is
 * overridden; .base is NULL):
 *  - accounting lives in the free-list operations: account_freepages() in
 *    del_page_from_free_list(), move_to_free_list(old, new), expand() and at
 *    the top of __free_one_page(), keyed on the list's migratetype; ISOLATE
 *    lists are never counted; guard pages are never counted (10/10);
 *  - no migratetype is cached on pcp pages (01/10): free_unref_page() reads
 *    the block type without any lock only to choose pcp or direct;
 *    free_one_page() (which takes zone->lock itself, v5.14) and
 *    free_pcppages_bulk() read it under zone->lock, per page (07/10);
 *  - __free_one_page() merges above pageblock_order only between
 *    migratetype_is_mergeable() types and retypes a merged buddy (03/10);
 *  - isolation: move_freepages_block_isolate() splits a free chunk that
 *    straddles the block under zone->lock (09/10); un-isolation uses it too;
 *    no drain inside set_migratetype_isolate(): alloc_contig_range() drains
 *    once after isolating, offline_pages() runs under zone_pcp_disable();
 *  - pcplists under pcp->lock: pcp_spin_trylock() on the local side (a
 *    failed trylock frees straight to the buddy lists), a plain spin_lock of
 *    the target CPU's pcp->lock, in chunks, for drain_pages_zone() run by
 *    the draining CPU itself (no IPI).
 *
 * What the model leaves out (docs/variants/v6.10.md): pcplists of order > 0
 * (pcp_allowed_order() is order 0 here), THP lists, pcp high auto-tuning
 * (high_min == high_max), HIGHATOMIC reserves, compaction capture, page
 * reporting, shuffling, watermarks, compound pages.
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "scenario/scenario.h"
#include "variants/variant.h"

/*
 * This version's functions that share a name with a v3.16 one the baseline
 * exports (mm/page_alloc.h): the source keeps the kernel's name, the symbol
 * gets a suffix.
 */
#define __rmqueue_smallest		  __rmqueue_smallest_v6_10
#define __isolate_free_page		  __isolate_free_page_v6_10
#define has_unmovable_pages		  has_unmovable_pages_v6_10
#define __test_page_isolated_in_pageblock __test_page_isolated_in_pageblock_v6_10

#define EBUSY  16
#define EINTR  4
#define ENOMEM 12

/* fpi_t (mm/page_alloc.c) */
#define FPI_NONE	       0x0
#define FPI_SKIP_REPORT_NOTIFY 0x1
#define FPI_TO_TAIL	       0x2

/* v6.4+ names (23baf831a32c): MAX_PAGE_ORDER is the largest order. */
#define MAX_PAGE_ORDER(zone) (MAX_ORDER(zone) - 1)
#define NR_PAGE_ORDERS(zone) MAX_ORDER(zone)

/* v4.4+: MIGRATE_HIGHATOMIC takes the slot MIGRATE_RESERVE had. */
#define MIGRATE_HIGHATOMIC MIGRATE_RESERVE

#define CONFIG_PCP_BATCH_SCALE_MAX 5 /* the Kconfig default */

/* gfp_migratetype() == MIGRATE_MOVABLE gives ALLOC_CMA (alloc_flags_cma()). */
#define ALLOC_CMA 0x80

/* include/linux/mmzone.h: HIGHATOMIC, CMA and ISOLATE merge only with their own type. */
static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* VM_WARN_ONCE(): a warning, not a BUG; the model writes it to the trace. */
#define VM_WARN(w, cond, ...)                                 \
	do {                                                  \
		if (G_UNLIKELY(cond))                         \
			SIM_EV((w), "VM_WARN: " __VA_ARGS__); \
	} while (0)

/* PageLRU() || __PageMovable(): an allocated page the model calls movable (as migrate_range). */
static bool sim_page_movable(const struct page *page)
{
	return page_count(page) &&
	       (page->alloc_mt == MIGRATE_MOVABLE || is_migrate_cma(page->alloc_mt));
}

/* ---------------------------------------------------------------------- */
/* Free lists and their accounting (10/10)                                 */
/* ---------------------------------------------------------------------- */

/*
 * account_freepages() (v6.10): the only writer of NR_FREE_PAGES and
 * NR_FREE_CMA_PAGES, keyed on the migratetype of the list the pages enter or
 * leave. Caller holds zone->lock.
 */
static void account_freepages(struct zone *zone, long nr_pages, int migratetype)
{
	if (is_migrate_isolate(migratetype))
		return;
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (is_migrate_cma(migratetype))
		__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, nr_pages);
}

/* Used for pages not on another list. Caller holds zone->lock. */
static void __add_to_free_list(struct sim_world *w, struct page *page, struct zone *zone,
			       unsigned int order, int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];
	int bt = get_pageblock_migratetype(w, page);

	VM_WARN(w, bt != migratetype, "page type is %s, passed migratetype is %s (nr=%d)",
		migratetype_name(bt), migratetype_name(migratetype), 1 << order);
	if (tail)
		list_add_tail(w, &page->lru, &area->free_list[migratetype]);
	else
		list_add(w, &page->lru, &area->free_list[migratetype]);
	area->nr_free++;
	sim_charge(w, SIM_COST_BUDDY);
}

/*
 * Used for pages which are on another list. Move the pages to the tail of
 * the list, accounting them off the old type and onto the new one.
 */
static void move_to_free_list(struct sim_world *w, struct page *page, struct zone *zone,
			      unsigned int order, int old_mt, int new_mt)
{
	struct free_area *area = &zone->free_area[order];
	int bt = get_pageblock_migratetype(w, page);

	/* Free page moving can fail, so it happens before the type update */
	VM_WARN(w, bt != old_mt, "page type is %s, passed migratetype is %s (nr=%d)",
		migratetype_name(bt), migratetype_name(old_mt), 1 << order);
	list_del(w, &page->lru);
	list_add_tail(w, &page->lru, &area->free_list[new_mt]);
	account_freepages(zone, -(1l << order), old_mt);
	account_freepages(zone, 1l << order, new_mt);
	sim_charge(w, SIM_COST_BUDDY);
}

static void __del_page_from_free_list(struct sim_world *w, struct page *page, struct zone *zone,
				      unsigned int order, int migratetype)
{
	int bt = get_pageblock_migratetype(w, page);

	VM_WARN(w, bt != migratetype, "page type is %s, passed migratetype is %s (nr=%d)",
		migratetype_name(bt), migratetype_name(migratetype), 1 << order);
	/* __ClearPageReported(): rmv_page_order() clears PG_reported */
	list_del(w, &page->lru);
	rmv_page_order(page); /* __ClearPageBuddy(); set_page_private(page, 0) */
	zone->free_area[order].nr_free--;
}

static void del_page_from_free_list(struct sim_world *w, struct page *page, struct zone *zone,
				    unsigned int order, int migratetype)
{
	__del_page_from_free_list(w, page, zone, order, migratetype);
	account_freepages(zone, -(1l << order), migratetype);
}

/*
 * set_page_guard() / clear_page_guard() (include/linux/mm.h,
 * mm/debug_page_alloc.c) after 10/10: they no longer touch any counter.
 * debug_guardpage_enabled() is debug_guardpage_minorder > 0 in the model.
 */
static bool set_page_guard(struct sim_world *w, struct zone *zone, struct page *page,
			   unsigned int order)
{
	if (!zone->debug_guardpage_minorder || order >= zone->debug_guardpage_minorder)
		return false;
	set_page_guard_flag(page); /* __SetPageGuard() */
	INIT_LIST_HEAD(w, &page->lru);
	set_page_private(page, order);
	sim_shadow_guard(w, page, order, 1); /* model */
	return true;
}

static void clear_page_guard(struct sim_world *w, struct zone *zone, struct page *page,
			     unsigned int order)
{
	if (!zone->debug_guardpage_minorder)
		return;
	clear_page_guard_flag(page); /* __ClearPageGuard() */
	set_page_private(page, 0);
	sim_shadow_guard(w, page, order, -1); /* model */
}

/* ---------------------------------------------------------------------- */
/* Freeing: the buddy merge                                                */
/* ---------------------------------------------------------------------- */

/*
 * buddy_merge_likely() (v6.10): if the buddy of the next-highest order is
 * free, pages are likely being freed that will coalesce soon: tail insert.
 */
static bool buddy_merge_likely(struct sim_world *w, unsigned long pfn, unsigned long buddy_pfn,
			       unsigned int order)
{
	unsigned long higher_page_pfn;

	if (order >= MAX_PAGE_ORDER(w->zone) - 1)
		return false;
	higher_page_pfn = buddy_pfn & pfn;
	return page_is_buddy(w, higher_page_pfn ^ (1ul << (order + 1)), order + 1);
}

/*
 * __free_one_page() (v6.10): count the page on the caller's list type, then
 * merge. Below pageblock_order the buddy is in the same block, so it is on
 * the same type's list; from pageblock_order up the buddy block's type is
 * read and the merge stops unless the types are equal or both mergeable
 * (1dd214b8f21c, v5.18); merging differing mergeable types retypes the
 * buddy's (first) block (03/10). A guard buddy is merged without any
 * accounting: NR_FREE_PAGES went up by the freed page only, so its pages
 * join a free list uncounted (kernel-model.md 0.4; docs/variants/v6.10.md).
 * Caller holds zone->lock. Omitted: compaction_capture(), shuffling,
 * page_reporting_notify_free().
 */
static void __free_one_page_fpi(struct sim_world *w, struct page *page, unsigned long pfn,
				struct zone *zone, unsigned int order, int migratetype,
				int fpi_flags)
{
	unsigned long buddy_pfn = 0, combined_pfn;
	bool to_tail;

	sim_enter(w, "__free_one_page");
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freed(w, page);
	SIM_EV(w, "pfn %lu order %u to %s", pfn, order, migratetype_name(migratetype));
	VM_BUG_ON(w, pfn & ((1ul << order) - 1));

	account_freepages(zone, 1l << order, migratetype);

	while (order < MAX_PAGE_ORDER(zone)) {
		int buddy_mt = migratetype;
		struct page *buddy;

		buddy_pfn = pfn ^ (1ul << order); /* find_buddy_page_pfn() */
		if (!page_is_buddy(w, buddy_pfn, order))
			goto done_merging;
		buddy = pfn_to_page(w, buddy_pfn);

		if (G_UNLIKELY(order >= pageblock_order(zone))) {
			/*
			 * We want to prevent merge between freepages on pageblock
			 * without fallbacks and normal pageblock. Without this,
			 * pageblock isolation could cause incorrect freepage or CMA
			 * accounting or HIGHATOMIC accounting.
			 */
			buddy_mt = get_pfnblock_migratetype(w, buddy_pfn);
			if (migratetype != buddy_mt && (!migratetype_is_mergeable(migratetype) ||
							!migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
		}
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);

		/*
		 * Our buddy is free or it is CONFIG_DEBUG_PAGEALLOC guard page,
		 * merge with it and move up one order.
		 */
		if (page_is_guard(buddy))
			clear_page_guard(w, zone, buddy, order);
		else
			__del_page_from_free_list(w, buddy, zone, order, buddy_mt);

		if (G_UNLIKELY(buddy_mt != migratetype)) {
			/*
			 * Match buddy type. This ensures that an
			 * expand() down the line puts the sub-blocks
			 * on the right freelists.
			 */
			set_pageblock_migratetype(w, buddy, migratetype);
		}
		combined_pfn = buddy_pfn & pfn;
		page = pfn_to_page(w, combined_pfn);
		pfn = combined_pfn;
		order++;
	}

done_merging:
	set_page_order(page, order); /* set_buddy_order() */
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(w, pfn, buddy_pfn, order);
	__add_to_free_list(w, page, zone, order, migratetype, to_tail);
	SIM_EV(w, "-> order %u on %s (pfn %lu)", order, migratetype_name(migratetype), pfn);
	sim_leave(w);
}

static void __free_one_page(struct sim_world *w, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype)
{
	__free_one_page_fpi(w, page, pfn, zone, order, migratetype, FPI_NONE);
}

/* ---------------------------------------------------------------------- */
/* Moving free pages between lists (06/10, 08/10, 09/10)                   */
/* ---------------------------------------------------------------------- */

/*
 * __move_freepages_block() (v6.10): change the type of a block and move all
 * its free pages to that type's freelist, one move_to_free_list() (exact
 * accounting) per chunk; the block type is set at the end. Caller holds
 * zone->lock. Returns the pages moved.
 */
static int __move_freepages_block(struct sim_world *w, struct zone *zone, unsigned long start_pfn,
				  int old_mt, int new_mt)
{
	unsigned long pfn, end_pfn = start_pfn + pageblock_nr_pages(zone);
	int pages_moved = 0;

	sim_enter(w, "__move_freepages_block");
	VM_WARN(w, start_pfn & (pageblock_nr_pages(zone) - 1), "unaligned start_pfn %lu",
		start_pfn);
	for (pfn = start_pfn; pfn < end_pfn;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = page_order(page);
		move_to_free_list(w, page, zone, order, old_mt, new_mt);
		pfn += 1ul << order;
		pages_moved += 1 << order;
	}
	set_pageblock_migratetype(w, pfn_to_page(w, start_pfn), new_mt);
	SIM_EV(w, "block %lu %s -> %s, %d pages moved", sim_block_of(w, start_pfn),
	       migratetype_name(old_mt), migratetype_name(new_mt), pages_moved);
	sim_leave(w);
	return pages_moved;
}

/*
 * prep_move_freepages_block() (v6.10): the block of page, if it lies inside
 * the zone; with num_free, count its free and movable pages.
 */
static bool prep_move_freepages_block(struct sim_world *w, struct zone *zone, struct page *page,
				      unsigned long *start_pfn, int *num_free, int *num_movable)
{
	unsigned long start = page_to_pfn(w, page) & ~(pageblock_nr_pages(zone) - 1);
	unsigned long end = start + pageblock_nr_pages(zone), pfn;

	/*
	 * The caller only has the lock for @zone, don't touch ranges
	 * that straddle into other zones.
	 */
	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	if (!num_free)
		return true;
	*num_free = 0;
	*num_movable = 0;
	sim_access_pages_all(w, false); /* PageLRU(): refcounts set without the lock */
	for (pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(w, pfn);

		if (PageBuddy(p)) {
			int nr = 1 << page_order(p);

			*num_free += nr;
			pfn += (unsigned long)nr;
			continue;
		}
		if (sim_page_movable(p)) /* PageLRU(page) || __PageMovable(page) */
			(*num_movable)++;
		pfn++;
	}
	return true;
}

static int move_freepages_block(struct sim_world *w, struct zone *zone, struct page *page,
				int old_mt, int new_mt)
{
	unsigned long start_pfn;

	if (!prep_move_freepages_block(w, zone, page, &start_pfn, NULL, NULL))
		return -1;
	return __move_freepages_block(w, zone, start_pfn, old_mt, new_mt);
}

/*
 * find_large_buddy() (v6.10): look for a buddy that straddles start_pfn.
 * Reads page flags; alloc_contig_range() calls it without zone->lock, so the
 * read is recorded against the lock's footprint. Model: a pfn outside the
 * zone is never a buddy.
 */
static unsigned long find_large_buddy(struct sim_world *w, unsigned long start_pfn)
{
	struct zone *zone = w->zone;
	unsigned long pfn = start_pfn;
	unsigned int order = 0;

	sim_access_rd(w, SIM_OBJ_LOCK);
	while (!zone_spans_pfn(zone, pfn) || !PageBuddy(pfn_to_page(w, pfn))) {
		/* Nothing found */
		if (++order > MAX_PAGE_ORDER(zone))
			return start_pfn;
		pfn &= ~0ul << order;
	}
	/* Found a preceding buddy, but does it straddle? */
	if (pfn + (1ul << page_order(pfn_to_page(w, pfn))) > start_pfn)
		return pfn;
	/* Nothing found */
	return start_pfn;
}

/*
 * split_large_buddy() (v6.10): free a multi-block chunk, already off its
 * list, again as one pageblock_order chunk per block, each with its own
 * block's type (read under zone->lock). Caller holds zone->lock.
 */
static void split_large_buddy(struct sim_world *w, struct zone *zone, struct page *page,
			      unsigned long pfn, unsigned int order)
{
	unsigned long end_pfn = pfn + (1ul << order);

	VM_WARN(w, order <= pageblock_order(zone), "split of order %u", order);
	VM_WARN(w, pfn & (pageblock_nr_pages(zone) - 1), "split at unaligned pfn %lu", pfn);
	/* Caller removed page from freelist, buddy info cleared! */
	VM_WARN(w, PageBuddy(page), "pfn %lu still PageBuddy", pfn);
	while (pfn != end_pfn) {
		int mt = get_pfnblock_migratetype(w, pfn);

		__free_one_page_fpi(w, page, pfn, zone, pageblock_order(zone), mt, FPI_NONE);
		pfn += pageblock_nr_pages(zone);
		if (pfn != end_pfn)
			page = pfn_to_page(w, pfn);
	}
}

/*
 * move_freepages_block_isolate() (v6.10, 09/10): move free pages in block
 * for page isolation. Straddling buddies are split into individual
 * pageblocks under zone->lock and freed again with their blocks' types; only
 * the block of interest is moved. Caller holds zone->lock.
 */
static bool move_freepages_block_isolate(struct sim_world *w, struct zone *zone, struct page *page,
					 int migratetype)
{
	unsigned long start_pfn, pfn;
	unsigned int order;

	if (!prep_move_freepages_block(w, zone, page, &start_pfn, NULL, NULL))
		return false;

	/* No splits needed if buddies can't span multiple blocks */
	if (pageblock_order(zone) == MAX_PAGE_ORDER(zone))
		goto move;

	/* We're a tail block in a larger buddy */
	pfn = find_large_buddy(w, start_pfn);
	if (pfn != start_pfn) {
		struct page *buddy = pfn_to_page(w, pfn);

		order = page_order(buddy);
		del_page_from_free_list(w, buddy, zone, order, get_pfnblock_migratetype(w, pfn));
		set_pageblock_migratetype(w, page, migratetype);
		SIM_EV(w, "tail block %lu of chunk pfn %lu order %u: split",
		       sim_block_of(w, start_pfn), pfn, order);
		split_large_buddy(w, zone, buddy, pfn, order);
		return true;
	}

	/* We're the starting block of a larger buddy */
	if (PageBuddy(page) && page_order(page) > pageblock_order(zone)) {
		order = page_order(page);
		del_page_from_free_list(w, page, zone, order, get_pfnblock_migratetype(w, pfn));
		set_pageblock_migratetype(w, page, migratetype);
		SIM_EV(w, "head block %lu of chunk order %u: split", sim_block_of(w, start_pfn),
		       order);
		split_large_buddy(w, zone, page, pfn, order);
		return true;
	}
move:
	__move_freepages_block(w, zone, start_pfn, get_pfnblock_migratetype(w, start_pfn),
			       migratetype);
	return true;
}

static void change_pageblock_range(struct sim_world *w, struct page *pageblock_page,
				   unsigned int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - pageblock_order(w->zone));

	while (nr_pageblocks--) {
		set_pageblock_migratetype(w, pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages(w->zone);
	}
}

/* ---------------------------------------------------------------------- */
/* Allocation from the buddy lists                                         */
/* ---------------------------------------------------------------------- */

/*
 * expand() (v6.10): split the chunk, putting the upper halves on the
 * requested type's lists; halves below debug_guardpage_minorder become guard
 * pages, on no list and not counted; the halves added are accounted in one
 * go ("batch vmstat updates in expand()"). Caller holds zone->lock.
 */
static void expand(struct sim_world *w, struct zone *zone, struct page *page, int low, int high,
		   int migratetype)
{
	unsigned long size = 1ul << high;
	long nr_added = 0;

	sim_enter(w, "expand");
	while (high > low) {
		struct page *half;

		high--;
		size >>= 1;
		half = page + size;
		sim_charge(w, SIM_COST_BUDDY);
		/*
		 * Mark as guard pages (or page), that will allow to
		 * merge back to allocator when buddy will be freed.
		 */
		if (set_page_guard(w, zone, half, (unsigned int)high)) {
			SIM_EV(w, "guard pfn %lu order %d (not counted)", page_to_pfn(w, half),
			       high);
			continue;
		}
		__add_to_free_list(w, half, zone, (unsigned int)high, migratetype, false);
		set_page_order(half, (unsigned int)high);
		nr_added += (long)size;
	}
	account_freepages(zone, nr_added, migratetype);
	sim_leave(w);
}

/*
 * __rmqueue_smallest() (v6.10): the smallest chunk of at least order on the
 * type's lists; taken off with del_page_from_free_list() (-2^current_order),
 * the halves expand() puts back are counted again. Caller holds zone->lock.
 */
static struct page *__rmqueue_smallest(struct sim_world *w, struct zone *zone, unsigned int order,
				       int migratetype)
{
	for (unsigned int current_order = order; current_order < NR_PAGE_ORDERS(zone);
	     ++current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;

		if (list_empty(w, &area->free_list[migratetype]))
			continue;
		page = container_of(list_first(w, &area->free_list[migratetype]), struct page, lru);
		del_page_from_free_list(w, page, zone, current_order, migratetype);
		expand(w, zone, page, (int)order, (int)current_order, migratetype);
		SIM_EV(w, "take pfn %lu order %u from %s", page_to_pfn(w, page), current_order,
		       migratetype_name(migratetype));
		return page;
	}
	return NULL;
}

/*
 * This array describes the order lists are fallen back to when the free
 * lists for the desirable migrate type are depleted (v6.10). The other
 * migratetypes do not have fallbacks.
 */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* can_steal_fallback() (v6.10); page_group_by_mobility_disabled is false. */
static bool can_steal_fallback(const struct zone *zone, unsigned int order, int start_mt)
{
	if (order >= pageblock_order(zone))
		return true;
	return order >= pageblock_order(zone) / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE;
}

/* find_suitable_fallback() (v6.10), with only_stealable false. */
static int find_suitable_fallback(struct sim_world *w, struct free_area *area, unsigned int order,
				  int migratetype, bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;
	*can_steal = false;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (list_empty(w, &area->free_list[fallback_mt]))
			continue;
		if (can_steal_fallback(w->zone, order, migratetype))
			*can_steal = true;
		return fallback_mt;
	}
	return -1;
}

/*
 * steal_suitable_fallback() (v6.10, 06/10): take ownership of the block if
 * the chunk is a whole block, or if at least half the block is free or
 * compatible (moving its free pages with exact accounting); otherwise take
 * just the chunk and leave the block's type. Caller holds zone->lock.
 * boost_watermark() is not modeled (no watermarks).
 */
static struct page *steal_suitable_fallback(struct sim_world *w, struct zone *zone,
					    struct page *page, unsigned int current_order,
					    unsigned int order, int start_type, bool whole_block)
{
	int free_pages, movable_pages, alike_pages;
	unsigned long start_pfn;
	int block_type = get_pageblock_migratetype(w, page);

	/* This can happen due to races and we want to prevent broken highatomic accounting. */
	if (block_type == MIGRATE_HIGHATOMIC)
		goto single_page;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= pageblock_order(zone)) {
		del_page_from_free_list(w, page, zone, current_order, block_type);
		change_pageblock_range(w, page, current_order, start_type);
		expand(w, zone, page, (int)order, (int)current_order, start_type);
		return page;
	}
	/* We are not allowed to try stealing from the whole block */
	if (!whole_block)
		goto single_page;
	/* moving whole block can fail due to zone boundary conditions */
	if (!prep_move_freepages_block(w, zone, page, &start_pfn, &free_pages, &movable_pages))
		goto single_page;
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (block_type == MIGRATE_MOVABLE)
		alike_pages = (int)pageblock_nr_pages(zone) - (free_pages + movable_pages);
	else
		alike_pages = 0;
	/*
	 * If a sufficient number of pages in the block are either free or of
	 * compatible migratability as our allocation, claim the whole block.
	 */
	if (free_pages + alike_pages >= (1 << (pageblock_order(zone) - 1))) {
		__move_freepages_block(w, zone, start_pfn, block_type, start_type);
		return __rmqueue_smallest(w, zone, order, start_type);
	}
single_page:
	del_page_from_free_list(w, page, zone, current_order, block_type);
	expand(w, zone, page, (int)order, (int)current_order, block_type);
	return page;
}

/*
 * __rmqueue_fallback() (v6.10): the largest chunk of a fallback type, or the
 * smallest when a MOVABLE allocation cannot steal the block. The model's one
 * zone has no lower zone, so alloc_flags_nofragment() never sets
 * ALLOC_NOFRAGMENT: min_order is the requested order. Caller holds zone->lock.
 */
static struct page *__rmqueue_fallback(struct sim_world *w, struct zone *zone, int order,
				       int start_migratetype)
{
	struct free_area *area = NULL;
	int current_order, fallback_mt = -1;
	bool can_steal = false;
	struct page *page;

	if (start_migratetype >= MIGRATE_PCPTYPES)
		return NULL; /* model: no gfp gives another type */
	for (current_order = (int)MAX_PAGE_ORDER(zone); current_order >= order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(w, area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt == -1)
			continue;
		/*
		 * We cannot steal all free pages from the pageblock and the
		 * requested migratetype is movable. In that case it's better to
		 * steal and split the smallest available page instead of the
		 * largest available page.
		 */
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return NULL;

find_smallest:
	for (current_order = order; current_order < (int)NR_PAGE_ORDERS(zone); current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(w, area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	/* This should not happen - we already found a suitable fallback */
	VM_BUG_ON(w, current_order > (int)MAX_PAGE_ORDER(zone));
	if (current_order > (int)MAX_PAGE_ORDER(zone))
		return NULL;

do_steal:
	page = container_of(list_first(w, &area->free_list[fallback_mt]), struct page, lru);
	/* take off list, maybe claim block, expand remainder */
	page = steal_suitable_fallback(w, zone, page, (unsigned int)current_order,
				       (unsigned int)order, start_migratetype, can_steal);
	SIM_TRACEPOINT(w, mm_page_alloc_extfrag,
		       "page=%p pfn=%lu alloc_order=%d fallback_order=%d pageblock_order=%d "
		       "alloc_migratetype=%d fallback_migratetype=%d",
		       page ? sim_page_address(page_to_pfn(w, page)) : NULL,
		       page ? page_to_pfn(w, page) : 0, order, current_order,
		       (int)pageblock_order(zone), start_migratetype, fallback_mt);
	SIM_EV(w, "fallback: order %d from %s for %s", current_order, migratetype_name(fallback_mt),
	       migratetype_name(start_migratetype));
	return page;
}

/*
 * __rmqueue() (v6.10): do the hard work of removing an element from the
 * buddy allocator. Call me with the zone->lock already held. A MOVABLE
 * allocation has ALLOC_CMA: it takes from CMA first when over half the
 * zone's free memory is CMA, and falls back to CMA before stealing.
 */
static struct page *__rmqueue(struct sim_world *w, struct zone *zone, unsigned int order,
			      int migratetype)
{
	unsigned int alloc_flags = migratetype == MIGRATE_MOVABLE ? ALLOC_CMA : 0;
	struct page *page = NULL;

	sim_enter(w, "__rmqueue");
	lockdep_assert_held(w, &zone->lock);
	if ((alloc_flags & ALLOC_CMA) &&
	    zone_page_state(zone, NR_FREE_CMA_PAGES) > zone_page_state(zone, NR_FREE_PAGES) / 2)
		page = __rmqueue_smallest(w, zone, order, MIGRATE_CMA); /* __rmqueue_cma_fallback */
	if (!page)
		page = __rmqueue_smallest(w, zone, order, migratetype);
	if (G_UNLIKELY(!page)) {
		if (alloc_flags & ALLOC_CMA)
			page = __rmqueue_smallest(w, zone, order, MIGRATE_CMA);
		if (!page)
			page = __rmqueue_fallback(w, zone, (int)order, migratetype);
	}
	if (page)
		SIM_TRACEPOINT(w, mm_page_alloc_zone_locked,
			       "page=%p pfn=%lu order=%u migratetype=%d percpu_refill=%d",
			       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), order,
			       migratetype, order == 0);
	sim_leave(w);
	return page;
}

/* ---------------------------------------------------------------------- */
/* pcp->lock and the static mutexes                                        */
/* ---------------------------------------------------------------------- */

/*
 * pcp_spin_trylock() (v6.0+): pin the task and trylock this CPU's
 * pcp->lock; NULL if another CPU (a remote drain) holds it. On SMP IRQs stay
 * enabled: the lock is the whole protection.
 */
static struct per_cpu_pages *pcp_spin_trylock(struct sim_world *w, struct sim_cpu *cpu)
{
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];

	if (pcp->lock.owner >= 0) {
		w->info.acc.pcp_rd |= 1ull << cpu->id;
		SIM_EV(w, "pcp_spin_trylock failed: cpu %d holds pcp->lock", pcp->lock.owner);
		return NULL;
	}
	pcp->lock.owner = cpu->id;
	w->info.acc.pcp_wr |= 1ull << cpu->id;
	return pcp;
}

/* spin_lock(&pcp->lock) of CPU target, after SIM_WAIT_LOCK found it free. */
static void pcp_spin_lock(struct sim_world *w, int target)
{
	w->pageset[target].lock.owner = w->cur->id;
	w->info.acc.pcp_wr |= 1ull << target;
	sim_charge(w, SIM_COST_LOCK);
	SIM_EV(w, "spin_lock(&pcp->lock) of cpu %d", target);
}

static void pcp_spin_unlock(struct sim_world *w, int target)
{
	struct per_cpu_pages *pcp = &w->pageset[target];

	if (pcp->lock.owner != w->cur->id)
		sim_bug(w, "pcp_spin_unlock", "unlock of a pcp->lock this CPU does not hold");
	pcp->lock.owner = -1;
	w->info.acc.pcp_wr |= 1ull << target;
}

static void pcp_lockdep_assert_held(struct sim_world *w, const struct per_cpu_pages *pcp,
				    const char *func)
{
	if (pcp->lock.owner != w->cur->id)
		sim_bug(w, func, "lockdep: pcp->lock not held by this CPU");
}

/* ---------------------------------------------------------------------- */
/* pcplist sizing (v6.7+ batch scaling, fixed high)                        */
/* ---------------------------------------------------------------------- */

/*
 * pcp_allowed_order() (v5.14+: orders up to PAGE_ALLOC_COSTLY_ORDER and the
 * THP order). Model: order 0 only; docs/variants/v6.10.md says why.
 */
static bool pcp_allowed_order(unsigned int order)
{
	return order == 0;
}

/*
 * order_to_pindex() (v6.10): the pcplist of (migratetype, order), numbered
 * as v6.10's enum has the types (UNMOVABLE, MOVABLE, RECLAIMABLE: MOVABLE
 * and RECLAIMABLE swapped places in v4.4), so free_pcppages_bulk()'s
 * round-robin visits the lists in v6.10's order. Order 0 only.
 */
static int order_to_pindex(int migratetype, unsigned int order)
{
	(void)order;
	return migratetype == MIGRATE_MOVABLE ? 1 : migratetype == MIGRATE_RECLAIMABLE ? 2 : 0;
}

#define NR_PCP_LISTS MIGRATE_PCPTYPES

/*
 * nr_pcp_high() (v6.10) for the configuration with high_min == high_max
 * (no auto-tuning: the model's pcp->high is both): 0 when pcplists are
 * disabled, pcp->high otherwise. ZONE_RECLAIM_ACTIVE and ZONE_BELOW_HIGH
 * depend on watermarks, which the model does not have.
 */
static int nr_pcp_high(const struct per_cpu_pages *pcp)
{
	return pcp->high;
}

/* nr_pcp_free() (v6.10), free_high false (order 0). */
static int nr_pcp_free(const struct per_cpu_pages *pcp, int batch, int high)
{
	int min_nr_free, max_nr_free;

	/* Check for PCP disabled or boot pageset */
	if (G_UNLIKELY(high < batch))
		return 1;
	/* Leave at least pcp->batch pages on the list */
	min_nr_free = batch;
	max_nr_free = high - batch;
	/* Increase the batch number to the number of the consecutive freed pages */
	return MIN(MAX(pcp->free_count, min_nr_free), max_nr_free); /* clamp_t() */
}

/* nr_pcp_alloc() (v6.10), high_min == high_max. */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, unsigned int order)
{
	int base_batch = pcp->batch, high = pcp->high, batch, max_nr_alloc;

	/* Check for PCP disabled or boot pageset */
	if (G_UNLIKELY(high < base_batch))
		return 1;
	batch = order ? base_batch : base_batch << pcp->alloc_factor;
	if (!order) {
		max_nr_alloc = MAX(high - pcp->count - base_batch, base_batch);
		/*
		 * Double the number of pages allocated each time there is
		 * subsequent allocation of order-0 pages without any freeing.
		 */
		if (batch <= max_nr_alloc && pcp->alloc_factor < CONFIG_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = MIN(batch, max_nr_alloc);
	}
	if (batch > 1)
		batch = MAX(batch >> order, 2);
	return batch;
}

/* READ_ONCE(pcp->count) of another CPU, outside its pcp->lock. */
static int sim_pcp_count_racy(struct sim_world *w, int target)
{
	w->info.acc.pcp_rd |= 1ull << target;
	return w->pageset[target].count;
}

/* ---------------------------------------------------------------------- */
/* Freeing: the entry paths                                                */
/* ---------------------------------------------------------------------- */

/*
 * free_one_page() (v6.10, 07/10): takes zone->lock itself (v5.14) and reads
 * the block's migratetype under it. Frame: .pfn page, .order.
 */
static enum sim_ret free_one_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;
	int migratetype;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	migratetype = get_pfnblock_migratetype(w, f->pfn);
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s under zone->lock", f->pfn,
	       migratetype_name(migratetype));
	__free_one_page_fpi(w, pfn_to_page(w, f->pfn), f->pfn, zone, (unsigned int)f->order,
			    migratetype, FPI_NONE);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_one_page);

/*
 * __free_pages_ok() (v6.10): orders the pcplists do not take. No lock-free
 * migratetype read any more (07/10). Frame: .pfn page, .order.
 */
static enum sim_ret __free_pages_ok(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	free_pages_prepare(w, pfn_to_page(w, f->pfn), (unsigned int)f->order);
	SIM_EV(w, "free_pages_prepare(pfn %u, order %d)", f->pfn, f->order);
	SIM_CALL(w, cpu, f, &free_one_page_fn, .pfn = f->pfn, .order = f->order);
	SIM_END(f);
}
SIM_DEFINE_FN(__free_pages_ok);

/*
 * free_pcppages_bulk() (v6.10): free count pages of the pcp of CPU .pfn to
 * the buddy lists, round-robin over the lists starting after pindex. Each
 * page's type is read under zone->lock (01/10: no cached type); pcp->count
 * drops here. Caller holds that pcp->lock.
 * Frame: .arg count, .mt pindex, .pfn the CPU whose pcp.
 */
static enum sim_ret free_pcppages_bulk(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp = &w->pageset[f->pfn];
	int count, pindex;

	SIM_BEGIN(f);
	pcp_lockdep_assert_held(w, pcp, "free_pcppages_bulk");
	/* Ensure proper count is passed which otherwise would stuck in the below loop. */
	f->arg = MIN(pcp->count, f->arg);
	/* Ensure requested pindex is drained first. */
	f->mt = (int16_t)(f->mt - 1);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	count = f->arg;
	pindex = f->mt;
	while (count > 0) {
		struct list_head *list;
		int tries = 0;

		/* Remove pages from lists in a round-robin fashion. */
		do {
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(w, list) && ++tries <= NR_PCP_LISTS);
		if (list_empty(w, list)) {
			sim_bug(w, "free_pcppages_bulk", "pcp->count above the pages on the lists");
			break;
		}
		do {
			struct page *page = container_of(list_last(w, list), struct page, lru);
			unsigned long pfn = page_to_pfn(w, page);
			int mt = get_pfnblock_migratetype(w, pfn);

			/* must delete to avoid corrupting pcp list */
			list_del(w, &page->lru);
			count--;
			pcp->count--;
			__free_one_page_fpi(w, page, pfn, zone, 0, mt, FPI_NONE);
			SIM_TRACEPOINT(w, mm_page_pcpu_drain,
				       "page=%p pfn=%lu order=%d migratetype=%d",
				       sim_page_address(pfn), pfn, 0, mt);
		} while (count > 0 && !list_empty(w, list));
	}
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_pcppages_bulk);

/*
 * free_unref_page_commit() (v6.10) for order 0: the page goes on the list
 * of its type; if the list is over high, returns true with the number of
 * pages free_pcppages_bulk() is to free. Caller holds pcp->lock. pcp->high
 * and pcp->batch are read as they are (zone_pcp_disable() on another CPU
 * writes them without pcp->lock: the step's footprint covers this pcp).
 */
static bool free_unref_page_commit(struct sim_world *w, struct per_cpu_pages *pcp,
				   struct page *page, int migratetype, int *pindex, int *to_free)
{
	int high, batch;

	/* On freeing, reduce the number of pages that are batch allocated. */
	pcp->alloc_factor >>= 1;
	*pindex = order_to_pindex(migratetype, 0);
	list_add(w, &page->lru, &pcp->lists[*pindex]);
	pcp->count += 1;
	sim_charge(w, SIM_COST_PCP);
	batch = pcp->batch; /* READ_ONCE(pcp->batch) */
	/* order 0: PCPF_PREV_FREE_HIGH_ORDER only matters to high-order frees */
	if (pcp->free_count < (batch << CONFIG_PCP_BATCH_SCALE_MAX))
		pcp->free_count += 1;
	high = nr_pcp_high(pcp);
	SIM_EV(w, "pcp[%d] list %d += pfn %lu, count %d, high %d", w->cur->id, *pindex,
	       page_to_pfn(w, page), pcp->count, high);
	if (pcp->count < high)
		return false;
	*to_free = nr_pcp_free(pcp, batch, high);
	return true;
}

/*
 * free_unref_page() (v6.10): free an order-0 page. The block type is read
 * with no lock at all (01/10, 07/10), only to decide: ISOLATE goes straight
 * to free_one_page(), which reads it again under zone->lock; anything else
 * is tried on this CPU's pcplist (HIGHATOMIC and CMA on the MOVABLE list).
 * Between the read and pcp_spin_trylock() the task is preemptible, so an
 * isolation and its drain can come in between and the page still lands on
 * the pcplist (race R8: a stray, no drift: the flush reads the type under
 * zone->lock). A failed trylock (a remote drain holds pcp->lock) frees
 * directly. Frame: .pfn page (.flags: no cold frees since v4.15).
 */
struct free_unref_page_locals {
	int migratetype;
	int pindex;
	int to_free;
};

static enum sim_ret free_unref_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct free_unref_page_locals *l = SIM_LOCALS(f, struct free_unref_page_locals);
	struct per_cpu_pages *pcp;

	SIM_BEGIN(f);
	free_pages_prepare(w, pfn_to_page(w, f->pfn), 0);
	SIM_EV(w, "free_pages_prepare(pfn %u, order 0)", f->pfn);
	/* Racy: no lock; the block may be (un)isolated right after. */
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, no lock", f->pfn,
	       migratetype_name(l->migratetype));
	/*
	 * We only track unmovable, reclaimable and movable on pcp lists.
	 * Place ISOLATE pages on the isolated list because they are being
	 * offlined but treat HIGHATOMIC and CMA as movable pages so we can
	 * get those areas back if necessary.
	 */
	if (G_UNLIKELY(l->migratetype >= MIGRATE_PCPTYPES)) {
		if (G_UNLIKELY(is_migrate_isolate(l->migratetype))) {
			SIM_CALL(w, cpu, f, &free_one_page_fn, .pfn = f->pfn, .order = 0);
			SIM_RETURN_VAL(cpu, 0);
		}
		l->migratetype = MIGRATE_MOVABLE;
	}
	/* Preemptible: pcp_trylock_prepare(), the pcp lookup and the trylock are yet to come. */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	pcp = pcp_spin_trylock(w, cpu);
	if (!pcp) {
		SIM_CALL(w, cpu, f, &free_one_page_fn, .pfn = f->pfn, .order = 0);
		SIM_RETURN_VAL(cpu, 0);
	}
	if (free_unref_page_commit(w, pcp, pfn_to_page(w, f->pfn), l->migratetype, &l->pindex,
				   &l->to_free))
		SIM_CALL(w, cpu, f, &free_pcppages_bulk_fn, .arg = l->to_free,
			 .mt = (int16_t)l->pindex, .pfn = cpu->id);
	pcp_spin_unlock(w, cpu->id);
	SIM_END(f);
}
SIM_DEFINE_FN(free_unref_page);

/* ---------------------------------------------------------------------- */
/* Allocation: the entry paths                                             */
/* ---------------------------------------------------------------------- */

/*
 * rmqueue_bulk() (v6.10): move up to count pages of order to this CPU's
 * pcplist of migratetype, under one hold of zone->lock. No accounting here
 * any more (10/10): del_page_from_free_list() did it. Caller holds this
 * CPU's pcp->lock. Returns the number of pages.
 * Frame: .order, .arg count, .mt migratetype.
 */
static enum sim_ret rmqueue_bulk(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct list_head *list =
		&w->pageset[cpu->id].lists[order_to_pindex(f->mt, (unsigned int)f->order)];
	int i;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	for (i = 0; i < f->arg; ++i) {
		struct page *page = __rmqueue(w, zone, (unsigned int)f->order, f->mt);

		if (G_UNLIKELY(!page))
			break;
		/* The page is added to the tail of caller's list (physical page order). */
		list_add_tail(w, &page->lru, list);
	}
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, i);
	SIM_END(f);
}
SIM_DEFINE_FN(rmqueue_bulk);

/*
 * rmqueue() (v6.10): pcp_allowed_order() orders from this CPU's pcplist
 * under pcp_spin_trylock() (rmqueue_pcplist(): refilled by rmqueue_bulk();
 * a failed trylock or an empty refill falls through), otherwise, or then,
 * from the buddy lists under zone->lock (rmqueue_buddy(): no counter update
 * after the unlock any more). Returns the pfn, or -1.
 * Frame: .order, .mt. Omitted: check_new_pages(), ALLOC_HIGHATOMIC/OOM,
 * zone_statistics, the ZONE_BOOSTED_WATERMARK wakeup.
 */
struct rmqueue_locals {
	long pfn;
};

static enum sim_ret rmqueue(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct rmqueue_locals *l = SIM_LOCALS(f, struct rmqueue_locals);
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct page *page;

	SIM_BEGIN(f);
	if (!pcp_allowed_order((unsigned int)f->order))
		goto buddy;
	/* rmqueue_pcplist(): spin_trylock may fail due to a parallel drain. */
	pcp = pcp_spin_trylock(w, cpu);
	if (!pcp)
		goto buddy;
	/* On allocation, reduce the number of pages that are batch freed. */
	pcp->free_count >>= 1;
	list = &pcp->lists[order_to_pindex(f->mt, (unsigned int)f->order)];
	/* __rmqueue_pcplist() */
	if (list_empty(w, list)) {
		SIM_CALL(w, cpu, f, &rmqueue_bulk_fn, .order = f->order,
			 .arg = nr_pcp_alloc(pcp, (unsigned int)f->order), .mt = f->mt);
		pcp = &w->pageset[cpu->id];
		list = &pcp->lists[order_to_pindex(f->mt, (unsigned int)f->order)];
		pcp->count += (int)cpu->ret << f->order;
		if (G_UNLIKELY(list_empty(w, list))) {
			pcp_spin_unlock(w, cpu->id);
			goto buddy;
		}
	}
	page = container_of(list_first(w, list), struct page, lru);
	list_del(w, &page->lru);
	pcp->count -= 1 << f->order;
	pcp_spin_unlock(w, cpu->id);
	sim_shadow_alloc(w, (unsigned int)f->order, 1); /* model: the caller's now */
	sim_charge(w, SIM_COST_PCP);
	l->pfn = (long)page_to_pfn(w, page);
	goto out;

buddy:
	/* rmqueue_buddy() */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	page = __rmqueue(w, zone, (unsigned int)f->order, f->mt);
	spin_unlock_irqrestore(w, &zone->lock);
	if (!page) {
		SIM_EV(w, "allocation failed");
		SIM_RETURN_VAL(cpu, -1);
	}
	sim_shadow_alloc(w, (unsigned int)f->order, 1); /* model: the caller's now */
	l->pfn = (long)page_to_pfn(w, page);
out:
	prep_new_page(w, pfn_to_page(w, (unsigned long)l->pfn), (unsigned int)f->order, f->mt);
	SIM_EV(w, "allocated pfn %ld order %d", l->pfn, f->order);
	SIM_RETURN_VAL(cpu, l->pfn);
	SIM_END(f);
}
SIM_DEFINE_FN(rmqueue);

/* ---------------------------------------------------------------------- */
/* Draining pcplists: from the draining CPU, under the target's pcp->lock  */
/* ---------------------------------------------------------------------- */

/*
 * drain_pages_zone() (v6.10, before 66eca1021a42 "mm/page_alloc: fix
 * pcp->count race between drain_pages_zone() vs __rmqueue_pcplist()", v6.11
 * and 6.10.y): drain CPU .pfn's pcplists. The count is read once, outside
 * pcp->lock (a refill in progress on that CPU may not have added its pages
 * yet: they stay behind); then chunks of batch << CONFIG_PCP_BATCH_SCALE_MAX
 * pages, each under the target's pcp->lock, released in between
 * (kernel-model.md 0.6). Frame: .pfn the CPU.
 */
struct drain_pages_zone_locals {
	int count;
	int to_drain;
};

static enum sim_ret drain_pages_zone(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct drain_pages_zone_locals *l = SIM_LOCALS(f, struct drain_pages_zone_locals);
	struct per_cpu_pages *pcp = &w->pageset[f->pfn];

	SIM_BEGIN(f);
	/* int count = READ_ONCE(pcp->count); */
	SIM_RACY_READ(w, cpu, f, l->count, sim_pcp_count_racy(w, (int)f->pfn));
	SIM_EV(w, "drain_pages_zone(cpu %u): count %d", f->pfn, l->count);
	while (l->count) {
		/* pcp->batch: read without the lock too */
		l->to_drain = MIN(l->count, pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX);
		l->count -= l->to_drain;
		SIM_WAIT_LOCK(w, cpu, f, &pcp->lock);
		pcp_spin_lock(w, (int)f->pfn);
		SIM_CALL(w, cpu, f, &free_pcppages_bulk_fn, .arg = l->to_drain, .mt = 0,
			 .pfn = f->pfn);
		pcp_spin_unlock(w, (int)f->pfn);
	}
	SIM_END(f);
}
SIM_DEFINE_FN(drain_pages_zone);

/* drain_local_pages(zone) (v6.10): drain_pages_zone(smp_processor_id(), zone). */
static enum sim_ret drain_local_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &drain_pages_zone_fn, .pfn = cpu->id);
	SIM_END(f);
}
SIM_DEFINE_FN(drain_local_pages);

/*
 * __drain_all_pages(zone, force_all_cpus) (v6.10): under pcpu_drain_mutex
 * (a zone-specific caller that finds it taken waits for it), build the
 * static cpus_with_pcps mask from racy pcp->count reads unless every CPU is
 * forced, then drain each CPU in the mask from this CPU (v6.0: no IPI, no
 * work item). Frame: .arg force_all_cpus.
 */
struct __drain_all_pages_locals {
	int cpu;
	int has_pcps;
};

static enum sim_ret __drain_all_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct __drain_all_pages_locals *l = SIM_LOCALS(f, struct __drain_all_pages_locals);

	SIM_BEGIN(f);
	/*
	 * Do not drain if one is already in progress unless it's specific to
	 * a zone. Such callers are primarily CMA and memory hotplug and need
	 * the drain to be complete when the call returns.
	 */
	if (!mutex_trylock(w, &w->st->pcpu_drain_mutex))
		SIM_MUTEX_LOCK(w, cpu, f, &w->st->pcpu_drain_mutex);
	for (l->cpu = 0; l->cpu < (int)w->ncpus; l->cpu++) {
		if (f->arg) {
			/* The pcp.count check is racy, some callers need a guarantee. */
			l->has_pcps = 1;
		} else {
			SIM_RACY_READ(w, cpu, f, l->has_pcps, sim_pcp_count_racy(w, l->cpu) != 0);
			SIM_EV(w, "cpu %d pcp->count %d", l->cpu, w->pageset[l->cpu].count);
		}
		sim_access_wr(w, SIM_OBJ_CPUMASK);
		if (l->has_pcps)
			w->st->cpus_with_pcps |= 1ull << l->cpu;
		else
			w->st->cpus_with_pcps &= ~(1ull << l->cpu);
	}
	for (l->cpu = 0; l->cpu < (int)w->ncpus; l->cpu++) {
		sim_access_rd(w, SIM_OBJ_CPUMASK);
		if (!(w->st->cpus_with_pcps & (1ull << l->cpu)))
			continue;
		SIM_CALL(w, cpu, f, &drain_pages_zone_fn, .pfn = (uint32_t)l->cpu);
	}
	mutex_unlock(w, &w->st->pcpu_drain_mutex);
	SIM_END(f);
}
SIM_DEFINE_FN(__drain_all_pages);

/*
 * drain_all_pages(zone) (v6.10): __drain_all_pages(zone, false). The model
 * has one zone and calls it as the zone-specific callers do (CMA, memory
 * hotplug); a NULL-zone caller would skip the drain when one is running.
 */
static enum sim_ret drain_all_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &__drain_all_pages_fn, .arg = 0);
	SIM_END(f);
}
SIM_DEFINE_FN(drain_all_pages);

/* __zone_set_pageset_high_and_batch(): WRITE_ONCE()s, no pcp->lock taken. */
static void __zone_set_pageset_high_and_batch(struct sim_world *w, int high, int batch)
{
	for (unsigned int c = 0; c < w->ncpus; c++) {
		/* pageset_update(): high_min = high_max */
		sim_pcp_set_high(w, &w->pageset[c], high);
		sim_pcp_set_batch(w, &w->pageset[c], batch);
		w->info.acc.pcp_wr |= 1ull << c;
	}
	SIM_EV(w, "pcp high %d batch %d on every CPU", high, batch);
}

/*
 * zone_pcp_disable() (v5.11, ec6e8c7e0314; v6.10 form): effectively disable
 * pcplists for the zone by setting the high limit to 0 and draining all
 * cpus. A concurrent page freeing on another CPU that's about to put the
 * page on pcplist will either finish before the drain and the page will be
 * drained, or observe the new high limit and skip the pcplist.
 */
static enum sim_ret zone_pcp_disable(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_MUTEX_LOCK(w, cpu, f, &w->st->pcp_batch_high_lock);
	__zone_set_pageset_high_and_batch(w, 0, 1);
	SIM_CALL(w, cpu, f, &__drain_all_pages_fn, .arg = 1);
	SIM_END(f);
}
SIM_DEFINE_FN(zone_pcp_disable);

static enum sim_ret zone_pcp_enable(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	/* zone->pageset_high_min/max and zone->pageset_batch: the scenario's pcp values */
	__zone_set_pageset_high_and_batch(w, w->zone->pageset_high, w->zone->pageset_batch);
	mutex_unlock(w, &w->st->pcp_batch_high_lock);
	SIM_END(f);
}
SIM_DEFINE_FN(zone_pcp_enable);

/* ---------------------------------------------------------------------- */
/* Pageblock isolation (mm/page_isolation.c, 09/10 and 10/10)              */
/* ---------------------------------------------------------------------- */

/*
 * has_unmovable_pages() (v6.10): a CMA block passes only for a CMA
 * allocation; otherwise every page must be free, refcount 0, or movable.
 * Model: no PageHuge/THP, hwpoison, PageOffline or ZONE_MOVABLE; offlined
 * pages stand in for PageReserved(). Caller holds zone->lock.
 */
static struct page *has_unmovable_pages(struct sim_world *w, unsigned long start_pfn,
					unsigned long end_pfn, int migratetype)
{
	struct page *page = pfn_to_page(w, start_pfn);

	if (is_migrate_cma(get_pageblock_migratetype(w, page)))
		return is_migrate_cma(migratetype) ? NULL : page;
	sim_access_pages_all(w, false); /* refcounts, set by their owners without the lock */
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn++) {
		page = pfn_to_page(w, pfn);
		if (PageReserved(page))
			return page;
		if (!page_count(page)) {
			if (PageBuddy(page))
				pfn += (1ul << page_order(page)) - 1;
			continue;
		}
		if (sim_page_movable(page))
			continue;
		return page;
	}
	return NULL;
}

/*
 * __isolate_free_page() (v6.10): take a free chunk off its list, accounted
 * by its block's type (nothing for ISOLATE); a chunk of at least half a
 * pageblock turns its mergeable blocks MOVABLE, moving their other free
 * pages along. No watermark check (the model has no watermarks). Caller holds
 * zone->lock. Returns 2^order.
 */
static unsigned long __isolate_free_page(struct sim_world *w, struct page *page, unsigned int order)
{
	struct zone *zone = w->zone;
	int mt = get_pageblock_migratetype(w, page);

	del_page_from_free_list(w, page, zone, order, mt);
	sim_shadow_alloc(w, order, 1); /* model: the caller holds these pages now */
	/* Set the pageblock if the isolated page is at least half of a pageblock */
	if ((int)order >= (int)pageblock_order(zone) - 1) {
		struct page *endpage = page + (1ul << order) - 1;

		for (; page < endpage; page += pageblock_nr_pages(zone)) {
			int bmt = get_pageblock_migratetype(w, page);

			/* Only change normal pageblocks (i.e., they can merge with others) */
			if (migratetype_is_mergeable(bmt))
				move_freepages_block(w, zone, page, bmt, MIGRATE_MOVABLE);
		}
	}
	return 1ul << order;
}

/*
 * __putback_isolated_page() (v6.10): return a page taken by
 * __isolate_free_page() to the tail of the free list of mt. Caller holds
 * zone->lock.
 */
static void __putback_isolated_page(struct sim_world *w, struct page *page, unsigned int order,
				    int mt)
{
	lockdep_assert_held(w, &w->zone->lock);
	sim_shadow_alloc(w, order, -1); /* model: back to the allocator */
	__free_one_page_fpi(w, page, page_to_pfn(w, page), w->zone, order, mt,
			    FPI_SKIP_REPORT_NOTIFY | FPI_TO_TAIL);
}

/*
 * set_migratetype_isolate() (v6.10): under zone->lock, -EBUSY if the block
 * is already isolated (v4.17, 2c7452a075d4) or has unmovable pages in
 * [start_pfn, end_pfn); else move_freepages_block_isolate(ISOLATE) and
 * nr_isolate_pageblock++. No drain here (v5.11, 7612921f2376: the callers
 * drain). Frame: .pfn the block's first page, .mt migratetype, .arg
 * start_pfn, .end end_pfn. Returns 0 or -EBUSY.
 */
static enum sim_ret set_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	unsigned long check_start, check_end;
	int ret = -EBUSY;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	/*
	 * We assume the caller intended to SET migrate type to isolate.
	 * If it is already set, then someone else must have raced and
	 * set it before us.
	 */
	if (is_migrate_isolate_page(w, page)) {
		SIM_EV(w, "block %lu already isolated: -EBUSY", sim_block_of(w, f->pfn));
		goto out;
	}
	check_start = MAX((unsigned long)f->pfn, (unsigned long)(uint32_t)f->arg);
	check_end = MIN((unsigned long)f->pfn + pageblock_nr_pages(zone), (unsigned long)f->end);
	if (has_unmovable_pages(w, check_start, check_end, f->mt)) {
		SIM_EV(w, "block %lu has unmovable pages: -EBUSY", sim_block_of(w, f->pfn));
		goto out;
	}
	if (!move_freepages_block_isolate(w, zone, page, MIGRATE_ISOLATE))
		goto out;
	zone->nr_isolate_pageblock++;
	ret = 0;
	SIM_EV(w, "block %lu isolated", sim_block_of(w, f->pfn));
out:
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, ret);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (v6.10): under zone->lock, if the block
 * starts with a free chunk of at least pageblock_order (below
 * MAX_PAGE_ORDER) whose buddy is free and not isolated, take it off and put
 * it back with the new type so that it merges; otherwise
 * move_freepages_block_isolate(migratetype), which splits a straddling chunk
 * under the lock (R12 cannot happen). nr_isolate_pageblock--.
 * Frame: .pfn, .mt.
 */
static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	bool isolated_page = false;
	unsigned int order = 0;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (!is_migrate_isolate_page(w, page))
		goto out;
	/*
	 * Because freepage with more than pageblock_order on isolated
	 * pageblock is restricted to merge due to freepage counting problem,
	 * it is possible that there is free buddy page.
	 * move_freepages_block() doesn't care of merge so we need other
	 * approach in order to merge them. Isolation and free will make
	 * these pages to be merged.
	 */
	if (PageBuddy(page)) {
		order = page_order(page);
		if (order >= pageblock_order(zone) && order < MAX_PAGE_ORDER(zone)) {
			unsigned long buddy_pfn = f->pfn ^ (1ul << order);

			if (page_is_buddy(w, buddy_pfn, order) &&
			    !is_migrate_isolate_page(w, pfn_to_page(w, buddy_pfn))) {
				isolated_page = !!__isolate_free_page(w, page, order);
				/* Isolating a free page in an isolated pageblock always works. */
				VM_WARN(w, !isolated_page, "__isolate_free_page failed");
			}
		}
	}
	/*
	 * If we isolate freepage with more than pageblock_order, there
	 * should be no freepage in the range, so we could avoid costly
	 * pageblock scanning for freepage moving.
	 */
	if (!isolated_page) {
		/* Isolating this block already succeeded, so this should not fail. */
		VM_WARN(w, !move_freepages_block_isolate(w, zone, page, f->mt),
			"move_freepages_block_isolate failed");
	} else {
		set_pageblock_migratetype(w, page, f->mt);
		__putback_isolated_page(w, page, order, f->mt);
	}
	zone->nr_isolate_pageblock--;
	SIM_EV(w, "block %lu ISOLATE -> %s%s", sim_block_of(w, f->pfn), migratetype_name(f->mt),
	       isolated_page ? ", chunk put back to merge" : "");
out:
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(unset_migratetype_isolate);

/*
 * isolate_single_pageblock() (v6.10, 09/10): isolate the pageblock at
 * boundary_pfn (the one before it if isolate_before), unless
 * skip_isolation; then scan from the MAX_ORDER_NR_PAGES-aligned pfn below
 * for pages straddling boundary_pfn. Free chunks cannot straddle any more
 * (move_freepages_block_isolate() split them under zone->lock: the scan only
 * warns); compound pages, which the kernel would migrate (hugetlb) or fail
 * on, do not exist in the model, so the scan changes nothing and is done
 * inline, lock-free. Frame: .pfn boundary_pfn, .mt migratetype, .flags
 * bit 0 isolate_before, bit 1 skip_isolation. Returns 0 or -EBUSY.
 */
#define ISB_BEFORE 0x1
#define ISB_SKIP   0x2

static enum sim_ret isolate_single_pageblock(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct zone *zone = w->zone;
	unsigned long nr = pageblock_nr_pages(zone);
	unsigned long isolate_pageblock = (f->flags & ISB_BEFORE) ? f->pfn - nr : f->pfn;
	unsigned long start_pfn, pfn;

	SIM_BEGIN(f);
	if (f->flags & ISB_SKIP) {
		VM_BUG_ON(w, !is_migrate_isolate(get_pfnblock_migratetype(w, isolate_pageblock)));
	} else {
		SIM_CALL(w, cpu, f, &set_migratetype_isolate_fn, .pfn = (uint32_t)isolate_pageblock,
			 .mt = f->mt, .arg = (int32_t)isolate_pageblock,
			 .end = (uint32_t)(isolate_pageblock + nr));
		if (cpu->ret)
			SIM_RETURN_VAL(cpu, cpu->ret);
	}
	/* Bail out early when the page on the other side of boundary_pfn is not online. */
	if ((f->flags & ISB_BEFORE) ? !zone_spans_pfn(zone, f->pfn) :
				      !zone_spans_pfn(zone, (unsigned long)f->pfn - 1))
		SIM_RETURN_VAL(cpu, 0);
	start_pfn =
		MAX(isolate_pageblock & ~((1ul << MAX_PAGE_ORDER(zone)) - 1), zone->zone_start_pfn);
	sim_access_rd(w, SIM_OBJ_LOCK);
	for (pfn = start_pfn; pfn < f->pfn;) {
		struct page *page = pfn_to_page(w, pfn);

		if (PageBuddy(page)) {
			/* move_freepages_block_isolate() handled this */
			VM_WARN(w, pfn + (1ul << page_order(page)) > f->pfn,
				"free chunk pfn %lu straddles boundary %u", pfn, f->pfn);
			pfn += 1ul << page_order(page);
			continue;
		}
		pfn++;
	}
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(isolate_single_pageblock);

/*
 * start_isolate_page_range() (v6.10, pageblock granularity since v5.19):
 * the first block, then the last (skipped if it is the first), then the
 * ones between; zone->lock is dropped between blocks. On failure the blocks
 * isolated so far are un-isolated. Frame: .pfn start, .end end, .mt
 * migratetype (what undo restores). Returns 0 or -EBUSY.
 */
struct start_isolate_locals {
	uint32_t pfn;
	int32_t ret;
};

static enum sim_ret start_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct start_isolate_locals *l = SIM_LOCALS(f, struct start_isolate_locals);
	unsigned long nr = pageblock_nr_pages(w->zone);
	uint32_t isolate_start = (uint32_t)(f->pfn & ~(nr - 1));
	uint32_t isolate_end = (uint32_t)((f->end + nr - 1) & ~(nr - 1));

	SIM_BEGIN(f);
	/* isolate [isolate_start, isolate_start + pageblock_nr_pages) pageblock */
	SIM_CALL(w, cpu, f, &isolate_single_pageblock_fn, .pfn = isolate_start, .mt = f->mt,
		 .flags = 0);
	if (cpu->ret)
		SIM_RETURN_VAL(cpu, cpu->ret);
	/* isolate [isolate_end - pageblock_nr_pages, isolate_end) pageblock */
	SIM_CALL(w, cpu, f, &isolate_single_pageblock_fn, .pfn = isolate_end, .mt = f->mt,
		 .flags = ISB_BEFORE | (isolate_start == isolate_end - nr ? ISB_SKIP : 0));
	if (cpu->ret) {
		l->ret = (int32_t)cpu->ret;
		SIM_CALL(w, cpu, f, &unset_migratetype_isolate_fn, .pfn = isolate_start,
			 .mt = f->mt);
		SIM_RETURN_VAL(cpu, l->ret);
	}
	/* skip isolated pageblocks at the beginning and end */
	for (l->pfn = isolate_start + (uint32_t)nr; l->pfn < isolate_end - nr;
	     l->pfn += (uint32_t)nr) {
		SIM_CALL(w, cpu, f, &set_migratetype_isolate_fn, .pfn = l->pfn, .mt = f->mt,
			 .arg = (int32_t)f->pfn, .end = f->end);
		if (cpu->ret)
			goto undo;
	}
	SIM_RETURN_VAL(cpu, 0);
undo:
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range, .pfn = isolate_start, .end = l->pfn,
		 .mt = f->mt);
	SIM_CALL(w, cpu, f, &unset_migratetype_isolate_fn, .pfn = (uint32_t)(isolate_end - nr),
		 .mt = f->mt);
	SIM_RETURN_VAL(cpu, -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(start_isolate_page_range);

/*
 * undo_isolate_page_range() (v6.10): every block of the pageblock-aligned
 * range that is isolated (a lock-free read) is un-isolated, whoever
 * isolated it. Frame: .pfn start, .end end, .mt migratetype.
 */
struct undo_isolate_locals {
	uint32_t pfn;
	int32_t mt;
};

static enum sim_ret undo_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct undo_isolate_locals *l = SIM_LOCALS(f, struct undo_isolate_locals);
	unsigned long nr = pageblock_nr_pages(w->zone);
	uint32_t isolate_end = (uint32_t)((f->end + nr - 1) & ~(nr - 1));

	SIM_BEGIN(f);
	for (l->pfn = (uint32_t)(f->pfn & ~(nr - 1)); l->pfn < isolate_end;
	     l->pfn += (uint32_t)nr) {
		SIM_RACY_READ(w, cpu, f, l->mt, get_pfnblock_migratetype(w, l->pfn));
		if (!is_migrate_isolate(l->mt))
			continue;
		SIM_CALL(w, cpu, f, &unset_migratetype_isolate_fn, .pfn = l->pfn, .mt = f->mt);
	}
	SIM_END(f);
}
SIM_DEFINE_FN(undo_isolate_page_range);

/*
 * __test_page_isolated_in_pageblock() (v4.3+ form, unchanged in v6.10):
 * every page must be PageBuddy; which list a chunk is on is not checked
 * ("There is no simple way to verify that as VM_BUG_ON()"). Hwpoison and
 * PageOffline pages (MEMORY_OFFLINE) are not modeled. Caller holds
 * zone->lock. Returns true if the range is free.
 */
static bool __test_page_isolated_in_pageblock(struct sim_world *w, unsigned long pfn,
					      unsigned long end_pfn)
{
	lockdep_assert_held(w, &w->zone->lock);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(w, pfn);

		if (!PageBuddy(page))
			break;
		pfn += 1ul << page_order(page);
	}
	SIM_EV(w, "walk stopped at pfn %lu of %lu", pfn, end_pfn);
	return pfn >= end_pfn;
}

/*
 * test_pages_isolated() (v6.10): every pageblock from start_pfn in steps of
 * pageblock_nr_pages must be isolated (lock-free reads), then every page of
 * the range free, under zone->lock. Frame: .pfn start, .end end. Returns 0
 * or -EBUSY.
 */
struct test_isolated_locals {
	uint32_t pfn;
	int32_t mt;
};

static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	struct test_isolated_locals *l = SIM_LOCALS(f, struct test_isolated_locals);
	struct zone *zone = w->zone;
	bool ok;

	SIM_BEGIN(f);
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += (uint32_t)pageblock_nr_pages(zone)) {
		SIM_RACY_READ(w, cpu, f, l->mt, get_pfnblock_migratetype(w, l->pfn));
		if (!is_migrate_isolate(l->mt))
			break;
	}
	if (l->pfn < f->end) {
		SIM_EV(w, "block %lu is %s: -EBUSY", sim_block_of(w, l->pfn),
		       migratetype_name(l->mt));
		SIM_RETURN_VAL(cpu, -EBUSY);
	}
	/* Check all pages are free or marked as ISOLATED */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	ok = __test_page_isolated_in_pageblock(w, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, ok ? 0 : -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(test_pages_isolated);

/* ---------------------------------------------------------------------- */
/* alloc_contig_range() (mm/page_alloc.c, mm/compaction.c)                  */
/* ---------------------------------------------------------------------- */

/*
 * isolate_freepages_range() (v6.10 mm/compaction.c, strict): per pageblock
 * under zone->lock, every page must be free; each chunk is taken whole with
 * __isolate_free_page() (order kept in page_private). If the range was
 * covered, split_map_pages() makes them order-0 pages; otherwise
 * release_free_list() frees each chunk again with __free_pages(page, order).
 * Frame: .pfn start, .end end. Returns the pfn after the last page, or 0.
 */
struct isolate_freepages_locals {
	uint32_t pfn;
	uint32_t release;
	uint32_t next;
};

static enum sim_ret isolate_freepages_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct isolate_freepages_locals *l = SIM_LOCALS(f, struct isolate_freepages_locals);
	struct zone *zone = w->zone;
	unsigned long block_end;

	SIM_BEGIN(f);
	for (l->pfn = f->pfn; l->pfn < f->end;) {
		SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
		block_end =
			MIN((unsigned long)f->end, (l->pfn | (pageblock_nr_pages(zone) - 1)) + 1);
		while (l->pfn < block_end) {
			struct page *page = pfn_to_page(w, l->pfn);
			unsigned int order;

			if (!PageBuddy(page))
				break;
			order = page_order(page);
			__isolate_free_page(w, page, order);
			set_page_private(page, order);
			SIM_EV(w, "took pfn %u order %u", l->pfn, order);
			l->pfn += 1u << order;
		}
		spin_unlock_irqrestore(w, &zone->lock);
		if (l->pfn < block_end)
			break;
	}
	sim_access_page_wr(w); /* refcounts of the pages taken (this CPU's now), set below */
	if (l->pfn >= f->end) {
		/* split_map_pages(): post_alloc_hook() and split_page() per chunk */
		for (unsigned long p = f->pfn; p < l->pfn;) {
			struct page *page = pfn_to_page(w, p);
			unsigned long n = 1ul << page_private(page);

			set_page_private(page, 0);
			for (unsigned long i = 0; i < n; i++)
				sim_contig_page_taken(page + i);
			p += n;
		}
		SIM_RETURN_VAL(cpu, l->pfn);
	}
	SIM_EV(w, "pfn %u is not free: release what was taken", l->pfn);
	/* release_free_list(): post_alloc_hook(), __free_pages(page, order) */
	for (l->release = f->pfn; l->release < l->pfn; l->release = l->next) {
		struct page *page = pfn_to_page(w, l->release);
		unsigned int order = page_private(page);

		l->next = l->release + (1u << order);
		set_page_private(page, 0);
		set_page_refcounted(page);
		SIM_CALL(w, cpu, f, &sim_base___free_pages, .pfn = l->release,
			 .order = (int16_t)order);
	}
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(isolate_freepages_range);

/*
 * alloc_contig_range() (v6.10, alloc_contig_range_noprof): isolate the
 * pageblocks of [start, end) (pageblock granularity, v5.19), drain the
 * pcplists once (drain_all_pages(cc.zone)), migrate, find the free chunk
 * start lies in (find_large_buddy(), lock-free: "the pages are isolated"),
 * test, take the free pages, give back head and tail, undo. Note the goto
 * done after a failed start_isolate_page_range(): the undo un-isolates every
 * isolated block of the range, including blocks another user isolated (the
 * failure that sent it there). Frame: .pfn start, .end end, .mt migratetype.
 * Returns 0 or an error.
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

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &start_isolate_page_range_fn, .pfn = f->pfn, .end = f->end,
		 .mt = f->mt);
	l->ret = (int32_t)cpu->ret;
	if (l->ret)
		goto done;
	SIM_CALL(w, cpu, f, &drain_all_pages_fn);
	/* __alloc_contig_migrate_range(): in case of -EBUSY, fall through to the test */
	SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
	l->ret = (int32_t)cpu->ret;
	if (l->ret && l->ret != -EBUSY)
		goto done;
	l->ret = 0;
	SIM_RACY_READ(w, cpu, f, l->outer_start, (uint32_t)find_large_buddy(w, f->pfn));
	/* Make sure the range is really isolated. */
	SIM_CALL(w, cpu, f, &test_pages_isolated_fn, .pfn = l->outer_start, .end = f->end);
	if (cpu->ret) {
		SIM_EV(w, "test_pages_isolated(%u, %u) failed", l->outer_start, f->end);
		l->ret = -EBUSY;
		goto done;
	}
	/* Grab isolated pages from freelists. */
	SIM_CALL(w, cpu, f, &isolate_freepages_range_fn, .pfn = l->outer_start, .end = f->end);
	l->outer_end = (uint32_t)cpu->ret;
	if (!l->outer_end) {
		l->ret = -EBUSY;
		goto done;
	}
	/* Free head and tail (if any): free_contig_range() -> __free_page() */
	for (l->pfn = l->outer_start; l->pfn < f->pfn; l->pfn++)
		SIM_CALL(w, cpu, f, &free_unref_page_fn, .pfn = l->pfn);
	for (l->pfn = f->end; l->pfn < l->outer_end; l->pfn++)
		SIM_CALL(w, cpu, f, &free_unref_page_fn, .pfn = l->pfn);
done:
	SIM_CALL(w, cpu, f, &undo_isolate_page_range_fn, .pfn = f->pfn, .end = f->end, .mt = f->mt);
	SIM_EV(w, "alloc_contig_range(%u, %u) = %d", f->pfn, f->end, l->ret);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(alloc_contig_range);

/* ---------------------------------------------------------------------- */
/* offline_pages() (mm/memory_hotplug.c)                                    */
/* ---------------------------------------------------------------------- */

/*
 * __offline_isolated_pages() (v6.10): takes zone->lock itself; every page
 * of the range must be a free chunk of an isolated block, taken off its
 * (ISOLATE: uncounted) list. Model: the pages leave the zone, PageReserved
 * standing for offline_mem_sections(). Frame: .pfn start, .end end.
 */
static enum sim_ret __offline_isolated_pages(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	sim_access_pages_all(w, false); /* BUG_ON(page_count(page)) */
	for (unsigned long pfn = f->pfn; pfn < f->end;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		VM_BUG_ON(w, page_count(page));
		VM_BUG_ON(w, !PageBuddy(page));
		if (!PageBuddy(page))
			break;
		VM_WARN(w, !is_migrate_isolate_page(w, page), "block %lu not isolated",
			sim_block_of(w, pfn));
		order = page_order(page);
		del_page_from_free_list(w, page, zone, order, MIGRATE_ISOLATE);
		for (unsigned long i = 0; i < (1ul << order); i++)
			SetPageReserved(page + i);
		w->st->shadow.offline_pages += 1l << order; /* model: out of the zone */
		SIM_EV(w, "offlined pfn %lu order %u", pfn, order);
		pfn += 1ul << order;
	}
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(__offline_isolated_pages);

/*
 * offline_pages() (v6.10): zone_pcp_disable() around the whole operation;
 * isolate the range (MOVABLE); repeat { scan and migrate, test } until the
 * test passes; __offline_isolated_pages(); nr_isolate_pageblock drops while
 * the blocks stay ISOLATE; zone_pcp_enable(). The kernel repeats until a
 * signal; the model gives up after OFFLINE_PASSES passes with -EINTR ("signal
 * backoff"), which is how a liveness failure (race R8) shows. Model: no
 * notifiers, no LRU cache, no hugetlb; migrate_range() stands for
 * scan_movable_pages() + do_migrate_range(). Frame: .pfn start, .end end.
 */
#define OFFLINE_PASSES 5

struct offline_pages_locals {
	int32_t ret;
	int32_t passes;
};

static enum sim_ret offline_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct offline_pages_locals *l = SIM_LOCALS(f, struct offline_pages_locals);
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	/*
	 * Disable pcplists so that page isolation cannot race with freeing
	 * in a way that pages from isolated pageblock are left on pcplists.
	 */
	SIM_CALL(w, cpu, f, &zone_pcp_disable_fn);
	SIM_CALL(w, cpu, f, &start_isolate_page_range_fn, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	l->ret = (int32_t)cpu->ret;
	if (l->ret) {
		SIM_EV(w, "failure to isolate range");
		goto failed_removal_pcplists_disabled;
	}
	for (l->passes = 0;; l->passes++) {
		if (l->passes == OFFLINE_PASSES) {
			SIM_EV(w, "signal backoff (model: %d passes)", OFFLINE_PASSES);
			l->ret = -EINTR;
			goto failed_removal_isolated;
		}
		SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
		if (cpu->ret == -ENOMEM) {
			sim_count_retry(cpu);
			continue; /* a migration failed: scan again */
		}
		SIM_CALL(w, cpu, f, &test_pages_isolated_fn, .pfn = f->pfn, .end = f->end);
		if (!cpu->ret)
			break;
		sim_count_retry(cpu); /* the range is not isolated yet: scan again */
	}
	/* Mark all sections offline and remove free pages from the buddy. */
	SIM_CALL(w, cpu, f, &__offline_isolated_pages_fn, .pfn = f->pfn, .end = f->end);
	/*
	 * The memory sections are marked offline, and the pageblock flags
	 * effectively stale; nobody should be touching them. Fixup the number
	 * of isolated pageblocks, memory onlining will properly revert this.
	 */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	zone->nr_isolate_pageblock -= (int)((f->end - f->pfn) / pageblock_nr_pages(zone));
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_CALL(w, cpu, f, &zone_pcp_enable_fn);
	SIM_RETURN_VAL(cpu, 0);

failed_removal_isolated:
	/* pushback to free area */
	SIM_CALL(w, cpu, f, &undo_isolate_page_range_fn, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
failed_removal_pcplists_disabled:
	SIM_CALL(w, cpu, f, &zone_pcp_enable_fn);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(offline_pages);

/* The ops member has the plain name; the function is the renamed symbol. */
#undef __test_page_isolated_in_pageblock
#undef __isolate_free_page

const struct sim_variant sim_variant_v6_10 = {
	.name = "v6.10",
	.era = "E4",
	.kernel = "v6.10 (freelist migratetype hygiene, Johannes Weiner, 2024)",
	.summary = "accounting in the free-list operations, block type read under zone->lock, "
		   "pcp->lock and remote drains, isolation splits straddling chunks",
	.ops = {
		.free_hot_cold_page = &free_unref_page_fn,
		.__free_pages_ok = &__free_pages_ok_fn,
		.free_one_page = &free_one_page_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.buffered_rmqueue = &rmqueue_fn,
		.rmqueue_bulk = &rmqueue_bulk_fn,
		.drain_all_pages = &drain_all_pages_fn,
		.drain_local_pages = &drain_local_pages_fn,
		.set_migratetype_isolate = &set_migratetype_isolate_fn,
		.unset_migratetype_isolate = &unset_migratetype_isolate_fn,
		.start_isolate_page_range = &start_isolate_page_range_fn,
		.undo_isolate_page_range = &undo_isolate_page_range_fn,
		.test_pages_isolated = &test_pages_isolated_fn,
		.isolate_freepages_range = &isolate_freepages_range_fn,
		.alloc_contig_range = &alloc_contig_range_fn,
		.offline_pages = &offline_pages_fn,
		.online_pages = &sim_online_pages_isolated,
		.__free_one_page = __free_one_page,
		.__rmqueue = __rmqueue,
		.expand = expand,
		.__test_page_isolated_in_pageblock = __test_page_isolated_in_pageblock_v6_10,
		.__isolate_free_page = __isolate_free_page_v6_10,
		.__putback_isolated_page = __putback_isolated_page,
	},
};
