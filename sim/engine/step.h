/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a kernel function is written as a step machine.
 *
 * A function the scheduler may interrupt is a C function over an explicit
 * frame (struct sim_frame) whose body is a switch on the frame's resume point,
 * in the style of protothreads:
 *
 *	SIM_BEGIN(f);
 *	...local work...
 *	SIM_POINT(w, cpu, f, SIM_NEXT_LOCK);	-- the step ends; another CPU may run
 *	spin_lock(w, &zone->lock);
 *	...
 *	SIM_END(f);
 *
 * C locals do not survive a SIM_POINT or SIM_CALL; what must survive lives in
 * the frame's arguments or in a struct of locals (SIM_LOCALS). Plain C
 * functions (e.g. __free_one_page) run atomically inside one step; they are
 * only ever called with zone->lock held or IRQs off, where no other CPU can
 * observe their intermediate state.
 *
 * Why step machines and not coroutines: see docs/architecture.md ("CPUs").
 */
#ifndef SIM_ENGINE_STEP_H
#define SIM_ENGINE_STEP_H

#include "engine/cost.h"
#include "engine/probe.h"
#include "engine/world.h"

#define SIM_BEGIN(f)       \
	switch ((f)->pc) { \
	case 0:;
#define SIM_END(f) \
	}          \
	return SIM_RETURN

