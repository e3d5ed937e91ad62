/*
 * html.c: the weekly report as one self-contained HTML page: inline CSS
 * (light and dark colour schemes, print), three inline SVG charts
 * (success rate per agent with its Wilson interval, the trend of success
 * per agent by week, or by day over less than three weeks, left out
 * when there is one day only; duration percentiles on a log scale), each followed
 * by the same numbers as a table, then the report's other tables. No
 * script, no external resource: the page makes no request.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define CHART_W 760
#define LABEL_W 190
#define PLOT_W (CHART_W - LABEL_W - 64)
#define NCOLOURS 12
#define ROW_H 26

static const char *style =
	":root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;"
	"--grid:#d1d9e0;--card:#f6f8fa;--bar:#4e79a7;--ci:#1f2328;--accent:#0969da}"
	"@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;"
	"--muted:#9198a1;--grid:#3d444d;--card:#161b22;--bar:#6f9fd8;--ci:#e6edf3;"
	"--accent:#4493f8}}"
	"*{box-sizing:border-box}"
	"body{margin:0 auto;max-width:1100px;padding:24px;background:var(--bg);"
	"color:var(--fg);font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
	"Roboto,'Helvetica Neue',Arial,sans-serif}"
	"h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:32px 0 8px;"
	"border-bottom:1px solid var(--grid);padding-bottom:4px}"
	".meta{color:var(--muted);margin:0}"
	".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}"
	".card{background:var(--card);border:1px solid var(--grid);"
	"border-radius:8px;padding:10px 16px;min-width:150px}"
	".card b{display:block;font-size:1.5em}.card span{color:var(--muted)}"
	"svg{display:block;max-width:100%;height:auto;font-size:12px}"
	"svg text{fill:var(--fg)}svg .muted{fill:var(--muted)}"
	"svg .grid{stroke:var(--grid);stroke-width:1}"
	"svg .bar{fill:var(--bar);opacity:.85}"
	"svg .ci{stroke:var(--ci);stroke-width:1.6;fill:none}"
	"svg .range{stroke:var(--muted);stroke-width:2}"
	"svg .line{fill:none;stroke-width:2}"
	".s0{stroke:#4e79a7;fill:#4e79a7}.s1{stroke:#f28e2b;fill:#f28e2b}"
	".s2{stroke:#e15759;fill:#e15759}.s3{stroke:#76b7b2;fill:#76b7b2}"
	".s4{stroke:#59a14f;fill:#59a14f}.s5{stroke:#edc948;fill:#edc948}"
	".s6{stroke:#b07aa1;fill:#b07aa1}.s7{stroke:#ff9da7;fill:#ff9da7}"
	".s8{stroke:#9c755f;fill:#9c755f}.s9{stroke:#bab0ac;fill:#bab0ac}"
	".s10{stroke:#1b9e77;fill:#1b9e77}.s11{stroke:#d95f02;fill:#d95f02}"
	".scroll{overflow-x:auto}"
	"table{border-collapse:collapse;margin:8px 0 4px;font-size:.92em}"
	"caption{text-align:left;color:var(--muted);padding:4px 0}"
	"th,td{border:1px solid var(--grid);padding:4px 8px;text-align:left;"
	"vertical-align:top;white-space:nowrap}th{background:var(--card)}"
	".num{text-align:right;font-variant-numeric:tabular-nums}"
	".empty,.notes{color:var(--muted)}"
	".note{border-left:4px solid var(--accent);padding:4px 10px;margin:12px 0}"
	"@media print{body{max-width:none;padding:0;font-size:11px}"
	"section,table,svg{break-inside:avoid}.card{border-color:#999}"
	"h2{break-after:avoid}.scroll{overflow:visible}"
	"th,td{white-space:normal}}";

static void
esc(struct buf *b, const char *s)
{
	html_escape(b, s, strlen(s));
}

static double
xpos(double rate)
{
	return LABEL_W + rate * PLOT_W;
}

/* Success rate per agent with the 95 % Wilson interval as whiskers. */
static void
chart_success(struct buf *b, const struct agent_list *l)
{
	size_t k, n = 0;
	double y, h;
	int g;

	for (k = 0; k < l->n; k++)
		if (l->a[k].view.decided > 0)
			n++;
	if (n == 0) {
		buf_adds(b, "<p class=\"empty\">No success or failure recorded.</p>\n");
		return;
	}
	h = 30 + (double)n * ROW_H + 10;
	buf_printf(b, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" role=\"img\" "
		   "aria-label=\"Success rate per agent with 95%% interval\">\n",
		   CHART_W, h, CHART_W);
	for (g = 0; g <= 4; g++) {
		double x = xpos(g / 4.0);

		buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" "
			   "y2=\"%.0f\"/><text class=\"muted\" x=\"%.1f\" y=\"14\" "
			   "text-anchor=\"middle\">%d%%</text>\n", x, x, h - 10, x,
			   g * 25);
	}
	y = 30;
	for (k = 0; k < l->n; k++) {
		const struct agent *a = &l->a[k];
		double sr;

		if (a->view.decided == 0)
			continue;
		sr = agent_success_rate(a->stats);
		buf_printf(b, "<g><title>");
		esc(b, a->stats->name);
		buf_printf(b, ": %.1f%% (95%% CI %.1f%% - %.1f%%, %lld decided)"
			   "</title>", sr * 100, a->view.ci_low * 100,
			   a->view.ci_high * 100, (long long)a->view.decided);
		buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
			   LABEL_W - 8, y + 13);
		esc(b, a->stats->name);
		buf_printf(b, "</text><rect class=\"bar\" x=\"%d\" y=\"%.1f\" "
			   "width=\"%.1f\" height=\"16\"/>", LABEL_W, y + 1,
			   sr * PLOT_W);
		buf_printf(b, "<path class=\"ci\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1f"
			   "M%.1f %.1fV%.1f\"/>", xpos(a->view.ci_low), y + 3,
			   y + 15, xpos(a->view.ci_low), y + 9, xpos(a->view.ci_high),
			   xpos(a->view.ci_high), y + 3, y + 15);
		buf_printf(b, "<text class=\"muted\" x=\"%d\" y=\"%.1f\">"
			   "%.0f%%</text></g>\n", LABEL_W + PLOT_W + 10, y + 13,
			   sr * 100);
		y += ROW_H;
	}
	buf_adds(b, "</svg>\n");
}

