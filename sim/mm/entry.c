// SPDX-License-Identifier: GPL-2.0
/*
 * Entry points of a scenario's scripts. Most run the variant's function
 * directly; alloc_pages, free_pages and test_pages_isolated are thin
 * wrappers that stand for the API above the modeled function and do the
 * model's bookkeeping of named allocations and tested blocks.
 */
#include <string.h>

#include "engine/step.h"
#include "mm/entry.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "workload/workload.h"

#define OP(name) offsetof(struct sim_mm_ops, name)

/* Model: flag an allocation from a block that test_pages_isolated() passed. */
static void sim_note_alloc(struct sim_world *w, unsigned long pfn, unsigned int order)
{
	unsigned long b = sim_block_of(w, pfn), last = sim_block_of(w, pfn + (1ul << order) - 1);

	sim_access_rd(w, SIM_OBJ_TESTED);
	for (; b <= last; b++) {
		if (w->block_flags[b] & SIM_BLOCK_TESTED) {
			w->st->ev.alloc_isolated++;
			w->st->ev.alloc_isolated_pfn = (uint32_t)pfn;
			w->st->ev.any = 1;
		}
	}
}

/*
 * alloc_pages(gfp, order) -> __alloc_pages_nodemask -> get_page_from_freelist
 * -> buffered_rmqueue. Model: one zone, no watermarks, no reclaim; the
 * migratetype stands for the gfp flags' gfpflags_to_migratetype().
 * Frame: .order, .mt, .arg named allocation or -1, .flags SIM_F_COLD.
 */
static enum sim_ret alloc_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	SIM_CALL(w, cpu, f, w->ops->buffered_rmqueue, .order = f->order, .mt = f->mt,
		 .flags = f->flags);
	if (cpu->ret >= 0) {
		/* trace_mm_page_alloc() in __alloc_pages_nodemask() */
		SIM_TRACEPOINT(w, mm_page_alloc,
			       "page=%p pfn=%lu order=%d migratetype=%d gfp_flags=%s",
			       sim_page_address((unsigned long)cpu->ret), (unsigned long)cpu->ret,
			       f->order, f->mt,
			       f->mt == MIGRATE_MOVABLE ? "GFP_HIGHUSER_MOVABLE" : "GFP_KERNEL");
		sim_note_alloc(w, (unsigned long)cpu->ret, (unsigned int)f->order);
		if (f->arg >= 0) {
			struct sim_handle *h = &w->handles[f->arg];

			sim_access_page_wr(w); /* migration looks handles up */
			h->pfn = (uint32_t)cpu->ret;
			h->order = (uint8_t)f->order;
			h->valid = 1;
		}
	}
	SIM_END(f);
}
SIM_DEFINE_FN(alloc_pages);

/*
 * free_pages(page, order) -> __free_pages: order 0 through the pcp path
 * (free_hot_cold_page), higher orders through __free_pages_ok. The page is a
 * named allocation; freeing one that is not allocated (its allocation failed)
 * is a no-op, like free_pages(0, order). A range from alloc_contig_range()
 * is given back by free_contig_range(): __free_page() on each page.
 * Frame: .arg named allocation, .flags SIM_F_COLD.
 */
static enum sim_ret free_pages(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct sim_handle *h = &w->handles[f->arg];

	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	sim_access_page_wr(w); /* the handle, and the refcount migration may share */
	if (!h->valid) {
		SIM_EV(w, "nothing to free: the allocation failed");
		SIM_RETURN_VAL(cpu, 0);
	}
	f->pfn = h->pfn;
	f->order = h->order;
	f->end = h->pfn + h->nr_pages;
	h->valid = 0;
	if (h->nr_pages) {
		/* free_contig_range(pfn, nr_pages) */
		for (; f->pfn < f->end; f->pfn++)
			SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = f->pfn,
				 .flags = f->flags);
		SIM_RETURN_VAL(cpu, 0);
	}
	/* put_page_testzero(): migration may hold a reference (mm/contig.c) */
	if (page_count(pfn_to_page(w, f->pfn)) > 1) {
		pfn_to_page(w, f->pfn)->_count--;
		SIM_EV(w, "put_page(pfn %u): still referenced by migration", f->pfn);
		SIM_RETURN_VAL(cpu, 0);
	}
	if (f->order == 0)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = f->pfn, .flags = f->flags);
	else
		SIM_CALL(w, cpu, f, w->ops->__free_pages_ok, .pfn = f->pfn, .order = f->order);
	SIM_END(f);
}
SIM_DEFINE_FN(free_pages);

/*
 * test_pages_isolated(start, end): the variant's test; model bookkeeping
 * remembers the blocks it passed, for the isolation invariant.
 * Frame: .pfn start, .end end.
 */
