/*
 * agent_codec.c: AgentStats as one JSON line. The seed's fields and the
 * fields beyond it come first, derived from the state (agent_view.c);
 * then "state", field by field in the order of the table, read back by
 * name. Lists are written in an order fixed by their content (first
 * appearance, bucket, text), never by the order of merging.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "record/agent_fields.h"
#include "record/hist_merge.h"

static void
write_strings(struct buf *b, const struct counter **items, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		jw_sep(b);
		jw_string(b, items[i]->text, items[i]->len);
	}
	buf_addc(b, ']');
}

/* A rounded number, or null for NaN. */
static void
write_rounded(struct buf *b, const char *key, double x, int places)
{
	jw_key(b, key);
	if (isnan(x))
		buf_adds(b, "null");
	else
		jw_double(b, py_round(x, places));
}

/* The fields beyond the seed, derived from the state. */
static void
write_beyond_seed(struct buf *b, const struct agent_stats *a,
		  const struct agent_view *v)
{
	size_t i;

	jw_key(b, "success_rate_ci95");
	if (isnan(v->ci_low)) {
		buf_adds(b, "null");
	} else {
		buf_addc(b, '[');
		jw_double(b, py_round(v->ci_low, 3));
		jw_sep(b);
		jw_double(b, py_round(v->ci_high, 3));
		buf_addc(b, ']');
	}
	buf_printf(b, ", \"decided_count\": %lld, \"rated_count\": %lld",
		   (long long)v->decided, (long long)v->rated);
	write_rounded(b, "duration_p50", v->p50, 2);
	write_rounded(b, "duration_p90", v->p90, 2);
	write_rounded(b, "duration_p99", v->p99, 2);
	write_rounded(b, "would_use_again_rate", v->would_use_again_rate, 3);
	jw_key(b, "would_use_again_count");
	jw_int(b, a->would_use_again_yes + a->would_use_again_no);
	jw_key(b, "alternatives_suggested");
	buf_addc(b, '[');
	for (i = 0; i < v->nalt; i++) {
		jw_sep(b);
		buf_addc(b, '[');
		jw_string(b, v->alt[i]->text, v->alt[i]->len);
		buf_printf(b, ", %lld]", (long long)v->alt[i]->count);
	}
	buf_printf(b, "], \"tokens_count\": %lld, \"tokens_total\": %lld",
		   (long long)a->tokens_count, (long long)a->tokens_sum);
	write_rounded(b, "tokens_median", v->tokens_median, 0);
}

/* The seed's fields, derived from the state. */
static void
write_derived(struct buf *b, const struct agent_stats *a)
{
	struct agent_view v;
	size_t i;

	agent_view_make(a, &v);
	buf_adds(b, "{\"agent_name\": ");
	jw_string(b, a->name, a->name_len);
	jw_key(b, "invocation_count");
	jw_int(b, a->invocations);
	jw_key(b, "success_rate");
	jw_double(b, v.success_rate);
	jw_key(b, "average_quality");
	jw_double(b, v.average_quality);
	jw_key(b, "average_duration_seconds");
	jw_double(b, v.average_duration);
	jw_key(b, "common_task_types");
	write_strings(b, v.task, v.ntask);
	jw_key(b, "common_failures");
	write_strings(b, v.fail, v.nfail);
	jw_key(b, "recommended_for");
	buf_addc(b, '[');
	for (i = 0; i < v.nrec; i++) {
		jw_sep(b);
		jw_cstring(b, v.rec[i]);
	}
	buf_addc(b, ']');
	write_beyond_seed(b, a, &v);
	agent_view_release(&v);
}

/* Whether row r of a holds nothing (a sparse row is not written then). */
static bool
field_empty(const struct agent_stats *a, const struct field *r)
{
	if (r->kind == FIELD_INT)
		return *CFIELD_OF(int64_t, a, r) == 0;
	if (r->kind == FIELD_COUNTER)
		return CFIELD_OF(struct counter_set, a, r)->n == 0;
	if (r->kind == FIELD_HIST)
		return CFIELD_OF(struct hist, a, r)->n == 0;
	return !a->have_ts;
}