/*
 * The trend: success per period and agent, by ISO week, or by day when
 * the report spans fewer than three weeks (a week or two is no weekly
 * trend). keys are the periods that hold invocations, in order.
 */
struct trend {
	enum oak_period by;
	struct period_row *pr;
	size_t n;
	const char **keys;
	size_t nkeys;
};

static void
trend_make(struct trend *t, const struct agent_list *l)
{
	size_t i;

	for (t->by = OAK_BY_WEEK;; t->by = OAK_BY_DAY) {
		t->n = period_rows(l, t->by, &t->pr);
		t->keys = oak_calloc(t->n + 1, sizeof(*t->keys));
		t->nkeys = 0;
		for (i = 0; i < t->n; i++)
			if (t->nkeys == 0 ||
			    strcmp(t->keys[t->nkeys - 1], t->pr[i].key) != 0)
				t->keys[t->nkeys++] = t->pr[i].key;
		if (t->by == OAK_BY_DAY || t->nkeys >= 3)
			return;
		free(t->keys);
		free(t->pr);
	}
}

static void
trend_release(struct trend *t)
{
	free(t->keys);
	free(t->pr);
}

/* The plot's frame: x of the first period, step between periods, y of
 * 0 % and of 100 %. */
struct frame {
	double x0, step, y0, y1;
};

/* One agent's line and its points (agent k of l). */
static void
trend_agent(struct buf *b, const struct trend *t, const struct agent *a,
	    size_t k, const struct frame *f)
{
	struct buf dots;
	size_t i, j;
	int64_t d;
	double x, y;

	buf_init(&dots);
	buf_printf(b, "<g><title>");
	esc(b, a->stats->name);
	buf_printf(b, "</title><path class=\"line s%zu\" d=\"", k % NCOLOURS);
	for (j = 0, i = 0; i < t->n; i++) {
		d = t->pr[i].successes + t->pr[i].failures;
		if (t->pr[i].agent != a || d == 0)
			continue;
		while (j < t->nkeys && strcmp(t->keys[j], t->pr[i].key) != 0)
			j++;
		x = f->x0 + f->step * (double)j;
		y = f->y1 - (f->y1 - f->y0) * (double)t->pr[i].successes /
			    (double)d;
		buf_printf(b, "%s%.1f %.1f", dots.len ? "L" : "M", x, y);
		buf_printf(&dots, "<circle class=\"s%zu\" cx=\"%.1f\" cy=\"%.1f\" "
			   "r=\"3\"/>", k % NCOLOURS, x, y);
	}
	buf_adds(b, "\"/>");
	if (dots.len > 0)
		buf_add(b, dots.data, dots.len);
	buf_adds(b, "</g>\n");
	buf_release(&dots);
}

