// SPDX-License-Identifier: GPL-2.0
/*
 * goto-2007: Yasunori Goto and KAMEZAWA Hiroyuki, "[RFC] memory hotremove
 * patch take 2" (linux-mm, 2007-05-09, against 2.6.21-mm1), never merged:
 *
 *   [02/10] (make page unused)       <20070509120248.B908.Y-GOTO@jp.fujitsu.com>
 *   [03/10] (drain all pages)        <20070509120337.B90A.Y-GOTO@jp.fujitsu.com>
 *   [04/10] (isolate all free pages) <20070509120434.B90E.Y-GOTO@jp.fujitsu.com>
 *   [05/10] (make basic remove code) <20070509120512.B910.Y-GOTO@jp.fujitsu.com>
 *
 * and Mel Gorman's review of [02/10] (2007-05-10, seed 003), whose
 * MIGRATE_ISOLATING pageblock type replaced the design (a5d76b54a3f3
 * "memory unplug: page isolation", 2.6.24).
 *
 * The design: a caller registers a MAX_ORDER-aligned pfn range
 * (register_isolation(): an isolation_info on zone->isolation_list, no
 * overlap). From then on __free_one_page() captures every page of the range
 * before it is counted or merged: split into order-0 pages marked Reserved +
 * Private and linked on the info, off the buddy lists and out of
 * NR_FREE_PAGES. capture_isolate_freed_pages() drains every CPU's pcplists
 * and pulls the range's free chunks off free_area[] under zone->lock. The
 * caller migrates what is in use; once every page is captured it detaches
 * the info and keeps the pages (offline: unuse_all_isolated_pages()), or
 * gives them back through the ordinary free path (free_all_isolated_pages()).
 *
 * The model has no 2.6.21 allocator: this is the design transplanted onto
 * the v3.16 baseline (.base = NULL). What changes over v3.16:
 *  - __free_one_page() captures (page_under_isolation()) and does the
 *    NR_FREE_PAGES accounting itself, after the capture, where 2.6.21 has
 *    it; free_one_page() and free_pcppages_bulk() no longer count (v3.16's
 *    keying mismatch, race R2, goes with that);
 *  - drain_all_pages() is [03/10]'s schedule_on_each_cpu(): every CPU;
 *  - start_isolate_page_range(), test_pages_isolated(),
 *    undo_isolate_page_range(), offline_pages() and alloc_contig_range() are
 *    the design's steps (each says which; docs/variants/goto-2007.md).
 * What does not change: the free paths' lock-free migratetype read and the
 * pcplists (a page of the range freed to a pcplist is captured only when
 * the list is flushed: the cover letter's "eternal loop"), allocation, and
 * merging outside registered ranges. No pageblock becomes MIGRATE_ISOLATE:
 * 2007 had no such type (Mel proposes it in the review), so nothing ever
 * goes to an ISOLATE list.
 *
 * Locking. zone->isolation_lock protects the list and each info's pages;
 * __free_one_page() takes it inside zone->lock, register_isolation() and
 * detach_isolation_info_zone() take it alone. The engine models zone->lock
 * only: every isolation_lock section here is one step with no scheduling
 * point inside, so no two of them overlap, and the lock would add nothing
 * but spinning. The list and the captured pages, which zone->lock does not
 * protect, are recorded as SIM_OBJ_ISOLATION (engine/access.h).
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "variants/variant.h"

#define EAGAIN 11
#define ENOMEM 12
#define EBUSY  16
#define EINVAL 22

/* offline_pages(): passes of its loop before it gives up, for its timeout. */
#define SIM_OFFLINE_REPEAT 5

/* ---------------------------------------------------------------------- */
/* isolation_info and the capture ([02/10])                                */
/* ---------------------------------------------------------------------- */

/* MAX_ORDER_NR_PAGES (include/linux/mmzone.h). */
static unsigned long max_order_nr_pages(const struct zone *zone)
{
	return 1ul << (MAX_ORDER(zone) - 1);
}

static struct isolation_info *isolation_info_of(struct sim_world *w, long slot)
{
	return &w->zone->isolation_info[slot];
}

static long isolation_info_slot(struct sim_world *w, const struct isolation_info *info)
{
	return info - w->zone->isolation_info;
}

/*
 * is_page_isolated() (include/linux/page_isolation.h): Reserved, Private, no
 * reference, and page->private == info. Model: page_private() holds the
 * order (0) the held list accounts by, so the owner is kept in page->index,
 * the freepage migratetype cache, which nothing reads while a page is
 * captured and the free path writes afresh when the page is given back.
 */