static enum sim_ret test_pages_isolated(struct sim_world *w, struct sim_cpu *cpu,
					struct sim_frame *f)
{
	SIM_BEGIN(f);
	SIM_CALL(w, cpu, f, w->ops->test_pages_isolated, .pfn = f->pfn, .end = f->end);
	if (cpu->ret == 0) {
		unsigned long b = sim_block_of(w, f->pfn), last = sim_block_of(w, f->end - 1);

		sim_access_wr(w, SIM_OBJ_TESTED | SIM_OBJ_INV);
		for (; b <= last; b++)
			w->block_flags[b] |= SIM_BLOCK_TESTED;
	}
	SIM_END(f);
}
static const struct sim_fn test_pages_isolated_entry_fn = { "test_pages_isolated",
							    test_pages_isolated };

/*
 * alloc_contig_range(start, end, migratetype): the variant's function; on
 * success the range is the scenario's named allocation (for free_pages).
 * Frame: .pfn start, .end end, .mt, .arg named allocation or -1.
 */
static enum sim_ret alloc_contig_range(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	SIM_CALL(w, cpu, f, w->ops->alloc_contig_range, .pfn = f->pfn, .end = f->end, .mt = f->mt);
	if (cpu->ret == 0) {
		sim_note_alloc(w, f->pfn, 0);
		if (f->arg >= 0) {
			struct sim_handle *h = &w->handles[f->arg];

			sim_access_page_wr(w); /* migration looks handles up */
			*h = (struct sim_handle){ .pfn = f->pfn,
						  .valid = 1,
						  .nr_pages = f->end - f->pfn };
		}
	}
	SIM_END(f);
}
SIM_DEFINE_FN(alloc_contig_range);

/*
 * A churn workload's free: __free_pages(page, order) of the page it holds,
 * after put_page_testzero() as above (migration may hold a reference).
 * Frame: .pfn, .order.
 */
