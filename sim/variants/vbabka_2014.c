// SPDX-License-Identifier: GPL-2.0
/*
 * vbabka-2014: Vlastimil Babka's proposal in the thread on Joonsoo Kim's
 * "[PATCH 00/10] fix freepage count problems due to memory isolation"
 * (linux-mm, July 2014). It was described in prose and never posted as
 * patches; every function below is our reading of these mails:
 *
 *   <53B6C947.1070603@suse.cz> 2014-07-04 "Re: [PATCH 00/10] ..."
 *     (c1) "throw away all special-casing of is_migrate_isolate() in the
 *     buddy allocator, which would therefore account free pages on the
 *     isolate freelist as normal free pages"; the isolation users do the
 *     accounting "only on the top level": subtract X (what
 *     move_freepages_block() moved) and "remember the value of X"; "If
 *     test_pages_isolated() checks pass, subtract (N - X)"; on undo "we
 *     don't care how many pages were moved. We simply add the remembered
 *     value of X".
 *   <53BAAFA5.9070403@suse.cz> 2014-07-07 (quoted in Joonsoo Kim's
 *     <20140714062222.GA11317@js1304-P5Q-DELUXE>)
 *     (c2) "doing a lru/pcplists drain right after marking pageblock as
 *     MIGRATETYPE_ISOLATE ... put the migratetype determination under the
 *     disabled irq part in free_hot_cold_page()".
 *   <53BABA94.4040107@suse.cz> 2014-07-07 "Re: [PATCH 03/10] ...": remove
 *     the pcp flush check, "allow a misplacement to happen (and the page
 *     accounted as freepage) immediately followed by move_frepages_block";
 *     __free_pages_ok "would need moving the migratepage check under the
 *     disabled irq part".
 *   <53BAC023.1070504@suse.cz> 2014-07-07 "Re: [PATCH 04/10] ...":
 *     un-isolation "sent a drain_all_pages() IPI and only then used
 *     move_freepages_block()".
 *
 * Joonsoo Kim's counterexample (2014-07-14, race R9) is the drain between
 * marking and moving: a page freed with MIGRATE_ISOLATE meanwhile merges
 * with normal pages onto the ISOLATE list, and move_freepages_block()
 * cannot tell what was counted. With (c1) everything on every list is
 * counted, so the move's X is what must be subtracted; the model shows
 * what remains of it (docs/variants/vbabka-2014.md).
 *
 * What changes over v3.16: the free paths read the migratetype with IRQs
 * off; free_one_page() and free_pcppages_bulk() count every page whatever
 * its list; set_migratetype_isolate() marks the block, drops zone->lock,
 * drains, then moves and subtracts X; unset_migratetype_isolate() marks,
 * drains, moves back and counts nothing; start/undo_isolate_page_range()
 * and test_pages_isolated() keep the isolation user's N, X and debit
 * (zone->isolate_acct, mm/mmzone.h); pages a user takes for itself
 * (alloc_contig_range(), offline_pages()) leave its debit. What does not
 * change: the unchecked merge of __free_one_page() (including its guard
 * branch, which counts into ISOLATE lists as this design wants),
 * move_freepages(), the skip-empty drain_all_pages(), the test-time move
 * of __test_page_isolated_in_pageblock(), __isolate_free_page().
 * Not modeled: the optional M (pages freed by migration, subtracted in
 * phase 2), see the doc.
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "variants/variant.h"

#define EBUSY 16

/* ---------------------------------------------------------------------- */
/* The isolation user's N, X and debit (zone->isolate_acct)                */
/* ---------------------------------------------------------------------- */

/* Model: the checker tolerates drift while a record is open (check/invariants.c). */
static void isolate_acct_set_state(struct sim_world *w, struct isolate_acct *r, int state)
{
	if (r->state == ISOLATE_ACCT_OPEN)
		w->st->acct_deferred--;
	if (state == ISOLATE_ACCT_OPEN)
		w->st->acct_deferred++;
	r->state = (uint8_t)state;
	sim_access_wr(w, SIM_OBJ_INV);
}