static bool is_page_isolated(struct sim_world *w, const struct isolation_info *info,
			     const struct page *page)
{
	return PageReserved(page) && PagePrivate(page) && page_count(page) == 0 &&
	       page->index == isolation_info_slot(w, info);
}

/*
 * isolate_page_nolock() ([02/10]): link the 2^order pages at page on
 * info->pages, each as an order-0 page, Reserved + Private ("pages on the
 * list in isolation_info are always order-0", Mel). Caller holds
 * isolation_lock or zone->lock. Model: info->pages is the zone's held list.
 */
static void isolate_page_nolock(struct sim_world *w, struct isolation_info *info, struct page *page,
				unsigned int order)
{
	int pagenum = 1 << order;

	sim_access_wr(w, SIM_OBJ_ISOLATION);
	while (pagenum > 0) {
		SetPageReserved(page);
		SetPagePrivate(page);
		/* page->private = (unsigned long)info; see is_page_isolated() */
		set_page_private(page, 0);
		page->index = (uint8_t)isolation_info_slot(w, info);
		list_add(w, &page->lru, &w->held[w->ncpus]);
		page++;
		pagenum--;
	}
}

/*
 * __page_under_isolation() ([02/10]): if the page lies in a registered
 * range, capture it. Called by __free_one_page() with zone->lock held; takes
 * isolation_lock (lock order zone->lock -> isolation_lock). Only the first
 * pfn is looked at: a free chunk never straddles a MAX_ORDER-aligned range.
 * The kernel walks the list newest first; ranges do not overlap, so walking
 * the table finds the same entry.
 */
static bool __page_under_isolation(struct sim_world *w, struct zone *zone, struct page *page,
				   unsigned int order)
{
	unsigned long pfn = page_to_pfn(w, page);

	for (int i = 0; i < SIM_ISOLATION_INFO_MAX; i++) {
		struct isolation_info *info = &zone->isolation_info[i];

		if (info->zone && info->start_pfn <= pfn && pfn < info->end_pfn) {
			isolate_page_nolock(w, info, page, order);
			SIM_EV(w, "pfn %lu order %u captured for [%u, %u): Reserved, uncounted",
			       pfn, order, info->start_pfn, info->end_pfn);
			return true;
		}
	}
	return false;
}

/*
 * page_under_isolation() ([02/10]): the fast path reads list_empty() with
 * zone->lock held but not isolation_lock, under which register_isolation()
 * adds (a data race in the kernel). Not a scheduling point of its own: a
 * registration landing between this read and the end of __free_one_page()
 * leaves the state one landing just after it would (the page on
 * free_area[], taken by the capture scan that follows every registration),
 * so the interleavings it adds are equivalent ones. Recorded as a read.
 */
static bool page_under_isolation(struct sim_world *w, struct zone *zone, struct page *page,
				 unsigned int order)
{
	sim_access_rd(w, SIM_OBJ_ISOLATION);
	if (G_LIKELY(!zone->isolation_list_len))
		return false;
	return __page_under_isolation(w, zone, page, order);
}

/* ---------------------------------------------------------------------- */
/* Freeing                                                                 */
/* ---------------------------------------------------------------------- */

