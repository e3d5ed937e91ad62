/*
 * agent_stats.c: AgentStats, the per-agent state of oak-group-by-agent,
 * and the one table of its fields. Everything is kept as exact integers
 * (counts; sums in millionths), as keyed counters (counter.c) or as
 * histograms (hist.c), so that merging shards is addition and min, and
 * gives the same bytes whatever the order. Creating, adding one
 * invocation, merging and (agent_codec.c) reading and writing loop over
 * the table. Every sum is checked first: a record whose sums would leave
 * the int64 range changes nothing and is reported as bad.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record/agent_fields.h"
#include "record/hist_merge.h"
#include "record/invocation.h"

static const struct counter_shape task_shape = {
	TASK_NV, -1, "[text, 3 counts]"
};
static const struct counter_shape day_shape = {
	DAY_NV, -1, "[text, 5 counts]"
};
static const struct counter_shape model_shape = {
	MODEL_NV, -1, "[text, 5 counts]"
};
static const struct counter_shape model_cost_shape = {
	MCOST_NV, -1, "[text, 3 counts]"
};

#define A(m) offsetof(struct agent_stats, m)
#define F(m) offsetof(struct agent_facts, m)
#define REQ FIELD_REQUIRED
#define SP FIELD_SPARSE
/* In the order they are written; read reports the first bad one. */
const struct field agent_fields[] = {
	{ "first_seq", FIELD_INT, REQ | FIELD_MIN, A(first_seq), NO_FACT, NULL },
	{ "successes", FIELD_INT, REQ, A(successes), F(successes), NULL },
	{ "failures", FIELD_INT, REQ, A(failures), F(failures), NULL },
	{ "partials", FIELD_INT, REQ, A(partials), F(partials), NULL },
	{ "unknowns", FIELD_INT, REQ, A(unknowns), F(unknowns), NULL },
	{ "duration_count", FIELD_INT, REQ, A(duration_count),
	  F(duration_count), NULL },
	{ "duration_sum_micro", FIELD_INT, REQ | FIELD_SIGNED,
	  A(duration_sum_micro), F(duration_sum_micro), NULL },
	{ "quality_count", FIELD_INT, REQ, A(quality_count), F(quality_count),
	  NULL },
	{ "quality_sum_micro", FIELD_INT, REQ | FIELD_SIGNED,
	  A(quality_sum_micro), F(quality_sum_micro), NULL },
	{ "invocation_count", FIELD_INT, REQ | FIELD_TOP, A(invocations),
	  F(invocations), NULL },
	{ "task_types", FIELD_COUNTER, REQ, A(task_types), F(task_type),
	  &counter_counted },
	{ "failure_messages", FIELD_COUNTER, REQ, A(failure_messages),
	  F(failure_message), &counter_counted },
	{ "first_timestamp", FIELD_TS, 0, A(first_ts), F(when), NULL },
	{ "last_timestamp", FIELD_TS, FIELD_LAST, A(last_ts), NO_FACT, NULL },
	/* beyond the seed: absent in AgentStats written before them */
	{ "duration_hist", FIELD_HIST, 0, A(duration_hist), F(duration), NULL },
	{ "would_use_again_yes", FIELD_INT, 0, A(would_use_again_yes),
	  F(would_use_again_yes), NULL },
	{ "would_use_again_no", FIELD_INT, 0, A(would_use_again_no),
	  F(would_use_again_no), NULL },
	{ "alternatives", FIELD_COUNTER, 0, A(alternatives), F(alternative),
	  &counter_counted },
	{ "tokens_count", FIELD_INT, 0, A(tokens_count), F(tokens_count), NULL },
	{ "tokens_sum", FIELD_INT, 0, A(tokens_sum), F(tokens_sum), NULL },
	{ "tokens_hist", FIELD_HIST, 0, A(tokens_hist), F(tokens), NULL },
	{ "task_outcomes", FIELD_COUNTER, 0, A(task_outcomes), F(task_outcome),
	  &task_shape },
	{ "days", FIELD_COUNTER, 0, A(days), F(day), &day_shape },
	/* tokens by kind, cost, models, task type sources: written only
	 * when there is something, so older outputs stay as they were */
	{ "tokens_kind_count", FIELD_INT, SP, A(tokens_kind_count),
	  F(tokens_kind_count), NULL },
	{ "tokens_input", FIELD_INT, SP, A(tokens_kind[KIND_INPUT]),
	  F(tokens_kind[KIND_INPUT]), NULL },
	{ "tokens_output", FIELD_INT, SP, A(tokens_kind[KIND_OUTPUT]),
	  F(tokens_kind[KIND_OUTPUT]), NULL },
	{ "tokens_cache_write", FIELD_INT, SP, A(tokens_kind[KIND_CACHE_WRITE]),
	  F(tokens_kind[KIND_CACHE_WRITE]), NULL },
	{ "tokens_cache_read", FIELD_INT, SP, A(tokens_kind[KIND_CACHE_READ]),
	  F(tokens_kind[KIND_CACHE_READ]), NULL },
	{ "cost_count", FIELD_INT, SP, A(cost_count), F(cost_count), NULL },
	{ "cost_sum_micro", FIELD_INT, SP, A(cost_sum_micro), F(cost_sum_micro),
	  NULL },
	{ "cost_hist", FIELD_HIST, SP, A(cost_hist), F(cost), NULL },
	{ "cost_unpriced", FIELD_COUNTER, SP, A(cost_unpriced), F(cost_unpriced),
	  &counter_counted },
	{ "models", FIELD_COUNTER, SP, A(models), F(model), &model_shape },
	{ "model_costs", FIELD_COUNTER, SP, A(model_costs), F(model_cost),
	  &model_cost_shape },
	{ "task_type_inferred", FIELD_INT, SP, A(task_type_inferred),
	  F(task_type_inferred), NULL },
};
const size_t agent_nfields = sizeof(agent_fields) / sizeof(agent_fields[0]);
#undef A
#undef F
#undef REQ
#undef SP

