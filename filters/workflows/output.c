/*
 * output.c: writes the workflows, one at a time as each is analysed
 * (text, Markdown, or one JSON object), then the agent sequences and
 * handoffs across them. The HTML fragment (gantt.c) takes the same
 * path. Seconds are the exact microsecond counts divided by a million.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "record/instant.h"
#include "workflows.h"

/* A short-lived formatted cell (a ring of eight buffers). */
const char *
cell(const char *fmt, ...)
{
	static char ring[8][64];
	static int next;
	char *s = ring[next++ % 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(ring[0]), fmt, ap);
	va_end(ap);
	return s;
}

double
rate_of(int64_t s, int64_t f)
{
	return s + f > 0 ? (double)s / (double)(s + f) : NAN;
}

const char *
pct(double r)
{
	return isnan(r) ? "n/a" : cell("%.1f %%", r * 100);
}

void
put_seconds(struct buf *b, int64_t micro)
{
	buf_printf(b, "%.1f s", (double)micro / 1e6);
}

void
put_time(struct buf *b, int64_t micro)
{
	struct oak_instant t;

	t.sec = micro / 1000000 - (micro % 1000000 < 0);
	t.nsec = (int32_t)((micro - t.sec * 1000000) * 1000);
	oak_time_format(b, t);
}

static void
json_seconds(struct buf *b, int64_t micro)
{
	jw_double(b, (double)micro / 1e6);
}

static void
json_rate(struct buf *b, int64_t s, int64_t f)
{
	double r = rate_of(s, f);

	if (isnan(r))
		buf_adds(b, "null");
	else
		jw_double(b, py_round(r, 3));
}

static void
json_time(struct buf *b, int64_t micro)
{
	buf_addc(b, '"');
	put_time(b, micro);
	buf_addc(b, '"');
}

static const struct member *
member_at(const struct store *s, const struct analysis *a, size_t local)
{
	return &s->m[a->w->m[local]];
}

/* An element of an array of members: {"invocation_id": .., "agent": .. */
static void
json_member_open(struct buf *b, const struct store *s, const struct member *m)
{
	jw_sep(b);
	buf_addc(b, '{');
	jw_key(b, "invocation_id");
	jw_cstring(b, store_str(s, m->id));
	jw_key(b, "agent");
	jw_cstring(b, store_agent(s, m->agent));
}

