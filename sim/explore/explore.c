// SPDX-License-Identifier: GPL-2.0
/*
 * The explorer (see explore.h): a depth-first search over the choices of the
 * engine, one node per state of the current path.
 *
 * DPOR here is the algorithm of Flanagan and Godefroid with races detected
 * between the transitions of the current execution as they run: when the
 * transition at depth d (process p) is dependent with an earlier one at
 * depth i of another process, and i does not already happen before p's
 * previous transition (vector clocks), then p is added to the backtrack set
 * of node i (or, when p was not enabled there, every process enabled there).
 * Executions always run to their end, so every transition of the path is
 * checked against every earlier one. Sleep sets carry the processes whose
 * next transition was already explored from an equivalent state.
 */
#include <string.h>

#include "engine/exec.h"
#include "explore/explore.h"
#include "mm/page.h"
#include "util/error.h"
#include "util/interrupt.h"

#define SIM_PROC_MAX 64 /* 2 per CPU: explore handles up to 32 CPUs */

struct sim_node {
	uint64_t enabled, backtrack, done, sleep;
	int proc;		   /* the process taken from here, -1 */
	struct sim_access acc;	   /* its transition's footprint */
	int preemptions;	   /* on the path up to here */
	int last_cpu;		   /* the CPU of the previous transition, -1 */
	bool irqs_off;		   /* its CPU had IRQs off (or was in an IRQ) when it started */
	struct sim_access *acc_of; /* [nproc]: footprints of done and sleeping processes */
	uint32_t *vc;		   /* [nproc]: vector clock of the transition taken */
	void *snapshot;		   /* the arena at this node, or NULL */
};

struct sim_explorer {
	SimWorld *w;
	const struct sim_explore_opts *o;
	struct sim_explore_result *r;
	int nproc;
	struct sim_node *nodes; /* [max_steps + 1] */
	uint64_t depth_cap;
	uint64_t full_levels;	 /* a snapshot at every level below this ... */
	uint64_t snap_every;	 /* ... and at every snap_every-th level above */
	uint64_t nodes_used;	 /* nodes below this may own memory */
	struct sim_choice *path; /* the choices of the current path */
	uint32_t *broke;	 /* [depth]: what the path broke before node d */
	uint32_t described;	 /* findings whose first violation is recorded */
	GHashTable *signatures;	 /* "finding function drift": distinct violations */
	uint64_t best;		 /* shortest mode: steps of the best violation so far */
	uint64_t prefix_len;
	int64_t world_at; /* the node whose state the world holds, -1 */
	bool dpor;	  /* reduce: asked for, and the search is not bounded */
	bool stop;
};

static int sim_proc(struct sim_choice c)
{
	return c.cpu * 2 + c.irq;
}

static struct sim_choice sim_choice_of(int p)
{
	return (struct sim_choice){ .cpu = (uint8_t)(p / 2), .irq = (uint8_t)(p % 2) };
}

/* ---------------------------------------------------------------------- */
/* States: snapshots and re-execution                                      */
/* ---------------------------------------------------------------------- */

static struct sim_node *sim_node_at(struct sim_explorer *x, uint64_t d)
{
	struct sim_node *n = &x->nodes[d];

	x->nodes_used = MAX(x->nodes_used, d + 1);
	if (!n->acc_of) {
		n->acc_of = g_new0(struct sim_access, x->nproc);
		n->vc = g_new0(uint32_t, x->nproc);
	}
	return n;
}

/* Execute one choice and check it; returns the breaches. */
static int sim_explore_exec(struct sim_explorer *x, struct sim_choice c, struct sim_breach *b)
{
	SimWorld *w = x->w;

	sim_exec_step(w, c, sim_exec_start_time(w, c));
	x->r->steps++;
	return sim_check_step(w, x->o->check | SIM_FINDINGS_ALWAYS,
			      x->o->shortest ? ~0u : ~x->described, b);
}

