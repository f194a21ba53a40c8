// SPDX-License-Identifier: GPL-2.0
/*
 * offline_pages() (mm/memory_hotplug.c, __offline_pages) and
 * __offline_isolated_pages() (mm/page_alloc.c) as of linux v3.16: isolate
 * the range, migrate what is allocated in it (repeating with drains), drain
 * the pcplists, test that every page is free on an isolated block, take the
 * free pages out of the zone, and mark the blocks MOVABLE again.
 * Scenarios call it as `offline_pages: {start, end}`.
 *
 * online_pages() twice: v3.16's, which frees every page alone through
 * __free_page(), and v5.10's, which onlines into isolated pageblocks in
 * MAX_ORDER-1 chunks and un-isolates them afterwards (v5.11 and v6.10 use it).
 *
 * Model: no memory notifiers, no timeout or signals (the loop is bounded by
 * retry_max as in v3.16), no managed/present page counts; the offlined
 * pages are counted by the shadow (shadow.offline_pages).
 */
#include "engine/step.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"

#define EBUSY  16
#define EINVAL 22

/*
 * __offline_isolated_pages() (v3.16): take every free chunk of the range off
 * its list, with no counter change: it is assumed to be on an ISOLATE list,
 * uncounted. A chunk that is on another list (race R2/R4) was counted and
 * stays counted: NR_FREE_PAGES keeps pages that no longer exist (R10).
 * Caller holds zone->lock.
 */
static void __offline_isolated_pages(struct sim_world *w, unsigned long start_pfn,
				     unsigned long end_pfn)
{
	struct zone *zone = w->zone;
	unsigned long pfn = start_pfn;

	sim_enter(w, "__offline_isolated_pages");
	lockdep_assert_held(w, &zone->lock);
	sim_access_pages_all(w, false);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		VM_BUG_ON(w, page_count(page));
		VM_BUG_ON(w, !PageBuddy(page));
		if (!PageBuddy(page))
			break;
		order = page_order(page);
		list_del(w, &page->lru);
		rmv_page_order(page);
		zone->free_area[order].nr_free--;
		for (unsigned long i = 0; i < (1ul << order); i++)
			SetPageReserved(page + i);
		w->st->shadow.offline_pages += 1l << order; /* model: out of the zone */
		SIM_EV(w, "offlined pfn %lu order %u", pfn, order);
		pfn += 1ul << order;
	}
	sim_leave(w);
}

/*
 * __offline_pages() (v3.16): start_isolate_page_range(MOVABLE); then
 * repeat: drain (after the first pass), find movable pages and migrate
 * them (retry_max 5 failures); lru_add_drain_all() (no LRU in the model),
 * drain_all_pages(); check_pages_isolated() -> test_pages_isolated(), and
 * -EBUSY if it fails; __offline_isolated_pages() under zone->lock;
 * undo_isolate_page_range(MOVABLE). On failure the range is un-isolated.
 * Frame: .pfn start, .end end. Returns 0 or -EBUSY.
 */
struct offline_pages_locals {
	int32_t ret;
	int32_t retry_max;
	int32_t drain;
};

static enum sim_ret offline_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct offline_pages_locals *l = SIM_LOCALS(f, struct offline_pages_locals);
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->start_isolate_page_range, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	if (cpu->ret)
		SIM_RETURN_VAL(cpu, cpu->ret);
	l->retry_max = 5;
	l->drain = 0;
	for (;;) {
		if (l->drain)
			SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
		/* scan_movable_pages() + do_migrate_range() */
		SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
		if (!cpu->ret)
			break;
		if (--l->retry_max == 0) {
			l->ret = -EBUSY;
			goto failed_removal;
		}
		sim_count_retry(cpu); /* a page could not be migrated: drain and go again */
		l->drain = 1;
	}
	/* drain pcp pages, this is synchronous. */
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	/* check again */
	SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = f->pfn, .end = f->end);
	if (cpu->ret) {
		SIM_EV(w, "pages still in use: -EBUSY");
		l->ret = -EBUSY;
		goto failed_removal;
	}
	/* Ok, all of our target is isolated. We cannot do rollback at this point. */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	__offline_isolated_pages(w, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);
	/* reset pagetype flags and makes migrate type to be MOVABLE */
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	SIM_RETURN_VAL(cpu, 0);
failed_removal:
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
const struct sim_fn sim_base_offline_pages = { "offline_pages", offline_pages };

/* ---------------------------------------------------------------------- */
/* online_pages()                                                          */
/* ---------------------------------------------------------------------- */

/*
 * The memory block state check (drivers/base/memory.c,
 * memory_block_change_state(): onlining a block that is not MEM_OFFLINE is
 * -EINVAL before online_pages() runs): every page of the range is offline.
 * Offline pages are the only Reserved pages without PagePrivate (goto-2007
 * captures Reserved + Private) in the model.
 */
static bool sim_range_offline(struct sim_world *w, unsigned long start, unsigned long end)
{
	/* PageReserved is set under zone->lock (__offline_isolated_pages) */
	sim_access_rd(w, SIM_OBJ_LOCK);
	sim_access_pages_all(w, false);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		const struct page *page = pfn_to_page(w, pfn);

		if (!PageReserved(page) || PagePrivate(page))
			return false;
	}
	return true;
}

