/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine: one zone, its pages and pageblocks, N CPUs with
 * their pcplists, IRQ state, pending IPIs and kernel call stacks.
 *
 * Everything a run changes lives in one arena of plain data (no pointers into
 * itself; list links are arena offsets, call frames point only at static
 * function descriptors). Resetting a world to the scenario's initial state
 * is one memcpy from the snapshot taken after loading (sim_world_reset), and
 * no step allocates memory. This is what lets the explorer re-execute a
 * scenario from its initial state thousands of times per second.
 *
 * Module prefix: sim_world_. The CPUs' step machinery is in engine/step.h,
 * the choice of which CPU runs next in engine/sched.c.
 */
#ifndef SIM_ENGINE_WORLD_H
#define SIM_ENGINE_WORLD_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/access.h"
#include "engine/cost.h"
#include "mm/mmzone.h"

struct sim_world;
struct sim_cpu;
struct sim_frame;
struct sim_scenario;
struct sim_variant;
struct sim_mm_ops;
struct sim_wl;

/* What a step machine returns to the engine. */
enum sim_ret {
	SIM_YIELD,  /* a scheduling point: the step ends here */
	SIM_CALL,   /* a callee frame was pushed: run it within this step */
	SIM_RETURN, /* this function returned (its result is in cpu->ret) */
};

typedef enum sim_ret (*sim_step_fn)(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f);

/* A kernel function the model runs as a step machine (one static per function). */
struct sim_fn {
	const char *name;
	sim_step_fn step;
};

/*
 * One call frame. The arguments use the kernel's argument names where a
 * function has them (page as pfn, order, migratetype, start/end pfn, a count);
 * a function's own locals live in locals[], seen through a struct of its own
 * (SIM_LOCALS in engine/step.h).
 */
struct sim_frame {
	const struct sim_fn *fn;
	uint32_t pc;  /* resume point (a source line) */
	uint32_t pfn; /* page_to_pfn(page), or start_pfn */
	uint32_t end; /* end_pfn */
	int16_t order;
	int16_t mt;	/* migratetype */
	int32_t arg;	/* a count, or a named allocation */
	uint32_t flags; /* SIM_F_* */
	uint64_t locals[3];
};

#define SIM_F_COLD 0x1 /* __GFP_COLD / free_hot_cold_page(page, cold) */

#define SIM_STACK_DEPTH 12
#define SIM_LOOP_DEPTH	8

/* What the next step of a CPU starts with; decides whether the CPU may run. */
enum sim_next {
	SIM_NEXT_RUN,	   /* local work, or an access that cannot block */
	SIM_NEXT_READ,	   /* a lock-free read of shared state */
	SIM_NEXT_LOCK,	   /* spin_lock(&zone->lock): runnable only if the lock is free */
	SIM_NEXT_IPI_SEND, /* sending IPIs */
	SIM_NEXT_IPI_WAIT, /* waiting for IPI handlers to complete: runnable once all have */
	SIM_NEXT_LOCKED,   /* more work under zone->lock */
	SIM_NEXT_ENTRY,	   /* the next call of the CPU's script */
	SIM_NEXT_WAIT,	   /* taking a mutex or a pcp->lock: runnable once it is free */
};

struct sim_cpu {
	uint8_t id;
	uint8_t next;	       /* enum sim_next */
	uint8_t irqs_disabled; /* local_irq_save() nesting depth */
	uint8_t in_irq;	       /* running an IPI handler */
	uint8_t isolating;     /* inside start_isolate_page_range() (exec.c) */
	uint8_t acct_pending;  /* lock dropped, counter update that belongs to it not yet done */
	uint8_t sp;	       /* frames on the stack */
	uint8_t irq_sp;	       /* stack depth at interrupt entry */
	uint8_t loop_depth;
	uint8_t irq_from;	/* the CPU whose IPI is being handled */
	uint8_t irq_saved_next; /* the interrupted task's next action */
	uint32_t script_pc;	/* next op of this CPU's script */
	uint32_t call_pc;	/* the op being run */
	uint32_t wait_lock;	/* SIM_NEXT_WAIT: arena offset of the lock's owner word */
	uint32_t loop_pc[SIM_LOOP_DEPTH];
	uint32_t loop_left[SIM_LOOP_DEPTH];
	long ret;   /* return value of the last function that returned */
	uint64_t t; /* simulated time at which the next step may start (ns) */
	/* IPIs (smp_call_function_many): */
	const struct sim_fn *ipi_fn; /* as sender: the function the targets run */
	uint64_t ipi_waiting;	     /* as sender: targets that have not completed */
	uint64_t ipi_pending;	     /* as target: senders whose call is queued here */
	uint64_t ipi_arrival;	     /* as target: when the earliest queued call arrives */
	uint64_t ipi_done_at;	     /* as sender: when the last target completed */
	int pcp_pages;		     /* model: pages on this CPU's pcplists */
	uint32_t retries;	     /* model: rounds the call in progress went again */
	struct sim_frame stack[SIM_STACK_DEPTH];
};

/*
 * The call in progress on the CPU goes round again (offline_pages() after a
 * failed test or migration, cma_alloc() past a busy range): counted under
 * its entry point when it returns, for comparisons (entry.retries).
 */