struct agent_stats *
agent_stats_create(const char *name, size_t len, int64_t first_seq)
{
	struct agent_stats *a = oak_calloc(1, sizeof(*a));
	const struct field *r;

	a->name = oak_strndup(name, len);
	a->name_len = len;
	a->first_seq = first_seq;
	buf_init(&a->first_ts_text);
	buf_init(&a->last_ts_text);
	for (r = agent_fields; r < agent_fields + agent_nfields; r++) {
		if (r->kind == FIELD_COUNTER)
			counter_init(FIELD_OF(struct counter_set, a, r),
				     r->shape);
		else if (r->kind == FIELD_HIST)
			hist_init(FIELD_OF(struct hist, a, r));
	}
	return a;
}

void
agent_stats_release(struct agent_stats *a)
{
	const struct field *r;

	if (a == NULL)
		return;
	for (r = agent_fields; r < agent_fields + agent_nfields; r++) {
		if (r->kind == FIELD_COUNTER)
			counter_release(FIELD_OF(struct counter_set, a, r));
		else if (r->kind == FIELD_HIST)
			hist_release(FIELD_OF(struct hist, a, r));
	}
	free(a->name);
	buf_release(&a->first_ts_text);
	buf_release(&a->last_ts_text);
	free(a);
}

/* Compares text (len bytes) with b's as strcmp compares strings. */
static int
text_cmp(const char *text, size_t len, const struct buf *b)
{
	int c = memcmp(text, b->data, len < b->len ? len : b->len);

	return c != 0 ? c : (len > b->len) - (len < b->len);
}

/* Widens the agent's date range with one timestamp. Equal instants
 * written differently: the smaller text starts, the larger ends. */
