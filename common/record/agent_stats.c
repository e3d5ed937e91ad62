/*
 * agent_stats.c: AgentStats, the per-agent state of oak-group-by-agent.
 * Everything is kept as exact integers (counts; sums in millionths) or
 * as counted strings with the position they first appeared at, so that
 * merging shards is addition and min, and gives the same bytes whatever
 * the order. The seed's fields are derived from the state on output,
 * and so are the fields beyond the seed: duration percentiles (hist.c),
 * Wilson intervals (stats.c), would-use-again rate, suggested
 * alternatives, tokens, per-task-type outcomes and per-day counts.
 * Lists in the state are written in an order fixed by their content
 * (first appearance, bucket, text), never by the order of merging.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record/agent_stats.h"
#include "record/stats.h"

static void
counted_init(struct counted_set *s)
{
	s->index = ht_create();
	s->item = NULL;
	s->n = s->cap = 0;
}

static void
counted_release(struct counted_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->item[i].text);
	free(s->item);
	ht_release(s->index);
}

/* Adds count occurrences of text first seen at seq. */
static void
counted_add(struct counted_set *s, const char *text, size_t len,
	    int64_t count, int64_t seq)
{
	bool created;
	void **slot = ht_put(s->index, text, len, &created);
	struct counted *c;

	if (created) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 8;
			s->item = oak_realloc(s->item, sizeof(*s->item) * s->cap);
		}
		c = &s->item[s->n++];
		c->text = oak_strndup(text, len);
		c->len = len;
		c->count = 0;
		c->first_seq = seq;
		*slot = (void *)(uintptr_t)s->n;
	} else {
		c = &s->item[(uintptr_t)*slot - 1];
		if (seq < c->first_seq)
			c->first_seq = seq;
	}
	c->count += count;
}

static int
counted_cmp(const void *pa, const void *pb)
{
	const struct counted *a = *(const struct counted *const *)pa;
	const struct counted *b = *(const struct counted *const *)pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Items sorted by count (descending), then first appearance; at most
 * max. Returns how many were put in out (room for max pointers). */
static size_t
counted_top(const struct counted_set *s, const struct counted **out,
	    size_t max)
{
	const struct counted **all;
	size_t i, n;

	if (s->n == 0 || max == 0)
		return 0;
	all = oak_malloc(sizeof(*all) * s->n);
	for (i = 0; i < s->n; i++)
		all[i] = &s->item[i];
	qsort(all, s->n, sizeof(*all), counted_cmp);
	n = s->n < max ? s->n : max;
	memcpy(out, all, sizeof(*all) * n);
	free(all);
	return n;
}

static void
tally_init(struct tally_set *s, int nv)
{
	s->index = ht_create();
	s->item = NULL;
	s->n = s->cap = 0;
	s->nv = nv;
}

static void
tally_release(struct tally_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->item[i].text);
	free(s->item);
	ht_release(s->index);
}

/* Adds v[0..nv-1] to the counters of text. */
static void
tally_add(struct tally_set *s, const char *text, size_t len,
	  const int64_t *v)
{
	bool created;
	void **slot = ht_put(s->index, text, len, &created);
	struct tally *t;
	int k;

	if (created) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 8;
			s->item = oak_realloc(s->item, sizeof(*s->item) * s->cap);
		}
		t = &s->item[s->n++];
		memset(t, 0, sizeof(*t));
		t->text = oak_strndup(text, len);
		t->len = len;
		*slot = (void *)(uintptr_t)s->n;
	} else {
		t = &s->item[(uintptr_t)*slot - 1];
	}
	for (k = 0; k < s->nv; k++)
		t->v[k] += v[k];
}

static int
text_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int
tally_cmp(const void *pa, const void *pb)
{
	const struct tally *a = *(const struct tally *const *)pa;
	const struct tally *b = *(const struct tally *const *)pb;

	return text_cmp(a->text, a->len, b->text, b->len);
}

