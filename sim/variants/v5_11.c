// SPDX-License-Identifier: GPL-2.0
/*
 * v5.11: the page allocator, pageblock isolation, alloc_contig_range() and
 * memory offline as of linux v5.11 (era E3), on top of v4.6
 * (variants/v4_6.c). The history between them that touches the model:
 *
 *   Vlastimil Babka, "[v2,0/7] disable pcplists during memory offline"
 *   (2020-10-08, <20201008114201.18824-1-vbabka@suse.cz>; v3 merged for
 *   v5.11), of which the model needs:
 *     "mm, page_alloc: cache pageset high and batch in struct zone"
 *     7612921f2376 mm, page_alloc: move draining pcplists to page isolation
 *                  users: set_migratetype_isolate() no longer drains;
 *                  alloc_contig_range() drains once after isolating
 *     ec6e8c7e0314 mm, page_alloc: disable pcplists during memory offline:
 *                  zone_pcp_disable() (pcp high 0, batch 1 under
 *                  pcp_batch_high_lock, then __drain_all_pages(zone,
 *                  force_all_cpus = true)) around offline_pages()
 *   968318261221 mm/memory_hotplug: drain per-cpu pages again during memory
 *                offline (Pavel Tatashin, v5.9): a drain in each round of the
 *                offline loop, superseded by ec6e8c7e0314, which removes it
 *   0ccce3b92421 mm, page_alloc: drain per-cpu pages from workqueue context
 *                (v4.11): a work item per CPU, flushed, pcpu_drain_mutex
 *   7ad69832f37e mm/page_alloc: speed up the iteration of max_order (Muchun
 *                Song, v5.11): no buddy check at the top order
 *   "mm/page_isolation: do not isolate the max order page" (Muchun Song,
 *                v5.11, kernel-model.md section 0 item 7): a MAX_ORDER-1
 *                head is moved back by move_freepages_block(), not re-freed
 *   "mm: Add function __putback_isolated_page" (Alexander Duyck, v5.7):
 *                un-isolation re-frees under zone->lock
 *   2c7452a075d4 mm/page_isolation.c: make start_isolate_page_range() fail
 *                if already isolated (Mike Kravetz, v4.17)
 *   free_hot_cold_page() split into free_unref_page_prepare/commit (v4.15;
 *                no cold pages); free_pcppages_bulk() takes pages off the
 *                pcplist before zone->lock (v4.18) and owns pcp->count;
 *                move_to_free_list() moves to the list tail (v5.10); the
 *                allocator's CMA balancing (v5.7) and fallback (v4.13+)
 *
 * Source read: mm/page_alloc.c and mm/memory_hotplug.c of a 5.11.4 tree
 * (amwtkes/linux-5.11.4-back), mm/page_isolation.c derived from a v5.13
 * copy (/work/notes/v4.6-v5.11-code.md, Part B).
 *
 * What changes over v4.6: drains run as per-CPU work items under
 * pcpu_drain_mutex; memory offline disables the pcplists for its whole run,
 * so a free racing with the isolation either is drained or finds high == 0
 * and goes straight to the buddy lists through the isolated-pageblock
 * recheck (race R8 closed for offline); alloc_contig_range() still drains
 * once and can leave a stray page on a pcplist (R8, liveness); a second
 * isolation of a block fails (R13 closed). What does not change: the
 * lock-free migratetype read of the free paths, counting in
 * __free_one_page(), the buddy-side merge rule, move_freepages_block()'s
 * count and the per-block un-isolation that lets an allocation split a
 * max-order chunk between the two blocks' unsets (R12).
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "variants/variant.h"

#define EBUSY 16
#define EINTR 4

/* Free Page Internal flags: for internal, non-pcp variants of free_pages(). */
typedef int fpi_t;
#define FPI_NONE	       0
#define FPI_SKIP_REPORT_NOTIFY (1 << 0) /* no page reporting in the model */
#define FPI_TO_TAIL	       (1 << 1)

/* alloc_flags the model derives from the request (mm/internal.h) */
#define ALLOC_CMA 0x80

/* ---------------------------------------------------------------------- */
/* Free lists and the buddy merge                                          */
/* ---------------------------------------------------------------------- */

static unsigned long __find_buddy_pfn(unsigned long page_pfn, unsigned int order)
{
	return page_pfn ^ (1ul << order);
}

/* Used for pages not on another list */
static void add_to_free_list(struct sim_world *w, struct page *page, struct zone *zone,
			     unsigned int order, int migratetype)
{
	list_add(w, &page->lru, &zone->free_area[order].free_list[migratetype]);
	zone->free_area[order].nr_free++;
}

/* Used for pages not on another list */
static void add_to_free_list_tail(struct sim_world *w, struct page *page, struct zone *zone,
				  unsigned int order, int migratetype)
{
	list_add_tail(w, &page->lru, &zone->free_area[order].free_list[migratetype]);
	zone->free_area[order].nr_free++;
}

/*
 * Used for pages which are on another list. Move the pages to the tail
 * of the list - so the moved pages won't immediately be considered for
 * allocation again (e.g., optimization for memory onlining).
 */
static void move_to_free_list(struct sim_world *w, struct page *page, struct zone *zone,
			      unsigned int order, int migratetype)
{
	list_del(w, &page->lru);
	list_add_tail(w, &page->lru, &zone->free_area[order].free_list[migratetype]);
}

static void del_page_from_free_list(struct sim_world *w, struct page *page, struct zone *zone,
				    unsigned int order)
{
	list_del(w, &page->lru);
	rmv_page_order(page); /* __ClearPageBuddy(page); set_page_private(page, 0) */
	zone->free_area[order].nr_free--;
}

/* clear_page_guard(): the buddy's private is reset, ISOLATE is not counted. */
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
 * buddy_merge_likely(): if this is not the largest possible page, check if
 * the buddy of the next-highest order is free. If it is, it's possible that
 * pages are being freed that will coalesce soon. Model: a buddy outside the
 * zone stands for pfn_valid_within() failing or another zone.
 */
static bool buddy_merge_likely(struct sim_world *w, unsigned long pfn, unsigned long buddy_pfn,
			       unsigned int order)
{
	unsigned long combined_pfn;

	if (order >= MAX_ORDER(w->zone) - 2)
		return false;
	if (!zone_spans_pfn(w->zone, buddy_pfn))
		return false;
	combined_pfn = buddy_pfn & pfn;
	buddy_pfn = __find_buddy_pfn(combined_pfn, order + 1);
	return page_is_buddy(w, buddy_pfn, order + 1);
}

