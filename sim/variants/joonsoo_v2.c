// SPDX-License-Identifier: GPL-2.0
/*
 * joonsoo-v2: Joonsoo Kim, "[PATCH v2 0/8] fix freepage count problems in
 * memory isolation", linux-mm, 2014-08-06,
 * <1407309517-3270-1-git-send-email-iamjoonsoo.kim@lge.com>, based on
 * linux-next-20140728. Not merged: v3 went back to re-checking the
 * migratetype under zone->lock, which became v3.18.
 *
 *   1/8 mm/page_alloc: correct to clear guard attribute in DEBUG_PAGEALLOC
 *   2/8 mm/isolation: remove unstable check for isolated page
 *   3/8 mm/page_alloc: fix pcp high, batch management
 *   4/8 mm/isolation: close the two race problems related to pageblock isolation
 *   5/8 mm/isolation: change pageblock isolation logic to fix freepage counting bugs
 *   6/8 mm/isolation: factor out pre/post logic on set/unset_migratetype_isolate()
 *   7/8 mm/isolation: fix freepage counting bug on start/undo_isolat_page_range()
 *   8/8 mm/isolation: remove useless race handling related to pageblock isolation
 *
 * Read from the posted mails (sjp38/lore-linux-mm; 1/8 and 3/8 through Zhang
 * Yanfei's full quotes) and Vlastimil Babka's review of 5/8 (seed 000).
 *
 * What changes over v3.16. The free paths read the pageblock migratetype
 * with IRQs already off (4/8), so an IPI that a CPU has taken proves that
 * every free it started before saw the old type and has finished. A page
 * freed to an isolated block is parked (5/8): page_private = order,
 * PageIsolated, on no list, not PageBuddy (nothing merges with it), not
 * counted. Isolation of a range (7/8) is: under zone->lock check every block
 * and set them all MIGRATE_ISOLATE; unlock; disable the pcplists of the zone
 * on every CPU (high = 1, batch = 1, written with IPIs between the steps,
 * 3/8) under pcp_batch_high_lock; drain every CPU's pcplist with
 * on_each_cpu() (not drain_all_pages(), which skips CPUs that look empty);
 * under zone->lock move each block's free pages to the ISOLATE lists and
 * subtract what moved, keyed on the caller's migratetype; re-enable the
 * pcplists. The test activates parked pages onto the ISOLATE lists, then
 * walks the range from the free chunk that contains its start; the pcp-page
 * acceptance (2/8) and the test-time move (8/8) are gone. Undo moves every
 * block back and restores its type in one hold of zone->lock, kicks every
 * CPU, then activates each block's parked pages onto the restored type's
 * lists, counted. free_pcppages_bulk() and free_one_page() count what they
 * free by the migratetype they put it under, with no isolation check (4/8,
 * 5/8). The guard-page merge adds nothing when freeing to MIGRATE_ISOLATE and
 * clears the buddy's order, not the page's (1/8).
 *
 * What does not change: the merge in __free_one_page() has no type check;
 * move_freepages_block() still returns every free page it walks (exact only
 * because nothing else is on the lists it moves from); drain_all_pages()
 * and the allocation paths (including __rmqueue_fallback()'s block
 * stealing) are v3.16's; no check that a block is already isolated.
 *
 * The points where the record is unclear and what the model chose are in
 * docs/variants/joonsoo-v2.md.
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "scenario/scenario.h"
#include "variants/variant.h"

#define EBUSY 16

/* ---------------------------------------------------------------------- */
/* Freeing: the buddy merge and the parking of isolated pages              */
/* ---------------------------------------------------------------------- */

/*
 * clear_page_guard() (1/8): the guard page merged back loses its order, and
 * is counted unless the chunk goes to a MIGRATE_ISOLATE list. Caller holds
 * zone->lock. (set_page_guard(), the other half of 1/8, subtracts keyed on
 * the allocation's migratetype exactly as v3.16's expand() does.)
 */
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
 * __free_one_page() (v2): v3.16's merge, with no type check, and 1/8's guard
 * branch; no counting (the callers count). No longer static (5/8):
 * activate_isolated_pages() calls it. Caller holds zone->lock.
 */
