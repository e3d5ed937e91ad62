/*
 * tokens.c: tokens by kind and cost per agent, tokens and cost per model
 * (--by model: summed over the agents' keyed counters, so shards merge
 * before it), and where the task types came from. Shown only when the
 * data has them, so reports of data without them read as before.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

bool
have_token_kinds(const struct agent_list *l)
{
	const struct agent_stats *s;
	size_t k;

	for (k = 0; k < l->n; k++) {
		s = l->a[k].stats;
		if (s->tokens_kind_count > 0 || s->cost_count > 0 ||
		    s->cost_unpriced.n > 0)
			return true;
	}
	return false;
}

bool
task_sources(const struct agent_list *l, int64_t *inferred, int64_t *given,
	     int64_t *none)
{
	const struct agent_stats *s;
	int64_t typed = 0;
	size_t k, i;

	*inferred = 0;
	*none = 0;
	for (k = 0; k < l->n; k++) {
		s = l->a[k].stats;
		*inferred += s->task_type_inferred;
		*none += s->invocations;
		for (i = 0; i < s->task_types.n; i++)
			typed += s->task_types.item[i].count;
	}
	*given = typed - *inferred;
	*none -= typed;
	return *inferred > 0;
}

void
task_sources_line(struct buf *b, const struct report *r, const char *bullet)
{
	int64_t inferred, given, none;

	if (task_sources(&r->cur, &inferred, &given, &none))
		buf_printf(b, "%sTask Types: %lld inferred, %lld given, %lld "
			   "without a type%s\n", bullet, (long long)inferred,
			   (long long)given, (long long)none,
			   bullet[0] == '<' ? "</p>" : "");
}

/* "m (3 calls), n (1 call)": the unpriced models of s, most calls first. */
static const char *
unpriced_cell(struct buf *b, const struct agent_stats *s)
{
	const struct counter **top;
	size_t n, i;

	buf_reset(b);
	top = oak_calloc(s->cost_unpriced.n + 1, sizeof(*top));
	n = counter_top(&s->cost_unpriced, top, s->cost_unpriced.n);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s (%lld call%s)", i ? ", " : "", top[i]->text,
			   (long long)top[i]->count, top[i]->count == 1 ? "" : "s");
	free(top);
	return b->data;
}

static const char *const tokens_head[] = {
	"Agent", "With tokens", "Input", "Output", "Cache write", "Cache read",
	"Total tokens", "Median tokens", "Cost (USD)", "Median cost",
	"Cost unknown for"
};

void
tokens_table(const struct report *r, struct table *t)
{
	const struct agent_stats *s;
	const struct agent_view *v;
	struct buf unpriced;
	size_t k;

	buf_init(&unpriced);
	table_init(t, "Tokens and cost per agent", 11, tokens_head,
		   "lrrrrrrrrrl");
	for (k = 0; k < r->cur.n; k++) {
		s = r->cur.a[k].stats;
		v = &r->cur.a[k].view;
		table_row(t, s->name, fmt_int(s->tokens_kind_count),
			  fmt_int(s->tokens_kind[KIND_INPUT]),
			  fmt_int(s->tokens_kind[KIND_OUTPUT]),
			  fmt_int(s->tokens_kind[KIND_CACHE_WRITE]),
			  fmt_int(s->tokens_kind[KIND_CACHE_READ]),
			  s->tokens_count ? fmt_int(s->tokens_sum) : "n/a",
			  fmt_num(v->tokens_median, 0),
			  s->cost_count ? fmt_num((double)s->cost_sum_micro / 1e6,
						  4) : "n/a",
			  fmt_num(v->cost_median, 4),
			  unpriced_cell(&unpriced, s));
	}
	buf_release(&unpriced);
}

/* ---- per model ------------------------------------------------------ */

static int
model_cmp(const void *pa, const void *pb)
{
	const struct model_row *a = pa, *b = pb;

	if (a->v[MODEL_CALLS] != b->v[MODEL_CALLS])
		return a->v[MODEL_CALLS] > b->v[MODEL_CALLS] ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Adds n counts of v into sum; false when one leaves the int64 range
 * (sum is left as it was then). */
static bool
add_counts(int64_t *sum, const int64_t *v, int n)
{
	int64_t t[COUNTER_MAX];
	int i;

	for (i = 0; i < n; i++)
		if (__builtin_add_overflow(sum[i], v[i], &t[i]))
			return false;
	memcpy(sum, t, sizeof(*t) * (size_t)n);
	return true;
}

/* The row of name in rows[0..*n), added when new. */
static struct model_row *
row_of(struct model_row **rows, size_t *n, size_t *cap, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*rows)[i].name, name) == 0)
			return &(*rows)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*rows = oak_realloc(*rows, sizeof(**rows) * *cap);
	}
	memset(&(*rows)[*n], 0, sizeof(**rows));
	(*rows)[*n].name = name;
	return &(*rows)[(*n)++];
}

size_t
model_rows(const struct agent_list *l, struct model_row **out)
{
	const struct agent_stats *s;
	const struct counter *c;
	struct model_row *row;
	size_t n = 0, cap = 0, k, i;

	*out = NULL;
	for (k = 0; k < l->n; k++) {
		s = l->a[k].stats;
		for (i = 0; i < s->models.n; i++) {
			c = &s->models.item[i];
			row = row_of(out, &n, &cap, c->text);
			row->overflow |= !add_counts(row->v, c->v, MODEL_NV);
		}
		for (i = 0; i < s->model_costs.n; i++) {
			c = &s->model_costs.item[i];
			row = row_of(out, &n, &cap, c->text);
			row->overflow |= !add_counts(row->cost, c->v, MCOST_NV);
		}
	}
	if (n > 0)
		qsort(*out, n, sizeof(**out), model_cmp);
	return n;
}