/*
 * __free_one_page() (v5.11): merging runs to pageblock_order; from there on,
 * while any pageblock is isolated, each further merge first compares the
 * page's migratetype with the buddy's pageblock (d9dddbf55667), with
 * max_order raised one order at a time and no check at MAX_ORDER-1
 * (7ad69832f37e). Compaction capture (5.1+) is not modeled: the model has no
 * compaction. Caller holds zone->lock.
 */
static void __free_one_page_fpi(struct sim_world *w, struct page *page, unsigned long pfn,
				struct zone *zone, unsigned int order, int migratetype,
				fpi_t fpi_flags)
{
	unsigned long buddy_pfn = pfn, combined_pfn;
	unsigned int max_order;
	bool to_tail;

	sim_enter(w, "__free_one_page");
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freed(w, page);
	SIM_EV(w, "pfn %lu order %u to %s", pfn, order, migratetype_name(migratetype));
	max_order = MIN(MAX_ORDER(zone) - 1, pageblock_order(zone));

	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, 1l << order, migratetype);

	VM_BUG_ON(w, pfn & ((1ul << order) - 1));

continue_merging:
	while (order < max_order) {
		buddy_pfn = __find_buddy_pfn(pfn, order);
		if (!page_is_buddy(w, buddy_pfn, order)) /* pfn_valid_within() included */
			goto done_merging;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		/*
		 * Our buddy is free or it is CONFIG_DEBUG_PAGEALLOC guard page,
		 * merge with it and move up one order.
		 */
		if (page_is_guard(pfn_to_page(w, buddy_pfn)))
			clear_page_guard(w, zone, pfn_to_page(w, buddy_pfn), order, migratetype);
		else
			del_page_from_free_list(w, pfn_to_page(w, buddy_pfn), zone, order);
		combined_pfn = buddy_pfn & pfn;
		page = pfn_to_page(w, combined_pfn);
		pfn = combined_pfn;
		order++;
	}
	if (order < MAX_ORDER(zone) - 1) {
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

			buddy_pfn = __find_buddy_pfn(pfn, order);
			/* the kernel reads the bitmap there even outside the zone (v4.6 note) */
			if (!zone_spans_pfn(zone, buddy_pfn))
				goto done_merging;
			buddy_mt = get_pageblock_migratetype(w, pfn_to_page(w, buddy_pfn));
			if (migratetype != buddy_mt &&
			    (is_migrate_isolate(migratetype) || is_migrate_isolate(buddy_mt))) {
				SIM_EV(w, "order %u: buddy block %lu is %s, stop", order,
				       sim_block_of(w, buddy_pfn), migratetype_name(buddy_mt));
				goto done_merging;
			}
		}
		max_order = order + 1;
		goto continue_merging;
	}

done_merging:
	set_page_order(page, order); /* set_buddy_order() */
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else /* is_shuffle_order(): page_alloc.shuffle is off */
		to_tail = buddy_merge_likely(w, pfn, buddy_pfn, order);
	if (to_tail)
		add_to_free_list_tail(w, page, zone, order, migratetype);
	else
		add_to_free_list(w, page, zone, order, migratetype);
	sim_charge(w, SIM_COST_BUDDY);
	SIM_EV(w, "-> order %u on %s (pfn %lu)%s", order, migratetype_name(migratetype), pfn,
	       to_tail ? ", tail" : "");
	/* page_reporting_notify_free(): no free page reporting in the model */
	sim_leave(w);
}

/* __free_one_page(..., FPI_NONE): what free_one_page() and the pcp flush pass. */
static void __free_one_page(struct sim_world *w, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype)
{
	__free_one_page_fpi(w, page, pfn, zone, order, migratetype, FPI_NONE);
}

/*
 * __putback_isolated_page() (v5.7): return a page pulled from the free lists
 * by __isolate_free_page() back to the free lists, to their tail. Caller
 * holds zone->lock.
 */
static void __putback_isolated_page(struct sim_world *w, struct page *page, unsigned int order,
				    int mt)
{
	struct zone *zone = w->zone;

	/* zone lock should be held when this function is called */
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freeing(w, page, order); /* model: the pages come back from the caller */
	/* Return isolated page to tail of freelist. */
	__free_one_page_fpi(w, page, page_to_pfn(w, page), zone, order, mt,
			    FPI_SKIP_REPORT_NOTIFY | FPI_TO_TAIL);
}

/* ---------------------------------------------------------------------- */
/* The pcplists: freeing, flushing, draining, disabling                    */
/* ---------------------------------------------------------------------- */

/* Another CPU's pcp->count, read without its IRQs off (__drain_all_pages). */
static int sim_pcp_count(struct sim_world *w, int cpu)
{
	w->info.acc.pcp_rd |= 1ull << cpu;
	return w->pageset[cpu].count;
}

/* The pcplists in the kernel's migratetype numbering since v4.4 (see variants/v4_6.c). */
static const int pcp_migratetype_v4_4[MIGRATE_PCPTYPES] = {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
};

/*
 * free_pcppages_bulk() (v5.11): count = min(pcp->count, count) pages are
 * taken off the pcplists round robin with IRQs off but without zone->lock,
 * decrementing pcp->count as they go (the callee owns the count since v4.18),
 * onto a local list; then, under zone->lock, has_isolate_pageblock() is
 * sampled once and each page goes to the buddy lists with its cached type, or
 * its pageblock's type while any block is isolated. Called with IRQs off.
 * Model: the local list `head` is this CPU's held list (mm/mmzone.h), so the
 * pages stay visible to the conservation check while the CPU waits for the
 * lock. Frame: .arg count.
 */
struct free_pcppages_bulk_locals {
	int isolated_pageblocks;
};

