/*
 * agent_stats.c: AgentStats, the per-agent state of oak-group-by-agent.
 * Everything is kept as exact integers (counts; sums in millionths) or
 * as counted strings with the position they first appeared at, so that
 * merging shards is addition and min, and gives the same bytes whatever
 * the order. The seed's fields are derived from the state on output.
 */
#include <stdlib.h>
#include <string.h>

#include "oak.h"

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

size_t
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

const char *
agent_stats_add(struct agent_stats *a, const struct json_doc *d, int64_t seq)
{
	static struct buf scratch, ts;
	struct oak_instant when;
	const char *p;
	size_t len;
	int64_t micro;
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
	}
	outcome = json_get(d, 0, "outcome");
	i = json_get(d, outcome, "status");
	if (json_streq(d, i, "success")) {
		a->successes++;
	} else if (json_streq(d, i, "failure")) {
		a->failures++;
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
	}
	if (metric >= 0 && json_is_object(d, metric)) {
		i = json_get(d, metric, "quality_rating");
		if (json_micro(d, i, &micro) == 0) {
			a->quality_count++;
			a->quality_sum_micro += micro;
		}
	}
	i = json_get(d, 0, "timestamp");
	p = json_raw(d, i, &len);
	oak_time_parse(p, len, false, &when);  /* checked by invocation_check */
	buf_reset(&ts);
	buf_add(&ts, p, len);
	range_add(a, when, ts.data, ts.len);
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

double
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

static int
first_seen_cmp(const void *pa, const void *pb)
{
	const struct counted *a = *(const struct counted *const *)pa;
	const struct counted *b = *(const struct counted *const *)pb;

	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Counted items in first-appearance order, whatever order they were
 * added in (merges add shards' items in any order):
 * [[text, count, first_seq], ...] */
static void
write_counted(struct buf *b, const struct counted_set *s)
{
	const struct counted **order;
	size_t i;

	order = oak_malloc(sizeof(*order) * (s->n ? s->n : 1));
	for (i = 0; i < s->n; i++)
		order[i] = &s->item[i];
	qsort(order, s->n, sizeof(*order), first_seen_cmp);
	buf_addc(b, '[');
	for (i = 0; i < s->n; i++) {
		if (i > 0)
			buf_add(b, ", ", 2);
		buf_addc(b, '[');
		jw_string(b, order[i]->text, order[i]->len);
		buf_printf(b, ", %lld, %lld]", (long long)order[i]->count,
			   (long long)order[i]->first_seq);
	}
	buf_addc(b, ']');
	free(order);
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
	agent_view_release(&v);
	buf_printf(b, "], \"state\": {\"first_seq\": %lld, \"successes\": %lld, "
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
	    (err = read_range_end(d, state, "last_timestamp", a)) != NULL) {
		agent_stats_release(a);
		return err;
	}
	*out = a;
	return NULL;
}
