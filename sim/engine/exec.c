// SPDX-License-Identifier: GPL-2.0
/*
 * Running a world's CPUs one step at a time.
 *
 * A CPU runs the top frame of its stack until the function reaches a
 * scheduling point (SIM_YIELD), calls another (SIM_CALL: the callee runs in
 * the same step), or returns. When the stack empties, the call of the script
 * is over and the step ends; the next step starts the script's next call.
 *
 * IPIs: smp_call_function_many() queues a function on its targets. A target
 * takes it when the scheduler chooses to deliver it and the target has IRQs
 * enabled; the handler runs on top of whatever the CPU was doing, with IRQs
 * off, and its completion releases the sender's wait.
 *
 * Also here: the primitives the model code uses (spin_lock, local_irq_*,
 * lockdep assertions, BUG, trace events, cost charging).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/exec.h"
#include "engine/probe.h"
#include "engine/step.h"
#include "mm/entry.h"
#include "mm/page_alloc.h"
#include "mm/ops.h"
#include "scenario/scenario.h"
#include "util/prng.h"
#include "workload/workload.h"

/* ---------------------------------------------------------------------- */
/* Primitives for model code                                               */
/* ---------------------------------------------------------------------- */

void sim_bug(struct sim_world *w, const char *func, const char *what)
{
	if (!w->st->ev.bug)
		w->st->ev.bug = what;
	w->st->ev.any = 1;
	SIM_EV(w, "BUG in %s: %s", func, what);
}

struct sim_frame *sim_push(struct sim_world *w, struct sim_cpu *cpu)
{
	if (cpu->sp >= SIM_STACK_DEPTH) {
		/* Model bug: call depth is bounded by the kernel code modeled. */
		sim_bug(w, "sim_push", "kernel stack overflow (model call depth)");
		cpu->sp = SIM_STACK_DEPTH - 1;
	}
	return &cpu->stack[cpu->sp++];
}

void spin_lock(struct sim_world *w, struct sim_spinlock *lock)
{
	struct sim_cpu *cpu = w->cur;

	if (lock->owner == cpu->id)
		sim_bug(w, "spin_lock", "recursive spin_lock (would deadlock)");
	else if (lock->owner >= 0)
		sim_bug(w, "spin_lock", "spin_lock of a held lock without a scheduling point");
	lock->owner = cpu->id;
	sim_access_wr(w, SIM_OBJ_LOCK | SIM_OBJ_INV);
	sim_charge(w, SIM_COST_LOCK);
	if (w->st->lock_released_by >= 0 && w->st->lock_released_by != cpu->id)
		sim_charge(w, SIM_COST_LOCK_HANDOVER);
	if (G_UNLIKELY(w->probe))
		sim_probe_instant(w, "lock", "spin_lock(&zone->lock)");
	SIM_EV(w, "spin_lock(&zone->lock)");
}

void spin_unlock(struct sim_world *w, struct sim_spinlock *lock)
{
	struct sim_cpu *cpu = w->cur;

	if (lock->owner != cpu->id)
		sim_bug(w, "spin_unlock", "unlock of a lock this CPU does not hold");
	lock->owner = -1;
	sim_access_wr(w, SIM_OBJ_LOCK | SIM_OBJ_INV);
	w->st->lock_released_by = cpu->id;
	w->st->lock_free_at = w->st->now + w->info.cost;
	if (G_UNLIKELY(w->probe))
		sim_probe_instant(w, "lock", "spin_unlock(&zone->lock)");
	SIM_EV(w, "spin_unlock(&zone->lock)");
}

/* The static mutexes of mm/page_alloc.c by name, for traces. */
static const char *sim_mutex_name(const struct sim_world *w, const struct sim_mutex *lock)
{
	if (lock == &w->st->pcpu_drain_mutex)
		return "pcpu_drain_mutex";
	if (lock == &w->st->pcp_batch_high_lock)
		return "pcp_batch_high_lock";
	return "mutex";
}

