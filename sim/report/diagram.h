/* SPDX-License-Identifier: GPL-2.0 */
/* The two-column counterexample diagram (sim/report/diagram.c). */
#ifndef SIM_REPORT_DIAGRAM_H
#define SIM_REPORT_DIAGRAM_H

#include "engine/run.h"
#include "scenario/scenario.h"

struct sim_diagram;

struct sim_diagram_info {
	const char *title;
	int finding;
	uint64_t step;        /* the breaking step */
	uint64_t no_return;   /* a rule after this step (0: none) */
	const char *message;
	const char *replay;   /* the command line that replays it, or NULL */
};

struct sim_diagram *sim_diagram_new(const SimScenario *sc);
void sim_diagram_free(struct sim_diagram *d);
/* An observer (engine/run.h) collecting the steps of a replay. */
void sim_diagram_observe(void *data, const struct sim_step_view *v);
char *sim_diagram_render(struct sim_diagram *d, const struct sim_diagram_info *info);

#endif /* SIM_REPORT_DIAGRAM_H */
