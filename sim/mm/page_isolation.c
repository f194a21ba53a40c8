// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_isolation.c as of linux v3.16: pageblock isolation for CMA and
 * memory offline (a5d76b54a3f3 "memory unplug: page isolation", 2.6.24, with
 * the later additions up to v3.16), the baseline of every variant.
 *
 * Source read: v3.16 mm/page_isolation.c (identical in v3.17). Isolation of
 * a range is per pageblock, and zone->lock is dropped between blocks, so a
 * range whose max-order chunk spans two blocks is seen half isolated
 * ("CC -> IC -> II", race R6). set_migratetype_isolate() drains the pcplists
 * after the lock is dropped; frees that read the old migratetype before it
 * can still land afterwards (R4, R8).
 */
#include "engine/step.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"

#define EBUSY 16

/*
 * has_unmovable_pages() (mm/page_alloc.c, v3.16): a MOVABLE or CMA block
 * never has any; otherwise every page must be free, refcount 0, or on the
 * LRU. Model: an allocated page is on the LRU iff it was allocated MOVABLE;
 * there is no ZONE_MOVABLE, no hugetlb, no hwpoison, and `count` (pages a
 * notifier vouches for) is always 0. Caller holds zone->lock.
 */
bool has_unmovable_pages(struct sim_world *w, struct zone *zone, struct page *page, int count)
{
	unsigned long pfn = page_to_pfn(w, page), iter;
	int mt = get_pageblock_migratetype(w, page);
	int found = 0;

	if (mt == MIGRATE_MOVABLE || is_migrate_cma(mt))
		return false;
	sim_access_pages_all(w, false);
	for (iter = 0; iter < pageblock_nr_pages(zone); iter++) {
		struct page *p = pfn_to_page(w, pfn + iter);

		if (!page_count(p)) {
			if (PageBuddy(p))
				iter += (1ul << page_order(p)) - 1;
			continue;
		}
		if (p->alloc_mt != MIGRATE_MOVABLE) /* !PageLRU(page) */
			found++;
		if (found > count)
			return true;
	}
	return false;
}

/*
 * set_migratetype_isolate() (v3.16): under zone->lock, check the block,
 * mark it MIGRATE_ISOLATE and move its free pages to the ISOLATE lists,
 * subtracting what move_freepages_block() returns (every free page it saw,
 * race R5). Then, without the lock, drain_all_pages().
 * Frame: .pfn first page of the block. Returns 0 or -EBUSY.
 */
struct set_migratetype_isolate_locals {
	int ret;
};

static enum sim_ret set_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct set_migratetype_isolate_locals *l =
		SIM_LOCALS(f, struct set_migratetype_isolate_locals);
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	l->ret = -EBUSY;
	/* memory_isolate_notify(MEM_ISOLATE_COUNT): no balloon drivers are modeled. */
	if (!has_unmovable_pages(w, zone, page, 0))
		l->ret = 0;
	if (!l->ret) {
		int migratetype = get_pageblock_migratetype(w, page);
		int nr_pages;

		set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
		nr_pages = w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
		__mod_zone_freepage_state(zone, -nr_pages, migratetype);
		SIM_EV(w, "block %lu %s -> ISOLATE, NR_FREE_PAGES -= %d", sim_block_of(w, f->pfn),
		       migratetype_name(migratetype), nr_pages);
	} else {
		SIM_EV(w, "block %lu has unmovable pages: -EBUSY", sim_block_of(w, f->pfn));
	}
	spin_unlock_irqrestore(w, &zone->lock);
	if (!l->ret)
		SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (v3.16): under zone->lock, move the block's
 * free pages back to free_list[migratetype], add what move_freepages_block()
 * returns, and set the block's type. Frame: .pfn, .mt.
 */
static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	int nr_pages;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (get_pageblock_migratetype(w, page) != MIGRATE_ISOLATE)
		goto out;
	nr_pages = w->ops->move_freepages_block(w, zone, page, f->mt);
	__mod_zone_freepage_state(zone, nr_pages, f->mt);
	set_pageblock_migratetype(w, page, f->mt);
	SIM_EV(w, "block %lu ISOLATE -> %s, NR_FREE_PAGES += %d", sim_block_of(w, f->pfn),
	       migratetype_name(f->mt), nr_pages);
out:
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(unset_migratetype_isolate);

/*
 * start_isolate_page_range() (v3.16): isolate each pageblock of
 * [start_pfn, end_pfn), which must be pageblock aligned; on failure, undo
 * the blocks done so far. Frame: .pfn start, .end end, .mt migratetype.
 */
struct isolate_range_locals {
	unsigned long pfn;
	unsigned long undo_pfn;
	int mt;
};

