/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host failures: bad input, I/O, limits, usage. They are GErrors in the
 * SIM_ERROR domain whose message starts with file:line:column when there is
 * one, and make the CLI exit with status 2. (Simulated kernel results keep
 * kernel conventions; broken invariants are findings, not errors.)
 */
#ifndef SIM_UTIL_ERROR_H
#define SIM_UTIL_ERROR_H

#include <glib.h>

#define SIM_ERROR (sim_error_quark())
GQuark sim_error_quark(void);

enum sim_error_code {
	SIM_ERROR_PARSE,  /* a scenario or schedule that does not say what is expected */
	SIM_ERROR_LIMIT,  /* more than the model or the machine allows */
	SIM_ERROR_IO,	  /* reading or writing a file */
	SIM_ERROR_USAGE,  /* bad command-line use */
	SIM_ERROR_REPLAY, /* a schedule that the scenario cannot follow */
	SIM_ERROR_INTERRUPTED, /* SIGINT or SIGTERM (util/interrupt.h) */
};

#endif /* SIM_UTIL_ERROR_H */