void
tally_sorted(const struct tally_set *s, const struct tally **out)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		out[i] = &s->item[i];
	if (s->n > 1)
		qsort(out, s->n, sizeof(*out), tally_cmp);
}

/* Counted items in first-appearance order, ties by text. */
static int
first_seq_cmp(const void *pa, const void *pb)
{
	const struct counted *a = *(const struct counted *const *)pa;
	const struct counted *b = *(const struct counted *const *)pb;

	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return text_cmp(a->text, a->len, b->text, b->len);
}

struct agent_stats *
agent_stats_create(const char *name, size_t len, int64_t first_seq)
{
	struct agent_stats *a = oak_calloc(1, sizeof(*a));

	a->name = oak_strndup(name, len);
	a->name_len = len;
	a->first_seq = first_seq;
	counted_init(&a->task_types);
	counted_init(&a->failure_messages);
	buf_init(&a->first_ts_text);
	buf_init(&a->last_ts_text);
	hist_init(&a->duration_hist);
	counted_init(&a->alternatives);
	hist_init(&a->tokens_hist);
	tally_init(&a->task_outcomes, TASK_NV);
	tally_init(&a->days, DAY_NV);
	return a;
}

void
agent_stats_release(struct agent_stats *a)
{
	if (a == NULL)
		return;
	free(a->name);
	counted_release(&a->task_types);
	counted_release(&a->failure_messages);
	buf_release(&a->first_ts_text);
	buf_release(&a->last_ts_text);
	hist_release(&a->duration_hist);
	counted_release(&a->alternatives);
	hist_release(&a->tokens_hist);
	tally_release(&a->task_outcomes);
	tally_release(&a->days);
	free(a);
}

/* Widens the agent's date range with one timestamp. Equal instants
 * written differently: the smaller text starts, the larger ends. */
static void
range_add(struct agent_stats *a, struct oak_instant t, const char *text,
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

/* The unescaped text of string token i: raw when it has no escapes. */
static const char *
string_of(const struct json_doc *d, int i, struct buf *scratch, size_t *len)
{
	const char *p = json_raw(d, i, len);

	if (memchr(p, '\\', *len) == NULL)
		return p;
	buf_reset(scratch);
	json_unescape(d, i, scratch);
	*len = scratch->len;
	return scratch->data;
}

/* The UTC day key (YYYY-MM-DD) of an instant; the last one is cached,
 * so a stream of one day's records formats it once. */
static const char *
day_key(struct oak_instant t)
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
	return key.data;
}

/* Tokens the agent host reported: metadata.total_tokens (or the host's
 * own spelling totalTokens), a non-negative integer; -1 when none. */
static int64_t
tokens_of(const struct json_doc *d)
{
	int64_t v;
	int meta = json_get(d, 0, "metadata"), i;

	if (!json_is_object(d, meta))
		return -1;
	i = json_get(d, meta, "total_tokens");
	if (i < 0)
		i = json_get(d, meta, "totalTokens");
	if (!json_is_number(d, i) || json_int64(d, i, &v) < 0 || v < 0)
		return -1;
	return v;
}

const char *
agent_stats_add(struct agent_stats *a, const struct json_doc *d, int64_t seq,
		struct oak_instant when)
{
	static struct buf scratch, ts;
	int64_t task_v[TASK_NV] = { 1, 0, 0 };
	int64_t day_v[DAY_NV] = { 1, 0, 0, 0, 0 };
	const char *p;
	size_t len;
	int64_t micro, tokens;
	int i, outcome, metric;

	i = json_get(d, 0, "duration_seconds");
	if (json_is_number(d, i)) {
		if (json_micro(d, i, &micro) < 0)
			return "\"duration_seconds\" is out of range";
	} else {
		micro = 0;
	}
	metric = json_get(d, 0, "success_metric");
	if (metric >= 0 && !json_is_null(d, metric)) {
		if (!json_is_object(d, metric))
			return "\"success_metric\" is not an object";
		i = json_get(d, metric, "quality_rating");
		if (!json_is_number(d, i))
			return "\"success_metric.quality_rating\" is not a number";
	}

