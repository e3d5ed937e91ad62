/*
 * report_json.c: the whole weekly report as one JSON object on one line
 * (schemas/weekly_report.json): window, totals, every agent with the
 * seed's fields and those beyond it, the best agent per task type, the
 * per-week trend, the per-period rows (--by) and the comparison with
 * the baseline (--baseline). Rates have 3 decimals, qualities and
 * seconds 2; what cannot be measured is null.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"


/* [{"NAME": text, "count": n}, ...] */
static void
counted_list(struct buf *b, const struct counter *const *item, size_t n,
	     const char *name)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		jw_sep(b);
		buf_addc(b, '{');
		jw_key(b, name);
		jw_string(b, item[i]->text, item[i]->len);
		jw_key(b, "count");
		jw_int(b, item[i]->count);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
instant_or_null(struct buf *b, bool have, struct oak_instant t)
{
	if (!have) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	oak_time_format(b, t);
	buf_addc(b, '"');
}

static void
window(struct buf *b, const struct oak_window *w)
{
	buf_adds(b, "{\"since\": ");
	instant_or_null(b, w->have_since, w->since);
	buf_adds(b, ", \"until\": ");
	instant_or_null(b, w->have_until, w->until);
	buf_addc(b, '}');
}

static void
ci(struct buf *b, double lo, double hi)
{
	if (isnan(lo)) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '[');
	jw_rounded(b, lo, 3);
	buf_adds(b, ", ");
	jw_rounded(b, hi, 3);
	buf_addc(b, ']');
}

static void
strings(struct buf *b, const struct counter *const *items, size_t n)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		jw_string(b, items[i]->text, items[i]->len);
	}
	buf_addc(b, ']');
}

static void
agent(struct buf *b, const struct agent *ag, size_t rank, bool kinds)
{
	const struct agent_stats *s = ag->stats;
	const struct agent_view *v = &ag->view;
	size_t i;

	buf_addc(b, '{');
	jw_key(b, "agent_name");
	jw_string(b, s->name, s->name_len);
	jw_key(b, "rank");
	buf_printf(b, "%zu", rank);
	jw_key(b, "score");
	jw_rounded(b, v->score, 4);
	jw_key(b, "invocation_count");
	jw_int(b, s->invocations);
	jw_key(b, "success_rate");
	jw_double(b, v->success_rate);
	jw_key(b, "success_rate_ci95");
	ci(b, v->ci_low, v->ci_high);
	jw_key(b, "decided_count");
	jw_int(b, v->decided);
	jw_key(b, "average_quality");
	jw_double(b, v->average_quality);
	jw_key(b, "rated_count");
	jw_int(b, v->rated);
	jw_key(b, "average_duration_seconds");
	jw_double(b, v->average_duration);
	jw_key(b, "duration_p50");
	jw_rounded(b, v->p50, 2);
	jw_key(b, "duration_p90");
	jw_rounded(b, v->p90, 2);
	jw_key(b, "duration_p99");
	jw_rounded(b, v->p99, 2);
	jw_key(b, "would_use_again_rate");
	jw_rounded(b, v->would_use_again_rate, 3);
	jw_key(b, "would_use_again_count");
	jw_int(b, s->would_use_again_yes + s->would_use_again_no);
	jw_key(b, "alternatives_suggested");
	counted_list(b, v->alt, v->nalt, "agent_name");
	jw_key(b, "tokens_count");
	jw_int(b, s->tokens_count);
	jw_key(b, "tokens_total");
	jw_int(b, s->tokens_sum);
	jw_key(b, "tokens_median");
	jw_rounded(b, v->tokens_median, 0);
	if (kinds)
		tokens_json(b, ag);
	jw_key(b, "common_task_types");
	strings(b, v->task, v->ntask);
	jw_key(b, "common_failures");
	counted_list(b, v->fail, v->nfail, "message");
	jw_key(b, "recommended_for");
	buf_addc(b, '[');
	for (i = 0; i < v->nrec; i++) {
		if (i)
			buf_adds(b, ", ");
		jw_cstring(b, v->rec[i]);
	}
	buf_adds(b, "]}");
}

static void
periods(struct buf *b, const struct agent_list *l, enum oak_period by)
{
	struct period_row *pr;
	size_t n = period_rows(l, by, &pr), i;
	int64_t d;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		d = pr[i].successes + pr[i].failures;
		buf_adds(b, i ? ", {\"period\": " : "{\"period\": ");
		jw_cstring(b, pr[i].key);
		buf_adds(b, ", \"agent_name\": ");
		jw_string(b, pr[i].agent->stats->name, pr[i].agent->stats->name_len);
		buf_printf(b, ", \"invocations\": %lld, \"success_rate\": ",
			   (long long)pr[i].invocations);
		jw_rounded(b, d ? (double)pr[i].successes / (double)d : NAN, 3);
		buf_adds(b, ", \"average_quality\": ");
		jw_rounded(b, pr[i].quality_count ? (double)pr[i].quality_sum_micro / 1e6 /
		    (double)pr[i].quality_count : NAN, 2);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	free(pr);
}

