/*
 * analyse.c: one workflow's figures. Wall time runs from the first start
 * to the last end (start + duration_seconds); agent time is the sum of
 * the durations; parallelism is their ratio.
 *
 * The critical path is found walking back from the end: within a span
 * [lo, t) owned by an invocation (or by the workflow, for its roots), the
 * child that started before t and ends last is the one t waited for; it
 * holds [its start, min(its end, t)) less what its own children hold,
 * the owner holds the rest, and the walk goes on from that child's start.
 * The span of a delegating invocation thus goes to the children it
 * waited for, and its own time is what is left. Each child list is
 * sorted by start with a running maximum of ends, and t only moves back,
 * so the walk is linear. The bottleneck is the agent holding most time
 * on the critical path, when that is more than 40 % of the wall time.
 */
#include <stdlib.h>
#include <string.h>

#include "workflows.h"

const char *
outcome_name(enum outcome o)
{
	static const char *const name[] = { "succeeded", "partial", "unknown",
					    "failed" };
	return name[o];
}

const char *
status_name(enum status st)
{
	static const char *const name[] = { "success", "failure", "partial",
					    "unknown" };
	return name[st];
}

const char *
tie_name(enum tie t)
{
	static const char *const name[] = { "workflow_id", "delegation",
					    "session" };
	return name[t];
}

void
analysis_init(struct analysis *a, const struct store *s)
{
	memset(a, 0, sizeof(*a));
	a->local = oak_malloc(sizeof(*a->local) * (s->n + 1));
	a->agent_time = oak_calloc(s->agents.n + 1, sizeof(*a->agent_time));
}

static void
conflicts_clear(struct analysis *a)
{
	size_t i;

	for (i = 0; i < a->nconflicts; i++)
		free(a->conflicts[i].agents);
	free(a->conflicts);
	a->conflicts = NULL;
	a->nconflicts = 0;
}

void
analysis_release(struct analysis *a)
{
	conflicts_clear(a);
	free(a->path);
	free(a->path_time);
	free(a->local_time);
	free(a->depth);
	free(a->order);
	free(a->child_first);
	free(a->child);
	free(a->local);
	free(a->seg);
	free(a->agent_time);
}

/* Sizes the per-member arrays for n members. */
static void
reserve(struct analysis *a, size_t n)
{
	if (n <= a->cap_local)
		return;
	a->cap_local = n;
	a->path = oak_realloc(a->path, sizeof(*a->path) * n);
	a->path_time = oak_realloc(a->path_time, sizeof(*a->path_time) * n);
	a->local_time = oak_realloc(a->local_time, sizeof(*a->local_time) * n);
	a->depth = oak_realloc(a->depth, sizeof(*a->depth) * n);
	a->order = oak_realloc(a->order, sizeof(*a->order) * n);
	a->child_first = oak_realloc(a->child_first,
				     sizeof(*a->child_first) * (n + 2));
	a->child = oak_realloc(a->child, sizeof(*a->child) * n);
}

/* Child lists by local index; node n is the workflow, parent of roots.
 * Members come by start, so each list is by start too. */
static void
build_children(struct analysis *a, const struct store *s,
	       const struct workflow *w)
{
	size_t k, p, *fill = oak_malloc(sizeof(*fill) * (w->n + 1));

	memset(a->child_first, 0, sizeof(*a->child_first) * (w->n + 2));
	a->tree = false;
	for (k = 0; k < w->n; k++) {
		const struct member *m = &s->m[w->m[k]];

		p = m->parent == NONE ? w->n : a->local[m->parent];
		a->tree |= m->parent != NONE;
		a->child_first[p + 1]++;
	}
	for (k = 0; k <= w->n; k++) {
		a->child_first[k + 1] += a->child_first[k];
		fill[k] = a->child_first[k];
	}
	for (k = 0; k < w->n; k++) {
		const struct member *m = &s->m[w->m[k]];

		p = m->parent == NONE ? w->n : a->local[m->parent];
		a->child[fill[p]++] = k;
	}
	free(fill);
}

