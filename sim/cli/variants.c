// SPDX-License-Identifier: GPL-2.0
/* mmsim variants: the design variants of the registry. */
#include <stdio.h>

#include "cli/cli.h"
#include "variants/variant.h"

int sim_cmd_variants(int argc, char **argv)
{
	GOptionEntry entries[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	g_autoptr(GOptionContext) ctx = g_option_context_new("- list the design variants");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, "Columns: name, era (docs/variants.md), kernel "
					      "version or series, summary.\n");
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return sim_cli_fail(error);
	if (argc > 1) {
		fprintf(stderr, "mmsim: variants takes no arguments\n");
		return 2;
	}
	for (int i = 0; sim_variants[i]; i++) {
		const SimVariant *v = sim_variants[i];

		printf("%-10s %-4s %s\n%16s%s\n", v->name, v->era, v->kernel, "", v->summary);
	}
	return 0;
}
