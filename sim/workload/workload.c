// SPDX-License-Identifier: GPL-2.0
/*
 * Generated workloads (workload/workload.h): the churn of allocations and
 * frees that stands for a kernel build in the background, the periodic
 * cma_alloc() of a CMA user, the offlining and onlining of a memory block
 * (virtio-mem, a balloon, a DIMM being unplugged), the passes of a free
 * page reporting device and the alloc_contig_range() calls of a
 * gigantic-page or virtio-mem user. See docs/scenario-format.md for the
 * keys and docs/model.md for what they model.
 */
#include <string.h>

#include "engine/step.h"
#include "engine/world.h"
#include "mm/entry.h"
#include "scenario/scenario.h"
#include "util/prng.h"
#include "workload/workload.h"

#define SIM_WL_NEVER UINT64_MAX
#define SIM_WL_EBUSY 16

static size_t sim_wl_align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static const struct sim_workload *sim_wl_spec(const struct sim_world *w, unsigned int cpu)
{
	return &w->sc->scripts[cpu].workload;
}

/*
 * The clock of intervals and holds: the CPU's idle steps, or under the
 * timed strategy (and a replay of a timed run) simulated nanoseconds.
 */
static uint64_t sim_wl_clock(const struct sim_world *w, const struct sim_wl_cpu *wl)
{
	return w->timed ? w->st->now : wl->tick;
}

/* Chunk slots a CPU's workload needs: churn holds fewer chunks than its target pages. */
static uint32_t sim_wl_cap(const struct sim_workload *spec)
{
	switch (spec->kind) {
	case SIM_WORKLOAD_CHURN:
		return spec->occupancy;
	case SIM_WORKLOAD_CMA_ALLOC:
	case SIM_WORKLOAD_ALLOC_CONTIG:
		return spec->count;
	case SIM_WORKLOAD_OFFLINE:
		return 1;
	case SIM_WORKLOAD_PAGE_REPORTING:
		return spec->capacity;
	default:
		return 0;
	}
}

struct sim_wl_layout {
	size_t chunks, bitmap, owner, size; /* offsets from the region's start */
	uint32_t cma_pages;
	bool churn;
};

static struct sim_wl_layout sim_wl_layout(const SimScenario *sc)
{
	struct sim_wl_layout l = { 0 };
	size_t off = sim_wl_align8(sizeof(struct sim_wl) + sc->cpus * sizeof(struct sim_wl_cpu));
	size_t slots = 0;

	for (unsigned int c = 0; c < sc->cpus; c++) {
		const struct sim_workload *spec = &sc->scripts[c].workload;

		slots += sim_wl_cap(spec);
		l.churn |= spec->kind == SIM_WORKLOAD_CHURN;
		if (spec->kind == SIM_WORKLOAD_CMA_ALLOC)
			l.cma_pages = (uint32_t)(spec->cma_end - spec->cma_start);
	}
	l.chunks = off;
	off = sim_wl_align8(off + slots * sizeof(struct sim_wl_chunk));
	l.bitmap = off;
	off = sim_wl_align8(off + (l.cma_pages + 7) / 8);
	l.owner = off;
	off = sim_wl_align8(off + (l.churn ? sc->pages * sizeof(uint32_t) : 0));
	l.size = off;
	return l;
}

size_t sim_workload_arena_size(const SimScenario *sc)
{
	return sim_wl_layout(sc).size;
}

static struct sim_wl_chunk *sim_wl_chunks(struct sim_world *w)
{
	return (struct sim_wl_chunk *)(void *)((char *)w->arena + w->wl->chunks_off);
}

static uint32_t *sim_wl_owner(struct sim_world *w)
{
	return (uint32_t *)(void *)((char *)w->arena + w->wl->owner_off);
}

uint8_t *sim_workload_cma_bitmap(struct sim_world *w)
{
	return (uint8_t *)w->arena + w->wl->cma.bitmap_off;
}

