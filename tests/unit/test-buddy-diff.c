// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy model against an independent reference, with nothing racing:
 * one CPU runs a long random sequence of allocations and frees (orders 0-3,
 * three migratetypes, through the pcplists and the buddy lists), and after
 * every step a bitmap of free pages, kept from the allocations' results
 * alone, must agree with the model: no page handed out twice, NR_FREE_PAGES
 * plus the pcplists (plus pages freed but not yet on a list) equal to the
 * free pages whenever the counters are settled. When everything is freed and drained, the free lists must be the
 * canonical buddy decomposition of the zone (everything coalesced). Every
 * variant must agree with the reference and, call for call, with every
 * other: with no isolation and one CPU the designs do not differ.
 * Test paths: /buddy-diff/<seed>.
 */
#include <string.h>

#include "engine/exec.h"
#include "sim-test.h"
#include "variants/variant.h"

#define PAGES 256
#define HANDLES 24
#define OPS 600

/* A random script over HANDLES named allocations, then everything freed and drained. */
static char *random_script(guint32 seed)
{
	g_autoptr(GRand) rng = g_rand_new_with_seed(seed);
	GString *y = g_string_new(NULL);
	bool live[HANDLES] = { false };
	static const char *const mts[] = { "MOVABLE", "UNMOVABLE", "RECLAIMABLE" };

	g_string_append(y, "name: buddy-diff\n"
			   "zone: {pages: 256, max_order: 6, pageblock_order: 4, cpus: 1,\n"
			   "       pcp: {high: 6, batch: 2}}\n"
			   "layout: {free: [{pfn: 0, order: 5}, {pfn: 32, order: 5}, {pfn: 64, order: 5},\n"
			   "                {pfn: 96, order: 5}, {pfn: 128, order: 5}, {pfn: 160, order: 5},\n"
			   "                {pfn: 192, order: 5}, {pfn: 224, order: 5}]}\n"
			   "cpus:\n  - script:\n");
	for (int i = 0; i < OPS; i++) {
		int h = g_rand_int_range(rng, 0, HANDLES);

		if (live[h])
			g_string_append_printf(y, "      - free_pages: {page: H%d}\n", h);
		else
			g_string_append_printf(y,
					       "      - alloc_pages: {order: %d, migratetype: %s, "
					       "as: H%d}\n",
					       g_rand_int_range(rng, 0, 4),
					       mts[g_rand_int_range(rng, 0, 3)], h);
		live[h] = !live[h];
	}
	for (int h = 0; h < HANDLES; h++) {
		if (live[h])
			g_string_append_printf(y, "      - free_pages: {page: H%d}\n", h);
	}
	g_string_append(y, "      - drain_local_pages\n");
	return g_string_free(y, FALSE);
}

struct reference {
	bool free[PAGES];
	struct sim_handle seen[HANDLES]; /* the handles as the reference last saw them */
	long nr_free;
};

/* Account for allocations and frees the step made, from the handles alone. */
static void reference_step(struct reference *ref, SimWorld *w, guint nhandles)
{
	for (guint h = 0; h < nhandles; h++) {
		const struct sim_handle *now = &w->handles[h], *was = &ref->seen[h];
		unsigned long n = 1ul << now->order;

		if (now->valid && !was->valid) {
			for (unsigned long p = now->pfn; p < now->pfn + n; p++) {
				g_assert_true(ref->free[p]); /* never handed out twice */
				ref->free[p] = false;
			}
			ref->nr_free -= (long)n;
		} else if (!now->valid && was->valid) {
			unsigned long m = 1ul << was->order;

			for (unsigned long p = was->pfn; p < was->pfn + m; p++)
				ref->free[p] = true;
			ref->nr_free += (long)m;
		}
		ref->seen[h] = *now;
	}
}

/* Free chunks per order on the model's lists. */
static void model_chunks(SimWorld *w, unsigned long *chunks)
{
	for (unsigned int o = 0; o < w->zone->max_order; o++)
		chunks[o] = w->zone->free_area[o].nr_free;
}

