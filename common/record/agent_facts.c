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

/* Where one thread keeps the texts of facts that are not in the line as
 * written (unescaped, or strings joined by "+"). Borrowing, it keeps
 * none: such a text declines the facts (the line is counted the other
 * way), and the buffers are never touched. */
struct fact_ctx {
	bool borrow, declined;
	struct buf task, failure, alternative, model, unpriced;
};
static struct fact_ctx own_ctx;      /* the thread that adds */

/* The text of string token i (record_text), or, borrowing, as written
 * (an escaped one declines). */
static const char *
fact_text(struct fact_ctx *c, struct buf *scratch, const struct json_doc *d,
	  int i, size_t *len)
{
	const char *p;

	if (!c->borrow)
		return record_text(d, i, scratch, len);
	p = json_raw(d, i, len);
	c->declined |= memchr(p, '\\', *len) != NULL;
	return p;
}

/* The non-empty strings of array arr joined by "+" (into b), in *text
 * and *len; false when there is none. */
static bool
join_strings(struct fact_ctx *c, const struct json_doc *d, int arr,
	     struct buf *b, const char **text, size_t *len)
{
	int e, n = 0;

	if (!json_is_array(d, arr))
		return false;
	if (!c->borrow)
		buf_reset(b);
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!json_is_string(d, e) || d->tok[e].end == d->tok[e].start)
			continue;
		if (c->borrow) {
			*text = fact_text(c, NULL, d, e, len);
			c->declined |= n++ > 0;
			continue;
		}
		if (n++ > 0)
			buf_addc(b, '+');
		json_unescape(d, e, b);
	}
	if (!c->borrow) {
		*text = b->data;
		*len = b->len;
	}
	return n > 0;
}

/* Why number token i does not fit (oak-telemetry(5), NUMBERS): not a
 * double (oak_parse_double: overflow, underflow), or past int64 in
 * millionths (micro) or as an integer. NULL when it fits or is no
 * number, else why. When it fits, a millionths value is in *out (left
 * alone when i is no number), so the caller reads it once. The common
 * case, a value that fits the field's own reader (and is not a
 * millionths value read as 0, which may be an underflow), costs no
 * second parse. */
static const char *
unfit(const struct json_doc *d, int i, const char *why, bool micro,
      int64_t *out)
{
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
	return why;
}

/* Why the tokens of metadata meta (those tokens_of reads) do not fit. */
static const char *
tokens_unfit(const struct json_doc *d, int meta)
{
	int64_t v;
	int i;

	if (!json_is_object(d, meta))
		return NULL;
	if ((i = json_get(d, meta, "total_tokens")) >= 0)
		return unfit(d, i, "\"metadata.total_tokens\" is out of range",
			     false, &v);
	return unfit(d, json_get(d, meta, "totalTokens"),
		     "\"metadata.totalTokens\" is out of range", false, &v);
}

/* Key k is the text of string token i when it is a non-empty string,
 * counted once; its seq is set by facts_finish. */
static void
key_of(struct fact_ctx *c, struct buf *scratch, struct fact_key *k,
       const struct json_doc *d, int i)
{
	k->text = NULL;
	if (json_is_string(d, i) && d->tok[i].end > d->tok[i].start)
		k->text = fact_text(c, scratch, d, i, &k->len);
	k->v[0] = 1;
}

/* The outcome's status and failure message (outcome: its token). */
static void
outcome_facts(struct fact_ctx *c, const struct json_doc *d, int outcome,
	      struct agent_facts *f)
{
	int i = json_get(d, outcome, "status");