/*
 * __free_one_page() (v3.16, with [02/10]'s hook): a page of a registered
 * range is captured first, after destroy_compound_page() and before
 * page_idx, the VM_BUG_ONs, the NR_FREE_PAGES increment and the merge loop
 * (the hunk's context in 2.6.21-mm1): it is never counted and never merged.
 * Counting is here, as 2.6.21 has it ("Use ZVC for free_pages"), keyed on
 * the list the page goes to; MIGRATE_ISOLATE, which 2007 did not have and
 * this variant never sets, stays uncounted as the model defines it. Merging
 * and the guard branch are v3.16's. Caller holds zone->lock.
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

	if (page_under_isolation(w, zone, page, order)) {
		sim_leave(w);
		return;
	}

	page_idx = pfn & ((1ul << MAX_ORDER(zone)) - 1);
	VM_BUG_ON(w, page_idx & ((1ul << order) - 1));

	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, 1l << order, migratetype);
	while (order < MAX_ORDER(zone) - 1) {
		buddy_idx = __find_buddy_index(page_idx, order);
		buddy_pfn = pfn + (buddy_idx - page_idx);
		if (!page_is_buddy(w, buddy_pfn, order))
			break;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		/* Our buddy is free or it is a guard page, merge with it and move up one order. */
		if (page_is_guard(pfn_to_page(w, buddy_pfn))) {
			clear_page_guard_flag(pfn_to_page(w, buddy_pfn));
			set_page_private(page, 0); /* sic: the freed page, not the buddy (v3.16) */
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
 * free_one_page() (v3.16 without its counting, which __free_one_page() does
 * now). Called with IRQs off. Frame: .pfn page, .order, .mt migratetype.
 */
static enum sim_ret free_one_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	w->ops->__free_one_page(w, pfn_to_page(w, f->pfn), f->pfn, zone, (unsigned int)f->order,
				f->mt);
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(free_one_page);

/*
 * free_pcppages_bulk() (v3.16 without its counting): each page goes to
 * __free_one_page() with its cached migratetype, which captures it if it
 * lies in a registered range ("Page isolation will catch them in
 * free_one_page", [03/10]). Called with IRQs off. Frame: .arg count.
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
 * drain_all_pages() ([03/10]): schedule_on_each_cpu(drain_local_zone_pages):
 * drain_local_pages() as work on every online CPU, whatever its pcplists
 * hold, and wait for all. Model: an IPI to every other CPU, then the local
 * call, as on_each_cpu(); like a kworker, the handler only runs where IRQs
 * are on, which includes a free between its migratetype read and
 * local_irq_save().
 */
static enum sim_ret drain_all_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	uint64_t online = w->ncpus >= 64 ? ~0ull : (1ull << w->ncpus) - 1;

	SIM_BEGIN(f);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_SEND);
	/*
	 * Model: what each target's drain finds is its pcplists at delivery,
	 * and a delivery is ordered only after its send; recording the send as
	 * reading them lets the explorer see a target's pcplist changes race
	 * with the drain (v3.16's drain reads pcp->count here itself).
	 */
	w->info.acc.pcp_rd |= online & ~(1ull << cpu->id);
	smp_call_function_many(w, online, w->ops->drain_local_pages);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_EV(w, "work done on every other CPU");
	local_irq_save(w);
	SIM_CALL(w, cpu, f, w->ops->drain_local_pages);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(drain_all_pages);

/* ---------------------------------------------------------------------- */
/* Registering a range and capturing its free pages ([02/10], [04/10])     */
/* ---------------------------------------------------------------------- */

/* kmalloc(sizeof(struct isolation_info)): a free entry of the zone's table, or -1. */
static long isolation_info_alloc(struct sim_world *w, int owner)
{
	sim_access_wr(w, SIM_OBJ_ISOLATION);
	for (int i = 0; i < SIM_ISOLATION_INFO_MAX; i++) {
		struct isolation_info *info = &w->zone->isolation_info[i];

		if (!info->used) {
			*info = (struct isolation_info){ .used = 1, .owner = (uint8_t)owner };
			return i;
		}
	}
	return -1;
}

/* Under isolation_lock: an overlap with a registered range ("we don't allow overlap"). */
static bool isolation_overlaps(const struct zone *zone, unsigned long start, unsigned long end)
{
	for (int i = 0; i < SIM_ISOLATION_INFO_MAX; i++) {
		const struct isolation_info *tmp = &zone->isolation_info[i];

		if (tmp->zone && start < tmp->end_pfn && end > tmp->start_pfn)
			return true;
	}
	return false;
}

/*
 * register_isolation() ([02/10]): -EINVAL unless [start, end) is valid, in
 * one zone and MAX_ORDER aligned ("target range has to match MAX_ORDER
 * alignmet"; Mel asked why and got no answer: it keeps every free chunk
 * either inside the range or outside it). kmalloc(GFP_KERNEL) first, then
 * under isolation_lock (irqsave) refuse an overlap with -EBUSY and
 * list_add(). zone->lock is not taken.
 * Frame: .pfn start, .end end. Returns the info (its slot) or -errno;
 * -ENOMEM when the model's table is full.
 */
struct register_isolation_locals {
	long slot;
};