static void
task_types(struct buf *b, const struct report *r)
{
	struct task_best *tb;
	size_t n = task_types_best(r, &tb), i;

	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ", {\"task_type\": " : "{\"task_type\": ");
		jw_string(b, tb[i].task_type, tb[i].task_len);
		buf_printf(b, ", \"invocations\": %lld, \"best_agent\": ",
			   (long long)tb[i].invocations);
		if (tb[i].best == NULL) {
			buf_adds(b, "null, \"success_rate\": null, "
				 "\"success_rate_ci95\": null, \"decided_count\": 0, "
				 "\"too_few\": true}");
			continue;
		}
		jw_string(b, tb[i].best->stats->name, tb[i].best->stats->name_len);
		buf_adds(b, ", \"success_rate\": ");
		jw_rounded(b, (double)tb[i].successes / (double)tb[i].decided, 3);
		buf_adds(b, ", \"success_rate_ci95\": ");
		ci(b, tb[i].lo, tb[i].hi);
		buf_printf(b, ", \"decided_count\": %lld, \"too_few\": false}",
			   (long long)tb[i].decided);
	}
	buf_addc(b, ']');
	free(tb);
}

static void
comparison(struct buf *b, const struct report *r)
{
	struct compare_row *cr;
	const struct agent **added, **gone;
	size_t n, na, ng, i;

	compare(r, &cr, &n, &added, &na, &gone, &ng);
	buf_adds(b, "{\"window\": ");
	window(b, &r->base_window);
	buf_adds(b, ", \"agents\": [");
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ", {\"agent_name\": " : "{\"agent_name\": ");
		jw_string(b, cr[i].now->stats->name, cr[i].now->stats->name_len);
		buf_printf(b, ", \"invocations\": %lld, \"invocations_before\": %lld",
			   (long long)cr[i].now->stats->invocations,
			   (long long)cr[i].before->stats->invocations);
		buf_adds(b, ", \"success_rate\": ");
		jw_rounded(b, cr[i].sr_now, 3);
		buf_adds(b, ", \"success_rate_before\": ");
		jw_rounded(b, cr[i].sr_before, 3);
		buf_adds(b, ", \"success_rate_change\": ");
		jw_rounded(b, cr[i].sr_now - cr[i].sr_before, 3);
		buf_adds(b, ", \"z\": ");
		jw_rounded(b, cr[i].z, 3);
		buf_printf(b, ", \"significant\": %s, \"success_rate_marked\": %s",
			   cr[i].significant ? "true" : "false",
			   cr[i].sr_marked ? "true" : "false");
		buf_adds(b, ", \"average_quality\": ");
		jw_rounded(b, cr[i].q_now, 2);
		buf_adds(b, ", \"average_quality_before\": ");
		jw_rounded(b, cr[i].q_before, 2);
		buf_adds(b, ", \"average_quality_change\": ");
		jw_rounded(b, cr[i].q_now - cr[i].q_before, 2);
		buf_printf(b, ", \"average_quality_marked\": %s",
			   cr[i].q_marked ? "true" : "false");
		buf_adds(b, ", \"duration_p50\": ");
		jw_rounded(b, cr[i].p50_now, 2);
		buf_adds(b, ", \"duration_p50_before\": ");
		jw_rounded(b, cr[i].p50_before, 2);
		buf_addc(b, '}');
	}
	buf_adds(b, "], \"new_agents\": [");
	for (i = 0; i < na; i++) {
		if (i)
			buf_adds(b, ", ");
		jw_string(b, added[i]->stats->name, added[i]->stats->name_len);
	}
	buf_adds(b, "], \"gone_agents\": [");
	for (i = 0; i < ng; i++) {
		if (i)
			buf_adds(b, ", ");
		jw_string(b, gone[i]->stats->name, gone[i]->stats->name_len);
	}
	buf_adds(b, "]}");
	free(cr);
	free(added);
	free(gone);
}

void
render_report_json(struct buf *b, struct report *r)
{
	static const char *const by_name[] = { "", "day", "week", "month" };
	const struct agent_stats *first, *last;
	bool kinds = have_token_kinds(&r->cur);
	size_t k;

	buf_addc(b, '{');
	jw_key(b, "generated_at");
	jw_cstring(b, r->generated_at);
	jw_key(b, "window");
	window(b, &r->window);
	if (r->note != NULL) {
		jw_key(b, "note");
		jw_cstring(b, r->note);
	}
	data_quality_json(b, r);
	jw_key(b, "total_invocations");
	jw_int(b, total_invocations(&r->cur));
	task_sources_json(b, r);
	jw_key(b, "date_range");
	date_range_of(&r->cur, &first, &last);
	if (first == NULL) {
		buf_adds(b, "null");
	} else {
		buf_adds(b, "{\"start\": ");
		jw_string(b, first->first_ts_text.data, first->first_ts_text.len);
		buf_adds(b, ", \"end\": ");
		jw_string(b, last->last_ts_text.data, last->last_ts_text.len);
		buf_addc(b, '}');
	}
	jw_key(b, "min_sample");
	jw_int(b, r->min_sample);
	jw_key(b, "agents");
	agents_sort_score(&r->cur);
	buf_addc(b, '[');
	for (k = 0; k < r->cur.n; k++) {
		if (k)
			buf_adds(b, ", ");
		agent(b, &r->cur.a[k], k + 1, kinds);
	}
	buf_addc(b, ']');
	jw_key(b, "task_types");
	task_types(b, r);
	jw_key(b, "weeks");
	periods(b, &r->cur, OAK_BY_WEEK);
	if (r->by != OAK_BY_NONE) {
		jw_key(b, "periods");
		buf_printf(b, "{\"by\": \"%s\", \"rows\": ", by_name[r->by]);
		periods(b, &r->cur, r->by);
		buf_addc(b, '}');
	}
	if (r->by_model) {
		jw_key(b, "models");
		models_json(b, r);
	}
	if (r->have_baseline) {
		jw_key(b, "baseline");
		comparison(b, r);
	}
	buf_adds(b, "}\n");
}
