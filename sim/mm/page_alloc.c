// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc.c as of linux v3.16 (linux-next-20140703, the tree Joonsoo
 * Kim's "fix freepage count problems due to memory isolation" was based on):
 * the baseline every design variant starts from.
 *
 * Source read: v3.16/v3.17 mm/page_alloc.c (identical for every function
 * here except the NR_PAGES_SCANNED bookkeeping, not modeled). Each function
 * names what it leaves out. Where the kernel reads shared state without
 * zone->lock, the model reads it through SIM_RACY_READ, a scheduling point;
 * where IRQs come back on and more shared work follows, there is a
 * SIM_POINT; everything between two points runs atomically, which is sound
 * because it is either protected by zone->lock / IRQs-off or invisible to
 * other CPUs (docs/model.md, "Steps").
 *
 * The known races of this baseline, in the words of the 2014 thread: the
 * free paths read the pageblock migratetype before disabling IRQs and
 * trust the cached value (R3, R4, R8); free_pcppages_bulk puts a page on the
 * list of its cached type but counts it by its current block type (R2);
 * __free_one_page merges across lists without looking (R6, R7);
 * move_freepages_block() returns every free page it walks, not the ones it
 * moved (R5). See docs/variants.md.
 */
#include "engine/step.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"

/* ---------------------------------------------------------------------- */
/* Freeing: the buddy merge                                                */
/* ---------------------------------------------------------------------- */

/* Model: report a merge that joins an ISOLATE-list chunk with a normal one. */
void sim_note_merge(struct sim_world *w, unsigned long pfn, unsigned long buddy_pfn,
		    unsigned int order, int migratetype)
{
	struct page *buddy = pfn_to_page(w, buddy_pfn);

	if (buddy->where == SIM_WHERE_FREE &&
	    is_migrate_isolate(buddy->where_mt) != is_migrate_isolate(migratetype)) {
		w->st->ev.cross_merge++;
		w->st->ev.cross_merge_pfn = (uint32_t)pfn;
		w->st->ev.any = 1;
	}
	sim_charge(w, SIM_COST_BUDDY);
	SIM_EV(w, "merge pfn %lu order %u with buddy %lu (%s%s)", pfn, order, buddy_pfn,
	       page_is_guard(buddy) ? "guard" : "on ",
	       page_is_guard(buddy) ? "" : migratetype_name(buddy->where_mt));
}

/*
 * __free_one_page() (v3.16): merge the freed page with free buddies of any
 * list and put the result on free_list[migratetype]. Caller holds zone->lock.
 * No counting here, except the guard-page branch, which adds 2^order keyed on
 * migratetype even when that is MIGRATE_ISOLATE (race R1; fixed in v3.18 by
 * "mm/debug-pagealloc: correct freepage accounting and order resetting").
 * Omitted: destroy_compound_page (no compound pages are modeled).
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
		buddy_idx = __find_buddy_index(page_idx, order);
		buddy_pfn = pfn + (buddy_idx - page_idx);
		if (!page_is_buddy(w, buddy_pfn, order))
			break;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		/* Our buddy is free or it is a guard page, merge with it and move up one order. */
		if (page_is_guard(pfn_to_page(w, buddy_pfn))) {
			clear_page_guard_flag(pfn_to_page(w, buddy_pfn));
			set_page_private(page, 0); /* sic: the freed page, not the buddy */
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
 * The tail of __free_one_page (v3.16, unchanged until v5.x): if the buddy of
 * the next order is free too, pages are likely being freed that will merge
 * soon, so add the page to the tail of the list. Shared by the variants.
 */
void sim_free_one_page_insert(struct sim_world *w, struct page *page, unsigned long pfn,
			      struct zone *zone, unsigned int order, int migratetype,
			      unsigned long page_idx, unsigned long buddy_idx,
			      unsigned long buddy_pfn)
{
	struct list_head *list = &zone->free_area[order].free_list[migratetype];

	if (order < MAX_ORDER(zone) - 2 && zone_spans_pfn(zone, buddy_pfn)) {
		unsigned long combined_idx = buddy_idx & page_idx;
		unsigned long higher_pfn = pfn + (combined_idx - page_idx);
		unsigned long higher_buddy_pfn =
			higher_pfn + (__find_buddy_index(combined_idx, order + 1) - combined_idx);

		if (page_is_buddy(w, higher_buddy_pfn, order + 1)) {
			list_add_tail(w, &page->lru, list);
			goto out;
		}
	}
	list_add(w, &page->lru, list);
out:
	zone->free_area[order].nr_free++;
	sim_charge(w, SIM_COST_BUDDY);
	SIM_EV(w, "-> order %u on %s (pfn %lu)", order, migratetype_name(migratetype), pfn);
}

/*
 * free_pages_prepare() (v3.16): the checks a page passes before it is freed.
 * Model: a page that is free already is a double free (bad_page); the
 * refcount drops to 0 and the shadow counts the pages in flight until they are on a list.
 */
void free_pages_prepare(struct sim_world *w, struct page *page, unsigned int order)
{
	SIM_TRACEPOINT(w, mm_page_free, "page=%p pfn=%lu order=%d",
		       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), (int)order);
	VM_BUG_ON(w, PageBuddy(page) || page->where != SIM_WHERE_NONE);
	sim_access_page_wr(w);
	page->_count = 0;
	sim_shadow_freeing(w, page, order);
}