static enum sim_ret register_isolation(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct register_isolation_locals *l = SIM_LOCALS(f, struct register_isolation_locals);
	struct zone *zone = w->zone;
	struct isolation_info *info;

	SIM_BEGIN(f);
	if (!zone_spans_pfn(zone, f->pfn) || f->pfn >= f->end || !zone_spans_pfn(zone, f->end - 1))
		SIM_RETURN_VAL(cpu, -EINVAL);
	/* target range has to match MAX_ORDER alignmet */
	if ((f->pfn | f->end) & (max_order_nr_pages(zone) - 1)) {
		SIM_EV(w, "[%u, %u) is not MAX_ORDER aligned: -EINVAL", f->pfn, f->end);
		SIM_RETURN_VAL(cpu, -EINVAL);
	}
	l->slot = isolation_info_alloc(w, cpu->id);
	if (l->slot < 0)
		SIM_RETURN_VAL(cpu, -ENOMEM);
	/* spin_lock_irqsave(&zone->isolation_lock, flags) */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	info = isolation_info_of(w, l->slot);
	sim_access_wr(w, SIM_OBJ_ISOLATION);
	/* we don't allow overlap among isolation areas */
	if (isolation_overlaps(zone, f->pfn, f->end)) {
		info->used = 0; /* kfree(info) */
		SIM_EV(w, "[%u, %u) overlaps a registered range: -EBUSY", f->pfn, f->end);
		SIM_RETURN_VAL(cpu, -EBUSY);
	}
	info->start_pfn = f->pfn;
	info->end_pfn = f->end;
	info->zone = 1;
	zone->isolation_list_len++; /* list_add(&info->list, &zone->isolation_list) */
	SIM_EV(w, "registered [%u, %u)", f->pfn, f->end);
	SIM_RETURN_VAL(cpu, l->slot);
	SIM_END(f);
}
SIM_DEFINE_FN(register_isolation);

/*
 * The scan of capture_isolate_freed_pages(): every free chunk of the range
 * off free_area[], uncounted, captured. Caller holds zone->lock. Mel: "If
 * PageBuddy is set it's free, you shouldn't have to check the page_count".
 */
static long __capture_isolate_freed_pages(struct sim_world *w, struct isolation_info *info)
{
	struct zone *zone = w->zone;
	unsigned long pfn = info->start_pfn;
	long nr_pages = 0;

	lockdep_assert_held(w, &zone->lock);
	sim_access_pages_all(w, false); /* the refcounts */
	while (pfn < info->end_pfn) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;
		long order_size;

		/* See page_is_buddy()  */
		if (page_count(page) != 0 || !PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = page_order(page);
		order_size = 1l << order;
		zone->free_area[order].nr_free--;
		__mod_zone_page_state(zone, NR_FREE_PAGES, -order_size);
		/* model: v3.16's CMA counter, keyed as __isolate_free_page() keys it */
		if (is_migrate_cma(get_pageblock_migratetype(w, page)))
			__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, -order_size);
		list_del(w, &page->lru);
		rmv_page_order(page);
		isolate_page_nolock(w, info, page, order);
		SIM_EV(w, "captured free pfn %lu order %u, NR_FREE_PAGES -= %ld", pfn, order,
		       order_size);
		nr_pages += order_size;
		pfn += (unsigned long)order_size;
	}
	return nr_pages;
}

/*
 * capture_isolate_freed_pages() ([04/10]): drain every pcplist (the pages
 * flushed meet the hook in __free_one_page), then take the range's free
 * chunks under zone->lock. It takes spin_lock(), not spin_lock_irqsave(),
 * in process context while the free paths take zone->lock from IRQs: a
 * latent deadlock the model cannot show, the scan being one step with IRQs
 * never delivered inside it. The pfn_valid()/zone checks are
 * register_isolation()'s and pass. Frame: .arg the info. Returns the pages
 * taken.
 */
struct capture_locals {
	long nr_pages;
};

static enum sim_ret capture_isolate_freed_pages(struct sim_world *w, struct sim_cpu *cpu,
						struct sim_frame *f)
{
	struct capture_locals *l = SIM_LOCALS(f, struct capture_locals);
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	l->nr_pages = __capture_isolate_freed_pages(w, isolation_info_of(w, f->arg));
	spin_unlock(w, &zone->lock);
	SIM_RETURN_VAL(cpu, l->nr_pages);
	SIM_END(f);
}
SIM_DEFINE_FN(capture_isolate_freed_pages);

/* ---------------------------------------------------------------------- */
/* Detaching and giving the pages back ([02/10])                           */
/* ---------------------------------------------------------------------- */

/*
 * detach_isolation_info_zone() ([02/10]): under isolation_lock, list_del()
 * and info->zone = NULL; from here no free is captured for it. Model: the
 * range is not isolated any more, so an allocation from it is legitimate
 * again (the isolation invariant's mark, which v3.16 clears when a block
 * leaves MIGRATE_ISOLATE).
 */
