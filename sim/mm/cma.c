// SPDX-License-Identifier: GPL-2.0
/*
 * The CMA allocator above alloc_contig_range(): v3.16
 * drivers/base/dma-contiguous.c, dma_alloc_from_contiguous() and
 * dma_release_from_contiguous(), which v3.17 moved to mm/cma.c as
 * cma_alloc() and cma_release() (a254129e8686) without changing the loop.
 * The model uses the mm/cma.c names. A scenario reaches them through a
 * `cma_alloc` workload (workload/workload.c).
 *
 * Model: one CMA area (struct cma in workload/workload.h, order_per_bit 0)
 * and one CPU that allocates from it, so cma->lock and cma_mutex, which
 * serialize CMA users against each other, are not modeled: the bitmap is
 * read and written inside one step.
 */
#include "engine/step.h"
#include "mm/ops.h"
#include "mm/page.h"
#include "mm/page_alloc.h"
#include "workload/workload.h"

#define EBUSY 16

static bool sim_test_bit(const uint8_t *map, unsigned long i)
{
	return map[i / 8] & (1u << (i % 8));
}

/* bitmap_set() / bitmap_clear() (lib/bitmap.c). */
static void sim_bitmap_assign(uint8_t *map, unsigned long start, unsigned long nr, bool set)
{
	for (unsigned long i = start; i < start + nr; i++) {
		if (set)
			map[i / 8] |= (uint8_t)(1u << (i % 8));
		else
			map[i / 8] &= (uint8_t) ~(1u << (i % 8));
	}
}

/*
 * bitmap_find_next_zero_area() (lib/bitmap.c, v3.16): the first index at or
 * after start, aligned to align_mask + 1, with nr clear bits; size or more
 * when there is none.
 */
static unsigned long bitmap_find_next_zero_area(const uint8_t *map, unsigned long size,
						unsigned long start, unsigned long nr,
						unsigned long align_mask)
{
	unsigned long index, end, i;
again:
	for (index = start; index < size && sim_test_bit(map, index); index++)
		;
	index = (index + align_mask) & ~align_mask; /* __ALIGN_MASK */
	end = index + nr;
	if (end > size)
		return end;
	for (i = index; i < end; i++) {
		if (sim_test_bit(map, i)) {
			start = i + 1;
			goto again;
		}
	}
	return index;
}

/*
 * cma_alloc(cma, count, align) (v3.17 mm/cma.c; v3.16
 * dma_alloc_from_contiguous): find a free, aligned run of count pages in the
 * area's bitmap, mark it, and alloc_contig_range() it as MIGRATE_CMA; on
 * -EBUSY unmark it and try the next aligned run after it, until the bitmap
 * is exhausted. Frame: .arg count, .order align (already capped at
 * CONFIG_CMA_ALIGNMENT). Returns the first pfn, or -1 (NULL).
 */
struct cma_alloc_locals {
	uint32_t start;
	uint32_t bitmap_no;
	int32_t ret;
};

static enum sim_ret cma_alloc(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct cma_alloc_locals *l = SIM_LOCALS(f, struct cma_alloc_locals);
	struct cma *cma = &w->wl->cma;
	unsigned long mask = (1ul << f->order) - 1;

	SIM_BEGIN(f);
	l->start = 0;
	for (;;) {
		/* mutex_lock(&cma->lock) */
		l->bitmap_no =
			(uint32_t)bitmap_find_next_zero_area(sim_workload_cma_bitmap(w), cma->count,
							     l->start, (unsigned long)f->arg, mask);
		if (l->bitmap_no >= cma->count)
			break;
		sim_bitmap_assign(sim_workload_cma_bitmap(w), l->bitmap_no, (unsigned long)f->arg,
				  true);
		/* mutex_unlock(&cma->lock); mutex_lock(&cma_mutex) */
		SIM_CALL(w, cpu, f, w->ops->alloc_contig_range, .pfn = cma->base_pfn + l->bitmap_no,
			 .end = cma->base_pfn + l->bitmap_no + (uint32_t)f->arg, .mt = MIGRATE_CMA);
		l->ret = (int32_t)cpu->ret;
		if (l->ret == 0) {
			SIM_EV(w, "cma_alloc: pfn %u, %d pages", cma->base_pfn + l->bitmap_no,
			       f->arg);
			SIM_RETURN_VAL(cpu, cma->base_pfn + l->bitmap_no);
		}
		/* cma_clear_bitmap() */
		sim_bitmap_assign(sim_workload_cma_bitmap(w), l->bitmap_no, (unsigned long)f->arg,
				  false);
		if (l->ret != -EBUSY)
			break;
		SIM_EV(w, "cma_alloc: memory range at pfn %u is busy, retrying",
		       cma->base_pfn + l->bitmap_no);
		sim_count_retry(cpu);
		/* try again with a bit different memory target */
		l->start = (uint32_t)(l->bitmap_no + mask + 1);
	}
	SIM_EV(w, "cma_alloc: no range of %d pages", f->arg);
	SIM_RETURN_VAL(cpu, -1);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(cma_alloc);

/*
 * cma_release(cma, pages, count) (v3.17 mm/cma.c; v3.16
 * dma_release_from_contiguous): free_contig_range(pfn, count), which is
 * __free_page() of each page (order 0 through the pcplists), then
 * cma_clear_bitmap(). Frame: .pfn first page, .end past the last.
 */
struct cma_release_locals {
	uint32_t pfn;
};

static enum sim_ret cma_release(struct sim_world *w, struct sim_cpu *cpu, struct sim_frame *f)
{
	struct cma_release_locals *l = SIM_LOCALS(f, struct cma_release_locals);
	struct cma *cma = &w->wl->cma;

	SIM_BEGIN(f);
	/* free_contig_range() */
	for (l->pfn = f->pfn; l->pfn < f->end; l->pfn++)
		SIM_CALL(w, cpu, f, w->ops->free_hot_cold_page, .pfn = l->pfn);
	sim_bitmap_assign(sim_workload_cma_bitmap(w), f->pfn - cma->base_pfn, f->end - f->pfn,
			  false);
	SIM_RETURN_VAL(cpu, 0);
	SIM_END(f);
}
SIM_DEFINE_BASE_FN(cma_release);