void
agent_stats_write(struct buf *b, const struct agent_stats *a)
{
	const struct field *r;
	const struct buf *ts;

	write_derived(b, a);
	buf_adds(b, ", \"state\": {");
	for (r = agent_fields; r < agent_fields + agent_nfields; r++) {
		if ((r->flags & FIELD_TOP) || (r->kind == FIELD_TS && !a->have_ts) ||
		    ((r->flags & FIELD_SPARSE) && field_empty(a, r)))
			continue;
		jw_key(b, r->name);
		if (r->kind == FIELD_INT) {
			jw_int(b, *CFIELD_OF(int64_t, a, r));
		} else if (r->kind == FIELD_COUNTER) {
			counter_write(b, CFIELD_OF(struct counter_set, a, r));
		} else if (r->kind == FIELD_HIST) {
			hist_write(b, CFIELD_OF(struct hist, a, r));
		} else {
			ts = r->flags & FIELD_LAST ? &a->last_ts_text :
						     &a->first_ts_text;
			jw_string(b, ts->data, ts->len);
		}
	}
	buf_adds(b, "}}");
}

/* [[key, count], ...] at token arr into the empty h. */
static const char *
read_hist(const struct json_doc *d, int arr, struct hist *h, const char *field)
{
	static char why[96];
	static struct hist_bucket *b;
	static size_t cap;
	size_t n = 0;
	int64_t key, count;
	int e;

	if (!json_is_array(d, arr))
		goto bad;
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!json_is_array(d, e) || d->tok[e].size != 2 ||
		    json_int64(d, e + 1, &key) < 0 ||
		    json_int64(d, e + 2, &count) < 0 || count < 0 ||
		    key < -HIST_KEY_LIMIT || key > HIST_KEY_LIMIT)
			goto bad;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			b = oak_realloc(b, sizeof(*b) * cap);
		}
		b[n++] = (struct hist_bucket){ (int32_t)key, count };
	}
	if (hist_from_buckets(h, b, n))
		return NULL;
	snprintf(why, sizeof(why), "sum of \"state.%s\" out of range", field);
	return why;
bad:
	snprintf(why, sizeof(why),
		 "\"state.%s\" is not a list of [bucket, count]", field);
	return why;
}

/* One end of the date range. */
static const char *
read_ts(const struct json_doc *d, int i, struct agent_stats *a,
	const char *field)
{
	static char why[96];
	static struct buf text;
	struct oak_instant t;
	size_t len;
	const char *p;

	if (json_is_string(d, i)) {
		p = json_raw(d, i, &len);
		if (oak_time_parse(p, len, false, &t) == 0) {
			buf_reset(&text);
			buf_add(&text, p, len);
			agent_range_add(a, t, text.data, text.len);
			return NULL;
		}
	}
	snprintf(why, sizeof(why), "\"state.%s\" is not an ISO-8601 date-time",
		 field);
	return why;
}

/* An integer: sums may be negative (the seed averages any nonzero
 * duration), counts may not. */
static const char *
read_int(const struct json_doc *d, int i, struct agent_stats *a,
	 const struct field *r)
{
	static char why[96];
	int64_t *v = FIELD_OF(int64_t, a, r);

	if (json_int64(d, i, v) == 0 && (*v >= 0 || (r->flags & FIELD_SIGNED)))
		return NULL;
	snprintf(why, sizeof(why), "\"%s%s\" is not a non-negative integer",
		 r->flags & FIELD_TOP ? "" : "state.", r->name);
	return why;
}

/* Every field of the table, by name; NULL or the first reason. */
static const char *
read_fields(const struct json_doc *d, int state, struct agent_stats *a)
{
	const struct field *r;
	const char *why = NULL;
	int i;

	for (r = agent_fields; r < agent_fields + agent_nfields && !why; r++) {
		i = json_get(d, r->flags & FIELD_TOP ? 0 : state, r->name);
		if (i < 0 && !(r->flags & FIELD_REQUIRED))
			continue;   /* written before the field existed */
		if (r->kind == FIELD_INT)
			why = read_int(d, i, a, r);
		else if (r->kind == FIELD_COUNTER)
			why = counter_read(d, i, FIELD_OF(struct counter_set,
				a, r), r->name);
		else if (r->kind == FIELD_HIST)
			why = read_hist(d, i, FIELD_OF(struct hist, a, r),
					r->name);
		else
			why = read_ts(d, i, a, r->name);
	}
	return why;
}

const char *
agent_stats_read(const struct json_doc *d, struct agent_stats **out)
{
	static struct buf scratch;
	struct agent_stats *a;
	const char *name, *why;
	size_t len;
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
	name = record_text(d, i, &scratch, &len);
	a = agent_stats_create(name, len, 0);
	if ((why = read_fields(d, state, a)) != NULL) {
		agent_stats_release(a);
		return why;
	}
	*out = a;
	return NULL;
}
