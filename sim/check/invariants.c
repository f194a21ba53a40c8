// SPDX-License-Identifier: GPL-2.0
/*
 * The invariants, checked after every step against the model's shadow
 * bookkeeping (mm/shadow.c). Every per-step check is O(1) in the zone size
 * (O(max_order + cpus)); the O(pages) structural walk runs at the end of a
 * run. Which points each check needs is documented in check/invariants.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/invariants.h"
#include "engine/exec.h"
#include "mm/list.h"
#include "mm/page.h"
#include "variants/variant.h"

static const char *const sim_finding_names[SIM_N_FINDINGS] = {
	[SIM_FREEPAGE_COUNT] = "freepage-count",
	[SIM_CMA_COUNT] = "cma-count",
	[SIM_ISOLATION] = "isolation",
	[SIM_STRANDED] = "stranded",
	[SIM_CROSS_MERGE] = "cross-merge",
	[SIM_BUDDY] = "buddy",
	[SIM_DEADLOCK] = "deadlock",
	[SIM_BUG] = "bug",
	[SIM_STEP_LIMIT] = "step-limit",
};

const char *sim_finding_name(int finding)
{
	return finding >= 0 && finding < SIM_N_FINDINGS ? sim_finding_names[finding] : "?";
}

int sim_finding_from_name(const char *name)
{
	for (int i = 0; i < SIM_N_FINDINGS; i++) {
		if (!strcmp(sim_finding_names[i], name))
			return i;
	}
	return -1;
}

char *sim_findings_to_string(uint32_t mask)
{
	GString *s = g_string_new(NULL);

	for (int i = 0; i < SIM_N_FINDINGS; i++) {
		if (mask & SIM_F(i))
			g_string_append_printf(s, "%s%s", s->len ? ", " : "", sim_finding_names[i]);
	}
	if (!s->len)
		g_string_append(s, "clean");
	return g_string_free(s, FALSE);
}

/* What a check appends to: the breaches, and which of them get a message. */
struct sim_checker {
	struct sim_breach *out;
	int n;
	uint32_t describe; /* messages are only formatted for the findings shown */
};

