/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page and pageblock helpers with their kernel names: PageBuddy and page
 * order (mm/internal.h, include/linux/mm.h), the freepage migratetype cache
 * (set/get_freepage_migratetype, v3.7-v4.2; renamed set_pcppage_migratetype
 * in v4.3), pageblock migratetype (include/linux/pageblock-flags.h, v3.16
 * get_pfnblock_migratetype) and the vmstat counters (include/linux/vmstat.h).
 *
 * set_pageblock_migratetype() also keeps the model's per-block shadow in step
 * (mm/shadow.c); nothing else here touches model-only state.
 */
#ifndef SIM_MM_PAGE_H
#define SIM_MM_PAGE_H

#include "engine/world.h"
#include "mm/list.h"

static inline bool PageBuddy(const struct page *page)
{
	return page->flags & PG_buddy;
}

static inline unsigned int page_order(const struct page *page)
{
	return page->private; /* PageBuddy() must be checked by the caller */
}

static inline void set_page_private(struct page *page, unsigned int v)
{
	page->private = (uint8_t)v;
}

static inline unsigned int page_private(const struct page *page)
{
	return page->private;
}

static inline void set_page_order(struct page *page, unsigned int order)
{
	set_page_private(page, order);
	page->flags |= PG_buddy; /* __SetPageBuddy */
}

/*
 * The chunk leaves the buddy lists: __ClearPageBuddy, and, as v5.7's
 * del_page_from_free_list() does, __ClearPageReported (a no-op on a kernel
 * without free page reporting, where the flag is never set).
 */
static inline void rmv_page_order(struct page *page)
{
	page->flags &= ~(PG_buddy | PG_reported);
	set_page_private(page, 0);
}

/* PageReported() (v5.7 include/linux/page-flags.h, "mm: Introduce Reported pages"). */
static inline bool PageReported(const struct page *page)
{
	return page->flags & PG_reported;
}

static inline void __SetPageReported(struct page *page)
{
	page->flags |= PG_reported;
}

static inline int page_count(const struct page *page)
{
	return page->_count;
}

static inline void set_page_refcounted(struct page *page)
{
	page->_count = 1;
}

/*
 * A page of a range alloc_contig_range() takes (split_page(): order 0,
 * refcount 1). Model: not on the LRU (a CMA buffer, a gigantic page), so
 * migration and has_unmovable_pages() see it pinned, as the kernel's
 * isolate_migratepages_range() skips a page that is not PageLRU.
 */
static inline void sim_contig_page_taken(struct page *page)
{
	set_page_refcounted(page);
	page->where_arg = 0; /* model: an order-0 page now */
	page->alloc_mt = MIGRATE_UNMOVABLE;
}

/* PageIsolated() (Joonsoo Kim v2 2/8): a freed page parked off the buddy lists. */
static inline bool PageIsolated(const struct page *page)
{
	return page->flags & PG_isolated;
}

static inline void __SetPageIsolated(struct page *page)
{
	page->flags |= PG_isolated;
}

static inline void __ClearPageIsolated(struct page *page)
{
	page->flags &= ~PG_isolated;
}

static inline bool PageReserved(const struct page *page)
{
	return page->flags & PG_reserved;
}

static inline void SetPageReserved(struct page *page)
{
	page->flags |= PG_reserved;
}

static inline void ClearPageReserved(struct page *page)
{
	page->flags &= ~PG_reserved;
}

/* PagePrivate(): with PageReserved, a page captured for an isolation_info (Goto 2007). */
static inline bool PagePrivate(const struct page *page)
{
	return page->flags & PG_private;
}

static inline void SetPagePrivate(struct page *page)
{
	page->flags |= PG_private;
}

static inline void ClearPagePrivate(struct page *page)
{
	page->flags &= ~PG_private;
}

/* CONFIG_DEBUG_PAGEALLOC guard pages (v3.16: a bit in page->debug_flags). */
static inline bool page_is_guard(const struct page *page)
{
	return page->flags & PG_guard;
}

static inline void set_page_guard_flag(struct page *page)
{
	page->flags |= PG_guard;
}

static inline void clear_page_guard_flag(struct page *page)
{
	page->flags &= ~PG_guard;
}

/* page->index caches the migratetype at free time (v3.16 include/linux/mm.h). */
static inline void set_freepage_migratetype(struct page *page, int migratetype)
{
	page->index = (uint8_t)migratetype;
}

static inline int get_freepage_migratetype(const struct page *page)
{
	return page->index;
}