bool mutex_trylock(struct sim_world *w, struct sim_mutex *lock)
{
	sim_access_rd(w, SIM_OBJ_MUTEX);
	if (lock->owner >= 0) {
		SIM_EV(w, "mutex_trylock(&%s) failed: cpu %d holds it", sim_mutex_name(w, lock),
		       lock->owner);
		return false;
	}
	lock->owner = w->cur->id;
	sim_access_wr(w, SIM_OBJ_MUTEX);
	SIM_EV(w, "mutex_trylock(&%s): taken", sim_mutex_name(w, lock));
	return true;
}

void mutex_lock(struct sim_world *w, struct sim_mutex *lock)
{
	struct sim_cpu *cpu = w->cur;

	if (lock->owner == cpu->id)
		sim_bug(w, "mutex_lock", "recursive mutex_lock (would deadlock)");
	else if (lock->owner >= 0)
		sim_bug(w, "mutex_lock", "mutex_lock of a held mutex without a scheduling point");
	lock->owner = cpu->id;
	sim_access_wr(w, SIM_OBJ_MUTEX);
	SIM_EV(w, "mutex_lock(&%s)", sim_mutex_name(w, lock));
}

void mutex_unlock(struct sim_world *w, struct sim_mutex *lock)
{
	if (lock->owner != w->cur->id)
		sim_bug(w, "mutex_unlock", "unlock of a mutex this CPU does not hold");
	lock->owner = -1;
	sim_access_wr(w, SIM_OBJ_MUTEX);
	SIM_EV(w, "mutex_unlock(&%s)", sim_mutex_name(w, lock));
}

void local_irq_save(struct sim_world *w)
{
	w->cur->irqs_disabled++;
}

void local_irq_restore(struct sim_world *w)
{
	if (!w->cur->irqs_disabled)
		sim_bug(w, "local_irq_restore", "IRQs enabled twice");
	else
		w->cur->irqs_disabled--;
}

void sim_lockdep_assert_held(struct sim_world *w, const struct sim_spinlock *lock, const char *func)
{
	if (lock->owner != w->cur->id)
		sim_bug(w, func, "lockdep: zone->lock not held by this CPU");
}

void sim_lockdep_assert_irqs_disabled(struct sim_world *w, const char *func)
{
	if (!w->cur->irqs_disabled)
		sim_bug(w, func, "lockdep: IRQs are enabled");
}

/* The name of level i of the current call chain: a frame of the CPU, or a plain function. */
static const char *sim_chain_name(const struct sim_world *w, int i)
{
	return i < w->cur->sp ? w->cur->stack[i].fn->name : w->info.chain[i];
}

/*
 * The chain got deeper than any before in this step: record it. Levels below
 * deep_valid still hold the names of the current chain, so only the rest is
 * written.
 */
void sim_step_deepest(struct sim_world *w)
{
	struct sim_step_info *info = &w->info;

	info->deepest = MIN(info->depth, SIM_CHAIN_MAX);
	for (int i = info->deep_valid; i < info->deepest; i++)
		info->deep_chain[i] = sim_chain_name(w, i);
	info->deep_valid = info->deepest;
}

void sim_trace_event(struct sim_world *w, const char *fmt, ...)
{
	struct sim_step_info *info = &w->info;
	const char *fn = info->depth > 0 && info->depth <= SIM_CHAIN_MAX ?
				 sim_chain_name(w, info->depth - 1) :
				 "script";
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (!info->events->len) {
		info->event_fn = fn;
		g_string_append(info->events, buf);
	} else {
		g_string_append_printf(info->events, "; %s: %s", fn, buf);
	}
	if (info->n_events < SIM_STEP_EVENTS) {
		info->ev_fn[info->n_events++] = fn;
		g_string_append_len(info->ev_text, buf, (gssize)strlen(buf) + 1);
	}
}

/* The i-th event of the step: its function and text. */
const char *sim_step_event(const struct sim_world *w, int i, const char **fn)
{
	const char *t = w->info.ev_text->str;

	for (int k = 0; k < i; k++)
		t += strlen(t) + 1;
	*fn = w->info.ev_fn[i];
	return t;
}

