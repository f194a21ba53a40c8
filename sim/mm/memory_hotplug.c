// SPDX-License-Identifier: GPL-2.0
/*
 * offline_pages() (mm/memory_hotplug.c, __offline_pages) and
 * __offline_isolated_pages() (mm/page_alloc.c) as of linux v3.16: isolate
 * the range, migrate what is allocated in it (repeating with drains), drain
 * the pcplists, test that every page is free on an isolated block, take the
 * free pages out of the zone, and mark the blocks MOVABLE again.
 * Scenarios call it as `offline_pages: {start, end}`.
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

#define EBUSY 16

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