void
agent_range_add(struct agent_stats *a, struct oak_instant t, const char *text,
		size_t len)
{
	int c;

	if (!a->have_ts) {
		a->have_ts = true;
		a->first_ts = a->last_ts = t;
		buf_add(&a->first_ts_text, text, len);
		buf_add(&a->last_ts_text, text, len);
		return;
	}
	c = oak_instant_cmp(t, a->first_ts);
	if (c < 0 || (c == 0 && text_cmp(text, len, &a->first_ts_text) < 0)) {
		a->first_ts = t;
		buf_reset(&a->first_ts_text);
		buf_add(&a->first_ts_text, text, len);
	}
	c = oak_instant_cmp(t, a->last_ts);
	if (c > 0 || (c == 0 && text_cmp(text, len, &a->last_ts_text) > 0)) {
		a->last_ts = t;
		buf_reset(&a->last_ts_text);
		buf_add(&a->last_ts_text, text, len);
	}
}

/* The reason a sum of row r leaves the int64 range. */
static const char *
out_of_range(const struct field *r)
{
	static char why[96];

	snprintf(why, sizeof(why), "sum of \"%s%s\" out of range",
		 r->flags & FIELD_TOP ? "" : "state.", r->name);
	return why;
}

/* Whether int64 field r of a can take v more. */
static bool
int_fits(const struct agent_stats *a, const struct field *r, int64_t v)
{
	int64_t sum;

	return (r->flags & FIELD_MIN) ||
	       !__builtin_add_overflow(*CFIELD_OF(int64_t, a, r), v, &sum);
}

static void
int_add(struct agent_stats *a, const struct field *r, int64_t v)
{
	int64_t *x = FIELD_OF(int64_t, a, r);

	if (!(r->flags & FIELD_MIN))
		*x += v;
	else if (v < *x)
		*x = v;
}

/* The rows with a fact, by kind, in table order (fact_rows): the
 * per-line loops below go through each kind's own, with no test of the
 * kind. int_fact[i] is ints[i]->fact, in an array of its own: most int
 * facts of a line are 0, and skipping one then takes a single load. */
static struct {
	const struct field *ints[48], *counters[16], *hists[8], *ts;
	size_t int_fact[48];
	int nints, ncounters, nhists;
	bool ready;
} rows;

static void
fact_rows(void)
{
	const struct field *r;

	if (rows.ready)
		return;
	rows.ready = true;
	for (r = agent_fields; r < agent_fields + agent_nfields; r++) {
		if (r->fact == NO_FACT)
			continue;
		if (r->kind == FIELD_INT && rows.nints < 48) {
			rows.int_fact[rows.nints] = r->fact;
			rows.ints[rows.nints++] = r;
		}
		else if (r->kind == FIELD_COUNTER && rows.ncounters < 16)
			rows.counters[rows.ncounters++] = r;
		else if (r->kind == FIELD_HIST && rows.nhists < 8)
			rows.hists[rows.nhists++] = r;
		else if (r->kind == FIELD_TS)
			rows.ts = r;
		else
			oak_die(OAK_EXIT_IO, "agent_fields: too many rows");
	}
}

/* The first row, in table order, whose sum in a cannot take facts f
 * (their counters' items looked up): why. */
static const char *
first_unfit(const struct agent_stats *a, const struct agent_facts *f)
{
	const struct field *r;
	const struct fact_key *k;

	for (r = agent_fields; r < agent_fields + agent_nfields; r++) {
		if (r->fact == NO_FACT)
			continue;
		k = FACT_OF(const struct fact_key, f, r);
		if ((r->kind == FIELD_INT &&
		     !int_fits(a, r, *FACT_OF(const int64_t, f, r))) ||
		    (r->kind == FIELD_COUNTER && k->text != NULL &&
		     k->item != NULL &&
		     !counter_item_fits(CFIELD_OF(struct counter_set, a, r),
					k->item, k->v)) ||
		    (r->kind == FIELD_HIST &&
		     CFIELD_OF(struct hist, a, r)->total == INT64_MAX))
			return out_of_range(r);
	}
	return NULL;
}

