// SPDX-License-Identifier: GPL-2.0
/*
 * The model's shadow bookkeeping: what is really on the free lists and
 * pcplists, kept up to date by the list primitives (mm/list.h) and by
 * set_pageblock_migratetype(). It is the truth the invariants compare the
 * kernel's counters with (check/invariants.c):
 *
 *  - pages on free lists per migratetype, chunks per order;
 *  - per pageblock, free pages on ISOLATE lists and on other lists, from which
 *    "misplaced" (normal list, ISOLATE block) and "stranded" (ISOLATE list,
 *    normal block) are kept as running sums;
 *  - pages on pcplists, guard pages, and pages handed out.
 *
 * Code that mirrors the kernel never reads any of this.
 */
#include <stddef.h>

#include "mm/page.h"
#include "mm/shadow.h"

struct sim_list_id {
	enum sim_where where;
	int mt;
	int arg; /* order (FREE) or cpu (PCP) */
};

/* Which list a list_head belongs to: a free list head, a pcplist head, or a page on a list. */
static struct sim_list_id sim_list_identify(struct sim_world *w, struct list_head *l)
{
	const char *p = (const char *)l;
	const char *fa = (const char *)w->zone->free_area;
	const char *ps = (const char *)w->pageset;
	struct sim_list_id id;

	if (p >= fa && p < fa + sizeof(w->zone->free_area)) {
		size_t off = (size_t)(p - fa);

		id.where = SIM_WHERE_FREE;
		id.arg = (int)(off / sizeof(struct free_area));
		id.mt = (int)(off % sizeof(struct free_area) / sizeof(struct list_head));
		return id;
	}
	if (p >= ps && p < ps + w->ncpus * sizeof(struct per_cpu_pages)) {
		size_t off = (size_t)(p - ps);

		id.where = SIM_WHERE_PCP;
		id.arg = (int)(off / sizeof(struct per_cpu_pages));
		id.mt = (int)((off % sizeof(struct per_cpu_pages) -
			       offsetof(struct per_cpu_pages, lists)) /
			      sizeof(struct list_head));
		return id;
	}
	if (l >= w->held && l <= w->held + w->ncpus) {
		id.where = SIM_WHERE_HELD;
		id.mt = 0;
		id.arg = (int)(l - w->held);
		return id;
	}
	/* a page already on a list: the new entry joins the same list */
	{
		const struct page *page = (const struct page *)(p - offsetof(struct page, lru));

		id.where = page->where;
		id.mt = page->where_mt;
		id.arg = page->where_arg;
	}
	return id;
}

/* Add (sign 1) or remove (sign -1) nr_pages of free pages at pfn on a list of type mt. */
static void sim_shadow_blocks(struct sim_world *w, unsigned long pfn, unsigned int order, int mt,
			      int sign)
{
	struct sim_shadow *sh = &w->st->shadow;
	unsigned long nr = 1ul << order;
	unsigned long per_block =
		nr < pageblock_nr_pages(w->zone) ? nr : pageblock_nr_pages(w->zone);
	unsigned long b = sim_block_of(w, pfn);
	unsigned long last = sim_block_of(w, pfn + nr - 1);

	for (; b <= last; b++) {
		bool block_isolated = w->pageblock_flags[b] == MIGRATE_ISOLATE;
		long delta = sign * (long)per_block;

		if (is_migrate_isolate(mt)) {
			w->blk[b].free_isolate += (uint32_t)delta;
			if (!block_isolated)
				sh->stranded += delta;
		} else {
			w->blk[b].free_other += (uint32_t)delta;
			if (block_isolated)
				sh->misplaced += delta;
		}
	}
}

static void sim_shadow_free_chunk(struct sim_world *w, struct page *page, int order, int mt,
				  int sign)
{
	struct sim_shadow *sh = &w->st->shadow;

	sh->free_pages[mt] += sign * (1l << order);
	sh->free_total += sign * (1l << order);
	if (!is_migrate_isolate(mt)) /* the usable free pages, whatever the variant counts */
		sh->counted += sign * (1l << order);
	sh->chunks[order] += sign;
	sh->dirty_orders |= 1u << order;
	sim_shadow_blocks(w, page_to_pfn(w, page), (unsigned int)order, mt, sign);
}

static void sim_shadow_pcp(struct sim_world *w, int cpu, int sign)
{
	w->info.acc.pcp_wr |= 1ull << cpu;
	w->st->shadow.pcp_pages += sign;
	w->cpus[cpu].pcp_pages += sign;
}

