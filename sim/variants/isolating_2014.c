// SPDX-License-Identifier: GPL-2.0
/*
 * isolating-2014: pageblock isolation with special per-CPU "isolate
 * pcplists", as Vlastimil Babka proposed it in the thread on Joonsoo Kim's
 * "[PATCH 00/10] fix freepage count problems due to memory isolation"
 * (linux-mm, July 2014). Never posted as patches: every function below is
 * written from the mails, on the v3.16 / linux-next-20140703 baseline the
 * thread discussed. docs/variants/isolating-2014.md gives each
 * interpretation with the sentence it rests on.
 *
 * The record, in order:
 *  - Mel Gorman, 2007-05-10, review of Goto/KAMEZAWA "[RFC] memory hotremove
 *    patch take 2 [02/10]" (seed 003): "added a MIGRATE_ISOLATING type ...
 *    As long as MIGRATE_ISOLATING is not in fallbacks[] ... the pages would
 *    not get allocated" (that became MIGRATE_ISOLATE in 2.6.24);
 *  - Vlastimil, 2014-07-07, <53BAAFA5.9070403@suse.cz>, <53BABA94.4040107@suse.cz>
 *    (re 03/10), <53BAC023.1070504@suse.cz> (re 04/10): drain the pcplists
 *    right after marking the block, read the migratetype "under the
 *    disabled irq part" of free_hot_cold_page() and __free_pages_ok(), and
 *    let free_pcppages_bulk() misplace a page "(and the page accounted as
 *    freepage) immediately followed by move_frepages_block";
 *  - Joonsoo, 2014-07-14, <20140714062222.GA11317@js1304-P5Q-DELUXE>: the
 *    counterexample (race R9): a page freed with MIGRATE_ISOLATE between the
 *    mark and the move merges with a counted page on the isolate list;
 *  - Vlastimil, 2014-07-14, <53C3A7A5.9060005@suse.cz> (seed 002), design
 *    d1: MIGRATETYPE_ISOLATING before the drain, frees seeing it go to a
 *    "special unbounded pcplist", move_freepages_block(), ISOLATED, then an
 *    all-CPU flush of the special pcplists onto the isolate freelist;
 *  - Vlastimil, 2014-07-15, <53C4E813.7020108@suse.cz>, design d2 (MODELED
 *    HERE): "maybe it wouldn't need a new migratetype after all. But it would
 *    always need to free isolate pages on the special pcplist ... all the
 *    way until undo_isolate_page_range()", the undo sequence, and "the flush
 *    operation needs a pfn start/end parameters";
 *  - Joonsoo, 2014-07-16, <20140716084333.GA20359@js1304-P5Q-DELUXE>: the
 *    objection (a long list flushed in IPI context with pfn filtering);
 *  - Vlastimil, 2014-07-16, <53C65E92.2000606@suse.cz>: d3, one special
 *    "free list" instead, no IPIs; Joonsoo 2014-07-17: "Looks good".
 *
 * What changes over v3.16: the free paths read the pageblock migratetype
 * with IRQs off and send a page of an isolated block to this CPU's isolate
 * pcplist (any order, never merged, never counted); free_pcppages_bulk()
 * no longer looks at the block and counts what it frees by the cached type;
 * set_migratetype_isolate() marks the block, drops the lock, drains, and
 * moves the free pages afterwards; start/undo_isolate_page_range() and
 * test_pages_isolated() flush the isolate pcplists of every CPU, for their
 * pfn range, by IPI. What does not change: the skip-empty drain_all_pages()
 * ("the drain as usual"), free_one_page() for other types (no recheck), the
 * unrestricted merge in __free_one_page(), move_freepages_block()'s count,
 * unset_migratetype_isolate(), and the v3.16 test walk.
 */
#include "engine/step.h"
#include "mm/list.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "variants/variant.h"

#define EBUSY 16

/* ---------------------------------------------------------------------- */
/* The isolate pcplists                                                    */
/* ---------------------------------------------------------------------- */

/*
 * The "special unbounded pcplist" of a CPU. The kernel would keep it beside
 * pcp->lists[] in struct per_cpu_pages, protected like them by IRQs off on
 * its own CPU; it is not counted in pcp->count (it is unbounded: never
 * trimmed to pcp->high) and drain_local_pages() does not touch it. Model: the
 * world's held list of the CPU (mm/mmzone.h), page_private = the order.
 */
static struct list_head *isolate_pcp_list(struct sim_world *w, int cpu)
{
	return &w->held[cpu];
}

/*
 * Free a page of an isolated pageblock: "it just puts the page on special
 * unbounded pcplist and that's it" (Vlastimil, 2014-07-14). Not merged, not
 * counted, not allocatable. A page of any order: the list links pages
 * "regardless of order" (2014-07-16). Called with IRQs off.
 */