static bool sim_explore_snapshot_level(const struct sim_explorer *x, uint64_t d)
{
	return d < x->full_levels || d % x->snap_every == 0;
}

/* Put the world in the state of node d of the current path. */
static void sim_explore_restore(struct sim_explorer *x, uint64_t d)
{
	uint64_t base = d;
	struct sim_breach b[SIM_N_FINDINGS];

	if (x->world_at == (int64_t)d)
		return;
	while (!sim_explore_snapshot_level(x, base) || !x->nodes[base].snapshot)
		base--;
	memcpy(x->w->arena, x->nodes[base].snapshot, x->w->arena_size);
	for (uint64_t i = base; i < d; i++)
		sim_explore_exec(x, x->path[i], b);
	x->world_at = (int64_t)d;
}

static void sim_explore_save(struct sim_explorer *x, uint64_t d)
{
	struct sim_node *n = &x->nodes[d];

	if (!sim_explore_snapshot_level(x, d))
		return;
	if (!n->snapshot)
		n->snapshot = g_malloc(x->w->arena_size);
	memcpy(n->snapshot, x->w->arena, x->w->arena_size);
}

/* ---------------------------------------------------------------------- */
/* Findings                                                                */
/* ---------------------------------------------------------------------- */

static void sim_explore_record(struct sim_explorer *x, const struct sim_breach *b, uint64_t depth,
			       int preemptions)
{
	struct sim_explore_found *f = &x->r->first[b->finding];
	const struct sim_step_info *info = &x->w->info;
	struct sim_schedule s = { .c = x->path, .n = depth + 1 };
	g_autofree char *sig = NULL;
	long drift = sim_world_drift(x->w);

	sig = g_strdup_printf("%d %s %ld", b->finding,
			      info->deepest ? info->deep_chain[info->deepest - 1] : "-", drift);
	if (!g_hash_table_contains(x->signatures, sig)) {
		g_hash_table_add(x->signatures, g_steal_pointer(&sig));
		x->r->distinct[b->finding]++;
	}
	if ((x->described & SIM_F(b->finding)) &&
	    !(x->o->shortest && depth + 1 < x->r->first[b->finding].v.step))
		return;
	g_free(f->schedule);
	x->described |= SIM_F(b->finding);
	x->r->broken |= SIM_F(b->finding);
	f->v.finding = b->finding;
	f->v.step = depth + 1;
	f->v.time = x->w->st->now;
	f->v.cpu = info->cpu;
	f->v.irq = info->irq;
	g_strlcpy(f->v.function, info->deepest ? info->deep_chain[info->deepest - 1] : "-",
		  sizeof(f->v.function));
	f->v.chain[0] = 0;
	for (int i = 0; i < info->deepest; i++)
		g_strlcat(f->v.chain, i ? " > " : "", sizeof(f->v.chain)),
			g_strlcat(f->v.chain, info->deep_chain[i], sizeof(f->v.chain));
	g_strlcpy(f->v.message, b->message, sizeof(f->v.message));
	f->v.nr_free_pages = zone_page_state(x->w->zone, NR_FREE_PAGES);
	f->v.truth = sim_world_truth(x->w);
	f->v.drift = drift;
	f->schedule = sim_schedule_format(&s, s.n);
	f->preemptions = preemptions;
	f->execution = x->r->executions;
}

/* The findings the search looks for. */
static uint32_t sim_explore_target(const struct sim_explorer *x)
{
	return x->o->target ? x->o->target : (x->o->check | SIM_FINDINGS_ALWAYS);
}

/* ---------------------------------------------------------------------- */
/* Races (DPOR)                                                            */
/* ---------------------------------------------------------------------- */