static enum sim_ret free_pcppages_bulk(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct free_pcppages_bulk_locals *l = SIM_LOCALS(f, struct free_pcppages_bulk_locals);
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];
	struct list_head *head = &w->held[cpu->id];
	int migratetype = 0, batch_free = 0, count = f->arg;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	/*
	 * Ensure proper count is passed which otherwise would stuck in the
	 * below while (list_empty(list)) loop.
	 */
	count = MIN(pcp->count, count);
	while (count) {
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
			batch_free = count;

		do {
			struct page *page = container_of(list_last(w, list), struct page, lru);

			/* must delete to avoid corrupting pcp list */
			list_del(w, &page->lru);
			pcp->count--;
			/* bulkfree_pcp_prepare(): the page checks pass in the model */
			list_add_tail(w, &page->lru, head);
		} while (--count && --batch_free && !list_empty(w, list));
	}

	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	l->isolated_pageblocks = has_isolate_pageblock(zone);

	/*
	 * Use safe version since after __free_one_page(),
	 * page->lru.next will not point to original list.
	 */
	while (!list_empty(w, head)) {
		struct page *page = container_of(list_first(w, head), struct page, lru);
		int mt = get_pcppage_migratetype(page);

		list_del(w, &page->lru);
		/* MIGRATE_ISOLATE page should not go to pcplists */
		VM_BUG_ON(w, is_migrate_isolate(mt));
		/* Pageblock could have been isolated meanwhile */
		if (l->isolated_pageblocks)
			mt = get_pageblock_migratetype(w, page);

		w->ops->__free_one_page(w, page, page_to_pfn(w, page), zone, 0, mt);
		SIM_TRACEPOINT(w, mm_page_pcpu_drain, "page=%p pfn=%lu order=%d migratetype=%d",
			       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), 0, mt);
	}
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_pcppages_bulk);

/*
 * free_unref_page() (v4.15; v5.11 form): free_unref_page_prepare() reads the
 * pageblock migratetype and caches it with IRQs on and no lock (the window
 * of R8); free_unref_page_commit(), IRQs off, puts the page on this CPU's
 * pcplist by the cached type, or hands an ISOLATE page to free_one_page().
 * The flush test runs after the add, against READ_ONCE(pcp->high): with the
 * pcplists disabled (high 0) every free flushes at once, through the
 * isolated-pageblock recheck. No cold pages since v4.15 (SIM_F_COLD is
 * ignored). Frame: .pfn page.
 */
struct free_unref_page_locals {
	int migratetype;
	int high;
};

static enum sim_ret free_unref_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct free_unref_page_locals *l = SIM_LOCALS(f, struct free_unref_page_locals);
	struct page *page = pfn_to_page(w, f->pfn);
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];

	SIM_BEGIN(f);
	/* free_unref_page_prepare() */
	free_pages_prepare(w, page, 0); /* free_pcp_prepare() */
	SIM_EV(w, "free_pcp_prepare(pfn %u)", f->pfn);
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	sim_access_page_wr(w); /* page->index, without zone->lock */
	set_pcppage_migratetype(page, l->migratetype);
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, cached", f->pfn,
	       migratetype_name(l->migratetype));
	/* Preemptible, IRQs on: the window between prepare and commit. */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	local_irq_save(w);

	/* free_unref_page_commit() */
	l->migratetype = get_pcppage_migratetype(page);
	/*
	 * We only track unmovable, reclaimable and movable on pcp lists.
	 * Free ISOLATE pages back to the allocator because they are being
	 * offlined but treat HIGHATOMIC as movable pages so we can get those
	 * areas back if necessary. Otherwise, we may have to free
	 * excessively into the page allocator
	 */
	if (l->migratetype >= MIGRATE_PCPTYPES) {
		if (is_migrate_isolate(l->migratetype)) {
			SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = 0,
				 .mt = (int16_t)l->migratetype);
			goto out;
		}
		l->migratetype = MIGRATE_MOVABLE;
	}

	list_add(w, &page->lru, &pcp->lists[l->migratetype]);
	pcp->count++;
	sim_charge(w, SIM_COST_PCP);
	SIM_EV(w, "pcp[%d] %s += pfn %u, count %d", cpu->id, migratetype_name(l->migratetype),
	       f->pfn, pcp->count);
	/*
	 * READ_ONCE(pcp->high), READ_ONCE(pcp->batch): with IRQs off, but
	 * zone_pcp_disable()/enable() on another CPU may be writing them.
	 */
	SIM_RACY_READ(w, cpu, f, l->high, sim_pcp_high(w, pcp));
	if (pcp->count >= l->high)
		SIM_CALL(w, cpu, f, w->ops->free_pcppages_bulk, .arg = sim_pcp_batch(w, pcp));
out:
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(free_unref_page);

/*
 * drain_local_pages() -> drain_pages_zone(this cpu, zone) (v5.11): flush
 * this CPU's pcplist, IRQs off; free_pcppages_bulk() brings pcp->count down.
 */
static enum sim_ret drain_local_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];

	SIM_BEGIN(f);
	local_irq_save(w);
	if (pcp->count) {
		SIM_EV(w, "drain_pages_zone(cpu %d): %d pages", cpu->id, pcp->count);
		SIM_CALL(w, cpu, f, w->ops->free_pcppages_bulk, .arg = pcp->count);
	}
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(drain_local_pages);

/*
 * drain_local_pages_wq() (v4.11+): the work item of __drain_all_pages(), run
 * on its CPU by a kworker with preemption disabled. Model: delivered like an
 * IPI (engine/exec.c, sim_queue_work_on_mask), which is as non-preemptible.
 */
static enum sim_ret drain_local_pages_wq(struct sim_world *w, struct sim_cpu *cpu,
					 struct sim_frame *f)
{
	SIM_BEGIN(f);
	/* preempt_disable(); */
	SIM_CALL(w, cpu, f, w->ops->drain_local_pages);
	/* preempt_enable(); */
	SIM_END(f);
}
SIM_DEFINE_FN(drain_local_pages_wq);

/* cpumask_set_cpu()/cpumask_clear_cpu() on __drain_all_pages()'s static mask. */
static void cpumask_set_cpu(struct sim_world *w, int cpu, uint64_t *mask)
{
	sim_access_wr(w, SIM_OBJ_CPUMASK);
	*mask |= 1ull << cpu;
}

static void cpumask_clear_cpu(struct sim_world *w, int cpu, uint64_t *mask)
{
	sim_access_wr(w, SIM_OBJ_CPUMASK);
	*mask &= ~(1ull << cpu);
}