/* Success rate per period, one line per agent; left out, with the
 * reason, when all falls in one period. */
static void
chart_trend(struct buf *b, const struct agent_list *l, const struct trend *t)
{
	struct frame f = { 60, 0, 20, 240 };
	double x1 = CHART_W - 44;
	size_t j, k;
	int g;

	if (t->nkeys < 2) {
		buf_adds(b, "<p class=\"empty\">");
		if (t->nkeys == 0)
			buf_adds(b, "No invocations.");
		else
			buf_printf(b, "No trend chart: every invocation here falls "
				   "on one day, %s, and one point per agent is no "
				   "trend. A longer window shows one.", t->keys[0]);
		buf_adds(b, "</p>\n");
		return;
	}
	f.step = (x1 - f.x0) / (double)(t->nkeys - 1);
	buf_printf(b, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" role=\"img\" "
		   "aria-label=\"%s success rate per agent\">\n", CHART_W,
		   f.y1 + 40 + 18.0 * (double)((l->n + 3) / 4), CHART_W,
		   t->by == OAK_BY_DAY ? "Daily" : "Weekly");
	for (g = 0; g <= 4; g++) {
		double y = f.y1 - (f.y1 - f.y0) * g / 4.0;

		buf_printf(b, "<line class=\"grid\" x1=\"%.0f\" y1=\"%.1f\" "
			   "x2=\"%.0f\" y2=\"%.1f\"/><text class=\"muted\" x=\"%.0f\" "
			   "y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n", 60.0, y, x1,
			   y, 54.0, y + 4, g * 25);
	}
	for (j = 0; j < t->nkeys; j++) {
		/* label at most ~12 periods so they do not overlap */
		if (t->nkeys > 12 && j % ((t->nkeys + 11) / 12) != 0 &&
		    j + 1 != t->nkeys)
			continue;
		buf_printf(b, "<text class=\"muted\" x=\"%.1f\" y=\"%.0f\" "
			   "text-anchor=\"middle\">%s</text>\n",
			   f.x0 + f.step * (double)j, f.y1 + 18, t->keys[j]);
	}
	for (k = 0; k < l->n; k++) {
		trend_agent(b, t, &l->a[k], k, &f);
		/* legend, four to a row */
		buf_printf(b, "<rect class=\"s%zu\" x=\"%.0f\" y=\"%.0f\" width=\"12\" "
			   "height=\"12\"/><text x=\"%.0f\" y=\"%.0f\">", k % NCOLOURS,
			   60.0 + 175.0 * (double)(k % 4),
			   f.y1 + 30 + 18.0 * (double)(k / 4),
			   78.0 + 175.0 * (double)(k % 4),
			   f.y1 + 40 + 18.0 * (double)(k / 4));
		esc(b, l->a[k].stats->name);
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
}

/* The trend section: its chart, then the same numbers as a table. */
static void
trend_section(struct buf *b, const struct agent_list *l)
{
	static const char *const head[2][5] = {
		{ "Week", "Agent", "Invocations", "Success", "Quality" },
		{ "Day", "Agent", "Invocations", "Success", "Quality" },
	};
	bool daily;
	struct trend t;
	struct table tab;

	trend_make(&t, l);
	daily = t.by == OAK_BY_DAY;
	buf_printf(b, "<section>\n<h2>%s trend</h2>\n", daily ? "Daily" :
		   "Weekly");
	chart_trend(b, l, &t);
	table_init(&tab, daily ? "Success per day and agent" :
		   "Success per ISO week and agent", 5, head[daily], "llrrr");
	period_table_rows(&tab, t.pr, t.n);
	table_html(b, &tab);
	table_release(&tab);
	trend_release(&t);
	buf_adds(b, "</section>\n");
}

/* Duration p50, p90, p99 per agent on a log scale. */
static void
chart_durations(struct buf *b, const struct agent_list *l)
{
	double lo = INFINITY, hi = 0, h, y, a, z, span;
	size_t k, n = 0;
	int e, e0, e1;

	for (k = 0; k < l->n; k++) {
		if (isnan(l->a[k].view.p50))
			continue;
		n++;
		lo = fmin(lo, l->a[k].view.p50);
		hi = fmax(hi, l->a[k].view.p99);
	}
	if (n == 0) {
		buf_adds(b, "<p class=\"empty\">No durations recorded.</p>\n");
		return;
	}
	e0 = (int)floor(log10(lo));
	e1 = (int)ceil(log10(hi));
	if (e1 <= e0)
		e1 = e0 + 1;
	a = e0;
	z = e1;
	span = z - a;
	h = 30 + (double)n * ROW_H + 34;
	buf_printf(b, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" role=\"img\" "
		   "aria-label=\"Duration percentiles per agent, log scale\">\n",
		   CHART_W, h, CHART_W);
	for (e = e0; e <= e1; e++) {
		double x = LABEL_W + (e - a) / span * PLOT_W;

		buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" "
			   "y2=\"%.0f\"/><text class=\"muted\" x=\"%.1f\" y=\"14\" "
			   "text-anchor=\"middle\">%gs</text>\n", x, x, h - 34, x,
			   pow(10, e));
	}
	y = 30;
	for (k = 0; k < l->n; k++) {
		const struct agent_view *v = &l->a[k].view;
		double x50, x90, x99;

		if (isnan(v->p50))
			continue;
		x50 = LABEL_W + (log10(v->p50) - a) / span * PLOT_W;
		x90 = LABEL_W + (log10(v->p90) - a) / span * PLOT_W;
		x99 = LABEL_W + (log10(v->p99) - a) / span * PLOT_W;
		buf_adds(b, "<g><title>");
		esc(b, l->a[k].stats->name);
		buf_printf(b, ": p50 %.1fs, p90 %.1fs, p99 %.1fs</title>", v->p50,
			   v->p90, v->p99);
		buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
			   LABEL_W - 8, y + 13);
		esc(b, l->a[k].stats->name);
		buf_printf(b, "</text><line class=\"range\" x1=\"%.1f\" y1=\"%.1f\" "
			   "x2=\"%.1f\" y2=\"%.1f\"/>", x50, y + 9, x99, y + 9);
		buf_printf(b, "<circle class=\"s0\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>"
			   "<circle class=\"s1\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>"
			   "<circle class=\"s2\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/></g>\n",
			   x50, y + 9, x90, y + 9, x99, y + 9);
		y += ROW_H;
	}
	buf_printf(b, "<circle class=\"s0\" cx=\"%d\" cy=\"%.1f\" r=\"5\"/>"
		   "<text x=\"%d\" y=\"%.1f\">p50</text>"
		   "<circle class=\"s1\" cx=\"%d\" cy=\"%.1f\" r=\"5\"/>"
		   "<text x=\"%d\" y=\"%.1f\">p90</text>"
		   "<circle class=\"s2\" cx=\"%d\" cy=\"%.1f\" r=\"5\"/>"
		   "<text x=\"%d\" y=\"%.1f\">p99</text>\n",
		   LABEL_W, h - 14, LABEL_W + 10, h - 10, LABEL_W + 70, h - 14,
		   LABEL_W + 80, h - 10, LABEL_W + 140, h - 14, LABEL_W + 150,
		   h - 10);
	buf_adds(b, "</svg>\n");
}

