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
	if (c < 0 || (c == 0 && strcmp(text, a->first_ts_text.data) < 0)) {
		a->first_ts = t;
		buf_reset(&a->first_ts_text);
		buf_add(&a->first_ts_text, text, len);
	}
	c = oak_instant_cmp(t, a->last_ts);
	if (c > 0 || (c == 0 && strcmp(text, a->last_ts_text.data) > 0)) {
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

/* The UTC day key (YYYY-MM-DD) of an instant; the last one is cached,
 * so a stream of one day's records formats it once. */
static const char *
day_key(struct oak_instant t, size_t *len)
{
	static struct buf key;
	static int64_t cached_day;
	static bool cached;
	int64_t day = oak_day_of(t);

	if (!cached || day != cached_day) {
		buf_reset(&key);
		oak_period_key(&key, day, OAK_BY_DAY);
		cached_day = day;
		cached = true;
	}
	*len = key.len;
	return key.data;
}

/* Tokens the agent host reported: metadata.total_tokens (or the host's
 * own spelling totalTokens), a non-negative integer; -1 when none. */
static int64_t
tokens_of(const struct json_doc *d, int meta)
{
	int64_t v;
	int i;

	if (!json_is_object(d, meta))
		return -1;
	i = json_get(d, meta, "total_tokens");
	if (i < 0)
		i = json_get(d, meta, "totalTokens");
	if (!json_is_number(d, i) || json_int64(d, i, &v) < 0 || v < 0)
		return -1;
	return v;
}

/* metadata.tokens, the four kinds (each a non-negative integer, absent
 * is 0) into k[] and their total: 1, or 0 when there is no such object,
 * or -1 when the total leaves the int64 range. */
static const char *const kind_names[KIND_N] = {
	"input", "output", "cache_creation", "cache_read"
};

static int
kinds_of(const struct json_doc *d, int meta, int64_t *k, int64_t *total)
{
	int tok = json_get(d, meta, "tokens"), i, j;

	if (!json_is_object(d, meta) || !json_is_object(d, tok))
		return 0;
	*total = 0;
	for (j = 0; j < KIND_N; j++) {
		k[j] = 0;
		i = json_get(d, tok, kind_names[j]);
		if (i >= 0 && (json_int64(d, i, &k[j]) < 0 || k[j] < 0))
			return 0;
		if (__builtin_add_overflow(*total, k[j], total))
			return -1;
	}
	return 1;
}

/* The non-empty strings of array arr joined by "+" into b; false when
 * there is none. */
static bool
join_strings(const struct json_doc *d, int arr, struct buf *b)
{
	int e;

	buf_reset(b);
	if (!json_is_array(d, arr))
		return false;
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!json_is_string(d, e) || d->tok[e].end == d->tok[e].start)
			continue;
		if (b->len > 0)
			buf_addc(b, '+');
		json_unescape(d, e, b);
	}
	return b->len > 0;
}

/* Why number token i (field prefix + name) does not fit
 * (oak-telemetry(5), NUMBERS): not a double (oak_parse_double:
 * overflow, underflow), or past int64 in millionths (micro) or as an
 * integer. NULL when it fits or is no number. The common case, a value
 * that fits the field's own reader (and is not a millionths value read
 * as 0, which may be an underflow), costs no second parse. */
static const char *
unfit(const struct json_doc *d, int i, const char *prefix, const char *name,
      bool micro)
{
	static char why[96];
	const char *p;
	size_t len;
	int64_t v;
	double x;

	if (!json_is_number(d, i) ||
	    (micro ? json_micro(d, i, &v) == 0 && v != 0 :
		     json_int64(d, i, &v) == 0))
		return NULL;
	p = json_raw(d, i, &len);
	if (oak_parse_double_n(p, len, &x) == 0 &&
	    (micro ? json_micro(d, i, &v) == 0 : fabs(x) < 0x1p63))
		return NULL;
	snprintf(why, sizeof(why), "\"%s%s\" is out of range", prefix, name);
	return why;
}