	a->invocations++;
	/* the seed counts a duration when it is truthy: not null, not 0 */
	if (micro != 0) {
		a->duration_count++;
		a->duration_sum_micro += micro;
		hist_add(&a->duration_hist, (double)micro / 1e6);
	}
	outcome = json_get(d, 0, "outcome");
	i = json_get(d, outcome, "status");
	if (json_streq(d, i, "success")) {
		a->successes++;
		task_v[TASK_SUCCESSES] = day_v[DAY_SUCCESSES] = 1;
	} else if (json_streq(d, i, "failure")) {
		a->failures++;
		task_v[TASK_FAILURES] = day_v[DAY_FAILURES] = 1;
		i = json_get(d, outcome, "error_message");
		if (json_is_string(d, i) && d->tok[i].end > d->tok[i].start) {
			p = string_of(d, i, &scratch, &len);
			counted_add(&a->failure_messages, p, len, 1, seq);
		}
	} else if (json_streq(d, i, "partial")) {
		a->partials++;
	} else {
		a->unknowns++;
	}
	i = json_path(d, 0, "state_features", "task", "type", NULL);
	if (json_is_string(d, i) && d->tok[i].end > d->tok[i].start) {
		p = string_of(d, i, &scratch, &len);
		counted_add(&a->task_types, p, len, 1, seq);
		tally_add(&a->task_outcomes, p, len, task_v);
	}
	if (metric >= 0 && json_is_object(d, metric)) {
		i = json_get(d, metric, "quality_rating");
		if (json_micro(d, i, &micro) == 0) {
			a->quality_count++;
			a->quality_sum_micro += micro;
			day_v[DAY_QUALITY_COUNT] = 1;
			day_v[DAY_QUALITY_SUM_MICRO] = micro;
		}
		i = json_get(d, metric, "would_use_again");
		if (json_is_bool(d, i)) {
			if (json_is_true(d, i))
				a->would_use_again_yes++;
			else
				a->would_use_again_no++;
		}
		i = json_get(d, metric, "alternative_agent_suggested");
		if (json_is_string(d, i) && d->tok[i].end > d->tok[i].start) {
			p = string_of(d, i, &scratch, &len);
			counted_add(&a->alternatives, p, len, 1, seq);
		}
	}
	if ((tokens = tokens_of(d)) >= 0) {
		a->tokens_count++;
		a->tokens_sum += tokens;
		if (tokens > 0)
			hist_add(&a->tokens_hist, (double)tokens);
		else
			hist_add_bucket(&a->tokens_hist, -HIST_KEY_LIMIT, 1);
	}
	i = json_get(d, 0, "timestamp");
	p = json_raw(d, i, &len);
	buf_reset(&ts);
	buf_add(&ts, p, len);
	range_add(a, when, ts.data, ts.len);
	p = day_key(when);
	tally_add(&a->days, p, strlen(p), day_v);
	return NULL;
}

