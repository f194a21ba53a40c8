// SPDX-License-Identifier: GPL-2.0
/*
 * joonsoo-v1: Joonsoo Kim, "[PATCH 00/10] fix freepage count problems due to
 * memory isolation", linux-mm, 2014-07-04,
 * <1404460675-24456-1-git-send-email-iamjoonsoo.kim@lge.com>, based on
 * linux-next-20140703 (the v3.16 baseline of the model). Not merged: v2
 * (2014-08-06) replaced it, and v3.18 took a reduced form of 03-05 and 10.
 * The end state of the ten patches (-2 .. -11 of the same message-id):
 *
 *   01/10 remove unlikely macro on free_one_page()                (no behaviour)
 *   02/10 correct to clear guard attribute in DEBUG_PAGEALLOC
 *   03/10 handle page on pcp correctly if it's pageblock is isolated  (rewritten by 05)
 *   04/10 carefully free the page on isolate pageblock                (rewritten by 05)
 *   05/10 optimize and unify pageblock migratetype check in free path
 *   06/10 separate freepage migratetype interface                 (no behaviour)
 *   07/10 store migratetype of the buddy list into freepage correctly
 *   08/10 use get_onbuddy_migratetype() to get buddy list type
 *   09/10 fix possible wrongly calculated freepage counter
 *   10/10 Stop merging pages on non-isolate and isolate buddy list
 *
 * What changes over v3.16: zone->nr_isolate_pageblock counts isolated blocks
 * (05); __free_one_page() re-reads the block type under zone->lock when any
 * block of the zone is isolated or the caller's type is ISOLATE, and does all
 * the counting of a freed page, keyed on that type (05); a guard page merged
 * into an ISOLATE chunk is not counted (02); the head of every free chunk
 * carries the type of the list it is on ("on-buddy" type), kept exact by
 * set_page_order() on merge and split and by move_freepages() (06, 07);
 * __isolate_free_page() counts by that list type, not the block's (08);
 * move_freepages() counts every chunk it moves by the list it came from, so
 * isolation, un-isolation, fallback stealing and the test-time move are all
 * accounted exactly (09); at order >= pageblock_order, while a block is
 * isolated, a chunk never merges with a buddy whose list type differs when
 * either of the two is ISOLATE (10).
 *
 * What does not change: the free paths still read the block type without the
 * lock before IRQs are disabled (the re-read under the lock repairs it); pcp
 * pages keep their cached type until they are flushed; drain_all_pages()
 * still skips CPUs whose pcplists look empty (R8: an isolation breach, no
 * drift); isolation is still one block per zone->lock hold (a max-order chunk
 * spanning two blocks is moved whole by the first block: R12's shape);
 * un-isolation has no re-merge step (chunks stopped at pageblock_order stay
 * apart, as 10/10's changelog accepts); __offline_isolated_pages() and the
 * isolation test's pcp branch are as in v3.16.
 *
 * Where the two cached types live: page->index, as in the series (06/10:
 * set_onbuddy_migratetype() and set_onpcp_migratetype() both write
 * page->index; the first is valid while the page heads a free chunk, the
 * second while it is on a pcplist or allocated). struct page stays 16 bytes.
 * The interpretation points are in docs/variants/joonsoo-v1.md.
 */
#include "engine/step.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "variants/variant.h"

#define EBUSY 16

/* ---------------------------------------------------------------------- */
/* include/linux/mm.h (06/10, 07/10): the two cached migratetypes          */
/* ---------------------------------------------------------------------- */

/*
 * It's valid only if the page is on buddy list. It represents migratetype of
 * the buddy list where page is linked now. (The model always has
 * CONFIG_MEMORY_ISOLATION, so 07/10's no-op stubs do not apply.)
 */
static inline void set_onbuddy_migratetype(struct page *page, int migratetype)
{
	page->index = (uint8_t)migratetype;
}

static inline int get_onbuddy_migratetype(const struct page *page)
{
	return page->index;
}

/*
 * It's valid only if the page is on pcp. It represents migratetype of the
 * buddy list where page will be linked later when going buddy. The inherited
 * v3.16 functions write it as set_freepage_migratetype(), the same field.
 */
static inline int get_onpcp_migratetype(const struct page *page)
{
	return page->index;
}

/*
 * set_page_order(page, order, migratetype) of 07/10: whenever a chunk is made
 * by a merge or a split, its head records the list it goes on.
 */
static inline void set_page_order_onbuddy(struct page *page, unsigned int order, int migratetype)
{
	set_page_order(page, order);
	set_onbuddy_migratetype(page, migratetype);
}

/* ---------------------------------------------------------------------- */
/* Guard pages (02/10)                                                     */
/* ---------------------------------------------------------------------- */

