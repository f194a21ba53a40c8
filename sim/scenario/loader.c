// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and validating a scenario file (docs/scenario-format.md).
 *
 * The YAML tree (scenario/yaml.c) is walked section by section; every value
 * is checked where it is read, and the first problem stops the load with a
 * GError "file:line:column: what was expected". The checks that need the
 * whole file (layout overlaps, named allocations across scripts) run after
 * the sections are read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check/invariants.h"
#include "engine/schedule.h"
#include "mm/entry.h"
#include "scenario/scenario.h"
#include "scenario/yaml.h"
#include "util/error.h"
#include "variants/variant.h"

#define SIM_RUNS_LIMIT	1000000000ul
#define SIM_STEPS_LIMIT 4000000000ul

struct sim_load {
	const char *path;
	GError **error;
	SimScenario *sc;
};

typedef const struct sim_ynode ynode;

static bool sim_fail(struct sim_load *L, ynode *n, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static bool sim_fail(struct sim_load *L, ynode *n, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(L->error, SIM_ERROR, SIM_ERROR_PARSE, "%s:%d:%d: %s", L->path, n ? n->line : 1,
		    n ? n->col : 1, msg);
	return false;
}

/* ---------------------------------------------------------------------- */
/* Reading values                                                          */
/* ---------------------------------------------------------------------- */

static ynode *sim_get(ynode *map, const char *key)
{
	for (guint i = 0; map && i < map->keys->len; i++) {
		ynode *k = g_ptr_array_index(map->keys, i);

		if (!strcmp(k->scalar, key))
			return g_ptr_array_index(map->values, i);
	}
	return NULL;
}

static bool sim_expect_kind(struct sim_load *L, ynode *n, enum sim_ynode_kind kind,
			    const char *what)
{
	static const char *const names[] = { "a scalar", "a mapping", "a sequence" };

	if (n->kind == kind)
		return true;
	return sim_fail(L, n, "%s: expected %s, found %s", what, names[kind],
			sim_ynode_kind_name(n));
}

/* Every key of `map` must be one of `allowed` (NULL-terminated). */
static bool sim_check_keys(struct sim_load *L, ynode *map, const char *what,
			   const char *const *allowed)
{
	for (guint i = 0; i < map->keys->len; i++) {
		ynode *k = g_ptr_array_index(map->keys, i);
		bool ok = false;

		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, k->scalar);
		if (!ok) {
			g_autofree char *list = g_strjoinv(", ", (char **)allowed);

			return sim_fail(L, k, "unknown key '%s' in %s (expected one of: %s)",
					k->scalar, what, list);
		}
	}
	return true;
}

static bool sim_get_ulong(struct sim_load *L, ynode *n, const char *what, unsigned long min,
			  unsigned long max, unsigned long *out)
{
	char *end = NULL;
	guint64 v;

	if (!sim_expect_kind(L, n, SIM_Y_SCALAR, what))
		return false;
	if (!n->plain || !g_ascii_isdigit(n->scalar[0]))
		return sim_fail(L, n, "%s: expected an integer from %lu to %lu, found '%s'", what,
				min, max, n->scalar);
	errno = 0;
	v = g_ascii_strtoull(n->scalar, &end, 0);
	if (errno || *end || v < min || v > max)
		return sim_fail(L, n, "%s: expected an integer from %lu to %lu, found '%s'", what,
				min, max, n->scalar);
	*out = (unsigned long)v;
	return true;
}

/* An optional integer: `def` when the key is absent. */
static bool sim_opt_ulong(struct sim_load *L, ynode *map, const char *key, const char *what,
			  unsigned long min, unsigned long max, unsigned long def,
			  unsigned long *out)
{
	ynode *n = sim_get(map, key);

	*out = def;
	return !n || sim_get_ulong(L, n, what, min, max, out);
}

static bool sim_get_string(struct sim_load *L, ynode *n, const char *what, char **out)
{
	if (!sim_expect_kind(L, n, SIM_Y_SCALAR, what))
		return false;
	g_free(*out);
	*out = g_strdup(n->scalar);
	return true;
}

static bool sim_get_bool(struct sim_load *L, ynode *n, const char *what, bool *out)
{
	if (!sim_expect_kind(L, n, SIM_Y_SCALAR, what))
		return false;
	if (n->plain && !strcmp(n->scalar, "true"))
		*out = true;
	else if (n->plain && !strcmp(n->scalar, "false"))
		*out = false;
	else
		return sim_fail(L, n, "%s: expected true or false, found '%s'", what, n->scalar);
	return true;
}

#define SIM_MT_ANY   0x7f
#define SIM_MT_GFP   ((1 << MIGRATE_UNMOVABLE) | (1 << MIGRATE_RECLAIMABLE) | (1 << MIGRATE_MOVABLE))
#define SIM_MT_BLOCK (SIM_MT_ANY)

static bool sim_get_mt(struct sim_load *L, ynode *n, const char *what, unsigned int allowed,
		       int *out)
{
	int mt;

	if (!sim_expect_kind(L, n, SIM_Y_SCALAR, what))
		return false;
	mt = migratetype_from_name(n->scalar);
	if (mt < 0 || !(allowed & (1u << mt))) {
		GString *list = g_string_new(NULL);

		for (int i = 0; i < MIGRATE_TYPES; i++) {
			if (allowed & (1u << i))
				g_string_append_printf(list, "%s%s", list->len ? ", " : "",
						       migratetype_name(i));
		}
		sim_fail(L, n, "%s: expected a migratetype (%s), found '%s'", what, list->str,
			 n->scalar);
		g_string_free(list, TRUE);
		return false;
	}
	*out = mt;
	return true;
}

static bool sim_opt_mt(struct sim_load *L, ynode *map, const char *key, const char *what,
		       unsigned int allowed, int def, int *out)
{
	ynode *n = sim_get(map, key);

	*out = def;
	return !n || sim_get_mt(L, n, what, allowed, out);
}

static bool sim_require(struct sim_load *L, ynode *map, const char *key, const char *what,
			ynode **out)
{
	*out = sim_get(map, key);
	if (!*out)
		return sim_fail(L, map, "%s: missing key '%s'", what, key);
	return true;
}

static struct sim_mark sim_mark_of(ynode *n)
{
	return (struct sim_mark){ n->line, n->col };
}

/* ---------------------------------------------------------------------- */
/* zone:                                                                   */
/* ---------------------------------------------------------------------- */

/* A pfn range of whole pageblocks inside the zone: {start: pfn, end: pfn}. */
static bool sim_get_range(struct sim_load *L, ynode *map, const char *what, unsigned long *start,
			  unsigned long *end)
{
	const SimScenario *sc = L->sc;
	unsigned long zend = sc->start_pfn + sc->pages, nr = 1ul << sc->pageblock_order;
	ynode *s, *e;

	if (!sim_require(L, map, "start", what, &s) || !sim_require(L, map, "end", what, &e) ||
	    !sim_get_ulong(L, s, "start", sc->start_pfn, zend - 1, start) ||
	    !sim_get_ulong(L, e, "end", sc->start_pfn + 1, zend, end))
		return false;
	if (*start & (nr - 1))
		return sim_fail(L, s,
				"start: expected a pfn aligned to pageblock_nr_pages (%lu), "
				"found %lu",
				nr, *start);
	if (*end & (nr - 1))
		return sim_fail(L, e,
				"end: expected a pfn aligned to pageblock_nr_pages (%lu), "
				"found %lu",
				nr, *end);
	if (*end <= *start)
		return sim_fail(L, e, "end: expected a pfn above start (%lu), found %lu", *start,
				*end);
	return true;
}

static bool sim_load_block_ranges(struct sim_load *L, ynode *seq, const char *what, int fixed_mt)
{
	static const char *const keys[] = { "start", "end", "migratetype", NULL };

	if (!sim_expect_kind(L, seq, SIM_Y_SEQ, what))
		return false;
	for (guint i = 0; i < seq->values->len; i++) {
		ynode *item = g_ptr_array_index(seq->values, i);
		struct sim_block_range r = { .migratetype = fixed_mt, .mark = sim_mark_of(item) };

		if (!sim_expect_kind(L, item, SIM_Y_MAP, what) ||
		    !sim_check_keys(L, item, what, keys) ||
		    !sim_get_range(L, item, what, &r.start_pfn, &r.end_pfn))
			return false;
		if (fixed_mt >= 0 && sim_get(item, "migratetype"))
			return sim_fail(L, sim_get(item, "migratetype"),
					"%s: a cma range is always CMA; remove 'migratetype'",
					what);
		if (fixed_mt < 0) {
			ynode *m;

			if (!sim_require(L, item, "migratetype", what, &m) ||
			    !sim_get_mt(L, m, "migratetype", SIM_MT_BLOCK, &r.migratetype))
				return false;
		}
		g_array_append_val(L->sc->block_types, r);
	}
	return true;
}