void
agent_stats_merge(struct agent_stats *dst, const struct agent_stats *src)
{
	size_t i;

	if (src->first_seq < dst->first_seq)
		dst->first_seq = src->first_seq;
	dst->invocations += src->invocations;
	dst->successes += src->successes;
	dst->failures += src->failures;
	dst->partials += src->partials;
	dst->unknowns += src->unknowns;
	dst->duration_count += src->duration_count;
	dst->duration_sum_micro += src->duration_sum_micro;
	dst->quality_count += src->quality_count;
	dst->quality_sum_micro += src->quality_sum_micro;
	for (i = 0; i < src->task_types.n; i++)
		counted_add(&dst->task_types, src->task_types.item[i].text,
			    src->task_types.item[i].len,
			    src->task_types.item[i].count,
			    src->task_types.item[i].first_seq);
	for (i = 0; i < src->failure_messages.n; i++)
		counted_add(&dst->failure_messages,
			    src->failure_messages.item[i].text,
			    src->failure_messages.item[i].len,
			    src->failure_messages.item[i].count,
			    src->failure_messages.item[i].first_seq);
	if (src->have_ts) {
		range_add(dst, src->first_ts, src->first_ts_text.data,
			  src->first_ts_text.len);
		range_add(dst, src->last_ts, src->last_ts_text.data,
			  src->last_ts_text.len);
	}
	hist_merge(&dst->duration_hist, &src->duration_hist);
	dst->would_use_again_yes += src->would_use_again_yes;
	dst->would_use_again_no += src->would_use_again_no;
	for (i = 0; i < src->alternatives.n; i++)
		counted_add(&dst->alternatives, src->alternatives.item[i].text,
			    src->alternatives.item[i].len,
			    src->alternatives.item[i].count,
			    src->alternatives.item[i].first_seq);
	dst->tokens_count += src->tokens_count;
	dst->tokens_sum += src->tokens_sum;
	hist_merge(&dst->tokens_hist, &src->tokens_hist);
	for (i = 0; i < src->task_outcomes.n; i++)
		tally_add(&dst->task_outcomes, src->task_outcomes.item[i].text,
			  src->task_outcomes.item[i].len,
			  src->task_outcomes.item[i].v);
	for (i = 0; i < src->days.n; i++)
		tally_add(&dst->days, src->days.item[i].text,
			  src->days.item[i].len, src->days.item[i].v);
}

double
agent_success_rate(const struct agent_stats *a)
{
	int64_t total = a->successes + a->failures;

	return total > 0 ? (double)a->successes / (double)total : 0.0;
}

double
agent_average_quality(const struct agent_stats *a)
{
	if (a->quality_count == 0)
		return 0.0;
	return (double)a->quality_sum_micro / 1e6 / (double)a->quality_count;
}

double
agent_average_duration(const struct agent_stats *a)
{
	if (a->duration_count == 0)
		return 0.0;
	return (double)a->duration_sum_micro / 1e6 / (double)a->duration_count;
}

/* Ranking score on the rounded seed values: 0.6 sr + 0.4 q / 5. */
static double
agent_score(double success_rate_rounded, double quality_rounded)
{
	return 0.6 * success_rate_rounded + 0.4 * (quality_rounded / 5.0);
}

static void
write_strings(struct buf *b, const struct counted **items, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_add(b, ", ", 2);
		jw_string(b, items[i]->text, items[i]->len);
	}
	buf_addc(b, ']');
}

/* Counted items in first-appearance order (ties by text, so merged
 * shards write what one run writes): [[text, count, first_seq], ...] */
static void
write_counted(struct buf *b, const struct counted_set *s)
{
	const struct counted **sorted;
	size_t i;

	buf_addc(b, '[');
	if (s->n == 0) {
		buf_addc(b, ']');
		return;
	}
	sorted = oak_malloc(sizeof(*sorted) * s->n);
	for (i = 0; i < s->n; i++)
		sorted[i] = &s->item[i];
	qsort(sorted, s->n, sizeof(*sorted), first_seq_cmp);
	for (i = 0; i < s->n; i++) {
		if (i > 0)
			buf_add(b, ", ", 2);
		buf_addc(b, '[');
		jw_string(b, sorted[i]->text, sorted[i]->len);
		buf_printf(b, ", %lld, %lld]", (long long)sorted[i]->count,
			   (long long)sorted[i]->first_seq);
	}
	buf_addc(b, ']');
	free(sorted);
}

