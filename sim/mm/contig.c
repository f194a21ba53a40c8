// SPDX-License-Identifier: GPL-2.0
/*
 * alloc_contig_range() (mm/page_alloc.c) and what it calls in
 * mm/compaction.c and mm/migrate.c, as of linux v3.16: isolate the range,
 * migrate what is allocated in it, drain, test, take the free pages, undo.
 * The CMA allocator and gigantic hugetlb pages call it; so do scenarios, as
 * `alloc_contig_range: {start, end, migratetype, as}`.
 *
 * Model: migration is reduced to what the allocator sees of it
 * (migrate_range() below): a new page is allocated outside the isolated
 * range, the user's reference moves to it, and the old page is freed through
 * the ordinary free path, which is where it meets the isolation races. No
 * LRU, no page cache, no retries on transient failures.
 */
#include "engine/step.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "mm/shadow.h"
#include "scenario/scenario.h"
#include "workload/workload.h"

#define EBUSY  16
#define ENOMEM 12

/* The scenario's named allocation of a pfn, if any (model: the user's reference). */
static struct sim_handle *sim_handle_of(struct sim_world *w, unsigned long pfn)
{
	for (guint i = 0; i < w->sc->handle_names->len; i++) {
		struct sim_handle *h = &w->handles[i];

		if (h->valid && !h->nr_pages && h->pfn == pfn)
			return h;
	}
	return NULL;
}

/* The next allocated page head in [pfn, end), or end (a lock-free scan). */
static unsigned long sim_next_allocated(struct sim_world *w, unsigned long pfn, unsigned long end)
{
	sim_access_rd(w, SIM_OBJ_LOCK); /* PageBuddy, without zone->lock */
	sim_access_pages_all(w, false);
	while (pfn < end) {
		struct page *page = pfn_to_page(w, pfn);

		if (PageBuddy(page))
			pfn += 1ul << page_order(page);
		else if (page_count(page) && !PageReserved(page))
			return pfn;
		else
			pfn++;
	}
	return end;
}

/*
 * migrate_range(): isolate_migratepages_range() + migrate_pages() with
 * alloc_migrate_target(), reduced. For each allocated page of [pfn, end):
 * a page that is not movable (not on the LRU) fails the migration with
 * -EBUSY; otherwise migration takes a reference (isolate_lru_page), a new
 * page of the same order is allocated (GFP_HIGHUSER_MOVABLE: order 0 comes
 * through this CPU's pcplist), the user's reference moves to it, and the
 * old page is freed when migration drops its reference (putback ->
 * put_page -> free_hot_cold_page / __free_pages_ok). If the user freed the
 * page meanwhile ("page was freed from under us"), the new page is freed
 * again and so is the old one.
 * Frame: .pfn start, .end end. Returns 0, -EBUSY or -ENOMEM.
 */
struct migrate_range_locals {
	uint32_t pfn;
	uint32_t order;
	uint32_t next;
	int32_t newpfn;
};

static enum sim_ret migrate_range(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct migrate_range_locals *l = SIM_LOCALS(f, struct migrate_range_locals);
	struct page *page;
	struct sim_handle *h;

	SIM_BEGIN(f);
	l->next = f->pfn;
	for (;;) {
		/* the scan reads page state without zone->lock */
		SIM_RACY_READ(w, cpu, f, l->pfn, (uint32_t)sim_next_allocated(w, l->next, f->end));
		if (l->pfn >= f->end)
			break;
		page = pfn_to_page(w, l->pfn);
		l->order = page->where_arg;
		l->next = l->pfn + (1u << l->order);
		if (page->alloc_mt != MIGRATE_MOVABLE && !is_migrate_cma(page->alloc_mt)) {
			SIM_EV(w, "pfn %u is not movable: -EBUSY", l->pfn);
			SIM_RETURN_VAL(cpu, -EBUSY);
		}
		sim_access_pages_all(w, true);
		page->_count++; /* isolate_lru_page(): get_page() */
		SIM_CALL(w, cpu, f, w->ops->buffered_rmqueue, .order = (int16_t)l->order,
			 .mt = MIGRATE_MOVABLE);
		l->newpfn = (int32_t)cpu->ret;
		sim_access_pages_all(w, true); /* the old page's references, the user's handle */
		page = pfn_to_page(w, l->pfn);
		if (l->newpfn >= 0 && page_count(page) > 1) {
			/* move_to_new_page(): the user's reference follows the data */
			h = sim_handle_of(w, l->pfn);
			if (h)
				h->pfn = (uint32_t)l->newpfn;
			sim_workload_page_moved(w, l->pfn, (unsigned long)l->newpfn);
			page->_count--;
			SIM_EV(w, "migrated pfn %u order %u to pfn %d", l->pfn, l->order,
			       l->newpfn);
		} else if (l->newpfn >= 0) {
			SIM_EV(w, "pfn %u was freed from under us", l->pfn);
			SIM_CALL(w, cpu, f, &sim_base___free_pages, .pfn = (uint32_t)l->newpfn,
				 .order = (int16_t)l->order);
		}
		/* putback: migration drops its reference, the last one */
		sim_access_pages_all(w, true);
		page = pfn_to_page(w, l->pfn);
		if (--page->_count == 0)
			SIM_CALL(w, cpu, f, &sim_base___free_pages, .pfn = l->pfn,
				 .order = (int16_t)l->order);
		if (l->newpfn < 0) {
			SIM_EV(w, "no target page for pfn %u: -ENOMEM", l->pfn);
			SIM_RETURN_VAL(cpu, -ENOMEM);
		}
	}
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
const struct sim_fn sim_base_migrate_range = { "migrate_range", migrate_range };

/*
 * isolate_freepages_range() (v3.16 mm/compaction.c), strict: per pageblock,
 * under zone->lock (isolate_freepages_block), every page must be free;
 * each free chunk is taken off its list with split_free_page() ->
 * __isolate_free_page() (which counts it off NR_FREE_PAGES only if its
 * block is not isolated) and split into order-0 pages. On a page that is
 * not free, what was taken is released (__free_page each) and 0 returned.
 * Frame: .pfn start, .end end. Returns the pfn after the last page taken,
 * or 0.
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

	SIM_BEGIN(f);
	for (l->pfn = f->pfn; l->pfn < f->end;) {
		l->block_end = (uint32_t)MIN(f->end, (l->pfn | (pageblock_nr_pages(zone) - 1)) + 1);
		SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &zone->lock);
		while (l->pfn < l->block_end) {
			struct page *page = pfn_to_page(w, l->pfn);
			unsigned int order;

			if (!PageBuddy(page))
				break;
			/* split_free_page() */
			order = page_order(page);
			__isolate_free_page(w, page, order);
			for (unsigned long i = 0; i < (1ul << order); i++)
				sim_contig_page_taken(page + i); /* split_page() */
			SIM_EV(w, "took pfn %u order %u", l->pfn, order);
			l->pfn += 1u << order;
		}
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
const struct sim_fn sim_base_isolate_freepages_range = { "isolate_freepages_range",
							 isolate_freepages_range };