static bool sim_load_pcp(struct sim_load *L, ynode *pcp)
{
	static const char *const keys[] = { "high", "batch", NULL };
	SimScenario *sc = L->sc;
	unsigned long high, batch;

	if (!pcp)
		return true;
	if (!sim_expect_kind(L, pcp, SIM_Y_MAP, "zone.pcp") ||
	    !sim_check_keys(L, pcp, "zone.pcp", keys) ||
	    !sim_opt_ulong(L, pcp, "high", "pcp.high", 0, 1u << 20, 6, &high) ||
	    !sim_opt_ulong(L, pcp, "batch", "pcp.batch", 1, 1u << 20, 2, &batch))
		return false;
	/* free_hot_cold_page() flushes `batch` pages once count >= high. */
	if (batch > high && !(high == 0 && batch == 1))
		return sim_fail(L, pcp,
				"zone.pcp: expected batch <= high (or high 0 with batch 1, "
				"pcplists disabled), found high %lu, batch %lu",
				high, batch);
	sc->pcp_high = (int)high;
	sc->pcp_batch = (int)batch;
	return true;
}

static bool sim_load_zone_geometry(struct sim_load *L, ynode *zone)
{
	SimScenario *sc = L->sc;
	unsigned long v, pages;
	ynode *n;

	if (!sim_opt_ulong(L, zone, "max_order", "zone.max_order", 2, SIM_MAX_ORDER_LIMIT, 11, &v))
		return false;
	sc->max_order = (unsigned int)v;
	if (!sim_opt_ulong(L, zone, "pageblock_order", "zone.pageblock_order", 1, sc->max_order - 1,
			   sc->max_order >= 3 ? sc->max_order - 2 : 1, &v))
		return false;
	sc->pageblock_order = (unsigned int)v;
	if (!sim_opt_ulong(L, zone, "start_pfn", "zone.start_pfn", 0, 1ul << 40, 0, &v))
		return false;
	sc->start_pfn = v;
	if (!sim_require(L, zone, "pages", "zone", &n) ||
	    !sim_get_ulong(L, n, "zone.pages", 1, G_MAXUINT64, &pages))
		return false;
	if (pages > SIM_ZONE_PAGES_LIMIT)
		return sim_fail(L, n,
				"zone.pages: %lu pages is more than the model's limit of %lu "
				"(256 GiB of 4 KiB pages, SIM_ZONE_PAGES_LIMIT in sim/mm/mmzone.h)",
				pages, SIM_ZONE_PAGES_LIMIT);
	if (pages & ((1ul << sc->pageblock_order) - 1))
		return sim_fail(L, n,
				"zone.pages: expected a multiple of pageblock_nr_pages (%lu), "
				"found %lu",
				1ul << sc->pageblock_order, pages);
	if (sc->start_pfn & ((1ul << sc->pageblock_order) - 1))
		return sim_fail(L, sim_get(zone, "start_pfn"),
				"zone.start_pfn: expected a pfn "
				"aligned to pageblock_nr_pages (%lu), found %lu",
				1ul << sc->pageblock_order, sc->start_pfn);
	sc->pages = pages;
	return true;
}