static void detach_isolation_info_zone(struct sim_world *w, struct isolation_info *info)
{
	unsigned long b = sim_block_of(w, info->start_pfn);
	unsigned long last = sim_block_of(w, info->end_pfn - 1);

	sim_access_wr(w, SIM_OBJ_ISOLATION | SIM_OBJ_TESTED);
	info->zone = 0;
	w->zone->isolation_list_len--;
	for (; b <= last; b++)
		w->block_flags[b] &= (uint8_t)~SIM_BLOCK_TESTED;
	SIM_EV(w, "detached [%u, %u)", info->start_pfn, info->end_pfn);
}

/* list_for_each_entry(page, &info->pages, lru): the held list's first page of info. */
static struct page *isolation_info_first(struct sim_world *w, const struct isolation_info *info)
{
	struct list_head *head = &w->held[w->ncpus];

	sim_access_rd(w, SIM_OBJ_ISOLATION);
	for (struct list_head *l = list_first(w, head); l != head; l = sim_lh(w, l->next)) {
		struct page *page = container_of(l, struct page, lru);

		if (is_page_isolated(w, info, page))
			return page;
	}
	return NULL;
}

/*
 * free_all_isolated_pages() ([02/10], the offline failure path): give each
 * captured page back through the ordinary order-0 free path, __free_page():
 * the pcplist, counted when flushed, merging rebuilt one page at a time.
 * "This is safe because info is detached from zone": no lock.
 * Frame: .arg the info.
 */
static enum sim_ret free_all_isolated_pages(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct isolation_info *info = isolation_info_of(w, f->arg);
	struct page *page;

	SIM_BEGIN(f);
	VM_BUG_ON(w, info->zone);
	while ((page = isolation_info_first(w, info))) {
		sim_access_wr(w, SIM_OBJ_ISOLATION);
		sim_access_page_wr(w); /* the refcount, without zone->lock */
		ClearPagePrivate(page);
		ClearPageReserved(page);
		set_page_private(page, 0);
		list_del(w, &page->lru);
		set_page_refcounted(page); /* set_page_count(page, 0); set_page_refcounted(page) */
		sim_shadow_alloc(w, 0, 1); /* model: referenced until __free_page() drops it */
		SIM_EV(w, "pfn %lu given back", page_to_pfn(w, page));
		SIM_CALL(w, cpu, f, &sim_base___free_pages, .pfn = (uint32_t)page_to_pfn(w, page),
			 .order = 0);
	}
	SIM_END(f);
}
SIM_DEFINE_FN(free_all_isolated_pages);

/*
 * unuse_all_isolated_pages() ([02/10], the offline success path): the
 * captured pages stay Reserved and leave info->pages, out of the zone
 * ("When onlining these pages again, a user must check which page is
 * usable"). NR_FREE_PAGES needs nothing: they were uncounted at capture.
 */
static void unuse_all_isolated_pages(struct sim_world *w, struct isolation_info *info)
{
	struct page *page;

	VM_BUG_ON(w, info->zone);
	sim_access_wr(w, SIM_OBJ_ISOLATION);
	sim_access_page_wr(w);
	while ((page = isolation_info_first(w, info))) {
		SetPageReserved(page);
		set_page_private(page, 0);
		ClearPagePrivate(page);
		list_del(w, &page->lru);
		w->st->shadow.offline_pages++; /* model: out of the zone */
	}
}

/* free_isolation_info() ([02/10]): the info must be empty and detached; kfree(). */
static void free_isolation_info(struct sim_world *w, struct isolation_info *info)
{
	VM_BUG_ON(w, isolation_info_first(w, info)); /* BUG_ON(!list_empty(&info->pages)) */
	VM_BUG_ON(w, info->zone);
	sim_access_wr(w, SIM_OBJ_ISOLATION);
	info->used = 0;
}

/* ---------------------------------------------------------------------- */
/* The isolation API the scenarios and callers use, as this design has it */
/* ---------------------------------------------------------------------- */

/*
 * Model: the isolation_info a scenario's caller holds. The kernel's caller
 * keeps the pointer register_isolation() returned; a script names the range
 * instead, so the info is found by its range and the CPU that registered it
 * (undoing another caller's registration, race R13, is what the pointer
 * rules out). -1 if this CPU holds none.
 */