/* Queue fn on the CPUs of mask (this one too if self): the caller then waits for them. */
static void sim_queue_calls(struct sim_world *w, uint64_t mask, const struct sim_fn *fn, bool self)
{
	struct sim_cpu *cpu = w->cur;

	sim_access_rd(w, SIM_OBJ_CPUMASK);
	cpu->ipi_fn = fn;
	cpu->ipi_waiting = 0;
	cpu->ipi_done_at = 0;
	sim_charge(w, SIM_COST_IPI_SEND);
	for (unsigned int t = 0; t < w->ncpus; t++) {
		struct sim_cpu *target = &w->cpus[t];

		if ((t == cpu->id && !self) || !(mask & (1ull << t)))
			continue;
		target->ipi_pending |= 1ull << cpu->id;
		w->info.acc.ipi |= 1ull << t;
		target->ipi_arrival = w->st->now + w->info.cost + w->costs[SIM_COST_IPI_LATENCY];
		cpu->ipi_waiting |= 1ull << t;
	}
	if (G_UNLIKELY(w->probe))
		sim_probe_instant(w, "ipi", "IPI %s to cpus 0x%llx", fn->name,
				  (unsigned long long)cpu->ipi_waiting);
	if (cpu->ipi_waiting)
		SIM_EV(w, "%s %s to cpus 0x%llx", self ? "queue_work_on" : "IPI", fn->name,
		       (unsigned long long)cpu->ipi_waiting);
	else
		SIM_EV(w, "no other CPU in the mask: no IPI");
}

/* smp_call_function_many(mask, fn, NULL, wait): queue fn on every other CPU of mask. */
void smp_call_function_many(struct sim_world *w, uint64_t mask, const struct sim_fn *fn)
{
	sim_queue_calls(w, mask, fn, false);
}

/*
 * queue_work_on(cpu, wq, work) for every cpu of mask, this CPU included; the
 * caller's flush_work() on each is a SIM_NEXT_IPI_WAIT point. Model: a
 * per-cpu work item is delivered to its CPU like an IPI (a scheduling choice,
 * taken when that CPU can be interrupted, running on top of whatever its task
 * was doing), which is what a kworker preempting the task amounts to on a
 * preemptible kernel; see docs/variants/v5.11.md for what this leaves out.
 */
void sim_queue_work_on_mask(struct sim_world *w, uint64_t mask, const struct sim_fn *fn)
{
	sim_queue_calls(w, mask, fn, true);
}

/* ---------------------------------------------------------------------- */
/* Scripts                                                                 */
/* ---------------------------------------------------------------------- */

#define SIM_CALL_WORKLOAD UINT32_MAX /* cpu->call_pc of a workload's call */

static const struct sim_script *sim_script_of(const struct sim_world *w, const struct sim_cpu *c)
{
	return &w->sc->scripts[c->id];
}

/* Advance past repeat markers until the next call (or the end of the script). */
void sim_exec_script_advance(struct sim_world *w, struct sim_cpu *cpu)
{
	const struct sim_script *s = sim_script_of(w, cpu);

	while (cpu->script_pc < s->n_ops) {
		const struct sim_op *op = &s->ops[cpu->script_pc];

		if (op->kind == SIM_OP_CALL)
			return;
		if (op->kind == SIM_OP_REPEAT) {
			if (op->count == 0) {
				cpu->script_pc = op->other + 1;
				continue;
			}
			cpu->loop_pc[cpu->loop_depth] = cpu->script_pc + 1;
			cpu->loop_left[cpu->loop_depth] = op->count;
			cpu->loop_depth++;
			cpu->script_pc++;
			continue;
		}
		/* SIM_OP_END */
		if (--cpu->loop_left[cpu->loop_depth - 1] > 0) {
			cpu->script_pc = cpu->loop_pc[cpu->loop_depth - 1];
		} else {
			cpu->loop_depth--;
			cpu->script_pc++;
		}
	}
}

static bool sim_cpu_has_work(const struct sim_world *w, const struct sim_cpu *cpu)
{
	return cpu->sp > 0 || cpu->script_pc < w->script_len[cpu->id] ||
	       sim_workload_has_work(w, cpu);
}