/* ---------------------------------------------------------------------- */
/* Freeing: the entry paths                                                */
/* ---------------------------------------------------------------------- */

/*
 * free_one_page() (v3.16): called with IRQs off. The caller read
 * migratetype without zone->lock; it is used as is, both for the list and
 * for the counter (races R3, R4).
 * Frame: .pfn page, .order, .mt migratetype.
 */
static enum sim_ret free_one_page(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;

	SIM_BEGIN(f);
	lockdep_assert_irqs_disabled(w);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	w->ops->__free_one_page(w, pfn_to_page(w, f->pfn), f->pfn, zone, (unsigned int)f->order,
				f->mt);
	if (!is_migrate_isolate(f->mt))
		__mod_zone_freepage_state(zone, 1l << f->order, f->mt);
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(free_one_page);

/*
 * __free_pages_ok() (v3.16): free a page of order > 0. The pageblock's
 * migratetype is read before IRQs are disabled and without zone->lock.
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
	/* Racy: the block may be (un)isolated before free_one_page takes the lock. */
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s", f->pfn, migratetype_name(l->migratetype));
	local_irq_save(w);
	sim_access_page_wr(w); /* page->index, read by the isolation test */
	set_freepage_migratetype(page, l->migratetype);
	SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = f->order,
		 .mt = (int16_t)l->migratetype);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(__free_pages_ok);

/*
 * free_hot_cold_page() (v3.16): free an order-0 page to this CPU's pcplist.
 * The migratetype is read and cached in page->index with IRQs still on
 * (F2); an IPI can be taken between that read and local_irq_save (F3), which
 * is the window of races R2 and R8.
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
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	sim_access_page_wr(w); /* page->index, read by the isolation test */
	set_freepage_migratetype(page, l->migratetype);
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s, cached", f->pfn,
	       migratetype_name(l->migratetype));
	/* Preemptible, IRQs on: the window between the read and local_irq_save. */
	SIM_POINT(w, cpu, f, SIM_NEXT_RUN);
	local_irq_save(w);

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
	if (pcp->count >= sim_pcp_high(w, pcp)) {
		l->batch = sim_pcp_batch(w, pcp); /* ACCESS_ONCE(pcp->batch) */
		SIM_CALL(w, cpu, f, w->ops->free_pcppages_bulk, .arg = l->batch);
		pcp->count -= l->batch;
	}
out:
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(free_hot_cold_page);

/*
 * free_pcppages_bulk() (v3.16): return `count` pages of this CPU's pcplists
 * to the buddy lists, round-robin over the lists. Called with IRQs off. Each
 * page goes to the list of its cached migratetype, but is counted by the
 * current type of its pageblock (race R2). Frame: .arg count.
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
			if (!is_migrate_isolate_page(w, page)) {
				__mod_zone_page_state(zone, NR_FREE_PAGES, 1);
				if (is_migrate_cma(mt))
					__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, 1);
			}
		} while (--to_free && --batch_free && !list_empty(w, list));
	}
	spin_unlock(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(free_pcppages_bulk);

/* ---------------------------------------------------------------------- */
/* Allocation                                                              */
/* ---------------------------------------------------------------------- */