/*
 * The page or chunk is back in the zone, refcount 1, as the memmap
 * initialization and __free_reserved_page()/__free_pages_core() leave it
 * before they free it: the shadow moves it from offline to allocated, and
 * the free path that follows takes it from there.
 */
static void sim_online_chunk(struct sim_world *w, unsigned long pfn, unsigned int order)
{
	struct page *page = pfn_to_page(w, pfn);

	sim_access_page_wr(w);
	for (unsigned long i = 0; i < (1ul << order); i++)
		ClearPageReserved(page + i);
	set_page_refcounted(page);
	w->st->shadow.offline_pages -= 1l << order;
	sim_shadow_alloc(w, order, 1);
}

/*
 * online_pages() (v3.16): online_pages_range() calls online_page_callback,
 * generic_online_page() -> __online_page_free() -> __free_reserved_page():
 * ClearPageReserved(), init_page_count(), __free_page(). Every page is
 * freed alone, order 0 through this CPU's pcplist (free_hot_cold_page),
 * and merges in the buddy as its neighbours arrive. The blocks are as
 * offline_pages() left them (MOVABLE). Model: no zonelists, watermarks,
 * kswapd, present/managed counts or notifiers. Frame: .pfn start, .end end.
 * Returns 0, or -EINVAL when a page of the range is not offline.
 */
struct online_pages_locals {
	uint32_t pfn;
};

static enum sim_ret online_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct online_pages_locals *l = SIM_LOCALS(f, struct online_pages_locals);

	SIM_BEGIN(f);
	if (!sim_range_offline(w, f->pfn, f->end)) {
		SIM_EV(w, "online: [%u, %u) is not offline: -EINVAL", f->pfn, f->end);
		SIM_RETURN_VAL(cpu, -EINVAL);
	}
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn++) {
		sim_online_chunk(w, l->pfn, 0);
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = l->pfn);
	}
	SIM_EV(w, "online: [%u, %u) onlined", f->pfn, f->end);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(online_pages);

/*
 * online_pages() (mm/memory_hotplug.c as of v5.10, the same in v5.11 and,
 * with MAX_PAGE_ORDER, v6.10): move_pfn_range_to_zone(..., MIGRATE_ISOLATE)
 * initializes the memmap with every pageblock ISOLATE, so nothing allocates
 * from the range while it is onlined; nr_isolate_pageblock is fixed up
 * under zone->lock; online_pages_range() hands the range to the buddy in
 * MAX_ORDER-1 chunks, generic_online_page() -> __free_pages_core() ->
 * __free_pages_ok(FPI_TO_TAIL), onto the ISOLATE lists, uncounted; then
 * undo_isolate_page_range(MOVABLE) moves the chunks to MOVABLE, counted.
 * The memmap is initialized without zone->lock: the range is offline, no
 * list holds a page of it. Model: FPI_TO_TAIL is not modeled (the head of
 * the list); a chunk is MAX_ORDER-1 or smaller where the range's
 * alignment needs it (a memory block is MAX_ORDER aligned); no notifiers,
 * zonelists, shuffling or present/managed counts. Frame: .pfn start, .end
 * end. Returns 0 or -EINVAL (not offline).
 */
struct online_pages_isolated_locals {
	uint32_t pfn;
	int32_t order;
};

static unsigned int sim_online_order(struct zone *zone, unsigned long pfn, unsigned long end)
{
	unsigned int order = MAX_ORDER(zone) - 1;

	while (order && ((pfn & ((1ul << order) - 1)) || pfn + (1ul << order) > end))
		order--;
	return order;
}

static enum sim_ret online_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					  struct sim_frame *f)
{
	struct online_pages_isolated_locals *l = SIM_LOCALS(f, struct online_pages_isolated_locals);
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	if (!sim_range_offline(w, f->pfn, f->end)) {
		SIM_EV(w, "online: [%u, %u) is not offline: -EINVAL", f->pfn, f->end);
		SIM_RETURN_VAL(cpu, -EINVAL);
	}
	/* move_pfn_range_to_zone(zone, pfn, nr_pages, NULL, MIGRATE_ISOLATE) */
	for (unsigned long pfn = f->pfn; pfn < f->end; pfn += pageblock_nr_pages(zone))
		set_pageblock_migratetype(w, pfn_to_page(w, pfn), MIGRATE_ISOLATE);
	/*
	 * Fixup the number of isolated pageblocks before marking the sections
	 * onlining, such that undo_isolate_page_range() works correctly.
	 */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	zone->nr_isolate_pageblock += (int)((f->end - f->pfn) / pageblock_nr_pages(zone));
	spin_unlock_irqrestore(w, &zone->lock);
	/* online_pages_range() */
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += 1u << l->order) {
		l->order = (int32_t)sim_online_order(zone, l->pfn, f->end);
		sim_online_chunk(w, l->pfn, (unsigned int)l->order);
		SIM_CALL(w, cpu, f, w->ops->__free_pages_ok, .pfn = l->pfn,
			 .order = (int16_t)l->order);
	}
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	SIM_EV(w, "online: [%u, %u) onlined", f->pfn, f->end);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
const struct sim_fn sim_online_pages_isolated = { "online_pages", online_pages_isolated };