void sim_workload_init(struct sim_world *w, size_t off)
{
	struct sim_wl_layout l = sim_wl_layout(w->sc);
	uint32_t base = 0;

	w->wl = (struct sim_wl *)(void *)((char *)w->arena + off);
	w->wl->chunks_off = (uint32_t)(off + l.chunks);
	w->wl->owner_off = (uint32_t)(off + l.owner);
	w->wl->has_owner = l.churn;
	w->wl->cma.bitmap_off = (uint32_t)(off + l.bitmap);
	w->wl->cma.count = l.cma_pages;
	for (unsigned int c = 0; c < w->ncpus; c++) {
		const struct sim_workload *spec = sim_wl_spec(w, c);

		w->wl->cpu[c].base = base;
		/*
		 * cma_alloc, alloc_contig and offline sleep an interval before
		 * each call, the first too; so does reporting
		 * (PAGE_REPORTING_DELAY before the first pass,
		 * page_reporting_register)
		 */
		w->wl->cpu[c].next_due = spec->kind != SIM_WORKLOAD_CHURN ? spec->interval : 0;
		w->wl->cpu[c].cap = sim_wl_cap(spec);
		base += w->wl->cpu[c].cap;
		if (spec->kind == SIM_WORKLOAD_CMA_ALLOC)
			w->wl->cma.base_pfn = (uint32_t)spec->cma_start;
	}
	sim_workload_seed(w, w->sc->seed);
}

/*
 * Each CPU's stream depends on the run's seed and the CPU only: not on the
 * scheduler's draws, so a replayed schedule makes the same calls.
 */
void sim_workload_seed(struct sim_world *w, uint64_t seed)
{
	for (unsigned int c = 0; c < w->ncpus; c++)
		sim_prng_seed(w->wl->cpu[c].rng,
			      seed ^ (0x776f726b6c6f6164ull + 0x9e3779b97f4a7c15ull * c));
}

const struct sim_wl_cpu *sim_workload_cpu(const struct sim_world *w, unsigned int cpu)
{
	return &w->wl->cpu[cpu];
}

const struct sim_wl_chunk *sim_workload_chunks(const struct sim_world *w, unsigned int cpu)
{
	return sim_wl_chunks((struct sim_world *)w) + w->wl->cpu[cpu].base;
}

struct sim_wl_chunk *sim_workload_sgl(struct sim_world *w, unsigned int cpu)
{
	return sim_wl_chunks(w) + w->wl->cpu[cpu].base;
}

bool sim_workload_has_work(const struct sim_world *w, const struct sim_cpu *cpu)
{
	const struct sim_workload *spec = sim_wl_spec(w, cpu->id);
	const struct sim_wl_cpu *wl;

	if (spec->kind == SIM_WORKLOAD_NONE)
		return false;
	wl = &w->wl->cpu[cpu->id];
	if (spec->kind == SIM_WORKLOAD_CHURN)
		return wl->done < spec->ops;
	if (spec->kind == SIM_WORKLOAD_OFFLINE && wl->n_held)
		return sim_wl_chunks((struct sim_world *)w)[wl->base].due != SIM_WL_NEVER;
	if (wl->done < spec->count)
		return true;
	/* cma_alloc, alloc_contig: a chunk still to be released (reporting: none between passes) */
	for (uint32_t i = 0; i < wl->n_held; i++) {
		if (sim_wl_chunks((struct sim_world *)w)[wl->base + i].due != SIM_WL_NEVER)
			return true;
	}
	return false;
}

/* Push the call's frame: the entry's function, or the workload's wrapper of it. */
static void sim_wl_push(struct sim_world *w, struct sim_cpu *cpu, const struct sim_fn *fn,
			struct sim_frame args)
{
	struct sim_frame *f = sim_push(w, cpu);

	*f = args;
	f->fn = fn;
	f->pc = 0;
}

/* Add a chunk to the CPU's held set; churn chunks are entered in the owner map. */
static void sim_wl_hold(struct sim_world *w, struct sim_wl_cpu *wl, uint32_t pfn, uint32_t order,
			uint64_t due, bool churn)
{
	uint32_t slot = wl->base + wl->n_held++;

	sim_wl_chunks(w)[slot] = (struct sim_wl_chunk){ .pfn = pfn, .order = order, .due = due };
	if (churn)
		sim_wl_owner(w)[pfn - w->zone->zone_start_pfn] = slot + 1;
}