/*
 * expand() (v3.16): split a chunk of order `high` down to `low`, putting the
 * upper halves on free_list[migratetype] (the requested type, not the
 * block's). Halves below debug_guardpage_minorder become guard pages and are
 * subtracted from the counters. Caller holds zone->lock.
 */
static void expand(struct sim_world *w, struct zone *zone, struct page *page, int low, int high,
		   int migratetype)
{
	unsigned long size = 1ul << high;

	sim_enter(w, "expand");
	while (high > low) {
		struct page *half;

		high--;
		size >>= 1;
		half = page + size;
		sim_charge(w, SIM_COST_BUDDY);
		if ((unsigned int)high < zone->debug_guardpage_minorder) {
			/*
			 * Mark as guard pages (or page), that will allow to
			 * merge back to allocator when buddy will be freed.
			 */
			INIT_LIST_HEAD(w, &half->lru);
			set_page_guard_flag(half);
			set_page_private(half, (unsigned int)high);
			/* Guard pages are not available for any usage */
			__mod_zone_freepage_state(zone, -(1l << high), migratetype);
			sim_shadow_guard(w, half, (unsigned int)high, 1);
			SIM_EV(w, "guard pfn %lu order %d", page_to_pfn(w, half), high);
			continue;
		}
		list_add(w, &half->lru, &zone->free_area[high].free_list[migratetype]);
		zone->free_area[high].nr_free++;
		set_page_order(half, (unsigned int)high);
	}
	sim_leave(w);
}

/*
 * __rmqueue_smallest() (v3.16): take the smallest chunk of at least `order`
 * from free_list[migratetype]. Caller holds zone->lock.
 */
struct page *__rmqueue_smallest(struct sim_world *w, struct zone *zone, unsigned int order,
				int migratetype)
{
	unsigned int current_order;

	for (current_order = order; current_order < MAX_ORDER(zone); ++current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;

		if (list_empty(w, &area->free_list[migratetype]))
			continue;

		page = container_of(list_first(w, &area->free_list[migratetype]), struct page, lru);
		list_del(w, &page->lru);
		rmv_page_order(page);
		area->nr_free--;
		w->ops->expand(w, zone, page, (int)order, (int)current_order, migratetype);
		set_freepage_migratetype(page, migratetype);
		SIM_EV(w, "take pfn %lu order %u from %s", page_to_pfn(w, page), current_order,
		       migratetype_name(migratetype));
		return page;
	}
	return NULL;
}

/*
 * This array describes the order lists are fallen back to when the free
 * lists for the desirable migrate type are depleted (v3.16, CONFIG_CMA).
 */
static const int fallbacks[MIGRATE_TYPES][4] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE, MIGRATE_RESERVE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RESERVE },
	[MIGRATE_MOVABLE] = { MIGRATE_CMA, MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE,
			      MIGRATE_RESERVE },
	[MIGRATE_CMA] = { MIGRATE_RESERVE },	 /* Never used */
	[MIGRATE_RESERVE] = { MIGRATE_RESERVE }, /* Never used */
	[MIGRATE_ISOLATE] = { MIGRATE_RESERVE }, /* Never used */
};

static void change_pageblock_range(struct sim_world *w, struct page *pageblock_page,
				   int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - (int)pageblock_order(w->zone));

	while (nr_pageblocks--) {
		set_pageblock_migratetype(w, pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages(w->zone);
	}
}

/*
 * try_to_steal_freepages() (v3.16): when falling back, take ownership of the
 * block if the chunk is large enough. Never changes a CMA block. Note it can
 * overwrite MIGRATE_ISOLATE when it steals a misplaced chunk of an isolated
 * block (kernel-model.md 2.5 "hazard").
 */