static long isolation_info_held(struct sim_world *w, const struct sim_cpu *cpu, unsigned long start,
				unsigned long end)
{
	sim_access_rd(w, SIM_OBJ_ISOLATION);
	for (int i = 0; i < SIM_ISOLATION_INFO_MAX; i++) {
		const struct isolation_info *info = &w->zone->isolation_info[i];

		if (info->zone && info->owner == cpu->id && info->start_pfn == start &&
		    info->end_pfn == end)
			return i;
	}
	return -1;
}

/*
 * start_isolate_page_range() for this design: what offline_pages() of
 * [05/10] does first, register_isolation() and capture_isolate_freed_pages()
 * (which cannot fail once the range is registered). No pageblock changes
 * type: the migratetype is not used. Frame: .pfn start, .end end, .mt.
 * Returns 0 or register_isolation()'s -EINVAL, -EBUSY, -ENOMEM.
 */
static enum sim_ret start_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &register_isolation_fn, .pfn = f->pfn, .end = f->end);
	if (cpu->ret < 0)
		SIM_RETURN_VAL(cpu, cpu->ret);
	SIM_CALL(w, cpu, f, &capture_isolate_freed_pages_fn, .arg = (int32_t)cpu->ret);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(start_isolate_page_range);

/*
 * undo_isolate_page_range() for this design: the failure path of
 * offline_pages() ([05/10]), detach_isolation_info_zone(),
 * free_all_isolated_pages(), free_isolation_info(). A range this CPU did
 * not register is left alone (as v3.16 skips blocks that are not isolated).
 * Frame: .pfn start, .end end, .mt (not used).
 */
struct undo_locals {
	long slot;
};

static enum sim_ret undo_isolate_page_range(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	struct undo_locals *l = SIM_LOCALS(f, struct undo_locals);

	SIM_BEGIN(f);
	l->slot = isolation_info_held(w, cpu, f->pfn, f->end);
	if (l->slot < 0) {
		SIM_EV(w, "[%u, %u) is not registered by this CPU", f->pfn, f->end);
		SIM_RETURN_VAL(cpu, 0);
	}
	/* spin_lock_irqsave(&zone->isolation_lock, flags) */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	detach_isolation_info_zone(w, isolation_info_of(w, l->slot));
	SIM_CALL(w, cpu, f, &free_all_isolated_pages_fn, .arg = (int32_t)l->slot);
	free_isolation_info(w, isolation_info_of(w, l->slot));
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_FN(undo_isolate_page_range);

/*
 * check_removal_success() of [05/10], on [start, end): every page captured
 * for the registered range that contains it. Lock-free, as there.
 * Returns 0 or -EBUSY.
 */
static long __test_pages_isolated(struct sim_world *w, unsigned long start, unsigned long end)
{
	const struct isolation_info *info = NULL;

	sim_access_rd(w, SIM_OBJ_ISOLATION);
	for (int i = 0; i < SIM_ISOLATION_INFO_MAX; i++) {
		const struct isolation_info *tmp = &w->zone->isolation_info[i];

		if (tmp->zone && tmp->start_pfn <= start && end <= tmp->end_pfn)
			info = tmp;
	}
	if (!info)
		return -EBUSY;
	sim_access_pages_all(w, false); /* the refcounts */
	for (unsigned long pfn = start; pfn < end; pfn++) {
		if (!is_page_isolated(w, info, pfn_to_page(w, pfn)))
			return -EBUSY;
	}
	return 0;
}

/*
 * test_pages_isolated() for this design: check_removal_success(). One
 * step: a captured page stays captured until its owner detaches the info, so
 * a walk spread over other CPUs' steps returns what one at its end returns.
 * Frame: .pfn start, .end end. Returns 0 or -EBUSY.
 */
struct test_locals {
	long ret;
};

static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	struct test_locals *l = SIM_LOCALS(f, struct test_locals);

	SIM_BEGIN(f);
	SIM_RACY_READ(w, cpu, f, l->ret, __test_pages_isolated(w, f->pfn, f->end));
	SIM_EV(w, "[%u, %u) %s", f->pfn, f->end, l->ret ? "not all captured: -EBUSY" : "captured");
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(test_pages_isolated);

/* ---------------------------------------------------------------------- */
/* Callers: memory offline ([05/10]) and contiguous allocation             */
/* ---------------------------------------------------------------------- */

/* offline_pages()'s scan: the first pfn from pfn that is neither Reserved nor captured. */
static unsigned long first_unisolated_pfn(struct sim_world *w, const struct isolation_info *info,
					  unsigned long pfn, unsigned long end)
{
	sim_access_rd(w, SIM_OBJ_ISOLATION);
	sim_access_pages_all(w, false); /* the refcounts */
	for (; pfn < end; pfn++) {
		struct page *page = pfn_to_page(w, pfn);

		if (PageReserved(page)) /* ignore Resrved page for now */
			continue;
		if (!is_page_isolated(w, info, page))
			break;
	}
	return pfn;
}

/*
 * offline_pages() of [05/10] (make basic remove code): register the range
 * and capture its free pages; then repeat: find the first page neither
 * Reserved nor captured and migrate from there, until there is none; check
 * every page is captured (check_removal_success()); detach and keep the
 * pages (unuse_all_isolated_pages()). On failure, detach and give them back
 * (free_all_isolated_pages()). The loop never drains the pcplists again: a
 * migration source waits on a pcplist until a flush, "cause of eternal loop
 * in offline_pages()" (cover letter; [09/10]'s direct capture of migration
 * sources is not modeled). Model: the loop gives up after
 * SIM_OFFLINE_REPEAT passes with -EAGAIN, what its timeout returns; no
 * signals, no lru_add_drain_all() (no LRU); the section, ZONE_MOVABLE and
 * PageSlab checks pass (one zone, no slab); migrate_range() stands for
 * do_migrate_and_isolate_pages(). Frame: .pfn start, .end end.
 */
struct offline_pages_locals {
	int32_t slot;
	int32_t ret;
	uint32_t pfn;
	int32_t repeat;
};

static enum sim_ret offline_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct offline_pages_locals *l = SIM_LOCALS(f, struct offline_pages_locals);
	struct isolation_info *info;

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, &register_isolation_fn, .pfn = f->pfn, .end = f->end);
	if (cpu->ret < 0)
		SIM_RETURN_VAL(cpu, cpu->ret);
	l->slot = (int32_t)cpu->ret;
	/* start memory hot removal (the capture cannot fail once registered) */
	SIM_CALL(w, cpu, f, &capture_isolate_freed_pages_fn, .arg = l->slot);
	l->pfn = f->pfn;
	l->repeat = 0;