/*
 * __drain_all_pages(zone, force_all_cpus) (v5.11): under pcpu_drain_mutex
 * (a zone caller, as CMA and memory hotplug are, waits for a drain in
 * progress), the CPUs to drain are every online CPU if force_all_cpus, else
 * those whose pcp->count reads non-zero (racy: a free that has not yet
 * raised the count from 0 is missed, R8); a work item is queued on each and
 * each is flushed. Frame: .arg force_all_cpus.
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
			/*
			 * The pcp.count check is racy, some callers need a
			 * guarantee that no cpu is missed.
			 */
			l->has_pcps = 1;
		} else {
			SIM_RACY_READ(w, cpu, f, l->has_pcps, sim_pcp_count(w, l->cpu) != 0);
			SIM_EV(w, "cpu %d pcp->count %d", l->cpu, w->pageset[l->cpu].count);
		}
		if (l->has_pcps)
			cpumask_set_cpu(w, l->cpu, &w->st->cpus_with_pcps);
		else
			cpumask_clear_cpu(w, l->cpu, &w->st->cpus_with_pcps);
	}
	/* for_each_cpu(cpu, &cpus_with_pcps): queue_work_on(cpu, mm_percpu_wq, ...) */
	sim_queue_work_on_mask(w, w->st->cpus_with_pcps, &drain_local_pages_wq_fn);
	/* for_each_cpu(cpu, &cpus_with_pcps): flush_work(...) */
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_EV(w, "drain work items completed");
	mutex_unlock(w, &w->st->pcpu_drain_mutex);
	SIM_END(f);
}
SIM_DEFINE_FN(__drain_all_pages);

/* drain_all_pages(zone) (v5.11): __drain_all_pages(zone, false). */
static enum sim_ret drain_all_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &__drain_all_pages_fn, .arg = 0);
	SIM_END(f);
}
SIM_DEFINE_FN(drain_all_pages);

/*
 * __zone_set_pageset_high_and_batch() -> pageset_update() on every possible
 * CPU: WRITE_ONCE(pcp->batch), WRITE_ONCE(pcp->high). Their readers run on
 * the other CPUs with IRQs off and no lock. Caller holds pcp_batch_high_lock.
 * Footprint: SIM_OBJ_PCP_HIGH, and (a superset kept from before the
 * accessors) every CPU's pcp as written.
 */
static void __zone_set_pageset_high_and_batch(struct sim_world *w, int high, int batch)
{
	for (unsigned int cpu = 0; cpu < w->ncpus; cpu++) {
		sim_pcp_set_batch(w, &w->pageset[cpu], batch);
		sim_pcp_set_high(w, &w->pageset[cpu], high);
		w->info.acc.pcp_wr |= 1ull << cpu;
	}
	SIM_EV(w, "every pcp: high %d, batch %d", high, batch);
}

/*
 * zone_pcp_disable() (ec6e8c7e0314): effectively disable pcplists for the
 * zone by setting the high limit to 0 and draining all cpus. A concurrent
 * page freeing on another CPU that's about to put the page on pcplist will
 * either finish before the drain and the page will be drained, or observe
 * the new high limit and skip the pcplist. Must be paired with a call to
 * zone_pcp_enable(); pcp_batch_high_lock stays held until then.
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

/* zone_pcp_enable() (ec6e8c7e0314): the zone's cached high and batch back, then unlock. */
static void zone_pcp_enable(struct sim_world *w, struct zone *zone)
{
	__zone_set_pageset_high_and_batch(w, zone->pageset_high, zone->pageset_batch);
	mutex_unlock(w, &w->st->pcp_batch_high_lock);
}

/* ---------------------------------------------------------------------- */
/* Allocation                                                              */
/* ---------------------------------------------------------------------- */

/*
 * This array describes the order lists are fallen back to when the free
 * lists for the desirable migrate type are depleted (v5.11).
 */
static const int fallbacks[MIGRATE_TYPES][3] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE, MIGRATE_TYPES },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_TYPES },
	[MIGRATE_RESERVE] = { MIGRATE_TYPES }, /* MIGRATE_HIGHATOMIC: never used */
	[MIGRATE_CMA] = { MIGRATE_TYPES },     /* Never used */
	[MIGRATE_ISOLATE] = { MIGRATE_TYPES }, /* Never used */
};

/* PageLRU(page) || __PageMovable(page), in the model's terms (as migrate_range() has it). */
static bool sim_page_movable(const struct page *page)
{
	return page_count(page) && !PageReserved(page) &&
	       (page->alloc_mt == MIGRATE_MOVABLE || is_migrate_cma(page->alloc_mt));
}

/*
 * move_freepages() (v5.11): move the free pages in a range to the freelist
 * tail of the requested type (v5.10), and count the movable pages it passes.
 * Returns every free page it walks (R5). Caller holds zone->lock.
 */
static int move_freepages_movable(struct sim_world *w, struct zone *zone, unsigned long start_pfn,
				  unsigned long end_pfn, int migratetype, int *num_movable)
{
	unsigned long pfn;
	int pages_moved = 0;

	sim_enter(w, "move_freepages");
	lockdep_assert_held(w, &zone->lock);
	if (num_movable)
		sim_access_pages_all(w, false); /* refcounts and LRU, set without zone->lock */
	for (pfn = start_pfn; pfn <= end_pfn;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			/*
			 * We assume that pages that could be isolated for
			 * migration are movable. But we don't actually try
			 * isolating, as that would be expensive.
			 */
			if (num_movable && sim_page_movable(page))
				(*num_movable)++;
			pfn++;
			continue;
		}
		order = page_order(page);
		move_to_free_list(w, page, zone, order, migratetype);
		sim_charge(w, SIM_COST_BUDDY);
		pfn += 1ul << order;
		pages_moved += 1 << order;
	}
	SIM_EV(w, "move_freepages(%lu-%lu, %s) = %d", start_pfn, end_pfn,
	       migratetype_name(migratetype), pages_moved);
	sim_leave(w);
	return pages_moved;
}

static int move_freepages(struct sim_world *w, struct zone *zone, unsigned long start_pfn,
			  unsigned long end_pfn, int migratetype)
{
	return move_freepages_movable(w, zone, start_pfn, end_pfn, migratetype, NULL);
}

/* move_freepages_block(zone, page, migratetype, &num_movable) (v5.11). */
static int move_freepages_block_movable(struct sim_world *w, struct zone *zone, struct page *page,
					int migratetype, int *num_movable)
{
	unsigned long start_pfn, end_pfn;

	if (num_movable)
		*num_movable = 0;
	start_pfn = page_to_pfn(w, page) & ~(pageblock_nr_pages(zone) - 1);
	end_pfn = start_pfn + pageblock_nr_pages(zone) - 1;

	/* Do not cross zone boundaries */
	if (!zone_spans_pfn(zone, start_pfn))
		start_pfn = page_to_pfn(w, page);
	if (!zone_spans_pfn(zone, end_pfn))
		return 0;
	return move_freepages_movable(w, zone, start_pfn, end_pfn, migratetype, num_movable);
}

static void change_pageblock_range(struct sim_world *w, struct page *pageblock_page,
				   int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - (int)pageblock_order(w->zone));

	while (nr_pageblocks--) {
		set_pageblock_migratetype(w, pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages(w->zone);
	}
}