static void __free_one_page(struct sim_world *w, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype)
{
	unsigned long page_idx, buddy_idx = 0, combined_idx;
	unsigned long buddy_pfn = pfn;

	sim_enter(w, "__free_one_page");
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freed(w, page);
	SIM_EV(w, "pfn %lu order %u to %s", pfn, order, migratetype_name(migratetype));

	page_idx = pfn & ((1ul << MAX_ORDER(zone)) - 1);
	VM_BUG_ON(w, page_idx & ((1ul << order) - 1));

	while (order < MAX_ORDER(zone) - 1) {
		struct page *buddy;

		buddy_idx = __find_buddy_index(page_idx, order);
		buddy_pfn = pfn + (buddy_idx - page_idx);
		if (!page_is_buddy(w, buddy_pfn, order))
			break;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		buddy = pfn_to_page(w, buddy_pfn);
		/* Our buddy is free or it is a guard page, merge with it and move up one order. */
		if (page_is_guard(buddy)) {
			clear_page_guard(w, zone, buddy, order, migratetype);
		} else {
			list_del(w, &buddy->lru);
			zone->free_area[order].nr_free--;
			rmv_page_order(buddy);
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
 * deactivate_isolated_page() (5/8, mm/page_isolation.c): park a page freed
 * to an isolated pageblock: page_private = order and PageIsolated (the
 * kernel's _mapcount -64). Not PageBuddy, so no free neighbour merges with
 * it; on no list, so nobody allocates it; not counted. Called from
 * free_one_page() with IRQs off. Frame: .pfn, .order.
 */
static enum sim_ret deactivate_isolated_page(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);

	SIM_BEGIN(f);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	VM_BUG_ON(w, PageBuddy(page) || PageIsolated(page)); /* __SetPageIsolated() */
	set_page_private(page, (unsigned int)f->order);
	__SetPageIsolated(page);
	sim_shadow_hold(w, page, (unsigned int)f->order, 1); /* model: held off the lists */
	SIM_EV(w, "pfn %u order %d parked (PageIsolated)", f->pfn, f->order);
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(deactivate_isolated_page);

/*
 * free_one_page() (5/8): a page whose caller read MIGRATE_ISOLATE is parked
 * instead of freed; any other is freed under zone->lock and counted by the
 * migratetype it is freed under. Called with IRQs off.
 * Frame: .pfn, .order, .mt migratetype read by the caller.
 */
static enum sim_ret free_one_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	if (is_migrate_isolate(f->mt)) {
		SIM_CALL(w, cpu, f, &deactivate_isolated_page_fn, .pfn = f->pfn, .order = f->order);
		goto out;
	}
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	w->ops->__free_one_page(w, pfn_to_page(w, f->pfn), f->pfn, zone, (unsigned int)f->order,
				f->mt);
	__mod_zone_freepage_state(zone, 1l << f->order, f->mt);
	spin_unlock(w, &zone->lock);
out:;
	SIM_END(f);
}
SIM_DEFINE_FN(free_one_page);

/*
 * free_pcppages_bulk() (4/8): v3.16's round robin; each page goes to the list
 * of its cached migratetype and is counted by that same type, with no
 * isolation check: while a block is isolated no pcplist holds its pages
 * (pcplists disabled and drained). Called with IRQs off. Frame: .arg count.
 */
static enum sim_ret free_pcppages_bulk(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];
	int migratetype = 0, batch_free = 0, to_free = f->arg;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	/*
	 * Model: asked for more than the lists hold, the loop below would spin
	 * forever ("system could hang in free_pcppages_bulk() due to larger
	 * batch value than high", 3/8). Reported as a BUG instead.
	 */
	VM_BUG_ON(w, to_free > pcp->count);
	if (to_free > pcp->count)
		return SIM_RETURN;
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	while (to_free) {
		struct list_head *list = pcp_next_list(w, pcp, &migratetype, &batch_free, to_free);

		do {
			struct page *page = container_of(list_last(w, list), struct page, lru);
			int mt = get_freepage_migratetype(page);

			/* must delete as __free_one_page list manipulates */
			list_del(w, &page->lru);
			/* MIGRATE_MOVABLE list may include MIGRATE_RESERVEs */
			w->ops->__free_one_page(w, page, page_to_pfn(w, page), zone, 0, mt);
			SIM_TRACEPOINT(w, mm_page_pcpu_drain,
				       "page=%p pfn=%lu order=%d migratetype=%d",
				       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page),
				       0, mt);
			__mod_zone_freepage_state(zone, 1, mt);
		} while (--to_free && --batch_free && !list_empty(w, list));
	}
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_pcppages_bulk);

/* ---------------------------------------------------------------------- */
/* Freeing: the entry paths (4/8: the migratetype is read with IRQs off)   */
/* ---------------------------------------------------------------------- */

/*
 * __free_pages_ok() (4/8): local_irq_save() first, then the lock-free read
 * of the pageblock's migratetype. The read still races with
 * set_pageblock_migratetype() on another CPU, but the IRQ-off section it is
 * in ends before this CPU can take the isolator's IPI.
 * Frame: .pfn page, .order.
 */
struct __free_pages_ok_locals {
	int migratetype;
};

static enum sim_ret __free_pages_ok(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct __free_pages_ok_locals *l = SIM_LOCALS(f, struct __free_pages_ok_locals);
	struct page *page = pfn_to_page(w, f->pfn);

	SIM_BEGIN(f);
	free_pages_prepare(w, page, (unsigned int)f->order);
	SIM_EV(w, "free_pages_prepare(pfn %u, order %d)", f->pfn, f->order);
	local_irq_save(w);
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s (IRQs off)", f->pfn,
	       migratetype_name(l->migratetype));
	set_freepage_migratetype(page, l->migratetype);
	SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = f->order,
		 .mt = (int16_t)l->migratetype);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(__free_pages_ok);