/* Why a number of invocation d (its duration, metadata and
 * success_metric tokens, or -1) that grouping reads does not fit; NULL when all do. The tokens
 * checked are those tokens_of reads. */
static const char *
numbers_unfit(const struct json_doc *d, int duration, int meta, int metric)
{
	const char *why;
	int i;

	if ((why = unfit(d, duration, "",
			 "duration_seconds", true)) != NULL ||
	    (why = unfit(d, json_get(d, metric, "quality_rating"), "",
			 "success_metric.quality_rating", true)) != NULL ||
	    !json_is_object(d, meta))
		return why;
	if ((i = json_get(d, meta, "total_tokens")) >= 0)
		return unfit(d, i, "metadata.", "total_tokens", false);
	return unfit(d, json_get(d, meta, "totalTokens"), "metadata.",
		     "totalTokens", false);
}

/* Key k is the text of string token i when it is a non-empty string,
 * counted once, first seen at seq. */
static void
key_of(struct fact_key *k, const struct json_doc *d, int i, struct buf *scratch,
       int64_t seq)
{
	k->text = NULL;
	if (json_is_string(d, i) && d->tok[i].end > d->tok[i].start)
		k->text = record_text(d, i, scratch, &k->len);
	k->v[0] = 1;
	k->v[1] = seq;
}

/* The outcome's status and failure message (outcome: its token). */
static void
outcome_facts(const struct json_doc *d, int outcome, int64_t seq,
	      struct agent_facts *f)
{
	static struct buf scratch;
	int i = json_get(d, outcome, "status");

	f->failure_message.text = NULL;
	if (json_streq(d, i, "success")) {
		f->successes = 1;
	} else if (json_streq(d, i, "failure")) {
		f->failures = 1;
		key_of(&f->failure_message, d, json_get(d, outcome,
			"error_message"), &scratch, seq);
	} else if (json_streq(d, i, "partial")) {
		f->partials = 1;
	} else {
		f->unknowns = 1;
	}
}

/* The success metric's rating, would-use-again and alternative. */
static void
metric_facts(const struct json_doc *d, int metric, int64_t seq,
	     struct agent_facts *f)
{
	static struct buf scratch;
	int64_t micro;
	int i;

	f->alternative.text = NULL;
	if (metric < 0 || !json_is_object(d, metric))
		return;
	i = json_get(d, metric, "quality_rating");
	if (json_micro(d, i, &micro) == 0) {
		f->quality_count = 1;
		f->quality_sum_micro = micro;
	}
	i = json_get(d, metric, "would_use_again");
	if (json_is_bool(d, i)) {
		if (json_is_true(d, i))
			f->would_use_again_yes = 1;
		else
			f->would_use_again_no = 1;
	}
	key_of(&f->alternative, d, json_get(d, metric,
		"alternative_agent_suggested"), &scratch, seq);
}

/* The model of a call: metadata.models joined by "+" (its tokens are
 * not split by model), else metadata.model; false when none. */
static bool
model_key(const struct json_doc *d, int meta, struct buf *b)
{
	int i;

	if (join_strings(d, json_get(d, meta, "models"), b))
		return true;
	i = json_get(d, meta, "model");
	if (!json_is_string(d, i) || d->tok[i].end == d->tok[i].start)
		return false;
	json_unescape(d, i, b);
	return true;
}

/* metadata.cost_usd in micro-dollars and the unpriced models: priced
 * in full (cost_usd and no unpriced model) sets the cost facts. */
static const char *
cost_facts(const struct json_doc *d, int meta, int64_t seq,
	   struct agent_facts *f, bool *known)
{
	static struct buf unpriced;
	int64_t micro = -1;
	int i = json_get(d, meta, "cost_usd");