/* can_steal_fallback() (v5.11); page_group_by_mobility_disabled is false. */
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
 * steal_suitable_fallback() (v5.11): take a whole pageblock range for
 * orders >= pageblock_order; otherwise, if allowed, move the block's free
 * pages and claim it when free plus compatible pages are at least half of
 * it; the chunk itself always moves to the requested type's list. No
 * watermark boosting (no watermarks in the model). Caller holds zone->lock.
 */
static void steal_suitable_fallback(struct sim_world *w, struct zone *zone, struct page *page,
				    int start_type, bool whole_block)
{
	unsigned int current_order = page_order(page);
	int free_pages, movable_pages, alike_pages;
	int old_block_type = get_pageblock_migratetype(w, page);

	/* This can happen due to races and we want to prevent broken highatomic accounting. */
	if (old_block_type == MIGRATE_RESERVE) /* is_migrate_highatomic() */
		goto single_page;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= pageblock_order(zone)) {
		change_pageblock_range(w, page, (int)current_order, start_type);
		goto single_page;
	}

	/* We are not allowed to try stealing from the whole block */
	if (!whole_block)
		goto single_page;

	free_pages = move_freepages_block_movable(w, zone, page, start_type, &movable_pages);
	/*
	 * Determine how many pages are compatible with our allocation.
	 * For movable allocation, it's the number of movable pages which
	 * we just obtained. For other types it's a bit more tricky.
	 */
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (old_block_type == MIGRATE_MOVABLE)
		alike_pages = (int)pageblock_nr_pages(zone) - (free_pages + movable_pages);
	else
		alike_pages = 0;

	/* moving whole block can fail due to zone boundary conditions */
	if (!free_pages)
		goto single_page;

	/*
	 * If a sufficient number of pages in the block are either free or of
	 * comparable migratability as our allocation, claim the whole block.
	 */
	if (free_pages + alike_pages >= (1 << (pageblock_order(zone) - 1)))
		set_pageblock_migratetype(w, page, start_type);
	return;

single_page:
	move_to_free_list(w, page, zone, current_order, start_type);
}

/* find_suitable_fallback() (v5.11), only_stealable false. Caller holds zone->lock. */
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
		if (list_empty(w, &area->free_list[fallback_mt])) /* free_area_empty() */
			continue;
		if (can_steal_fallback(zone, order, migratetype))
			*can_steal = true;
		return fallback_mt;
	}
	return -1;
}

/*
 * __rmqueue_fallback() (v5.11): find the largest free chunk of a fallback
 * type (the smallest, for a movable request that cannot steal the block),
 * steal it, and let __rmqueue_smallest() take it from the requested type's
 * list. No ALLOC_NOFRAGMENT: one zone, no ZONE_DMA32 to spread to. Returns
 * true if a fallback chunk was moved. Caller holds zone->lock.
 */
static bool __rmqueue_fallback(struct sim_world *w, struct zone *zone, int order,
			       int start_migratetype)
{
	struct free_area *area = NULL;
	int current_order, fallback_mt = -1;
	struct page *page;
	bool can_steal = false;

	/*
	 * Find the largest available free page in the other list. This roughly
	 * approximates finding the pageblock with the most free pages, which
	 * would be too costly to do exactly.
	 */
	for (current_order = (int)MAX_ORDER(zone) - 1; current_order >= order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(w, zone, area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt == -1)
			continue;
		/*
		 * We cannot steal all free pages from the pageblock and the
		 * requested migratetype is movable. In that case it's better to
		 * steal and split the smallest available page instead of the
		 * largest available page, because even if the next movable
		 * allocation falls back into a different pageblock than this
		 * one, it won't cause permanent fragmentation.
		 */
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	for (current_order = order; current_order < (int)MAX_ORDER(zone); current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(w, zone, area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	/* This should not happen - we already found a suitable fallback when looking for the largest page. */
	VM_BUG_ON(w, current_order == (int)MAX_ORDER(zone));
	if (current_order == (int)MAX_ORDER(zone))
		return false;

do_steal:
	page = container_of(list_first(w, &area->free_list[fallback_mt]), struct page, lru);
	steal_suitable_fallback(w, zone, page, start_migratetype, can_steal);
	SIM_TRACEPOINT(w, mm_page_alloc_extfrag,
		       "page=%p pfn=%lu alloc_order=%d fallback_order=%d "
		       "pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d "
		       "fragmenting=%d change_ownership=%d",
		       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), order,
		       current_order, (int)pageblock_order(zone), start_migratetype, fallback_mt,
		       current_order < (int)pageblock_order(zone),
		       get_pageblock_migratetype(w, page) == start_migratetype);
	SIM_EV(w, "fallback: pfn %lu order %d from %s", page_to_pfn(w, page), current_order,
	       migratetype_name(fallback_mt));
	return true;
}

/*
 * __rmqueue() (v5.11): a MOVABLE request has ALLOC_CMA (current_alloc_flags():
 * no PF_MEMALLOC_NOCMA task in the model) and takes from CMA first when over
 * half of the zone's free pages are CMA ("mm,page_alloc,cma: conditionally
 * prefer cma pageblocks for movable allocations", v5.7), else after its own
 * lists; then the fallback, retried through __rmqueue_smallest(). Call me
 * with the zone->lock already held.
 */
static struct page *__rmqueue(struct sim_world *w, struct zone *zone, unsigned int order,
			      int migratetype)
{
	unsigned int alloc_flags = migratetype == MIGRATE_MOVABLE ? ALLOC_CMA : 0;
	struct page *page;

	sim_enter(w, "__rmqueue");
	lockdep_assert_held(w, &zone->lock);
	/*
	 * Balance movable allocations between regular and CMA areas by
	 * allocating from CMA when over half of the zone's free memory
	 * is in the CMA area.
	 */
	if ((alloc_flags & ALLOC_CMA) &&
	    zone_page_state(zone, NR_FREE_CMA_PAGES) > zone_page_state(zone, NR_FREE_PAGES) / 2) {
		page = __rmqueue_smallest(w, zone, order, MIGRATE_CMA); /* cma_fallback */
		if (page)
			goto out;
	}
retry:
	page = __rmqueue_smallest(w, zone, order, migratetype);
	if (!page) {
		if (alloc_flags & ALLOC_CMA)
			page = __rmqueue_smallest(w, zone, order, MIGRATE_CMA);
		if (!page && __rmqueue_fallback(w, zone, (int)order, migratetype))
			goto retry;
	}
out:
	if (page)
		SIM_TRACEPOINT(w, mm_page_alloc_zone_locked,
			       "page=%p pfn=%lu order=%u migratetype=%d percpu_refill=%d",
			       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), order,
			       migratetype, order == 0);
	sim_leave(w);
	return page;
}

/*
 * rmqueue_bulk() (v5.11): up to `count` pages onto this CPU's pcplist, each
 * at the list tail, under one hold of zone->lock. Called with IRQs off.
 * Returns the pages added. Frame: .order, .arg count, .mt migratetype.
 */
static enum sim_ret rmqueue_bulk(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct list_head *list = &w->pageset[cpu->id].lists[f->mt];
	int i, alloced = 0;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	for (i = 0; i < f->arg; ++i) {
		struct page *page = w->ops->__rmqueue(w, zone, (unsigned int)f->order, f->mt);

		if (!page)
			break;
		/* check_pcp_refill(): the page checks pass in the model */
		list_add_tail(w, &page->lru, list);
		alloced++;
		if (is_migrate_cma(get_pcppage_migratetype(page)))
			__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, -(1l << f->order));
	}
	/*
	 * i pages were removed from the buddy list even if some leak due
	 * to check_pcp_refill failing so adjust NR_FREE_PAGES based
	 * on i. Do not confuse with 'alloced' which is the number of
	 * pages added to the pcp list.
	 */
	__mod_zone_page_state(zone, NR_FREE_PAGES, -((long)i << f->order));
	spin_unlock(w, &zone->lock);
	SIM_RETURN_VAL(cpu, alloced);
	SIM_END(f);
}
SIM_DEFINE_FN(rmqueue_bulk);