static enum sim_ret workload_free(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	sim_access_page_wr(w); /* the refcount migration may share */
	if (page_count(pfn_to_page(w, f->pfn)) > 1) {
		pfn_to_page(w, f->pfn)->_count--;
		SIM_EV(w, "put_page(pfn %u): still referenced by migration", f->pfn);
		SIM_RETURN_VAL(cpu, 0);
	}
	SIM_CALL(w, cpu, f, &sim_base___free_pages, .pfn = f->pfn, .order = f->order);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
const struct sim_fn sim_workload_free_fn = { "__free_pages", workload_free };

/*
 * A cma_alloc workload's call: cma_alloc() (mm/cma.c); the range it returns
 * is handed to the workload, which releases it after its hold time.
 * Frame: .arg count, .order align. Returns 0, or -ENOMEM for NULL.
 */
static enum sim_ret workload_cma_alloc(struct sim_world *w, struct sim_cpu *cpu,
				       struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	SIM_CALL(w, cpu, f, &sim_base_cma_alloc, .arg = f->arg, .order = f->order);
	sim_workload_cma_got(w, cpu, cpu->ret);
	SIM_RETURN_VAL(cpu, cpu->ret >= 0 ? 0 : -12);
	SIM_END(f);
}
const struct sim_fn sim_workload_cma_alloc_fn = { "cma_alloc", workload_cma_alloc };

/* A cma_alloc workload's release of a range: cma_release(). Frame: .pfn, .end. */
static enum sim_ret workload_cma_release(struct sim_world *w, struct sim_cpu *cpu,
					 struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	SIM_CALL(w, cpu, f, &sim_base_cma_release, .pfn = f->pfn, .end = f->end);
	SIM_END(f);
}
const struct sim_fn sim_workload_cma_release_fn = { "cma_release", workload_cma_release };

/*
 * A page_reporting workload's pass: page_reporting_process() of the one
 * zone (mm/page_reporting.c, v5.7). Frame: .order the minimum order, .arg
 * the capacity. Returns 0.
 */
static enum sim_ret workload_page_reporting(struct sim_world *w, struct sim_cpu *cpu,
					    struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	SIM_CALL(w, cpu, f, &sim_base_page_reporting_process_zone, .order = f->order,
		 .arg = f->arg);
	SIM_END(f);
}
const struct sim_fn sim_workload_page_reporting_fn = { "page_reporting", workload_page_reporting };

/*
 * An alloc_contig workload's release of a chunk: free_contig_range(pfn,
 * nr_pages), __free_page() of each page. Frame: .pfn, .end.
 */
static enum sim_ret workload_free_contig(struct sim_world *w, struct sim_cpu *cpu,
					 struct sim_frame *f)
{
	SIM_BEGIN(f);
	sim_charge(w, SIM_COST_ENTRY);
	for (; f->pfn < f->end; f->pfn++)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = f->pfn);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
const struct sim_fn sim_workload_free_contig_fn = { "free_contig_range", workload_free_contig };

const struct sim_entry sim_entries[] = {
	{
		.name = "alloc_pages",
		.fn = &alloc_pages_fn,
		.args = SIM_ARG_ORDER | SIM_ARG_MT | SIM_ARG_AS | SIM_ARG_COLD,
		.returns = true,
		.summary =
			"allocate 2^order pages of a migratetype (order 0 via this CPU's pcplist)",
	},
	{
		.name = "free_pages",
		.fn = &free_pages_fn,
		.args = SIM_ARG_PAGE | SIM_ARG_COLD,
		.required = SIM_ARG_PAGE,
		.summary =
			"free a named allocation (order 0 via the pcplist, else __free_pages_ok)",
	},
	{
		.name = "drain_local_pages",
		.op = OP(drain_local_pages),
		.summary = "flush this CPU's pcplist to the buddy lists",
	},
	{
		.name = "drain_all_pages",
		.op = OP(drain_all_pages),
		.summary = "flush every CPU's pcplist (IPIs to CPUs whose lists look non-empty)",
	},
	{
		.name = "start_isolate_page_range",
		.op = OP(start_isolate_page_range),
		.args = SIM_ARG_RANGE | SIM_ARG_MT,
		.required = SIM_ARG_RANGE,
		.returns = true,
		.summary =
			"isolate the pageblocks of [start, end) (migratetype: what undo restores)",
	},
	{
		.name = "undo_isolate_page_range",
		.op = OP(undo_isolate_page_range),
		.args = SIM_ARG_RANGE | SIM_ARG_MT,
		.required = SIM_ARG_RANGE,
		.summary = "un-isolate the pageblocks of [start, end) back to migratetype",
	},
	{
		.name = "test_pages_isolated",
		.fn = &test_pages_isolated_entry_fn,
		.args = SIM_ARG_RANGE,
		.required = SIM_ARG_RANGE,
		.returns = true,
		.success_rate = true,
		.summary = "check every page of [start, end) is free on an isolated block",
	},
	{
		.name = "alloc_contig_range",
		.fn = &alloc_contig_range_fn,
		.args = SIM_ARG_RANGE | SIM_ARG_MT | SIM_ARG_AS,
		.required = SIM_ARG_RANGE,
		.returns = true,
		.success_rate = true,
		.summary = "CMA / gigantic pages: isolate, migrate, drain, test and take [start, "
			   "end); free_pages gives it back",
	},
	{
		.name = "offline_pages",
		.op = OP(offline_pages),
		.args = SIM_ARG_RANGE,
		.required = SIM_ARG_RANGE,
		.returns = true,
		.success_rate = true,
		.retries = true,
		.summary = "memory hot-remove: isolate, migrate, drain, test and take [start, end) "
			   "out of the zone",
	},
	{
		.name = "online_pages",
		.op = OP(online_pages),
		.args = SIM_ARG_RANGE,
		.required = SIM_ARG_RANGE,
		.returns = true,
		.success_rate = true,
		.summary =
			"memory hot-add of an offline [start, end): its pages freed to the buddy "
			"(-EINVAL if a page is not offline)",
	},
	{
		.name = "cma_alloc",
		.fn = &sim_workload_cma_alloc_fn,
		.returns = true,
		.success_rate = true,
		.retries = true,
		.workload_only = true,
		.summary = "CMA: alloc_contig_range() of a free aligned run of the CMA area, "
			   "retried past busy ranges (workload cma_alloc)",
	},
	{
		.name = "cma_release",
		.fn = &sim_workload_cma_release_fn,
		.workload_only = true,
		.summary = "CMA: free_contig_range() of a range cma_alloc() returned (workload "
			   "cma_alloc)",
	},
	{
		.name = "page_reporting",
		.fn = &sim_workload_page_reporting_fn,
		.workload_only = true,
		.summary = "free page reporting (v5.7): one pass of page_reporting_process_zone() "
			   "(workload page_reporting)",
	},
	{
		.name = "free_contig_range",
		.fn = &sim_workload_free_contig_fn,
		.workload_only = true,
		.summary = "free_contig_range() of a chunk alloc_contig_range() returned (workload "
			   "alloc_contig)",
	},
	{ .name = NULL },
};
/* The per-entry counters of struct sim_state have SIM_ENTRIES_MAX slots. */
_Static_assert(G_N_ELEMENTS(sim_entries) - 1 <= SIM_ENTRIES_MAX,
	       "more entry points than SIM_ENTRIES_MAX (engine/world.h)");

const struct sim_entry *sim_entry_lookup(const char *name)
{
	for (const struct sim_entry *e = sim_entries; e->name; e++) {
		if (!strcmp(e->name, name))
			return e;
	}
	return NULL;
}

const struct sim_fn *sim_entry_fn(const struct sim_world *w, const struct sim_entry *e)
{
	if (e->fn)
		return e->fn;
	return *(const struct sim_fn *const *)(const void *)((const char *)w->ops + e->op);
}