/* Tallies sorted by text: [[text, v0, v1, ...], ...] */
static void
write_tally(struct buf *b, const struct tally_set *s)
{
	const struct tally **sorted;
	size_t i;
	int k;

	buf_addc(b, '[');
	if (s->n == 0) {
		buf_addc(b, ']');
		return;
	}
	sorted = oak_malloc(sizeof(*sorted) * s->n);
	tally_sorted(s, sorted);
	for (i = 0; i < s->n; i++) {
		buf_adds(b, i ? ", [" : "[");
		jw_string(b, sorted[i]->text, sorted[i]->len);
		for (k = 0; k < s->nv; k++)
			buf_printf(b, ", %lld", (long long)sorted[i]->v[k]);
		buf_addc(b, ']');
	}
	buf_addc(b, ']');
	free(sorted);
}

/* A rounded number, or null for NaN. */
static void
write_rounded(struct buf *b, double x, int places)
{
	if (isnan(x))
		buf_adds(b, "null");
	else
		jw_double(b, py_round(x, places));
}

void
agent_view_make(const struct agent_stats *a, struct agent_view *v)
{
	double sr = agent_success_rate(a), q = agent_average_quality(a);
	const struct counted *best;

	v->success_rate = py_round(sr, 3);
	v->average_quality = py_round(q, 2);
	v->average_duration = py_round(agent_average_duration(a), 2);
	v->score = agent_score(v->success_rate, v->average_quality);
	v->ntask = counted_top(&a->task_types, v->task, 3);
	v->nfail = counted_top(&a->failure_messages, v->fail, 5);
	v->nrec = 0;
	buf_init(&v->best_for);
	if (sr > 0.8 && q > 3.5)
		v->rec[v->nrec++] = "High success rate - reliable choice";
	if (counted_top(&a->task_types, &best, 1) == 1 && best->count >= 3) {
		buf_printf(&v->best_for, "Best for %s tasks", best->text);
		v->rec[v->nrec++] = v->best_for.data;
	}
	if (sr < 0.5 && a->invocations >= 5)
		v->rec[v->nrec++] = "Consider alternative agents - low success rate";

	v->decided = a->successes + a->failures;
	v->rated = a->quality_count;
	if (wilson_interval(a->successes, v->decided, OAK_Z95, &v->ci_low,
			    &v->ci_high) < 0)
		v->ci_low = v->ci_high = NAN;
	v->p50 = hist_quantile(&a->duration_hist, 0.50);
	v->p90 = hist_quantile(&a->duration_hist, 0.90);
	v->p99 = hist_quantile(&a->duration_hist, 0.99);
	if (a->would_use_again_yes + a->would_use_again_no > 0)
		v->would_use_again_rate = (double)a->would_use_again_yes /
			(double)(a->would_use_again_yes + a->would_use_again_no);
	else
		v->would_use_again_rate = NAN;
	v->tokens_median = hist_quantile(&a->tokens_hist, 0.5);
	if (a->tokens_hist.n > 0 && a->tokens_hist.key[0] == -HIST_KEY_LIMIT &&
	    a->tokens_hist.count[0] * 2 >= a->tokens_hist.total)
		v->tokens_median = 0;   /* the zero bucket holds the median */
	v->nalt = counted_top(&a->alternatives, v->alt, 5);
}

void
agent_view_release(struct agent_view *v)
{
	buf_release(&v->best_for);
}