/*
 * free_hot_cold_page() (4/8): the migratetype is read and cached after
 * local_irq_save(), so the page reaches its pcplist (or free_one_page())
 * before this CPU can take an IPI. pcp->high and pcp->batch are read without
 * a lock while pageset_update() may rewrite them from another CPU (3/8):
 * both reads are scheduling points. Frame: .pfn page, .flags SIM_F_COLD.
 */
struct free_hot_cold_page_locals {
	int migratetype;
	int high;
	int batch;
};

static enum sim_ret free_hot_cold_page(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct free_hot_cold_page_locals *l = SIM_LOCALS(f, struct free_hot_cold_page_locals);
	struct page *page = pfn_to_page(w, f->pfn);
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];

	SIM_BEGIN(f);
	free_pages_prepare(w, page, 0);
	SIM_EV(w, "free_pages_prepare(pfn %u, order 0)", f->pfn);
	local_irq_save(w);
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	set_freepage_migratetype(page, l->migratetype);
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s (IRQs off), cached", f->pfn,
	       migratetype_name(l->migratetype));

	/*
	 * We only track unmovable, reclaimable and movable on pcp lists.
	 * Free ISOLATE pages back to the allocator because they are being
	 * offlined but treat RESERVE as movable pages so we can get those
	 * areas back if necessary.
	 */
	if (l->migratetype >= MIGRATE_PCPTYPES) {
		if (is_migrate_isolate(l->migratetype)) {
			SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = 0,
				 .mt = (int16_t)l->migratetype);
			goto out;
		}
		l->migratetype = MIGRATE_MOVABLE;
	}

	if (!(f->flags & SIM_F_COLD))
		list_add(w, &page->lru, &pcp->lists[l->migratetype]);
	else
		list_add_tail(w, &page->lru, &pcp->lists[l->migratetype]);
	pcp->count++;
	sim_charge(w, SIM_COST_PCP);
	SIM_EV(w, "pcp[%d] %s += pfn %u, count %d", cpu->id, migratetype_name(l->migratetype),
	       f->pfn, pcp->count);
	SIM_RACY_READ(w, cpu, f, l->high, sim_pcp_high(w, pcp));
	if (pcp->count >= l->high) {
		SIM_RACY_READ(w, cpu, f, l->batch, sim_pcp_batch(w, pcp)); /* ACCESS_ONCE */
		SIM_EV(w, "pcp->count %d >= high %d: free batch %d", pcp->count, l->high, l->batch);
		SIM_CALL(w, cpu, f, w->ops->free_pcppages_bulk, .arg = l->batch);
		pcp->count -= l->batch;
	}
out:
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(free_hot_cold_page);

/* ---------------------------------------------------------------------- */
/* Synchronising the CPUs: IPIs                                            */
/* ---------------------------------------------------------------------- */

/* do_nothing() (kernel/smp.c): the function kick_all_cpus_sync() sends. */
static enum sim_ret do_nothing(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	(void)w;
	(void)cpu;
	(void)f;
	return SIM_RETURN;
}
SIM_DEFINE_FN(do_nothing);

/* cpu_online_mask: every CPU of the model is online. */
static uint64_t cpu_online_mask(const struct sim_world *w)
{
	return w->ncpus >= 64 ? ~0ull : (1ull << w->ncpus) - 1;
}