/*
 * rmqueue() (v5.11): order 0 through rmqueue_pcplist() (every order-0
 * request of the model may use the pcplist: MOVABLE ones have ALLOC_CMA), the
 * refill reading READ_ONCE(pcp->batch), which zone_pcp_disable() sets to 1;
 * higher orders from the buddy lists under zone->lock, the counters updated
 * after spin_unlock with IRQs still off (acct_pending, as v3.16). No
 * ALLOC_HARDER/HIGHATOMIC, no cold pages. Returns the pfn, or -1.
 * Frame: .order, .mt.
 */
struct rmqueue_locals {
	long pfn;
	int batch;
};

static enum sim_ret rmqueue(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct rmqueue_locals *l = SIM_LOCALS(f, struct rmqueue_locals);
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];
	struct list_head *list = &pcp->lists[f->mt < MIGRATE_PCPTYPES ? f->mt : 0];
	struct page *page;

	SIM_BEGIN(f);
	if (f->order == 0) {
		/* rmqueue_pcplist() -> __rmqueue_pcplist() */
		local_irq_save(w);
		if (list_empty(w, list)) {
			SIM_RACY_READ(w, cpu, f, l->batch, sim_pcp_batch(w, pcp));
			SIM_CALL(w, cpu, f, w->ops->rmqueue_bulk, .order = 0, .arg = l->batch,
				 .mt = f->mt);
			pcp->count += (int)cpu->ret;
			if (list_empty(w, list))
				goto failed;
		}
		page = container_of(list_first(w, list), struct page, lru);
		list_del(w, &page->lru);
		pcp->count--;
		sim_shadow_alloc(w, 0, 1); /* model: off the lists, the caller's now */
		sim_charge(w, SIM_COST_PCP);
		l->pfn = (long)page_to_pfn(w, page);
	} else {
		SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
		page = w->ops->__rmqueue(w, zone, (unsigned int)f->order, f->mt);
		spin_unlock(w, &zone->lock);
		if (!page)
			goto failed;
		sim_shadow_alloc(w, (unsigned int)f->order, 1); /* model: the caller's now */
		l->pfn = (long)page_to_pfn(w, page);
		/* zone->lock is dropped; the counter update below is still to come. */
		cpu->acct_pending = 1;
		w->st->acct_pending++;
		sim_access_wr(w, SIM_OBJ_INV);
		SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
		page = pfn_to_page(w, (unsigned long)l->pfn);
		__mod_zone_freepage_state(zone, -(1l << f->order), get_pcppage_migratetype(page));
		cpu->acct_pending = 0;
		w->st->acct_pending--;
		sim_access_wr(w, SIM_OBJ_INV);
	}
	local_irq_restore(w);
	page = pfn_to_page(w, (unsigned long)l->pfn);
	prep_new_page(w, page, (unsigned int)f->order, f->mt);
	SIM_EV(w, "allocated pfn %ld order %d", l->pfn, f->order);
	SIM_RETURN_VAL(cpu, l->pfn);
failed:
	local_irq_restore(w);
	SIM_EV(w, "allocation failed");
	SIM_RETURN_VAL(cpu, -1);
	SIM_END(f);
}
SIM_DEFINE_FN(rmqueue);

/* ---------------------------------------------------------------------- */
/* Pageblock isolation                                                     */
/* ---------------------------------------------------------------------- */

/*
 * has_unmovable_pages() (v5.11; v3.16's keeps the name in mm/page_alloc.h): no shortcut for MOVABLE blocks any more; a
 * CMA block counts as movable only for a CMA isolation; every page of the
 * block must be free (refcount 0) or movable; a reserved page (offline, in
 * the model) is not. Returns the first unmovable page or NULL. Caller holds
 * zone->lock. No ZONE_MOVABLE, hugetlb, HWPoison or PageOffline in the model.
 */
static struct page *has_unmovable_pages_v5_11(struct sim_world *w, struct page *page,
					      int migratetype)
{
	unsigned long pfn = page_to_pfn(w, page);
	unsigned long offset = pfn % pageblock_nr_pages(w->zone);

	sim_access_pages_all(w, false); /* refcounts and LRU, set without zone->lock */
	if (is_migrate_cma(get_pageblock_migratetype(w, page))) {
		/*
		 * CMA allocations (alloc_contig_range) really need to mark
		 * isolate CMA pageblocks even when they are not movable in fact
		 * so consider them movable here.
		 */
		if (is_migrate_cma(migratetype))
			return NULL;
		return page;
	}
	for (unsigned long iter = 0; iter < pageblock_nr_pages(w->zone) - offset; iter++) {
		page = pfn_to_page(w, pfn + iter);
		if (PageReserved(page))
			return page;
		if (!page_count(page)) {
			if (PageBuddy(page))
				iter += (1ul << page_order(page)) - 1;
			continue;
		}
		if (sim_page_movable(page))
			continue;
		return page;
	}
	return NULL;
}