/* The call's arguments as the scenario wrote them, for the trace. */
static void sim_trace_call(struct sim_world *w, const struct sim_op *op)
{
	const struct sim_frame *a = &op->args;
	unsigned int args = op->entry->args;
	char buf[160];
	int n = 0;

	if (args & SIM_ARG_PAGE)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s",
			      (const char *)g_ptr_array_index(w->sc->handle_names, a->arg));
	if (args & SIM_ARG_RANGE)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%u-%u", a->pfn, a->end);
	if (args & SIM_ARG_ORDER)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "order %d", a->order);
	if (args & SIM_ARG_MT)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s", n ? ", " : "",
			      migratetype_name(a->mt));
	if ((args & SIM_ARG_AS) && a->arg >= 0)
		snprintf(buf + n, sizeof(buf) - (size_t)n, " as %s",
			 (const char *)g_ptr_array_index(w->sc->handle_names, a->arg));
	else if (!n)
		buf[0] = 0;
	w->info.depth = 0;
	sim_trace_event(w, "call %s(%s)", op->entry->name, buf);
}

/*
 * A call starts or ends: whether every CPU is outside a call is what the
 * stranded check waits for (check/invariants.c), so the step is visible to
 * it, but only while some page is stranded: with none, the check is false
 * in every order of such steps, and a step that strands a page holds
 * zone->lock, which already writes INV.
 */
static void sim_access_call_boundary(struct sim_world *w)
{
	if (w->st->shadow.stranded)
		sim_access_wr(w, SIM_OBJ_INV);
}

/* A call from the CPU's workload once its script is done (or an idle step: nothing pushed). */
static void sim_cpu_start_workload_call(struct sim_world *w, struct sim_cpu *cpu)
{
	cpu->call_pc = SIM_CALL_WORKLOAD;
	if (sim_workload_start(w, cpu))
		sim_access_call_boundary(w); /* the CPU is inside a call now */
}

static void sim_cpu_start_call(struct sim_world *w, struct sim_cpu *cpu)
{
	const struct sim_op *op;
	struct sim_frame *f;

	if (cpu->script_pc >= w->script_len[cpu->id]) {
		sim_cpu_start_workload_call(w, cpu);
		return;
	}
	op = &sim_script_of(w, cpu)->ops[cpu->script_pc];
	f = sim_push(w, cpu);

	cpu->call_pc = cpu->script_pc++;
	sim_access_call_boundary(w); /* the CPU is inside a call now */
	*f = op->args;
	f->fn = sim_entry_fn(w, op->entry);
	f->pc = 0;
	if (G_UNLIKELY(w->tracing))
		sim_trace_call(w, op);
	sim_exec_script_advance(w, cpu);
}

/* ---------------------------------------------------------------------- */
/* Choices                                                                 */
/* ---------------------------------------------------------------------- */

static bool sim_task_enabled(const struct sim_world *w, const struct sim_cpu *cpu)
{
	if (!sim_cpu_has_work(w, cpu))
		return false;
	switch (cpu->next) {
	case SIM_NEXT_LOCK:
		return w->zone->lock.owner < 0;
	case SIM_NEXT_IPI_WAIT:
		return cpu->ipi_waiting == 0;
	case SIM_NEXT_WAIT:
		return *sim_lock_at(w, cpu->wait_lock) < 0;
	default:
		return true;
	}
}

static bool sim_irq_enabled(const struct sim_cpu *cpu)
{
	return cpu->ipi_pending && !cpu->irqs_disabled && !cpu->in_irq;
}

int sim_exec_choices(struct sim_world *w, struct sim_choice *out)
{
	int n = 0;

	for (unsigned int i = 0; i < w->ncpus; i++) {
		const struct sim_cpu *cpu = &w->cpus[i];

		if (sim_task_enabled(w, cpu))
			out[n++] = (struct sim_choice){ .cpu = (uint8_t)i, .irq = 0 };
		if (sim_irq_enabled(cpu))
			out[n++] = (struct sim_choice){ .cpu = (uint8_t)i, .irq = 1 };
	}
	return n;
}

