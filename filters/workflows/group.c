/*
 * group.c: ties members into workflows, in this order of rules:
 *   1. metadata.workflow_id: every member that has one is in that
 *      workflow;
 *   2. parent_invocation_id: a member without one inherits its parent's
 *      workflow (the delegation tree); a tree whose root has no workflow
 *      id is one workflow, named by its root (or by the absent parent
 *      its top members name);
 *   3. session_id: every other member.
 * Parent chains are followed iteratively with an explicit stack, each
 * member resolved once, so grouping is linear; a cycle of parent links
 * is cut (and reported) where the walk finds it. Then each workflow's
 * members are sorted by start, and the workflows by their first start.
 */
#include <stdlib.h>
#include <string.h>

#include "workflows.h"

#define UNSET (NONE - 1)
#define ON_STACK (NONE - 2)

static size_t
member_of(const struct store *s, size_t id)
{
	void **slot = ht_find(s->by_id, store_str(s, id), s->strs.len[id]);

	return slot != NULL ? (size_t)(uintptr_t)*slot - 1 : NONE;
}

/* The workflow of a member that heads its chain, by the rules above. */
static size_t
root_workflow(struct store *s, struct ht *keys, size_t k, const bool *has_child)
{
	const struct member *m = &s->m[k];
	struct workflow *w;
	enum tie tie;
	size_t key;
	char head[32];
	bool created;
	void **slot;

	if (m->workflow_id != NONE) {
		tie = TIE_WORKFLOW_ID;
		key = m->workflow_id;
	} else if (m->parent_id != NONE && m->parent == NONE &&
		   member_of(s, m->parent_id) == NONE) {
		tie = TIE_DELEGATION;    /* its parent is not in the input */
		key = m->parent_id;
	} else if (has_child[k]) {
		tie = TIE_DELEGATION;
		key = m->id;
	} else {
		tie = TIE_SESSION;
		key = m->session;
	}
	snprintf(head, sizeof(head), "%d:%zu", (int)tie, key);
	slot = ht_put(keys, head, strlen(head), &created);
	if (!created)
		return (size_t)(uintptr_t)*slot - 1;
	s->wf = grow(s->wf, s->nwf, sizeof(*s->wf));
	w = &s->wf[s->nwf];
	memset(w, 0, sizeof(*w));
	w->tie = tie;
	w->key = key;
	*slot = (void *)(uintptr_t)(s->nwf + 1);
	return s->nwf++;
}

/* Links each member to its parent when the parent is in the input. */
static void
link_parents(struct store *s, bool *has_child)
{
	size_t k, p;

	for (k = 0; k < s->n; k++) {
		struct member *m = &s->m[k];

		m->parent = NONE;
		m->wf = UNSET;
		if (m->parent_id == NONE)
			continue;
		p = member_of(s, m->parent_id);
		if (p == k) {
			oak_warn_at(m->file, m->line_no, "invocation %s is its "
				    "own parent; taken as a root",
				    store_str(s, m->id));
		} else if (p != NONE) {
			m->parent = p;
			has_child[p] = true;
		}
	}
}

/* Resolves member k and the chain above it. */
static void
resolve(struct store *s, struct ht *keys, const bool *has_child, size_t k,
	size_t **stack, size_t *cap)
{
	size_t n = 0, x = k, wf;

	while (s->m[x].wf == UNSET && s->m[x].workflow_id == NONE &&
	       s->m[x].parent != NONE) {
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*stack = oak_realloc(*stack, sizeof(**stack) * *cap);
		}
		(*stack)[n++] = x;
		s->m[x].wf = ON_STACK;
		x = s->m[x].parent;
		if (s->m[x].wf == ON_STACK) {
			x = (*stack)[--n];
			oak_warn_at(s->m[x].file, s->m[x].line_no,
				    "parent_invocation_id cycle; cut above "
				    "invocation %s", store_str(s, s->m[x].id));
			s->m[x].parent = NONE;
			break;
		}
	}
	wf = s->m[x].wf;
	if (wf == UNSET || wf == ON_STACK)
		wf = s->m[x].wf = root_workflow(s, keys, x, has_child);
	while (n > 0)
		s->m[(*stack)[--n]].wf = wf;
}

static const struct store *sort_store;

static int
by_start(const void *pa, const void *pb)
{
	const struct member *a = &sort_store->m[*(const size_t *)pa];
	const struct member *b = &sort_store->m[*(const size_t *)pb];

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

static int
by_first(const void *pa, const void *pb)
{
	const struct workflow *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return by_start(&a->m[0], &b->m[0]);
}

/* Fills each workflow's member list, sorted; sorts the workflows. */
static void
fill_workflows(struct store *s)
{
	size_t k, i, *fill = oak_calloc(s->nwf + 1, sizeof(*fill));

	for (k = 0; k < s->n; k++)
		s->wf[s->m[k].wf].n++;
	for (i = 0; i < s->nwf; i++)
		s->wf[i].m = oak_malloc(sizeof(size_t) * s->wf[i].n);
	for (k = 0; k < s->n; k++)
		s->wf[s->m[k].wf].m[fill[s->m[k].wf]++] = k;
	sort_store = s;
	for (i = 0; i < s->nwf; i++) {
		struct workflow *w = &s->wf[i];

		qsort(w->m, w->n, sizeof(*w->m), by_start);
		w->start = s->m[w->m[0]].start;
		w->end = w->start;
		for (k = 0; k < w->n; k++)
			if (s->m[w->m[k]].end > w->end)
				w->end = s->m[w->m[k]].end;
	}
	if (s->nwf > 1)
		qsort(s->wf, s->nwf, sizeof(*s->wf), by_first);
	for (i = 0; i < s->nwf; i++)
		for (k = 0; k < s->wf[i].n; k++)
			s->m[s->wf[i].m[k]].wf = i;
	free(fill);
}

void
group_members(struct store *s)
{
	bool *has_child = oak_calloc(s->n + 1, sizeof(*has_child));
	struct ht *keys = ht_create();
	size_t k, *stack = NULL, cap = 0;

	link_parents(s, has_child);
	for (k = 0; k < s->n; k++)
		if (s->m[k].wf == UNSET)
			resolve(s, keys, has_child, k, &stack, &cap);
	/* a parent in another workflow is no edge within this one */
	for (k = 0; k < s->n; k++) {
		struct member *m = &s->m[k];

		if (m->parent != NONE && s->m[m->parent].wf != m->wf)
			m->parent = NONE;
	}
	fill_workflows(s);
	free(stack);
	free(has_child);
	ht_release(keys);
}