void
agent_stats_write(struct buf *b, const struct agent_stats *a)
{
	struct agent_view v;
	size_t i;

	agent_view_make(a, &v);
	buf_adds(b, "{\"agent_name\": ");
	jw_string(b, a->name, a->name_len);
	buf_printf(b, ", \"invocation_count\": %lld, \"success_rate\": ",
		   (long long)a->invocations);
	jw_double(b, v.success_rate);
	buf_adds(b, ", \"average_quality\": ");
	jw_double(b, v.average_quality);
	buf_adds(b, ", \"average_duration_seconds\": ");
	jw_double(b, v.average_duration);
	buf_adds(b, ", \"common_task_types\": ");
	write_strings(b, v.task, v.ntask);
	buf_adds(b, ", \"common_failures\": ");
	write_strings(b, v.fail, v.nfail);
	buf_adds(b, ", \"recommended_for\": [");
	for (i = 0; i < v.nrec; i++) {
		if (i > 0)
			buf_add(b, ", ", 2);
		jw_cstring(b, v.rec[i]);
	}
	buf_adds(b, "], \"success_rate_ci95\": ");
	if (isnan(v.ci_low)) {
		buf_adds(b, "null");
	} else {
		buf_addc(b, '[');
		write_rounded(b, v.ci_low, 3);
		buf_adds(b, ", ");
		write_rounded(b, v.ci_high, 3);
		buf_addc(b, ']');
	}
	buf_printf(b, ", \"decided_count\": %lld, \"rated_count\": %lld",
		   (long long)v.decided, (long long)v.rated);
	buf_adds(b, ", \"duration_p50\": ");
	write_rounded(b, v.p50, 2);
	buf_adds(b, ", \"duration_p90\": ");
	write_rounded(b, v.p90, 2);
	buf_adds(b, ", \"duration_p99\": ");
	write_rounded(b, v.p99, 2);
	buf_adds(b, ", \"would_use_again_rate\": ");
	write_rounded(b, v.would_use_again_rate, 3);
	buf_printf(b, ", \"would_use_again_count\": %lld",
		   (long long)(a->would_use_again_yes + a->would_use_again_no));
	buf_adds(b, ", \"alternatives_suggested\": [");
	for (i = 0; i < v.nalt; i++) {
		buf_adds(b, i ? ", [" : "[");
		jw_string(b, v.alt[i]->text, v.alt[i]->len);
		buf_printf(b, ", %lld]", (long long)v.alt[i]->count);
	}
	buf_printf(b, "], \"tokens_count\": %lld, \"tokens_total\": %lld, "
		   "\"tokens_median\": ", (long long)a->tokens_count,
		   (long long)a->tokens_sum);
	write_rounded(b, v.tokens_median, 0);
	agent_view_release(&v);
	buf_printf(b, ", \"state\": {\"first_seq\": %lld, \"successes\": %lld, "
		   "\"failures\": %lld, \"partials\": %lld, \"unknowns\": %lld, "
		   "\"duration_count\": %lld, \"duration_sum_micro\": %lld, "
		   "\"quality_count\": %lld, \"quality_sum_micro\": %lld, "
		   "\"task_types\": ",
		   (long long)a->first_seq, (long long)a->successes,
		   (long long)a->failures, (long long)a->partials,
		   (long long)a->unknowns, (long long)a->duration_count,
		   (long long)a->duration_sum_micro, (long long)a->quality_count,
		   (long long)a->quality_sum_micro);
	write_counted(b, &a->task_types);
	buf_adds(b, ", \"failure_messages\": ");
	write_counted(b, &a->failure_messages);
	if (a->have_ts) {
		buf_adds(b, ", \"first_timestamp\": ");
		jw_string(b, a->first_ts_text.data, a->first_ts_text.len);
		buf_adds(b, ", \"last_timestamp\": ");
		jw_string(b, a->last_ts_text.data, a->last_ts_text.len);
	}
	buf_adds(b, ", \"duration_hist\": ");
	hist_write(b, &a->duration_hist);
	buf_printf(b, ", \"would_use_again_yes\": %lld, "
		   "\"would_use_again_no\": %lld, \"alternatives\": ",
		   (long long)a->would_use_again_yes,
		   (long long)a->would_use_again_no);
	write_counted(b, &a->alternatives);
	buf_printf(b, ", \"tokens_count\": %lld, \"tokens_sum\": %lld, "
		   "\"tokens_hist\": ", (long long)a->tokens_count,
		   (long long)a->tokens_sum);
	hist_write(b, &a->tokens_hist);
	buf_adds(b, ", \"task_outcomes\": ");
	write_tally(b, &a->task_outcomes);
	buf_adds(b, ", \"days\": ");
	write_tally(b, &a->days);
	buf_adds(b, "}}");
}