uint64_t sim_exec_start_time(const struct sim_world *w, struct sim_choice c)
{
	const struct sim_cpu *cpu = &w->cpus[c.cpu];
	uint64_t t = cpu->t;

	if (c.irq) {
		t = MAX(t, cpu->ipi_arrival);
	} else if (cpu->next == SIM_NEXT_LOCK) {
		t = MAX(t, w->st->lock_free_at);
	} else if (cpu->next == SIM_NEXT_IPI_WAIT) {
		t = MAX(t, cpu->ipi_done_at);
	}
	return MAX(t, w->st->now);
}

bool sim_exec_done(const struct sim_world *w)
{
	for (unsigned int i = 0; i < w->ncpus; i++) {
		if (sim_cpu_has_work(w, &w->cpus[i]) || w->cpus[i].ipi_pending)
			return false;
	}
	return true;
}

bool sim_exec_quiescent(const struct sim_world *w)
{
	for (unsigned int i = 0; i < w->ncpus; i++) {
		if (w->cpus[i].sp > 0)
			return false;
	}
	return true;
}

const char *sim_exec_current_fn(const struct sim_world *w, int cpu)
{
	const struct sim_cpu *c = &w->cpus[cpu];

	return c->sp ? c->stack[c->sp - 1].fn->name : NULL;
}

/* ---------------------------------------------------------------------- */
/* Steps                                                                   */
/* ---------------------------------------------------------------------- */

static void sim_irq_exit(struct sim_world *w, struct sim_cpu *cpu)
{
	struct sim_cpu *sender = &w->cpus[cpu->irq_from];

	sender->ipi_waiting &= ~(1ull << cpu->id);
	w->info.acc.ipi |= 1ull << sender->id;
	sender->ipi_done_at = MAX(sender->ipi_done_at, w->st->now + w->info.cost);
	cpu->in_irq = 0;
	cpu->irqs_disabled--;
	cpu->next = cpu->irq_saved_next;
}

/*
 * Entering or leaving the variant's start_isolate_page_range(): until it
 * returns, a design may leave free pages of the blocks it marked on normal
 * lists (marking and moving in separate lock holds, with a drain between).
 * The isolation invariant waits for no CPU to be inside it; the step is
 * visible to it while some page is misplaced.
 */
static void sim_isolating(struct sim_world *w, struct sim_cpu *cpu, const struct sim_frame *f,
			  int delta)
{
	if (f->fn != w->ops->start_isolate_page_range)
		return;
	cpu->isolating += delta;
	w->st->isolating += delta;
	if (w->st->shadow.misplaced)
		sim_access_wr(w, SIM_OBJ_INV);
}

/* The call of the script (or workload) returned: count it. */
static void sim_cpu_call_done(struct sim_world *w, struct sim_cpu *cpu)
{
	const struct sim_entry *e;

	w->info.depth = 0;
	sim_access_call_boundary(w); /* the call is over */
	if (cpu->call_pc == SIM_CALL_WORKLOAD) {
		e = sim_workload_returned(w, cpu);
	} else {
		e = sim_script_of(w, cpu)->ops[cpu->call_pc].entry;
	}
	w->st->entry_calls[sim_entry_index(e)]++;
	w->st->entry_ok[sim_entry_index(e)] += cpu->ret == 0;
	w->st->entry_retries[sim_entry_index(e)] += cpu->retries;
	cpu->retries = 0;
	if (e->returns)
		SIM_EV(w, "%s returns %ld", e->name, cpu->ret);
	cpu->next = SIM_NEXT_ENTRY;
}

