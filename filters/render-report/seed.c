/*
 * seed.c: the seed analyzer's outputs, byte for byte: performance_stats
 * .json (json.dump(indent=2) layout, agents by first appearance), the
 * weekly report printout (summary by invocation count, then the top 5)
 * and the ranking lines.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

static const char *rule_eq =
	"======================================================================";
static const char *rule_dash =
	"----------------------------------------------------------------------";

static int
by_first_seq(const void *pa, const void *pb)
{
	const struct agent *a = pa, *b = pb;

	if (a->stats->first_seq != b->stats->first_seq)
		return a->stats->first_seq < b->stats->first_seq ? -1 : 1;
	return a->input_pos < b->input_pos ? -1 : a->input_pos > b->input_pos;
}

static int
by_count(const void *pa, const void *pb)
{
	const struct agent *a = pa, *b = pb;

	if (a->stats->invocations != b->stats->invocations)
		return a->stats->invocations > b->stats->invocations ? -1 : 1;
	return by_first_seq(pa, pb);
}

static int
by_score(const void *pa, const void *pb)
{
	const struct agent *a = pa, *b = pb;

	int c = agent_rank_cmp(a->stats, a->view.score, b->stats, b->view.score);

	return c != 0 ? c : by_first_seq(pa, pb);
}

void
agents_sort_first_seq(struct agent_list *l)
{
	if (l->n > 1)
		qsort(l->a, l->n, sizeof(*l->a), by_first_seq);
}

void
agents_sort_count(struct agent_list *l)
{
	if (l->n > 1)
		qsort(l->a, l->n, sizeof(*l->a), by_count);
}

void
agents_sort_score(struct agent_list *l)
{
	if (l->n > 1)
		qsort(l->a, l->n, sizeof(*l->a), by_score);
}

long long
total_invocations(const struct agent_list *l)
{
	long long n = 0;
	size_t k;

	for (k = 0; k < l->n; k++)
		n += l->a[k].stats->invocations;
	return n;
}

void
date_range_of(const struct agent_list *l, const struct agent_stats **first,
	      const struct agent_stats **last)
{
	const struct agent_stats *a;
	size_t k;
	int c;

	*first = *last = NULL;
	for (k = 0; k < l->n; k++) {
		a = l->a[k].stats;
		if (!a->have_ts)
			continue;
		c = *first ? oak_instant_cmp(a->first_ts, (*first)->first_ts) : -1;
		if (c < 0 || (c == 0 && strcmp(a->first_ts_text.data,
					       (*first)->first_ts_text.data) < 0))
			*first = a;
		c = *last ? oak_instant_cmp(a->last_ts, (*last)->last_ts) : 1;
		if (c > 0 || (c == 0 && strcmp(a->last_ts_text.data,
					       (*last)->last_ts_text.data) > 0))
			*last = a;
	}
}

/* A list of strings as json.dump(indent=2) writes it at depth 3. */
static void
json_list(struct buf *b, const struct counter *const *items, size_t n,
	  const char *const *texts)
{
	size_t i;

	if (n == 0) {
		buf_adds(b, "[]");
		return;
	}
	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ",\n        " : "\n        ");
		if (items != NULL)
			jw_string(b, items[i]->text, items[i]->len);
		else
			jw_cstring(b, texts[i]);
	}
	buf_adds(b, "\n      ]");
}

