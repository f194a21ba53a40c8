// SPDX-License-Identifier: GPL-2.0
/* mmsim validate FILE...: load each scenario and report what is wrong with it. */
#include <stdio.h>

#include "cli/cli.h"
#include "scenario/scenario.h"

int sim_cmd_validate(int argc, char **argv)
{
	g_auto(GStrv) files = NULL;
	GOptionEntry entries[] = {
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO... - check scenario files");
	g_autoptr(GError) error = NULL;
	int status = 0;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, "Exit status: 0 if every file is valid, 2 if not.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return sim_cli_fail(error);
	if (!files || !files[0]) {
		fprintf(stderr, "mmsim: validate takes one or more scenario files\n");
		return 2;
	}
	for (int i = 0; files[i]; i++) {
		g_autoptr(GError) err = NULL;
		g_autoptr(SimScenario) sc = sim_scenario_load(files[i], &err);

		if (!sc) {
			status = sim_cli_fail(err);
			continue;
		}
		printf("%s: ok (%s: %u CPUs, %lu pages, %u expectations)\n", files[i], sc->name,
		       sc->cpus, sc->pages, sc->expects->len);
	}
	return status;
}