static int try_to_steal_freepages(struct sim_world *w, struct zone *zone, struct page *page,
				  int start_type, int fallback_type)
{
	int current_order = (int)page_order(page);

	if (is_migrate_cma(fallback_type))
		return fallback_type;

	/* Take ownership for orders >= pageblock_order */
	if (current_order >= (int)pageblock_order(zone)) {
		change_pageblock_range(w, page, current_order, start_type);
		return start_type;
	}

	if (current_order >= (int)pageblock_order(zone) / 2 || start_type == MIGRATE_RECLAIMABLE) {
		int pages = w->ops->move_freepages_block(w, zone, page, start_type);

		/* Claim the whole block if over half of it is free */
		if (pages >= (1 << (pageblock_order(zone) - 1))) {
			set_pageblock_migratetype(w, page, start_type);
			return start_type;
		}
	}
	return fallback_type;
}

/* __rmqueue_fallback() (v3.16): largest chunk first from the fallback types. */
static struct page *__rmqueue_fallback(struct sim_world *w, struct zone *zone, unsigned int order,
				       int start_migratetype)
{
	int current_order;

	/* Find the largest possible block of pages in the other list */
	for (current_order = (int)MAX_ORDER(zone) - 1; current_order >= (int)order;
	     --current_order) {
		for (int i = 0;; i++) {
			int migratetype = fallbacks[start_migratetype][i];
			struct free_area *area = &zone->free_area[current_order];
			struct page *page;
			int new_type;

			/* MIGRATE_RESERVE handled later if necessary */
			if (migratetype == MIGRATE_RESERVE)
				break;
			if (list_empty(w, &area->free_list[migratetype]))
				continue;

			page = container_of(list_first(w, &area->free_list[migratetype]),
					    struct page, lru);
			area->nr_free--;
			new_type = try_to_steal_freepages(w, zone, page, start_migratetype,
							  migratetype);
			/* Remove the page from the freelists */
			list_del(w, &page->lru);
			rmv_page_order(page);
			w->ops->expand(w, zone, page, (int)order, current_order, new_type);
			set_freepage_migratetype(page, new_type);
			SIM_TRACEPOINT(
				w, mm_page_alloc_extfrag,
				"page=%p pfn=%lu alloc_order=%d fallback_order=%d "
				"pageblock_order=%d alloc_migratetype=%d fallback_migratetype=%d "
				"fragmenting=%d change_ownership=%d",
				sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page),
				(int)order, current_order, (int)pageblock_order(zone),
				start_migratetype, migratetype,
				current_order < (int)pageblock_order(zone),
				new_type == start_migratetype);
			SIM_EV(w, "fallback: pfn %lu order %d from %s as %s", page_to_pfn(w, page),
			       current_order, migratetype_name(migratetype),
			       migratetype_name(new_type));
			return page;
		}
	}
	return NULL;
}

/*
 * __rmqueue() (v3.16): do the hard work of removing an element from the
 * buddy allocator. Call me with the zone->lock already held.
 */
static struct page *__rmqueue(struct sim_world *w, struct zone *zone, unsigned int order,
			      int migratetype)
{
	struct page *page;

	sim_enter(w, "__rmqueue");
	lockdep_assert_held(w, &zone->lock);
retry_reserve:
	page = __rmqueue_smallest(w, zone, order, migratetype);
	if (!page && migratetype != MIGRATE_RESERVE) {
		page = __rmqueue_fallback(w, zone, order, migratetype);
		/* Use MIGRATE_RESERVE rather than fail an allocation. */
		if (!page) {
			migratetype = MIGRATE_RESERVE;
			goto retry_reserve;
		}
	}
	if (page)
		SIM_TRACEPOINT(w, mm_page_alloc_zone_locked,
			       "page=%p pfn=%lu order=%u migratetype=%d percpu_refill=%d",
			       sim_page_address(page_to_pfn(w, page)), page_to_pfn(w, page), order,
			       migratetype, order == 0);
	sim_leave(w);
	return page;
}

/*
 * rmqueue_bulk() (v3.16): move up to `count` order-`order` pages to this
 * CPU's pcplist of `migratetype`, all under one hold of zone->lock.
 * Called with IRQs off. Returns the number of pages.
 * Frame: .order, .arg count, .mt migratetype, .flags SIM_F_COLD.
 */
