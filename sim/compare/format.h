/* SPDX-License-Identifier: GPL-2.0 */
/* The columns of a comparison's tables, shared by writing (output.c) and reading (load.c). */
#ifndef SIM_COMPARE_FORMAT_H
#define SIM_COMPARE_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

char *sim_runs_header(void);
extern const char sim_drift_header[];
extern const char sim_violations_header[];
/* "clean" or names joined by '|' */
char *sim_findings_field(uint32_t mask);
bool sim_findings_parse(const char *field, uint32_t *mask);

#endif /* SIM_COMPARE_FORMAT_H */