repeat:
	l->ret = -EAGAIN;
	if (++l->repeat > SIM_OFFLINE_REPEAT)
		goto failed_removal;
	SIM_RACY_READ(
		w, cpu, f, l->pfn,
		(uint32_t)first_unisolated_pfn(w, isolation_info_of(w, l->slot), l->pfn, f->end));
	if (l->pfn != f->end) {
		if (l->repeat > 1)
			sim_count_retry(cpu); /* pages came back after the last migration */
		SIM_EV(w, "pfn %u is not isolated: migrate from there", l->pfn);
		SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = l->pfn, .end = f->end);
		if (!cpu->ret)
			goto repeat;
		l->ret = -EBUSY;
		goto failed_removal;
	}
	/* check memory holes and bootmem */
	SIM_RACY_READ(w, cpu, f, l->ret, (int32_t)__test_pages_isolated(w, f->pfn, f->end));
	if (l->ret < 0)
		goto failed_removal;
	/* all pages are isolated: detach under isolation_lock */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	info = isolation_info_of(w, l->slot);
	detach_isolation_info_zone(w, info);
	unuse_all_isolated_pages(w, info);
	free_isolation_info(w, info);
	SIM_EV(w, "[%u, %u) offlined", f->pfn, f->end);
	SIM_RETURN_VAL(cpu, 0);
failed_removal:
	SIM_EV(w, "failed (%d): push back to free_list", l->ret);
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	detach_isolation_info_zone(w, isolation_info_of(w, l->slot));
	SIM_CALL(w, cpu, f, &free_all_isolated_pages_fn, .arg = l->slot);
	free_isolation_info(w, isolation_info_of(w, l->slot));
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(offline_pages);

/*
 * Model, not in the record: what a contiguous allocation does with the
 * captured pages of [start, end) where offline calls
 * unuse_all_isolated_pages(): each leaves info->pages as an order-0 page
 * with a reference, as v3.16's split_free_page() leaves them. The info is
 * detached.
 */