/* The vector clock of the transition at depth d (process p), and its races. */
static void sim_explore_races(struct sim_explorer *x, uint64_t d, int p)
{
	struct sim_node *n = &x->nodes[d];
	int64_t last_p = -1;

	memset(n->vc, 0, sizeof(uint32_t) * x->nproc);
	for (int64_t i = (int64_t)d - 1; i >= 0; i--) {
		struct sim_node *m = &x->nodes[i];

		if (m->proc == p && last_p < 0)
			last_p = i;
		if (m->proc != p && !sim_access_conflict(&m->acc, &n->acc))
			continue;
		for (int q = 0; q < x->nproc; q++)
			n->vc[q] = MAX(n->vc[q], m->vc[q]);
	}
	n->vc[p] = (uint32_t)d + 1;
	x->r->work += d; /* the loops above and below look at up to d transitions each */
	/* the last transition racing with this one: dependent, another process, not before p */
	for (int64_t i = (int64_t)d - 1; i >= 0; i--) {
		struct sim_node *m = &x->nodes[i];
		uint32_t before = last_p >= 0 ? x->nodes[last_p].vc[m->proc] : 0;

		if (m->proc == p || !sim_access_conflict(&m->acc, &n->acc) ||
		    before >= (uint32_t)i + 1)
			continue;
		/*
		 * Not co-enabled: p takes an IPI on the CPU whose task ran i with
		 * IRQs off. Whether IRQs are off depends only on where that task
		 * is, so no order runs p just before i; the race is with an
		 * earlier transition of that task (Flanagan and Godefroid's "may
		 * be co-enabled").
		 */
		if ((p & 1) && m->proc == (p & ~1) && m->irqs_off)
			continue;
		if ((uint64_t)i < x->prefix_len)
			break; /* the prefix is followed, not explored */
		if (m->enabled & (1ull << p)) {
			m->backtrack |= 1ull << p;
			break;
		}
		/*
		 * Not co-enabled either: the step that made p enabled (released
		 * zone->lock or a mutex p waited for, sent the IPI p delivers,
		 * completed the IPIs p waited for). Pass over it.
		 */
		if (x->nodes[i + 1].enabled & (1ull << p))
			continue;
		/*
		 * p was disabled here for another reason, not known never to be
		 * co-enabled with i: every process enabled here, and the search
		 * goes on back to where p was enabled (a superset of Flanagan
		 * and Godefroid's choice, which needs the exact co-enabled
		 * relation to stop at this step). Stopping here lost, on Joonsoo
		 * Kim's v2, the order of two isolations' mutex holds and moves.
		 */
		m->backtrack |= m->enabled;
	}
}

/* ---------------------------------------------------------------------- */
/* The search                                                              */
/* ---------------------------------------------------------------------- */

static uint64_t sim_explore_enabled(struct sim_explorer *x, struct sim_node *n)
{
	struct sim_choice ch[2 * SIM_NR_CPUS_LIMIT];
	int k = sim_exec_choices(x->w, ch);
	uint64_t mask = 0;

	for (int i = 0; i < k; i++)
		mask |= 1ull << sim_proc(ch[i]);
	n->enabled = mask;
	return mask;
}

/* Would taking p from node n be a preemption? (the last CPU could have gone on) */
static bool sim_explore_preempts(const struct sim_node *n, int p)
{
	return n->last_cpu >= 0 && (n->enabled & (1ull << (n->last_cpu * 2))) &&
	       p != n->last_cpu * 2;
}

