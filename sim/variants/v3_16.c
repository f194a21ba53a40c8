// SPDX-License-Identifier: GPL-2.0
/*
 * v3.16: the page allocator and pageblock isolation as of linux v3.16 /
 * linux-next-20140703, the tree Joonsoo Kim based "[PATCH 00/10] fix
 * freepage count problems due to memory isolation" on (2014-07-04).
 *
 * It is the baseline itself (mm/page_alloc.c, mm/page_isolation.c) and
 * overrides nothing. Era E0 of kernel-model.md: stale-type free paths,
 * accounting keyed on different values in different places, unrestricted
 * merging, synchronous skip-empty IPI drain.
 */
#include "variants/variant.h"

const struct sim_variant sim_variant_v3_16 = {
	.name = "v3.16",
	.era = "E0",
	.kernel = "v3.16 (linux-next-20140703)",
	.summary = "before Joonsoo Kim's fixes: lock-free stale migratetype, unchecked merging",
};