static void free_isolate_pcp_page(struct sim_world *w, struct sim_cpu *cpu, struct page *page,
				  unsigned int order)
{
	lockdep_assert_irqs_disabled(w);
	set_page_private(page, order);
	list_add(w, &page->lru, isolate_pcp_list(w, cpu->id));
	w->info.acc.pcp_wr |= 1ull << cpu->id; /* this CPU's pcplists */
	sim_charge(w, SIM_COST_PCP);
	SIM_EV(w, "isolate pcplist of cpu %d += pfn %lu order %u", cpu->id, page_to_pfn(w, page),
	       order);
}

/*
 * The on_each_cpu() `info` of a flush: the pfn range on the sender's stack,
 * which it does not change while it waits for the IPIs.
 */
static const struct sim_fn flush_isolate_pcplists_fn;

static const struct sim_frame *flush_info(struct sim_world *w, const struct sim_cpu *cpu)
{
	const struct sim_cpu *sender = &w->cpus[cpu->irq_from];

	for (int i = sender->sp - 1; i >= 0; i--) {
		if (sender->stack[i].fn == &flush_isolate_pcplists_fn)
			return &sender->stack[i];
	}
	sim_bug(w, __func__, "IPI without a flush_isolate_pcplists() caller");
	return NULL;
}

/*
 * flush_local_isolate_pcplist(): "a new operation that flushes the special
 * pcplist on isolate buddy list and merge as needed" (2014-07-14), taking
 * "pfn start/end parameters to only flush pages belonging to the given
 * isolation" (2014-07-15). Runs on the CPU whose list it is, IRQs off (an IPI
 * handler, or the initiator's own CPU). Each page of the range goes to the
 * list of its block's current type, read under zone->lock: ISOLATE after an
 * isolation, the restored type after an undo; counted as free_one_page()
 * counts. Pages outside the range are walked and left (the "bit of
 * inefficient list traversing"). Frame: .pfn start, .end end (as an IPI
 * handler: none, they come from the sender).
 */
static enum sim_ret flush_local_isolate_pcplist(struct sim_world *w, struct sim_cpu *cpu,
						struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct list_head *list = isolate_pcp_list(w, cpu->id);
	struct list_head *l, *prev;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	if (cpu->in_irq && f == &cpu->stack[cpu->irq_sp]) {
		const struct sim_frame *info = flush_info(w, cpu);

		if (!info)
			SIM_RETURN_VAL(cpu, 0);
		f->pfn = info->pfn;
		f->end = info->end;
	}
	w->info.acc.pcp_wr |= 1ull << cpu->id;
	if (list_empty(w, list))
		SIM_RETURN_VAL(cpu, 0);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	w->info.acc.pcp_wr |= 1ull << cpu->id;
	for (l = list_last(w, list); l != list; l = prev) {
		struct page *page = container_of(l, struct page, lru);
		unsigned long pfn = page_to_pfn(w, page);
		unsigned int order = page_private(page);
		int mt;

		prev = sim_lh(w, l->prev);
		sim_charge(w, SIM_COST_PCP);
		if (pfn < f->pfn || pfn >= f->end)
			continue;
		list_del(w, &page->lru);
		set_page_private(page, 0);
		mt = get_pageblock_migratetype(w, page);
		SIM_EV(w, "flush pfn %lu order %u from the isolate pcplist of cpu %d", pfn, order,
		       cpu->id);
		w->ops->__free_one_page(w, page, pfn, zone, order, mt);
		if (!is_migrate_isolate(mt))
			__mod_zone_freepage_state(zone, 1l << order, mt);
	}
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(flush_local_isolate_pcplist);

/*
 * flush_isolate_pcplists(start_pfn, end_pfn): "CPU1 executes on all CPU's a
 * new operation that flushes the special pcplist" (2014-07-14), i.e.
 * on_each_cpu(flush_local_isolate_pcplist, &range, 1): IPI every other
 * online CPU (not only those whose pcp->count looks non-empty), wait for
 * them, then run it here with IRQs off. Caller does not hold zone->lock.
 * Frame: .pfn start, .end end.
 */
static enum sim_ret flush_isolate_pcplists(struct sim_world *w, struct sim_cpu *cpu,
					   struct sim_frame *f)
{
	uint64_t online = w->ncpus >= 64 ? ~0ull : (1ull << w->ncpus) - 1;

	SIM_BEGIN(f);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_SEND);
	smp_call_function_many(w, online, &flush_local_isolate_pcplist_fn);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_EV(w, "IPIs completed");
	local_irq_save(w);
	SIM_CALL(w, cpu, f, &flush_local_isolate_pcplist_fn, .pfn = f->pfn, .end = f->end);
	local_irq_restore(w);
	SIM_END(f);
}
static const struct sim_fn flush_isolate_pcplists_fn = { "flush_isolate_pcplists",
							 flush_isolate_pcplists };