/* set_page_guard(): caller holds zone->lock. */
static void set_page_guard(struct sim_world *w, struct zone *zone, struct page *page,
			   unsigned int order, int migratetype)
{
	set_page_guard_flag(page);
	set_page_private(page, order);
	/* Guard pages are not available for any usage */
	__mod_zone_freepage_state(zone, -(1l << order), migratetype);
	sim_shadow_guard(w, page, order, 1);
}

/*
 * clear_page_guard(): the order is reset on the guard page itself (v3.16 reset
 * the freed page's), and nothing is added when the chunk goes to an ISOLATE
 * list. Caller holds zone->lock.
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

/* ---------------------------------------------------------------------- */
/* Freeing                                                                 */
/* ---------------------------------------------------------------------- */

/*
 * 10/10: stop merging between page on non-isolate buddy list and isolate
 * buddy list, respectively. This case is only possible for pages equal or
 * larger than pageblock_order, because pageblock migratetype can be changed
 * in this granularity. buddy_mt is the type of the list the buddy is on, not
 * its block's type. Caller holds zone->lock.
 */
static bool joonsoo_v1_stop_merging(struct sim_world *w, struct zone *zone, struct page *buddy,
				    unsigned int order, int migratetype)
{
	int buddy_mt;

	if (order < pageblock_order(zone) || !has_isolate_pageblock(zone))
		return false;
	buddy_mt = get_onbuddy_migratetype(buddy);
	if (migratetype != buddy_mt) {
		if (is_migrate_isolate(migratetype) || is_migrate_isolate(buddy_mt)) {
			SIM_EV(w, "stop merging at order %u: buddy on %s", order,
			       migratetype_name(buddy_mt));
			return true;
		}
	}
	return false;
}

/*
 * __free_one_page() (v1 end state). Caller holds zone->lock. The block type
 * is re-read here under the lock when any block is isolated or the caller
 * read ISOLATE (05/10), the page is counted by that type (05/10), the merge
 * stops across ISOLATE and non-ISOLATE lists at pageblock order (10/10), a
 * guard buddy is counted unless the chunk goes to an ISOLATE list (02/10),
 * and the merged head records its list (07/10).
 */
