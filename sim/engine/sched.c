// SPDX-License-Identifier: GPL-2.0
/* The scheduling strategies (see engine/sched.h). */
#include <math.h>

#include "engine/sched.h"
#include "util/error.h"
#include "util/prng.h"

/*
 * PCT's set-up: a random permutation of the priorities d..d+n-1 over the n
 * processes (higher runs first), and d-1 change points uniform in [1, k].
 */
static void sim_sched_pct_init(struct sim_sched *s, const struct sim_pct_opts *pct,
			       unsigned int ncpus)
{
	unsigned int n = 2 * ncpus;

	for (unsigned int p = 0; p < n; p++)
		s->prio[p] = pct->depth + p;
	for (unsigned int p = n - 1; p > 0; p--) {
		unsigned int q = sim_prng_below(s->rng, p + 1), t = s->prio[p];

		s->prio[p] = s->prio[q];
		s->prio[q] = t;
	}
	s->n_change = pct->depth - 1;
	for (unsigned int i = 0; i < s->n_change; i++)
		s->change[i] = 1 + sim_prng_below(s->rng, (unsigned int)MIN(pct->steps, G_MAXUINT));
}

void sim_sched_init(struct sim_sched *s, enum sim_strategy_kind kind, uint64_t seed,
		    const struct sim_schedule *replay, const struct sim_pct_opts *pct,
		    unsigned int ncpus)
{
	*s = (struct sim_sched){ .kind = kind, .last_cpu = -1, .replay = replay };
	sim_prng_seed(s->rng, seed);
	if (kind == SIM_STRATEGY_PCT)
		sim_sched_pct_init(s, pct, ncpus);
}

double sim_pct_bound(unsigned int ncpus, const struct sim_pct_opts *pct)
{
	return 1.0 / (2.0 * ncpus * pow((double)MAX(pct->steps, 1), pct->depth - 1.0));
}

/* The enabled process of highest priority runs; at change point i it drops to priority i. */
static int sim_sched_pct(struct sim_sched *s, const struct sim_choice *ch, int n)
{
	int best = 0;

	for (int i = 1; i < n; i++) {
		if (s->prio[ch[i].cpu * 2 + ch[i].irq] > s->prio[ch[best].cpu * 2 + ch[best].irq])
			best = i;
	}
	s->step++;
	for (unsigned int i = 0; i < s->n_change; i++) {
		if (s->change[i] == s->step)
			s->prio[ch[best].cpu * 2 + ch[best].irq] = i + 1;
	}
	return best;
}

static int sim_sched_rr(struct sim_sched *s, struct sim_world *w, const struct sim_choice *ch,
			int n)
{
	int best = -1;

	/* The first CPU after the last one that has a choice; its IPI before its task. */
	for (unsigned int k = 1; k <= w->ncpus && best < 0; k++) {
		unsigned int cpu = (unsigned int)(s->last_cpu + (int)k) % w->ncpus;

		for (int i = 0; i < n; i++) {
			if (ch[i].cpu == cpu && (best < 0 || ch[i].irq))
				best = i;
		}
	}
	s->last_cpu = ch[best].cpu;
	return best;
}

static int sim_sched_timed(struct sim_world *w, const struct sim_choice *ch, int n)
{
	uint64_t best_t = UINT64_MAX;
	int best = 0;

	for (int i = 0; i < n; i++) {
		uint64_t t = sim_exec_start_time(w, ch[i]);

		/* ties: lower CPU first (choices come sorted), an IPI before the task */
		if (t < best_t || (t == best_t && ch[i].cpu == ch[best].cpu && ch[i].irq)) {
			best_t = t;
			best = i;
		}
	}
	return best;
}

/* Why a replayed choice cannot run, for the error message. */
static const char *sim_sched_why_not(struct sim_world *w, struct sim_choice c)
{
	const struct sim_cpu *cpu = &w->cpus[c.cpu];

	if (c.irq)
		return !cpu->ipi_pending ? "it has no IPI pending" :
		       cpu->in_irq	 ? "it is already in an IPI handler" :
					   "its IRQs are disabled";
	if (!cpu->sp && cpu->script_pc >= w->sc->scripts[c.cpu].n_ops)
		return "its script is finished";
	if (cpu->next == SIM_NEXT_LOCK)
		return "it is spinning on zone->lock";
	if (cpu->next == SIM_NEXT_IPI_WAIT)
		return "it is waiting for IPI handlers to complete";
	if (cpu->next == SIM_NEXT_WAIT)
		return "it is waiting for a lock other than zone->lock (a mutex, a pcp->lock)";
	return "it cannot run";
}

static int sim_sched_replay(struct sim_sched *s, struct sim_world *w, const struct sim_choice *ch,
			    int n, GError **error)
{
	struct sim_choice want;
	GString *runnable;
	char *where;

	if (s->pos >= s->replay->n) {
		s->replay_ended = true;
		return sim_sched_rr(s, w, ch, n);
	}
	want = s->replay->c[s->pos++];
	for (int i = 0; i < n; i++) {
		if (ch[i].cpu == want.cpu && ch[i].irq == want.irq) {
			s->last_cpu = want.cpu;
			return i;
		}
	}
	runnable = g_string_new(NULL);
	for (int i = 0; i < n; i++)
		g_string_append_printf(runnable, "%s%u%s", i ? ", " : "", ch[i].cpu,
				       ch[i].irq ? "!" : "");
	where = sim_schedule_where(s->replay, s->pos - 1);
	g_set_error(error, SIM_ERROR, SIM_ERROR_REPLAY,
		    "%s%sstep %zu of the schedule names CPU %u%s, which cannot run: %s "
		    "(runnable: %s)",
		    where ? where : "", where ? ": " : "", s->pos, want.cpu, want.irq ? "!" : "",
		    sim_sched_why_not(w, want), runnable->len ? runnable->str : "none");
	g_string_free(runnable, TRUE);
	g_free(where);
	return -1;
}

int sim_sched_choose(struct sim_sched *s, struct sim_world *w, const struct sim_choice *ch, int n,
		     GError **error)
{
	switch (s->kind) {
	case SIM_STRATEGY_RR:
		return sim_sched_rr(s, w, ch, n);
	case SIM_STRATEGY_RANDOM:
		return (int)sim_prng_below(s->rng, (unsigned int)n);
	case SIM_STRATEGY_TIMED:
		return sim_sched_timed(w, ch, n);
	case SIM_STRATEGY_PCT:
		return sim_sched_pct(s, ch, n);
	case SIM_STRATEGY_REPLAY:
	default:
		return sim_sched_replay(s, w, ch, n, error);
	}
}