void sim_shadow_list_add(struct sim_world *w, struct list_head *entry, struct list_head *where)
{
	struct page *page = (struct page *)((char *)entry - offsetof(struct page, lru));
	struct sim_list_id id = sim_list_identify(w, where);

	if (page->where == SIM_WHERE_INFLIGHT) /* a freed page goes straight to a pcplist */
		w->st->shadow.inflight_pages -= 1l << page->where_arg;
	page->where = (uint8_t)id.where;
	page->where_mt = (uint8_t)id.mt;
	page->where_arg = (uint8_t)id.arg;
	if (id.where == SIM_WHERE_FREE)
		sim_shadow_free_chunk(w, page, id.arg, id.mt, 1);
	else if (id.where == SIM_WHERE_PCP)
		sim_shadow_pcp(w, id.arg, 1);
	else if (id.where == SIM_WHERE_HELD)
		w->st->shadow.held_pages += 1l << page_private(page);
}

void sim_shadow_list_del(struct sim_world *w, struct list_head *entry)
{
	struct page *page = (struct page *)((char *)entry - offsetof(struct page, lru));

	if (page->where == SIM_WHERE_FREE)
		sim_shadow_free_chunk(w, page, page->where_arg, page->where_mt, -1);
	else if (page->where == SIM_WHERE_PCP)
		sim_shadow_pcp(w, page->where_arg, -1);
	else if (page->where == SIM_WHERE_HELD)
		w->st->shadow.held_pages -= 1l << page_private(page);
	page->where = SIM_WHERE_NONE;
}

void sim_shadow_hold(struct sim_world *w, struct page *page, unsigned int order, int sign)
{
	if (sign > 0 && page->where == SIM_WHERE_INFLIGHT)
		w->st->shadow.inflight_pages -= 1l << page->where_arg;
	page->where = sign > 0 ? SIM_WHERE_HELD : SIM_WHERE_NONE;
	page->where_arg = SIM_HELD_NOLIST;
	w->st->shadow.held_pages += sign * (1l << order);
}

/*
 * set_pageblock_migratetype() (include/linux/pageblock-flags.h): caller holds
 * zone->lock in every path the model runs. Moving a block in or out of
 * ISOLATE turns its free pages from misplaced to counted-correctly and back.
 */
void set_pageblock_migratetype(struct sim_world *w, struct page *page, int migratetype)
{
	unsigned long b = sim_block_of(w, page_to_pfn(w, page));
	int old = w->pageblock_flags[b];
	struct sim_shadow *sh = &w->st->shadow;

	sim_access_wr(w, SIM_OBJ_BLOCKTYPE | SIM_OBJ_TESTED);
	if (is_migrate_isolate(old) != is_migrate_isolate(migratetype)) {
		long sign = is_migrate_isolate(migratetype) ? 1 : -1;

		sh->misplaced += sign * (long)w->blk[b].free_other;
		sh->stranded -= sign * (long)w->blk[b].free_isolate;
		if (!is_migrate_isolate(migratetype))
			w->block_flags[b] &= (uint8_t)~SIM_BLOCK_TESTED;
	}
	w->pageblock_flags[b] = (uint8_t)migratetype;
}

void sim_shadow_guard(struct sim_world *w, struct page *page, unsigned int order, int sign)
{
	page->where = sign > 0 ? SIM_WHERE_GUARD : SIM_WHERE_NONE;
	w->st->shadow.guard_pages += sign * (1l << order);
}

void sim_shadow_alloc(struct sim_world *w, unsigned int order, int sign)
{
	w->st->shadow.alloc_pages += sign * (1l << order);
}

void sim_shadow_freeing(struct sim_world *w, struct page *page, unsigned int order)
{
	struct sim_shadow *sh = &w->st->shadow;

	sh->alloc_pages -= 1l << order;
	sh->inflight_pages += 1l << order;
	page->where = SIM_WHERE_INFLIGHT;
	page->where_arg = (uint8_t)order;
}

void sim_shadow_freed(struct sim_world *w, struct page *page)
{
	if (page->where != SIM_WHERE_INFLIGHT)
		return; /* a page from a pcplist: it was counted there */
	w->st->shadow.inflight_pages -= 1l << page->where_arg;
	page->where = SIM_WHERE_NONE;
}