/* The cost of a model row: "0.1234", "unknown (2 calls)", both joined
 * by " + ", or "n/a" when nothing was priced. */
static const char *
model_cost_cell(struct buf *b, const struct model_row *m)
{
	buf_reset(b);
	if (m->cost[MCOST_PRICED] > 0)
		buf_adds(b, fmt_num((double)m->cost[MCOST_SUM_MICRO] / 1e6, 4));
	if (m->cost[MCOST_UNPRICED] > 0)
		buf_printf(b, "%sunknown (%lld call%s)", b->len ? " + " : "",
			   (long long)m->cost[MCOST_UNPRICED],
			   m->cost[MCOST_UNPRICED] == 1 ? "" : "s");
	if (b->len == 0)
		buf_adds(b, "n/a");
	return b->data;
}

static const char *const models_head[] = {
	"Model", "Calls", "Input", "Output", "Cache write", "Cache read",
	"Cost (USD)"
};

void
models_table(const struct report *r, struct table *t)
{
	struct model_row *m;
	struct buf cost;
	size_t n = model_rows(&r->cur, &m), i;

	buf_init(&cost);
	table_init(t, "Tokens and cost per model", 7, models_head, "lrrrrrr");
	t->empty = "No calls with tokens by kind.";
	for (i = 0; i < n; i++) {
		if (m[i].overflow) {
			table_row(t, m[i].name, "out of range", "", "", "", "", "");
			continue;
		}
		table_row(t, m[i].name, fmt_int(m[i].v[MODEL_CALLS]),
			  fmt_int(m[i].v[MODEL_KIND0 + KIND_INPUT]),
			  fmt_int(m[i].v[MODEL_KIND0 + KIND_OUTPUT]),
			  fmt_int(m[i].v[MODEL_KIND0 + KIND_CACHE_WRITE]),
			  fmt_int(m[i].v[MODEL_KIND0 + KIND_CACHE_READ]),
			  model_cost_cell(&cost, &m[i]));
	}
	free(m);
	buf_release(&cost);
}

/* ---- JSON ------------------------------------------------------------ */

static void
kinds_json(struct buf *b, const int64_t *k)
{
	buf_addc(b, '{');
	jw_key(b, "input");
	jw_int(b, k[KIND_INPUT]);
	jw_key(b, "output");
	jw_int(b, k[KIND_OUTPUT]);
	jw_key(b, "cache_write");
	jw_int(b, k[KIND_CACHE_WRITE]);
	jw_key(b, "cache_read");
	jw_int(b, k[KIND_CACHE_READ]);
	buf_addc(b, '}');
}

void
tokens_json(struct buf *b, const struct agent *ag)
{
	const struct agent_stats *s = ag->stats;
	const struct counter **top;
	size_t n, i;

	jw_key(b, "tokens_by_kind");
	kinds_json(b, s->tokens_kind);
	jw_key(b, "cost_usd_total");
	jw_rounded(b, s->cost_count ? (double)s->cost_sum_micro / 1e6 : NAN, 6);
	jw_key(b, "cost_usd_median");
	jw_rounded(b, ag->view.cost_median, 6);
	jw_key(b, "cost_unpriced_models");
	top = oak_calloc(s->cost_unpriced.n + 1, sizeof(*top));
	n = counter_top(&s->cost_unpriced, top, s->cost_unpriced.n);
	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		jw_sep(b);
		buf_addc(b, '{');
		jw_key(b, "model");
		jw_string(b, top[i]->text, top[i]->len);
		jw_key(b, "calls");
		jw_int(b, top[i]->count);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	free(top);
}

void
models_json(struct buf *b, const struct report *r)
{
	struct model_row *m;
	size_t n = model_rows(&r->cur, &m), i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		jw_sep(b);
		buf_addc(b, '{');
		jw_key(b, "model");
		jw_cstring(b, m[i].name);
		jw_key(b, "calls");
		if (m[i].overflow) {
			buf_adds(b, "null, \"tokens_by_kind\": null");
		} else {
			jw_int(b, m[i].v[MODEL_CALLS]);
			jw_key(b, "tokens_by_kind");
			kinds_json(b, m[i].v + MODEL_KIND0);
		}
		jw_key(b, "cost_usd");
		jw_rounded(b, m[i].cost[MCOST_PRICED] > 0 && !m[i].overflow ?
			   (double)m[i].cost[MCOST_SUM_MICRO] / 1e6 : NAN, 6);
		jw_key(b, "priced_calls");
		jw_int(b, m[i].cost[MCOST_PRICED]);
		jw_key(b, "unpriced_calls");
		jw_int(b, m[i].cost[MCOST_UNPRICED]);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	free(m);
}

void
task_sources_json(struct buf *b, const struct report *r)
{
	int64_t inferred, given, none;

	if (!task_sources(&r->cur, &inferred, &given, &none))
		return;
	jw_key(b, "task_type_sources");
	buf_printf(b, "{\"inferred\": %lld, \"given\": %lld, \"none\": %lld}",
		   (long long)inferred, (long long)given, (long long)none);
}
