// SPDX-License-Identifier: GPL-2.0
/*
 * Free page reporting (mm/page_reporting.c, Alexander Duyck, merged in v5.7
 * with "mm: Introduce Reported pages"): a pass of
 * page_reporting_process_zone() over the one zone, as a page_reporting
 * workload calls it (workload/workload.c).
 *
 * A pass walks the free lists of every order from the minimum order
 * (PAGE_REPORTING_MIN_ORDER = pageblock_order in v5.7) and every
 * migratetype but MIGRATE_ISOLATE. Under zone->lock it pulls chunks not yet
 * PageReported off the lists with __isolate_free_page() into a scatterlist
 * of PAGE_REPORTING_CAPACITY (32) entries; when the list is full it drops
 * the lock and reports them (the hypercall: prdev->report()), retakes the
 * lock and drains them back with __putback_isolated_page(), marking
 * PageReported each chunk that did not merge. While reported, a chunk is
 * neither free (not PageBuddy, not counted in NR_FREE_PAGES) nor allocated
 * (refcount 0, not on the LRU): alloc_contig_range() over it fails with
 * -EBUSY (David Hildenbrand on "[PATCH v5 4/6] mm: Introduce Reported
 * pages", 2019-08-14, seed 004; race R16 in kernel-model.md).
 *
 * Model (docs/model.md, "Workloads"):
 *  - no watermarks: neither the zone_watermark_ok() that cancels a pass nor
 *    the one in __isolate_free_page();
 *  - the report takes `hold` idle steps of this CPU and always succeeds;
 *  - passes come every `interval` idle steps (PAGE_REPORTING_DELAY), not
 *    when page_reporting_notify_free() requests them;
 *  - the scatterlist is the workload's chunk slots (the CPU's own state);
 *  - the minimum order is at least pageblock_order (as in v5.7-v5.13), so
 *    __isolate_free_page() never moves another chunk of the list walked;
 *  - before v5.7 there is no __putback_isolated_page() (ops NULL): on those
 *    variants the chunks go back with __free_pages() after the report, as
 *    unset_migratetype_isolate() returned an isolated page until "mm: Add
 *    function __putback_isolated_page" (v5.7) replaced it — a transplant,
 *    not a kernel that existed.
 */
#include "engine/step.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "scenario/scenario.h"
#include "workload/workload.h"

/*
 * list_rotate_to_front(entry, head) (include/linux/list.h, v5.7): make
 * entry the first of the list. The list keeps the same pages, so only the
 * links change (no shadow bookkeeping). Caller holds zone->lock.
 */
static void list_rotate_to_front(struct sim_world *w, struct list_head *entry,
				 struct list_head *head)
{
	if (list_first(w, head) == entry)
		return;
	/* list_move_tail(head, entry) */
	sim_lh(w, head->prev)->next = head->next;
	sim_lh(w, head->next)->prev = head->prev;
	__list_add(w, head, sim_lh(w, entry->prev), entry);
}

/*
 * The fill stage of page_reporting_cycle() (v5.7): walk free_list[mt] of
 * the order, skip PageReported chunks, and pull the others off with the
 * variant's __isolate_free_page() while the scatterlist has room. Returns
 * the first unreported chunk left when it is full, or NULL at the end of
 * the list. Caller holds zone->lock.
 */
static struct page *page_reporting_fill(struct sim_world *w, struct sim_cpu *cpu,
					unsigned int order, int mt, uint32_t capacity)
{
	struct list_head *list = &w->zone->free_area[order].free_list[mt];
	struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];
	struct sim_wl_chunk *sgl = sim_workload_sgl(w, cpu->id);
	struct list_head *lh, *next;

	lockdep_assert_held(w, &w->zone->lock);
	for (lh = list_first(w, list); lh != list; lh = next) {
		struct page *page = container_of(lh, struct page, lru);

		next = sim_lh(w, lh->next);
		/* We are going to skip over the reported pages. */
		if (PageReported(page))
			continue;
		if (wl->n_held == capacity)
			return page;
		/* no watermark in the model: it never fails */
		w->ops->__isolate_free_page(w, page, order);
		sgl[wl->n_held++] = (struct sim_wl_chunk){ .pfn = (uint32_t)page_to_pfn(w, page),
							   .order = order };
		wl->held_pages += 1ul << order;
		SIM_EV(w, "page_reporting: isolated pfn %lu order %u (%s)", page_to_pfn(w, page),
		       order, migratetype_name(mt));
	}
	return NULL;
}