/*
 * A new record for an isolation of [start, end) by this CPU's task.
 * Caller holds zone->lock. Returns its slot, or -1 past the model's limit.
 */
static int isolate_acct_open(struct sim_world *w, int owner, unsigned long start, unsigned long end)
{
	struct zone *zone = w->zone;

	lockdep_assert_held(w, &zone->lock);
	for (int i = 0; i < SIM_NR_ISOLATE_ACCT; i++) {
		struct isolate_acct *r = &zone->isolate_acct[i];

		if (r->state != ISOLATE_ACCT_UNUSED)
			continue;
		*r = (struct isolate_acct){ .start_pfn = (uint32_t)start,
					    .end_pfn = (uint32_t)end,
					    .owner = (uint8_t)owner };
		isolate_acct_set_state(w, r, ISOLATE_ACCT_OPEN);
		return i;
	}
	sim_bug(w, __func__, "more isolations at once than SIM_NR_ISOLATE_ACCT (model limit)");
	return -1;
}

/* This CPU's record covering [start, end), or -1. Caller holds zone->lock. */
static int isolate_acct_find(struct sim_world *w, int owner, unsigned long start, unsigned long end)
{
	struct zone *zone = w->zone;

	lockdep_assert_held(w, &zone->lock);
	for (int i = 0; i < SIM_NR_ISOLATE_ACCT; i++) {
		struct isolate_acct *r = &zone->isolate_acct[i];

		if (r->state != ISOLATE_ACCT_UNUSED && r->owner == owner && r->start_pfn <= start &&
		    end <= r->end_pfn)
			return i;
	}
	return -1;
}

/*
 * Step 1: "Calculate X as the number of pages that move_freepages_block()
 * has moved. Subtract X from freepages (this is the same as it is done now),
 * but also *remember the value of X*". The caller subtracted it, keyed on
 * the block's old type. Caller holds zone->lock.
 */
static void isolate_acct_moved(struct sim_world *w, int slot, int nr_pages, int migratetype)
{
	struct isolate_acct *r;

	if (slot < 0)
		return;
	r = &w->zone->isolate_acct[slot];
	r->nr_moved += nr_pages;
	r->nr_debited += nr_pages;
	if (is_migrate_cma(migratetype))
		r->nr_debited_cma += nr_pages;
}

/*
 * Step 3: "If test_pages_isolated() checks pass, subtract (N - X) from
 * freepages ... we have in total subtracted N pages (first X, then N-X). So
 * the accounting matches reality." Once per isolation. The N - X pages
 * became free on ISOLATE lists (counted there, not as CMA), so only
 * NR_FREE_PAGES. Caller holds zone->lock.
 */
static void isolate_acct_settle(struct sim_world *w, int owner, unsigned long start,
				unsigned long end)
{
	int slot = isolate_acct_find(w, owner, start, end);
	struct isolate_acct *r;
	long n;

	if (slot < 0)
		return;
	r = &w->zone->isolate_acct[slot];
	if (r->state == ISOLATE_ACCT_OPEN && !r->tested) {
		n = (long)(r->end_pfn - r->start_pfn) - r->nr_moved;
		__mod_zone_page_state(w->zone, NR_FREE_PAGES, -n);
		r->nr_debited += (int32_t)n;
		r->tested = 1;
		SIM_EV(w, "test passed: NR_FREE_PAGES -= N - X = %u - %d",
		       r->end_pfn - r->start_pfn, r->nr_moved);
	}
	isolate_acct_set_state(w, r, ISOLATE_ACCT_SETTLED);
}

/*
 * Pages the isolation user takes off the ISOLATE lists for itself
 * (alloc_contig_range(), offline_pages()) leave without a counter change,
 * as in v3.16: they leave its debit too, so that undo gives back only what
 * is still free. The user is handling its range again until undo. (Not in
 * the mails: see "take" in docs/variants/vbabka-2014.md.) Caller holds
 * zone->lock.
 */