/*
 * kick_all_cpus_sync() (kernel/smp.c, v3.16): smp_mb(), then
 * smp_call_function(do_nothing, NULL, 1): an IPI to every other online CPU,
 * waiting until each has run it. A CPU takes an IPI only with IRQs on, so
 * once this returns every IRQ-off section that was running on another CPU
 * has ended, and every later one sees what was written before the kick.
 * Called with IRQs on and no spinlock held.
 */
static enum sim_ret kick_all_cpus_sync(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_SEND);
	smp_call_function_many(w, cpu_online_mask(w), &do_nothing_fn);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_EV(w, "IPIs completed");
	SIM_END(f);
}
SIM_DEFINE_FN(kick_all_cpus_sync);

/*
 * on_each_cpu(drain_local_pages, NULL, 1) (4/8, kernel/smp.c v3.16): the
 * drain on every online CPU, including those whose pcplists look empty
 * (Joonsoo: "drain_all_pages() send IPI only to CPUs having pages on
 * pcplist, we cannot be sure that all CPUs are synchronized"): IPIs to the
 * others, wait for all, then drain_local_pages() here with IRQs off.
 * The only on_each_cpu() call the model makes.
 */
static enum sim_ret on_each_cpu(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_SEND);
	smp_call_function_many(w, cpu_online_mask(w), w->ops->drain_local_pages);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_EV(w, "IPIs completed");
	local_irq_save(w);
	SIM_CALL(w, cpu, f, w->ops->drain_local_pages);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(on_each_cpu);

/* ---------------------------------------------------------------------- */
/* pcplists disabled during isolation (3/8, 4/8)                           */
/* ---------------------------------------------------------------------- */

/* Model: the for_each_possible_cpu() loops of pageset_update(), one step each. */
static void sim_pageset_set(struct sim_world *w, int *high, int *batch)
{
	for (unsigned int c = 0; c < w->ncpus; c++) {
		if (high)
			sim_pcp_set_high(w, &w->pageset[c], *high);
		if (batch)
			sim_pcp_set_batch(w, &w->pageset[c], *batch);
	}
}

/*
 * pageset_update(zone, high, batch) (3/8): every CPU's pageset of the zone
 * at once: batch = 1 (a fail-safe value), kick all CPUs, high, kick, batch.
 * The kicks replace the smp_wmb()s, which had no read-side barrier: a CPU
 * that saw the new high before the new batch could free more pages than its
 * lists hold. Caller holds pcp_batch_high_lock. Frame: .arg high, .end batch.
 */
static enum sim_ret pageset_update(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	int one = 1, high = f->arg, batch = (int)f->end;

	SIM_BEGIN(f);
	/* start with a fail safe value for batch */
	sim_pageset_set(w, NULL, &one);
	SIM_EV(w, "pcp->batch = 1 on every CPU");
	SIM_CALL(w, cpu, f, &kick_all_cpus_sync_fn);
	/* Update high, then batch, in order */
	sim_pageset_set(w, &high, NULL);
	SIM_EV(w, "pcp->high = %d on every CPU", high);
	SIM_CALL(w, cpu, f, &kick_all_cpus_sync_fn);
	sim_pageset_set(w, NULL, &batch);
	SIM_EV(w, "pcp->batch = %d on every CPU", batch);
	SIM_END(f);
}
SIM_DEFINE_FN(pageset_update);

/*
 * zone_pcp_disable() (4/8): take pcp_batch_high_lock (a mutex: it serialises
 * every isolation and every other high/batch update) and set high = 1,
 * batch = 1 on every CPU: a page added to a pcplist is flushed in the same
 * IRQ-off section.
 */
static enum sim_ret zone_pcp_disable(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_MUTEX_LOCK(w, cpu, f, &w->st->pcp_batch_high_lock);
	SIM_CALL(w, cpu, f, &pageset_update_fn, .arg = 1, .end = 1);
	SIM_END(f);
}
SIM_DEFINE_FN(zone_pcp_disable);

/*
 * zone_pcp_enable() (4/8): pageset_get_values() then pageset_update(), and
 * drop pcp_batch_high_lock. Model: pageset_get_values() gives the scenario's
 * zone.pcp values (what zone_batchsize() gives the kernel, the same every
 * time).
 */
static enum sim_ret zone_pcp_enable(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &pageset_update_fn, .arg = w->sc->pcp_high,
		 .end = (uint32_t)w->sc->pcp_batch);
	mutex_unlock(w, &w->st->pcp_batch_high_lock);
	SIM_END(f);
}
SIM_DEFINE_FN(zone_pcp_enable);