static void
json_agents(struct buf *b, const struct store *s, const struct analysis *a)
{
	size_t k;

	jw_key(b, "agents");
	buf_addc(b, '[');
	for (k = 0; k < a->w->n; k++) {
		const struct member *m = member_at(s, a, a->order[k]);

		json_member_open(b, s, m);
		jw_key(b, "parent_invocation_id");
		if (m->parent == NONE)
			buf_adds(b, "null");
		else
			jw_cstring(b, store_str(s, s->m[m->parent].id));
		jw_key(b, "depth");
		jw_int(b, (long long)a->depth[a->order[k]]);
		jw_key(b, "start");
		json_time(b, m->start);
		jw_key(b, "seconds");
		if (m->timed)
			json_seconds(b, m->end - m->start);
		else
			buf_adds(b, "null");
		jw_key(b, "status");
		jw_cstring(b, status_name(m->status));
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
json_path_and_conflicts(struct buf *b, const struct store *s,
			const struct analysis *a)
{
	size_t k, j;

	jw_key(b, "critical_path");
	buf_addc(b, '[');
	for (k = 0; k < a->npath; k++) {
		json_member_open(b, s, member_at(s, a, a->path[k]));
		jw_key(b, "seconds");
		json_seconds(b, a->path_time[k]);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	jw_key(b, "critical_path_seconds");
	json_seconds(b, a->path_total);
	jw_key(b, "bottleneck");
	if (a->bottleneck == NONE) {
		buf_adds(b, "null");
	} else {
		buf_addc(b, '{');
		jw_key(b, "agent");
		jw_cstring(b, store_agent(s, a->bottleneck));
		jw_key(b, "seconds");
		json_seconds(b, a->bottleneck_time);
		jw_key(b, "share");
		jw_double(b, py_round((double)a->bottleneck_time /
				      (double)a->wall, 3));
		buf_addc(b, '}');
	}
	jw_key(b, "conflicts");
	buf_addc(b, '[');
	for (k = 0; k < a->nconflicts; k++) {
		jw_sep(b);
		buf_addc(b, '{');
		jw_key(b, "file");
		jw_cstring(b, store_str(s, a->conflicts[k].file));
		jw_key(b, "agents");
		buf_addc(b, '[');
		for (j = 0; j < a->conflicts[k].n; j++) {
			jw_sep(b);
			jw_cstring(b, store_agent(s, a->conflicts[k].agents[j]));
		}
		buf_adds(b, "]}");
	}
	buf_addc(b, ']');
}

static void
json_workflow(struct buf *b, const struct store *s, const struct analysis *a)
{
	const struct workflow *w = a->w;
	size_t st;

	buf_addc(b, '{');
	jw_key(b, "workflow");
	jw_cstring(b, store_str(s, w->key));
	jw_key(b, "tied_by");
	jw_cstring(b, tie_name(w->tie));
	jw_key(b, "structure");
	jw_cstring(b, a->tree ? "delegation tree" : "handoff chain");
	jw_key(b, "invocations");
	jw_int(b, (long long)w->n);
	jw_key(b, "start");
	json_time(b, w->start);
	jw_key(b, "end");
	json_time(b, w->end);
	jw_key(b, "wall_seconds");
	json_seconds(b, a->wall);
	jw_key(b, "agent_seconds");
	json_seconds(b, a->summed);
	jw_key(b, "parallelism");
	if (a->wall > 0)
		jw_double(b, py_round((double)a->summed / (double)a->wall, 3));
	else
		buf_adds(b, "null");
	jw_key(b, "untimed");
	jw_int(b, (long long)a->untimed);
	json_agents(b, s, a);
	json_path_and_conflicts(b, s, a);
	jw_key(b, "outcome");
	jw_cstring(b, outcome_name(a->outcome));
	jw_key(b, "statuses");
	buf_addc(b, '{');
	for (st = 0; st < 4; st++) {
		jw_key(b, status_name((enum status)st));
		jw_int(b, (long long)a->count[st]);
	}
	buf_adds(b, "}}");
}

/* The workflows a sequence or handoff is in, and how they ended. */
static void
json_outcomes(struct buf *b, int64_t workflows, int64_t succeeded,
	      int64_t failed)
{
	jw_key(b, "workflows");
	jw_int(b, workflows);
	jw_key(b, "succeeded");
	jw_int(b, succeeded);
	jw_key(b, "failed");
	jw_int(b, failed);
	jw_key(b, "success_rate");
	json_rate(b, succeeded, failed);
}

static void
json_pairs(struct buf *b, const struct store *s, const struct across *x,
	   bool by_failures, size_t top)
{
	const struct pair_stat **p;
	size_t n = across_pairs_by(x, by_failures, &p), k;

	buf_addc(b, '[');
	for (k = 0; k < n && k < top; k++) {
		jw_sep(b);
		buf_addc(b, '{');
		jw_key(b, "from");
		jw_cstring(b, store_agent(s, p[k]->from));
		jw_key(b, "to");
		jw_cstring(b, store_agent(s, p[k]->to));
		jw_key(b, "handoffs");
		jw_int(b, p[k]->occurrences);
		json_outcomes(b, p[k]->workflows, p[k]->succeeded, p[k]->failed);
		jw_key(b, "failures_after");
		jw_int(b, p[k]->failures_after);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	free(p);
}

static void
json_across(struct buf *b, const struct store *s, struct across *x,
	    size_t top)
{
	size_t k, j;

	across_sort_sequences(x);
	jw_key(b, "sequences");
	buf_addc(b, '[');
	for (k = 0; k < x->nseq && k < top; k++) {
		const struct seq_stat *q = &x->seq[k];

		jw_sep(b);
		buf_addc(b, '{');
		jw_key(b, "agents");
		buf_addc(b, '[');
		for (j = 0; j < q->nagents; j++) {
			jw_sep(b);
			jw_cstring(b, store_agent(s, q->agents[j]));
		}
		buf_addc(b, ']');
		json_outcomes(b, q->workflows, q->succeeded, q->failed);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
	jw_key(b, "handoffs");
	json_pairs(b, s, x, false, top);
	jw_key(b, "handoffs_before_failures");
	json_pairs(b, s, x, true, top);
}

/* What comes before the workflows: counts, and how they were tied. */
static void
write_head(struct buf *b, const struct store *s, enum format f)
{
	size_t by[3] = { 0, 0, 0 }, i;

	for (i = 0; i < s->nwf; i++)
		by[s->wf[i].tie]++;
	if (f == FMT_JSON) {
		buf_adds(b, "{");
		jw_key(b, "workflow_count");
		jw_int(b, (long long)s->nwf);
		jw_key(b, "invocations");
		jw_int(b, (long long)s->n);
		jw_key(b, "tied_by");
		buf_addc(b, '{');
		for (i = 0; i < 3; i++) {
			jw_key(b, tie_name((enum tie)i));
			jw_int(b, (long long)by[i]);
		}
		buf_addc(b, '}');
		jw_key(b, "workflows");
		buf_addc(b, '[');
		return;
	}
	buf_adds(b, f == FMT_HTML ? "<section id=\"workflows\">\n<h2>" :
		    f == FMT_MARKDOWN ? "## " : "");
	buf_adds(b, f == FMT_TEXT ? "WORKFLOWS" : "Workflows");
	buf_adds(b, f == FMT_HTML ? "</h2>\n<p class=\"meta\">" : "\n\n");
	buf_printf(b, "%zu workflow%s of %zu invocation%s; tied by "
		   "workflow_id: %zu, by delegation: %zu, by session: %zu.",
		   s->nwf, s->nwf == 1 ? "" : "s", s->n, s->n == 1 ? "" : "s",
		   by[0], by[1], by[2]);
	buf_adds(b, f == FMT_HTML ? "</p>\n" : "\n\n");
}

/* What HTML gathers while the workflows go by. */
struct html_parts {
	size_t pick;            /* the workflow charted */
	struct buf chart;
	struct grid table;
};

static void
write_one(struct buf *b, const struct store *s, const struct analysis *a,
	  size_t i, enum format f, struct html_parts *h)
{
	if (f == FMT_JSON) {
		buf_adds(b, i > 0 ? ", " : "");
		json_workflow(b, s, a);
	} else if (f != FMT_HTML) {
		text_workflow(b, f, s, a, i);
	} else {
		gantt_row(&h->table, s, a);
		if (i == h->pick)
			gantt_chart(&h->chart, s, a);
	}
}

static void
write_tail(struct buf *b, const struct store *s, struct across *x,
	   const struct out_opts *o, struct html_parts *h)
{
	if (o->format == FMT_JSON) {
		buf_addc(b, ']');
		json_across(b, s, x, o->top);
		buf_adds(b, "}\n");
		return;
	}
	if (o->format == FMT_HTML) {
		buf_add(b, h->chart.data, h->chart.len);
		grid_html(b, &h->table, "Workflows, by first start");
	}
	text_across(b, o->format, s, x, o->top);
	if (o->format == FMT_HTML)
		buf_adds(b, "</section>\n");
}

void
write_all(struct buf *b, struct store *s, const struct out_opts *o)
{
	struct html_parts h;
	struct analysis a;
	struct across x;
	size_t i;

	analysis_init(&a, s);
	across_init(&x);
	buf_init(&h.chart);
	h.pick = o->format == FMT_HTML ? gantt_pick(s, o->gantt) : NONE;
	grid_init(&h.table, 9, "llrrrrlrl");
	grid_row(&h.table, "Workflow", "Tied by", "Invocations", "Wall (s)",
		 "Agent time (s)", "Parallelism", "Bottleneck", "Conflicts",
		 "Outcome");
	write_head(b, s, o->format);
	for (i = 0; i < s->nwf; i++) {
		analyse(&a, s, &s->wf[i]);
		write_one(b, s, &a, i, o->format, &h);
		across_add(&x, s, i, &a);
		buf_write(b, stdout);
		buf_reset(b);
	}
	write_tail(b, s, &x, o, &h);
	buf_write(b, stdout);
	buf_reset(b);
	grid_release(&h.table);
	buf_release(&h.chart);
	across_release(&x);
	analysis_release(&a);
}