static void __free_one_page(struct sim_world *w, struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order, int migratetype)
{
	unsigned long page_idx, buddy_idx = 0, combined_idx;
	unsigned long buddy_pfn = pfn;

	sim_enter(w, "__free_one_page");
	lockdep_assert_held(w, &zone->lock);
	sim_shadow_freed(w, page);

	page_idx = pfn & ((1ul << MAX_ORDER(zone)) - 1);
	VM_BUG_ON(w, page_idx & ((1ul << order) - 1));

	/*
	 * pcp pages could go normal buddy list due to stale pageblock
	 * migratetype so re-check it if there is isolate pageblock.
	 *
	 * And, we got migratetype without holding the lock so it could be
	 * racy. If some pages go on the isolate migratetype buddy list
	 * by this race, we can't allocate this page anymore until next
	 * isolation attempt on this pageblock. To prevent this
	 * possibility, re-check migratetype with holding the lock.
	 */
	if (has_isolate_pageblock(zone) || is_migrate_isolate(migratetype)) {
		migratetype = get_pfnblock_migratetype(w, pfn);
		SIM_EV(w, "recheck: pageblock is %s", migratetype_name(migratetype));
	}
	SIM_EV(w, "pfn %lu order %u to %s", pfn, order, migratetype_name(migratetype));

	if (!is_migrate_isolate(migratetype))
		__mod_zone_freepage_state(zone, 1l << order, migratetype);

	while (order < MAX_ORDER(zone) - 1) {
		struct page *buddy;

		buddy_idx = __find_buddy_index(page_idx, order);
		buddy_pfn = pfn + (buddy_idx - page_idx);
		if (!page_is_buddy(w, buddy_pfn, order))
			break;
		buddy = pfn_to_page(w, buddy_pfn);
		if (joonsoo_v1_stop_merging(w, zone, buddy, order, migratetype))
			break;
		sim_note_merge(w, pfn, buddy_pfn, order, migratetype);
		/*
		 * Our buddy is free or it is CONFIG_DEBUG_PAGEALLOC guard page,
		 * merge with it and move up one order.
		 */
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
	set_page_order_onbuddy(page, order, migratetype);
	sim_free_one_page_insert(w, page, pfn, zone, order, migratetype, page_idx, buddy_idx,
				 buddy_pfn);
	sim_leave(w);
}

/*
 * free_one_page() (v1, 05/10): IRQs are off; the caller's migratetype was
 * read without the lock and goes to __free_one_page() as is, which re-checks
 * and counts. Frame: .pfn page, .order, .mt migratetype read by the caller.
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
 * __free_pages_ok() (v1): as v3.16 without set_freepage_migratetype(), which
 * 06/10 renamed set_onbuddy_migratetype() and 07/10 removed (the head's
 * on-buddy type is set by set_page_order() when it reaches a list).
 * Frame: .pfn page, .order.
 */
struct __free_pages_ok_locals {
	int migratetype;
};

static enum sim_ret __free_pages_ok(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct __free_pages_ok_locals *l = SIM_LOCALS(f, struct __free_pages_ok_locals);

	SIM_BEGIN(f);
	free_pages_prepare(w, pfn_to_page(w, f->pfn), (unsigned int)f->order);
	SIM_EV(w, "free_pages_prepare(pfn %u, order %d)", f->pfn, f->order);
	/* Racy: the block may be (un)isolated before __free_one_page re-checks. */
	SIM_RACY_READ(w, cpu, f, l->migratetype, get_pfnblock_migratetype(w, f->pfn));
	SIM_EV(w, "get_pfnblock_migratetype(%u) = %s", f->pfn, migratetype_name(l->migratetype));
	local_irq_save(w);
	SIM_CALL(w, cpu, f, w->ops->free_one_page, .pfn = f->pfn, .order = f->order,
		 .mt = (int16_t)l->migratetype);
	local_irq_restore(w);
	SIM_END(f);
}
SIM_DEFINE_FN(__free_pages_ok);

/*
 * free_pcppages_bulk() (v1, 03/10 as rewritten by 05/10 and 06/10): each
 * page goes to __free_one_page() with its cached on-pcp type, which
 * __free_one_page() replaces by the block's current type while any block of
 * the zone is isolated; no counting here any more. Called with IRQs off.
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
			mt = get_onpcp_migratetype(page);
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

/* ---------------------------------------------------------------------- */
/* Splitting and taking free chunks                                        */
/* ---------------------------------------------------------------------- */

/*
 * expand() (v1): as v3.16, with the guard page made by set_page_guard()
 * (02/10: still subtracted, keyed on the requested migratetype) and each
 * upper half recording its list (07/10). Caller holds zone->lock.
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
			 * Corresponding page table entries will not be touched,
			 * pages will stay not present in virtual address space
			 */
			INIT_LIST_HEAD(w, &half->lru);
			set_page_guard(w, zone, half, (unsigned int)high, migratetype);
			SIM_EV(w, "guard pfn %lu order %d", page_to_pfn(w, half), high);
			continue;
		}
		list_add(w, &half->lru, &zone->free_area[high].free_list[migratetype]);
		zone->free_area[high].nr_free++;
		set_page_order_onbuddy(half, (unsigned int)high, migratetype);
	}
	sim_leave(w);
}

/*
 * __isolate_free_page() (v1, 08/10; the baseline's is exported under the plain
 * name, mm/page_alloc.h): as v3.16, but the chunk is counted off
 * NR_FREE_PAGES (and the watermark obeyed, not modeled) by the list it is on,
 * not by its block's type: a chunk of an isolated block that sits on a normal
 * list is counted, so it is subtracted. Caller holds zone->lock.
 * Returns 2^order.
 */
static unsigned long __isolate_free_page_v1(struct sim_world *w, struct page *page,
					    unsigned int order)
{
	struct zone *zone = w->zone;
	int mt = get_onbuddy_migratetype(page);

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

/* ---------------------------------------------------------------------- */
/* Moving free pages between lists (09/10)                                 */
/* ---------------------------------------------------------------------- */

struct freepage_nr {
	int nr_isolate, nr_cma, nr_others;
};

/* count_freepage_nr(): classify a chunk by the list it is on before the move. */
static inline void count_freepage_nr(struct page *page, unsigned int order, struct freepage_nr *nr)
{
	int n = 1 << order;
	int migratetype = get_onbuddy_migratetype(page);

	if (is_migrate_isolate(migratetype))
		nr->nr_isolate += n;
	else if (is_migrate_cma(migratetype))
		nr->nr_cma += n;
	else
		nr->nr_others += n;
}

/*
 * fixup_freepage_nr(): into ISOLATE, subtract what came from counted lists
 * (and the CMA share from the CMA counter); into any other type, add what
 * came from ISOLATE lists, keyed on that type. A move between CMA and another
 * counted type changes no counter (as in the patch).
 */
static void fixup_freepage_nr(struct zone *zone, int migratetype, const struct freepage_nr *nr)
{
	int nr_free = nr->nr_cma + nr->nr_others;

	if (is_migrate_isolate(migratetype)) {
		__mod_zone_page_state(zone, NR_FREE_PAGES, -nr_free);
		__mod_zone_page_state(zone, NR_FREE_CMA_PAGES, -nr->nr_cma);
	} else {
		__mod_zone_freepage_state(zone, nr->nr_isolate, migratetype);
	}
}

/*
 * move_freepages() (v1): move every free chunk whose head lies in
 * [start_pfn, end_pfn] to free_list[migratetype] and fix up the counters by
 * the lists the chunks came from. Returns the pages moved (all of them, as
 * before; only __rmqueue_fallback's "more than half free" uses it now).
 * A chunk larger than the range is still moved whole. Caller holds zone->lock.
 */
static int move_freepages(struct sim_world *w, struct zone *zone, unsigned long start_pfn,
			  unsigned long end_pfn, int migratetype)
{
	struct freepage_nr nr = { 0 };
	unsigned long pfn;
	int nr_pages = 0;

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
		count_freepage_nr(page, order, &nr);
		list_move(w, &page->lru, &zone->free_area[order].free_list[migratetype]);
		set_onbuddy_migratetype(page, migratetype);
		sim_charge(w, SIM_COST_BUDDY);
		pfn += 1ul << order;
		nr_pages += 1 << order;
	}
	fixup_freepage_nr(zone, migratetype, &nr);
	SIM_EV(w, "move_freepages(%lu-%lu, %s) = %d: from ISOLATE %d, CMA %d, others %d", start_pfn,
	       end_pfn, migratetype_name(migratetype), nr_pages, nr.nr_isolate, nr.nr_cma,
	       nr.nr_others);
	sim_leave(w);
	return nr_pages;
}