/*
 * The free chunk that contains start, as alloc_contig_range() finds it from
 * v3.19 on (v4.6, v5.11): PageBuddy reads without zone->lock; start itself if
 * there is none, or if the chunk found ends before start. The test that
 * follows decides. (v3.16 fails at once when there is none: below.)
 */
unsigned long alloc_contig_outer_start(struct sim_world *w, unsigned long start)
{
	unsigned long outer_start = start;
	unsigned int order = 0;

	sim_access_rd(w, SIM_OBJ_LOCK); /* free-list state, read without the lock */
	while (!PageBuddy(pfn_to_page(w, outer_start))) {
		if (++order >= MAX_ORDER(w->zone)) {
			outer_start = start;
			break;
		}
		outer_start &= ~0ul << order;
	}
	if (outer_start != start) {
		order = page_order(pfn_to_page(w, outer_start));
		/*
		 * outer_start page could be small order buddy page and
		 * it doesn't include start page. Adjust outer_start
		 * in this case to report failed page properly
		 * on tracepoint in test_pages_isolated()
		 */
		if (outer_start + (1ul << order) <= start)
			outer_start = start;
	}
	return outer_start;
}

/*
 * alloc_contig_range() (v3.16): isolate [start, end) aligned to the larger
 * of MAX_ORDER_NR_PAGES and a pageblock, migrate what is allocated in
 * [start, end), drain the pcplists (lru_add_drain_all: no LRU in the model),
 * find the free chunk [start, end) begins in, test the range, take its free
 * pages, give back what lies outside [start, end), and undo the isolation.
 * Frame: .pfn start, .end end, .mt migratetype (MOVABLE or CMA).
 * Returns 0 (the caller owns [start, end)) or -EBUSY.
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
	unsigned int order;

	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->start_isolate_page_range,
		 .pfn = (uint32_t)pfn_max_align_down(zone, f->pfn),
		 .end = (uint32_t)pfn_max_align_up(zone, f->end), .mt = f->mt);
	if (cpu->ret)
		SIM_RETURN_VAL(cpu, cpu->ret);
	SIM_CALL(w, cpu, f, w->ops->migrate_range, .pfn = f->pfn, .end = f->end);
	l->ret = (int32_t)cpu->ret;
	if (l->ret && l->ret != -EBUSY)
		goto done;
	SIM_CALL(w, cpu, f, w->ops->drain_all_pages);

	/* the free chunk that contains start (racy reads; the test below decides) */
	l->outer_start = f->pfn;
	sim_access_rd(w, SIM_OBJ_LOCK); /* PageBuddy, without zone->lock */
	sim_access_pages_all(w, false);
	for (order = 0; !PageBuddy(pfn_to_page(w, l->outer_start));) {
		if (++order >= MAX_ORDER(zone)) {
			l->ret = -EBUSY;
			goto done;
		}
		l->outer_start &= ~0u << order;
	}
	SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = l->outer_start, .end = f->end);
	if (cpu->ret) {
		SIM_EV(w, "test_pages_isolated(%u, %u) failed", l->outer_start, f->end);
		l->ret = -EBUSY;
		goto done;
	}
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
		 .pfn = (uint32_t)pfn_max_align_down(zone, f->pfn),
		 .end = (uint32_t)pfn_max_align_up(zone, f->end), .mt = f->mt);
	SIM_EV(w, "alloc_contig_range(%u, %u) = %d", f->pfn, f->end, l->ret);
	SIM_RETURN_VAL(cpu, l->ret);
	SIM_END(f);
}
const struct sim_fn sim_base_alloc_contig_range = { "alloc_contig_range", alloc_contig_range };