#define START(k) (s->m[w->m[k]].start)
#define END(k) (s->m[w->m[k]].end)

/* pm[j]: the slot of the latest end among its list's slots up to j
 * (equal ends: the later slot, the one that started last). */
static void
prefix_max(const struct analysis *a, const struct store *s,
	   const struct workflow *w, size_t *pm)
{
	size_t p, j;

	for (p = 0; p <= w->n; p++)
		for (j = a->child_first[p]; j < a->child_first[p + 1]; j++)
			pm[j] = j == a->child_first[p] ||
				END(a->child[j]) >= END(a->child[pm[j - 1]]) ?
				j : pm[j - 1];
}

static void
add_segment(struct analysis *a, size_t m, int64_t from, int64_t to)
{
	if (to <= from)
		return;
	if (a->nseg == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->seg = oak_realloc(a->seg, sizeof(*a->seg) * a->cap);
	}
	a->seg[a->nseg].m = m;
	a->seg[a->nseg].from = from;
	a->seg[a->nseg++].to = to;
}

struct frame {
	size_t node, pos;     /* pos: one past the last candidate slot */
	int64_t lo, t;        /* the span [lo, t) still to assign */
};

/* The walk back from the end; segments come out latest first. */
static void
walk(struct analysis *a, const struct store *s, const struct workflow *w,
     const size_t *pm, struct frame *f)
{
	size_t top = 0, c;
	int64_t ce;

	f[0].node = w->n;
	f[0].pos = a->child_first[w->n + 1];
	f[0].lo = w->start;
	f[0].t = w->end;
	a->nseg = 0;
	for (;;) {
		struct frame *x = &f[top];
		size_t first = a->child_first[x->node];

		while (x->pos > first && START(a->child[x->pos - 1]) >= x->t)
			x->pos--;
		if (x->pos == first) {
			if (x->node != w->n)
				add_segment(a, x->node, x->lo, x->t);
			if (top-- == 0)
				break;
			continue;
		}
		c = a->child[pm[x->pos - 1]];
		ce = END(c) < x->t ? END(c) : x->t;
		if (x->node != w->n)
			add_segment(a, x->node, ce, x->t);
		x->t = START(c);
		top++;
		f[top].node = c;
		f[top].pos = a->child_first[c + 1];
		f[top].lo = START(c);
		f[top].t = ce;
	}
}

/* The path from the segments: members by first segment, their time. */
static void
path_from_segments(struct analysis *a, const struct store *s,
		   const struct workflow *w)
{
	size_t i, k, *pos = oak_calloc(w->n, sizeof(*pos)), best = NONE;
	int64_t len;

	a->npath = 0;
	a->path_total = 0;
	memset(a->local_time, 0, sizeof(*a->local_time) * w->n);
	for (i = a->nseg; i-- > 0;) {
		k = a->seg[i].m;
		len = a->seg[i].to - a->seg[i].from;
		if (pos[k] == 0) {
			a->path[a->npath] = k;
			a->path_time[a->npath] = 0;
			pos[k] = ++a->npath;
		}
		a->path_time[pos[k] - 1] += len;
		a->local_time[k] += len;
		a->path_total += len;
		a->agent_time[s->m[w->m[k]].agent] += len;
	}
	a->bottleneck = NONE;
	for (i = 0; i < a->npath; i++) {
		size_t ag = s->m[w->m[a->path[i]]].agent;

		if (best == NONE || a->agent_time[ag] > a->agent_time[best])
			best = ag;
	}
	if (best != NONE && a->wall > 0 &&
	    a->agent_time[best] * 10 > a->wall * 4) {
		a->bottleneck = best;
		a->bottleneck_time = a->agent_time[best];
	}
	for (i = 0; i < a->npath; i++)
		a->agent_time[s->m[w->m[a->path[i]]].agent] = 0;
	free(pos);
}

