/* SPDX-License-Identifier: GPL-2.0 */
/* The CLI's commands (one file each) and what they share. */
#ifndef SIM_CLI_CLI_H
#define SIM_CLI_CLI_H

#include <glib.h>
#include <stdbool.h>

#include "scenario/scenario.h"
#include "variants/variant.h"

struct sim_command {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
};

int sim_cmd_run(int argc, char **argv);
int sim_cmd_validate(int argc, char **argv);
int sim_cmd_variants(int argc, char **argv);
int sim_cmd_explore(int argc, char **argv);
int sim_cmd_matrix(int argc, char **argv);
int sim_cmd_compare(int argc, char **argv);
int sim_cmd_plot(int argc, char **argv);
int sim_cmd_merge(int argc, char **argv);

/* Print "mmsim: <message>" and return exit status 2. */
int sim_cli_fail(GError *error);

/* Parse a non-negative integer option value; usage error naming the option otherwise. */
bool sim_cli_parse_u64(const char *option, const char *value, guint64 max, guint64 *out,
		       GError **error);

/* The variants a --variant(s) option names: a list, or all; NULL with error otherwise. */
GPtrArray *sim_cli_variants(const char *arg, GError **error);
/* A --strategy value other than replay. */
bool sim_cli_strategy(const char *arg, enum sim_strategy_kind *out, GError **error);
/* --pct-depth D (1 to SIM_PCT_DEPTH_MAX), or the scenario's when arg is NULL. */
bool sim_cli_pct_depth(const char *arg, const SimScenario *sc, enum sim_strategy_kind strategy,
		       unsigned int *out, GError **error);

#endif /* SIM_CLI_CLI_H */
