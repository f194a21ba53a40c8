/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIGINT and SIGTERM end a command cleanly: the handler only sets a flag;
 * the long loops (runs of a batch, runs of a comparison, executions of an
 * exploration, cells of the matrix) check it between units of work and stop
 * with SIM_ERROR_INTERRUPTED, saying how far they got. Output files are then
 * abandoned (util/outfile.h): the previous file, or none, is left.
 *
 * Module prefix: sim_interrupt_.
 */
#ifndef SIM_UTIL_INTERRUPT_H
#define SIM_UTIL_INTERRUPT_H

#include <stdbool.h>

/* Install the handlers (main(), before any thread). */
void sim_interrupt_install(void);
/* A signal arrived: stop at the next safe point. */
bool sim_interrupted(void);
/* The signal that arrived, or 0 (the exit status is 128 + it). */
int sim_interrupt_signal(void);

#endif /* SIM_UTIL_INTERRUPT_H */