static void isolate_acct_take(struct sim_world *w, int owner, unsigned long pfn, long nr_pages)
{
	int slot = isolate_acct_find(w, owner, pfn, pfn + 1);
	struct isolate_acct *r;

	if (slot < 0 || !nr_pages)
		return;
	r = &w->zone->isolate_acct[slot];
	r->nr_debited -= (int32_t)nr_pages;
	r->nr_debited_cma -= (int32_t)MIN(nr_pages, (long)r->nr_debited_cma);
	isolate_acct_set_state(w, r, ISOLATE_ACCT_OPEN);
}

/*
 * Undo: "We simply add the remembered value of X to the number of
 * freepages": what is still subtracted (X before a successful test, what was
 * not taken after one) is added back, and the record is forgotten.
 * Caller holds zone->lock.
 */
static void isolate_acct_close(struct sim_world *w, int slot)
{
	struct isolate_acct *r = &w->zone->isolate_acct[slot];

	__mod_zone_page_state(w->zone, NR_FREE_PAGES, r->nr_debited);
	__mod_zone_page_state(w->zone, NR_FREE_CMA_PAGES, r->nr_debited_cma);
	SIM_EV(w, "undo: NR_FREE_PAGES += %d (remembered), NR_FREE_CMA_PAGES += %d", r->nr_debited,
	       r->nr_debited_cma);
	isolate_acct_set_state(w, r, ISOLATE_ACCT_UNUSED);
}

/* ---------------------------------------------------------------------- */
/* Freeing: the migratetype read with IRQs off, every page counted         */
/* ---------------------------------------------------------------------- */

/*
 * free_one_page() (vbabka-2014): no is_migrate_isolate() special case: the
 * page is counted on whatever list it goes to, ISOLATE lists included.
 * Called with IRQs off. Frame: .pfn page, .order, .mt migratetype.
 */
static enum sim_ret free_one_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	w->ops->__free_one_page(w, pfn_to_page(w, f->pfn), f->pfn, zone, (unsigned int)f->order,
				f->mt);
	__mod_zone_freepage_state(zone, 1l << f->order, f->mt);
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_one_page);

/*
 * __free_pages_ok() (vbabka-2014): "moving the migratepage check under the
 * disabled irq part": a drain_all_pages() IPI that reaches this CPU waits
 * for the whole free. The read is still lock-free. Frame: .pfn page, .order.
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
	/* Racy: the block may be (un)isolated on another CPU, which then drains. */
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, IRQs off", f->pfn,
	       migratetype_name(l->migratetype));
	set_freepage_migratetype(page, l->migratetype);
	sim_access_page_wr(w); /* page->index, read by the isolation test */
	SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = f->order,
		 .mt = (int16_t)l->migratetype);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(__free_pages_ok);

/*
 * free_hot_cold_page() (vbabka-2014): "As putting stuff on pcplists is done
 * with disabled interrupts, and draining is done by IPI, I think it should
 * work correctly if we put the migratetype determination under the disabled
 * irq part". Between the read and the list_add no IPI can be taken here,
 * but other CPUs run: one may mark the block, or read this CPU's
 * pcp->count (drain_all_pages() skips a CPU whose list looks empty).
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
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	set_freepage_migratetype(page, l->migratetype);
	sim_access_page_wr(w); /* page->index, read by the isolation test */
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, cached, IRQs off", f->pfn,
	       migratetype_name(l->migratetype));
	/* IRQs off: no IPI until local_irq_restore; other CPUs run on. */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);

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
 * free_pcppages_bulk() (vbabka-2014): on 03/10, "I would prefer removing the
 * check": the page goes to the list of its cached type and is counted,
 * keyed on the same type, whatever its block is now. A page of a block
 * marked ISOLATE lands on a normal list, "immediately followed by
 * move_frepages_block" if this is the drain of set_migratetype_isolate().
 * Called with IRQs off. Frame: .arg count.
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
/* Pageblock isolation: mark, drain, move                                  */
/* ---------------------------------------------------------------------- */