static const char *
read_counted(const struct json_doc *d, int arr, struct counted_set *into,
	     const char *field)
{
	static char why[96];
	static struct buf scratch;
	const char *text;
	size_t len;
	int64_t count, seq;
	int e;

	if (!json_is_array(d, arr))
		goto bad;
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!json_is_array(d, e) || d->tok[e].size != 3 ||
		    !json_is_string(d, e + 1) ||
		    json_int64(d, e + 2, &count) < 0 ||
		    json_int64(d, e + 3, &seq) < 0 || count < 0)
			goto bad;
		text = string_of(d, e + 1, &scratch, &len);
		counted_add(into, text, len, count, seq);
	}
	return NULL;
bad:
	snprintf(why, sizeof(why),
		 "\"state.%s\" is not a list of [text, count, first_seq]", field);
	return why;
}

/* [[key, count], ...] into h; absent is empty. */
static const char *
read_hist(const struct json_doc *d, int arr, struct hist *h, const char *field)
{
	static char why[96];
	int64_t key, count;
	int e;

	if (arr < 0)
		return NULL;
	if (!json_is_array(d, arr))
		goto bad;
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!json_is_array(d, e) || d->tok[e].size != 2 ||
		    json_int64(d, e + 1, &key) < 0 ||
		    json_int64(d, e + 2, &count) < 0 || count < 0 ||
		    key < -HIST_KEY_LIMIT || key > HIST_KEY_LIMIT)
			goto bad;
		hist_add_bucket(h, (int32_t)key, count);
	}
	return NULL;
bad:
	snprintf(why, sizeof(why),
		 "\"state.%s\" is not a list of [bucket, count]", field);
	return why;
}

/* [[text, v0, ...], ...] into s; absent is empty. */
static const char *
read_tally(const struct json_doc *d, int arr, struct tally_set *s,
	   const char *field)
{
	static char why[96];
	static struct buf scratch;
	int64_t v[TALLY_MAX];
	const char *text;
	size_t len;
	int e, k;

	if (arr < 0)
		return NULL;
	if (!json_is_array(d, arr))
		goto bad;
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!json_is_array(d, e) || d->tok[e].size != 1 + s->nv ||
		    !json_is_string(d, e + 1))
			goto bad;
		for (k = 0; k < s->nv; k++)
			if (json_int64(d, e + 2 + k, &v[k]) < 0 || v[k] < 0)
				goto bad;
		text = string_of(d, e + 1, &scratch, &len);
		tally_add(s, text, len, v);
	}
	return NULL;
bad:
	snprintf(why, sizeof(why), "\"state.%s\" is not a list of [text, %d "
		 "counts]", field, s->nv);
	return why;
}

/* An optional non-negative integer of the state; absent is 0. */
static const char *
read_count(const struct json_doc *d, int state, const char *field,
	   int64_t *out)
{
	static char why[96];
	int i = json_get(d, state, field);

	*out = 0;
	if (i < 0)
		return NULL;
	if (json_int64(d, i, out) == 0 && *out >= 0)
		return NULL;
	snprintf(why, sizeof(why), "\"state.%s\" is not a non-negative "
		 "integer", field);
	return why;
}

static const char *
read_range_end(const struct json_doc *d, int state, const char *field,
	       struct agent_stats *a)
{
	static char why[96];
	static struct buf text;
	struct oak_instant t;
	size_t len;
	const char *p;
	int i = json_get(d, state, field);

	if (i < 0)
		return NULL;
	if (json_is_string(d, i)) {
		p = json_raw(d, i, &len);
		if (oak_time_parse(p, len, false, &t) == 0) {
			buf_reset(&text);
			buf_add(&text, p, len);
			range_add(a, t, text.data, text.len);
			return NULL;
		}
	}
	snprintf(why, sizeof(why), "\"state.%s\" is not an ISO-8601 date-time",
		 field);
	return why;
}

