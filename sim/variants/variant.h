/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A design variant: one kernel version or proposed patch set, as the
 * functions it changes over the variant it starts from.
 *
 * A variant is one file under variants/ that reads like its patch set: the
 * functions the patches touch, written as the patched kernel has them, and a
 * struct sim_variant naming its base and its overrides. It is registered by
 * one line in variants/registry.c; the CLI, the tests and the matrix iterate
 * the registry, so nothing else changes (docs/variants.md).
 *
 * Module prefix: sim_variant_.
 */
#ifndef SIM_VARIANTS_VARIANT_H
#define SIM_VARIANTS_VARIANT_H

#include "mm/ops.h"

struct sim_variant {
	const char *name;		/* "v3.18": what --variant takes */
	const char *era;		/* E0..E4, or "proposal" (kernel-model.md) */
	const char *kernel;		/* the release or mail series it follows */
	const char *summary;		/* one line for `mmsim variants` */
	const struct sim_variant *base; /* inherited functions; NULL: the v3.16 baseline */
	struct sim_mm_ops ops;		/* overrides; NULL members are inherited */
	/*
	 * Whether the buddy allocator counts pages on MIGRATE_ISOLATE lists in
	 * NR_FREE_PAGES (before v3.7, and Vlastimil Babka's 2014 proposal) or
	 * not (Joonsoo Kim's definition, v3.7 onwards). It decides how a
	 * scenario's initial free chunks are counted. The truth the
	 * freepage-count invariant compares with is the usable free pages
	 * (non-ISOLATE lists) either way: a design that counts ISOLATE lists
	 * keeps the counter right by other means (vbabka-2014: the isolation
	 * users' debits), see docs/variants/vbabka-2014.md.
	 */
	bool isolate_counted;
};

typedef struct sim_variant SimVariant;

/* The registry (variants/registry.c), in chronological order; NULL-terminated. */
extern const struct sim_variant *const sim_variants[];

const struct sim_variant *sim_variant_lookup(const char *name);
/* The variant's complete operations: its overrides over its base's, down to v3.16. */
void sim_variant_resolve(const struct sim_variant *v, struct sim_mm_ops *ops);

#endif /* SIM_VARIANTS_VARIANT_H */