/* The end of an execution at node d: all done, a deadlock, or the step limit. */
static void sim_explore_leaf(struct sim_explorer *x, uint64_t d, bool cut)
{
	struct sim_breach b[SIM_N_FINDINGS];
	uint32_t broke = x->broke[d];
	int nb = 0;

	if (cut)
		x->r->cut++;
	else if (!sim_exec_done(x->w))
		b[nb++] = (struct sim_breach){ .finding = SIM_DEADLOCK,
					       .message =
						       "no CPU can run but not every CPU is done" };
	else
		nb = sim_check_final(x->w, x->o->check, b);
	if (x->o->final_states && !cut) {
		uint64_t *h = g_new(uint64_t, 1);

		*h = sim_world_state_hash(x->w);
		g_hash_table_add(x->o->final_states, h);
	}
	for (int k = 0; k < nb; k++) {
		broke |= SIM_F(b[k].finding);
		sim_explore_record(x, &b[k], d ? d - 1 : 0, x->nodes[d].preemptions);
	}
	for (int f = 0; f < SIM_N_FINDINGS; f++)
		x->r->violating_executions[f] += (broke >> f) & 1;
	x->r->executions++;
	x->r->max_depth = MAX(x->r->max_depth, d);
	if (x->o->stop_on_clean && !cut && !(broke & sim_explore_target(x)))
		x->r->found_clean = x->stop = true;
	if (!x->o->all && !x->o->shortest && !x->o->stop_on_clean &&
	    (broke & sim_explore_target(x)))
		x->stop = true;
}

/* Which process to explore next from node n, or -1. */
static int sim_explore_pick(struct sim_explorer *x, uint64_t d)
{
	struct sim_node *n = &x->nodes[d];
	uint64_t cand;

	if (d < x->prefix_len)
		cand = n->backtrack & ~n->done;
	else if (x->dpor)
		cand = n->backtrack & ~n->done & ~n->sleep & n->enabled;
	else
		cand = n->enabled & ~n->done;
	for (; cand; cand &= cand - 1) {
		int p = __builtin_ctzll(cand);

		if (x->o->max_preemptions >= 0 &&
		    n->preemptions + sim_explore_preempts(n, p) > x->o->max_preemptions) {
			n->done |= 1ull << p; /* beyond the bound: not this one */
			x->r->pruned++;
			continue;
		}
		return p;
	}
	return -1;
}

/* Set up node d+1 after taking p from node d; false if there is nothing to explore there. */
static bool sim_explore_child(struct sim_explorer *x, uint64_t d, int p)
{
	struct sim_node *n = &x->nodes[d], *c = sim_node_at(x, d + 1);
	uint64_t asleep = x->dpor ? (n->sleep | (n->done & ~(1ull << p))) : 0;

	c->proc = -1;
	c->done = c->backtrack = c->sleep = 0;
	c->preemptions = n->preemptions + sim_explore_preempts(n, p);
	c->last_cpu = p / 2;
	for (; asleep; asleep &= asleep - 1) {
		int q = __builtin_ctzll(asleep);

		if (!sim_access_conflict(&n->acc_of[q], &n->acc)) {
			c->sleep |= 1ull << q;
			c->acc_of[q] = n->acc_of[q];
		}
	}
	sim_explore_save(x, d + 1);
	if (!sim_explore_enabled(x, c)) {
		sim_explore_leaf(x, d + 1, false);
		return false;
	}
	if (d + 1 >= x->depth_cap) {
		sim_explore_leaf(x, d + 1, true);
		return false;
	}
	if (x->dpor && d + 1 >= x->prefix_len && !(c->enabled & ~c->sleep)) {
		x->r->sleep_blocked++;
		return false;
	}
	if (d + 1 < x->prefix_len)
		c->backtrack = 1ull << sim_proc(x->o->prefix->c[d + 1]);
	else
		c->backtrack = 1ull << __builtin_ctzll(c->enabled & ~c->sleep);
	return true;
}