/* Take held chunk i out of the set (the last one takes its slot). */
static struct sim_wl_chunk sim_wl_unhold(struct sim_world *w, struct sim_wl_cpu *wl, uint32_t i,
					 bool churn)
{
	struct sim_wl_chunk *chunks = sim_wl_chunks(w) + wl->base;
	struct sim_wl_chunk c = chunks[i];

	chunks[i] = chunks[--wl->n_held];
	if (churn) {
		uint32_t *owner = sim_wl_owner(w);
		unsigned long start = w->zone->zone_start_pfn;

		owner[c.pfn - start] = 0;
		if (i < wl->n_held)
			owner[chunks[i].pfn - start] = wl->base + i + 1;
	}
	return c;
}

/* ---------------------------------------------------------------------- */
/* churn                                                                   */
/* ---------------------------------------------------------------------- */

/* The mix class of a draw in [0, mix_total). */
static const struct sim_churn_class *sim_churn_class(const struct sim_workload *spec, uint64_t r)
{
	for (uint32_t i = 0; i < spec->n_mix; i++) {
		if (r < spec->mix[i].weight)
			return &spec->mix[i];
		r -= spec->mix[i].weight;
	}
	return &spec->mix[spec->n_mix - 1];
}

/*
 * Below the occupancy target, allocate a chunk of a class drawn from the
 * mix; at or above it, free a held chunk drawn uniformly. The held set
 * changes when the call returns (alloc) or here (free: the page is the
 * callee's from now on, as a task's page is once it calls put_page()).
 */
static const struct sim_entry *sim_churn_start(struct sim_world *w, struct sim_cpu *cpu,
					       struct sim_wl_cpu *wl,
					       const struct sim_workload *spec)
{
	wl->done++;
	sim_access_page_wr(w); /* the owner map migration reads */
	if (wl->held_pages >= spec->occupancy) {
		struct sim_wl_chunk c =
			sim_wl_unhold(w, wl, sim_prng_below(wl->rng, wl->n_held), true);

		wl->held_pages -= 1ul << c.order;
		wl->churned += 1ul << c.order;
		wl->call = SIM_WL_FREE;
		sim_wl_push(
			w, cpu, &sim_workload_free_fn,
			(struct sim_frame){ .pfn = c.pfn, .order = (int16_t)c.order, .arg = -1 });
		if (G_UNLIKELY(w->tracing))
			SIM_EV(w, "workload churn: __free_pages(pfn %u, order %u)", c.pfn, c.order);
		return sim_entry_lookup("free_pages");
	} else {
		const struct sim_churn_class *k = sim_churn_class(
			spec, sim_prng_below(wl->rng, (unsigned int)spec->mix_total));
		const struct sim_entry *e = sim_entry_lookup("alloc_pages");

		wl->call = SIM_WL_ALLOC;
		wl->order = k->order;
		sim_wl_push(
			w, cpu, sim_entry_fn(w, e),
			(struct sim_frame){ .order = k->order, .mt = k->migratetype, .arg = -1 });
		if (G_UNLIKELY(w->tracing))
			SIM_EV(w, "workload churn: alloc_pages(order %u, %s)", k->order,
			       migratetype_name(k->migratetype));
		return e;
	}
}

/* ---------------------------------------------------------------------- */
/* cma_alloc                                                               */
/* ---------------------------------------------------------------------- */

/* A held range whose hold time is over, or n_held. */
static uint32_t sim_wl_due(struct sim_world *w, const struct sim_wl_cpu *wl)
{
	const struct sim_wl_chunk *chunks = sim_wl_chunks(w) + wl->base;

	for (uint32_t i = 0; i < wl->n_held; i++) {
		if (chunks[i].due <= sim_wl_clock(w, wl))
			return i;
	}
	return wl->n_held;
}

/*
 * Give back a held range whose hold is over with fn (cma_release(),
 * free_contig_range()), counted under the entry; NULL when none is due.
 */
static const struct sim_entry *sim_wl_release_due(struct sim_world *w, struct sim_cpu *cpu,
						  struct sim_wl_cpu *wl, const struct sim_fn *fn,
						  enum sim_wl_call call, const char *entry)
{
	uint32_t i = sim_wl_due(w, wl);
	struct sim_wl_chunk c;