static inline void sim_count_retry(struct sim_cpu *cpu)
{
	cpu->retries++;
}

/* Model bookkeeping kept beside the kernel state: the truth counters are checked against. */
struct sim_shadow {
	long free_pages[MIGRATE_TYPES];	  /* pages on free_list[*][mt] */
	long free_total;		  /* on any free list */
	long counted;			  /* of those, on non-ISOLATE lists: the usable ones */
	long chunks[SIM_MAX_ORDER_LIMIT]; /* chunks on free lists, per order */
	long pcp_pages;
	long guard_pages;
	long alloc_pages;      /* allocated or held off the lists by a caller */
	long inflight_pages;   /* being freed, not yet on a list */
	long misplaced;	       /* free pages on non-ISOLATE lists in ISOLATE blocks */
	uint32_t dirty_orders; /* orders whose free lists changed in this step */
	long stranded;	       /* free pages on ISOLATE lists in other blocks */
	long held_pages;       /* free pages held off the buddy lists (mm/mmzone.h) */
	long offline_pages;    /* pages taken out of the zone by offline_pages() */
};

/* Per pageblock: free pages of the block on ISOLATE lists and on other lists. */
struct sim_block_shadow {
	uint32_t free_isolate;
	uint32_t free_other;
};

#define SIM_BLOCK_TESTED 0x01 /* test_pages_isolated() passed; cleared when un-isolated */

/* A named allocation of the scenario: where it is while allocated. */
struct sim_handle {
	uint32_t pfn;
	uint8_t order;
	uint8_t valid;
	uint32_t nr_pages; /* alloc_contig_range(): pages [pfn, pfn + nr_pages); 0 otherwise */
};

/* Things a step did that the checker looks at after it (cleared every step). */
struct sim_step_events {
	uint32_t cross_merge;	 /* __free_one_page joined ISOLATE and non-ISOLATE pages */
	uint32_t alloc_isolated; /* an allocation returned a page of a tested-isolated block */
	uint32_t cross_merge_pfn;
	uint32_t alloc_isolated_pfn;
	const char *bug; /* a BUG_ON the model hit */
	uint32_t any;	 /* set with any of the above */
};

/* The arena header, at offset 0. */
#define SIM_ENTRIES_MAX 16

struct sim_state {
	uint64_t step;
	uint64_t now;	       /* simulated time of the current step (ns) */
	uint64_t lock_free_at; /* when zone->lock was last released */
	int lock_released_by;  /* cpu that released it last, -1 */
	int acct_pending;      /* CPUs between a zone->lock release and its counter update */
	int isolating;	       /* CPUs inside start_isolate_page_range() */
	int acct_deferred;     /* isolations whose owner settles the counters later (vbabka-2014) */
	struct sim_shadow shadow;
	struct sim_step_events ev;
	uint64_t cpus_with_pcps; /* drain_all_pages()'s static cpumask, shared by all callers */
	/* mm/page_alloc.c's static mutexes (v4.11+ drains, v5.11+ zone_pcp_disable) */
	struct sim_mutex pcpu_drain_mutex;
	struct sim_mutex pcp_batch_high_lock;
	uint32_t entry_calls[SIM_ENTRIES_MAX];	 /* script calls that returned, per entry point */
	uint32_t entry_ok[SIM_ENTRIES_MAX];	 /* ... and returned 0 */
	uint32_t entry_retries[SIM_ENTRIES_MAX]; /* ... and the rounds they went again */
	uint64_t rng[4]; /* the run's PRNG (xoshiro256**), for timed jitter */
};

/* Per-step context for reports and traces: not part of the model's state. */
#define SIM_CHAIN_MAX	10
#define SIM_STEP_EVENTS 48
struct sim_step_info {
	int cpu;
	bool irq;			  /* the step delivered an interrupt */
	int depth;			  /* current call chain depth: the CPU's frames, then ... */
	const char *chain[SIM_CHAIN_MAX]; /* ... plain functions above them (sim_enter) */
	int deepest;			  /* deepest chain seen during the step */
	int deep_valid;			  /* levels of deep_chain that match the current chain */
	const char *deep_chain[SIM_CHAIN_MAX];
	uint64_t cost;			    /* ns charged to this step */
	struct sim_access acc;		    /* what the step touched of shared state */
	GString *events;		    /* trace text, when tracing */
	const char *event_fn;		    /* the function of the step's first event */
	int n_events;			    /* the events one by one (for diagrams): */
	const char *ev_fn[SIM_STEP_EVENTS]; /* ... the function of each */
	GString *ev_text;		    /* ... their texts, each ending in '\0' */
};

struct sim_world {
	/* configuration: not changed by runs */
	const struct sim_scenario *sc;
	const struct sim_variant *variant;
	const struct sim_mm_ops *ops;
	unsigned int ncpus;
	unsigned long nr_pages;
	unsigned long nr_blocks;
	const uint64_t *costs; /* ns per cost class (engine/cost.h) */
	double jitter;	       /* timed strategy: each step's cost varies by up to this fraction */
	bool timed;	       /* timed costs: the timed strategy, or a replay of a timed run */
	bool isolate_counted;  /* the variant's NR_FREE_PAGES counts MIGRATE_ISOLATE lists */
	uint32_t *script_len;  /* ops in each CPU's script */
	bool tracing;