static void claim_isolated_pages(struct sim_world *w, struct isolation_info *info,
				 unsigned long start, unsigned long end)
{
	sim_access_wr(w, SIM_OBJ_ISOLATION);
	sim_access_page_wr(w); /* the refcounts, the caller's now */
	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct page *page = pfn_to_page(w, pfn);

		VM_BUG_ON(w, !is_page_isolated(w, info, page));
		if (!is_page_isolated(w, info, page))
			continue;
		ClearPagePrivate(page);
		ClearPageReserved(page);
		list_del(w, &page->lru);
		sim_contig_page_taken(page);
		sim_shadow_alloc(w, 0, 1); /* model: the caller's now */
	}
}

/* pfn_max_align_down()/pfn_max_align_up() of alloc_contig_range(). */
static unsigned long pfn_max_align(const struct zone *zone)
{
	return MAX(max_order_nr_pages(zone), pageblock_nr_pages(zone));
}

/*
 * alloc_contig_range() for this design: not in the record (CMA came in
 * 2012), but Mel's first remark on [02/10] names the use: "this could also
 * be interesting when trying to free a block of pages for a contiguous
 * allocation without racing against other allocators". v3.16's sequence
 * with the design's steps where v3.16 works on free chunks of ISOLATE lists:
 * isolate (register + capture) the MAX_ORDER-aligned range, migrate
 * [start, end), drain, test that every page of [start, end) is captured (no
 * outer_start: captured pages are order 0), then detach, hand the captured
 * pages of [start, end) to the caller and give back the rest (v3.16's
 * free_contig_range() of head and tail plus its undo). On failure, undo.
 * Frame: .pfn start, .end end, .mt. Returns 0 or -errno.
 */
struct alloc_contig_range_locals {
	int32_t ret;
	int32_t slot;
};

static enum sim_ret alloc_contig_range(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	struct alloc_contig_range_locals *l = SIM_LOCALS(f, struct alloc_contig_range_locals);
	unsigned long align = pfn_max_align(w->zone);
	uint32_t start = (uint32_t)(f->pfn & ~(align - 1));
	uint32_t end = (uint32_t)((f->end + align - 1) & ~(align - 1));

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->start_isolate_page_range, .pfn = start, .end = end,
		 .mt = f->mt);
	if (cpu->ret)
		SIM_RETURN_VAL(cpu, cpu->ret);
	SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
	l->ret = (int32_t)cpu->ret;
	if (l->ret && l->ret != -EBUSY)
		goto done;
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = f->pfn, .end = f->end);
	if (cpu->ret) {
		SIM_EV(w, "test_pages_isolated(%u, %u) failed", f->pfn, f->end);
		l->ret = -EBUSY;
		goto done;
	}
	/* detach under isolation_lock, keep [start, end), give back the rest */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	l->slot = (int32_t)isolation_info_held(w, cpu, start, end);
	VM_BUG_ON(w, l->slot < 0); /* only this caller detaches its info */
	if (l->slot < 0)
		SIM_RETURN_VAL(cpu, -EBUSY);
	detach_isolation_info_zone(w, isolation_info_of(w, l->slot));
	claim_isolated_pages(w, isolation_info_of(w, l->slot), f->pfn, f->end);
	SIM_CALL(w, cpu, f, &free_all_isolated_pages_fn, .arg = l->slot);
	free_isolation_info(w, isolation_info_of(w, l->slot));
	SIM_EV(w, "alloc_contig_range(%u, %u) = 0", f->pfn, f->end);
	SIM_RETURN_VAL(cpu, 0);
done:
	SIM_CALL(w, cpu, f, w->ops->undo_isolate_page_range, .pfn = start, .end = end, .mt = f->mt);
	SIM_EV(w, "alloc_contig_range(%u, %u) = %d", f->pfn, f->end, l->ret);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(alloc_contig_range);

const struct sim_variant sim_variant_goto_2007 = {
	.name = "goto-2007",
	.era = "proposal",
	.kernel = "RFC take 2, 2007-05 (seed 003)",
	.summary = "isolation_info capture list: __free_one_page captures freed pages of "
		   "registered ranges before counting or merging",
	.ops = {
		.free_one_page = &free_one_page_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.drain_all_pages = &drain_all_pages_fn,
		.start_isolate_page_range = &start_isolate_page_range_fn,
		.undo_isolate_page_range = &undo_isolate_page_range_fn,
		.test_pages_isolated = &test_pages_isolated_fn,
		.alloc_contig_range = &alloc_contig_range_fn,
		.offline_pages = &offline_pages_fn,
		.__free_one_page = __free_one_page,
	},
};