/*
 * set_migratetype_isolate() (vbabka-2014): under zone->lock check the block
 * and mark it ISOLATE; drop the lock and drain_all_pages(), so that pages
 * freed before the mark reach the buddy lists and everything freed after it
 * reads ISOLATE; then, under the lock again, move the block's free pages to
 * the ISOLATE lists, subtract X and remember it. This is the order Joonsoo
 * Kim's counterexample (R9) assumes: "lock, set_pageblock_migratetype(),
 * unlock, drain..., lock, move_freepages_block()". Frame: .pfn first page
 * of the block, .arg the isolation's record. Returns 0 or -EBUSY.
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
	/* memory_isolate_notify(MEM_ISOLATE_COUNT): no balloon drivers are modeled. */
	if (!has_unmovable_pages(w, zone, page, 0))
		l->ret = 0;
	if (l->ret) {
		SIM_EV(w, "block %lu has unmovable pages: -EBUSY", sim_block_of(w, f->pfn));
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_RETURN_VAL(cpu, l->ret);
	}
	l->migratetype = get_pageblock_migratetype(w, page);
	set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
	SIM_EV(w, "block %lu %s -> ISOLATE, its free pages are moved after the drain",
	       sim_block_of(w, f->pfn), migratetype_name(l->migratetype));
	/* model: the move and its counter update belong to this operation (invariants.h) */
	cpu->acct_pending = 1;
	w->st->acct_pending++;
	sim_access_wr(w, SIM_OBJ_INV);
	spin_unlock_irqrestore(w, &zone->lock);

	/*
	 * "doing a lru/pcplists drain right after marking pageblock as
	 * MIGRATETYPE_ISOLATE. After that moment, anything newly put on
	 * pcplists should observe the new migratetype". lru_add_drain_all()
	 * is not modeled.
	 */
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);

	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	nr_pages = w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
	__mod_zone_freepage_state(zone, -nr_pages, l->migratetype);
	isolate_acct_moved(w, f->arg, nr_pages, l->migratetype);
	cpu->acct_pending = 0;
	w->st->acct_pending--;
	sim_access_wr(w, SIM_OBJ_INV);
	SIM_EV(w, "block %lu: X = %d moved to ISOLATE, NR_FREE_PAGES -= %d",
	       sim_block_of(w, f->pfn), nr_pages, nr_pages);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (vbabka-2014): mark the block back under
 * zone->lock, drop the lock and drain ("if during unisolation, CPU2 sent a
 * drain_all_pages() IPI and only then used move_freepages_block()"), so a
 * free that read ISOLATE with IRQs off lands before the move; then move the
 * ISOLATE lists back. "But we don't care how many pages were moved": the
 * counter is left to undo_isolate_page_range(). Frame: .pfn, .mt.
 */
static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);
	int nr_pages;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (get_pageblock_migratetype(w, page) != MIGRATE_ISOLATE) {
		spin_unlock_irqrestore(w, &zone->lock);
		SIM_RETURN_VAL(cpu, 0);
	}
	set_pageblock_migratetype(w, page, f->mt);
	SIM_EV(w, "block %lu ISOLATE -> %s, its free pages are moved after the drain",
	       sim_block_of(w, f->pfn), migratetype_name(f->mt));
	spin_unlock_irqrestore(w, &zone->lock);

	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);

	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	nr_pages = w->ops->move_freepages_block(w, zone, page, f->mt);
	SIM_EV(w, "block %lu: %d pages moved back, not counted", sim_block_of(w, f->pfn), nr_pages);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(unset_migratetype_isolate);

/*
 * start_isolate_page_range() (vbabka-2014): step 1 for [start_pfn,
 * end_pfn), "a MAX_ORDER-aligned bunch of pageblocks": N is its size, X
 * the sum of what set_migratetype_isolate() moved. On failure the blocks
 * done are undone and X is given back. Frame: .pfn start, .end end, .mt
 * migratetype. Returns 0 or -EBUSY.
 */