/* order: members in delegation pre-order, children by start; depth. */
static void
preorder(struct analysis *a, const struct workflow *w, size_t *stack)
{
	size_t top = 0, n = 0, x, j;

	stack[top++] = w->n;
	while (top > 0) {
		x = stack[--top];
		if (x != w->n)
			a->order[n++] = x;
		for (j = a->child_first[x + 1]; j-- > a->child_first[x];) {
			a->depth[a->child[j]] = x == w->n ? 0 : a->depth[x] + 1;
			stack[top++] = a->child[j];
		}
	}
}

/* Files modified by more than one agent, by first modification. */
static void
find_conflicts(struct analysis *a, const struct store *s,
	       const struct workflow *w)
{
	struct ht *files = ht_create(), *pairs = ht_create();
	struct conflict *all = NULL;
	size_t nall = 0, k, i, key[2];
	bool created;
	void **slot;

	for (k = 0; k < w->n; k++) {
		const struct member *m = &s->m[w->m[k]];

		for (i = 0; i < m->nfiles; i++) {
			struct conflict *c;

			key[0] = m->files[i];
			key[1] = m->agent;
			ht_put(pairs, (const char *)key, sizeof(key), &created);
			if (!created)
				continue;
			slot = ht_put(files, (const char *)key, sizeof(key[0]),
				      &created);
			if (created) {
				all = grow(all, nall, sizeof(*all));
				all[nall].file = m->files[i];
				all[nall].agents = NULL;
				all[nall].n = 0;
				*slot = (void *)(uintptr_t)++nall;
			}
			c = &all[(size_t)(uintptr_t)*slot - 1];
			c->agents = grow(c->agents, c->n, sizeof(size_t));
			c->agents[c->n++] = m->agent;
		}
	}
	conflicts_clear(a);
	for (i = 0; i < nall; i++) {
		if (all[i].n < 2) {
			free(all[i].agents);
			continue;
		}
		a->conflicts = grow(a->conflicts, a->nconflicts,
				    sizeof(*a->conflicts));
		a->conflicts[a->nconflicts++] = all[i];
	}
	free(all);
	ht_release(files);
	ht_release(pairs);
}

static void
add_checked(int64_t *sum, int64_t x, const struct store *s,
	    const struct workflow *w)
{
	if (__builtin_add_overflow(*sum, x, sum))
		oak_die(OAK_EXIT_REJECTED, "workflow %s: agent time overflows",
			store_str(s, w->key));
}

void
analyse(struct analysis *a, const struct store *s, const struct workflow *w)
{
	size_t k, *pm;
	struct frame *f;

	reserve(a, w->n);
	a->w = w;
	a->wall = w->end - w->start;
	a->summed = 0;
	a->untimed = 0;
	memset(a->count, 0, sizeof(a->count));
	for (k = 0; k < w->n; k++) {
		const struct member *m = &s->m[w->m[k]];

		a->local[w->m[k]] = k;
		add_checked(&a->summed, m->end - m->start, s, w);
		a->untimed += !m->timed;
		a->count[m->status]++;
	}
	a->outcome = a->count[ST_FAILURE] ? OUT_FAILED :
		     a->count[ST_UNKNOWN] ? OUT_UNKNOWN :
		     a->count[ST_PARTIAL] ? OUT_PARTIAL : OUT_SUCCEEDED;
	build_children(a, s, w);
	pm = oak_malloc(sizeof(*pm) * (w->n + 1));
	f = oak_malloc(sizeof(*f) * (w->n + 2));
	prefix_max(a, s, w, pm);
	walk(a, s, w, pm, f);
	path_from_segments(a, s, w);
	preorder(a, w, pm);
	free(pm);
	free(f);
	find_conflicts(a, s, w);
}
