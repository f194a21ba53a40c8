// SPDX-License-Identifier: GPL-2.0
/* Names of the migratetypes, as scenario files and reports spell them. */
#include <string.h>

#include "mm/mmzone.h"

static const char *const migratetype_names[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "UNMOVABLE",
	[MIGRATE_RECLAIMABLE] = "RECLAIMABLE",
	[MIGRATE_MOVABLE] = "MOVABLE",
	[MIGRATE_RESERVE] = "RESERVE",
	[MIGRATE_CMA] = "CMA",
	[MIGRATE_ISOLATE] = "ISOLATE",
};

const char *migratetype_name(int migratetype)
{
	if (migratetype < 0 || migratetype >= MIGRATE_TYPES)
		return "?";
	return migratetype_names[migratetype];
}

/* "MOVABLE" or "MIGRATE_MOVABLE"; -1 if unknown. */
int migratetype_from_name(const char *name)
{
	if (!strncmp(name, "MIGRATE_", 8))
		name += 8;
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		if (!strcmp(migratetype_names[mt], name))
			return mt;
	}
	return -1;
}