/* The same cache under its v4.3 name ("mm: rename and move get/set_freepage_migratetype"). */
static inline void set_pcppage_migratetype(struct page *page, int migratetype)
{
	set_freepage_migratetype(page, migratetype);
}

static inline int get_pcppage_migratetype(const struct page *page)
{
	return get_freepage_migratetype(page);
}

/*
 * get_pfnblock_migratetype(): the pageblock bitmap read. Writers hold
 * zone->lock; readers in the free paths do not (that is the point of most
 * races modeled here), so step machines read it through SIM_RACY_READ.
 */
static inline int get_pfnblock_migratetype(struct sim_world *w, unsigned long pfn)
{
	sim_access_rd(w, SIM_OBJ_BLOCKTYPE);
	return w->pageblock_flags[sim_block_of(w, pfn)];
}

static inline int get_pageblock_migratetype(struct sim_world *w, const struct page *page)
{
	return get_pfnblock_migratetype(w, page_to_pfn(w, page));
}

static inline bool is_migrate_isolate_page(struct sim_world *w, const struct page *page)
{
	return get_pageblock_migratetype(w, page) == MIGRATE_ISOLATE;
}

void set_pageblock_migratetype(struct sim_world *w, struct page *page, int migratetype);

/* include/linux/page-isolation.h (v3.18, ad53f92eb416): caller holds zone->lock. */
static inline bool has_isolate_pageblock(const struct zone *zone)
{
	return zone->nr_isolate_pageblock;
}

/*
 * pcp->high and pcp->batch: the one way the model reads and writes them, so
 * that partial-order reduction sees every access (SIM_OBJ_PCP_HIGH,
 * engine/access.h). Read without a lock by the free and allocation paths of
 * the CPU that owns the pageset; constant in v3.16, rewritten for every CPU
 * from another CPU by the designs that disable the pcplists: Joonsoo Kim's
 * v2 pageset_update() (3/8, 4/8), zone_pcp_disable()/enable() of v5.11 and
 * v6.10. A step machine whose read can race with such a writer makes it a
 * SIM_RACY_READ. v6.10 reads them inside steps that hold or wait for
 * pcp->lock, whose pcp footprint its writer also records.
 */
static inline int sim_pcp_high(struct sim_world *w, const struct per_cpu_pages *pcp)
{
	sim_access_rd(w, SIM_OBJ_PCP_HIGH);
	return pcp->high;
}

static inline int sim_pcp_batch(struct sim_world *w, const struct per_cpu_pages *pcp)
{
	sim_access_rd(w, SIM_OBJ_PCP_HIGH);
	return pcp->batch;
}

/* WRITE_ONCE(pcp->high, high) / WRITE_ONCE(pcp->batch, batch), from any CPU. */
static inline void sim_pcp_set_high(struct sim_world *w, struct per_cpu_pages *pcp, int high)
{
	sim_access_wr(w, SIM_OBJ_PCP_HIGH);
	pcp->high = high;
}

static inline void sim_pcp_set_batch(struct sim_world *w, struct per_cpu_pages *pcp, int batch)
{
	sim_access_wr(w, SIM_OBJ_PCP_HIGH);
	pcp->batch = batch;
}

/* vmstat: exact counters, no per-cpu deltas (docs/model.md). */
static inline void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	zone->vm_stat[item] += delta;
}

static inline long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	return zone->vm_stat[item];
}

static inline void __mod_zone_freepage_state(struct zone *zone, long nr_pages, int migratetype)
{
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (is_migrate_cma(migratetype))
		__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, nr_pages);
}

/* Buddy arithmetic (mm/internal.h). */
static inline unsigned long __find_buddy_index(unsigned long page_idx, unsigned int order)
{
	return page_idx ^ (1ul << order);
}

/*
 * page_is_buddy() (v3.16): the buddy is free (or a guard page) of the same
 * order. No migratetype check: that is the merge rule of E0/E1. A buddy
 * outside the zone is never a buddy (pfn_valid_within/page_zone_id).
 */
static inline bool page_is_buddy(struct sim_world *w, unsigned long buddy_pfn, unsigned int order)
{
	struct page *buddy;

	if (!zone_spans_pfn(w->zone, buddy_pfn))
		return false;
	buddy = pfn_to_page(w, buddy_pfn);
	if (page_is_guard(buddy) && page_order(buddy) == order)
		return true;
	return PageBuddy(buddy) && page_order(buddy) == order;
}

/* The struct page address the kernel's tracepoints print (vmemmap, 64-byte pages). */
static inline void *sim_page_address(unsigned long pfn)
{
	return (void *)(0xffffea0000000000ul + pfn * 64);
}

#endif /* SIM_MM_PAGE_H */