/* The frame's locals, seen as a struct of the function's own. */
#define SIM_LOCALS(f, type)                                         \
	({                                                          \
		_Static_assert(sizeof(type) <= sizeof((f)->locals), \
			       #type " exceeds frame locals");      \
		(type *)(void *)(f)->locals;                        \
	})

/*
 * A scheduling point: the current step ends and the CPU's next step starts
 * here with an action of kind `kind` (enum sim_next), which decides whether
 * the CPU is runnable (a CPU about to take a held lock is not).
 */
#define SIM_POINT(w, cpu, f, kind)    \
	do {                          \
		(cpu)->next = (kind); \
		(f)->pc = __LINE__;   \
		return SIM_YIELD;     \
	case __LINE__:;               \
	} while (0)

/*
 * Call a step-machine function with the given frame arguments
 * (.pfn, .end, .order, .mt, .arg); execution continues here after it
 * returns, with its result in cpu->ret. A call is not a scheduling point.
 */
#define SIM_CALL(w, cpu, f, callee, ...)                                                   \
	do {                                                                               \
		*sim_push((w), (cpu)) = (struct sim_frame){ .fn = (callee), __VA_ARGS__ }; \
		(f)->pc = __LINE__;                                                        \
		return SIM_CALL;                                                           \
	case __LINE__:;                                                                    \
	} while (0)

#define SIM_RETURN_VAL(cpu, val)    \
	do {                        \
		(cpu)->ret = (val); \
		return SIM_RETURN;  \
	} while (0)

/*
 * A read of shared state made without zone->lock (READ_ONCE in spirit): a
 * scheduling point, then the read. Every racy read of the model goes through
 * here, so the scheduler can place any other CPU's steps before or after it.
 */
#define SIM_RACY_READ(w, cpu, f, dst, expr)          \
	do {                                         \
		SIM_POINT(w, cpu, f, SIM_NEXT_READ); \
		sim_charge((w), SIM_COST_READ);      \
		(dst) = (expr);                      \
	} while (0)

/* spin_lock(&zone->lock): a point at which the CPU may have to spin, then the lock. */
#define SIM_SPIN_LOCK(w, cpu, f, lock)               \
	do {                                         \
		SIM_POINT(w, cpu, f, SIM_NEXT_LOCK); \
		spin_lock((w), (lock));              \
	} while (0)

/*
 * Waiting for a lock other than zone->lock (a mutex, v6.10's pcp->lock; any
 * struct with an `int owner`, -1 when free): a scheduling point at which the
 * CPU can run only once the lock is free. The caller then takes it and
 * records which shared object the lock stands for in the step's footprint
 * (engine/access.h): mutex_lock() does both for a mutex. The CPU's IRQ state
 * is the caller's: a CPU waiting with IRQs on still takes IPIs and work items.
 */
#define SIM_WAIT_LOCK(w, cpu, f, lock)                                \
	do {                                                          \
		(cpu)->wait_lock = sim_lock_off((w), &(lock)->owner); \
		SIM_POINT(w, cpu, f, SIM_NEXT_WAIT);                  \
	} while (0)

/*
 * mutex_lock(lock): a point at which the task may have to sleep until the
 * mutex is free (SIM_WAIT_LOCK), then the mutex. A sleeping CPU still takes
 * IPIs and runs work items.
 */
#define SIM_MUTEX_LOCK(w, cpu, f, lock)         \
	do {                                    \
		SIM_WAIT_LOCK(w, cpu, f, lock); \
		mutex_lock((w), (lock));        \
	} while (0)

/* spin_lock_irqsave(): IRQs go off first, so a CPU spinning for the lock takes no IPI. */
#define SIM_SPIN_LOCK_IRQSAVE(w, cpu, f, lock)  \
	do {                                    \
		local_irq_save(w);              \
		SIM_SPIN_LOCK(w, cpu, f, lock); \
	} while (0)

#define spin_unlock_irqrestore(w, lock)   \
	do {                              \
		spin_unlock((w), (lock)); \
		local_irq_restore(w);     \
	} while (0)

/* The descriptor of a step machine: `name##_fn` in a variant's file. */
#define SIM_DEFINE_FN(name) static const struct sim_fn name##_fn = { #name, name }
/* The baseline's descriptors are shared: `sim_base_##name` (mm/page_alloc.h). */
#define SIM_DEFINE_BASE_FN(name) const struct sim_fn sim_base_##name = { #name, name }

struct sim_frame *sim_push(struct sim_world *w, struct sim_cpu *cpu);

/* spin_lock()/spin_unlock() of zone->lock; spin_lock must follow a SIM_NEXT_LOCK point. */
void spin_lock(struct sim_world *w, struct sim_spinlock *lock);
void spin_unlock(struct sim_world *w, struct sim_spinlock *lock);
/* mutex_lock must follow a SIM_NEXT_WAIT point (SIM_MUTEX_LOCK); trylock never sleeps. */
void mutex_lock(struct sim_world *w, struct sim_mutex *lock);
bool mutex_trylock(struct sim_world *w, struct sim_mutex *lock);
void mutex_unlock(struct sim_world *w, struct sim_mutex *lock);
void local_irq_save(struct sim_world *w);
void local_irq_restore(struct sim_world *w);

/* lockdep_assert_held() against the simulated CPU that runs the code. */
#define lockdep_assert_held(w, lock) sim_lockdep_assert_held((w), (lock), __func__)
void sim_lockdep_assert_held(struct sim_world *w, const struct sim_spinlock *lock,
			     const char *func);
#define lockdep_assert_irqs_disabled(w) sim_lockdep_assert_irqs_disabled((w), __func__)
void sim_lockdep_assert_irqs_disabled(struct sim_world *w, const char *func);

/*
 * BUG_ON()/VM_BUG_ON(): the simulated kernel hit a BUG. Reported as a finding
 * named "bug" and the run stops; it never crashes mmsim.
 */
#define VM_BUG_ON(w, cond)                             \
	do {                                           \
		if (G_UNLIKELY(cond))                  \
			sim_bug((w), __func__, #cond); \
	} while (0)
void sim_bug(struct sim_world *w, const char *func, const char *what);

void sim_step_deepest(struct sim_world *w);

/* Plain (atomic) model functions name themselves for traces and reports. */
static inline void sim_enter(struct sim_world *w, const char *name)
{
	struct sim_step_info *info = &w->info;

	if (info->depth < SIM_CHAIN_MAX)
		info->chain[info->depth] = name;
	info->depth++;
	if (info->depth > info->deepest)
		sim_step_deepest(w);
	if (G_UNLIKELY(w->probe))
		sim_probe_enter(w, name);
}

static inline void sim_leave(struct sim_world *w)
{
	w->info.depth--;
	w->info.deep_valid = MIN(w->info.deep_valid, w->info.depth);
	if (G_UNLIKELY(w->probe))
		sim_probe_leave(w);
}

/* Trace text for the current step; free when tracing is off. */
#define SIM_EV(w, ...)                                     \
	do {                                               \
		if (G_UNLIKELY((w)->tracing))              \
			sim_trace_event((w), __VA_ARGS__); \
	} while (0)
void sim_trace_event(struct sim_world *w, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* The i-th trace event of the current step; its function in *fn. */
const char *sim_step_event(const struct sim_world *w, int i, const char **fn);

#endif /* SIM_ENGINE_STEP_H */