static void sim_breach(struct sim_checker *c, int finding, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static void sim_breach(struct sim_checker *c, int finding, const char *fmt, ...)
{
	struct sim_breach *b = &c->out[c->n++];
	va_list ap;

	b->finding = finding;
	b->message[0] = 0;
	if (c->describe & SIM_F(finding)) {
		va_start(ap, fmt);
		vsnprintf(b->message, sizeof(b->message), fmt, ap);
		va_end(ap);
	}
}

/* No CPU holds zone->lock, and none is between dropping it and its counter update. */
static bool sim_counters_settled(const struct sim_world *w)
{
	return w->zone->lock.owner < 0 && !w->st->acct_pending;
}

/* The first pageblock with free pages on the wrong kind of list (for messages). */
static unsigned long sim_first_bad_block(const struct sim_world *w, bool misplaced)
{
	for (unsigned long b = 0; b < w->nr_blocks; b++) {
		bool isolated = w->pageblock_flags[b] == MIGRATE_ISOLATE;

		if (misplaced && isolated && w->blk[b].free_other)
			return b;
		if (!misplaced && !isolated && w->blk[b].free_isolate)
			return b;
	}
	return 0;
}

/* The counters agree with the lists (whether or not this is a point where they must). */
static bool sim_check_counters_hold(const struct sim_world *w)
{
	return zone_page_state(w->zone, NR_FREE_PAGES) == sim_world_truth(w) &&
	       zone_page_state(w->zone, NR_FREE_CMA_PAGES) == sim_world_truth_cma(w);
}

static void sim_check_counters(struct sim_world *w, uint32_t mask, struct sim_checker *c)
{
	const struct sim_shadow *sh = &w->st->shadow;
	long nfp = zone_page_state(w->zone, NR_FREE_PAGES), truth = sim_world_truth(w);
	long nfcp = zone_page_state(w->zone, NR_FREE_CMA_PAGES), cma = sim_world_truth_cma(w);

	/*
	 * While an isolation user's accounting is open, the design tolerates
	 * the counters being off (vbabka-2014: settled at test or undo); the
	 * drift is still recorded, only not a finding.
	 */
	if (w->st->acct_deferred)
		mask &= ~(SIM_F(SIM_FREEPAGE_COUNT) | SIM_F(SIM_CMA_COUNT));
	if ((mask & SIM_F(SIM_FREEPAGE_COUNT)) && nfp != truth)
		sim_breach(c, SIM_FREEPAGE_COUNT,
			   "NR_FREE_PAGES %ld != %ld pages on the counted free lists (drift %+ld)",
			   nfp, truth, nfp - truth);
	if ((mask & SIM_F(SIM_CMA_COUNT)) && nfcp != cma)
		sim_breach(c, SIM_CMA_COUNT,
			   "NR_FREE_CMA_PAGES %ld != %ld pages on MIGRATE_CMA free lists", nfcp,
			   cma);
	/* not while an isolation is being set up: a design may mark, drain, then move */
	if ((mask & SIM_F(SIM_ISOLATION)) && sh->misplaced && !w->st->isolating) {
		unsigned long b =
			(c->describe & SIM_F(SIM_ISOLATION)) ? sim_first_bad_block(w, true) : 0;

		sim_breach(c, SIM_ISOLATION,
			   "%ld free pages on non-ISOLATE lists inside isolated pageblocks (first: "
			   "block %lu, pfn %lu)",
			   sh->misplaced, b,
			   w->zone->zone_start_pfn + (b << w->zone->pageblock_order));
	}
}

static void sim_check_buddy(struct sim_world *w, struct sim_checker *c)
{
	struct sim_shadow *sh = &w->st->shadow;
	int cpu = w->info.cpu;
	uint32_t dirty = sh->dirty_orders;

	sh->dirty_orders = 0;
	if (sh->free_total + sh->pcp_pages + sh->guard_pages + sh->alloc_pages +
		    sh->inflight_pages + sh->held_pages + sh->offline_pages !=
	    (long)w->nr_pages) {
		sim_breach(c, SIM_BUDDY,
			   "pages lost or duplicated: %ld free + %ld pcp + %ld guard + %ld "
			   "allocated + %ld being freed + %ld held + %ld offline != %lu",
			   sh->free_total, sh->pcp_pages, sh->guard_pages, sh->alloc_pages,
			   sh->inflight_pages, sh->held_pages, sh->offline_pages, w->nr_pages);
		return;
	}
	/* Only what the step touched: the orders whose lists changed, the CPU that ran. */
	for (; dirty; dirty &= dirty - 1) {
		unsigned int o = (unsigned int)__builtin_ctz(dirty);

		if ((long)w->zone->free_area[o].nr_free != sh->chunks[o]) {
			sim_breach(c, SIM_BUDDY,
				   "free_area[%u].nr_free %lu but %ld chunks on its lists", o,
				   w->zone->free_area[o].nr_free, sh->chunks[o]);
			return;
		}
	}
	if (w->pageset[cpu].count != w->cpus[cpu].pcp_pages)
		sim_breach(c, SIM_BUDDY, "cpu %d: pcp->count %d but %d pages on its pcplists", cpu,
			   w->pageset[cpu].count, w->cpus[cpu].pcp_pages);
}

/* The checks that only apply after something went wrong: skipped on the fast path. */
static void sim_check_suspect(struct sim_world *w, uint32_t mask, struct sim_checker *c)
{
	const struct sim_step_events *ev = &w->st->ev;

	if (ev->bug)
		sim_breach(c, SIM_BUG, "BUG: %s", ev->bug);
	if ((mask & SIM_F(SIM_CROSS_MERGE)) && ev->cross_merge)
		sim_breach(c, SIM_CROSS_MERGE,
			   "__free_one_page merged pfn %u across ISOLATE and non-ISOLATE lists",
			   ev->cross_merge_pfn);
	if ((mask & SIM_F(SIM_ISOLATION)) && ev->alloc_isolated)
		sim_breach(c, SIM_ISOLATION,
			   "allocated pfn %u from a pageblock that test_pages_isolated() passed",
			   ev->alloc_isolated_pfn);
	if (sim_counters_settled(w))
		sim_check_counters(w, mask, c);
	if ((mask & SIM_F(SIM_STRANDED)) && w->st->shadow.stranded && sim_exec_quiescent(w)) {
		unsigned long b =
			(c->describe & SIM_F(SIM_STRANDED)) ? sim_first_bad_block(w, false) : 0;

		sim_breach(c, SIM_STRANDED,
			   "%ld free pages on ISOLATE lists of pageblocks that are not isolated "
			   "(first: block %lu, %s)",
			   w->st->shadow.stranded, b, migratetype_name(w->pageblock_flags[b]));
	}
}

int sim_check_step(struct sim_world *w, uint32_t mask, uint32_t describe, struct sim_breach *out)
{
	struct sim_step_events *ev = &w->st->ev;
	struct sim_checker c = { .out = out, .describe = describe };

	if (ev->any || w->st->shadow.misplaced || w->st->shadow.stranded ||
	    !sim_check_counters_hold(w))
		sim_check_suspect(w, mask, &c);
	if (mask & SIM_F(SIM_BUDDY))
		sim_check_buddy(w, &c);
	if (ev->any)
		memset(ev, 0, sizeof(*ev));
	return c.n;
}

/* ---------------------------------------------------------------------- */
/* The full structure, at the end of a run                                  */
/* ---------------------------------------------------------------------- */

/* Every free list: each entry heads a chunk of the list's order and type. */
static bool sim_check_lists(struct sim_world *w, char *msg, size_t len)
{
	struct zone *zone = w->zone;

	for (unsigned int o = 0; o < zone->max_order; o++) {
		unsigned long chunks = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *head = &zone->free_area[o].free_list[mt];

			for (struct list_head *l = list_first(w, head); l != head;
			     l = sim_lh(w, l->next)) {
				struct page *page = container_of(l, struct page, lru);
				unsigned long pfn = page_to_pfn(w, page);

				if (!PageBuddy(page) || page_order(page) != o ||
				    page->where != SIM_WHERE_FREE || page->where_mt != mt) {
					snprintf(msg, len,
						 "pfn %lu on free_list[%u][%s] is not a "
						 "free chunk of that order",
						 pfn, o, migratetype_name(mt));
					return false;
				}
				if (pfn & ((1ul << o) - 1)) {
					snprintf(msg, len,
						 "free chunk pfn %lu misaligned for order %u", pfn,
						 o);
					return false;
				}
				chunks++;
			}
		}
		if (chunks != zone->free_area[o].nr_free) {
			snprintf(msg, len, "free_area[%u]: %lu chunks on lists, nr_free %lu", o,
				 chunks, zone->free_area[o].nr_free);
			return false;
		}
	}
	return true;
}

