// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim: the command line. `mmsim COMMAND [OPTION...]`, one GOptionContext
 * per command. Exit status: 0 when every variant run did what the scenario
 * expects, 1 when one did not, 2 on bad input or usage.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/interrupt.h"
#include "util/outfile.h"

static const struct sim_command sim_commands[] = {
	{ "run", "run a scenario on design variants", sim_cmd_run },
	{ "explore", "explore every interleaving; minimal counterexamples", sim_cmd_explore },
	{ "matrix", "the race x variant table: every scenario explored on every variant",
	  sim_cmd_matrix },
	{ "compare", "compare variants over many runs: tables, report and plots", sim_cmd_compare },
	{ "plot", "render a comparison's plots again from its CSV files", sim_cmd_plot },
	{ "merge", "merge the shards of a comparison", sim_cmd_merge },
	{ "validate", "check scenario files without running them", sim_cmd_validate },
	{ "variants", "list the design variants", sim_cmd_variants },
	{ NULL, NULL, NULL },
};

static void sim_usage(FILE *out)
{
	fprintf(out, "Usage: mmsim COMMAND [OPTION...]\n\n"
		     "Deterministic simulation of multi-CPU races in the Linux page allocator.\n\n"
		     "Commands:\n");
	for (const struct sim_command *c = sim_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nRun 'mmsim COMMAND --help' for a command's options.\n");
}

int sim_cli_fail(GError *error)
{
	fflush(stdout);
	fprintf(stderr, "mmsim: %s\n", error->message);
	return 2;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "C");
	sim_outfile_init();
	sim_interrupt_install();
	if (argc < 2) {
		sim_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		sim_usage(stdout);
		return 0;
	}
	for (const struct sim_command *c = sim_commands; c->name; c++) {
		if (!strcmp(argv[1], c->name)) {
			g_autofree char *name = g_strdup_printf("mmsim %s", c->name);

			int status;

			argv[1] = name; /* "Usage: mmsim run ..." */
			status = c->main(argc - 1, argv + 1);
			/* interrupted: the command said where it stopped and kept no partial file */
			return sim_interrupted() ? 128 + sim_interrupt_signal() : status;
		}
	}
	fprintf(stderr, "mmsim: unknown command '%s'\n\n", argv[1]);
	sim_usage(stderr);
	return 2;
}
