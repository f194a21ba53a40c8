// SPDX-License-Identifier: GPL-2.0
/*
 * Building a world from a scenario and a variant, and resetting it.
 *
 * The arena holds, in order: the state header (struct sim_state, at offset
 * 0 so that offset 0 is never a list_head), the zone, the per-cpu pagesets,
 * the held lists (mm/mmzone.h), the CPUs, the named allocations, struct page[], the per-pageblock
 * arrays, and the workloads' state (workload/workload.h). sim_world_new() lays it out,
 * builds the scenario's initial state
 * the way the boot-time allocator would leave it (free chunks on the lists
 * of their type, counters matching), and keeps a copy; sim_world_reset()
 * copies it back.
 */
#include <string.h>

#include "engine/exec.h"
#include "engine/world.h"
#include "mm/list.h"
#include "mm/page.h"
#include "scenario/scenario.h"
#include "util/error.h"
#include "util/prng.h"
#include "variants/variant.h"
#include "workload/workload.h"

struct sim_layout {
	size_t off_zone, off_pageset, off_held, off_cpus, off_handles, off_pages, off_blocktype,
		off_blockflags, off_blk, off_wl, size;
};

static size_t sim_align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static struct sim_layout sim_world_layout(const SimScenario *sc, unsigned long nr_blocks)
{
	struct sim_layout l;
	size_t off = sim_align8(sizeof(struct sim_state));

	l.off_zone = off;
	off = sim_align8(off + sizeof(struct zone));
	l.off_pageset = off;
	off = sim_align8(off + sc->cpus * sizeof(struct per_cpu_pages));
	l.off_held = off;
	off = sim_align8(off + (sc->cpus + 1) * sizeof(struct list_head));
	l.off_cpus = off;
	off = sim_align8(off + sc->cpus * sizeof(struct sim_cpu));
	l.off_handles = off;
	off = sim_align8(off + sc->handle_names->len * sizeof(struct sim_handle));
	l.off_pages = off;
	off = sim_align8(off + sc->pages * sizeof(struct page));
	l.off_blocktype = off;
	off = sim_align8(off + nr_blocks);
	l.off_blockflags = off;
	off = sim_align8(off + nr_blocks);
	l.off_blk = off;
	off = sim_align8(off + nr_blocks * sizeof(struct sim_block_shadow));
	l.off_wl = off;
	off = sim_align8(off + sim_workload_arena_size(sc));
	l.size = off;
	return l;
}

static void sim_world_init_zone(struct sim_world *w)
{
	const SimScenario *sc = w->sc;
	struct zone *zone = w->zone;

	zone->zone_start_pfn = sc->start_pfn;
	zone->spanned_pages = sc->pages;
	zone->max_order = sc->max_order;
	zone->pageblock_order = sc->pageblock_order;
	zone->debug_guardpage_minorder = sc->debug_guardpage_minorder;
	zone->lock.owner = -1;
	for (unsigned int o = 0; o < SIM_MAX_ORDER_LIMIT; o++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(w, &zone->free_area[o].free_list[mt]);
	}
	for (unsigned int c = 0; c < w->ncpus; c++) {
		struct per_cpu_pages *pcp = &w->pageset[c];

		pcp->lock.owner = -1;
		pcp->high = sc->pcp_high;
		pcp->batch = sc->pcp_batch;
		zone->pageset_high = sc->pcp_high;
		zone->pageset_batch = sc->pcp_batch;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			INIT_LIST_HEAD(w, &pcp->lists[mt]);
	}
	for (unsigned int i = 0; i <= w->ncpus; i++)
		INIT_LIST_HEAD(w, &w->held[i]);
}

static void sim_world_init_blocks(struct sim_world *w)
{
	const SimScenario *sc = w->sc;

	memset(w->pageblock_flags, sc->default_migratetype, w->nr_blocks);
	for (guint i = 0; i < sc->block_types->len; i++) {
		const struct sim_block_range *r =
			&g_array_index(sc->block_types, struct sim_block_range, i);

		for (unsigned long pfn = r->start_pfn; pfn < r->end_pfn;
		     pfn += pageblock_nr_pages(w->zone))
			w->pageblock_flags[sim_block_of(w, pfn)] = (uint8_t)r->migratetype;
	}
	for (unsigned long b = 0; b < w->nr_blocks; b++) {
		if (w->pageblock_flags[b] == MIGRATE_ISOLATE)
			w->zone->nr_isolate_pageblock++;
	}
}