/* Walk the pfns: free chunks and guard pages do not overlap each other or anything. */
static bool sim_check_walk(struct sim_world *w, char *msg, size_t len)
{
	unsigned long end = w->zone->zone_start_pfn + w->nr_pages;

	for (unsigned long pfn = w->zone->zone_start_pfn; pfn < end;) {
		struct page *page = pfn_to_page(w, pfn);
		unsigned long size = 1;

		if (PageBuddy(page) || page_is_guard(page))
			size = 1ul << page_order(page);
		if (pfn + size > end) {
			snprintf(msg, len, "chunk at pfn %lu runs past the zone", pfn);
			return false;
		}
		for (unsigned long p = 1; p < size; p++) {
			struct page *tail = page + p;

			if (PageBuddy(tail) || page_is_guard(tail) ||
			    tail->where != SIM_WHERE_NONE) {
				snprintf(msg, len,
					 "pfn %lu is inside the chunk at pfn %lu and "
					 "also free or on a list",
					 pfn + p, pfn);
				return false;
			}
		}
		pfn += size;
	}
	return true;
}

bool sim_check_structure(struct sim_world *w, char *msg, size_t len)
{
	return sim_check_lists(w, msg, len) && sim_check_walk(w, msg, len);
}

int sim_check_final(struct sim_world *w, uint32_t mask, struct sim_breach *out)
{
	struct sim_checker c = { .out = out, .describe = ~0u };
	char msg[160];

	if ((mask & SIM_F(SIM_BUDDY)) && !sim_check_structure(w, msg, sizeof(msg)))
		sim_breach(&c, SIM_BUDDY, "%s", msg);
	return c.n;
}