static void
card(struct buf *b, const char *value, const char *label)
{
	buf_adds(b, "<div class=\"card\"><b>");
	esc(b, value);
	buf_adds(b, "</b><span>");
	esc(b, label);
	buf_adds(b, "</span></div>\n");
}

/* From the doctype to the end of the heading: the window, the baseline,
 * when it was made, the data's dates, and the note of an empty window. */
static void
html_header(struct buf *b, const struct report *r)
{
	const struct agent_stats *first, *last;

	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		 "content=\"width=device-width, initial-scale=1\">\n"
		 "<meta name=\"color-scheme\" content=\"light dark\">\n");
	if (r->refresh > 0)
		buf_printf(b, "<meta http-equiv=\"refresh\" content=\"%ld\">\n",
			   r->refresh);
	buf_adds(b, "<title>Agent telemetry report</title>\n<style>");
	buf_adds(b, style);
	buf_adds(b, "</style>\n</head>\n<body>\n<header>\n"
		 "<h1>Agent telemetry report</h1>\n<p class=\"meta\">Window: ");
	esc(b, fmt_window(&r->window));
	if (r->window.have_since || r->window.have_until)
		buf_adds(b, " (start times; since inclusive, until exclusive)");
	if (r->have_baseline) {
		buf_adds(b, " &middot; baseline: ");
		esc(b, fmt_window(&r->base_window));
	}
	buf_adds(b, " &middot; generated ");
	esc(b, r->generated_at);
	date_range_of(&r->cur, &first, &last);
	if (first != NULL) {
		buf_adds(b, " &middot; data from ");
		esc(b, first->first_ts_text.data);
		buf_adds(b, " to ");
		esc(b, last->last_ts_text.data);
	}
	buf_adds(b, "</p>\n");
	if (r->note != NULL) {
		buf_adds(b, "<p class=\"note\">");
		esc(b, r->note);
		buf_adds(b, "</p>\n");
	}
}