/* The canonical decomposition of the reference's free pages into aligned buddies. */
static void reference_chunks(const struct reference *ref, unsigned int max_order,
			     unsigned long *chunks)
{
	memset(chunks, 0, sizeof(unsigned long) * max_order);
	for (unsigned long pfn = 0; pfn < PAGES;) {
		unsigned int o = max_order - 1;

		if (!ref->free[pfn]) {
			pfn++;
			continue;
		}
		for (;; o--) {
			bool all = !(pfn & ((1ul << o) - 1)) && pfn + (1ul << o) <= PAGES;

			for (unsigned long p = pfn; all && p < pfn + (1ul << o); p++)
				all = ref->free[p];
			if (all)
				break;
		}
		chunks[o]++;
		pfn += 1ul << o;
	}
}

/* Run the script on one variant; the free-page count after every script call into trail. */
static void run_variant(const SimScenario *sc, const char *variant, GArray *trail)
{
	g_autoptr(SimWorld) w = sim_test_world(sc, variant);
	struct reference ref = { .nr_free = PAGES };
	struct sim_choice ch[2];
	unsigned long got[SIM_MAX_ORDER_LIMIT], want[SIM_MAX_ORDER_LIMIT];

	for (int p = 0; p < PAGES; p++)
		ref.free[p] = true;
	while (sim_exec_choices(w, ch) > 0) {
		sim_exec_step(w, ch[0], sim_exec_start_time(w, ch[0]));
		g_assert_null(w->st->ev.bug);
		reference_step(&ref, w, sc->handle_names->len);
		if (w->zone->lock.owner < 0 && !w->st->acct_pending) {
			/*
			 * freed pages still on their way to a list count as free, and so
			 * do pages a design holds off the lists (mm/mmzone.h), e.g. v5.11's
			 * pcp flush between the pcplist and zone->lock
			 */
			long model = zone_page_state(w->zone, NR_FREE_PAGES) +
				     w->st->shadow.pcp_pages + w->st->shadow.inflight_pages +
				     w->st->shadow.held_pages;

			g_assert_cmpint(model, ==, ref.nr_free);
			/* between script calls: comparable across variants whatever their steps */
			if (sim_exec_quiescent(w))
				g_array_append_val(trail, model);
		}
	}
	g_assert_true(sim_exec_done(w));
	g_assert_cmpint(ref.nr_free, ==, PAGES);
	g_assert_cmpint(zone_page_state(w->zone, NR_FREE_PAGES), ==, PAGES);
	model_chunks(w, got);
	reference_chunks(&ref, w->zone->max_order, want);
	for (unsigned int o = 0; o < w->zone->max_order; o++)
		g_assert_cmpuint(got[o], ==, want[o]);
}

static void test_random_sequence(gconstpointer data)
{
	guint32 seed = GPOINTER_TO_UINT(data);
	g_autofree char *yaml = random_script(seed);
	g_autoptr(SimScenario) sc = sim_test_scenario(yaml);
	g_autoptr(GArray) first = g_array_new(FALSE, FALSE, sizeof(long));

	run_variant(sc, sim_variants[0]->name, first);
	for (int v = 1; sim_variants[v]; v++) {
		g_autoptr(GArray) trail = g_array_new(FALSE, FALSE, sizeof(long));

		run_variant(sc, sim_variants[v]->name, trail);
		g_test_message("%s: %u calls", sim_variants[v]->name, trail->len);
		g_assert_cmpuint(trail->len, ==, first->len);
		g_assert_cmpmem(trail->data, trail->len * sizeof(long), first->data,
				first->len * sizeof(long));
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint32 seed = 1; seed <= 8; seed++) {
		g_autofree char *path = g_strdup_printf("/buddy-diff/%u", seed);

		g_test_add_data_func(path, GUINT_TO_POINTER(seed), test_random_sequence);
	}
	return g_test_run();
}