/*
 * set_migratetype_isolate() (v5.11): -EBUSY if the block is isolated already
 * (2c7452a075d4, v4.17: someone else raced and set it before us); otherwise
 * as v3.18, with no drain (7612921f2376: the callers drain, or disable the
 * pcplists). Frame: .pfn, .mt migratetype (for has_unmovable_pages()).
 * Returns 0 or -EBUSY.
 */
static enum sim_ret set_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn), *unmovable;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);

	/*
	 * We assume the caller intended to SET migrate type to isolate.
	 * If it is already set, then someone else must have raced and
	 * set it before us.
	 */
	if (is_migrate_isolate_page(w, page)) {
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_EV(w, "block %lu is isolated already: -EBUSY", sim_block_of(w, f->pfn));
		SIM_RETURN_VAL(cpu, -EBUSY);
	}

	unmovable = has_unmovable_pages_v5_11(w, page, f->mt);
	if (!unmovable) {
		int mt = get_pageblock_migratetype(w, page);
		int nr_pages;

		set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
		zone->nr_isolate_pageblock++;
		nr_pages = w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
		__mod_zone_freepage_state(zone, -nr_pages, mt);
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_EV(w, "block %lu %s -> ISOLATE, NR_FREE_PAGES -= %d", sim_block_of(w, f->pfn),
		       migratetype_name(mt), nr_pages);
		SIM_RETURN_VAL(cpu, 0);
	}
	spin_unlock_irqrestore(w, &zone->lock);
	/* REPORT_FAILURE: dump_page(unmovable, "unmovable page") */
	SIM_EV(w, "block %lu: unmovable page pfn %lu: -EBUSY", sim_block_of(w, f->pfn),
	       page_to_pfn(w, unmovable));
	SIM_RETURN_VAL(cpu, -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (v5.11): a free chunk of at least a pageblock
 * but below MAX_ORDER-1 that heads the block, with a non-isolated buddy, is
 * taken off and put back under zone->lock after the type is set, so it can
 * merge (3c605096d315 with __putback_isolated_page(), v5.7); a MAX_ORDER-1
 * head has no buddy to merge with and takes the move_freepages_block() path
 * ("do not isolate the max order page"). Frame: .pfn, .mt.
 */
static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	bool isolated_page = false;
	unsigned int order = 0;
	int nr_pages;

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
		if (order >= pageblock_order(zone) && order < MAX_ORDER(zone) - 1) {
			unsigned long buddy_pfn = __find_buddy_pfn(f->pfn, order);

			if (zone_spans_pfn(zone, buddy_pfn) && /* pfn_valid_within() */
			    !is_migrate_isolate_page(w, pfn_to_page(w, buddy_pfn))) {
				__isolate_free_page(w, page, order);
				isolated_page = true;
			}
		}
	}

	/*
	 * If we isolate freepage with more than pageblock_order, there
	 * should be no freepage in the range, so we could avoid costly
	 * pageblock scanning for freepage moving.
	 *
	 * We didn't actually touch any of the isolated pages, so place them
	 * to the tail of the freelist. This is an optimization for memory
	 * onlining - just onlined memory won't immediately be considered for
	 * allocation.
	 */
	if (!isolated_page) {
		nr_pages = w->ops->move_freepages_block(w, zone, page, f->mt);
		__mod_zone_freepage_state(zone, nr_pages, f->mt);
		SIM_EV(w, "NR_FREE_PAGES += %d", nr_pages);
	}
	set_pageblock_migratetype(w, page, f->mt);
	if (isolated_page)
		__putback_isolated_page(w, page, order, f->mt);
	zone->nr_isolate_pageblock--;
	SIM_EV(w, "block %lu ISOLATE -> %s%s", sim_block_of(w, f->pfn), migratetype_name(f->mt),
	       isolated_page ? ", chunk put back" : "");
out:
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(unset_migratetype_isolate);

/*
 * start_isolate_page_range() (v5.11): as v3.16, passing the migratetype
 * (and MEMORY_OFFLINE/REPORT_FAILURE, which only matter for HWPoison and
 * PageOffline pages, not modeled) to set_migratetype_isolate(). There is no
 * high level synchronization mechanism that prevents two threads from trying
 * to isolate overlapping ranges: the second finds a block isolated, fails,
 * and restores the blocks it did isolate. Frame: .pfn, .end, .mt.
 */
struct isolate_range_locals {
	unsigned long pfn;
	unsigned long undo_pfn;
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
		SIM_CALL(w, cpu, f, w->ops->set_migratetype_isolate, .pfn = (uint32_t)l->pfn,
			 .mt = f->mt);
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
SIM_DEFINE_FN(start_isolate_page_range);

/* ---------------------------------------------------------------------- */
/* alloc_contig_range() and memory offline                                 */
/* ---------------------------------------------------------------------- */

/*
 * alloc_contig_range() (v5.11): isolate the max-aligned range, drain the
 * pcplists once (7612921f2376: "If CMA decides to opt-in to the stronger
 * guarantee, it can be added later"), migrate, lru_add_drain_all() (no LRU
 * in the model; no second drain), test, take the pages, give back head and
 * tail, undo. Frame: .pfn start, .end end, .mt. Returns 0 or -EBUSY.
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

	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);

	/*
	 * In case of -EBUSY, we'd like to know which page causes problem.
	 * So, just fall through. test_pages_isolated() has a tracepoint
	 * which will report the busy page.
	 */
	SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
	l->ret = (int32_t)cpu->ret;
	if (l->ret && l->ret != -EBUSY)
		goto done;
	l->ret = 0;

	/* lru_add_drain_all(); */
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

/*
 * scan_movable_pages() (v5.11, mm/memory_hotplug.c): the first page of
 * [start, end) on the LRU or movable, or end (-ENOENT). Reads page state
 * without zone->lock.
 */
static unsigned long scan_movable_pages(struct sim_world *w, unsigned long start, unsigned long end)
{
	sim_access_rd(w, SIM_OBJ_LOCK); /* PageReserved, without zone->lock */
	sim_access_pages_all(w, false);
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (sim_page_movable(pfn_to_page(w, pfn)))
			return pfn;
	}
	return end;
}

/*
 * __offline_isolated_pages() (v5.11): mark the sections offline and take
 * every free chunk of the range off its list, no counter change (the chunks
 * are expected on ISOLATE lists, uncounted). Model: PageReserved stands for
 * the offline section (pfn_to_online_page() fails for it); the shadow counts
 * the pages as out of the zone. Caller holds zone->lock.
 */