/* The sums of counter row i's item and its fact (others_fit), which
 * adding the fact then stores. */
static int64_t sums[16][COUNTER_MAX];

/* Whether the counters and histograms of a can take facts f; looks up
 * the items the counters of f add to, and their sums. */
static bool
others_fit(struct agent_stats *a, struct agent_facts *f)
{
	const struct field *r;
	struct counter_set *set;
	struct fact_key *k;
	bool fit = true;
	int i;

	for (i = 0; i < rows.ncounters; i++) {
		r = rows.counters[i];
		k = FACT_OF(struct fact_key, f, r);
		set = FIELD_OF(struct counter_set, a, r);
		if (k->text != NULL) {
			k->item = counter_item(set, k->text, k->len);
			fit &= k->item == NULL ||
			       counter_item_sum(set, k->item, k->v, sums[i]);
		}
	}
	for (i = 0; i < rows.nhists; i++)
		fit &= CFIELD_OF(struct hist, a, rows.hists[i])->total !=
		       INT64_MAX;
	return fit;
}

/* Adds the int64 facts of f to a: true, or false when a sum would leave
 * the range, and then a is as it was (the sums made are taken back).
 * One pass that skips the zeros, most of a line's facts, where checking
 * every row and then adding took two. */
static bool
ints_add(struct agent_stats *a, const struct agent_facts *f)
{
	int64_t old[48], v;
	int i;

	for (i = 0; i < rows.nints; i++) {
		v = *(const int64_t *)((const char *)f + rows.int_fact[i]);
		if (v == 0)
			continue;
		if (!int_fits(a, rows.ints[i], v))
			break;
		old[i] = *FIELD_OF(int64_t, a, rows.ints[i]);
		int_add(a, rows.ints[i], v);
	}
	if (i == rows.nints)
		return true;
	while (i-- > 0)
		if (*FACT_OF(const int64_t, f, rows.ints[i]) != 0)
			*FIELD_OF(int64_t, a, rows.ints[i]) = old[i];
	return false;
}

/* Counts x in h: NaN nothing, 0 the zero bucket, else its bucket (when
 * it is positive). */
static void
hist_count(struct hist *h, double x)
{
	if (x == 0)
		hist_add_bucket(h, -HIST_KEY_LIMIT, 1);
	else if (!isnan(x))
		hist_add(h, x);
}

/* Adds facts f to a: NULL, or why they do not fit (then a is as it
 * was). */
static const char *
facts_add(struct agent_stats *a, struct agent_facts *f)
{
	const struct field *r;
	struct fact_key *k;
	int i;

	fact_rows();
	if (!others_fit(a, f) || !ints_add(a, f))
		return first_unfit(a, f);
	for (i = 0; i < rows.ncounters; i++) {
		r = rows.counters[i];
		k = FACT_OF(struct fact_key, f, r);
		if (k->item != NULL)
			counter_item_set(FIELD_OF(struct counter_set, a, r),
					 k->item, sums[i]);
		else if (k->text != NULL)
			counter_add(FIELD_OF(struct counter_set, a, r),
				    k->text, k->len, k->v);
	}
	for (i = 0; i < rows.nhists; i++)
		hist_count(FIELD_OF(struct hist, a, rows.hists[i]),
			   *FACT_OF(double, f, rows.hists[i]));
	if (rows.ts != NULL)
		agent_range_add(a, f->when, f->ts, f->ts_len);
	return NULL;
}

const char *
agent_stats_add(struct agent_stats *a, const struct json_doc *d,
		const int *at, const struct json_doc *md, int64_t seq,
		struct oak_instant when)
{
	static struct agent_facts f;
	const char *why = agent_facts_of(d, at, md, seq, when, &f);

	return why != NULL ? why : facts_add(a, &f);
}

size_t
agent_own_size(void)
{
	return sizeof(struct agent_own);
}

bool
agent_stats_own(const struct json_doc *d, const int *at, void *own)
{
	return agent_facts_own(d, at, own);
}

