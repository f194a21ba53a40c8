// SPDX-License-Identifier: GPL-2.0
/*
 * v3.18: Joonsoo Kim's "fix freepage count problems due to memory isolation"
 * (v5/v6 series, based on v3.18-rc2, Cc stable), as merged for v3.18:
 *
 *   ad53f92eb416 mm/page_alloc: fix incorrect isolation behavior by rechecking migratetype
 *   51bb1a4093cc mm/page_alloc: add freepage on isolate pageblock to correct buddy list
 *   8f82b55dd558 mm/page_alloc: move freepage counting logic to __free_one_page()
 *   3c605096d315 mm/page_alloc: restrict max order of merging on isolated pageblock
 *
 * and "mm/debug-pagealloc: correct freepage accounting and order resetting"
 * (Joonsoo Kim, 2014-11-07), which kernel-model.md section 0 places in v3.18
 * (see docs/variants.md for the doubt about that).
 *
 * What changes over v3.16: zone->nr_isolate_pageblock counts isolated
 * blocks; while any block is isolated, free_one_page() and
 * free_pcppages_bulk() re-read the migratetype under zone->lock; counting
 * happens in one place, __free_one_page(), keyed on the same migratetype that
 * picks the list; a page freed to an ISOLATE list merges no further than
 * pageblock_order, and un-isolation re-frees a large free chunk so it can
 * merge again. What does not change: a page freed to a normal list still
 * merges with an ISOLATE-list buddy of the neighbouring block (race R6,
 * closed by d9dddbf55667 in v4.6), and move_freepages_block()'s count.
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "variants/variant.h"

#define EBUSY 16

/*
 * __free_one_page() (v3.18): counting moved here from the callers
 * (8f82b55dd558), and the merge stops at pageblock_order when the page goes
 * to an ISOLATE list (3c605096d315). Caller holds zone->lock.
 */