static enum sim_ret rmqueue_bulk(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct list_head *list = &w->pageset[cpu->id].lists[f->mt];
	int i;

	SIM_BEGIN(f);
	SIM_SPIN_LOCK(w, cpu, f, &zone->lock);
	for (i = 0; i < f->arg; ++i) {
		struct page *page = w->ops->__rmqueue(w, zone, (unsigned int)f->order, f->mt);

		if (!page)
			break;
		/*
		 * Split buddy pages returned by expand() are received here in
		 * physical page order. The page is added to the callers list
		 * and the list head then moves forward.
		 */
		if (!(f->flags & SIM_F_COLD))
			list_add(w, &page->lru, list);
		else
			list_add_tail(w, &page->lru, list);
		list = &page->lru;
		if (is_migrate_cma(get_freepage_migratetype(page)))
			__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, -(1l << f->order));
	}
	__mod_zone_page_state(zone, NR_FREE_PAGES, -((long)i << f->order));
	spin_unlock(w, &zone->lock);
	SIM_RETURN_VAL(cpu, i);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(rmqueue_bulk);

/*
 * prep_new_page(): the page goes to its user. Model: refcount 1, and the
 * allocation's migratetype is remembered (a MOVABLE allocation is an LRU page
 * for has_unmovable_pages()). The shadow counted the pages as allocated when
 * they left the lists.
 */
void prep_new_page(struct sim_world *w, struct page *page, unsigned int order, int migratetype)
{
	sim_access_page_wr(w);
	set_page_refcounted(page);
	page->alloc_mt = (uint8_t)migratetype;
	page->where_arg = (uint8_t)order; /* model: the allocation's order, for migration */
}

/*
 * buffered_rmqueue() (v3.16): order 0 from this CPU's pcplist (refilled by
 * rmqueue_bulk), higher orders from the buddy lists under zone->lock. For
 * order > 0 the counters are updated after spin_unlock, with IRQs still
 * off: a window in which NR_FREE_PAGES and the lists disagree (marked
 * acct_pending so the free-page invariant is not checked in it).
 * Returns the pfn, or -1. Frame: .order, .mt, .flags SIM_F_COLD.
 * Omitted: NR_ALLOC_BATCH/fairness, zone_statistics, prep_new_page's checks.
 */
struct buffered_rmqueue_locals {
	long pfn;
};

static enum sim_ret buffered_rmqueue(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct buffered_rmqueue_locals *l = SIM_LOCALS(f, struct buffered_rmqueue_locals);
	struct zone *zone = w->zone;
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];
	struct list_head *list = &pcp->lists[f->mt < MIGRATE_PCPTYPES ? f->mt : 0];
	struct page *page;

	SIM_BEGIN(f);
	if (f->order == 0) {
		local_irq_save(w);
		if (list_empty(w, list)) {
			SIM_CALL(w, cpu, f, w->ops->rmqueue_bulk, .order = 0,
				 .arg = sim_pcp_batch(w, pcp), .mt = f->mt, .flags = f->flags);
			pcp->count += (int)cpu->ret;
			if (list_empty(w, list))
				goto failed;
		}
		if (f->flags & SIM_F_COLD)
			page = container_of(list_last(w, list), struct page, lru);
		else
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
		__mod_zone_freepage_state(zone, -(1l << f->order), get_freepage_migratetype(page));
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
SIM_DEFINE_BASE_FN(buffered_rmqueue);

/*
 * __isolate_free_page() (v3.16, unchanged in v3.18): take a free chunk off its
 * list. Counted only if its block is not isolated (then after a watermark
 * check, not modeled: the model has no watermarks). A chunk of at least a
 * pageblock gets its non-isolated, non-CMA blocks set MOVABLE.
 * Caller holds zone->lock. Returns 2^order.
 */
unsigned long __isolate_free_page(struct sim_world *w, struct page *page, unsigned int order)
{
	struct zone *zone = w->zone;
	int mt = get_pageblock_migratetype(w, page);

	if (!is_migrate_isolate(mt))
		__mod_zone_freepage_state(zone, -(1l << order), mt);

	/* Remove page from free list */
	list_del(w, &page->lru);
	zone->free_area[order].nr_free--;
	rmv_page_order(page);
	sim_shadow_alloc(w, order, 1); /* model: the caller holds these pages now */

	/* Set the pageblock if the isolated page is at least a pageblock */
	if (order >= pageblock_order(zone) - 1) {
		struct page *endpage = page + (1ul << order) - 1;

		for (; page < endpage; page += pageblock_nr_pages(zone)) {
			int bmt = get_pageblock_migratetype(w, page);

			if (!is_migrate_isolate(bmt) && !is_migrate_cma(bmt))
				set_pageblock_migratetype(w, page, MIGRATE_MOVABLE);
		}
	}
	return 1ul << order;
}

/*
 * __free_pages(page, order) after put_page_testzero(): order 0 through the
 * pcplists, higher orders through __free_pages_ok(). Frame: .pfn, .order.
 */
static enum sim_ret __free_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	if (f->order == 0)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = f->pfn, .flags = f->flags);
	else
		SIM_CALL(w, cpu, f, w->ops->__free_pages_ok, .pfn = f->pfn, .order = f->order);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(__free_pages);