	if (i == wl->n_held)
		return NULL;
	c = sim_wl_unhold(w, wl, i, false);
	wl->held_pages -= c.order;
	wl->call = call;
	sim_wl_push(w, cpu, fn,
		    (struct sim_frame){ .pfn = c.pfn, .end = c.pfn + c.order, .arg = -1 });
	return sim_entry_lookup(entry);
}

/*
 * Release a range whose hold is over, else start the next cma_alloc() if
 * its interval has passed, else sleep one idle step (the tick advances).
 */
static const struct sim_entry *sim_cma_start(struct sim_world *w, struct sim_cpu *cpu,
					     struct sim_wl_cpu *wl, const struct sim_workload *spec)
{
	const struct sim_entry *e = sim_wl_release_due(w, cpu, wl, &sim_workload_cma_release_fn,
						       SIM_WL_CMA_RELEASE, "cma_release");

	if (e)
		return e;
	if (wl->done < spec->count && sim_wl_clock(w, wl) >= wl->next_due) {
		wl->done++;
		wl->next_due = sim_wl_clock(w, wl) + spec->interval;
		wl->call = SIM_WL_CMA_ALLOC;
		wl->got = -1;
		sim_wl_push(w, cpu, &sim_workload_cma_alloc_fn,
			    (struct sim_frame){ .arg = (int32_t)spec->pages,
						.order = (int16_t)spec->align_order });
		return sim_entry_lookup("cma_alloc");
	}
	wl->tick++;
	if (G_UNLIKELY(w->tracing))
		SIM_EV(w, "workload cma_alloc: idle (tick %llu)", (unsigned long long)wl->tick);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* page_reporting                                                          */
/* ---------------------------------------------------------------------- */

/*
 * Start the next pass once the interval since the last one has passed
 * (the delayed work's PAGE_REPORTING_DELAY), else sleep one idle step.
 */
static const struct sim_entry *sim_report_start(struct sim_world *w, struct sim_cpu *cpu,
						struct sim_wl_cpu *wl,
						const struct sim_workload *spec)
{
	if (wl->done < spec->count && sim_wl_clock(w, wl) >= wl->next_due) {
		wl->done++;
		wl->next_due = sim_wl_clock(w, wl) + spec->interval;
		wl->call = SIM_WL_REPORT;
		sim_wl_push(w, cpu, &sim_workload_page_reporting_fn,
			    (struct sim_frame){ .order = (int16_t)spec->report_order,
						.arg = (int32_t)spec->capacity });
		return sim_entry_lookup("page_reporting");
	}
	wl->tick++;
	if (G_UNLIKELY(w->tracing))
		SIM_EV(w, "workload page_reporting: idle (tick %llu)",
		       (unsigned long long)wl->tick);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* alloc_contig                                                            */
/* ---------------------------------------------------------------------- */

/* The chunk at pfn is one this CPU holds. */
static bool sim_contig_held(struct sim_world *w, const struct sim_wl_cpu *wl, uint32_t pfn)
{
	const struct sim_wl_chunk *chunks = sim_wl_chunks(w) + wl->base;

	for (uint32_t i = 0; i < wl->n_held; i++) {
		if (chunks[i].pfn == pfn)
			return true;
	}
	return false;
}

/*
 * The next aligned chunk of the range, round robin from the cursor, that
 * this CPU does not hold; -1 when it holds them all.
 */
static int64_t sim_contig_next(struct sim_world *w, struct sim_wl_cpu *wl,
			       const struct sim_workload *spec)
{
	uint32_t n = (uint32_t)((spec->end - spec->start) / spec->pages);

	for (uint32_t i = 0; i < n; i++) {
		uint32_t pfn = (uint32_t)spec->start + wl->cursor;

		wl->cursor = (wl->cursor + spec->pages) % (uint32_t)(spec->end - spec->start);
		if (!sim_contig_held(w, wl, pfn))
			return pfn;
	}
	return -1;
}

/*
 * Free a chunk whose hold is over, else start the next alloc_contig_range()
 * if its interval has passed, else sleep one idle step.
 */
static const struct sim_entry *sim_contig_start(struct sim_world *w, struct sim_cpu *cpu,
						struct sim_wl_cpu *wl,
						const struct sim_workload *spec)
{
	const struct sim_entry *released = sim_wl_release_due(
		w, cpu, wl, &sim_workload_free_contig_fn, SIM_WL_CONTIG_FREE, "free_contig_range");
	int64_t pfn;

	if (released)
		return released;
	if (wl->done < spec->count && sim_wl_clock(w, wl) >= wl->next_due &&
	    (pfn = sim_contig_next(w, wl, spec)) >= 0) {
		const struct sim_entry *e = sim_entry_lookup("alloc_contig_range");

		wl->done++;
		wl->next_due = sim_wl_clock(w, wl) + spec->interval;
		wl->call = SIM_WL_CONTIG;
		wl->got = pfn;
		sim_wl_push(w, cpu, sim_entry_fn(w, e),
			    (struct sim_frame){ .pfn = (uint32_t)pfn,
						.end = (uint32_t)pfn + spec->pages,
						.mt = MIGRATE_MOVABLE,
						.arg = -1 });
		return e;
	}
	wl->tick++;
	if (G_UNLIKELY(w->tracing))
		SIM_EV(w, "workload alloc_contig: idle (tick %llu)", (unsigned long long)wl->tick);
	return NULL;
}

void sim_workload_cma_got(struct sim_world *w, struct sim_cpu *cpu, long pfn)
{
	w->wl->cpu[cpu->id].got = pfn;
}

/* ---------------------------------------------------------------------- */
/* offline                                                                 */
/* ---------------------------------------------------------------------- */

/*
 * Online the range once its hold is over, else offline it again if the
 * interval has passed, else sleep one idle step. The range is held (one
 * chunk) from a successful offline_pages() until online_pages() starts.
 */
static const struct sim_entry *sim_offline_start(struct sim_world *w, struct sim_cpu *cpu,
						 struct sim_wl_cpu *wl,
						 const struct sim_workload *spec)
{
	const struct sim_entry *e;

	if (wl->n_held && sim_wl_due(w, wl) == 0) {
		sim_wl_unhold(w, wl, 0, false);
		wl->held_pages = 0;
		wl->call = SIM_WL_ONLINE;
		e = sim_entry_lookup("online_pages");
	} else if (!wl->n_held && wl->done < spec->count && sim_wl_clock(w, wl) >= wl->next_due) {
		wl->done++;
		wl->next_due = sim_wl_clock(w, wl) + spec->interval;
		wl->call = SIM_WL_OFFLINE;
		e = sim_entry_lookup("offline_pages");
	} else {
		wl->tick++;
		if (G_UNLIKELY(w->tracing))
			SIM_EV(w, "workload offline: idle (tick %llu)",
			       (unsigned long long)wl->tick);
		return NULL;
	}
	sim_wl_push(w, cpu, sim_entry_fn(w, e),
		    (struct sim_frame){
			    .pfn = (uint32_t)spec->start, .end = (uint32_t)spec->end, .arg = -1 });
	if (G_UNLIKELY(w->tracing))
		SIM_EV(w, "workload offline: %s(%lu, %lu)", e->name, spec->start, spec->end);
	return e;
}

/* ---------------------------------------------------------------------- */
/* The source of calls                                                     */
/* ---------------------------------------------------------------------- */

const struct sim_entry *sim_workload_start(struct sim_world *w, struct sim_cpu *cpu)
{
	const struct sim_workload *spec = sim_wl_spec(w, cpu->id);
	struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];

	/* the workload's own state: no other CPU reads it */
	switch (spec->kind) {
	case SIM_WORKLOAD_CHURN:
		return sim_churn_start(w, cpu, wl, spec);
	case SIM_WORKLOAD_OFFLINE:
		return sim_offline_start(w, cpu, wl, spec);
	case SIM_WORKLOAD_PAGE_REPORTING:
		return sim_report_start(w, cpu, wl, spec);
	case SIM_WORKLOAD_ALLOC_CONTIG:
		return sim_contig_start(w, cpu, wl, spec);
	default:
		return sim_cma_start(w, cpu, wl, spec);
	}
}

/* The entry point a workload call is counted under. */
static const char *const sim_wl_call_entry[] = {
	[SIM_WL_ALLOC] = "alloc_pages",
	[SIM_WL_FREE] = "free_pages",
	[SIM_WL_CMA_ALLOC] = "cma_alloc",
	[SIM_WL_CMA_RELEASE] = "cma_release",
	[SIM_WL_OFFLINE] = "offline_pages",
	[SIM_WL_ONLINE] = "online_pages",
	[SIM_WL_REPORT] = "page_reporting",
	[SIM_WL_CONTIG] = "alloc_contig_range",
	[SIM_WL_CONTIG_FREE] = "free_contig_range",
};

const struct sim_entry *sim_workload_returned(struct sim_world *w, struct sim_cpu *cpu)
{
	const struct sim_workload *spec = sim_wl_spec(w, cpu->id);
	struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];
	const struct sim_entry *e = sim_entry_lookup(sim_wl_call_entry[wl->call]);