const char *
agent_stats_add_own(struct agent_stats *a, void *own,
		    const struct agent_metric *m, const char *text,
		    int64_t seq, struct oak_instant when)
{
	struct agent_own *o = own;
	const char *why = agent_facts_rest(o, m, text, seq, when);

	return why != NULL ? why : facts_add(a, &o->f);
}

/* Whether every sum of dst stays in range with src merged in. */
static const char *
merge_fits(const struct agent_stats *dst, const struct agent_stats *src)
{
	const struct field *r;

	for (r = agent_fields; r < agent_fields + agent_nfields; r++)
		if ((r->kind == FIELD_INT &&
		     !int_fits(dst, r, *CFIELD_OF(int64_t, src, r))) ||
		    (r->kind == FIELD_COUNTER &&
		     !counter_merge_fits(CFIELD_OF(struct counter_set, dst, r),
					 CFIELD_OF(struct counter_set, src, r))) ||
		    (r->kind == FIELD_HIST &&
		     !hist_merge_fits(CFIELD_OF(struct hist, dst, r),
				      CFIELD_OF(struct hist, src, r))))
			return out_of_range(r);
	return NULL;
}

const char *
agent_stats_merge(struct agent_stats *dst, const struct agent_stats *src)
{
	const struct field *r;
	const char *why;

	if ((why = merge_fits(dst, src)) != NULL)
		return why;
	for (r = agent_fields; r < agent_fields + agent_nfields; r++) {
		if (r->kind == FIELD_INT)
			int_add(dst, r, *CFIELD_OF(int64_t, src, r));
		else if (r->kind == FIELD_COUNTER)
			counter_merge(FIELD_OF(struct counter_set, dst, r),
				      CFIELD_OF(struct counter_set, src, r));
		else if (r->kind == FIELD_HIST)
			hist_merge_linear(FIELD_OF(struct hist, dst, r),
					  CFIELD_OF(struct hist, src, r));
		else if (src->have_ts && (r->flags & FIELD_LAST))
			agent_range_add(dst, src->last_ts,
					src->last_ts_text.data,
					src->last_ts_text.len);
		else if (src->have_ts)
			agent_range_add(dst, src->first_ts,
					src->first_ts_text.data,
					src->first_ts_text.len);
	}
	return NULL;
}

/* The counts of tokens by kind, cost and task type sources. */
static const char *
beyond_check(const struct agent_stats *a)
{
	if (a->tokens_kind_count > a->tokens_count)
		return "\"state.tokens_kind_count\" is more than "
		       "\"state.tokens_count\"";
	if (a->cost_count > a->invocations ||
	    a->task_type_inferred > a->invocations)
		return "a count of \"state\" is more than \"invocation_count\"";
	if (a->cost_hist.total != a->cost_count)
		return "\"state.cost_hist\" does not count "
		       "\"state.cost_count\"";
	return NULL;
}

const char *
agent_stats_check(const struct agent_stats *a)
{
	int64_t decided;

	if (__builtin_add_overflow(a->successes, a->failures, &decided) ||
	    decided > a->invocations)
		return "\"state.successes\" and \"state.failures\" add up to "
		       "more than \"invocation_count\"";
	if (a->quality_count > a->invocations)
		return "\"state.quality_count\" is more than "
		       "\"invocation_count\"";
	if (a->duration_count > a->invocations ||
	    a->tokens_count > a->invocations ||
	    __builtin_add_overflow(a->would_use_again_yes,
				   a->would_use_again_no, &decided) ||
	    decided > a->invocations)
		return "a count of \"state\" is more than \"invocation_count\"";
	if (a->duration_hist.total > a->duration_count)
		return "\"state.duration_hist\" counts more than "
		       "\"state.duration_count\"";
	if (a->tokens_hist.total != a->tokens_count)
		return "\"state.tokens_hist\" does not count "
		       "\"state.tokens_count\"";
	return beyond_check(a);
}
