/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A comparison: one scenario run on several variants, N seeded runs each
 * (run i uses seed `seed + i` on every variant, so variants are compared on
 * the same seeds and any run can be repeated with `mmsim run --seed`).
 *
 * Everything a comparison writes is computed from three tables, kept sorted
 * by (variant, run): one row per run, the drift samples of every run, and the
 * first violation of each finding per variant. `mmsim compare` fills them by
 * running; `mmsim merge` fills them by reading shard directories; both then
 * write the same files through the same code (sim/compare/output.c), which
 * is why a merge of shards equals the unsharded comparison byte for byte.
 *
 * Module prefix: sim_compare_.
 */
#ifndef SIM_COMPARE_COMPARE_H
#define SIM_COMPARE_COMPARE_H

#include <stdio.h>

#include "engine/batch.h"

struct sim_run_row {
	uint32_t variant; /* index in the comparison's variants */
	uint64_t run, seed;
	uint64_t steps, time;
	uint32_t broken; /* SIM_F bits */
	int first;	 /* the finding that broke first, or -1 */
	uint64_t first_step;
	long max_abs_drift, final_drift;
	uint32_t calls[SIM_ENTRIES_MAX], ok[SIM_ENTRIES_MAX], retries[SIM_ENTRIES_MAX];
};

struct sim_drift_row {
	uint32_t variant;
	uint64_t run;
	uint64_t time;
	long drift;
};

struct sim_violation_row {
	uint32_t variant;
	int finding;
	uint64_t run, seed;
	struct sim_violation v;
	char *schedule;
};

/* Memory a comparison may keep for its rows and drift samples (one process). */
#define SIM_COMPARE_MEMORY_LIMIT (8ull << 30)

struct sim_comparison {
	char *scenario_name;
	char *scenario_path;
	char *scenario_sha256; /* of the file's bytes: shards must agree */
	enum sim_strategy_kind strategy;
	unsigned int pct_depth; /* strategy pct: d (k is estimated per variant) */
	uint64_t runs;		/* per variant, over all shards */
	uint64_t seed;
	uint64_t max_steps;
	unsigned int drift_points;
	GPtrArray *variants;	    /* char *: names, in the order given */
	unsigned int shard, shards; /* 1-based slice; 0 and 0 for the whole comparison */
	GArray *rows;		    /* struct sim_run_row */
	GArray *drift;		    /* struct sim_drift_row */
	GArray *violations; /* struct sim_violation_row: per (variant, finding) the lowest run */
};

typedef struct sim_comparison SimComparison;

SimComparison *sim_compare_new(void);
void sim_compare_free(SimComparison *cmp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimComparison, sim_compare_free)

/* The runs [first, end) of one variant index this comparison (or shard) holds. */
void sim_compare_slice(const SimComparison *cmp, uint64_t *first, uint64_t *end);

struct sim_compare_opts {
	unsigned int jobs;	/* worker threads */
	bool quiet;		/* no progress on stderr */
	const char *checkpoint; /* keep finished tasks here (DIR.partial), or NULL */
	bool resume;		/* ... and load those of an interrupted run first */
};

/* Checkpoints of a comparison (sim/compare/checkpoint.c). */
char *sim_checkpoint_dir(const char *out);
bool sim_checkpoint_start(const SimComparison *cmp, const char *dir, uint64_t per, bool resume,
			  GError **error);
bool sim_checkpoint_save(const char *dir, uint32_t variant, uint64_t first,
			 const struct sim_run_row *rows, uint64_t nrows, const GArray *drift,
			 const GArray *violations, GError **error);
/* 1: loaded, 0: the task had not finished, -1: the file is damaged. */
int sim_checkpoint_load(const char *dir, uint32_t variant, uint64_t first, struct sim_run_row *rows,
			uint64_t nrows, GArray *drift, GArray *violations);
void sim_checkpoint_remove(const char *dir);

/* Run the comparison's runs (its shard's slice) and fill its tables. */
bool sim_compare_run(SimComparison *cmp, const SimScenario *sc, const struct sim_compare_opts *o,
		     GError **error);

/* Per-variant figures, computed from the tables (sim/compare/summary.c). */
struct sim_variant_summary {
	const char *variant;
	uint64_t runs, violating_runs;
	uint64_t runs_by[SIM_N_FINDINGS];
	uint32_t broken;
	int64_t first_violating_run; /* -1: none */
	uint64_t first_violating_seed;
	long max_abs_drift;
	long final_min, final_p5, final_median, final_p95, final_max;
	double steps_mean;
	uint64_t steps_max;
	uint64_t calls[SIM_ENTRIES_MAX], ok[SIM_ENTRIES_MAX], retries[SIM_ENTRIES_MAX];
};

/* Summaries of every variant, in the comparison's order; g_free the array. */
struct sim_variant_summary *sim_compare_summarize(const SimComparison *cmp);
/* Which entry points get a success-rate column: those with success_rate, in table order. */
bool sim_compare_entry_rated(int entry);
/* Which of those also get a retries column: those with retries. */
bool sim_compare_entry_retried(int entry);

/* Read a comparison's directory; merge the directories of all shards of one (load.c). */
SimComparison *sim_compare_load(const char *dir, GError **error);
SimComparison *sim_compare_merge(GPtrArray *dirs, GError **error);

/* Write every output file into dir, formatting on `jobs` threads (sim/compare/output.c). */
bool sim_compare_write(const SimComparison *cmp, const char *dir, unsigned int jobs,
		       GError **error);
/* Print the summary table to out (markdown). */
void sim_compare_print(FILE *out, const SimComparison *cmp);

/* Render the plots of dir from its CSV files (sim/compare/plot.c). */
bool sim_compare_plot(const char *dir, bool quiet, GError **error);

#endif /* SIM_COMPARE_COMPARE_H */