/* ---------------------------------------------------------------------- */
/* Parked pages back to the buddy lists (5/8)                              */
/* ---------------------------------------------------------------------- */

/*
 * The walk of activate_isolated_pages() (5/8): every PageIsolated head in
 * [pfn, end_pfn) is freed through __free_one_page() onto `migratetype`'s
 * lists (merging as any free does), then all of them are counted at once
 * unless that is MIGRATE_ISOLATE. Free chunks are stepped over by their
 * order, anything else page by page. Caller holds zone->lock.
 */
static void __activate_isolated_pages(struct sim_world *w, unsigned long pfn, unsigned long end_pfn,
				      int migratetype)
{
	struct zone *zone = w->zone;
	unsigned long nr_pages = 0;

	lockdep_assert_held(w, &zone->lock);
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		if (PageBuddy(page)) {
			pfn += 1ul << page_order(page);
		} else if (PageIsolated(page)) {
			__ClearPageIsolated(page);
			set_freepage_migratetype(page, migratetype);
			order = page_order(page);
			sim_shadow_hold(w, page, order, -1); /* model: no longer held */
			w->ops->__free_one_page(w, page, pfn, zone, order, migratetype);
			pfn += 1ul << order;
			nr_pages += 1ul << order;
		} else {
			pfn++;
		}
	}
	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, (long)nr_pages, migratetype);
	SIM_EV(w, "%lu parked pages to %s", nr_pages, migratetype_name(migratetype));
}

/*
 * activate_isolated_pages(zone, start_pfn, end_pfn, migratetype) (5/8): the
 * walk above in one hold of zone->lock, IRQs off.
 * Frame: .pfn start, .end end, .mt migratetype.
 */
static enum sim_ret activate_isolated_pages(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	__activate_isolated_pages(w, f->pfn, f->end, f->mt);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(activate_isolated_pages);

/* ---------------------------------------------------------------------- */
/* Isolation of one pageblock (5/8, 6/8; no caller left after 7/8)         */
/* ---------------------------------------------------------------------- */

/*
 * set_migratetype_isolate_pre() (6/8): the suitability checks of v3.16's
 * set_migratetype_isolate(). Model: no isolation notifier (no balloon), so
 * has_unmovable_pages() alone. Caller holds zone->lock. Returns 0 or -EBUSY.
 */
static int set_migratetype_isolate_pre(struct sim_world *w, struct page *page)
{
	lockdep_assert_held(w, &w->zone->lock);
	return has_unmovable_pages(w, w->zone, page, 0) ? -EBUSY : 0;
}

/*
 * set_migratetype_isolate() (4/8 as refactored by 6/8): check and set ISOLATE
 * under zone->lock, unlock; disable the pcplists; drain every CPU; move the
 * block's free pages under zone->lock, subtracting them keyed on the block's
 * old type; enable the pcplists. Frame: .pfn. Returns 0 or -EBUSY.
 */
struct set_migratetype_isolate_locals {
	int migratetype;
};

static enum sim_ret set_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct set_migratetype_isolate_locals *l =
		SIM_LOCALS(f, struct set_migratetype_isolate_locals);
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	int nr_pages;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (set_migratetype_isolate_pre(w, page)) {
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_RETURN_VAL(cpu, -EBUSY);
	}
	l->migratetype = get_pageblock_migratetype(w, page);
	set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
	spin_unlock_irqrestore(w, &zone->lock);

	SIM_CALL(w, cpu, f, &zone_pcp_disable_fn);
	/*
	 * After this point, freed pages will see MIGRATE_ISOLATE as
	 * their pageblock migratetype on all cpus. And pcp list has
	 * no free page.
	 */
	SIM_CALL(w, cpu, f, &on_each_cpu_fn);

	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	nr_pages = w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
	__mod_zone_freepage_state(zone, -nr_pages, l->migratetype);
	SIM_EV(w, "block %lu: NR_FREE_PAGES -= %d", sim_block_of(w, f->pfn), nr_pages);
	spin_unlock_irqrestore(w, &zone->lock);

	SIM_CALL(w, cpu, f, &zone_pcp_enable_fn);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (5/8 as refactored by 6/8): under zone->lock
 * move the block's free pages back, add them, restore the type; unlock;
 * kick every CPU (frees that read ISOLATE have parked their pages by then);
 * unset_migratetype_isolate_post(): activate the block's parked pages onto
 * the restored type's lists, counted. Frame: .pfn, .mt.
 */
static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	unsigned long start_pfn = f->pfn & ~(pageblock_nr_pages(zone) - 1);
	int nr_pages;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (get_pageblock_migratetype(w, page) != MIGRATE_ISOLATE) {
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_RETURN_VAL(cpu, 0);
	}
	nr_pages = w->ops->move_freepages_block(w, zone, page, f->mt);
	__mod_zone_freepage_state(zone, nr_pages, f->mt);
	set_pageblock_migratetype(w, page, f->mt);
	SIM_EV(w, "block %lu ISOLATE -> %s, NR_FREE_PAGES += %d", sim_block_of(w, f->pfn),
	       migratetype_name(f->mt), nr_pages);
	spin_unlock_irqrestore(w, &zone->lock);

	/* Freed pages will see original migratetype after this point */
	SIM_CALL(w, cpu, f, &kick_all_cpus_sync_fn);

	SIM_CALL(w, cpu, f, &activate_isolated_pages_fn, .pfn = (uint32_t)start_pfn,
		 .end = (uint32_t)(start_pfn + pageblock_nr_pages(zone)), .mt = f->mt);
	SIM_END(f);
}
SIM_DEFINE_FN(unset_migratetype_isolate);