static void __free_one_page(struct sim_world *w, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype)
{
	unsigned long page_idx, buddy_idx = 0, combined_idx;
	unsigned long buddy_pfn = pfn;
	unsigned int max_order = MAX_ORDER(zone);

	sim_enter(w, "__free_one_page");
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freed(w, page);
	SIM_EV(w, "pfn %lu order %u to %s", pfn, order, migratetype_name(migratetype));

	if (is_migrate_isolate(migratetype)) {
		/*
		 * We restrict max order of merging to prevent merge
		 * between freepages on isolate pageblock and normal
		 * pageblock. Without this, pageblock isolation
		 * could cause incorrect freepage accounting.
		 */
		max_order = MIN(MAX_ORDER(zone), pageblock_order(zone) + 1);
	} else {
		__mod_zone_freepage_state(zone, 1l << order, migratetype);
	}

	page_idx = pfn & ((1ul << max_order) - 1);
	VM_BUG_ON(w, page_idx & ((1ul << order) - 1));

	while (order < max_order - 1) {
		buddy_idx = __find_buddy_index(page_idx, order);
		buddy_pfn = pfn + (buddy_idx - page_idx);
		if (!page_is_buddy(w, buddy_pfn, order))
			break;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		if (page_is_guard(pfn_to_page(w, buddy_pfn))) {
			clear_page_guard_flag(pfn_to_page(w, buddy_pfn));
			set_page_private(pfn_to_page(w, buddy_pfn), 0);
			if (!is_migrate_isolate(migratetype))
				__mod_zone_freepage_state(zone, 1l << order, migratetype);
			sim_shadow_guard(w, pfn_to_page(w, buddy_pfn), order, -1);
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
	set_page_order(page, order);
	sim_free_one_page_insert(w, page, pfn, zone, order, migratetype, page_idx, buddy_idx,
				 buddy_pfn);
	sim_leave(w);
}

/*
 * free_one_page() (v3.18, ad53f92eb416): re-read the migratetype under
 * zone->lock if any pageblock of the zone is isolated, or if the caller's
 * lock-free read said ISOLATE (the block may have been un-isolated since).
 * Frame: .pfn page, .order, .mt migratetype read by the caller.
 */
static enum sim_ret free_one_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;
	int migratetype = f->mt;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	if (has_isolate_pageblock(zone) || is_migrate_isolate(migratetype)) {
		migratetype = get_pfnblock_migratetype(w, f->pfn);
		SIM_EV(w, "recheck: pageblock is %s", migratetype_name(migratetype));
	}
	w->ops->__free_one_page(w, pfn_to_page(w, f->pfn), f->pfn, zone, (unsigned int)f->order,
				migratetype);
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_one_page);

/*
 * free_pcppages_bulk() (v3.18, 51bb1a4093cc): the cached migratetype is
 * replaced by the block's current one while any block is isolated, and the
 * page is counted by __free_one_page() on the list it goes to.
 * Frame: .arg count.
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
		struct list_head *list = pcp_next_list(w, pcp, &migratetype, &batch_free, to_free);

		do {
			struct page *page = container_of(list_last(w, list), struct page, lru);
			int mt; /* migratetype of the to-be-freed page */

			/* must delete as __free_one_page list manipulates */
			list_del(w, &page->lru);
			mt = get_freepage_migratetype(page);
			if (has_isolate_pageblock(zone))
				mt = get_pageblock_migratetype(w, page);
			/* MIGRATE_MOVABLE list may include MIGRATE_RESERVEs */
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

/*
 * set_migratetype_isolate() (v3.18): as v3.16, plus nr_isolate_pageblock++
 * under zone->lock (ad53f92eb416). Frame: .pfn. Returns 0 or -EBUSY.
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
	if (!has_unmovable_pages(w, zone, page, 0))
		l->ret = 0;
	if (!l->ret) {
		int migratetype = get_pageblock_migratetype(w, page);
		int nr_pages;

		set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
		zone->nr_isolate_pageblock++;
		nr_pages = w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
		__mod_zone_freepage_state(zone, -nr_pages, migratetype);
		SIM_EV(w, "block %lu %s -> ISOLATE, NR_FREE_PAGES -= %d", sim_block_of(w, f->pfn),
		       migratetype_name(migratetype), nr_pages);
	}
	spin_unlock_irqrestore(w, &zone->lock);
	if (!l->ret)
		SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (v3.18, 3c605096d315): if the block starts with
 * a free chunk of at least pageblock_order whose buddy block is not isolated,
 * take the chunk off the lists and free it again after dropping the lock, so
 * that it merges with its buddy (merging stopped at pageblock_order while it
 * was isolated). Otherwise as v3.16, plus nr_isolate_pageblock-- .
 * Frame: .pfn, .mt.
 */
struct unset_migratetype_isolate_locals {
	long isolated_pfn;
	unsigned int order;
};

static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct unset_migratetype_isolate_locals *l =
		SIM_LOCALS(f, struct unset_migratetype_isolate_locals);
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	int nr_pages;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	l->isolated_pfn = -1;
	if (get_pageblock_migratetype(w, page) != MIGRATE_ISOLATE)
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
		l->order = page_order(page);
		if (l->order >= pageblock_order(zone)) {
			unsigned long page_idx = f->pfn & ((1ul << MAX_ORDER(zone)) - 1);
			unsigned long buddy_idx = __find_buddy_index(page_idx, l->order);
			unsigned long buddy_pfn = f->pfn + (buddy_idx - page_idx);

			if (zone_spans_pfn(zone, buddy_pfn) &&
			    !is_migrate_isolate_page(w, pfn_to_page(w, buddy_pfn))) {
				__isolate_free_page(w, page, l->order);
				set_page_refcounted(page);
				l->isolated_pfn = f->pfn;
			}
		}
	}

	/*
	 * If we isolate freepage with more than pageblock_order, there
	 * should be no freepage in the range, so we could avoid costly
	 * pageblock scanning for freepage moving.
	 */
	if (l->isolated_pfn < 0) {
		nr_pages = w->ops->move_freepages_block(w, zone, page, f->mt);
		__mod_zone_freepage_state(zone, nr_pages, f->mt);
		SIM_EV(w, "NR_FREE_PAGES += %d", nr_pages);
	}
	set_pageblock_migratetype(w, page, f->mt);
	zone->nr_isolate_pageblock--;
	SIM_EV(w, "block %lu ISOLATE -> %s%s", sim_block_of(w, f->pfn), migratetype_name(f->mt),
	       l->isolated_pfn >= 0 ? ", chunk taken off to re-free" : "");
out:
	spin_unlock_irqrestore(w, &zone->lock);
	if (l->isolated_pfn >= 0) {
		/* __free_pages(isolated_page, order) */
		if (l->order == 0)
			SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page,
				 .pfn = (uint32_t)l->isolated_pfn);
		else
			SIM_CALL(w, cpu, f, w->ops->__free_pages_ok,
				 .pfn = (uint32_t)l->isolated_pfn, .order = (int16_t)l->order);
	}
	SIM_END(f);
}
SIM_DEFINE_FN(unset_migratetype_isolate);

const struct sim_variant sim_variant_v3_18 = {
	.name = "v3.18",
	.era = "E1",
	.kernel = "v3.18 (ad53f92eb416, 51bb1a4093cc, 8f82b55dd558, 3c605096d315)",
	.summary = "Joonsoo Kim's four fixes: recheck under zone->lock, one counting point, "
		   "merge limit on the isolated side",
	.ops = {
		.free_one_page = &free_one_page_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.set_migratetype_isolate = &set_migratetype_isolate_fn,
		.unset_migratetype_isolate = &unset_migratetype_isolate_fn,
		.__free_one_page = __free_one_page,
	},
};