/* Every page starts allocated, as an order-0 page of its block's type... */
static void sim_world_init_pages(struct sim_world *w)
{
	for (unsigned long i = 0; i < w->nr_pages; i++) {
		struct page *page = &w->mem_map[i];

		page->_count = 1;
		page->alloc_mt = (uint8_t)get_pfnblock_migratetype(w, w->zone->zone_start_pfn + i);
	}
	w->st->shadow.alloc_pages = (long)w->nr_pages;
}

/* ... then the layout's allocated chunks get their order and name ... */
static void sim_world_init_allocated(struct sim_world *w)
{
	for (guint i = 0; i < w->sc->allocated->len; i++) {
		const struct sim_chunk *c = &g_array_index(w->sc->allocated, struct sim_chunk, i);
		struct page *page = pfn_to_page(w, c->pfn);

		for (unsigned long p = 1; p < (1ul << c->order); p++)
			page[p]._count = 0; /* tail pages of a non-compound allocation */
		if (c->migratetype >= 0)
			page->alloc_mt = (uint8_t)c->migratetype;
		page->where_arg = (uint8_t)c->order; /* as prep_new_page() records it */
		if (c->handle >= 0) {
			w->handles[c->handle].pfn = (uint32_t)c->pfn;
			w->handles[c->handle].order = (uint8_t)c->order;
			w->handles[c->handle].valid = 1;
		}
	}
}

/* ... and the free chunks go on the free lists, counted as the era counts them. */
static void sim_world_init_free(struct sim_world *w)
{
	struct zone *zone = w->zone;

	for (guint i = 0; i < w->sc->free->len; i++) {
		const struct sim_chunk *c = &g_array_index(w->sc->free, struct sim_chunk, i);
		struct page *page = pfn_to_page(w, c->pfn);
		int mt = c->migratetype >= 0 ? c->migratetype : get_pfnblock_migratetype(w, c->pfn);

		for (unsigned long p = 0; p < (1ul << c->order); p++)
			page[p]._count = 0;
		w->st->shadow.alloc_pages -= 1l << c->order;
		set_page_order(page, c->order);
		set_freepage_migratetype(page, mt);
		list_add_tail(w, &page->lru, &zone->free_area[c->order].free_list[mt]);
		zone->free_area[c->order].nr_free++;
		if (!is_migrate_isolate(mt) || w->isolate_counted)
			__mod_zone_freepage_state(zone, 1l << c->order, mt);
	}
}

static void sim_world_init_cpus(struct sim_world *w)
{
	for (unsigned int c = 0; c < w->ncpus; c++) {
		struct sim_cpu *cpu = &w->cpus[c];

		cpu->id = (uint8_t)c;
		cpu->next = SIM_NEXT_ENTRY;
		sim_exec_script_advance(w, cpu);
	}
	w->st->lock_released_by = -1;
	w->st->pcpu_drain_mutex.owner = -1;
	w->st->pcp_batch_high_lock.owner = -1;
}

struct sim_world *sim_world_new(const SimScenario *sc, const SimVariant *variant, GError **error)
{
	g_autoptr(SimWorld) w = g_new0(struct sim_world, 1);
	unsigned long nr_blocks = sc->pages >> sc->pageblock_order;
	struct sim_layout l = sim_world_layout(sc, nr_blocks);
	struct sim_mm_ops *ops = g_new0(struct sim_mm_ops, 1);