/* Take p from node d: run it, record races and findings. False: do not go below. */
static bool sim_explore_take(struct sim_explorer *x, uint64_t d, int p)
{
	struct sim_node *n = &x->nodes[d];
	struct sim_breach b[SIM_N_FINDINGS];
	int nb;

	n->done |= 1ull << p;
	n->proc = p;
	x->path[d] = sim_choice_of(p);
	sim_explore_restore(x, d);
	n->irqs_off = x->w->cpus[p / 2].irqs_disabled || x->w->cpus[p / 2].in_irq;
	nb = sim_explore_exec(x, x->path[d], b);
	x->world_at = (int64_t)d + 1;
	n->acc = x->w->info.acc;
	n->acc_of[p] = n->acc;
	if (x->dpor)
		sim_explore_races(x, d, p);
	x->broke[d + 1] = x->broke[d];
	for (int k = 0; k < nb; k++) {
		x->broke[d + 1] |= SIM_F(b[k].finding);
		sim_explore_record(x, &b[k], d, n->preemptions + sim_explore_preempts(n, p));
	}
	if (x->broke[d + 1] & SIM_F(SIM_BUG) & ~x->broke[d]) {
		/* the simulated kernel crashed: the execution ends here, as a run does */
		x->r->executions++;
		for (int f = 0; f < SIM_N_FINDINGS; f++)
			x->r->violating_executions[f] += (x->broke[d + 1] >> f) & 1;
		x->r->max_depth = MAX(x->r->max_depth, d + 1);
		if (!x->o->all && !x->o->shortest && !x->o->stop_on_clean &&
		    (x->broke[d + 1] & sim_explore_target(x)))
			x->stop = true;
		return false;
	}
	if (!(x->broke[d + 1] & sim_explore_target(x) & ~x->broke[d]))
		return true;
	/* a violation the search looks for */
	if (x->o->shortest) {
		x->best = MIN(x->best, d + 1);
		return false;
	}
	if (x->o->stop_on_clean)
		return false; /* everything below breaks it too */
	if (!x->o->all) {
		x->r->executions++;
		x->stop = true;
		return false;
	}
	return true;
}

static void sim_explore_search(struct sim_explorer *x)
{
	uint64_t d = 0;

	for (;;) {
		int p = x->stop ? -1 : sim_explore_pick(x, d);

		if (p >= 0 && x->o->shortest && d + 1 >= x->best)
			p = -1; /* no shorter violation below */
		if (p < 0) {
			struct sim_node *n = &x->nodes[d];

			if (!x->stop)
				x->r->pruned +=
					(uint64_t)__builtin_popcountll(n->enabled & ~n->done);
			if (d == 0 || x->stop)
				break;
			d--;
			continue;
		}
		if (sim_explore_take(x, d, p) && !x->stop && sim_explore_child(x, d, p))
			d++;
		if (sim_interrupted()) {
			x->r->interrupted = true;
			x->stop = true;
		}
		if ((x->o->max_executions && x->r->executions >= x->o->max_executions) ||
		    (x->o->max_total_steps && x->r->steps + x->r->work >= x->o->max_total_steps)) {
			x->r->budget = true;
			x->stop = true;
		}
	}
}

static bool sim_explore_init(struct sim_explorer *x, GError **error)
{
	const struct sim_explore_opts *o = x->o;
	uint64_t budget = 256ull << 20;

	if (x->w->ncpus > SIM_PROC_MAX / 2) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_LIMIT,
			    "explore handles at most %d CPUs; the scenario has %u",
			    SIM_PROC_MAX / 2, x->w->ncpus);
		return false;
	}
	x->nproc = (int)x->w->ncpus * 2;
	/* a bounded search does not reduce: DPOR's backtrack sets assume every order is allowed */
	x->dpor = o->dpor && o->max_preemptions < 0;
	x->depth_cap = o->max_steps ? o->max_steps : 100000;
	x->prefix_len = o->prefix ? o->prefix->n : 0;
	if (x->prefix_len >= x->depth_cap) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE,
			    "the prefix (%llu steps) is not shorter than the step limit",
			    (unsigned long long)x->prefix_len);
		return false;
	}
	/*
	 * At most `budget` bytes of snapshots: half for every level near the
	 * root (all of them on a small scenario), half spread over the deeper
	 * levels; between snapshots, steps are re-executed.
	 */
	x->full_levels = MAX(1, budget / 2 / x->w->arena_size);
	x->snap_every = MAX(1, x->w->arena_size * (x->depth_cap + 1) / (budget / 2) + 1);
	x->nodes = g_new0(struct sim_node, x->depth_cap + 1);
	x->path = g_new0(struct sim_choice, x->depth_cap + 1);
	x->broke = g_new0(uint32_t, x->depth_cap + 2);
	x->signatures = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	x->best = UINT64_MAX;
	return true;
}