/* ---------------------------------------------------------------------- */
/* The free paths                                                          */
/* ---------------------------------------------------------------------- */

/*
 * free_hot_cold_page(): as v3.16, except that the migratetype is read with
 * IRQs already off ("put the migratetype determination under the disabled
 * irq part in free_hot_cold_page()", 2014-07-07), so an IPI (drain or flush)
 * that reaches this CPU finds the page on a list; and a page of an isolated
 * block goes to the isolate pcplist instead of free_one_page().
 * Frame: .pfn page, .flags SIM_F_COLD.
 */
struct free_hot_cold_page_locals {
	int migratetype;
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
	/* Racy against set_pageblock_migratetype() on another CPU; IPIs wait for us. */
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	set_freepage_migratetype(page, l->migratetype);
	sim_access_page_wr(w); /* page->index, read by the isolation test */
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, IRQs off", f->pfn,
	       migratetype_name(l->migratetype));
	/*
	 * IRQs off keep IPIs out, not other CPUs: drain_all_pages() may read
	 * this pcp->count, and the isolator may mark and move the block, between
	 * the read and the list_add below.
	 */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);

	if (l->migratetype >= MIGRATE_PCPTYPES) {
		if (is_migrate_isolate(l->migratetype)) {
			free_isolate_pcp_page(w, cpu, page, 0);
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
	if (pcp->count >= pcp->high) {
		l->batch = pcp->batch; /* ACCESS_ONCE(pcp->batch) */
		SIM_CALL(w, cpu, f, w->ops->free_pcppages_bulk, .arg = l->batch);
		pcp->count -= l->batch;
	}
out:
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(free_hot_cold_page);

/*
 * __free_pages_ok(): the same for order > 0: the migratetype read "moved
 * under the disabled irq part" (2014-07-07, re 03/10); a page of an isolated
 * block goes, whole, to the isolate pcplist; any other type to
 * free_one_page() as in v3.16 (no recheck under zone->lock).
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
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, IRQs off", f->pfn,
	       migratetype_name(l->migratetype));
	set_freepage_migratetype(page, l->migratetype);
	sim_access_page_wr(w); /* page->index, read by the isolation test */
	if (is_migrate_isolate(l->migratetype)) {
		SIM_POINT(w, cpu, f, SIM_NEXT_RUN); /* other CPUs run; IPIs wait */
		free_isolate_pcp_page(w, cpu, page, (unsigned int)f->order);
	} else
		SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = f->order,
			 .mt = (int16_t)l->migratetype);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(__free_pages_ok);

/*
 * free_pcppages_bulk(): as v3.16 but without the pageblock check: "I would
 * prefer removing the check :) ... we would allow a misplacement to happen
 * (and the page accounted as freepage) immediately followed by
 * move_frepages_block which would place the page onto isolate freelist with
 * the rest" (Vlastimil, re 03/10, 2014-07-07). List and counter are keyed on
 * the cached type; a pcp page never caches ISOLATE here (such pages went to
 * the isolate pcplist). Called with IRQs off. Frame: .arg count.
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
/* Isolation                                                               */
/* ---------------------------------------------------------------------- */

/*
 * set_migratetype_isolate(): the order of Joonsoo's counterexample and of
 * d1, "CPU1 first sets MIGRATETYPE_ISOLATING before the drain": under
 * zone->lock check and mark the block (from now on its pages are freed to
 * the isolate pcplists); unlock; "CPU1 does the drain as usual, potentially
 * misplacing some pages that move_freepages_block() will then fix"; under
 * zone->lock again move the block's free pages to the ISOLATE lists and
 * subtract what move_freepages_block() returns, keyed on the old type.
 * No ISOLATING/ISOLATED distinction (d2: "it wouldn't need a new migratetype
 * after all"). Frame: .pfn first page of the block. Returns 0 or -EBUSY.
 */
struct set_migratetype_isolate_locals {
	int ret;
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
	l->ret = -EBUSY;
	if (!has_unmovable_pages(w, zone, page, 0))
		l->ret = 0;
	if (!l->ret) {
		l->migratetype = get_pageblock_migratetype(w, page);
		set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
		SIM_EV(w, "block %lu %s -> ISOLATE, frees go to the isolate pcplists",
		       sim_block_of(w, f->pfn), migratetype_name(l->migratetype));
	} else {
		SIM_EV(w, "block %lu has unmovable pages: -EBUSY", sim_block_of(w, f->pfn));
	}
	spin_unlock_irqrestore(w, &zone->lock);
	if (l->ret)
		SIM_RETURN_VAL(cpu, l->ret);

	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);

	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	nr_pages = w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
	__mod_zone_freepage_state(zone, -nr_pages, l->migratetype);
	SIM_EV(w, "block %lu: NR_FREE_PAGES -= %d", sim_block_of(w, f->pfn), nr_pages);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * start_isolate_page_range(): as v3.16, then the flush of the isolate
 * pcplists for the range onto the ISOLATE lists (d1's last step, "merge as
 * needed"). On failure the blocks done are un-isolated and the range done is
 * flushed onto the restored types, as undo_isolate_page_range() does.
 * Frame: .pfn start, .end end, .mt migratetype.
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
	SIM_CALL(w, cpu, f, &flush_isolate_pcplists_fn, .pfn = f->pfn, .end = f->end);
	SIM_RETURN_VAL(cpu, 0);
undo:
	for (l->pfn = f->pfn; l->pfn < l->undo_pfn; l->pfn += nr)
		SIM_CALL(w, cpu, f, w->ops->unset_migratetype_isolate, .pfn = (uint32_t)l->pfn,
			 .mt = f->mt);
	SIM_CALL(w, cpu, f, &flush_isolate_pcplists_fn, .pfn = f->pfn,
		 .end = (uint32_t)l->undo_pfn);
	SIM_RETURN_VAL(cpu, -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(start_isolate_page_range);

/*
 * undo_isolate_page_range(): d2's undo. Per block, v3.16's
 * unset_migratetype_isolate() ("CPU1 does move_freepages_block() to put
 * pages back from isolate freelist to e.g. MOVABLE or CMA ... CPU1 changes
 * migratetype of the pageblock"); then, for the whole range, "CPU1 flushes
 * the isolate pcplists of all CPU's on the MOVABLE freelist". The type check
 * is a lock-free read, as in v3.16. Frame: .pfn start, .end end, .mt.
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
	SIM_CALL(w, cpu, f, &flush_isolate_pcplists_fn, .pfn = f->pfn, .end = f->end);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(undo_isolate_page_range);

/*
 * test_pages_isolated(): the isolating CPU flushes the isolate pcplists for
 * the range ("The only way to move to isolate freelist is through the new
 * isolate pcplist flush operation initiated by a single CPU at well defined
 * time", 2014-07-15), so that pages freed since the isolation, by migration
 * among others, are PageBuddy on the ISOLATE lists; then the v3.16 test.
 * Frame: .pfn start, .end end. Returns 0 or -EBUSY.
 */
static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &flush_isolate_pcplists_fn, .pfn = f->pfn, .end = f->end);
	SIM_CALL(w, cpu, f, &sim_base_test_pages_isolated, .pfn = f->pfn, .end = f->end);
	SIM_END(f);
}
SIM_DEFINE_FN(test_pages_isolated);

/*
 * __test_page_isolated_in_pageblock(): v3.16's walk. It accepts a refcount-0
 * page whose cached type is ISOLATE, which is what a page on an isolate
 * pcplist is: the walk reads pages another CPU links on its isolate pcplist
 * without zone->lock. Caller holds zone->lock.
 */
static bool test_page_isolated_in_pageblock(struct sim_world *w, unsigned long pfn,
					    unsigned long end_pfn)
{
	w->info.acc.pcp_rd |= w->ncpus >= 64 ? ~0ull : (1ull << w->ncpus) - 1;
	return __test_page_isolated_in_pageblock(w, pfn, end_pfn);
}

const struct sim_variant sim_variant_isolating_2014 = {
	.name = "isolating-2014",
	.era = "proposal",
	.kernel = "Mel Gorman 2007 / Vlastimil Babka 2014-07 (seeds 003, 002), not posted as "
		  "patches",
	.summary = "isolated blocks free to special per-CPU lists until undo; mark, drain, move, "
		   "then IPI-flush the lists (design d2, 2014-07-15)",
	.ops = {
		.free_hot_cold_page = &free_hot_cold_page_fn,
		.__free_pages_ok = &__free_pages_ok_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.set_migratetype_isolate = &set_migratetype_isolate_fn,
		.start_isolate_page_range = &start_isolate_page_range_fn,
		.undo_isolate_page_range = &undo_isolate_page_range_fn,
		.test_pages_isolated = &test_pages_isolated_fn,
		.__test_page_isolated_in_pageblock = test_page_isolated_in_pageblock,
	},
};