/* ---------------------------------------------------------------------- */
/* Moving free pages between lists                                         */
/* ---------------------------------------------------------------------- */

/*
 * move_freepages() (v3.16): move every free chunk whose head lies in
 * [start_pfn, end_pfn] to free_list[migratetype]. Returns the pages it
 * walked, whatever list they were on (Joonsoo's problem 5, race R5); a chunk
 * larger than the range is moved whole. Caller holds zone->lock.
 */
static int move_freepages(struct sim_world *w, struct zone *zone, unsigned long start_pfn,
			  unsigned long end_pfn, int migratetype)
{
	unsigned long pfn;
	int pages_moved = 0;

	sim_enter(w, "move_freepages");
	lockdep_assert_held(w, &zone->lock);
	for (pfn = start_pfn; pfn <= end_pfn;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		order = page_order(page);
		list_move(w, &page->lru, &zone->free_area[order].free_list[migratetype]);
		set_freepage_migratetype(page, migratetype);
		sim_charge(w, SIM_COST_BUDDY);
		pfn += 1ul << order;
		pages_moved += 1 << order;
	}
	SIM_EV(w, "move_freepages(%lu-%lu, %s) = %d", start_pfn, end_pfn,
	       migratetype_name(migratetype), pages_moved);
	sim_leave(w);
	return pages_moved;
}

/* move_freepages_block() (v3.16): the pageblock of `page`, clipped to the zone. */
static int move_freepages_block(struct sim_world *w, struct zone *zone, struct page *page,
				int migratetype)
{
	unsigned long start_pfn, end_pfn;

	start_pfn = page_to_pfn(w, page) & ~(pageblock_nr_pages(zone) - 1);
	end_pfn = start_pfn + pageblock_nr_pages(zone) - 1;

	/* Do not cross zone boundaries */
	if (!zone_spans_pfn(zone, start_pfn))
		start_pfn = page_to_pfn(w, page);
	if (!zone_spans_pfn(zone, end_pfn))
		return 0;
	return w->ops->move_freepages(w, zone, start_pfn, end_pfn, migratetype);
}

/* ---------------------------------------------------------------------- */
/* Draining pcplists                                                       */
/* ---------------------------------------------------------------------- */

/* Another CPU's pcp->count, read without its IRQs off (drain_all_pages). */
static int sim_pcp_count(struct sim_world *w, int cpu)
{
	w->info.acc.pcp_rd |= 1ull << cpu;
	return w->pageset[cpu].count;
}

/* cpumask_set_cpu()/cpumask_clear_cpu() on drain_all_pages()'s shared mask. */
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
 * drain_local_pages() -> drain_pages(this cpu) (v3.16): flush this CPU's
 * pcplist of the zone to the buddy lists, IRQs off. Runs as an IPI handler
 * when called through drain_all_pages().
 */