	if (json_is_number(d, i) && json_micro(d, i, &micro) < 0)
		return "\"metadata.cost_usd\" is out of range";
	f->cost = NAN;
	f->cost_unpriced.text = NULL;
	if (join_strings(d, json_get(d, meta, "cost_unpriced_models"),
			 &unpriced)) {
		f->cost_unpriced = (struct fact_key){ unpriced.data,
			unpriced.len, { 1, seq }, NULL };
		*known = true;
	} else if (micro >= 0) {
		f->cost_count = 1;
		f->cost_sum_micro = micro;
		f->cost = (double)micro / 1e6;
		*known = true;
	}
	return NULL;
}

/* Tokens by kind and in all, cost and model of call d (meta: its
 * metadata token, or -1); NULL or why it is bad. */
static const char *
token_facts(const struct json_doc *d, int meta, int64_t seq,
	    struct agent_facts *f)
{
	static struct buf model;
	int have, k;
	int by_kind = json_get(d, meta, "tokens");
	int64_t tokens = -1;
	const char *why;
	bool known = false;

	for (k = 0; k < KIND_N; k++)
		if ((why = unfit(d, json_get(d, by_kind, kind_names[k]),
				 "metadata.tokens.", kind_names[k],
				 false)) != NULL)
			return why;
	if ((have = kinds_of(d, meta, f->tokens_kind, &tokens)) < 0)
		return "sum of \"metadata.tokens\" out of range";
	if (have == 0) {
		memset(f->tokens_kind, 0, sizeof(f->tokens_kind));
		tokens = tokens_of(d, meta);
	}
	f->tokens_kind_count = have;
	f->tokens_count = tokens >= 0;
	f->tokens_sum = tokens >= 0 ? tokens : 0;
	f->tokens = tokens >= 0 ? (double)tokens : NAN;
	if ((why = cost_facts(d, meta, seq, f, &known)) != NULL)
		return why;
	f->model.text = f->model_cost.text = NULL;
	if (!have || !model_key(d, meta, &model))
		return NULL;
	f->model = (struct fact_key){ model.data, model.len, { 1 }, NULL };
	for (k = 0; k < KIND_N; k++)
		f->model.v[MODEL_KIND0 + k] = f->tokens_kind[k];
	if (known)
		f->model_cost = (struct fact_key){ model.data, model.len,
			{ f->cost_count, f->cost_sum_micro,
			  f->cost_unpriced.text != NULL }, NULL };
	return NULL;
}

/* Whether the task type was inferred; a type without that source was
 * given (the rest of task_types' counts). */
static void
type_source_facts(const struct json_doc *d, int task, struct agent_facts *f)
{
	int i = json_get(d, task, "type_source");

	if (f->task_type.text == NULL)
		return;
	f->task_type_inferred = json_streq(d, i, "inferred");
}

/* What invocation d (at: its root's invocation_keys) adds to its
 * agent's state; NULL or why it is bad. */
static const char *
facts_of(const struct json_doc *d, const int *at, int64_t seq,
	 struct oak_instant when, struct agent_facts *f)
{
	static struct buf task, ts;
	const char *p;
	size_t len;
	int64_t micro = 0;
	int i = at[INV_DURATION], metric = at[INV_METRIC];
	int meta = at[INV_METADATA];
	int task_tok = json_get(d, at[INV_FEATURES], "task");