	sim_variant_resolve(variant, ops);
	w->sc = sc;
	w->variant = variant;
	w->ops = ops;
	w->ncpus = sc->cpus;
	w->nr_pages = sc->pages;
	w->nr_blocks = nr_blocks;
	w->costs = sc->costs;
	w->isolate_counted = variant->isolate_counted;
	w->arena_size = l.size;
	w->script_len = g_new0(uint32_t, sc->cpus);
	for (unsigned int c = 0; c < sc->cpus; c++)
		w->script_len[c] = sc->scripts[c].n_ops;
	if (l.size / 4 >= G_MAXUINT32) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT,
			    "%s: a world of %lu pages needs %zu bytes, more than the 16 GiB the "
			    "model addresses",
			    sc->path, sc->pages, l.size);
		return NULL;
	}
	w->arena = g_try_malloc0(l.size);
	w->initial = g_try_malloc(l.size);
	if (!w->arena || !w->initial) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT,
			    "%s: cannot allocate %zu bytes for a zone of %lu pages", sc->path,
			    l.size, sc->pages);
		return NULL;
	}
	w->st = w->arena;
	w->zone = (struct zone *)((char *)w->arena + l.off_zone);
	w->pageset = (struct per_cpu_pages *)((char *)w->arena + l.off_pageset);
	w->held = (struct list_head *)((char *)w->arena + l.off_held);
	w->cpus = (struct sim_cpu *)((char *)w->arena + l.off_cpus);
	w->handles = (struct sim_handle *)((char *)w->arena + l.off_handles);
	w->mem_map = (struct page *)((char *)w->arena + l.off_pages);
	w->pageblock_flags = (uint8_t *)w->arena + l.off_blocktype;
	w->block_flags = (uint8_t *)w->arena + l.off_blockflags;
	w->blk = (struct sim_block_shadow *)((char *)w->arena + l.off_blk);
	w->info.events = g_string_new(NULL);
	w->info.ev_text = g_string_new(NULL);

	sim_world_init_zone(w);
	sim_world_init_blocks(w);
	sim_world_init_pages(w);
	sim_world_init_allocated(w);
	sim_world_init_free(w);
	sim_world_init_cpus(w);
	sim_workload_init(w, l.off_wl);
	memcpy(w->initial, w->arena, l.size);
	return g_steal_pointer(&w);
}

void sim_world_free(struct sim_world *w)
{
	if (!w)
		return;
	g_free((void *)w->ops);
	g_free(w->script_len);
	g_free(w->arena);
	g_free(w->initial);
	if (w->info.events)
		g_string_free(w->info.events, TRUE);
	if (w->info.ev_text)
		g_string_free(w->info.ev_text, TRUE);
	g_free(w);
}

void sim_world_reset(struct sim_world *w)
{
	memcpy(w->arena, w->initial, w->arena_size);
}

void sim_world_seed(struct sim_world *w, uint64_t seed)
{
	sim_prng_seed(w->st->rng, seed);
	sim_workload_seed(w, seed);
}

long sim_world_truth_cma(const struct sim_world *w)
{
	return w->st->shadow.free_pages[MIGRATE_CMA];
}

long sim_world_drift(const struct sim_world *w)
{
	return w->zone->vm_stat[NR_FREE_PAGES] - sim_world_truth(w);
}

uint64_t sim_world_hash(const struct sim_world *w)
{
	const unsigned char *p = w->arena;
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < w->arena_size; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* FNV-1a a word at a time (the explorer hashes every end state it reaches). */
static uint64_t sim_world_hash_words(const struct sim_world *w)
{
	const unsigned char *p = w->arena;
	uint64_t h = 0xcbf29ce484222325ull, word;
	size_t i;

	for (i = 0; i + sizeof(word) <= w->arena_size; i += sizeof(word)) {
		memcpy(&word, p + i, sizeof(word));
		h = (h ^ word) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < w->arena_size; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* The order-dependent fields are zeroed in place for the hash and put back. */
uint64_t sim_world_state_hash(struct sim_world *w)
{
	struct sim_state st = *w->st;
	uint64_t t[SIM_NR_CPUS_LIMIT][3], h;

	w->st->step = w->st->now = w->st->lock_free_at = 0;
	w->st->lock_released_by = 0;
	memset(&w->st->ev, 0, sizeof(w->st->ev));
	memset(w->st->rng, 0, sizeof(w->st->rng));
	for (unsigned int c = 0; c < w->ncpus; c++) {
		struct sim_cpu *cpu = &w->cpus[c];

		t[c][0] = cpu->t, t[c][1] = cpu->ipi_arrival, t[c][2] = cpu->ipi_done_at;
		cpu->t = cpu->ipi_arrival = cpu->ipi_done_at = 0;
	}
	h = sim_world_hash_words(w);
	*w->st = st;
	for (unsigned int c = 0; c < w->ncpus; c++)
		w->cpus[c].t = t[c][0], w->cpus[c].ipi_arrival = t[c][1],
		w->cpus[c].ipi_done_at = t[c][2];
	return h;
}