struct isolate_range_locals {
	uint32_t pfn;
	uint32_t undo_pfn;
	int32_t slot;
	int32_t mt;
};

static enum sim_ret start_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	struct isolate_range_locals *l = SIM_LOCALS(f, struct isolate_range_locals);
	struct zone *zone = w->zone;
	unsigned long nr = pageblock_nr_pages(zone);

	SIM_BEGIN(f);
	VM_BUG_ON(w, f->pfn & (nr - 1));
	VM_BUG_ON(w, f->end & (nr - 1));
	/* model: the caller's N and X, kept where its later calls find them */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	l->slot = isolate_acct_open(w, cpu->id, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += (uint32_t)nr) {
		SIM_CALL(w, cpu, f, w->ops->set_migratetype_isolate, .pfn = l->pfn, .arg = l->slot);
		if (cpu->ret) {
			l->undo_pfn = l->pfn;
			goto undo;
		}
	}
	SIM_RETURN_VAL(cpu, 0);
undo:
	for (l->pfn = f->pfn; l->pfn < l->undo_pfn; l->pfn += (uint32_t)nr)
		SIM_CALL(w, cpu, f, w->ops->unset_migratetype_isolate, .pfn = l->pfn, .mt = f->mt);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (l->slot >= 0)
		isolate_acct_close(w, l->slot);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(start_isolate_page_range);

/*
 * undo_isolate_page_range() (vbabka-2014): un-isolate each block that is
 * still isolated (the type check is a lock-free read, as in v3.16), then
 * add back what this CPU's isolation of the range still has subtracted.
 * Frame: .pfn start, .end end, .mt migratetype.
 */
static enum sim_ret undo_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct isolate_range_locals *l = SIM_LOCALS(f, struct isolate_range_locals);
	struct zone *zone = w->zone;
	unsigned long nr = pageblock_nr_pages(zone);

	SIM_BEGIN(f);
	VM_BUG_ON(w, f->pfn & (nr - 1));
	VM_BUG_ON(w, f->end & (nr - 1));
	/* model: the isolation user handles its range again until the counter is settled */
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	l->slot = isolate_acct_find(w, cpu->id, f->pfn, f->end);
	if (l->slot >= 0)
		isolate_acct_set_state(w, &zone->isolate_acct[l->slot], ISOLATE_ACCT_OPEN);
	spin_unlock_irqrestore(w, &zone->lock);
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += (uint32_t)nr) {
		SIM_RACY_READ(w, cpu, f, l->mt, get_pfnblock_migratetype(w, l->pfn));
		SIM_EV(w, "block %lu is %s", sim_block_of(w, l->pfn), migratetype_name(l->mt));
		if (l->mt != MIGRATE_ISOLATE)
			continue;
		SIM_CALL(w, cpu, f, w->ops->unset_migratetype_isolate, .pfn = l->pfn, .mt = f->mt);
	}
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (l->slot >= 0)
		isolate_acct_close(w, l->slot);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(undo_isolate_page_range);

/*
 * test_pages_isolated() (vbabka-2014): the v3.16 test (block types read
 * lock-free, then the page walk under zone->lock, including its move of a
 * chunk whose cached type is not ISOLATE, which needs no counter fix-up
 * here); if it passes, step 3 of this CPU's isolation covering the range,
 * under the same lock hold. Frame: .pfn start, .end end. Returns 0 or -EBUSY.
 */
static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	struct isolate_range_locals *l = SIM_LOCALS(f, struct isolate_range_locals);
	struct zone *zone = w->zone;
	bool ret;

	SIM_BEGIN(f);
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn += (uint32_t)pageblock_nr_pages(zone)) {
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
	if (ret)
		isolate_acct_settle(w, cpu->id, f->pfn, f->end);
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_RETURN_VAL(cpu, ret ? 0 : -EBUSY);
	SIM_END(f);
}
SIM_DEFINE_FN(test_pages_isolated);