/* Run the CPU's frames until a scheduling point or the end of a call. */
static void sim_cpu_run(struct sim_world *w, struct sim_cpu *cpu)
{
	struct sim_step_info *info = &w->info;

	for (;;) {
		struct sim_frame *f = &cpu->stack[cpu->sp - 1];
		enum sim_ret r;

		/* The call chain, for traces and reports: recorded when it gets deeper. */
		info->depth = cpu->sp;
		if (info->depth > info->deepest)
			sim_step_deepest(w);
		if (G_UNLIKELY(w->probe) && f->pc == 0)
			sim_probe_enter(w, f->fn->name);
		if (f->pc == 0)
			sim_isolating(w, cpu, f, 1);
		r = f->fn->step(w, cpu, f);
		if (r == SIM_YIELD || w->st->ev.bug)
			return;
		if (r == SIM_CALL)
			continue;
		/* SIM_RETURN */
		if (G_UNLIKELY(w->probe))
			sim_probe_leave(w);
		sim_isolating(w, cpu, f, -1);
		cpu->sp--;
		info->deep_valid = MIN(info->deep_valid, cpu->sp);
		if (cpu->in_irq && cpu->sp == cpu->irq_sp) {
			sim_irq_exit(w, cpu);
			return;
		}
		if (cpu->sp == 0) {
			sim_cpu_call_done(w, cpu);
			return;
		}
	}
}

static void sim_irq_enter(struct sim_world *w, struct sim_cpu *cpu)
{
	int from = __builtin_ctzll(cpu->ipi_pending);

	cpu->ipi_pending &= ~(1ull << from);
	w->info.acc.ipi |= 1ull << cpu->id;
	cpu->irq_from = (uint8_t)from;
	cpu->irq_saved_next = cpu->next;
	cpu->in_irq = 1;
	cpu->irq_sp = cpu->sp;
	cpu->irqs_disabled++;
	sim_charge(w, SIM_COST_IRQ_ENTRY);
	*sim_push(w, cpu) = (struct sim_frame){ .fn = w->cpus[from].ipi_fn };
	w->info.depth = cpu->sp;
	if (G_UNLIKELY(w->probe))
		sim_probe_instant(w, "ipi", "IPI from cpu %d taken", from);
	SIM_EV(w, "IPI from cpu %d", from);
}

/* The step's cost, varied by up to +-jitter (timed strategy only). */
static uint64_t sim_step_cost(struct sim_world *w, uint64_t cost)
{
	double u;

	if (w->jitter <= 0)
		return cost;
	u = sim_prng_unit(w->st->rng);
	return (uint64_t)((double)cost * (1.0 + w->jitter * (2.0 * u - 1.0)) + 0.5);
}

void sim_exec_step(struct sim_world *w, struct sim_choice c, uint64_t start)
{
	struct sim_cpu *cpu = &w->cpus[c.cpu];
	struct sim_step_info *info = &w->info;

	w->cur = cpu;
	w->st->now = start;
	info->cpu = c.cpu;
	info->irq = c.irq;
	info->depth = 0;
	info->deepest = 0;
	info->deep_valid = 0;
	info->cost = 0;
	info->acc = (struct sim_access){ .cpu = c.cpu };
	if (!c.irq && cpu->next == SIM_NEXT_IPI_WAIT)
		info->acc.ipi |= 1ull << cpu->id; /* the completion it waited for */
	info->event_fn = NULL;
	if (G_UNLIKELY(w->tracing)) {
		g_string_truncate(info->events, 0);
		g_string_truncate(info->ev_text, 0);
		info->n_events = 0;
	}
	sim_charge(w, SIM_COST_STEP);

	if (c.irq) {
		sim_irq_enter(w, cpu);
	} else {
		cpu->next = SIM_NEXT_RUN;
		if (cpu->sp == 0)
			sim_cpu_start_call(w, cpu);
	}
	if (cpu->sp > 0) {
		sim_cpu_run(w, cpu);
		cpu->t = start + sim_step_cost(w, info->cost);
		return;
	}
	/* an idle step of a workload (or an IPI that found nothing) */
	cpu->t = start + sim_step_cost(w, info->cost);
	if (w->timed && !c.irq) {
		uint64_t wake = sim_workload_wake(w, cpu);

		/* timed: the CPU sleeps until its next call or release is due */
		if (wake != UINT64_MAX && wake > cpu->t)
			cpu->t = wake;
	}
}