/* ---------------------------------------------------------------------- */
/* Isolation of a range at one go (7/8)                                    */
/* ---------------------------------------------------------------------- */

/* The first loop of start_isolate_page_range() (7/8): 0 if every block may be isolated. */
static int sim_isolate_range_pre(struct sim_world *w, unsigned long start_pfn,
				 unsigned long end_pfn)
{
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages(w->zone)) {
		if (set_migratetype_isolate_pre(w, pfn_to_page(w, pfn))) {
			SIM_EV(w, "block %lu has unmovable pages: -EBUSY", sim_block_of(w, pfn));
			return -EBUSY;
		}
	}
	return 0;
}

/*
 * The third loop of start_isolate_page_range() (7/8): move every block's
 * free pages to the ISOLATE lists, subtracting them keyed on the caller's
 * migratetype (not the block's old type). Caller holds zone->lock.
 */
static void sim_isolate_range_move(struct sim_world *w, unsigned long start_pfn,
				   unsigned long end_pfn, int migratetype)
{
	struct zone *zone = w->zone;

	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages(zone)) {
		int nr_pages =
			w->ops->move_freepages_block(w, zone, pfn_to_page(w, pfn), MIGRATE_ISOLATE);

		__mod_zone_freepage_state(zone, -nr_pages, migratetype);
		SIM_EV(w, "block %lu: NR_FREE_PAGES -= %d", sim_block_of(w, pfn), nr_pages);
	}
}

/*
 * start_isolate_page_range() (7/8): the whole range at one go, so no block of
 * it is ever seen isolated while another is not. Under zone->lock, check every
 * block, then set them all MIGRATE_ISOLATE; unlock; zone_pcp_disable();
 * on_each_cpu(drain_local_pages); under zone->lock move each block's free
 * pages; zone_pcp_enable(). Between the unlock and the move, free pages of
 * the range sit on normal lists of isolated blocks and can be allocated
 * (Joonsoo: "Until we move freepages from normal buddy list to isolate buddy
 * list, freepages could be allocated by others"); pages freed there after
 * the drain are parked. Frame: .pfn start, .end end, .mt migratetype.
 * Returns 0 or -EBUSY.
 */
static enum sim_ret start_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct zone *zone = w->zone;
	unsigned long nr = pageblock_nr_pages(zone);

	SIM_BEGIN(f);
	VM_BUG_ON(w, f->pfn & (nr - 1));
	VM_BUG_ON(w, f->end & (nr - 1));
	if (f->pfn >= f->end) /* no valid page: no zone */
		SIM_RETURN_VAL(cpu, 0);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (sim_isolate_range_pre(w, f->pfn, f->end)) {
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_RETURN_VAL(cpu, -EBUSY);
	}
	for (unsigned long pfn = f->pfn; pfn < f->end; pfn += nr)
		set_pageblock_migratetype(w, pfn_to_page(w, pfn), MIGRATE_ISOLATE);
	SIM_EV(w, "blocks %lu-%lu -> ISOLATE", sim_block_of(w, f->pfn),
	       sim_block_of(w, f->end - 1));
	spin_unlock_irqrestore(w, &zone->lock);

	SIM_CALL(w, cpu, f, &zone_pcp_disable_fn);
	/*
	 * After this point, freed page will see MIGRATE_ISOLATE as
	 * their pageblock migratetype on all cpus. And pcp list has
	 * no free page.
	 */
	SIM_CALL(w, cpu, f, &on_each_cpu_fn);

	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	sim_isolate_range_move(w, f->pfn, f->end, f->mt);
	spin_unlock_irqrestore(w, &zone->lock);

	SIM_CALL(w, cpu, f, &zone_pcp_enable_fn);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(start_isolate_page_range);