/* The state kept for the fields beyond the seed; each key may be absent
 * (AgentStats written before it existed), and then counts nothing. */
static const char *
read_beyond_seed(const struct json_doc *d, int state, struct agent_stats *a)
{
	const char *err;
	int i;

	if ((err = read_hist(d, json_get(d, state, "duration_hist"),
			     &a->duration_hist, "duration_hist")) != NULL ||
	    (err = read_count(d, state, "would_use_again_yes",
			      &a->would_use_again_yes)) != NULL ||
	    (err = read_count(d, state, "would_use_again_no",
			      &a->would_use_again_no)) != NULL ||
	    (err = read_count(d, state, "tokens_count",
			      &a->tokens_count)) != NULL ||
	    (err = read_count(d, state, "tokens_sum", &a->tokens_sum)) != NULL ||
	    (err = read_hist(d, json_get(d, state, "tokens_hist"),
			     &a->tokens_hist, "tokens_hist")) != NULL ||
	    (err = read_tally(d, json_get(d, state, "task_outcomes"),
			      &a->task_outcomes, "task_outcomes")) != NULL ||
	    (err = read_tally(d, json_get(d, state, "days"), &a->days,
			      "days")) != NULL)
		return err;
	i = json_get(d, state, "alternatives");
	if (i >= 0)
		return read_counted(d, i, &a->alternatives, "alternatives");
	return NULL;
}

const char *
agent_stats_read(const struct json_doc *d, struct agent_stats **out)
{
	static const char *const names[] = {
		"first_seq", "successes", "failures", "partials", "unknowns",
		"duration_count", "duration_sum_micro", "quality_count",
		"quality_sum_micro", "invocation_count"
	};
	static char why[96];
	static struct buf scratch;
	int64_t v[10];
	struct agent_stats *a;
	const char *name, *err;
	size_t len, k;
	int i, state;

	*out = NULL;
	if (!json_is_object(d, 0))
		return "not a JSON object";
	i = json_get(d, 0, "agent_name");
	if (!json_is_string(d, i))
		return i < 0 ? "missing \"agent_name\"" :
			       "\"agent_name\" is not a string";
	state = json_get(d, 0, "state");
	if (!json_is_object(d, state))
		return state < 0 ? "missing \"state\" (not AgentStats from "
				   "oak-group-by-agent?)" :
				   "\"state\" is not an object";
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		int at = k + 1 < sizeof(names) / sizeof(names[0]) ?
			 json_get(d, state, names[k]) :
			 json_get(d, 0, names[k]);

		/* sums may be negative (the seed averages any nonzero
		 * duration); counts may not */
		if (json_int64(d, at, &v[k]) < 0 ||
		    (v[k] < 0 && strstr(names[k], "_sum_") == NULL)) {
			snprintf(why, sizeof(why),
				 "\"%s%s\" is not a non-negative integer",
				 k + 1 < sizeof(names) / sizeof(names[0]) ?
				 "state." : "", names[k]);
			return why;
		}
	}
	name = string_of(d, i, &scratch, &len);
	a = agent_stats_create(name, len, v[0]);
	a->successes = v[1];
	a->failures = v[2];
	a->partials = v[3];
	a->unknowns = v[4];
	a->duration_count = v[5];
	a->duration_sum_micro = v[6];
	a->quality_count = v[7];
	a->quality_sum_micro = v[8];
	a->invocations = v[9];
	if ((err = read_counted(d, json_get(d, state, "task_types"),
				&a->task_types, "task_types")) != NULL ||
	    (err = read_counted(d, json_get(d, state, "failure_messages"),
				&a->failure_messages, "failure_messages")) != NULL ||
	    (err = read_range_end(d, state, "first_timestamp", a)) != NULL ||
	    (err = read_range_end(d, state, "last_timestamp", a)) != NULL ||
	    (err = read_beyond_seed(d, state, a)) != NULL) {
		agent_stats_release(a);
		return err;
	}
	*out = a;
	return NULL;
}