/* ---------------------------------------------------------------------- */
/* Pageblock isolation (05/10, 09/10)                                      */
/* ---------------------------------------------------------------------- */

/*
 * set_migratetype_isolate() (v1): under zone->lock, check the block, mark it
 * ISOLATE, nr_isolate_pageblock++ (05/10) and move its free pages, which
 * move_freepages() now accounts itself (09/10). Then, without the lock,
 * drain_all_pages() as in linux-next-20140703.
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
		SIM_EV(w, "block %lu %s -> ISOLATE", sim_block_of(w, f->pfn),
		       migratetype_name(get_pageblock_migratetype(w, page)));
		set_pageblock_migratetype(w, page, MIGRATE_ISOLATE);
		zone->nr_isolate_pageblock++;
		w->ops->move_freepages_block(w, zone, page, MIGRATE_ISOLATE);
	} else {
		SIM_EV(w, "block %lu has unmovable pages: -EBUSY", sim_block_of(w, f->pfn));
	}
	spin_unlock_irqrestore(w, &zone->lock);
	if (!l->ret)
		SIM_CALL(w, cpu, f, w->ops->drain_all_pages);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
SIM_DEFINE_FN(set_migratetype_isolate);

/*
 * unset_migratetype_isolate() (v1): under zone->lock, move the block's free
 * pages back (accounted by move_freepages(), 09/10), set the type,
 * nr_isolate_pageblock-- (05/10). No re-merge of chunks that 10/10 kept
 * apart (that came with 3c605096d315 in v3.18). Frame: .pfn, .mt.
 */
static enum sim_ret unset_migratetype_isolate(struct sim_world *w, struct sim_cpu *cpu,
					      struct sim_frame *f)
{
	struct zone *zone = w->zone;
	struct page *page = pfn_to_page(w, f->pfn);

	SIM_BEGIN(f);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
	if (get_pageblock_migratetype(w, page) != MIGRATE_ISOLATE)
		goto out;
	w->ops->move_freepages_block(w, zone, page, f->mt);
	set_pageblock_migratetype(w, page, f->mt);
	zone->nr_isolate_pageblock--;
	SIM_EV(w, "block %lu ISOLATE -> %s", sim_block_of(w, f->pfn), migratetype_name(f->mt));
out:
	spin_unlock_irqrestore(w, &zone->lock);
	SIM_END(f);
}
SIM_DEFINE_FN(unset_migratetype_isolate);

const struct sim_variant sim_variant_joonsoo_v1 = {
	.name = "joonsoo-v1",
	.era = "proposal",
	.kernel = "PATCH 00/10, 2014-07-04 (seed 002)",
	.summary = "Joonsoo Kim's v1: recheck under zone->lock, exact on-buddy list type, "
		   "moves counted by source list, no merge across ISOLATE at pageblock order",
	.ops = {
		.free_one_page = &free_one_page_fn,
		.__free_pages_ok = &__free_pages_ok_fn,
		.free_pcppages_bulk = &free_pcppages_bulk_fn,
		.set_migratetype_isolate = &set_migratetype_isolate_fn,
		.unset_migratetype_isolate = &unset_migratetype_isolate_fn,
		.__free_one_page = __free_one_page,
		.expand = expand,
		.move_freepages = move_freepages,
		.__isolate_free_page = __isolate_free_page_v1,
	},
};