/*
 * The first loop of undo_isolate_page_range() (7/8): every block still
 * isolated gets its free pages moved back, added keyed on `migratetype`,
 * and its type restored. Caller holds zone->lock.
 */
static void sim_undo_range_move(struct sim_world *w, unsigned long start_pfn, unsigned long end_pfn,
				int migratetype)
{
	struct zone *zone = w->zone;

	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages(zone)) {
		struct page *page = pfn_to_page(w, pfn);
		int nr_pages;

		if (get_pageblock_migratetype(w, page) != MIGRATE_ISOLATE)
			continue;
		nr_pages = w->ops->move_freepages_block(w, zone, page, migratetype);
		__mod_zone_freepage_state(zone, nr_pages, migratetype);
		set_pageblock_migratetype(w, page, migratetype);
		SIM_EV(w, "block %lu ISOLATE -> %s, NR_FREE_PAGES += %d", sim_block_of(w, pfn),
		       migratetype_name(migratetype), nr_pages);
	}
}

/*
 * undo_isolate_page_range() (7/8): under zone->lock move every isolated
 * block back and restore its type; unlock; kick_all_cpus_sync(); then
 * unset_migratetype_isolate_post() on each block: its parked pages onto the
 * restored type's lists, one hold of zone->lock per block.
 * Frame: .pfn start, .end end, .mt migratetype.
 */
struct undo_range_locals {
	unsigned long pfn;
};

static enum sim_ret undo_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct undo_range_locals *l = SIM_LOCALS(f, struct undo_range_locals);
	struct zone *zone = w->zone;
	unsigned long nr = pageblock_nr_pages(zone);

	SIM_BEGIN(f);
	VM_BUG_ON(w, f->pfn & (nr - 1));
	VM_BUG_ON(w, f->end & (nr - 1));
	if (f->pfn >= f->end) /* no valid page: no zone */
		SIM_RETURN_VAL(cpu, 0);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	sim_undo_range_move(w, f->pfn, f->end, f->mt);
	spin_unlock_irqrestore(w, &zone->lock);

	/* Freed pages will see original migratetype after this point */
	SIM_CALL(w, cpu, f, &kick_all_cpus_sync_fn);

	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += nr) {
		/* unset_migratetype_isolate_post() */
		SIM_CALL(w, cpu, f, &activate_isolated_pages_fn, .pfn = (uint32_t)l->pfn,
			 .end = (uint32_t)(l->pfn + nr), .mt = f->mt);
	}
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(undo_isolate_page_range);

/* ---------------------------------------------------------------------- */
/* The test (2/8, 5/8, 8/8)                                                */
/* ---------------------------------------------------------------------- */

/*
 * __test_page_isolated_in_pageblock() (v2; _v2 because the baseline's is
 * extern in mm/page_alloc.h): every page of the range must be
 * free. Without 2/8's refcount-0 acceptance and 8/8's move of mis-listed
 * chunks, the walk only steps over PageBuddy chunks (hwpoison is not
 * modeled). It never checks which list a chunk is on. Caller holds
 * zone->lock. Returns true if the range is isolated.
 */
static bool __test_page_isolated_in_pageblock_v2(struct sim_world *w, unsigned long pfn,
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
 * The locked part of test_pages_isolated() (5/8): find the free chunk the
 * range's first page belongs to, as alloc_contig_range() does (it is taken
 * literally: the first PageBuddy head at ever coarser alignment, which need
 * not cover start_pfn), and walk from there. Model: a candidate below the
 * zone ends the search with -EBUSY. Caller holds zone->lock.
 */
static bool sim_test_range(struct sim_world *w, unsigned long start_pfn, unsigned long end_pfn)
{
	unsigned long outer_start = start_pfn;
	unsigned int order = 0;

	while (!PageBuddy(pfn_to_page(w, outer_start))) {
		if (++order >= MAX_ORDER(w->zone))
			return false;
		outer_start &= ~0ul << order;
		if (!zone_spans_pfn(w->zone, outer_start))
			return false;
	}
	return w->ops->__test_page_isolated_in_pageblock(w, outer_start, end_pfn);
}

