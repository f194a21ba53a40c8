/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a step touched of the state other CPUs share: its footprint, recorded
 * as the step runs. The explorer (sim/explore/) calls two steps of different
 * CPUs dependent when their footprints conflict (one writes what the other
 * reads or writes); only then does their order need exploring.
 *
 * The objects, and who records them:
 *  LOCK      zone->lock and everything it protects (free lists, counters,
 *            nr_free, nr_isolate_pageblock): spin_lock()
 *  BLOCKTYPE pageblock migratetypes: read by get_pfnblock_migratetype(),
 *            written by set_pageblock_migratetype()
 *  CPUMASK   drain_all_pages()'s shared static cpumask
 *  INV       what the invariants read outside zone->lock: whether CPUs are
 *            inside a call (stranded), pending counter updates
 *            (freepage-count); every locked step counts as writing it
 *  TESTED    the blocks test_pages_isolated() passed (isolation)
 *  MUTEX     the kernel's sleeping locks (struct sim_mutex): mutex_lock,
 *            mutex_trylock, mutex_unlock
 *  page      the struct page fields written without zone->lock (the
 *            refcount, the freepage migratetype cached in page->index, the
 *            allocation type) and the scenario's handles, per CPU: a CPU
 *            writes those of the pages it frees or allocates
 *            (free_pages_prepare(), the free paths' lock-free
 *            set_freepage_migratetype(), prep_new_page(), the entry
 *            points); the walks that look at any page's (has_unmovable_pages,
 *            __test_page_isolated_in_pageblock, __offline_isolated_pages,
 *            migration's scan) read every CPU's, and migration, which takes
 *            references on other CPUs' pages and moves their handles, writes
 *            every CPU's. A walk that reads PageBuddy without zone->lock
 *            reads LOCK as well.
 *  MUTEX     the kernel's static mutexes (pcpu_drain_mutex,
 *            pcp_batch_high_lock): taken and released
 *  pcp       a CPU's pcplists, pcp->count (and from v6.0 pcp->lock, high,
 *            batch): written by that CPU, read by drain_all_pages() on
 *            others (from v6.0 also written by them, under pcp->lock)
 *  ipi       a CPU's queue of IPIs and the completion its sender waits for
 * Every step also writes its own CPU's local state: two steps on one CPU (its
 * task and an IPI taken there) are always dependent.
 */
#ifndef SIM_ENGINE_ACCESS_H
#define SIM_ENGINE_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

enum sim_obj {
	SIM_OBJ_LOCK = 1u << 0,
	SIM_OBJ_BLOCKTYPE = 1u << 1,
	SIM_OBJ_CPUMASK = 1u << 2,
	SIM_OBJ_INV = 1u << 3,
	SIM_OBJ_TESTED = 1u << 4,
	SIM_OBJ_MUTEX = 1u << 5,
};

struct sim_access {
	uint32_t rd, wr;        /* enum sim_obj */
	uint64_t pcp_rd, pcp_wr; /* CPUs whose pcplists were read / written */
	uint64_t page_rd, page_wr; /* CPUs whose pages' lock-free fields were read / written */
	uint64_t ipi;           /* CPUs whose IPI queue or completion was touched */
	uint8_t cpu;            /* the CPU the step ran on */
};

static inline bool sim_access_conflict(const struct sim_access *a, const struct sim_access *b)
{
	return a->cpu == b->cpu || (a->wr & (b->rd | b->wr)) || (b->wr & a->rd) ||
	       (a->pcp_wr & (b->pcp_rd | b->pcp_wr)) || (b->pcp_wr & a->pcp_rd) ||
	       (a->page_wr & (b->page_rd | b->page_wr)) || (b->page_wr & a->page_rd) ||
	       (a->ipi & b->ipi);
}

#endif /* SIM_ENGINE_ACCESS_H */