void
render_html(struct buf *b, struct report *r)
{
	struct table t[16], dur;
	static const char *const dur_head[] = {
		"Agent", "Timed", "Mean", "p50", "p90", "p99"
	};
	int64_t succ = 0, decided = 0;
	size_t n, i, k;

	html_header(b, r);
	buf_adds(b, "</header>\n<section class=\"cards\">\n");
	for (k = 0; k < r->cur.n; k++) {
		succ += r->cur.a[k].stats->successes;
		decided += r->cur.a[k].view.decided;
	}
	card(b, fmt_int(total_invocations(&r->cur)), "invocations");
	card(b, fmt_int((long long)r->cur.n), "agents");
	card(b, decided ? fmt_pct((double)succ / (double)decided) : "n/a",
	     "success rate");
	buf_adds(b, "</section>\n");
	task_sources_line(b, r, "<p class=\"note\">");

	n = report_tables(r, t);   /* leaves r->cur sorted by count */

	buf_adds(b, "<section>\n<h2>Success rate per agent</h2>\n");
	chart_success(b, &r->cur);
	table_html(b, &t[1]);
	buf_adds(b, "</section>\n");
	trend_section(b, &r->cur);
	buf_adds(b, "<section>\n<h2>Duration percentiles</h2>\n");
	chart_durations(b, &r->cur);
	table_init(&dur, "Duration per agent (seconds)", 6, dur_head, "lrrrrr");
	for (k = 0; k < r->cur.n; k++) {
		const struct agent_stats *s = r->cur.a[k].stats;
		const struct agent_view *v = &r->cur.a[k].view;

		table_row(&dur, s->name, fmt_int(s->duration_count),
			  s->duration_count ? fmt_secs(agent_average_duration(s)) :
					      "n/a",
			  fmt_secs(v->p50), fmt_secs(v->p90), fmt_secs(v->p99));
	}
	table_html(b, &dur);
	table_release(&dur);
	buf_adds(b, "</section>\n");
	for (i = 0; i < n; i++) {
		if (i != 1) {
			buf_adds(b, "<section>\n<h2>");
			esc(b, t[i].title);
			buf_adds(b, "</h2>\n");
			table_html(b, &t[i]);
			buf_adds(b, "</section>\n");
		}
		table_release(&t[i]);
	}
	buf_adds(b, "<footer><p class=\"notes\">Success is successes / "
		 "(successes + failures), with its 95% Wilson score interval. "
		 "Quality is the mean rating over rated invocations. Duration "
		 "percentiles are nearest-rank, from a log-bucket histogram within "
		 "1% of the exact values. A change in success is significant when "
		 "a two-proportion z test rejects equal rates at 95% (|z| &gt; "
		 "1.96); changes over 5 points of success or 0.1 of quality are "
		 "flagged. Made by oak-render-report.</p></footer>\n"
		 "</body>\n</html>\n");
}
