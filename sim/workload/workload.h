/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generated workloads: a CPU's calls drawn by a generator instead of (or
 * after) a hand-written script (docs/scenario-format.md, `workload:`).
 *
 * A workload is another source of script calls. When a CPU's script is done
 * and it has a workload, each step that starts a call asks the generator for
 * the next one: churn's alloc_pages()/__free_pages(), cma_alloc()'s
 * cma_alloc()/cma_release() (mm/cma.c), offline's offline_pages() and
 * online_pages() (mm/memory_hotplug.c), page_reporting's passes of free
 * page reporting (mm/page_reporting.c), alloc_contig's alloc_contig_range() /
 * free_contig_range() of aligned chunks. The calls run the same step machines
 * as a script's, so every race, invariant, trace and schedule applies; a
 * step in which the generator has nothing to call yet (cma_alloc sleeping
 * between allocations) is an idle step that touches no shared state.
 *
 * All of a workload's state is in the world's arena: per CPU a PRNG
 * (xoshiro256**, seeded from the run's seed and the CPU number, drawn only
 * when that CPU starts a call, so a replayed schedule replays the same
 * calls), the chunks it holds, and a map from pfn to holder that lets
 * migration move a holder's reference in O(1) (the model's stand-in for the
 * page table entry migration rewrites). Nothing is allocated per step.
 *
 * Module prefix: sim_workload_.
 */
#ifndef SIM_WORKLOAD_WORKLOAD_H
#define SIM_WORKLOAD_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_world;
struct sim_cpu;
struct sim_scenario;
struct sim_entry;

/*
 * struct cma (v3.16 drivers/base/dma-contiguous.c, mm/cma.c from v3.17):
 * one CMA area, order_per_bit 0 (one bit per page, as dma_contiguous_reserve
 * sets it up). The bitmap lives in the arena at bitmap_off.
 */
struct cma {
	uint32_t base_pfn;
	uint32_t count;
	uint32_t bitmap_off; /* arena offset of the bitmap (count bits) */
	uint32_t pad;
};

/*
 * A chunk a workload holds: churn's allocations, cma_alloc's and
 * alloc_contig's ranges, the offline range, the chunks page_reporting has
 * isolated (its scatterlist).
 */
struct sim_wl_chunk {
	uint32_t pfn;
	uint32_t order; /* churn, reporting: the chunk's order; cma, contig, offline: the pages */
	uint64_t due;	/* cma, contig, offline: the tick it is given back (UINT64_MAX: never) */
};

enum sim_wl_call {
	SIM_WL_NONE,
	SIM_WL_ALLOC,	    /* churn: alloc_pages() */
	SIM_WL_FREE,	    /* churn: __free_pages() */
	SIM_WL_CMA_ALLOC,   /* cma_alloc() */
	SIM_WL_CMA_RELEASE, /* cma_release() */
	SIM_WL_OFFLINE,	    /* offline_pages() */
	SIM_WL_ONLINE,	    /* online_pages() */
	SIM_WL_REPORT,	    /* page_reporting: one pass, page_reporting_process_zone() */
	SIM_WL_CONTIG,	    /* alloc_contig: alloc_contig_range() */
	SIM_WL_CONTIG_FREE, /* alloc_contig: free_contig_range() */
};

/* One CPU's workload state (in the arena). */
struct sim_wl_cpu {
	uint64_t rng[4];
	uint64_t done;	   /* calls started: churn operations, cma_alloc()/offline_pages() calls */
	uint64_t tick;	   /* idle steps taken: cma_alloc's and offline's clock */
	uint64_t next_due; /* cma, offline: the tick of the next cma_alloc()/offline_pages() */
	uint64_t held_pages; /* pages held */
	uint32_t base, cap;  /* this CPU's slots of the chunk array */
	uint32_t n_held;
	uint32_t call;	   /* enum sim_wl_call in progress */
	uint32_t order;	   /* churn: the order of the allocation in progress */
	int64_t got;	   /* cma_alloc(): the pfn the last call returned, or -1 */
	uint64_t ok, fail; /* cma_alloc() / offline_pages() calls that succeeded / failed */
	uint64_t churned;  /* churn: pages allocated plus pages freed (tools/bench) */
	uint32_t cursor;   /* alloc_contig: offset in the range of the next chunk to try */
	uint32_t pad;
	uint64_t reported; /* page_reporting: chunks put back and marked PageReported */
	uint64_t busy;	   /* alloc_contig: calls that returned -EBUSY (the others: -ENOMEM) */
};

/* The arena region's header: offsets of its arrays. */
struct sim_wl {
	struct cma cma;
	uint32_t chunks_off; /* struct sim_wl_chunk[] of all CPUs */
	uint32_t owner_off;  /* uint32_t per page: 1 + chunk slot, 0: no workload holds it */
	uint32_t has_owner;  /* the owner map exists (some CPU churns) */
	uint32_t pad;
	struct sim_wl_cpu cpu[]; /* [ncpus] */
};

/* Bytes the workloads of a scenario need in the arena. */
size_t sim_workload_arena_size(const struct sim_scenario *sc);
/* Lay out and initialize the region at arena offset `off` (world set-up). */
void sim_workload_init(struct sim_world *w, size_t off);
/* Seed every CPU's PRNG from the run's seed. */
void sim_workload_seed(struct sim_world *w, uint64_t seed);

/* The CPU's workload has a call or an idle step to take. */
bool sim_workload_has_work(const struct sim_world *w, const struct sim_cpu *cpu);
/*
 * Start the workload's next call on the CPU (push its frame) and return its
 * entry point, or return NULL after an idle step (nothing pushed).
 */
const struct sim_entry *sim_workload_start(struct sim_world *w, struct sim_cpu *cpu);
/*
 * The call started by sim_workload_start() returned (cpu->ret): update what
 * is held; returns the entry point the call is counted under.
 */
const struct sim_entry *sim_workload_returned(struct sim_world *w, struct sim_cpu *cpu);

/*
 * Under the timed strategy, the simulated time at which the CPU's idle
 * workload has something to do next (a call or a release is due), or
 * UINT64_MAX: the sleep of an idle step.
 */
uint64_t sim_workload_wake(const struct sim_world *w, const struct sim_cpu *cpu);

/* Migration moved a page from `from` to `to`: a workload holding it follows. */
void sim_workload_page_moved(struct sim_world *w, unsigned long from, unsigned long to);
/* cma_alloc() of the CPU's workload returned the range at pfn (entry wrapper). */
void sim_workload_cma_got(struct sim_world *w, struct sim_cpu *cpu, long pfn);

/*
 * page_reporting's scatterlist: the CPU's chunk slots, n_held of them in
 * use (mm/page_reporting.c fills and drains it).
 */
struct sim_wl_chunk *sim_workload_sgl(struct sim_world *w, unsigned int cpu);

/* The CMA bitmap (mm/cma.c). */
uint8_t *sim_workload_cma_bitmap(struct sim_world *w);

/* The state of a CPU's workload, for tests and reports. */
const struct sim_wl_cpu *sim_workload_cpu(const struct sim_world *w, unsigned int cpu);
const struct sim_wl_chunk *sim_workload_chunks(const struct sim_world *w, unsigned int cpu);

#endif /* SIM_WORKLOAD_WORKLOAD_H */
