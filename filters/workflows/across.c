/*
 * across.c: what recurs across workflows. A workflow's agent sequence is
 * its members' agents by start time. A handoff is a pair of agents: a
 * delegation (parent's agent, child's agent), or, between members no
 * delegation ties, one member to the next by start (the roots of a
 * workflow form a chain). Each sequence and pair counts the workflows it
 * appears in and how they ended; a pair also counts its occurrences and
 * how often the invocation handed to failed. Both are hashed by their
 * agent indices, so counting is linear in the members.
 */
#include <stdlib.h>
#include <string.h>

#include "workflows.h"

void
across_init(struct across *x)
{
	memset(x, 0, sizeof(*x));
	x->seq_index = ht_create();
	x->pair_index = ht_create();
	buf_init(&x->key);
}

void
across_release(struct across *x)
{
	size_t i;

	for (i = 0; i < x->nseq; i++)
		free(x->seq[i].agents);
	free(x->seq);
	free(x->pair);
	ht_release(x->seq_index);
	ht_release(x->pair_index);
	buf_release(&x->key);
}

static void
count_outcome(int64_t *succeeded, int64_t *failed, enum outcome o)
{
	*succeeded += o == OUT_SUCCEEDED;
	*failed += o == OUT_FAILED;
}

static void
add_sequence(struct across *x, const struct store *s, size_t wf,
	     const struct analysis *a)
{
	const struct workflow *w = a->w;
	struct seq_stat *q;
	bool created;
	void **slot;
	size_t k;

	buf_reset(&x->key);
	for (k = 0; k < w->n; k++)
		buf_add(&x->key, &s->m[w->m[k]].agent, sizeof(size_t));
	slot = ht_put(x->seq_index, x->key.data, x->key.len, &created);
	if (created) {
		if (x->nseq == x->cap_seq) {
			x->cap_seq = x->cap_seq ? x->cap_seq * 2 : 16;
			x->seq = oak_realloc(x->seq, sizeof(*x->seq) * x->cap_seq);
		}
		q = &x->seq[x->nseq];
		memset(q, 0, sizeof(*q));
		q->first = wf;
		q->nagents = w->n;
		q->agents = oak_malloc(x->key.len);
		memcpy(q->agents, x->key.data, x->key.len);
		*slot = (void *)(uintptr_t)++x->nseq;
	}
	q = &x->seq[(size_t)(uintptr_t)*slot - 1];
	q->workflows++;
	count_outcome(&q->succeeded, &q->failed, a->outcome);
}

static void
add_pair(struct across *x, size_t wf, const struct analysis *a,
	 size_t from, size_t to, bool failed_after)
{
	struct pair_stat *p;
	size_t key[2] = { from, to };
	bool created;
	void **slot = ht_put(x->pair_index, (const char *)key, sizeof(key),
			     &created);

	if (created) {
		if (x->npair == x->cap_pair) {
			x->cap_pair = x->cap_pair ? x->cap_pair * 2 : 16;
			x->pair = oak_realloc(x->pair,
					      sizeof(*x->pair) * x->cap_pair);
		}
		p = &x->pair[x->npair];
		memset(p, 0, sizeof(*p));
		p->from = from;
		p->to = to;
		p->first = x->npair;
		p->last_wf = NONE;
		*slot = (void *)(uintptr_t)++x->npair;
	}
	p = &x->pair[(size_t)(uintptr_t)*slot - 1];
	p->occurrences++;
	p->failures_after += failed_after;
	if (p->last_wf != wf) {
		p->last_wf = wf;
		p->workflows++;
		count_outcome(&p->succeeded, &p->failed, a->outcome);
	}
}

void
across_add(struct across *x, const struct store *s, size_t wf,
	   const struct analysis *a)
{
	const struct workflow *w = a->w;
	size_t k, prev_root = NONE;

	add_sequence(x, s, wf, a);
	for (k = 0; k < w->n; k++) {
		const struct member *m = &s->m[w->m[k]];
		size_t from = NONE;

		if (m->parent != NONE)
			from = s->m[m->parent].agent;
		else if (prev_root != NONE)
			from = s->m[prev_root].agent;
		if (m->parent == NONE)
			prev_root = w->m[k];
		if (from != NONE)
			add_pair(x, wf, a, from, m->agent, m->status == ST_FAILURE);
	}
}

static int
seq_cmp(const void *pa, const void *pb)
{
	const struct seq_stat *a = pa, *b = pb;

	if (a->workflows != b->workflows)
		return a->workflows > b->workflows ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

void
across_sort_sequences(struct across *x)
{
	if (x->nseq > 1)
		qsort(x->seq, x->nseq, sizeof(*x->seq), seq_cmp);
}

static int
by_occurrences(const void *pa, const void *pb)
{
	const struct pair_stat *a = *(const struct pair_stat *const *)pa;
	const struct pair_stat *b = *(const struct pair_stat *const *)pb;

	if (a->occurrences != b->occurrences)
		return a->occurrences > b->occurrences ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static int
by_failures(const void *pa, const void *pb)
{
	const struct pair_stat *a = *(const struct pair_stat *const *)pa;
	const struct pair_stat *b = *(const struct pair_stat *const *)pb;

	if (a->failures_after != b->failures_after)
		return a->failures_after > b->failures_after ? -1 : 1;
	return by_occurrences(pa, pb);
}

/* The pairs, most frequent first; by_failures: those followed by a
 * failure, most often first. *out is new. */
size_t
across_pairs_by(const struct across *x, bool by_failures_first,
		const struct pair_stat ***out)
{
	const struct pair_stat **v = oak_malloc(sizeof(*v) * (x->npair + 1));
	size_t i, n = 0;

	for (i = 0; i < x->npair; i++)
		if (!by_failures_first || x->pair[i].failures_after > 0)
			v[n++] = &x->pair[i];
	qsort(v, n, sizeof(*v), by_failures_first ? by_failures :
						    by_occurrences);
	*out = v;
	return n;
}