static void __offline_isolated_pages(struct sim_world *w, unsigned long start_pfn,
				     unsigned long end_pfn)
{
	struct zone *zone = w->zone;
	unsigned long pfn = start_pfn;

	sim_enter(w, "__offline_isolated_pages");
	lockdep_assert_held(w, &zone->lock);
	sim_access_pages_all(w, false); /* page_count(), set without zone->lock */
	while (pfn < end_pfn) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		VM_BUG_ON(w, page_count(page));
		VM_BUG_ON(w, !PageBuddy(page));
		if (!PageBuddy(page))
			break;
		order = page_order(page);
		del_page_from_free_list(w, page, zone, order);
		for (unsigned long i = 0; i < (1ul << order); i++)
			SetPageReserved(page + i);	    /* model: offline_mem_sections() */
		w->st->shadow.offline_pages += 1l << order; /* model: out of the zone */
		SIM_EV(w, "offlined pfn %lu order %u", pfn, order);
		pfn += 1ul << order;
	}
	sim_leave(w);
}

/*
 * The offline loop goes on until test_pages_isolated() passes or a signal
 * arrives; the model sends the signal after OFFLINE_ROUNDS failed tests, or
 * when one round's scan/migrate loop has run more times than the range has
 * pages (a page that never migrates). docs/variants/v5.11.md.
 */
#define OFFLINE_ROUNDS 3

/*
 * offline_pages() (v5.11, mm/memory_hotplug.c): zone_pcp_disable();
 * start_isolate_page_range(MOVABLE, MEMORY_OFFLINE | REPORT_FAILURE); then
 * rounds of { scan_movable_pages() + do_migrate_range() until no movable page
 * is left; test_pages_isolated(MEMORY_OFFLINE) } until the test passes (no
 * drain: the pcplists are disabled; 968318261221's drain is gone);
 * __offline_isolated_pages(); nr_isolate_pageblock -= the range's blocks,
 * which stay ISOLATE; zone_pcp_enable(). On failure: undo the isolation,
 * zone_pcp_enable(). Not modeled: mem_hotplug_begin() (pcp_batch_high_lock
 * serializes the modeled part of two offlines), memory notifiers, hugetlb,
 * lru_add_drain_all(), managed/present page counts, zone_pcp_update().
 * Migration: each movable page is migrated by migrate_range() on its own,
 * as do_migrate_range() skips what it cannot isolate.
 * Frame: .pfn start, .end end. Returns 0, -EBUSY or -EINTR.
 */
struct offline_pages_locals {
	int32_t ret;
	uint32_t pfn;
	int32_t rounds;
	int32_t scans;
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

	/* set above range as isolated */
	SIM_CALL(w, cpu, f, w->ops->start_isolate_page_range, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	if (cpu->ret) {
		l->ret = (int32_t)cpu->ret;
		SIM_EV(w, "offline: failure to isolate range");
		goto failed_removal_pcplists_disabled;
	}

	for (l->rounds = 0;; l->rounds++) {
		l->pfn = f->pfn;
		l->scans = 0;
		do {
			/* signal_pending(current): the model's bound (OFFLINE_ROUNDS) */
			if (l->rounds >= OFFLINE_ROUNDS ||
			    l->scans++ > (int32_t)(f->end - f->pfn)) {
				l->ret = -EINTR;
				SIM_EV(w, "offline: signal backoff (the model's bound)");
				goto failed_removal_isolated;
			}
			/* cond_resched(); lru_add_drain_all(); */
			SIM_RACY_READ(w, cpu, f, l->pfn,
				      (uint32_t)scan_movable_pages(w, l->pfn, f->end));
			if (l->pfn < f->end) /* TODO: fatal migration failures should bail out */
				SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = l->pfn,
					 .end = l->pfn + 1);
		} while (l->pfn < f->end);
		/* -ENOENT; dissolve_free_huge_pages(): no hugetlb in the model */
		SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = f->pfn, .end = f->end);
		if (!cpu->ret)
			break;
		SIM_EV(w, "offline: test_pages_isolated failed, round %d", l->rounds + 1);
		sim_count_retry(cpu);
	}

	/* Mark all sections offline and remove free pages from the buddy. */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	__offline_isolated_pages(w, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);

	/*
	 * The memory sections are marked offline, and the pageblock flags
	 * effectively stale; nobody should be touching them. Fixup the number
	 * of isolated pageblocks, memory onlining will properly revert this.
	 */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	zone->nr_isolate_pageblock -= (int)((f->end - f->pfn) / pageblock_nr_pages(zone));
	spin_unlock_irqrestore(w, &zone->lock);

	zone_pcp_enable(w, zone);
	SIM_RETURN_VAL(cpu, 0);

failed_removal_isolated:
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range, .pfn = f->pfn, .end = f->end,
		 .mt = MIGRATE_MOVABLE);
	/* memory_notify(MEM_CANCEL_OFFLINE, &arg); */
failed_removal_pcplists_disabled:
	zone_pcp_enable(w, zone);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(offline_pages);

extern const struct sim_variant sim_variant_v4_6;

const struct sim_variant sim_variant_v5_11 = {
	.name = "v5.11",
	.era = "E3",
	.kernel = "v5.11 (7612921f2376, ec6e8c7e0314, 7ad69832f37e, \"do not isolate the max "
		  "order page\"; 2c7452a075d4 v4.17, workqueue drain v4.11)",
	.summary = "v4.6 plus callers drain (7612921f2376), pcplists disabled during offline "
		   "(ec6e8c7e0314), workqueue drains, fail on already isolated blocks",
	.base = &sim_variant_v4_6,
	.ops = {
		.free_hot_cold_page = &free_unref_page_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.buffered_rmqueue = &rmqueue_fn,
		.rmqueue_bulk = &rmqueue_bulk_fn,
		.drain_all_pages = &drain_all_pages_fn,
		.drain_local_pages = &drain_local_pages_fn,
		.set_migratetype_isolate = &set_migratetype_isolate_fn,
		.unset_migratetype_isolate = &unset_migratetype_isolate_fn,
		.start_isolate_page_range = &start_isolate_page_range_fn,
		.alloc_contig_range = &alloc_contig_range_fn,
		.offline_pages = &offline_pages_fn,
		.online_pages = &sim_online_pages_isolated,
		.__free_one_page = __free_one_page,
		.__rmqueue = __rmqueue,
		.move_freepages = move_freepages,
		.__putback_isolated_page = __putback_isolated_page,
	},
};