static bool sim_load_zone(struct sim_load *L, ynode *zone)
{
	static const char *const keys[] = {
		"pages",       "start_pfn", "max_order", "pageblock_order",	     "cpus", "pcp",
		"migratetype", "cma",	    "blocks",	 "debug_guardpage_minorder", NULL
	};
	SimScenario *sc = L->sc;
	unsigned long v;

	if (!sim_expect_kind(L, zone, SIM_Y_MAP, "zone") ||
	    !sim_check_keys(L, zone, "zone", keys) || !sim_load_zone_geometry(L, zone))
		return false;
	if (sim_get(zone, "cpus") && sim_get(zone, "cpus")->kind == SIM_Y_SCALAR &&
	    sim_get(zone, "cpus")->plain) {
		guint64 c = g_ascii_strtoull(sim_get(zone, "cpus")->scalar, NULL, 10);

		if (c > SIM_NR_CPUS_LIMIT)
			return sim_fail(L, sim_get(zone, "cpus"),
					"zone.cpus: %llu CPUs is more than "
					"the model's limit of %d (SIM_NR_CPUS_LIMIT in "
					"sim/mm/mmzone.h)",
					(unsigned long long)c, SIM_NR_CPUS_LIMIT);
	}
	if (!sim_opt_ulong(L, zone, "cpus", "zone.cpus", 1, SIM_NR_CPUS_LIMIT, 2, &v))
		return false;
	sc->cpus = (unsigned int)v;
	if (!sim_opt_ulong(L, zone, "debug_guardpage_minorder", "zone.debug_guardpage_minorder", 0,
			   sc->max_order / 2, 0, &v))
		return false;
	sc->debug_guardpage_minorder = (unsigned int)v;
	if (!sim_opt_mt(L, zone, "migratetype", "zone.migratetype", SIM_MT_BLOCK, MIGRATE_MOVABLE,
			&sc->default_migratetype) ||
	    !sim_load_pcp(L, sim_get(zone, "pcp")))
		return false;
	if (sim_get(zone, "cma") &&
	    !sim_load_block_ranges(L, sim_get(zone, "cma"), "zone.cma", MIGRATE_CMA))
		return false;
	if (sim_get(zone, "blocks") &&
	    !sim_load_block_ranges(L, sim_get(zone, "blocks"), "zone.blocks", -1))
		return false;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Named allocations                                                       */
/* ---------------------------------------------------------------------- */

int sim_scenario_handle(const SimScenario *sc, const char *name)
{
	for (guint i = 0; i < sc->handle_names->len; i++) {
		if (!strcmp(g_ptr_array_index(sc->handle_names, i), name))
			return (int)i;
	}
	return -1;
}

static bool sim_name_ok(const char *s)
{
	if (!*s || !(g_ascii_isalpha(*s) || *s == '_'))
		return false;
	for (; *s; s++) {
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
			return false;
	}
	return true;
}

static int sim_handle_intern(struct sim_load *L, ynode *n)
{
	int h;

	if (!sim_expect_kind(L, n, SIM_Y_SCALAR, "allocation name"))
		return -1;
	if (!sim_name_ok(n->scalar)) {
		sim_fail(L, n,
			 "expected an allocation name (letters, digits, '_' or '-', starting "
			 "with a letter), found '%s'",
			 n->scalar);
		return -1;
	}
	h = sim_scenario_handle(L->sc, n->scalar);
	if (h < 0) {
		g_ptr_array_add(L->sc->handle_names, g_strdup(n->scalar));
		h = (int)L->sc->handle_names->len - 1;
	}
	return h;
}

/* ---------------------------------------------------------------------- */
/* layout:                                                                 */
/* ---------------------------------------------------------------------- */

static bool sim_load_chunk(struct sim_load *L, ynode *item, bool free, struct sim_chunk *c)
{
	static const char *const free_keys[] = { "pfn", "order", "migratetype", NULL };
	static const char *const alloc_keys[] = { "pfn", "order", "migratetype", "name", NULL };
	const SimScenario *sc = L->sc;
	const char *what = free ? "layout.free" : "layout.allocated";
	unsigned long pfn, order, zend = sc->start_pfn + sc->pages;
	ynode *n;

	*c = (struct sim_chunk){ .migratetype = -1, .handle = -1, .mark = sim_mark_of(item) };
	if (!sim_expect_kind(L, item, SIM_Y_MAP, what) ||
	    !sim_check_keys(L, item, what, free ? free_keys : alloc_keys) ||
	    !sim_require(L, item, "pfn", what, &n) ||
	    !sim_get_ulong(L, n, "pfn", sc->start_pfn, zend - 1, &pfn) ||
	    !sim_opt_ulong(L, item, "order", "order", 0, sc->max_order - 1, 0, &order))
		return false;
	if (pfn & ((1ul << order) - 1))
		return sim_fail(L, n, "pfn: expected a pfn aligned to 2^order (%lu), found %lu",
				1ul << order, pfn);
	if (pfn + (1ul << order) > zend)
		return sim_fail(L, n,
				"pfn: a chunk of order %lu at pfn %lu ends past the zone "
				"(pfn %lu)",
				order, pfn, zend);
	c->pfn = pfn;
	c->order = (unsigned int)order;
	if (!sim_opt_mt(L, item, "migratetype", "migratetype", free ? SIM_MT_ANY : SIM_MT_GFP, -1,
			&c->migratetype))
		return false;
	if (!free && (n = sim_get(item, "name"))) {
		if (sim_scenario_handle(sc, n->scalar ? n->scalar : "") >= 0)
			return sim_fail(L, n,
					"layout.allocated: the name '%s' is already given to "
					"another allocated chunk",
					n->scalar);
		if ((c->handle = sim_handle_intern(L, n)) < 0)
			return false;
	}
	return true;
}

/*
 * A free range {start, end, migratetype}: the largest aligned chunks that
 * tile it, as the boot-time allocator leaves memory (__free_pages_bootmem()
 * frees MAX_ORDER-aligned chunks; free_all_bootmem() ends with what the
 * buddy merges of the rest). O(chunks), so a 64 GiB zone loads in
 * milliseconds.
 */
static bool sim_load_free_range(struct sim_load *L, ynode *item, GArray *out)
{
	static const char *const keys[] = { "start", "end", "migratetype", NULL };
	unsigned long start, end;
	int mt;

	if (!sim_check_keys(L, item, "layout.free", keys) ||
	    !sim_get_range(L, item, "layout.free", &start, &end) ||
	    !sim_opt_mt(L, item, "migratetype", "migratetype", SIM_MT_ANY, -1, &mt))
		return false;
	while (start < end) {
		unsigned int order = L->sc->max_order - 1;
		struct sim_chunk c = {
			.pfn = start, .migratetype = mt, .handle = -1, .mark = sim_mark_of(item)
		};

		while ((start & ((1ul << order) - 1)) || start + (1ul << order) > end)
			order--;
		c.order = order;
		g_array_append_val(out, c);
		start += 1ul << order;
	}
	return true;
}

static bool sim_load_chunks(struct sim_load *L, ynode *seq, bool free, GArray *out)
{
	if (!seq)
		return true;
	if (!sim_expect_kind(L, seq, SIM_Y_SEQ, free ? "layout.free" : "layout.allocated"))
		return false;
	for (guint i = 0; i < seq->values->len; i++) {
		ynode *item = g_ptr_array_index(seq->values, i);
		struct sim_chunk c;

		if (free && item->kind == SIM_Y_MAP && sim_get(item, "start")) {
			if (!sim_load_free_range(L, item, out))
				return false;
			continue;
		}

		if (!sim_load_chunk(L, g_ptr_array_index(seq->values, i), free, &c))
			return false;
		g_array_append_val(out, c);
	}
	return true;
}

/* The migratetype of the block of pfn after the zone's defaults and ranges. */
static int sim_block_type(const SimScenario *sc, unsigned long pfn)
{
	int mt = sc->default_migratetype;

	for (guint i = 0; i < sc->block_types->len; i++) {
		const struct sim_block_range *r =
			&g_array_index(sc->block_types, struct sim_block_range, i);

		if (pfn >= r->start_pfn && pfn < r->end_pfn)
			mt = r->migratetype;
	}
	return mt;
}

static bool sim_fail_at(struct sim_load *L, struct sim_mark m, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static bool sim_fail_at(struct sim_load *L, struct sim_mark m, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(L->error, SIM_ERROR, SIM_ERROR_PARSE, "%s:%d:%d: %s", L->path, m.line, m.col,
		    msg);
	return false;
}

/* No two chunks of the layout overlap. */
static bool sim_check_overlaps(struct sim_load *L)
{
	const SimScenario *sc = L->sc;
	g_autofree const struct sim_chunk **owner = g_new0(const struct sim_chunk *, sc->pages);
	GArray *sets[2] = { sc->free, sc->allocated };

	for (int s = 0; s < 2; s++) {
		for (guint i = 0; i < sets[s]->len; i++) {
			const struct sim_chunk *c = &g_array_index(sets[s], struct sim_chunk, i);

			for (unsigned long p = 0; p < (1ul << c->order); p++) {
				const struct sim_chunk **o = &owner[c->pfn - sc->start_pfn + p];

				if (*o)
					return sim_fail_at(L, c->mark,
							   "pfn %lu of this chunk is also "
							   "in the chunk at line %d",
							   c->pfn + p, (*o)->mark.line);
				*o = c;
			}
		}
	}
	return true;
}

static int sim_chunk_cmp_pfn(gconstpointer a, gconstpointer b)
{
	const struct sim_chunk *x = *(const struct sim_chunk *const *)a;
	const struct sim_chunk *y = *(const struct sim_chunk *const *)b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* The free chunk that starts at pfn, by binary search of `by_pfn`, or NULL. */
static const struct sim_chunk *sim_chunk_at(GPtrArray *by_pfn, unsigned long pfn)
{
	guint lo = 0, hi = by_pfn->len;

	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		const struct sim_chunk *c = g_ptr_array_index(by_pfn, mid);

		if (c->pfn == pfn)
			return c;
		if (c->pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Two free buddies on the same list would have been merged by
 * __free_one_page. Chunks do not overlap (checked first), so at most one
 * starts at a buddy's pfn: O(n log n) in the chunks.
 */
static bool sim_check_unmerged(struct sim_load *L)
{
	const SimScenario *sc = L->sc;
	g_autoptr(GPtrArray) by_pfn = g_ptr_array_sized_new(sc->free->len);

	for (guint i = 0; i < sc->free->len; i++)
		g_ptr_array_add(by_pfn, &g_array_index(sc->free, struct sim_chunk, i));
	g_ptr_array_sort(by_pfn, sim_chunk_cmp_pfn);
	for (guint i = 0; i < sc->free->len; i++) {
		const struct sim_chunk *a = &g_array_index(sc->free, struct sim_chunk, i), *b;
		int amt, bmt;

		if (a->order >= sc->max_order - 1)
			continue;
		b = sim_chunk_at(by_pfn, a->pfn ^ (1ul << a->order));
		if (b && b->order == a->order && a->pfn < b->pfn) {
			amt = a->migratetype >= 0 ? a->migratetype : sim_block_type(sc, a->pfn);
			bmt = b->migratetype >= 0 ? b->migratetype : sim_block_type(sc, b->pfn);
			if (bmt == amt)
				return sim_fail_at(
					L, b->mark,
					"free chunks at pfn %lu and %lu are buddies of order "
					"%u on the same list and would have been merged: "
					"write one chunk of order %u at pfn %lu",
					a->pfn, b->pfn, a->order, a->order + 1, a->pfn);
		}
	}
	return true;
}

static bool sim_load_layout(struct sim_load *L, ynode *layout)
{
	static const char *const keys[] = { "free", "allocated", NULL };

	if (!layout)
		return true;
	if (!sim_expect_kind(L, layout, SIM_Y_MAP, "layout") ||
	    !sim_check_keys(L, layout, "layout", keys) ||
	    !sim_load_chunks(L, sim_get(layout, "free"), true, L->sc->free) ||
	    !sim_load_chunks(L, sim_get(layout, "allocated"), false, L->sc->allocated))
		return false;
	return sim_check_overlaps(L) && sim_check_unmerged(L);
}

/* ---------------------------------------------------------------------- */
/* cpus: scripts                                                           */
/* ---------------------------------------------------------------------- */

static const char *const sim_arg_keys[] = { "order", "migratetype", "as",   "page",
					    "start", "end",	    "cold", NULL };

static bool sim_load_call_args(struct sim_load *L, const struct sim_entry *e, ynode *args,
			       struct sim_op *op)
{
	const char *allowed[G_N_ELEMENTS(sim_arg_keys)] = { NULL };
	struct sim_frame *f = &op->args;
	unsigned long v;
	int k = 0, mt;
	ynode *n;

	/* the keys this entry takes: order, migratetype, as, page, start+end, cold */
	static const unsigned int bit[] = { SIM_ARG_ORDER, SIM_ARG_MT,	  SIM_ARG_AS,  SIM_ARG_PAGE,
					    SIM_ARG_RANGE, SIM_ARG_RANGE, SIM_ARG_COLD };
	for (int i = 0; sim_arg_keys[i]; i++) {
		if (e->args & bit[i])
			allowed[k++] = sim_arg_keys[i];
	}
	if (!allowed[0])
		allowed[0] = "(none)";
	/* args is NULL for a call written without arguments */
	if (args && (!sim_expect_kind(L, args, SIM_Y_MAP, e->name) ||
		     !sim_check_keys(L, args, e->name, allowed)))
		return false;
	if (!sim_opt_ulong(L, args, "order", "order", 0, L->sc->max_order - 1, 0, &v))
		return false;
	f->order = (int16_t)v;
	if (!sim_opt_mt(L, args, "migratetype", "migratetype",
			(e->args & SIM_ARG_AS) && !(e->args & SIM_ARG_RANGE) ?
				SIM_MT_GFP :
				SIM_MT_BLOCK & ~(1u << MIGRATE_ISOLATE),
			MIGRATE_MOVABLE, &mt))
		return false;
	f->mt = (int16_t)mt;
	if ((n = sim_get(args, "as")) && (f->arg = sim_handle_intern(L, n)) < 0)
		return false;
	if (e->required & SIM_ARG_PAGE) {
		if (!sim_require(L, args, "page", e->name, &n) ||
		    (f->arg = sim_handle_intern(L, n)) < 0)
			return false;
	}
	if (e->required & SIM_ARG_RANGE) {
		unsigned long start, end;

		if (!sim_get_range(L, args, e->name, &start, &end))
			return false;
		f->pfn = (uint32_t)start;
		f->end = (uint32_t)end;
	}
	if ((n = sim_get(args, "cold"))) {
		bool cold = false;

		if (!sim_get_bool(L, n, "cold", &cold))
			return false;
		f->flags = cold ? SIM_F_COLD : 0;
	}
	return true;
}

static bool sim_load_call(struct sim_load *L, ynode *key, ynode *args, struct sim_op *op)
{
	const struct sim_entry *e = sim_entry_lookup(key->scalar);

	*op = (struct sim_op){ .kind = SIM_OP_CALL, .entry = e, .mark = sim_mark_of(key) };
	op->args.arg = -1;
	if (e && e->workload_only)
		return sim_fail(L, key,
				"%s: a workload's call, not a script's (write cpus[].workload)",
				e->name);
	if (!e) {
		GString *list = g_string_new(NULL);

		for (const struct sim_entry *x = sim_entries; x->name; x++) {
			if (!x->workload_only)
				g_string_append_printf(list, "%s%s", list->len ? ", " : "",
						       x->name);
		}
		sim_fail(L, key, "unknown entry point '%s' (expected one of: repeat, %s)",
			 key->scalar, list->str);
		g_string_free(list, TRUE);
		return false;
	}
	if (!args || (args->kind == SIM_Y_SCALAR && args->plain && !*args->scalar)) {
		if (e->required)
			return sim_fail(L, key, "%s: expected arguments (a mapping), found none",
					e->name);
		return sim_load_call_args(L, e, NULL, op);
	}
	return sim_load_call_args(L, e, args, op);
}

static bool sim_load_ops(struct sim_load *L, ynode *seq, GArray *ops, int depth);

static bool sim_load_repeat(struct sim_load *L, ynode *key, ynode *args, GArray *ops, int depth)
{
	static const char *const keys[] = { "times", "do", NULL };
	struct sim_op rep = { .kind = SIM_OP_REPEAT, .mark = sim_mark_of(key) };
	struct sim_op end = { .kind = SIM_OP_END, .mark = sim_mark_of(key) };
	guint at = ops->len;
	unsigned long times;
	ynode *body;

	if (depth >= SIM_LOOP_DEPTH)
		return sim_fail(L, key, "repeat: nested more than %d deep", SIM_LOOP_DEPTH);
	if (!args || !sim_expect_kind(L, args, SIM_Y_MAP, "repeat") ||
	    !sim_check_keys(L, args, "repeat", keys) ||
	    !sim_require(L, args, "do", "repeat", &body) ||
	    !sim_opt_ulong(L, args, "times", "repeat.times", 0, 1000000000ul, 1, &times))
		return args ? false : sim_fail(L, key, "repeat: expected {times: N, do: [...]}");
	rep.count = (uint32_t)times;
	g_array_append_val(ops, rep);
	if (!sim_load_ops(L, body, ops, depth + 1))
		return false;
	end.other = at;
	g_array_append_val(ops, end);
	g_array_index(ops, struct sim_op, at).other = ops->len - 1;
	return true;
}

static bool sim_load_ops(struct sim_load *L, ynode *seq, GArray *ops, int depth)
{
	if (!sim_expect_kind(L, seq, SIM_Y_SEQ, "script"))
		return false;
	for (guint i = 0; i < seq->values->len; i++) {
		ynode *item = g_ptr_array_index(seq->values, i), *key = item, *args = NULL;
		struct sim_op op;

		if (item->kind == SIM_Y_MAP) {
			if (item->keys->len != 1)
				return sim_fail(L, item,
						"script: expected one call per item "
						"(`- name: {args}`), found %u keys",
						item->keys->len);
			key = g_ptr_array_index(item->keys, 0);
			args = g_ptr_array_index(item->values, 0);
		} else if (item->kind != SIM_Y_SCALAR) {
			return sim_fail(L, item, "script: expected a call, found %s",
					sim_ynode_kind_name(item));
		}
		if (!strcmp(key->scalar, "repeat")) {
			if (!sim_load_repeat(L, key, args, ops, depth))
				return false;
			continue;
		}
		if (!sim_load_call(L, key, args, &op))
			return false;
		g_array_append_val(ops, op);
	}
	return true;
}

/* The life of named allocations along one script (repeat bodies walked twice). */
struct sim_flow {
	uint8_t *state;		/* 0: not allocated, 1: allocated, 2: freed */
	struct sim_mark *where; /* last alloc or free */
	int *owner;		/* the CPU that uses it, -1 */
	struct sim_mark *owner_mark;
};

static bool sim_flow_op(struct sim_load *L, struct sim_flow *fl, int cpu, const struct sim_op *op)
{
	int h = op->args.arg;
	bool is_free;

	if (op->kind != SIM_OP_CALL || h < 0)
		return true;
	is_free = op->entry->required & SIM_ARG_PAGE;
	if (fl->owner[h] >= 0 && fl->owner[h] != cpu)
		return sim_fail_at(L, op->mark,
				   "allocation '%s' is also used by CPU %d (line %d); "
				   "a named allocation belongs to one CPU",
				   (char *)g_ptr_array_index(L->sc->handle_names, h), fl->owner[h],
				   fl->owner_mark[h].line);
	fl->owner[h] = cpu;
	fl->owner_mark[h] = op->mark;
	if (is_free && fl->state[h] != 1)
		return sim_fail_at(L, op->mark, "free_pages of '%s', which is not allocated here%s",
				   (char *)g_ptr_array_index(L->sc->handle_names, h),
				   fl->state[h] == 2 ? " (freed already: a double free)" :
						       " (never allocated before)");
	if (!is_free && fl->state[h] == 1)
		return sim_fail_at(L, op->mark,
				   "alloc_pages as '%s' while '%s' is still allocated "
				   "(line %d): free it first or use another name",
				   (char *)g_ptr_array_index(L->sc->handle_names, h),
				   (char *)g_ptr_array_index(L->sc->handle_names, h),
				   fl->where[h].line);
	fl->state[h] = is_free ? 2 : 1;
	fl->where[h] = op->mark;
	return true;
}

static bool sim_flow_ops(struct sim_load *L, struct sim_flow *fl, int cpu,
			 const struct sim_script *s, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		const struct sim_op *op = &s->ops[i];

		if (op->kind == SIM_OP_REPEAT) {
			for (uint32_t k = 0; k < MIN(op->count, 2u); k++) {
				if (!sim_flow_ops(L, fl, cpu, s, i + 1, op->other))
					return false;
			}
			i = op->other;
		} else if (!sim_flow_op(L, fl, cpu, op)) {
			return false;
		}
	}
	return true;
}

static bool sim_check_flow(struct sim_load *L)
{
	SimScenario *sc = L->sc;
	guint nh = sc->handle_names->len;
	g_autofree int *owner = g_new(int, nh + 1);
	g_autofree struct sim_mark *owner_mark = g_new0(struct sim_mark, nh + 1);
	g_autofree uint8_t *state = g_new0(uint8_t, nh + 1);
	g_autofree struct sim_mark *where = g_new0(struct sim_mark, nh + 1);
	struct sim_flow fl = { state, where, owner, owner_mark };

	for (guint h = 0; h < nh; h++)
		owner[h] = -1;
	for (unsigned int c = 0; c < sc->cpus; c++) {
		for (guint h = 0; h < nh; h++)
			state[h] = 0;
		for (guint i = 0; i < sc->allocated->len; i++) {
			const struct sim_chunk *ch =
				&g_array_index(sc->allocated, struct sim_chunk, i);

			if (ch->handle >= 0) {
				state[ch->handle] = 1;
				where[ch->handle] = ch->mark;
			}
		}
		if (!sim_flow_ops(L, &fl, (int)c, &sc->scripts[c], 0, sc->scripts[c].n_ops))
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* cpus: workloads                                                         */
/* ---------------------------------------------------------------------- */

#define SIM_WL_OPS_LIMIT    1000000000000ul /* churn operations of one CPU */
#define SIM_WL_WEIGHT_LIMIT 1000000ul
#define SIM_WL_STEPS_LIMIT  1000000000ul

static bool sim_load_churn_class(struct sim_load *L, ynode *item, struct sim_churn_class *k)
{
	static const char *const keys[] = { "order", "migratetype", "weight", NULL };
	unsigned long order, weight;
	int mt;

	if (!sim_expect_kind(L, item, SIM_Y_MAP, "churn.mix[]") ||
	    !sim_check_keys(L, item, "churn.mix[]", keys) ||
	    !sim_opt_ulong(L, item, "order", "order", 0, L->sc->max_order - 1, 0, &order) ||
	    !sim_opt_mt(L, item, "migratetype", "migratetype", SIM_MT_GFP, MIGRATE_MOVABLE, &mt) ||
	    !sim_opt_ulong(L, item, "weight", "weight", 0, SIM_WL_WEIGHT_LIMIT, 1, &weight))
		return false;
	*k = (struct sim_churn_class){ (uint8_t)order, (uint8_t)mt, (uint32_t)weight };
	return true;
}

/* mix: [{order, migratetype, weight}]; without it, order-0 MOVABLE pages. */
static bool sim_load_churn_mix(struct sim_load *L, ynode *mix, struct sim_workload *wl)
{
	if (!mix) {
		wl->mix[0] = (struct sim_churn_class){ 0, MIGRATE_MOVABLE, 1 };
		wl->n_mix = 1;
		wl->mix_total = 1;
		return true;
	}
	if (!sim_expect_kind(L, mix, SIM_Y_SEQ, "churn.mix"))
		return false;
	if (!mix->values->len || mix->values->len > SIM_CHURN_MIX_MAX)
		return sim_fail(L, mix, "churn.mix: expected 1 to %d classes, found %u",
				SIM_CHURN_MIX_MAX, mix->values->len);
	for (guint i = 0; i < mix->values->len; i++) {
		if (!sim_load_churn_class(L, g_ptr_array_index(mix->values, i), &wl->mix[i]))
			return false;
		wl->mix_total += wl->mix[i].weight;
	}
	wl->n_mix = mix->values->len;
	if (!wl->mix_total)
		return sim_fail(L, mix, "churn.mix: the weights sum to 0: no class can be drawn");
	return true;
}

static bool sim_load_churn(struct sim_load *L, ynode *args, struct sim_workload *wl)
{
	static const char *const keys[] = { "ops", "occupancy", "mix", NULL };
	unsigned long ops, occ;
	ynode *n;

	if (!sim_expect_kind(L, args, SIM_Y_MAP, "churn") ||
	    !sim_check_keys(L, args, "churn", keys) || !sim_require(L, args, "ops", "churn", &n) ||
	    !sim_get_ulong(L, n, "churn.ops", 1, SIM_WL_OPS_LIMIT, &ops) ||
	    !sim_require(L, args, "occupancy", "churn", &n) ||
	    !sim_get_ulong(L, n, "churn.occupancy", 1, L->sc->pages, &occ) ||
	    !sim_load_churn_mix(L, sim_get(args, "mix"), wl))
		return false;
	wl->kind = SIM_WORKLOAD_CHURN;
	wl->ops = ops;
	wl->occupancy = (uint32_t)occ;
	return true;
}

/* The zone's first cma range: the area cma_alloc() allocates from. */
static const struct sim_block_range *sim_cma_area(const SimScenario *sc)
{
	for (guint i = 0; i < sc->block_types->len; i++) {
		const struct sim_block_range *r =
			&g_array_index(sc->block_types, struct sim_block_range, i);

		if (r->migratetype == MIGRATE_CMA)
			return r;
	}
	return NULL;
}

/* get_order(pages): the smallest order whose chunk holds them. */
static unsigned int sim_get_order(unsigned long pages)
{
	unsigned int order = 0;

	while ((1ul << order) < pages)
		order++;
	return order;
}

#define SIM_CMA_ALIGNMENT 8 /* CONFIG_CMA_ALIGNMENT's default */

static bool sim_load_cma_alloc(struct sim_load *L, ynode *key, ynode *args, struct sim_workload *wl)
{
	static const char *const keys[] = { "count",	"pages", "align_order",
					    "interval", "hold",	 NULL };
	const struct sim_block_range *area = sim_cma_area(L->sc);
	unsigned long count, pages, align, interval, hold, size;
	ynode *n;

	if (!area)
		return sim_fail(L, key, "cma_alloc: the zone has no CMA area (zone.cma)");
	size = area->end_pfn - area->start_pfn;
	if (!sim_expect_kind(L, args, SIM_Y_MAP, "cma_alloc") ||
	    !sim_check_keys(L, args, "cma_alloc", keys) ||
	    !sim_require(L, args, "count", "cma_alloc", &n) ||
	    !sim_get_ulong(L, n, "cma_alloc.count", 1, 1000000, &count) ||
	    !sim_require(L, args, "pages", "cma_alloc", &n) ||
	    !sim_get_ulong(L, n, "cma_alloc.pages", 1, L->sc->pages, &pages))
		return false;
	if (pages > size)
		return sim_fail(L, n,
				"cma_alloc.pages: a chunk of %lu pages is larger than the CMA "
				"area (%lu pages at pfn %lu)",
				pages, size, area->start_pfn);
	if (!sim_opt_ulong(L, args, "align_order", "cma_alloc.align_order", 0, SIM_CMA_ALIGNMENT,
			   MIN(sim_get_order(pages), SIM_CMA_ALIGNMENT), &align) ||
	    !sim_opt_ulong(L, args, "interval", "cma_alloc.interval", 0, SIM_WL_STEPS_LIMIT, 0,
			   &interval) ||
	    !sim_opt_ulong(L, args, "hold", "cma_alloc.hold", 0, SIM_WL_STEPS_LIMIT,
			   SIM_HOLD_FOREVER, &hold))
		return false;
	*wl = (struct sim_workload){ .kind = SIM_WORKLOAD_CMA_ALLOC,
				     .count = (uint32_t)count,
				     .pages = (uint32_t)pages,
				     .align_order = (uint32_t)align,
				     .interval = (uint32_t)interval,
				     .hold = (uint32_t)hold,
				     .cma_start = area->start_pfn,
				     .cma_end = area->end_pfn,
				     .mark = wl->mark };
	return true;
}

/*
 * offline: {start, end, count, interval, hold}: offline_pages() of a range
 * of whole pageblocks, online_pages() `hold` idle steps after each success.
 */
static bool sim_load_offline(struct sim_load *L, ynode *args, struct sim_workload *wl)
{
	static const char *const keys[] = { "start", "end", "count", "interval", "hold", NULL };
	unsigned long start, end, count, interval, hold;
	ynode *n;

	if (!sim_expect_kind(L, args, SIM_Y_MAP, "offline") ||
	    !sim_check_keys(L, args, "offline", keys) ||
	    !sim_get_range(L, args, "offline", &start, &end) ||
	    !sim_require(L, args, "count", "offline", &n) ||
	    !sim_get_ulong(L, n, "offline.count", 1, 1000000, &count) ||
	    !sim_opt_ulong(L, args, "interval", "offline.interval", 0, SIM_WL_STEPS_LIMIT, 0,
			   &interval) ||
	    !sim_opt_ulong(L, args, "hold", "offline.hold", 0, SIM_WL_STEPS_LIMIT, SIM_HOLD_FOREVER,
			   &hold))
		return false;
	*wl = (struct sim_workload){ .kind = SIM_WORKLOAD_OFFLINE,
				     .start = start,
				     .end = end,
				     .count = (uint32_t)count,
				     .interval = (uint32_t)interval,
				     .hold = (uint32_t)hold,
				     .mark = wl->mark };
	return true;
}

#define SIM_REPORTING_CAPACITY_LIMIT 1024u

/*
 * page_reporting: {count, capacity, order, hold, interval}. Defaults from
 * v5.7: PAGE_REPORTING_CAPACITY 32, PAGE_REPORTING_MIN_ORDER pageblock_order.
 * A capacity of 0 is the model's control: the CPU sleeps as a reporter
 * would, but reports nothing. An order below pageblock_order (v5.14's
 * page_reporting_order can go there) is refused: __isolate_free_page() of
 * such a chunk may move its block's other free chunks between lists, which
 * the model's list walk does not follow (mm/page_reporting.c).
 */
static bool sim_load_page_reporting(struct sim_load *L, ynode *args, struct sim_workload *wl)
{
	static const char *const keys[] = {
		"count", "capacity", "order", "hold", "interval", NULL
	};
	unsigned long count, capacity, order, hold, interval;
	ynode *n;

	if (!sim_expect_kind(L, args, SIM_Y_MAP, "page_reporting") ||
	    !sim_check_keys(L, args, "page_reporting", keys) ||
	    !sim_require(L, args, "count", "page_reporting", &n) ||
	    !sim_get_ulong(L, n, "page_reporting.count", 1, 1000000, &count) ||
	    !sim_opt_ulong(L, args, "capacity", "page_reporting.capacity", 0,
			   SIM_REPORTING_CAPACITY_LIMIT, 32, &capacity) ||
	    !sim_opt_ulong(L, args, "order", "page_reporting.order", L->sc->pageblock_order,
			   L->sc->max_order - 1, L->sc->pageblock_order, &order) ||
	    !sim_opt_ulong(L, args, "hold", "page_reporting.hold", 0, SIM_WL_STEPS_LIMIT, 0,
			   &hold) ||
	    !sim_opt_ulong(L, args, "interval", "page_reporting.interval", 0, SIM_WL_STEPS_LIMIT, 0,
			   &interval))
		return false;
	*wl = (struct sim_workload){ .kind = SIM_WORKLOAD_PAGE_REPORTING,
				     .count = (uint32_t)count,
				     .capacity = (uint32_t)capacity,
				     .report_order = (uint32_t)order,
				     .hold = (uint32_t)hold,
				     .interval = (uint32_t)interval,
				     .mark = wl->mark };
	return true;
}

/* The first pageblock of [start, end) whose type is not MOVABLE, or end. */
static unsigned long sim_first_unmovable_block(const SimScenario *sc, unsigned long start,
					       unsigned long end)
{
	unsigned long first = sc->default_migratetype == MIGRATE_MOVABLE ? end : start;

	for (guint i = 0; i < sc->block_types->len; i++) {
		const struct sim_block_range *r =
			&g_array_index(sc->block_types, struct sim_block_range, i);

		if (r->migratetype != MIGRATE_MOVABLE && r->start_pfn < end && r->end_pfn > start)
			first = MIN(first, MAX(r->start_pfn, start));
	}
	return first;
}

/* alloc_contig's range: pfns of the zone, aligned to the chunk, MOVABLE pageblocks. */
static bool sim_check_contig_range(struct sim_load *L, ynode *args, unsigned long start,
				   unsigned long end, unsigned long pages)
{
	unsigned long bad;

	if (start % pages || end % pages || end - start < pages)
		return sim_fail(L, args,
				"alloc_contig: start (%lu) and end (%lu) must be multiples of "
				"pages (%lu), at least one chunk apart",
				start, end, pages);
	bad = sim_first_unmovable_block(L->sc, start, end);
	if (bad < end)
		return sim_fail(L, args,
				"alloc_contig: the pageblock at pfn %lu is not MOVABLE; "
				"alloc_contig_range(MIGRATE_MOVABLE) takes MOVABLE blocks only",
				bad);
	return true;
}

/*
 * alloc_contig: {start, end, pages, count, interval, hold}: chunks of
 * `pages` (a power of two, at least a pageblock) aligned to their size, as
 * alloc_contig_pages() (v5.7) aligns a gigantic page.
 */
static bool sim_load_alloc_contig(struct sim_load *L, ynode *args, struct sim_workload *wl)
{
	static const char *const keys[] = { "start",	"end",	"pages", "count",
					    "interval", "hold", NULL };
	unsigned long zone_end = L->sc->start_pfn + L->sc->pages;
	unsigned long start, end, pages, count, interval, hold;
	ynode *n;

	if (!sim_expect_kind(L, args, SIM_Y_MAP, "alloc_contig") ||
	    !sim_check_keys(L, args, "alloc_contig", keys) ||
	    !sim_require(L, args, "pages", "alloc_contig", &n) ||
	    !sim_get_ulong(L, n, "alloc_contig.pages", 1, L->sc->pages, &pages))
		return false;
	if (pages & (pages - 1) || pages < (1ul << L->sc->pageblock_order))
		return sim_fail(L, n,
				"alloc_contig.pages: expected a power of two of at least a "
				"pageblock (%lu pages), found %lu",
				1ul << L->sc->pageblock_order, pages);
	if (!sim_opt_ulong(L, args, "start", "alloc_contig.start", L->sc->start_pfn, zone_end,
			   L->sc->start_pfn, &start) ||
	    !sim_opt_ulong(L, args, "end", "alloc_contig.end", L->sc->start_pfn, zone_end, zone_end,
			   &end) ||
	    !sim_check_contig_range(L, args, start, end, pages) ||
	    !sim_require(L, args, "count", "alloc_contig", &n) ||
	    !sim_get_ulong(L, n, "alloc_contig.count", 1, 1000000, &count) ||
	    !sim_opt_ulong(L, args, "interval", "alloc_contig.interval", 0, SIM_WL_STEPS_LIMIT, 0,
			   &interval) ||
	    !sim_opt_ulong(L, args, "hold", "alloc_contig.hold", 0, SIM_WL_STEPS_LIMIT,
			   SIM_HOLD_FOREVER, &hold))
		return false;
	*wl = (struct sim_workload){ .kind = SIM_WORKLOAD_ALLOC_CONTIG,
				     .count = (uint32_t)count,
				     .pages = (uint32_t)pages,
				     .interval = (uint32_t)interval,
				     .hold = (uint32_t)hold,
				     .start = start,
				     .end = end,
				     .mark = wl->mark };
	return true;
}

/* workload: {GENERATOR: {...}}, one generator per CPU (docs/scenario-format.md). */
static bool sim_load_workload(struct sim_load *L, ynode *n, struct sim_workload *wl)
{
	static const char *const keys[] = { "churn",	      "cma_alloc",    "offline",
					    "page_reporting", "alloc_contig", NULL };
	ynode *key, *args;

	if (!sim_expect_kind(L, n, SIM_Y_MAP, "workload") ||
	    !sim_check_keys(L, n, "workload", keys))
		return false;
	if (n->keys->len != 1)
		return sim_fail(L, n,
				"workload: expected one generator (churn, cma_alloc, offline, "
				"page_reporting or alloc_contig), found %u",
				n->keys->len);
	key = g_ptr_array_index(n->keys, 0);
	args = g_ptr_array_index(n->values, 0);
	wl->mark = sim_mark_of(key);
	if (!strcmp(key->scalar, "churn"))
		return sim_load_churn(L, args, wl);
	if (!strcmp(key->scalar, "offline"))
		return sim_load_offline(L, args, wl);
	if (!strcmp(key->scalar, "page_reporting"))
		return sim_load_page_reporting(L, args, wl);
	if (!strcmp(key->scalar, "alloc_contig"))
		return sim_load_alloc_contig(L, args, wl);
	return sim_load_cma_alloc(L, key, args, wl);
}

/*
 * Where the CPU first offlines or onlines memory (a script's offline_pages
 * or online_pages, or an offline workload), or NULL; *what names it.
 */
static const struct sim_mark *sim_hotplug_use(const SimScenario *sc, unsigned int cpu,
					      const char **what)
{
	const struct sim_script *s = &sc->scripts[cpu];

	for (uint32_t i = 0; i < s->n_ops; i++) {
		const struct sim_op *op = &s->ops[i];

		if (op->kind == SIM_OP_CALL && (!strcmp(op->entry->name, "offline_pages") ||
						!strcmp(op->entry->name, "online_pages"))) {
			*what = op->entry->name;
			return &op->mark;
		}
	}
	if (s->workload.kind != SIM_WORKLOAD_OFFLINE)
		return NULL;
	*what = "offline";
	return &s->workload.mark;
}

/*
 * Workloads across CPUs: one CMA user (cma_mutex is not modeled), one
 * CPU that offlines or onlines memory (device_hotplug_lock and
 * mem_hotplug_lock, which serialize hotplug, are not modeled), one reporting device, occupancies that fit.
 */
static bool sim_check_workloads(struct sim_load *L)
{
	const SimScenario *sc = L->sc;
	const struct sim_workload *cma = NULL, *reporting = NULL;
	const struct sim_mark *offline = NULL, *use;
	const char *what;
	unsigned long occupancy = 0;

	for (unsigned int c = 0; c < sc->cpus; c++) {
		const struct sim_workload *wl = &sc->scripts[c].workload;

		if (wl->kind == SIM_WORKLOAD_CMA_ALLOC && cma)
			return sim_fail_at(
				L, wl->mark,
				"cma_alloc: a second CMA user (the first is at line %d); "
				"the model has one (cma_mutex is not modeled)",
				cma->mark.line);
		if (wl->kind == SIM_WORKLOAD_CMA_ALLOC)
			cma = wl;
		if ((use = sim_hotplug_use(sc, c, &what)) && offline)
			return sim_fail_at(
				L, *use,
				"%s: memory hotplug from a second CPU (the first is at "
				"line %d); the model has one hotplug caller "
				"(device_hotplug_lock, mem_hotplug_lock are not modeled)",
				what, offline->line);
		if (use && !offline)
			offline = use;
		if (wl->kind == SIM_WORKLOAD_PAGE_REPORTING && reporting)
			return sim_fail_at(L, wl->mark,
					   "page_reporting: a second reporting device (the first "
					   "is at line %d); page_reporting_register() takes one",
					   reporting->mark.line);
		if (wl->kind == SIM_WORKLOAD_PAGE_REPORTING)
			reporting = wl;
		if (wl->kind == SIM_WORKLOAD_CHURN && (occupancy += wl->occupancy) > sc->pages)
			return sim_fail_at(L, wl->mark,
					   "churn: the occupancies of the CPUs add up to %lu "
					   "pages, more than the zone's %lu",
					   occupancy, sc->pages);
	}
	return true;
}

/* A CPU runs its script, then its workload; it needs at least one of them. */
static bool sim_load_script_and_workload(struct sim_load *L, ynode *item, GArray *ops,
					 struct sim_script *s)
{
	ynode *script = sim_get(item, "script"), *wl = sim_get(item, "workload");

	if (!script && !wl)
		return sim_fail(L, item, "cpus[]: missing key 'script' (or 'workload')");
	return (!script || sim_load_ops(L, script, ops, 0)) &&
	       (!wl || sim_load_workload(L, wl, &s->workload));
}

static bool sim_load_cpus(struct sim_load *L, ynode *cpus)
{
	static const char *const keys[] = { "name", "script", "workload", NULL };
	SimScenario *sc = L->sc;

	sc->scripts = g_new0(struct sim_script, sc->cpus);
	if (!cpus)
		return true;
	if (!sim_expect_kind(L, cpus, SIM_Y_SEQ, "cpus"))
		return false;
	if (cpus->values->len > sc->cpus)
		return sim_fail(L, cpus, "cpus: %u scripts for a zone of %u CPUs (zone.cpus)",
				cpus->values->len, sc->cpus);
	for (guint c = 0; c < cpus->values->len; c++) {
		ynode *item = g_ptr_array_index(cpus->values, c);
		GArray *ops = g_array_new(FALSE, FALSE, sizeof(struct sim_op));
		struct sim_script *s = &sc->scripts[c];
		bool ok;

		ok = sim_expect_kind(L, item, SIM_Y_MAP, "cpus[]") &&
		     sim_check_keys(L, item, "cpus[]", keys) &&
		     (!sim_get(item, "name") ||
		      sim_get_string(L, sim_get(item, "name"), "name", &s->name)) &&
		     sim_load_script_and_workload(L, item, ops, s);
		s->n_ops = ops->len;
		s->ops = (struct sim_op *)(void *)g_array_free(ops, FALSE);
		if (!ok)
			return false;
	}
	return sim_check_flow(L) && sim_check_workloads(L);
}

/* ---------------------------------------------------------------------- */
/* schedule:, check:, expect:                                              */
/* ---------------------------------------------------------------------- */

static bool sim_load_costs(struct sim_load *L, ynode *costs)
{
	if (!sim_expect_kind(L, costs, SIM_Y_MAP, "schedule.costs"))
		return false;
	for (guint i = 0; i < costs->keys->len; i++) {
		ynode *k = g_ptr_array_index(costs->keys, i);
		int cls = sim_cost_from_name(k->scalar);
		unsigned long ns;

		if (cls < 0) {
			/* sim_cost_names[] is not NULL-terminated: no g_strjoinv() */
			g_autoptr(GString) list = g_string_new(NULL);

			for (int c = 0; c < SIM_COST_CLASSES; c++)
				g_string_append_printf(list, "%s%s", c ? ", " : "",
						       sim_cost_names[c]);
			return sim_fail(L, k, "unknown cost class '%s' (expected one of: %s)",
					k->scalar, list->str);
		}
		if (!sim_get_ulong(L, g_ptr_array_index(costs->values, i), k->scalar, 0,
				   1000000000000ul, &ns))
			return false;
		L->sc->costs[cls] = ns;
	}
	return true;
}

static bool sim_load_replay(struct sim_load *L, ynode *n)
{
	SimScenario *sc = L->sc;
	struct sim_schedule tmp = { 0 };
	g_autoptr(GError) err = NULL;
	int col = 1;
	bool ok;

	if (!sim_get_string(L, n, "schedule.replay", &sc->replay))
		return false;
	sc->replay_mark = sim_mark_of(n);
	ok = sim_schedule_parse(sc->replay, sc->cpus, &tmp, &col, &err);
	sim_schedule_release(&tmp);
	if (!ok)
		return sim_fail_at(
			L, (struct sim_mark){ n->line, n->col + (n->plain ? col - 1 : col) },
			"schedule.replay: %s", err->message);
	return true;
}

static bool sim_load_schedule(struct sim_load *L, ynode *sched)
{
	static const char *const keys[] = { "strategy", "runs",	 "seed",      "replay", "max_steps",
					    "jitter",	"costs", "pct_depth", NULL };
	SimScenario *sc = L->sc;
	unsigned long v;
	ynode *n;

	if (!sched)
		return true;
	if (!sim_expect_kind(L, sched, SIM_Y_MAP, "schedule") ||
	    !sim_check_keys(L, sched, "schedule", keys))
		return false;
	if ((n = sim_get(sched, "strategy"))) {
		int k;

		if (!sim_expect_kind(L, n, SIM_Y_SCALAR, "schedule.strategy"))
			return false;
		if ((k = sim_strategy_from_name(n->scalar)) < 0)
			return sim_fail(L, n,
					"schedule.strategy: expected rr, random, pct, replay "
					"or timed, found '%s'",
					n->scalar);
		sc->strategy = (enum sim_strategy_kind)k;
	}
	if (!sim_opt_ulong(L, sched, "runs", "schedule.runs", 1, SIM_RUNS_LIMIT, sc->runs,
			   &sc->runs) ||
	    !sim_opt_ulong(L, sched, "seed", "schedule.seed", 0, G_MAXUINT64, sc->seed, &v) ||
	    !sim_opt_ulong(L, sched, "max_steps", "schedule.max_steps", 1, SIM_STEPS_LIMIT,
			   sc->max_steps, &sc->max_steps) ||
	    !sim_opt_ulong(L, sched, "pct_depth", "schedule.pct_depth", 1, SIM_PCT_DEPTH_MAX,
			   sc->pct_depth, &sc->pct_depth))
		return false;
	sc->seed = v;
	if ((n = sim_get(sched, "jitter"))) {
		char *end = NULL;

		if (!sim_expect_kind(L, n, SIM_Y_SCALAR, "schedule.jitter"))
			return false;
		sc->jitter = g_ascii_strtod(n->scalar, &end);
		if (!n->plain || *end || end == n->scalar || !(sc->jitter >= 0 && sc->jitter < 1))
			return sim_fail(L, n,
					"schedule.jitter: expected a fraction from 0 to below 1, "
					"found '%s'",
					n->scalar);
	}
	if ((n = sim_get(sched, "costs")) && !sim_load_costs(L, n))
		return false;
	if ((n = sim_get(sched, "replay"))) {
		if (!sim_load_replay(L, n))
			return false;
		if (!sim_get(sched, "strategy"))
			sc->strategy = SIM_STRATEGY_REPLAY;
		else if (sc->strategy != SIM_STRATEGY_REPLAY)
			return sim_fail(L, n,
					"schedule.replay: a replay schedule needs strategy "
					"replay, found strategy %s",
					sim_strategy_name(sc->strategy));
	}
	if (sc->strategy == SIM_STRATEGY_REPLAY && !sc->replay)
		return sim_fail(L, sched, "schedule: strategy replay needs a 'replay' schedule");
	return true;
}

/* One finding name; `only_invariants` for check:. */
static bool sim_load_finding(struct sim_load *L, ynode *item, const char *what,
			     bool only_invariants, uint32_t *mask)
{
	int f;

	if (!sim_expect_kind(L, item, SIM_Y_SCALAR, what))
		return false;
	f = sim_finding_from_name(item->scalar);
	if (f < 0 || (only_invariants && !(SIM_F(f) & SIM_INVARIANTS_ALL)))
		return sim_fail(L, item, "%s: expected %s, found '%s'", what,
				only_invariants ?
					"all or invariants (freepage-count, cma-count, "
					"isolation, stranded, cross-merge, buddy)" :
					"clean or findings (freepage-count, cma-count, "
					"isolation, stranded, cross-merge, buddy, deadlock, "
					"bug, step-limit)",
				item->scalar);
	*mask |= SIM_F(f);
	return true;
}

/* `clean` (expect) or `all` (check), one finding name, or a sequence of them. */
static bool sim_load_findings(struct sim_load *L, ynode *n, const char *what, bool only_invariants,
			      uint32_t *mask)
{
	*mask = 0;
	if (n->kind == SIM_Y_SCALAR) {
		if (!strcmp(n->scalar, only_invariants ? "all" : "clean")) {
			*mask = only_invariants ? SIM_INVARIANTS_ALL : 0;
			return true;
		}
		return sim_load_finding(L, n, what, only_invariants, mask);
	}
	if (!sim_expect_kind(L, n, SIM_Y_SEQ, what))
		return false;
	for (guint i = 0; i < n->values->len; i++) {
		if (!sim_load_finding(L, g_ptr_array_index(n->values, i), what, only_invariants,
				      mask))
			return false;
	}
	return true;
}

static bool sim_load_expect(struct sim_load *L, ynode *expect)
{
	if (!expect)
		return true;
	if (!sim_expect_kind(L, expect, SIM_Y_MAP, "expect"))
		return false;
	for (guint i = 0; i < expect->keys->len; i++) {
		ynode *k = g_ptr_array_index(expect->keys, i);
		struct sim_expect e = { .mark = sim_mark_of(k) };

		if (!sim_variant_lookup(k->scalar)) {
			GString *list = g_string_new(NULL);

			for (int v = 0; sim_variants[v]; v++)
				g_string_append_printf(list, "%s%s", v ? ", " : "",
						       sim_variants[v]->name);
			sim_fail(L, k, "expect: unknown variant '%s' (known: %s)", k->scalar,
				 list->str);
			g_string_free(list, TRUE);
			return false;
		}
		if (!sim_load_findings(L, g_ptr_array_index(expect->values, i), "expect", false,
				       &e.findings))
			return false;
		e.variant = g_strdup(k->scalar);
		g_array_append_val(L->sc->expects, e);
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* The file                                                                */
/* ---------------------------------------------------------------------- */

static bool sim_load_header(struct sim_load *L, ynode *root)
{
	static const char *const keys[] = { "name", "description", "references", "zone",   "layout",
					    "cpus", "schedule",	   "check",	 "expect", NULL };
	SimScenario *sc = L->sc;
	ynode *n;

	if (!sim_expect_kind(L, root, SIM_Y_MAP, "scenario") ||
	    !sim_check_keys(L, root, "the scenario", keys) ||
	    !sim_require(L, root, "name", "scenario", &n) ||
	    !sim_get_string(L, n, "name", &sc->name))
		return false;
	if ((n = sim_get(root, "description")) &&
	    !sim_get_string(L, n, "description", &sc->description))
		return false;
	if ((n = sim_get(root, "references"))) {
		if (!sim_expect_kind(L, n, SIM_Y_SEQ, "references"))
			return false;
		for (guint i = 0; i < n->values->len; i++) {
			char *ref = NULL;

			if (!sim_get_string(L, g_ptr_array_index(n->values, i), "references[]",
					    &ref))
				return false;
			g_ptr_array_add(sc->references, ref);
		}
	}
	return true;
}

static SimScenario *sim_scenario_new(const char *path)
{
	SimScenario *sc = g_new0(SimScenario, 1);

	sc->path = g_strdup(path);
	sc->references = g_ptr_array_new_with_free_func(g_free);
	sc->block_types = g_array_new(FALSE, FALSE, sizeof(struct sim_block_range));
	sc->free = g_array_new(FALSE, FALSE, sizeof(struct sim_chunk));
	sc->allocated = g_array_new(FALSE, FALSE, sizeof(struct sim_chunk));
	sc->handle_names = g_ptr_array_new_with_free_func(g_free);
	sc->expects = g_array_new(FALSE, FALSE, sizeof(struct sim_expect));
	sc->pcp_high = 6;
	sc->pcp_batch = 2;
	sc->strategy = SIM_STRATEGY_RANDOM;
	sc->runs = 1000;
	sc->seed = 1;
	sc->max_steps = 1000000;
	sc->pct_depth = 3;
	sc->jitter = 0.1;
	sc->check = SIM_INVARIANTS_ALL;
	memcpy(sc->costs, sim_cost_defaults, sizeof(sc->costs));
	return sc;
}

SimScenario *sim_scenario_load_data(const char *path, const char *data, gsize len, GError **error)
{
	g_autoptr(SimScenario) sc = sim_scenario_new(path);
	g_autoptr(SimYNode) root = sim_yaml_parse(path, data, len, error);
	struct sim_load L = { .path = path, .error = error, .sc = sc };
	ynode *zone;

	if (!root || !sim_load_header(&L, root) ||
	    !sim_require(&L, root, "zone", "scenario", &zone) || !sim_load_zone(&L, zone) ||
	    !sim_load_layout(&L, sim_get(root, "layout")) ||
	    !sim_load_cpus(&L, sim_get(root, "cpus")) ||
	    !sim_load_schedule(&L, sim_get(root, "schedule")) ||
	    !sim_load_expect(&L, sim_get(root, "expect")))
		return NULL;
	if (sim_get(root, "check") &&
	    !sim_load_findings(&L, sim_get(root, "check"), "check", true, &sc->check))
		return NULL;
	return g_steal_pointer(&sc);
}

SimScenario *sim_scenario_load(const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) err = NULL;
	gsize len;

	if (!g_file_get_contents(path, &data, &len, &err)) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_IO, "%s: cannot read: %s", path,
			    err->message);
		return NULL;
	}
	return sim_scenario_load_data(path, data, len, error);
}

void sim_scenario_free(SimScenario *sc)
{
	if (!sc)
		return;
	g_free(sc->path);
	g_free(sc->name);
	g_free(sc->description);
	g_ptr_array_free(sc->references, TRUE);
	g_array_free(sc->block_types, TRUE);
	g_array_free(sc->free, TRUE);
	g_array_free(sc->allocated, TRUE);
	g_ptr_array_free(sc->handle_names, TRUE);
	for (unsigned int c = 0; sc->scripts && c < sc->cpus; c++) {
		g_free(sc->scripts[c].name);
		g_free(sc->scripts[c].ops);
	}
	g_free(sc->scripts);
	for (guint i = 0; i < sc->expects->len; i++)
		g_free(g_array_index(sc->expects, struct sim_expect, i).variant);
	g_array_free(sc->expects, TRUE);
	g_free(sc->replay);
	g_free(sc);
}

uint32_t sim_scenario_expect(const SimScenario *sc, const char *variant, bool *found)
{
	for (guint i = 0; i < sc->expects->len; i++) {
		const struct sim_expect *e = &g_array_index(sc->expects, struct sim_expect, i);

		if (!strcmp(e->variant, variant)) {
			*found = true;
			return e->findings;
		}
	}
	*found = false;
	return 0;
}

bool sim_scenario_expect_sampled(uint32_t expect, uint32_t broken)
{
	return !(broken & ~expect);
}

static const char *const sim_strategy_names[SIM_STRATEGY_COUNT] = {
	[SIM_STRATEGY_RR] = "rr",	  [SIM_STRATEGY_RANDOM] = "random",
	[SIM_STRATEGY_REPLAY] = "replay", [SIM_STRATEGY_TIMED] = "timed",
	[SIM_STRATEGY_PCT] = "pct",
};

const char *sim_strategy_name(enum sim_strategy_kind kind)
{
	return sim_strategy_names[kind];
}

int sim_strategy_from_name(const char *name)
{
	for (int i = 0; i < SIM_STRATEGY_COUNT; i++) {
		if (!strcmp(sim_strategy_names[i], name))
			return i;
	}
	return -1;
}
