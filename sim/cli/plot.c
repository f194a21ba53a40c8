// SPDX-License-Identifier: GPL-2.0
/* mmsim plot DIR: render a comparison's plots again from its CSV files. */
#include <stdio.h>

#include "cli/cli.h"
#include "compare/compare.h"

int sim_cmd_plot(int argc, char **argv)
{
	g_auto(GStrv) dirs = NULL;
	GOptionEntry entries[] = {
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx = g_option_context_new("DIR - render a comparison's plots");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return sim_cli_fail(error);
	if (!dirs || !dirs[0] || dirs[1]) {
		fprintf(stderr, "mmsim: plot takes one comparison directory\n");
		return 2;
	}
	if (!sim_compare_plot(dirs[0], false, &error))
		return sim_cli_fail(error);
	return 0;
}
