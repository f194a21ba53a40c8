/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cost table of the `timed` strategy: simulated nanoseconds charged per
 * event kind. A step costs SIM_COST_STEP plus what its actions charge.
 * Defaults are order-of-magnitude figures for a 2014-era x86 server, not
 * measurements (docs/scheduler.md); a scenario overrides any of them under
 * schedule: costs:.
 */
#ifndef SIM_ENGINE_COST_H
#define SIM_ENGINE_COST_H

#include <stdint.h>

enum sim_cost_class {
	SIM_COST_STEP,		/* any step: the local work around its action */
	SIM_COST_READ,		/* a lock-free read of shared state */
	SIM_COST_LOCK,		/* taking zone->lock, uncontended */
	SIM_COST_LOCK_HANDOVER, /* extra when another CPU released the lock last */
	SIM_COST_BUDDY,		/* one buddy list operation: a merge level, a split, a move */
	SIM_COST_PCP,		/* one pcplist operation */
	SIM_COST_IPI_SEND,	/* sending IPIs (smp_call_function_many) */
	SIM_COST_IPI_LATENCY,	/* from sending an IPI to the target being able to take it */
	SIM_COST_IRQ_ENTRY,	/* interrupt entry and exit on the target */
	SIM_COST_ENTRY,		/* a script call's own overhead (gfp checks, prep_new_page ...) */
	SIM_COST_CLASSES
};

extern const char *const sim_cost_names[SIM_COST_CLASSES];
extern const uint64_t sim_cost_defaults[SIM_COST_CLASSES];

int sim_cost_from_name(const char *name); /* -1 if unknown */

/* sim_charge(w, cls): add a cost to the current step (engine/world.h). */

#endif /* SIM_ENGINE_COST_H */
