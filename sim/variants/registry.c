// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of design variants: one line per variant, in the order of
 * the record. Add a variant by writing its file and adding its line here.
 */
#include <string.h>

#include "variants/variant.h"

extern const struct sim_variant sim_variant_v3_16;
extern const struct sim_variant sim_variant_joonsoo_v1;
extern const struct sim_variant sim_variant_vbabka_2014;
extern const struct sim_variant sim_variant_isolating_2014;
extern const struct sim_variant sim_variant_v3_18;
extern const struct sim_variant sim_variant_v4_6;
extern const struct sim_variant sim_variant_v5_11;
extern const struct sim_variant sim_variant_v6_10;

/* The record's order: proposals by date among the releases they preceded. */
const struct sim_variant *const sim_variants[] = {
	&sim_variant_v3_16,
	&sim_variant_joonsoo_v1,
	&sim_variant_vbabka_2014,
	&sim_variant_isolating_2014,
	&sim_variant_v3_18,
	&sim_variant_v4_6,
	&sim_variant_v5_11,
	&sim_variant_v6_10,
	NULL,
};

const struct sim_variant *sim_variant_lookup(const char *name)
{
	for (int i = 0; sim_variants[i]; i++) {
		if (!strcmp(sim_variants[i]->name, name))
			return sim_variants[i];
	}
	return NULL;
}

void sim_variant_resolve(const struct sim_variant *v, struct sim_mm_ops *ops)
{
	if (v->base)
		sim_variant_resolve(v->base, ops);
	else
		*ops = sim_mm_v3_16_ops;
#define SIM_X_STEP(name) \
	if (v->ops.name) \
		ops->name = v->ops.name;
#define SIM_X_PLAIN(ret, name, params) SIM_X_STEP(name)
	SIM_MM_STEP_OPS(SIM_X_STEP)
	SIM_MM_PLAIN_OPS(SIM_X_PLAIN)
#undef SIM_X_STEP
#undef SIM_X_PLAIN
}