	if (metric >= 0 && !json_is_null(d, metric)) {
		if (!json_is_object(d, metric))
			return "\"success_metric\" is not an object";
		if (!json_is_number(d, json_get(d, metric, "quality_rating")))
			return "\"success_metric.quality_rating\" is not a number";
	}
	if ((p = numbers_unfit(d, i, meta, metric)) != NULL)
		return p;
	if (json_is_number(d, i))
		json_micro(d, i, &micro);
	memset(f, 0, sizeof(*f));
	f->invocations = 1;
	/* the seed counts a duration when it is truthy: not null, not 0 */
	f->duration_count = micro != 0;
	f->duration_sum_micro = micro;
	f->duration = micro != 0 ? (double)micro / 1e6 : NAN;
	outcome_facts(d, at[INV_OUTCOME], seq, f);
	key_of(&f->task_type, d, json_get(d, task_tok, "type"), &task, seq);
	f->task_outcome = (struct fact_key){ f->task_type.text,
		f->task_type.len, { 1, f->successes, f->failures }, NULL };
	metric_facts(d, metric, seq, f);
	type_source_facts(d, task_tok, f);
	if ((p = token_facts(d, meta, seq, f)) != NULL)
		return p;
	f->day = (struct fact_key){ NULL, 0, { 1, f->successes, f->failures,
		f->quality_count, f->quality_sum_micro }, NULL };
	f->day.text = day_key(when, &f->day.len);
	f->when = when;
	p = json_raw(d, at[INV_TIMESTAMP], &len);
	buf_reset(&ts);
	buf_add(&ts, p, len);
	f->ts = ts.data;
	f->ts_len = ts.len;
	return NULL;
}

/* The rows with a fact, by kind, in table order (fact_rows): the
 * per-line loops below go through each kind's own, with no test of the
 * kind. */
static struct {
	const struct field *ints[48], *counters[16], *hists[8], *ts;
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
		if (r->kind == FIELD_INT && rows.nints < 48)
			rows.ints[rows.nints++] = r;
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

/* Whether every sum of a stays in range with facts f added; looks up
 * the items the counters of f add to. */
static const char *
facts_fit(struct agent_stats *a, struct agent_facts *f)
{
	const struct field *r;
	struct counter_set *set;
	struct fact_key *k;
	bool fit = true;
	int64_t v;
	int i;

	for (i = 0; i < rows.ncounters; i++) {
		r = rows.counters[i];
		k = FACT_OF(struct fact_key, f, r);
		set = FIELD_OF(struct counter_set, a, r);
		if (k->text != NULL) {
			k->item = counter_item(set, k->text, k->len);
			fit &= k->item == NULL ||
			       counter_item_fits(set, k->item, k->v);
		}
	}
	for (i = 0; i < rows.nints; i++) {
		v = *FACT_OF(int64_t, f, rows.ints[i]);
		fit &= v == 0 || int_fits(a, rows.ints[i], v);
	}
	for (i = 0; i < rows.nhists; i++)
		fit &= CFIELD_OF(struct hist, a, rows.hists[i])->total !=
		       INT64_MAX;
	return fit ? NULL : first_unfit(a, f);
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

const char *
agent_stats_add(struct agent_stats *a, const struct json_doc *d,
		const int *at, int64_t seq, struct oak_instant when)
{
	static struct agent_facts f;
	const struct field *r;
	struct fact_key *k;
	const char *why;
	int64_t v;
	int i;

	fact_rows();
	if ((why = facts_of(d, at, seq, when, &f)) != NULL ||
	    (why = facts_fit(a, &f)) != NULL)
		return why;
	for (i = 0; i < rows.nints; i++)
		if ((v = *FACT_OF(int64_t, &f, rows.ints[i])) != 0)
			int_add(a, rows.ints[i], v);
	for (i = 0; i < rows.ncounters; i++) {
		r = rows.counters[i];
		k = FACT_OF(struct fact_key, &f, r);
		if (k->item != NULL)
			counter_item_add(FIELD_OF(struct counter_set, a, r),
					 k->item, k->v);
		else if (k->text != NULL)
			counter_add(FIELD_OF(struct counter_set, a, r),
				    k->text, k->len, k->v);
	}
	for (i = 0; i < rows.nhists; i++)
		hist_count(FIELD_OF(struct hist, a, rows.hists[i]),
			   *FACT_OF(double, &f, rows.hists[i]));
	if (rows.ts != NULL)
		agent_range_add(a, f.when, f.ts, f.ts_len);
	return NULL;
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