/*
 * If page was not comingled with another page we can consider the result
 * to be "reported" since the page hasn't been modified (page_reporting_drain(),
 * v5.7): a chunk still free at its order is marked PageReported.
 */
static void page_reporting_mark_one(struct sim_world *w, struct sim_cpu *cpu, struct page *page,
				    unsigned int order)
{
	if (PageBuddy(page) && page_order(page) == order) {
		__SetPageReported(page);
		w->wl->cpu[cpu->id].reported++;
	}
}

/*
 * page_reporting_drain() (v5.7), with __putback_isolated_page() (v5.7 on):
 * each chunk of the scatterlist, last isolated first (the kernel fills the
 * list from its end), goes back to the free list of its pageblock's type,
 * read now, under the lock; one that did not merge is marked PageReported.
 * Caller holds zone->lock.
 */
static void page_reporting_drain(struct sim_world *w, struct sim_cpu *cpu)
{
	struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];
	struct sim_wl_chunk *sgl = sim_workload_sgl(w, cpu->id);

	lockdep_assert_held(w, &w->zone->lock);
	while (wl->n_held) {
		struct sim_wl_chunk c = sgl[--wl->n_held];
		struct page *page = pfn_to_page(w, c.pfn);
		int mt = get_pageblock_migratetype(w, page);

		w->ops->__putback_isolated_page(w, page, c.order, mt);
		wl->held_pages -= 1ul << c.order;
		page_reporting_mark_one(w, cpu, page, c.order);
		SIM_EV(w, "page_reporting: put back pfn %u order %u (%s)", c.pfn, c.order,
		       migratetype_name(mt));
	}
}

/*
 * The transplant's marking, after the chunks went back with __free_pages():
 * each that is still a free chunk of its order is marked PageReported, as
 * page_reporting_drain() would. Caller holds zone->lock.
 */
static void page_reporting_mark(struct sim_world *w, struct sim_cpu *cpu)
{
	struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];
	struct sim_wl_chunk *sgl = sim_workload_sgl(w, cpu->id);

	lockdep_assert_held(w, &w->zone->lock);
	while (wl->n_held) {
		struct sim_wl_chunk c = sgl[--wl->n_held];

		page_reporting_mark_one(w, cpu, pfn_to_page(w, c.pfn), c.order);
	}
}

/*
 * The report and drain stages: prdev->report() of the scatterlist (the
 * hypercall: `hold` idle steps of this CPU, IRQs on, no lock), then
 * spin_lock_irq(&zone->lock) and page_reporting_drain(). Before v5.7 (no
 * __putback_isolated_page in the variant) the chunks go back first with
 * __free_pages(), each through the variant's free path, and the lock is
 * taken after to mark them. Called without zone->lock; returns holding it.
 * Frame: .arg the hold. Locals: the steps and chunks done.
 */
struct page_reporting_report_locals {
	uint32_t i;
};

static enum sim_ret page_reporting_report(struct sim_world *w, struct sim_cpu *cpu,
					  struct sim_frame *f)
{
	struct page_reporting_report_locals *l = SIM_LOCALS(f, struct page_reporting_report_locals);
	struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];
	struct sim_wl_chunk c;

	SIM_BEGIN(f);
	SIM_EV(w, "page_reporting: report %u chunks (%d steps)", wl->n_held, f->arg);
	for (l->i = 0; l->i < (uint32_t)f->arg; l->i++)
		SIM_POINT(w, cpu, f, SIM_NEXT_RUN); /* the hypervisor holds the pages */
	if (w->ops->__putback_isolated_page) {
		SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &w->zone->lock);
		page_reporting_drain(w, cpu);
		SIM_RETURN_VAL(cpu, 0);
	}
	/* before v5.7: __free_pages(), as unset_migratetype_isolate() did */
	for (l->i = wl->n_held; l->i-- > 0;) {
		c = sim_workload_sgl(w, cpu->id)[l->i];
		wl->held_pages -= 1ul << c.order;
		SIM_EV(w, "page_reporting: __free_pages(pfn %u, order %u)", c.pfn, c.order);
		SIM_CALL(w, cpu, f, &sim_base___free_pages, .pfn = c.pfn,
			 .order = (int16_t)c.order);
	}
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &w->zone->lock);
	page_reporting_mark(w, cpu);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