/* ---------------------------------------------------------------------- */
/* The isolation users taking their pages                                  */
/* ---------------------------------------------------------------------- */

/*
 * isolate_freepages_range() (v3.16 mm/compaction.c, strict), as the base
 * (mm/contig.c), except that what it takes from isolated blocks, which
 * __isolate_free_page() takes with no counter change, leaves the owner's
 * debit. Frame: .pfn start, .end end. Returns the pfn after the last page
 * taken, or 0.
 */
struct isolate_freepages_locals {
	uint32_t pfn;
	uint32_t block_end;
	uint32_t release;
};

static enum sim_ret isolate_freepages_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct isolate_freepages_locals *l = SIM_LOCALS(f, struct isolate_freepages_locals);
	struct zone *zone = w->zone;

	long taken;

	SIM_BEGIN(f);
	for (l->pfn = f->pfn; l->pfn < f->end;) {
		l->block_end = (uint32_t)MIN(f->end, (l->pfn | (pageblock_nr_pages(zone) - 1)) + 1);
		SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
		taken = 0;
		while (l->pfn < l->block_end) {
			struct page *page = pfn_to_page(w, l->pfn);
			unsigned int order;

			if (!PageBuddy(page))
				break;
			/* split_free_page() */
			order = page_order(page);
			if (is_migrate_isolate_page(w, page))
				taken += 1l << order;
			__isolate_free_page(w, page, order);
			for (unsigned long i = 0; i < (1ul << order); i++)
				sim_contig_page_taken(page + i); /* split_page() */
			SIM_EV(w, "took pfn %u order %u", l->pfn, order);
			l->pfn += 1u << order;
		}
		isolate_acct_take(w, cpu->id, l->pfn - 1, taken);
		spin_unlock_irqrestore(w, &zone->lock);
		if (l->pfn < l->block_end)
			break;
	}
	if (l->pfn >= f->end)
		SIM_RETURN_VAL(cpu, l->pfn);
	SIM_EV(w, "pfn %u is not free: release what was taken", l->pfn);
	/* release_freepages(): the pages taken so far are [f->pfn, l->pfn) */
	for (l->release = f->pfn; l->release < l->pfn; l->release++)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = l->release);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(isolate_freepages_range);

/*
 * __offline_isolated_pages() (v3.16), as the base (mm/memory_hotplug.c):
 * every free chunk of the range leaves its list with no counter change; here
 * they also leave the owner's debit. Caller holds zone->lock.
 */
static void __offline_isolated_pages(struct sim_world *w, int owner, unsigned long start_pfn,
				     unsigned long end_pfn)
{
	struct zone *zone = w->zone;
	unsigned long pfn = start_pfn;
	long offlined = 0;

	sim_enter(w, "__offline_isolated_pages");
	lockdep_assert_held(w, &zone->lock);
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
		offlined += 1l << order;
		pfn += 1ul << order;
	}
	isolate_acct_take(w, owner, start_pfn, offlined);
	sim_leave(w);
}

/*
 * __offline_pages() (v3.16), as the base (mm/memory_hotplug.c); only
 * __offline_isolated_pages() differs. Frame: .pfn start, .end end.
 * Returns 0 or -EBUSY.
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
	__offline_isolated_pages(w, cpu->id, f->pfn, f->end);
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
SIM_DEFINE_FN(offline_pages);

const struct sim_variant sim_variant_vbabka_2014 = {
	.name = "vbabka-2014",
	.era = "proposal",
	.kernel = "Vlastimil Babka, linux-mm 2014-07 (seed 002), not posted as patches",
	.summary = "drift-tolerant top-level accounting (X, N - X at test, X back at undo), drain "
		   "between mark and move, migratetype read with IRQs off",
	.isolate_counted = true,
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
		.isolate_freepages_range = &isolate_freepages_range_fn,
		.offline_pages = &offline_pages_fn,
	},
};