	/* the arena and its initial snapshot */
	void *arena;
	void *initial;
	size_t arena_size;

	/* pointers into the arena, set once by sim_world_new() */
	struct sim_state *st;
	struct zone *zone;
	struct page *mem_map;
	uint8_t *pageblock_flags; /* migratetype per pageblock */
	uint8_t *block_flags;	  /* SIM_BLOCK_* per pageblock */
	struct sim_block_shadow *blk;
	struct per_cpu_pages *pageset; /* [ncpus] */
	struct list_head *held;	       /* [ncpus + 1]: held lists (mm/mmzone.h) */
	struct sim_cpu *cpus;	       /* [ncpus] */
	struct sim_handle *handles;
	struct sim_wl *wl; /* the workloads' state (workload/workload.h) */

	/* the CPU being stepped and what its step did */
	struct sim_cpu *cur;
	struct sim_step_info info;

	/* observers of the model's functions and tracepoints (engine/probe.h), or NULL */
	const struct sim_probe *probe;
	void *probe_data;

	/* the per-run options that model code consults */
	int pcp_area_start, pcp_area_end; /* arena offsets of pageset[], for list decoding */
};

/* Record what the current step reads or writes of shared state (engine/access.h). */
static inline void sim_access_rd(struct sim_world *w, uint32_t obj)
{
	w->info.acc.rd |= obj;
}

static inline void sim_access_wr(struct sim_world *w, uint32_t obj)
{
	w->info.acc.wr |= obj;
}

/* The lock-free fields of the pages this CPU frees or allocates (engine/access.h). */
static inline void sim_access_page_wr(struct sim_world *w)
{
	w->info.acc.page_wr |= 1ull << w->info.cpu;
}

/* A walk over any CPU's pages (all = true: writes them too, as migration does). */
static inline void sim_access_pages_all(struct sim_world *w, bool write)
{
	w->info.acc.page_rd = ~0ull;
	if (write)
		w->info.acc.page_wr = ~0ull;
}

/* A lock's owner word in the arena, by offset (what a CPU at SIM_NEXT_WAIT waits for). */
static inline uint32_t sim_lock_off(const struct sim_world *w, const int *owner)
{
	return (uint32_t)((const char *)owner - (const char *)w->arena);
}

static inline const int *sim_lock_at(const struct sim_world *w, uint32_t off)
{
	return (const int *)(const void *)((const char *)w->arena + off);
}

/* Charge a cost (engine/cost.h) to the current step. */
static inline void sim_charge(struct sim_world *w, enum sim_cost_class cls)
{
	w->info.cost += w->costs[cls];
}

/* Arena offsets <-> list_head pointers (see mm/list.h). */
static inline struct list_head *sim_lh(struct sim_world *w, uint32_t off)
{
	return (struct list_head *)((uint32_t *)w->arena + off);
}

static inline uint32_t sim_lh_off(struct sim_world *w, const struct list_head *l)
{
	return (uint32_t)((const uint32_t *)l - (const uint32_t *)w->arena);
}

/* The page of a pfn, and back. Pages are stored from zone_start_pfn. */
static inline struct page *pfn_to_page(struct sim_world *w, unsigned long pfn)
{
	return &w->mem_map[pfn - w->zone->zone_start_pfn];
}

static inline unsigned long page_to_pfn(struct sim_world *w, const struct page *page)
{
	return (unsigned long)(page - w->mem_map) + w->zone->zone_start_pfn;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone->zone_start_pfn + zone->spanned_pages;
}

static inline unsigned long sim_block_of(struct sim_world *w, unsigned long pfn)
{
	return (pfn >> w->zone->pageblock_order) -
	       (w->zone->zone_start_pfn >> w->zone->pageblock_order);
}

typedef struct sim_world SimWorld;

struct sim_world *sim_world_new(const struct sim_scenario *sc, const struct sim_variant *variant,
				GError **error);
void sim_world_free(struct sim_world *w);
void sim_world_reset(struct sim_world *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimWorld, sim_world_free)

/* Model-side helpers for reports: the truth the free-page counter should equal. */
/* Seed the run's PRNG (util/prng.h, state in the arena: jitter of the timed strategy). */
void sim_world_seed(struct sim_world *w, uint64_t seed);

static inline long sim_world_truth(const struct sim_world *w)
{
	return w->st->shadow.counted;
}

long sim_world_truth_cma(const struct sim_world *w);

/* FNV-1a over the whole arena: two worlds in the same state hash the same. */
uint64_t sim_world_hash(const struct sim_world *w);
/*
 * The same, with what depends only on the order of independent steps left
 * out (simulated time, the step counter, the last step's events): two
 * executions of one Mazurkiewicz trace end with the same state hash.
 */
uint64_t sim_world_state_hash(struct sim_world *w);
long sim_world_drift(const struct sim_world *w);

#endif /* SIM_ENGINE_WORLD_H */