static enum sim_ret drain_local_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct per_cpu_pages *pcp = &w->pageset[cpu->id];

	SIM_BEGIN(f);
	local_irq_save(w);
	if (pcp->count) {
		SIM_EV(w, "drain_pages(cpu %d): %d pages", cpu->id, pcp->count);
		SIM_CALL(w, cpu, f, w->ops->free_pcppages_bulk, .arg = pcp->count);
		pcp->count = 0;
	}
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(drain_local_pages);

/*
 * drain_all_pages() (v3.16): spill all the per-cpu pages from all CPUs back
 * into the buddy allocator. The mask of CPUs with pages is built from racy
 * reads of each pcp->count into a static cpumask shared by concurrent
 * callers; CPUs whose lists look empty are not interrupted (a free that has
 * read the migratetype but not yet added its page is skipped: race R8).
 * Then on_each_cpu_mask(mask, drain_local_pages, NULL, 1): IPI the others,
 * wait for them, run it locally if this CPU is in the mask.
 */
struct drain_all_pages_locals {
	int cpu;
	int has_pcps;
	uint64_t mask;
};

static enum sim_ret drain_all_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct drain_all_pages_locals *l = SIM_LOCALS(f, struct drain_all_pages_locals);

	SIM_BEGIN(f);
	for (l->cpu = 0; l->cpu < (int)w->ncpus; l->cpu++) {
		/* Racy: another CPU may be about to add its first page. */
		SIM_RACY_READ(w, cpu, f, l->has_pcps, sim_pcp_count(w, l->cpu) != 0);
		SIM_EV(w, "cpu %d pcp->count %d", l->cpu, w->pageset[l->cpu].count);
		if (l->has_pcps)
			cpumask_set_cpu(w, l->cpu, &w->st->cpus_with_pcps);
		else
			cpumask_clear_cpu(w, l->cpu, &w->st->cpus_with_pcps);
	}
	/* on_each_cpu_mask(&cpus_with_pcps, drain_local_pages, NULL, 1) */
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_SEND);
	l->mask = w->st->cpus_with_pcps; /* read by smp_call_function_many() */
	smp_call_function_many(w, l->mask, w->ops->drain_local_pages);
	SIM_POINT(w, cpu, f, SIM_NEXT_IPI_WAIT);
	SIM_EV(w, "IPIs completed");
	if (l->mask & (1ull << cpu->id)) {
		local_irq_save(w);
		SIM_CALL(w, cpu, f, w->ops->drain_local_pages);
		local_irq_restore(w);
	}
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(drain_all_pages);

/* ---------------------------------------------------------------------- */
/* The baseline's operations                                               */
/* ---------------------------------------------------------------------- */

const struct sim_mm_ops sim_mm_v3_16_ops = {
	.free_hot_cold_page = &sim_base_free_hot_cold_page,
	.__free_pages_ok = &sim_base___free_pages_ok,
	.free_one_page = &sim_base_free_one_page,
	.free_pcppages_bulk = &sim_base_free_pcppages_bulk,
	.buffered_rmqueue = &sim_base_buffered_rmqueue,
	.rmqueue_bulk = &sim_base_rmqueue_bulk,
	.drain_all_pages = &sim_base_drain_all_pages,
	.drain_local_pages = &sim_base_drain_local_pages,
	.set_migratetype_isolate = &sim_base_set_migratetype_isolate,
	.unset_migratetype_isolate = &sim_base_unset_migratetype_isolate,
	.start_isolate_page_range = &sim_base_start_isolate_page_range,
	.undo_isolate_page_range = &sim_base_undo_isolate_page_range,
	.test_pages_isolated = &sim_base_test_pages_isolated,
	.migrate_range = &sim_base_migrate_range,
	.isolate_freepages_range = &sim_base_isolate_freepages_range,
	.alloc_contig_range = &sim_base_alloc_contig_range,
	.offline_pages = &sim_base_offline_pages,
	.online_pages = &sim_base_online_pages,
	.__free_one_page = __free_one_page,
	.__rmqueue = __rmqueue,
	.expand = expand,
	.move_freepages = move_freepages,
	.move_freepages_block = move_freepages_block,
	.__test_page_isolated_in_pageblock = __test_page_isolated_in_pageblock,
	.__isolate_free_page = __isolate_free_page,
};
