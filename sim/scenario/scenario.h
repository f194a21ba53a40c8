/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A loaded scenario: the zone's geometry and initial layout, one script per
 * CPU, the schedule to run, which invariants to check and what each variant
 * is expected to do. Read from YAML by scenario/loader.c (format in
 * docs/scenario-format.md); immutable once loaded.
 *
 * Module prefix: sim_scenario_.
 */
#ifndef SIM_SCENARIO_SCENARIO_H
#define SIM_SCENARIO_SCENARIO_H

#include <glib.h>

#include "engine/cost.h"
#include "engine/world.h"

struct sim_entry;

/* Where something was written, for messages that name file:line:column. */
struct sim_mark {
	int line, col; /* 1-based; 0 when not from a file */
};

enum sim_op_kind {
	SIM_OP_CALL,   /* call an entry point */
	SIM_OP_REPEAT, /* repeat the ops up to the matching SIM_OP_END `count` times */
	SIM_OP_END,
};

struct sim_op {
	enum sim_op_kind kind;
	const struct sim_entry *entry; /* SIM_OP_CALL */
	struct sim_frame args;	       /* SIM_OP_CALL: the entry's frame arguments */
	uint32_t count;		       /* SIM_OP_REPEAT */
	uint32_t other;		       /* REPEAT: index of its END; END: index of its REPEAT */
	struct sim_mark mark;
};

/* A generated workload (workload/workload.c, docs/scenario-format.md). */
enum sim_workload_kind {
	SIM_WORKLOAD_NONE,
	SIM_WORKLOAD_CHURN,	     /* allocations and frees around an occupancy target */
	SIM_WORKLOAD_CMA_ALLOC,	     /* cma_alloc() of chunks of a CMA area, held, released */
	SIM_WORKLOAD_OFFLINE,	     /* offline_pages() of a range, online_pages() after a hold */
	SIM_WORKLOAD_PAGE_REPORTING, /* free page reporting passes (mm/page_reporting.c, v5.7) */
	SIM_WORKLOAD_ALLOC_CONTIG,   /* alloc_contig_range() of aligned chunks of a MOVABLE range */
};

#define SIM_CHURN_MIX_MAX 16
#define SIM_HOLD_FOREVER  UINT32_MAX /* cma_alloc/offline without `hold`: never given back */

/* One class of a churn's mix: allocations of 2^order pages of a migratetype. */
struct sim_churn_class {
	uint8_t order;
	uint8_t migratetype;
	uint32_t weight;
};

struct sim_workload {
	enum sim_workload_kind kind;
	/* churn: */
	uint64_t ops;	    /* operations: allocations and frees */
	uint32_t occupancy; /* pages held: allocate below it, free at or above it */
	uint32_t n_mix;
	uint64_t mix_total; /* sum of the weights */
	struct sim_churn_class mix[SIM_CHURN_MIX_MAX];
	/* cma_alloc, offline (count, interval, hold): */
	uint32_t count;	      /* cma_alloc() / offline_pages() calls */
	uint32_t pages;	      /* pages per call */
	uint32_t align_order; /* the chunk's alignment, as dma_alloc_from_contiguous() asks */
	uint32_t interval;    /* idle steps of this CPU between the starts of two calls */
	uint32_t hold; /* idle steps before cma_release() / online_pages(), or SIM_HOLD_FOREVER */
	unsigned long cma_start, cma_end; /* the CMA area: the zone's first cma range */
	/* page_reporting (count, interval, hold as above: passes, sleep, report time): */
	uint32_t capacity;     /* PAGE_REPORTING_CAPACITY: chunks per report; 0: no reporting */
	uint32_t report_order; /* PAGE_REPORTING_MIN_ORDER (pageblock_order until v5.14) */
	/* offline: the memory block; alloc_contig: the MOVABLE range its chunks come from */
	unsigned long start, end;
	struct sim_mark mark;
};

struct sim_script {
	char *name; /* optional label of the CPU ("isolator") */
	struct sim_op *ops;
	uint32_t n_ops;
	struct sim_workload workload; /* run after the script's ops, if any */
};

/* A run of pageblocks with a migratetype (cma ranges, blocks overrides). */
struct sim_block_range {
	unsigned long start_pfn, end_pfn;
	int migratetype;
	struct sim_mark mark;
};

/* An initial free chunk or allocated chunk of the layout. */
struct sim_chunk {
	unsigned long pfn;
	unsigned int order;
	int migratetype; /* free: list; allocated: allocation type; -1: the block's type */
	int handle;	 /* allocated: named allocation, or -1 */
	struct sim_mark mark;
};

struct sim_expect {
	char *variant;
	uint32_t findings; /* SIM_F bits that must break; 0: clean */
	struct sim_mark mark;
};

enum sim_strategy_kind {
	SIM_STRATEGY_RR,
	SIM_STRATEGY_RANDOM,
	SIM_STRATEGY_REPLAY,
	SIM_STRATEGY_TIMED,
	SIM_STRATEGY_PCT,
	SIM_STRATEGY_COUNT
};

#define SIM_PCT_DEPTH_MAX 16 /* PCT's d: a bug needing more ordering constraints is not sought */

struct sim_scenario {
	char *path;
	char *name;
	char *description;
	GPtrArray *references; /* char * */

	/* zone: */
	unsigned long start_pfn;
	unsigned long pages;
	unsigned int max_order;
	unsigned int pageblock_order;
	unsigned int cpus;
	int pcp_high, pcp_batch;
	unsigned int debug_guardpage_minorder;
	int default_migratetype;
	GArray *block_types; /* struct sim_block_range, in file order (later wins) */
	GArray *free;	     /* struct sim_chunk */
	GArray *allocated;   /* struct sim_chunk */

	/* named allocations: index = handle */
	GPtrArray *handle_names; /* char * */

	struct sim_script *scripts; /* [cpus] */

	/* schedule: */
	enum sim_strategy_kind strategy;
	unsigned long runs;
	uint64_t seed;
	char *replay;
	struct sim_mark replay_mark;
	unsigned long max_steps;
	double jitter;
	unsigned long pct_depth; /* strategy pct: the bug depth d */
	uint64_t costs[SIM_COST_CLASSES];

	uint32_t check;	 /* SIM_F bits of the invariants to check */
	GArray *expects; /* struct sim_expect */
};

typedef struct sim_scenario SimScenario;

SimScenario *sim_scenario_load(const char *path, GError **error);
SimScenario *sim_scenario_load_data(const char *path, const char *data, gsize len, GError **error);
void sim_scenario_free(SimScenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimScenario, sim_scenario_free)

/* The expectation for a variant: its findings mask, or 0 (clean) if the scenario has none. */
uint32_t sim_scenario_expect(const SimScenario *sc, const char *variant, bool *found);
/*
 * An expectation names the findings reachable over all interleavings (what
 * `mmsim explore --all` establishes). Sampled runs meet it when they break
 * nothing outside it (some races are too rare for sampling to show them:
 * the reports name what was not seen).
 */
bool sim_scenario_expect_sampled(uint32_t expect, uint32_t broken);
int sim_scenario_handle(const SimScenario *sc, const char *name);

const char *sim_strategy_name(enum sim_strategy_kind kind);
int sim_strategy_from_name(const char *name);

#endif /* SIM_SCENARIO_SCENARIO_H */