/*
 * test_pages_isolated() (5/8): every block must be MIGRATE_ISOLATE (lock-free
 * reads); activate_isolated_pages(MIGRATE_ISOLATE) puts the pages parked in
 * [start_pfn, end_pfn) on the ISOLATE lists, uncounted; then, under
 * zone->lock, the walk. Frame: .pfn start, .end end. Returns 0 or -EBUSY.
 */
struct test_pages_isolated_locals {
	unsigned long pfn;
	int mt;
};

static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	struct test_pages_isolated_locals *l = SIM_LOCALS(f, struct test_pages_isolated_locals);
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
	SIM_CALL(w, cpu, f, &activate_isolated_pages_fn, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_ISOLATE);

	/* Check all pages are free or marked as ISOLATED */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	ret = sim_test_range(w, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, ret ? 0 : -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(test_pages_isolated);

/* ---------------------------------------------------------------------- */
/* alloc_contig_range() (5/8: the test comes first, on [start, end))       */
/* ---------------------------------------------------------------------- */

/* MAX_ORDER_NR_PAGES or a pageblock, whichever is larger (pfn_max_align_down/up). */
static unsigned long sim_max_align(struct zone *zone)
{
	return MAX(1ul << (MAX_ORDER(zone) - 1), pageblock_nr_pages(zone));
}

/*
 * alloc_contig_range() (5/8): as the baseline (sim/mm/contig.c), except that
 * test_pages_isolated(start, end) runs before the search for the free chunk
 * that contains start (the test activates the parked pages, which only then
 * are PageBuddy). Frame: .pfn start, .end end, .mt migratetype.
 * Returns 0 or -EBUSY.
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
	unsigned long align = sim_max_align(zone);
	unsigned int order;

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->start_isolate_page_range,
		 .pfn = (uint32_t)(f->pfn & ~(align - 1)),
		 .end = (uint32_t)((f->end + align - 1) & ~(align - 1)), .mt = f->mt);
	if (cpu->ret)
		SIM_RETURN_VAL(cpu, cpu->ret);
	SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
	l->ret = (int32_t)cpu->ret;
	if (l->ret && l->ret != -EBUSY)
		goto done;
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);

	/* Make sure the range is really isolated. */
	SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = f->pfn, .end = f->end);
	if (cpu->ret) {
		SIM_EV(w, "test_pages_isolated(%u, %u) failed", f->pfn, f->end);
		l->ret = -EBUSY;
		goto done;
	}
	/* the free chunk that contains start (racy reads) */
	l->outer_start = f->pfn;
	for (order = 0; !PageBuddy(pfn_to_page(w, l->outer_start));) {
		if (++order >= MAX_ORDER(zone)) {
			l->ret = -EBUSY;
			goto done;
		}
		l->outer_start &= ~0u << order;
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
		 .pfn = (uint32_t)(f->pfn & ~(align - 1)),
		 .end = (uint32_t)((f->end + align - 1) & ~(align - 1)), .mt = f->mt);
	SIM_EV(w, "alloc_contig_range(%u, %u) = %d", f->pfn, f->end, l->ret);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(alloc_contig_range);

const struct sim_variant sim_variant_joonsoo_v2 = {
	.name = "joonsoo-v2",
	.era = "proposal",
	.kernel = "PATCH v2 0/8, 2014-08-06 (seed 000)",
	.summary = "Joonsoo Kim's v2 (not merged): migratetype read with IRQs off, pcplists "
		   "disabled and drained on every CPU, freed pages of isolated blocks parked "
		   "(PageIsolated), whole range at once",
	.base = NULL,
	.ops = {
		.free_hot_cold_page = &free_hot_cold_page_fn,
		.__free_pages_ok = &__free_pages_ok_fn,
		.free_one_page = &free_one_page_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.set_migratetype_isolate = &set_migratetype_isolate_fn,
		.unset_migratetype_isolate = &unset_migratetype_isolate_fn,
		.start_isolate_page_range = &start_isolate_page_range_fn,
		.undo_isolate_page_range = &undo_isolate_page_range_fn,
		.test_pages_isolated = &test_pages_isolated_fn,
		.alloc_contig_range = &alloc_contig_range_fn,
		.__free_one_page = __free_one_page,
		.__test_page_isolated_in_pageblock = __test_page_isolated_in_pageblock_v2,
	},
};