	switch (wl->call) {
	case SIM_WL_ALLOC:
		/* migration may look this page up from the next step on */
		if (cpu->ret >= 0) {
			sim_access_page_wr(w);
			sim_wl_hold(w, wl, (uint32_t)cpu->ret, wl->order, SIM_WL_NEVER, true);
			wl->held_pages += 1ul << wl->order;
			wl->churned += 1ul << wl->order;
		}
		break;
	case SIM_WL_CMA_ALLOC:
		if (wl->got >= 0) {
			sim_wl_hold(w, wl, (uint32_t)wl->got, spec->pages,
				    spec->hold == SIM_HOLD_FOREVER ?
					    SIM_WL_NEVER :
					    sim_wl_clock(w, wl) + spec->hold,
				    false);
			wl->held_pages += spec->pages;
			wl->ok++;
		} else {
			wl->fail++;
		}
		break;
	case SIM_WL_OFFLINE:
		if (cpu->ret == 0) {
			sim_wl_hold(
				w, wl, (uint32_t)spec->start, (uint32_t)(spec->end - spec->start),
				spec->hold == SIM_HOLD_FOREVER ? SIM_WL_NEVER :
								 sim_wl_clock(w, wl) + spec->hold,
				false);
			wl->held_pages = spec->end - spec->start;
			wl->ok++;
		} else {
			wl->fail++;
		}
		break;
	case SIM_WL_CONTIG:
		if (cpu->ret == 0) {
			sim_wl_hold(w, wl, (uint32_t)wl->got, spec->pages,
				    spec->hold == SIM_HOLD_FOREVER ?
					    SIM_WL_NEVER :
					    sim_wl_clock(w, wl) + spec->hold,
				    false);
			wl->held_pages += spec->pages;
			wl->ok++;
		} else {
			wl->fail++;
			wl->busy += cpu->ret == -SIM_WL_EBUSY;
		}
		break;
	default:
		break;
	}
	wl->call = SIM_WL_NONE;
	return e;
}

uint64_t sim_workload_wake(const struct sim_world *w, const struct sim_cpu *cpu)
{
	const struct sim_workload *spec = sim_wl_spec(w, cpu->id);
	const struct sim_wl_cpu *wl = &w->wl->cpu[cpu->id];
	const struct sim_wl_chunk *chunks = sim_wl_chunks((struct sim_world *)w) + wl->base;
	uint64_t wake = wl->done < spec->count ? wl->next_due : UINT64_MAX;

	for (uint32_t i = 0; i < wl->n_held; i++)
		wake = MIN(wake, chunks[i].due);
	return wake;
}

void sim_workload_page_moved(struct sim_world *w, unsigned long from, unsigned long to)
{
	uint32_t *owner, slot;
	unsigned long start = w->zone->zone_start_pfn;

	if (!w->wl->has_owner)
		return;
	owner = sim_wl_owner(w);
	slot = owner[from - start];
	if (!slot)
		return;
	owner[from - start] = 0;
	owner[to - start] = slot;
	sim_wl_chunks(w)[slot - 1].pfn = (uint32_t)to;
}