static enum sim_ret start_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct isolate_range_locals *l = SIM_LOCALS(f, struct isolate_range_locals);
	unsigned long nr = pageblock_nr_pages(w->zone);

	SIM_BEGIN(f);
	VM_BUG_ON(w, f->pfn & (nr - 1));
	VM_BUG_ON(w, f->end & (nr - 1));
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += nr) {
		SIM_CALL(w, cpu, f, w->ops->set_migratetype_isolate, .pfn = (uint32_t)l->pfn);
		if (cpu->ret) {
			l->undo_pfn = l->pfn;
			goto undo;
		}
	}
	SIM_RETURN_VAL(cpu, 0);
undo:
	for (l->pfn = f->pfn; l->pfn < l->undo_pfn; l->pfn += nr)
		SIM_CALL(w, cpu, f, w->ops->unset_migratetype_isolate, .pfn = (uint32_t)l->pfn,
			 .mt = f->mt);
	SIM_RETURN_VAL(cpu, -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(start_isolate_page_range);

/*
 * undo_isolate_page_range() (v3.16): un-isolate each block of the range that
 * is still isolated. The type check is a lock-free read.
 * Frame: .pfn start, .end end, .mt migratetype.
 */
static enum sim_ret undo_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct isolate_range_locals *l = SIM_LOCALS(f, struct isolate_range_locals);
	unsigned long nr = pageblock_nr_pages(w->zone);

	SIM_BEGIN(f);
	VM_BUG_ON(w, f->pfn & (nr - 1));
	VM_BUG_ON(w, f->end & (nr - 1));
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += nr) {
		SIM_RACY_READ(w, cpu, f, l->mt, get_pfnblock_migratetype(w, l->pfn));
		SIM_EV(w, "block %lu is %s", sim_block_of(w, l->pfn), migratetype_name(l->mt));
		if (l->mt != MIGRATE_ISOLATE)
			continue;
		SIM_CALL(w, cpu, f, w->ops->unset_migratetype_isolate, .pfn = (uint32_t)l->pfn,
			 .mt = f->mt);
	}
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(undo_isolate_page_range);

/*
 * __test_page_isolated_in_pageblock() (v3.16): every page of the range must
 * be free (PageBuddy) or a refcount-0 page whose cached type is ISOLATE.
 * A free chunk whose cached type is not ISOLATE is moved to the ISOLATE list
 * on the spot, with no counter fix-up (Minchan Kim 2012, 435b405c0611; race
 * R5; removed in v4.3 by "mm, page_isolation: remove bogus tests for
 * isolated pages"). It never checks which list a chunk is on.
 * Caller holds zone->lock. Returns true if the range is isolated.
 */
bool __test_page_isolated_in_pageblock(struct sim_world *w, unsigned long pfn,
				       unsigned long end_pfn)
{
	lockdep_assert_held(w, &w->zone->lock);
	sim_access_pages_all(w, false);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(w, pfn);

		if (PageBuddy(page)) {
			/*
			 * If race between isolatation and allocation happens,
			 * some free pages could be in MIGRATE_MOVABLE list
			 * although pageblock's migratation type of the page
			 * is MIGRATE_ISOLATE. Catch it and move the page into
			 * MIGRATE_ISOLATE list.
			 */
			if (get_freepage_migratetype(page) != MIGRATE_ISOLATE) {
				unsigned long end = pfn + (1ul << page_order(page)) - 1;

				w->ops->move_freepages(w, w->zone, pfn, end, MIGRATE_ISOLATE);
			}
			pfn += 1ul << page_order(page);
		} else if (page_count(page) == 0 &&
			   get_freepage_migratetype(page) == MIGRATE_ISOLATE) {
			pfn += 1;
		} else {
			break;
		}
	}
	SIM_EV(w, "walk stopped at pfn %lu of %lu", pfn, end_pfn);
	return pfn >= end_pfn;
}

/*
 * test_pages_isolated() (v3.16): every block of the range must be
 * MIGRATE_ISOLATE (lock-free reads), then every page must pass
 * __test_page_isolated_in_pageblock() under zone->lock.
 * Frame: .pfn start, .end end. Returns 0 or -EBUSY.
 */
static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	struct isolate_range_locals *l = SIM_LOCALS(f, struct isolate_range_locals);
	struct zone *zone = w->zone;
	bool ret;

	SIM_BEGIN(f);
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += pageblock_nr_pages(zone)) {
		SIM_RACY_READ(w, cpu, f, l->mt, get_pfnblock_migratetype(w, l->pfn));
		SIM_EV(w, "block %lu is %s", sim_block_of(w, l->pfn), migratetype_name(l->mt));
		if (l->mt != MIGRATE_ISOLATE)
			break;
	}
	if (l->pfn < f->end) {
		SIM_EV(w, "block %lu not isolated: -EBUSY", sim_block_of(w, l->pfn));
		SIM_RETURN_VAL(cpu, -EBUSY);
	}
	/* Check all pages are free or Marked as ISOLATED */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	ret = w->ops->__test_page_isolated_in_pageblock(w, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, ret ? 0 : -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(test_pages_isolated);