static const struct sim_fn page_reporting_report_fn = { "prdev->report", page_reporting_report };

/* list_empty(list) read without zone->lock: the cycle's early check. */
static bool sim_free_list_empty(struct sim_world *w, unsigned int order, int mt)
{
	sim_access_rd(w, SIM_OBJ_LOCK);
	return list_empty(w, &w->zone->free_area[order].free_list[mt]);
}

/*
 * page_reporting_cycle() (v5.7): after a lock-free check that the list is
 * not empty, under spin_lock_irq(&zone->lock) fill the scatterlist from
 * free_list[mt] of the order; whenever it is full, rotate the first chunk
 * not taken to the front, drop the lock, report, retake it, drain, and walk
 * the list again from its head. Leftovers stay in the scatterlist for the
 * next list. Frame: .order, .mt, .arg capacity. Returns 0.
 */
static enum sim_ret page_reporting_cycle(struct sim_world *w, struct sim_cpu *cpu,
					 struct sim_frame *f)
{
	const struct sim_workload *spec = &w->sc->scripts[cpu->id].workload;
	struct list_head *list = &w->zone->free_area[f->order].free_list[f->mt];
	struct page *page;

	SIM_BEGIN(f);
	/* Perform early check, if free area is empty there is nothing to process */
	SIM_RACY_READ(w, cpu, f, f->flags, sim_free_list_empty(w, (unsigned int)f->order, f->mt));
	if (f->flags)
		SIM_RETURN_VAL(cpu, 0);
	SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, &w->zone->lock); /* spin_lock_irq */
	for (;;) {
		page = page_reporting_fill(w, cpu, (unsigned int)f->order, f->mt, (uint32_t)f->arg);
		if (!page)
			break;
		/* Make the first non-processed page the new head of the free list */
		list_rotate_to_front(w, &page->lru, list);
		spin_unlock_irqrestore(w, &w->zone->lock);
		SIM_CALL(w, cpu, f, &page_reporting_report_fn, .arg = (int32_t)spec->hold);
		/* zone->lock is held again, the scatterlist drained */
	}
	spin_unlock_irqrestore(w, &w->zone->lock);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
static const struct sim_fn page_reporting_cycle_fn = { "page_reporting_cycle",
						       page_reporting_cycle };

/*
 * page_reporting_process_zone() (v5.7): a cycle for each order from the
 * minimum up and each migratetype but MIGRATE_ISOLATE, then the report of
 * what is left in the scatterlist. The zone_watermark_ok() that cancels the
 * pass is not modeled. A capacity of 0 is the model's control: a pass that
 * reports nothing. Frame: .order minimum order, .arg capacity. Returns 0.
 */
struct page_reporting_process_zone_locals {
	int32_t order;
	int32_t mt;
};

static enum sim_ret page_reporting_process_zone(struct sim_world *w, struct sim_cpu *cpu,
						struct sim_frame *f)
{
	struct page_reporting_process_zone_locals *l =
		SIM_LOCALS(f, struct page_reporting_process_zone_locals);
	const struct sim_workload *spec = &w->sc->scripts[cpu->id].workload;

	SIM_BEGIN(f);
	if (!f->arg)
		SIM_RETURN_VAL(cpu, 0);
	/* Process each free list starting from lowest order/mt */
	for (l->order = f->order; l->order < (int32_t)MAX_ORDER(w->zone); l->order++) {
		for (l->mt = 0; l->mt < MIGRATE_TYPES; l->mt++) {
			/* We do not pull pages from the isolate free list */
			if (is_migrate_isolate(l->mt))
				continue;
			SIM_CALL(w, cpu, f, &page_reporting_cycle_fn, .order = (int16_t)l->order,
				 .mt = (int16_t)l->mt, .arg = f->arg);
		}
	}
	/* report the leftover pages before going idle */
	if (w->wl->cpu[cpu->id].n_held) {
		SIM_CALL(w, cpu, f, &page_reporting_report_fn, .arg = (int32_t)spec->hold);
		spin_unlock_irqrestore(w, &w->zone->lock);
	}
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(page_reporting_process_zone);
