/*
 * agent_facts.c: what one invocation adds to its agent's state (struct
 * agent_facts, agent_fields.h), read off its parsed line: counts, sums
 * in millionths, the keys its counters count and the values its
 * histograms take, or why the line is bad. agent_stats.c checks that
 * they fit and adds them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record/agent_fields.h"
#include "record/invocation.h"

/* json_streq of a literal, inline: its length is known, no strlen and
 * no call (group asks three of every line). */
#define STREQ(d, i, lit) \
	(json_is_string(d, i) && json_tok_is(d, i, lit, sizeof(lit) - 1))

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
 * integer. NULL when it fits or is no number; then a millionths value
 * is in *out (left alone when i is no number), so the caller reads it
 * once. The common case, a value that fits the field's own reader (and
 * is not a millionths value read as 0, which may be an underflow),
 * costs no second parse. */
static const char *
unfit(const struct json_doc *d, int i, const char *prefix, const char *name,
      bool micro, int64_t *out)
{
	static char why[96];
	const char *p;
	size_t len;
	int64_t v = 0;
	double x;

	if (!json_is_number(d, i))
		return NULL;
	if (micro ? json_micro(d, i, &v) == 0 && v != 0 :
		    json_int64(d, i, &v) == 0)
		return *out = v, NULL;
	p = json_raw(d, i, &len);
	if (oak_parse_double_n(p, len, &x) == 0 &&
	    (micro ? json_micro(d, i, &v) == 0 : fabs(x) < 0x1p63))
		return *out = v, NULL;
	snprintf(why, sizeof(why), "\"%s%s\" is out of range", prefix, name);
	return why;
}

/* Why a number of invocation d (its duration, quality rating and
 * metadata tokens, or -1; the rating in md) that grouping reads does not
 * fit; NULL when
 * all do, and the duration and the rating in millionths are in *micro
 * and *rating (when they are numbers). The tokens checked are those
 * tokens_of reads. */
static const char *
numbers_unfit(const struct json_doc *d, int duration, const struct json_doc *md,
	      int quality, int meta, int64_t *micro, int64_t *rating)
{
	const char *why;
	int64_t v;
	int i;

	if ((why = unfit(d, duration, "", "duration_seconds", true,
			 micro)) != NULL ||
	    (why = unfit(md, quality, "", "success_metric.quality_rating", true,
			 rating)) != NULL ||
	    !json_is_object(d, meta))
		return why;
	if ((i = json_get(d, meta, "total_tokens")) >= 0)
		return unfit(d, i, "metadata.", "total_tokens", false, &v);
	return unfit(d, json_get(d, meta, "totalTokens"), "metadata.",
		     "totalTokens", false, &v);
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
	if (STREQ(d, i, "success")) {
		f->successes = 1;
	} else if (STREQ(d, i, "failure")) {
		f->failures = 1;
		key_of(&f->failure_message, d, json_get(d, outcome,
			"error_message"), &scratch, seq);
	} else if (STREQ(d, i, "partial")) {
		f->partials = 1;
	} else {
		f->unknowns = 1;
	}
}

/* Is token i a primitive starting with c: true, false or null? */
static inline bool
prim_is(const struct json_doc *d, int i, char c)
{
	return json_is_type(d, i, JSMN_PRIMITIVE) &&
	       d->text[d->tok[i].start] == c;
}

/* The success metric's rating (rating: its millionths, a number in an
 * object metric, numbers_unfit read it), would-use-again and
 * alternative. */
static void
metric_facts(const struct json_doc *d, int metric, int64_t rating,
	     int64_t seq, struct agent_facts *f)
{
	static struct buf scratch;
	int i;

	f->alternative.text = NULL;
	if (metric < 0 || !json_is_object(d, metric))
		return;
	f->quality_count = 1;
	f->quality_sum_micro = rating;
	i = json_get(d, metric, "would_use_again");
	if (prim_is(d, i, 't'))
		f->would_use_again_yes = 1;
	else if (prim_is(d, i, 'f'))
		f->would_use_again_no = 1;
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
	int64_t tokens = -1, v;
	const char *why;
	bool known = false;

	for (k = 0; k < KIND_N && json_is_object(d, by_kind); k++)
		if ((why = unfit(d, json_get(d, by_kind, kind_names[k]),
				 "metadata.tokens.", kind_names[k],
				 false, &v)) != NULL)
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
	f->task_type_inferred = STREQ(d, i, "inferred");
}

/* What invocation d (at: its root's invocation_keys) adds to its
 * agent's state; NULL or why it is bad. */
const char *
agent_facts_of(const struct json_doc *d, const int *at,
	       const struct json_doc *md, int64_t seq, struct oak_instant when,
	       struct agent_facts *f)
{
	static struct buf task, ts;
	const char *p;
	size_t len;
	int64_t micro = 0, rating = 0;
	int metric = at[INV_METRIC], meta = at[INV_METADATA];
	int task_tok = json_get(d, at[INV_FEATURES], "task");
	int quality = json_get(md, metric, "quality_rating");

	if (metric >= 0 && !prim_is(md, metric, 'n')) {
		if (!json_is_object(md, metric))
			return "\"success_metric\" is not an object";
		if (!json_is_number(md, quality))
			return "\"success_metric.quality_rating\" is not a number";
	}
	if ((p = numbers_unfit(d, at[INV_DURATION], md, quality, meta, &micro,
			       &rating)) != NULL)
		return p;
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
	metric_facts(md, metric, rating, seq, f);
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
