// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim merge --out DIR SHARD_DIR...: join the shard directories of one
 * comparison (mmsim compare --shard I/N) into the files a single run of it
 * would have written.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "compare/compare.h"

int sim_cmd_merge(int argc, char **argv)
{
	g_auto(GStrv) dirs = NULL;
	g_autofree char *out = NULL;
	gboolean quiet = FALSE;
	GOptionEntry entries[] = {
		{ "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Directory for the merged results", "DIR" },
		{ "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No table", NULL },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) ctx =
		g_option_context_new("SHARD_DIR... - merge the shards of a comparison");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) list = g_ptr_array_new();
	g_autoptr(SimComparison) cmp = NULL;
	g_autoptr(GError) plot_error = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return sim_cli_fail(error);
	if (!out || !dirs || !dirs[0]) {
		fprintf(stderr, "mmsim: merge takes --out DIR and the shard directories\n");
		return 2;
	}
	for (int i = 0; dirs[i]; i++)
		g_ptr_array_add(list, dirs[i]);
	if (!(cmp = sim_compare_merge(list, &error)) || !sim_compare_write(cmp, out, g_get_num_processors(), &error))
		return sim_cli_fail(error);
	if (!quiet)
		sim_compare_print(stdout, cmp);
	if (!sim_compare_plot(out, quiet, &plot_error))
		fprintf(stderr, "mmsim: %s\n", plot_error->message);
	return 0;
}