void
seed_json(struct buf *b, struct agent_list *l, const char *generated_at)
{
	const struct agent_stats *first, *last;
	const struct agent_view *v;
	long long total = total_invocations(l);
	size_t k;

	date_range_of(l, &first, &last);
	agents_sort_first_seq(l);
	buf_adds(b, "{\n  \"generated_at\": ");
	jw_cstring(b, generated_at);
	buf_printf(b, ",\n  \"total_invocations\": %lld,\n", total);
	if (total == 0) {
		buf_adds(b, "  \"agents\": {}\n}\n");
		return;
	}
	buf_adds(b, "  \"date_range\": {\n    \"start\": ");
	if (first != NULL) {
		jw_string(b, first->first_ts_text.data, first->first_ts_text.len);
		buf_adds(b, ",\n    \"end\": ");
		jw_string(b, last->last_ts_text.data, last->last_ts_text.len);
	} else {
		buf_adds(b, "null,\n    \"end\": null");
	}
	buf_adds(b, "\n  },\n  \"agents\": {");
	for (k = 0; k < l->n; k++) {
		v = &l->a[k].view;
		buf_adds(b, k ? ",\n    " : "\n    ");
		jw_string(b, l->a[k].stats->name, l->a[k].stats->name_len);
		buf_printf(b, ": {\n      \"invocation_count\": %lld,\n"
			   "      \"success_rate\": ",
			   (long long)l->a[k].stats->invocations);
		jw_double(b, v->success_rate);
		buf_adds(b, ",\n      \"average_quality\": ");
		jw_double(b, v->average_quality);
		buf_adds(b, ",\n      \"average_duration_seconds\": ");
		jw_double(b, v->average_duration);
		buf_adds(b, ",\n      \"common_task_types\": ");
		json_list(b, v->task, v->ntask, NULL);
		buf_adds(b, ",\n      \"common_failures\": ");
		json_list(b, v->fail, v->nfail, NULL);
		buf_adds(b, ",\n      \"recommended_for\": ");
		json_list(b, NULL, v->nrec, v->rec);
		buf_adds(b, "\n    }");
	}
	buf_adds(b, "\n  }\n}\n");
}

static void
rank_entry(struct buf *b, size_t position, const struct agent *a)
{
	buf_printf(b, "\n%zu. %s (Score: %.3f)\n", position, a->stats->name,
		   a->view.score);
	buf_printf(b, "   Success: %.1f%% | Quality: %.2f/5 | Uses: %lld\n",
		   a->view.success_rate * 100, a->view.average_quality,
		   (long long)a->stats->invocations);
}

void
seed_text(struct buf *b, struct report *r)
{
	const struct agent_stats *first, *last;
	const struct agent_view *v;
	struct agent_list *l = &r->cur;
	size_t k, i;

	date_range_of(l, &first, &last);
	buf_printf(b, "\n%s\nCLAUDE OAK AGENTS - TELEMETRY SUMMARY\n%s\n",
		   rule_eq, rule_eq);
	if (r->window.have_since || r->window.have_until) {
		buf_adds(b, "Window: ");
		window_label(b, &r->window);
		buf_addc(b, '\n');
	}
	if (r->note != NULL)
		buf_printf(b, "Note: %s\n", r->note);
	buf_printf(b, "\nGenerated: %s\nTotal Invocations: %lld\n",
		   r->generated_at, total_invocations(l));
	if (first != NULL)
		buf_printf(b, "Date Range: %s to %s\n", first->first_ts_text.data,
			   last->last_ts_text.data);
	buf_printf(b, "\n%s\nAGENT PERFORMANCE\n%s\n", rule_dash, rule_dash);
	agents_sort_count(l);
	for (k = 0; k < l->n; k++) {
		v = &l->a[k].view;
		buf_printf(b, "\n%s:\n  Invocations: %lld\n", l->a[k].stats->name,
			   (long long)l->a[k].stats->invocations);
		buf_printf(b, "  Success Rate: %.1f%%\n", v->success_rate * 100);
		buf_printf(b, "  Avg Quality: %.2f/5.0\n", v->average_quality);
		buf_printf(b, "  Avg Duration: %.1fs\n", v->average_duration);
		if (v->ntask > 0) {
			buf_adds(b, "  Common Tasks: ");
			for (i = 0; i < v->ntask; i++)
				buf_printf(b, "%s%s", i ? ", " : "", v->task[i]->text);
			buf_addc(b, '\n');
		}
		if (v->nrec > 0) {
			buf_adds(b, "  Recommendations:\n");
			for (i = 0; i < v->nrec; i++)
				buf_printf(b, "    \xe2\x80\xa2 %s\n", v->rec[i]);
		}
	}
	buf_printf(b, "\n%s\n", rule_eq);
	buf_printf(b, "\n%s\nTOP 5 AGENTS (Overall Performance)\n%s\n", rule_eq,
		   rule_eq);
	agents_sort_score(l);
	for (k = 0; k < l->n && k < 5; k++)
		rank_entry(b, k + 1, &l->a[k]);
}

void
seed_ranking(struct buf *b, struct agent_list *l, const char *title)
{
	size_t k;

	buf_printf(b, "\n%s\n%s\n%s\n", rule_eq, title, rule_eq);
	for (k = 0; k < l->n; k++)
		rank_entry(b, k + 1, &l->a[k]);
}