	f->failure_message.text = NULL;
	if (STREQ(d, i, "success")) {
		f->successes = 1;
	} else if (STREQ(d, i, "failure")) {
		f->failures = 1;
		key_of(c, &c->failure, &f->failure_message, d,
		       json_get(d, outcome, "error_message"));
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

/* The model of a call: metadata.models joined by "+" (its tokens are
 * not split by model), else metadata.model, in *text and *len; false
 * when none. */
static bool
model_key(struct fact_ctx *c, const struct json_doc *d, int meta,
	  const char **text, size_t *len)
{
	int i;

	if (join_strings(c, d, json_get(d, meta, "models"), &c->model, text,
			 len))
		return true;
	i = json_get(d, meta, "model");
	if (!json_is_string(d, i) || d->tok[i].end == d->tok[i].start)
		return false;
	*text = fact_text(c, &c->model, d, i, len);
	return true;
}

/* metadata.cost_usd in micro-dollars and the unpriced models: priced
 * in full (cost_usd and no unpriced model) sets the cost facts. */
static const char *
cost_facts(struct fact_ctx *c, const struct json_doc *d, int meta,
	   struct agent_facts *f, bool *known)
{
	int64_t micro = -1;
	int i = json_get(d, meta, "cost_usd");
	const char *text;
	size_t len;

	if (json_is_number(d, i) && json_micro(d, i, &micro) < 0)
		return "\"metadata.cost_usd\" is out of range";
	f->cost = NAN;
	f->cost_unpriced.text = NULL;
	if (join_strings(c, d, json_get(d, meta, "cost_unpriced_models"),
			 &c->unpriced, &text, &len)) {
		f->cost_unpriced = (struct fact_key){ text, len, { 1 }, NULL };
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
token_facts(struct fact_ctx *c, const struct json_doc *d, int meta,
	    struct agent_facts *f)
{
	static const char *const kind_unfit[KIND_N] = {
		"\"metadata.tokens.input\" is out of range",
		"\"metadata.tokens.output\" is out of range",
		"\"metadata.tokens.cache_creation\" is out of range",
		"\"metadata.tokens.cache_read\" is out of range"
	};
	int have, k;
	int by_kind = json_get(d, meta, "tokens");
	int64_t tokens = -1, v;
	const char *why, *model;
	size_t len;
	bool known = false;

	for (k = 0; k < KIND_N && json_is_object(d, by_kind); k++)
		if ((why = unfit(d, json_get(d, by_kind, kind_names[k]),
				 kind_unfit[k], false, &v)) != NULL)
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
	if ((why = cost_facts(c, d, meta, f, &known)) != NULL)
		return why;
	f->model.text = f->model_cost.text = NULL;
	if (!have || !model_key(c, d, meta, &model, &len))
		return NULL;
	f->model = (struct fact_key){ model, len, { 1 }, NULL };
	for (k = 0; k < KIND_N; k++)
		f->model.v[MODEL_KIND0 + k] = f->tokens_kind[k];
	if (known)
		f->model_cost = (struct fact_key){ model, len,
			{ f->cost_count, f->cost_sum_micro,
			  f->cost_unpriced.text != NULL }, NULL };
	return NULL;
}

/* The invocation's own facts (all but its success metric's, its seq and
 * its day): NULL, or why it is bad, with *early when that reason comes
 * before any of its success metric's. */
static const char *
facts_own(struct fact_ctx *c, const struct json_doc *d, const int *at,
	  struct agent_facts *f, bool *early)
{
	int64_t micro = 0;
	int meta = at[INV_METADATA], i;
	int task_tok = json_get(d, at[INV_FEATURES], "task");
	const char *why;

	*early = true;
	if ((why = unfit(d, at[INV_DURATION],
			 "\"duration_seconds\" is out of range", true,
			 &micro)) != NULL)
		return why;
	*early = false;
	if ((why = tokens_unfit(d, meta)) != NULL)
		return why;
	memset(f, 0, sizeof(*f));
	f->invocations = 1;
	/* the seed counts a duration when it is truthy: not null, not 0 */
	f->duration_count = micro != 0;
	f->duration_sum_micro = micro;
	f->duration = micro != 0 ? (double)micro / 1e6 : NAN;
	outcome_facts(c, d, at[INV_OUTCOME], f);
	key_of(c, &c->task, &f->task_type, d, json_get(d, task_tok, "type"));
	f->task_outcome = (struct fact_key){ f->task_type.text,
		f->task_type.len, { 1, f->successes, f->failures }, NULL };
	i = json_get(d, task_tok, "type_source");
	f->task_type_inferred = f->task_type.text != NULL &&
				STREQ(d, i, "inferred");
	f->ts = json_raw(d, at[INV_TIMESTAMP], &f->ts_len);
	return token_facts(c, d, meta, f);
}

void
agent_metric_of(const struct json_doc *md, int metric, struct agent_metric *m)
{
	int quality = json_get(md, metric, "quality_rating");
	int i = json_get(md, metric, "would_use_again");
	const char *alt;
	size_t len;

	memset(m, 0, sizeof(*m));
	if (metric < 0 || prim_is(md, metric, 'n'))
		return;
	if (!json_is_object(md, metric)) {
		m->bad = METRIC_NOT_OBJECT;
		return;
	}
	if (!json_is_number(md, quality)) {
		m->bad = METRIC_NOT_NUMBER;
		return;
	}
	if (unfit(md, quality, "", true, &m->rating) != NULL) {
		m->bad = METRIC_OUT_OF_RANGE;
		return;
	}
	m->counted = true;
	m->would_use = prim_is(md, i, 't') ? 1 : prim_is(md, i, 'f') ? -1 : 0;
	i = json_get(md, metric, "alternative_agent_suggested");
	if (!json_is_string(md, i) || md->tok[i].end == md->tok[i].start)
		return;
	alt = json_raw(md, i, &len);
	m->alt_off = (uint32_t)(alt - md->text);
	m->alt_len = (uint32_t)len;
	m->alt_escaped = memchr(alt, '\\', len) != NULL;
}

/* The success metric's facts (m, in text), once the invocation's own
 * are in f (own_why: why they are bad, early: before the metric's
 * reasons): NULL, or why the invocation is bad. An escaped alternative
 * is left to the caller. */
static const char *
metric_apply(const char *own_why, bool early, const struct agent_metric *m,
	     const char *text, struct agent_facts *f)
{
	if (m->bad == METRIC_NOT_OBJECT)
		return "\"success_metric\" is not an object";
	if (m->bad == METRIC_NOT_NUMBER)
		return "\"success_metric.quality_rating\" is not a number";
	if (own_why != NULL && early)
		return own_why;
	if (m->bad == METRIC_OUT_OF_RANGE)
		return "\"success_metric.quality_rating\" is out of range";
	if (own_why != NULL)
		return own_why;
	f->alternative = (struct fact_key){ NULL, 0, { 1 }, NULL };
	if (!m->counted)
		return NULL;
	f->quality_count = 1;
	f->quality_sum_micro = m->rating;
	f->would_use_again_yes = m->would_use > 0;
	f->would_use_again_no = m->would_use < 0;
	if (m->alt_len > 0 && !m->alt_escaped)
		f->alternative.text = text + m->alt_off;
	f->alternative.len = m->alt_len;
	return NULL;
}

/* The facts that need the invocation's place: its seq, and its day. */
static void
facts_finish(struct agent_facts *f, int64_t seq, struct oak_instant when)
{
	f->task_type.v[1] = f->failure_message.v[1] = f->alternative.v[1] =
		f->cost_unpriced.v[1] = seq;
	f->day = (struct fact_key){ NULL, 0, { 1, f->successes, f->failures,
		f->quality_count, f->quality_sum_micro }, NULL };
	f->day.text = day_key(when, &f->day.len);
	f->when = when;
}

const char *
agent_facts_of(const struct json_doc *d, const int *at,
	       const struct json_doc *md, int64_t seq, struct oak_instant when,
	       struct agent_facts *f)
{
	int metric = at[INV_METRIC];
	struct agent_metric m;
	const char *why;
	bool early;

	why = facts_own(&own_ctx, d, at, f, &early);
	agent_metric_of(md, metric, &m);
	if ((why = metric_apply(why, early, &m, md->text, f)) != NULL)
		return why;
	if (m.alt_escaped)
		key_of(&own_ctx, &own_ctx.alternative, &f->alternative, md,
		       json_get(md, metric, "alternative_agent_suggested"));
	facts_finish(f, seq, when);
	return NULL;
}

bool
agent_facts_own(const struct json_doc *d, const int *at, struct agent_own *o)
{
	struct fact_ctx borrow = { .borrow = true };

	o->why = facts_own(&borrow, d, at, &o->f, &o->early);
	return !borrow.declined;
}

const char *
agent_facts_rest(struct agent_own *o, const struct agent_metric *m,
		 const char *text, int64_t seq, struct oak_instant when)
{
	static const struct agent_metric none;
	const char *why;

	if ((why = metric_apply(o->why, o->early, m != NULL ? m : &none, text,
				&o->f)) == NULL)
		facts_finish(&o->f, seq, when);
	return why;
}
