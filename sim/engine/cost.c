// SPDX-License-Identifier: GPL-2.0
/* The cost classes of the timed strategy, their names in scenario files and defaults. */
#include <string.h>

#include "engine/cost.h"

const char *const sim_cost_names[SIM_COST_CLASSES] = {
	[SIM_COST_STEP] = "step",	    [SIM_COST_READ] = "read",
	[SIM_COST_LOCK] = "lock",	    [SIM_COST_LOCK_HANDOVER] = "lock_handover",
	[SIM_COST_BUDDY] = "buddy",	    [SIM_COST_PCP] = "pcp",
	[SIM_COST_IPI_SEND] = "ipi_send",   [SIM_COST_IPI_LATENCY] = "ipi_latency",
	[SIM_COST_IRQ_ENTRY] = "irq_entry", [SIM_COST_ENTRY] = "entry",
};

/*
 * Order-of-magnitude defaults (ns): an uncontended spinlock and a cache
 * line moving between cores cost tens of ns; an IPI takes on the order of a
 * microsecond to reach its target. Not measurements; override per scenario.
 */
const uint64_t sim_cost_defaults[SIM_COST_CLASSES] = {
	[SIM_COST_STEP] = 10,	       [SIM_COST_READ] = 5,	      [SIM_COST_LOCK] = 20,
	[SIM_COST_LOCK_HANDOVER] = 60, [SIM_COST_BUDDY] = 15,	      [SIM_COST_PCP] = 5,
	[SIM_COST_IPI_SEND] = 300,     [SIM_COST_IPI_LATENCY] = 1500, [SIM_COST_IRQ_ENTRY] = 200,
	[SIM_COST_ENTRY] = 50,
};

int sim_cost_from_name(const char *name)
{
	for (int i = 0; i < SIM_COST_CLASSES; i++) {
		if (!strcmp(sim_cost_names[i], name))
			return i;
	}
	return -1;
}