static void sim_explore_fini(struct sim_explorer *x)
{
	for (uint64_t d = 0; d < x->nodes_used; d++) {
		g_free(x->nodes[d].acc_of);
		g_free(x->nodes[d].vc);
		g_free(x->nodes[d].snapshot);
	}
	g_free(x->nodes);
	g_free(x->path);
	g_free(x->broke);
	if (x->signatures)
		g_hash_table_unref(x->signatures);
}

/* Node 0: the initial state; its first choice is the prefix's, or any enabled one. */
static bool sim_explore_root(struct sim_explorer *x, GError **error)
{
	struct sim_node *n = sim_node_at(x, 0);

	sim_world_reset(x->w);
	x->world_at = 0;
	n->proc = n->last_cpu = -1;
	sim_explore_save(x, 0);
	if (!sim_explore_enabled(x, n)) {
		sim_explore_leaf(x, 0, false);
		return false;
	}
	for (uint64_t i = 0; i < x->prefix_len; i++) {
		int p = sim_proc(x->o->prefix->c[i]);

		if (p >= x->nproc) {
			g_set_error(error, SIM_ERROR, SIM_ERROR_USAGE, "the prefix names CPU %d",
				    p / 2);
			return false;
		}
	}
	n->backtrack = x->prefix_len ? 1ull << sim_proc(x->o->prefix->c[0]) :
				       1ull << __builtin_ctzll(n->enabled);
	return true;
}

bool sim_explore(SimWorld *w, const struct sim_explore_opts *o, struct sim_explore_result *r,
		 GError **error)
{
	struct sim_explorer x = { .w = w, .o = o, .r = r };
	bool ok;

	memset(r, 0, sizeof(*r));
	w->tracing = false;
	w->probe = NULL;
	w->jitter = 0;
	ok = sim_explore_init(&x, error);
	if (ok && sim_explore_root(&x, error))
		sim_explore_search(&x);
	r->complete = ok && !x.stop;
	sim_explore_fini(&x);
	if (ok && r->interrupted) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INTERRUPTED,
			    "interrupted after %llu executions (%llu steps)",
			    (unsigned long long)r->executions, (unsigned long long)r->steps);
		sim_explore_result_clear(r);
		return false;
	}
	return ok && !(error && *error);
}

void sim_explore_result_clear(struct sim_explore_result *r)
{
	for (int f = 0; f < SIM_N_FINDINGS; f++)
		g_free(r->first[f].schedule);
	memset(r, 0, sizeof(*r));
}

int sim_explore_preemptions(SimWorld *w, struct sim_schedule *s)
{
	struct sim_choice ch[2 * SIM_NR_CPUS_LIMIT];
	int last = -1, preemptions = 0;

	sim_world_reset(w);
	w->tracing = false;
	w->probe = NULL;
	for (size_t i = 0; i < s->n; i++) {
		int k = sim_exec_choices(w, ch);
		bool last_enabled = false, enabled = false;

		for (int j = 0; j < k; j++) {
			last_enabled |= !ch[j].irq && ch[j].cpu == last;
			enabled |= ch[j].cpu == s->c[i].cpu && ch[j].irq == s->c[i].irq;
		}
		if (!enabled) {
			s->n = i; /* the rest cannot be followed */
			break;
		}
		if (last_enabled && (s->c[i].irq || s->c[i].cpu != last))
			preemptions++;
		sim_exec_step(w, s->c[i], sim_exec_start_time(w, s->c[i]));
		memset(&w->st->ev, 0, sizeof(w->st->ev));
		last = s->c[i].cpu;
	}
	return preemptions;
}
