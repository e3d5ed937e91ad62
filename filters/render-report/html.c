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

#include "record/hist_merge.h"
#include "render.h"

#define CHART_W 760
#define LABEL_W 190
#define PLOT_W (CHART_W - LABEL_W - 64)
#define NCOLOURS 12
#define ROW_H 26
/* The charts draw the most invoked agents, CHART_TOP bars and TREND_TOP
 * lines (one colour each), and pool all the others into one last bar or
 * line, "and N more"; the tables under them list every agent. */
#define CHART_TOP 20
#define OUT_CHUNK (64 * 1024)
#define TREND_TOP 10

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
	"svg .bar.rest{fill:var(--muted)}svg .rest{stroke:var(--muted);"
	"fill:var(--muted)}svg .line.rest{fill:none;stroke-dasharray:6 4}"
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

void
out_flush(struct buf *b)
{
	if (b->len >= OUT_CHUNK) {
		buf_write(b, stdout);
		buf_reset(b);
	}
}

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

/* *acc += v when the sum stays in range; returns whether it did. */
static bool
sum_fits(int64_t *acc, int64_t v)
{
	int64_t sum;

	if (__builtin_add_overflow(*acc, v, &sum))
		return false;
	*acc = sum;
	return true;
}

/* Rows a bar chart of n agents takes: the top ones, and one for the
 * rest. */
static size_t
chart_rows(size_t n)
{
	return n > CHART_TOP ? CHART_TOP + 1 : n;
}

/* "and N more": the label of the row that pools n agents. */
static const char *
rest_label(size_t n)
{
	static char s[48];

	snprintf(s, sizeof(s), "and %zu more", n);
	return s;
}

/* The label of the pooled row at y, and why it has nothing to draw. */
static void
rest_unplotted(struct buf *b, double y, size_t n, const char *why)
{
	buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s"
		   "</text><text class=\"muted\" x=\"%d\" y=\"%.1f\">%s</text>\n",
		   LABEL_W - 8, y + 13, rest_label(n), LABEL_W, y + 13, why);
}

/* One bar of the success chart at y: the rate s / d with its Wilson
 * interval, labelled name (an agent, or the rest). */
static void
success_bar(struct buf *b, double y, const char *name, int64_t s, int64_t d,
	    const char *cls)
{
	double sr = (double)s / (double)d, lo, hi;

	wilson_interval(s, d, OAK_Z95, &lo, &hi);
	buf_adds(b, "<g><title>");
	esc(b, name);
	buf_printf(b, ": %.1f%% (95%% CI %.1f%% - %.1f%%, %lld decided)"
		   "</title>", sr * 100, lo * 100, hi * 100, (long long)d);
	buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		   LABEL_W - 8, y + 13);
	esc(b, name);
	buf_printf(b, "</text><rect class=\"%s\" x=\"%d\" y=\"%.1f\" "
		   "width=\"%.1f\" height=\"16\"/>", cls, LABEL_W, y + 1,
		   sr * PLOT_W);
	buf_printf(b, "<path class=\"ci\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1f"
		   "M%.1f %.1fV%.1f\"/>", xpos(lo), y + 3, y + 15, xpos(lo),
		   y + 9, xpos(hi), xpos(hi), y + 3, y + 15);
	buf_printf(b, "<text class=\"muted\" x=\"%d\" y=\"%.1f\">"
		   "%.0f%%</text></g>\n", LABEL_W + PLOT_W + 10, y + 13,
		   sr * 100);
}

/* The bar of the n agents past the top: s successes of d decided. */
static void
rest_bar(struct buf *b, double y, size_t n, bool fits, int64_t s, int64_t d)
{
	if (fits)
		success_bar(b, y, rest_label(n), s, d, "bar rest");
	else
		rest_unplotted(b, y, n, "their counts add up past 2^63");
}

/* Success rate with the 95 % Wilson interval as whiskers: one bar per
 * agent for the CHART_TOP most invoked with a decided outcome, and one
 * bar for all the others, pooled. */
static void
chart_success(struct buf *b, const struct agent_list *l)
{
	size_t k, n = 0, shown = 0;
	int64_t s = 0, d = 0;
	bool fits = true;
	double y, h;
	int g;

	for (k = 0; k < l->n; k++)
		if (l->a[k].view.decided > 0 && n++ >= CHART_TOP)
			fits = fits && sum_fits(&s, l->a[k].stats->successes) &&
			       sum_fits(&d, l->a[k].view.decided);
	if (n == 0) {
		buf_adds(b, "<p class=\"empty\">No success or failure recorded.</p>\n");
		return;
	}
	h = 30 + (double)chart_rows(n) * ROW_H + 10;
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
	for (k = 0; k < l->n && shown < CHART_TOP; k++) {
		const struct agent *a = &l->a[k];

		if (a->view.decided == 0)
			continue;
		success_bar(b, y, a->stats->name, a->stats->successes,
			    a->view.decided, "bar");
		y += ROW_H;
		shown++;
	}
	if (n > CHART_TOP)
		rest_bar(b, y, n - CHART_TOP, fits, s, d);
	buf_adds(b, "</svg>\n");
}

/*
 * The trend: success per period and agent, by ISO week, or by day when
 * the report spans fewer than three weeks (a week or two is no weekly
 * trend). keys are the periods that hold invocations, in order. The
 * chart's lines are the TREND_TOP most invoked agents and, when there
 * are more, one line pooling the others: cell[line * nkeys + key] sums
 * the line's outcomes in the period (over when they pass 2^63).
 */
struct trend_cell {
	int64_t successes, decided;
	bool over;
};

struct trend {
	enum oak_period by;
	struct period_row *pr;
	size_t n;
	const char **keys;
	size_t nkeys;
	struct trend_cell *cell;
	size_t nlines;
};

/* Sums the period rows into the chart's cells: one pass over them. */
static void
trend_cells(struct trend *t, const struct agent_list *l)
{
	const struct period_row *p;
	struct trend_cell *c;
	size_t i, j = 0, line;

	t->nlines = l->n > TREND_TOP ? TREND_TOP + 1 : l->n;
	t->cell = oak_calloc(t->nlines * t->nkeys + 1, sizeof(*t->cell));
	for (i = 0; i < t->n; i++) {
		p = &t->pr[i];
		if (i > 0 && strcmp(p->key, t->pr[i - 1].key) != 0)
			j++;
		line = (size_t)(p->agent - l->a);   /* l is by count */
		if (line > TREND_TOP)
			line = TREND_TOP;
		c = &t->cell[line * t->nkeys + j];
		c->over = c->over || !sum_fits(&c->successes, p->successes) ||
			  !sum_fits(&c->decided, p->successes) ||
			  !sum_fits(&c->decided, p->failures);
	}
}

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
			break;
		free(t->keys);
		free(t->pr);
	}
	trend_cells(t, l);
}

static void
trend_release(struct trend *t)
{
	free(t->cell);
	free(t->keys);
	free(t->pr);
}

/* The plot's frame: x of the first period, step between periods, y of
 * 0 % and of 100 %. */
struct frame {
	double x0, step, y0, y1;
};

/* One line, its points and their class cls ("s3", "rest"), named name. */
static void
trend_line(struct buf *b, const struct trend *t, size_t line,
	   const char *name, const char *cls, const struct frame *f)
{
	const struct trend_cell *c = &t->cell[line * t->nkeys];
	struct buf dots;
	size_t j;
	double x, y;

	buf_init(&dots);
	buf_printf(b, "<g><title>");
	esc(b, name);
	buf_printf(b, "</title><path class=\"line %s\" d=\"", cls);
	for (j = 0; j < t->nkeys; j++) {
		if (c[j].decided == 0 || c[j].over)
			continue;
		x = f->x0 + f->step * (double)j;
		y = f->y1 - (f->y1 - f->y0) * (double)c[j].successes /
			    (double)c[j].decided;
		buf_printf(b, "%s%.1f %.1f", dots.len ? "L" : "M", x, y);
		buf_printf(&dots, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" "
			   "r=\"3\"/>", cls, x, y);
	}
	buf_adds(b, "\"/>");
	if (dots.len > 0)
		buf_add(b, dots.data, dots.len);
	buf_adds(b, "</g>\n");
	buf_release(&dots);
}

/* The chart's lines, each with its entry in the legend, four to a row. */
static void
trend_lines(struct buf *b, const struct agent_list *l, const struct trend *t,
	    const struct frame *f)
{
	const char *name;
	char cls[24];
	size_t k;

	for (k = 0; k < t->nlines; k++) {
		if (k < TREND_TOP) {
			snprintf(cls, sizeof(cls), "s%zu", k % NCOLOURS);
			name = l->a[k].stats->name;
		} else {
			snprintf(cls, sizeof(cls), "rest");
			name = rest_label(l->n - TREND_TOP);
		}
		trend_line(b, t, k, name, cls, f);
		buf_printf(b, "<rect class=\"%s\" x=\"%.0f\" y=\"%.0f\" width=\"12\" "
			   "height=\"12\"/><text x=\"%.0f\" y=\"%.0f\">", cls,
			   60.0 + 175.0 * (double)(k % 4),
			   f->y1 + 30 + 18.0 * (double)(k / 4),
			   78.0 + 175.0 * (double)(k % 4),
			   f->y1 + 40 + 18.0 * (double)(k / 4));
		esc(b, name);
		buf_adds(b, "</text>\n");
	}
}

/* Success rate per period, one line per agent; left out, with the
 * reason, when all falls in one period. */
static void
chart_trend(struct buf *b, const struct agent_list *l, const struct trend *t)
{
	struct frame f = { 60, 0, 20, 240 };
	double x1 = CHART_W - 44;
	size_t j;
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
		   f.y1 + 40 + 18.0 * (double)((t->nlines + 3) / 4), CHART_W,
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
	trend_lines(b, l, t, &f);
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

/* Durations p50, p90, p99 of one row of the duration chart. */
struct pcts {
	double p[3];
};

/* The log scale of the duration chart: 10^e0 to 10^e1 seconds. */
struct log_scale {
	int e0, e1;
};

static double
log_x(const struct log_scale *s, double secs)
{
	return LABEL_W + (log10(secs) - s->e0) / (double)(s->e1 - s->e0) * PLOT_W;
}

/* The pooled durations of the agents with some past the first CHART_TOP,
 * into h (empty when their counts add up past 2^63: *fits false).
 * Returns how many agents have durations. */
static size_t
rest_durations(const struct agent_list *l, struct hist *h, bool *fits)
{
	struct hist_bucket *bk;
	const struct hist *d;
	size_t k, i, n = 0, m = 0, total = 0;

	for (k = 0; k < l->n; k++)
		if (!isnan(l->a[k].view.p50) && n++ >= CHART_TOP)
			total += l->a[k].stats->duration_hist.n;
	hist_init(h);
	*fits = true;
	if (n <= CHART_TOP)
		return n;
	bk = oak_malloc(sizeof(*bk) * total);
	for (n = 0, k = 0; k < l->n; k++) {
		d = &l->a[k].stats->duration_hist;
		if (isnan(l->a[k].view.p50) || n++ < CHART_TOP)
			continue;
		for (i = 0; i < d->n; i++) {
			bk[m].key = d->key[i];
			bk[m++].count = d->count[i];
		}
	}
	*fits = hist_from_buckets(h, bk, m);
	free(bk);
	return n;
}

/* One row of the duration chart at y: a range from p50 to p99 with a
 * dot at each percentile. */
static void
duration_row(struct buf *b, double y, const char *name, const struct pcts *q,
	     const struct log_scale *s)
{
	double x50 = log_x(s, q->p[0]), x90 = log_x(s, q->p[1]),
	       x99 = log_x(s, q->p[2]);

	buf_adds(b, "<g><title>");
	esc(b, name);
	buf_printf(b, ": p50 %.1fs, p90 %.1fs, p99 %.1fs</title>", q->p[0],
		   q->p[1], q->p[2]);
	buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
		   LABEL_W - 8, y + 13);
	esc(b, name);
	buf_printf(b, "</text><line class=\"range\" x1=\"%.1f\" y1=\"%.1f\" "
		   "x2=\"%.1f\" y2=\"%.1f\"/>", x50, y + 9, x99, y + 9);
	buf_printf(b, "<circle class=\"s0\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>"
		   "<circle class=\"s1\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>"
		   "<circle class=\"s2\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/></g>\n",
		   x50, y + 9, x90, y + 9, x99, y + 9);
}

/* The duration chart's frame (height h): the grid of powers of ten
 * from 10^e0 to 10^e1, and under it the legend. */
static void
duration_frame(struct buf *b, const struct log_scale *s, double h)
{
	int e;

	for (e = s->e0; e <= s->e1; e++) {
		double x = LABEL_W + (double)(e - s->e0) / (s->e1 - s->e0) * PLOT_W;

		buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" "
			   "y2=\"%.0f\"/><text class=\"muted\" x=\"%.1f\" y=\"14\" "
			   "text-anchor=\"middle\">%gs</text>\n", x, x, h - 34, x,
			   pow(10, e));
	}
}

static void
duration_legend(struct buf *b, double h)
{
	buf_printf(b, "<circle class=\"s0\" cx=\"%d\" cy=\"%.1f\" r=\"5\"/>"
		   "<text x=\"%d\" y=\"%.1f\">p50</text>"
		   "<circle class=\"s1\" cx=\"%d\" cy=\"%.1f\" r=\"5\"/>"
		   "<text x=\"%d\" y=\"%.1f\">p90</text>"
		   "<circle class=\"s2\" cx=\"%d\" cy=\"%.1f\" r=\"5\"/>"
		   "<text x=\"%d\" y=\"%.1f\">p99</text>\n",
		   LABEL_W, h - 14, LABEL_W + 10, h - 10, LABEL_W + 70, h - 14,
		   LABEL_W + 80, h - 10, LABEL_W + 140, h - 14, LABEL_W + 150,
		   h - 10);
}

/* Duration p50, p90, p99 on a log scale: one row per agent for the
 * CHART_TOP most invoked with durations, one for all the others pooled. */
static void
chart_durations(struct buf *b, const struct agent_list *l)
{
	double lo = INFINITY, hi = 0, h, y;
	struct pcts q, rest_q = { { NAN, NAN, NAN } };
	struct log_scale s;
	struct hist rest;
	size_t k, n, shown = 0;
	bool fits;

	if ((n = rest_durations(l, &rest, &fits)) == 0) {
		buf_adds(b, "<p class=\"empty\">No durations recorded.</p>\n");
		return;
	}
	for (k = 0; k < l->n && shown < CHART_TOP; k++)
		if (!isnan(l->a[k].view.p50)) {
			shown++;
			lo = fmin(lo, l->a[k].view.p50);
			hi = fmax(hi, l->a[k].view.p99);
		}
	if (rest.total > 0) {
		rest_q = (struct pcts){ { hist_quantile(&rest, 0.50),
			hist_quantile(&rest, 0.90), hist_quantile(&rest, 0.99) } };
		lo = fmin(lo, rest_q.p[0]);
		hi = fmax(hi, rest_q.p[2]);
	}
	s.e0 = (int)floor(log10(lo));
	s.e1 = (int)ceil(log10(hi));
	if (s.e1 <= s.e0)
		s.e1 = s.e0 + 1;
	h = 30 + (double)chart_rows(n) * ROW_H + 34;
	buf_printf(b, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" role=\"img\" "
		   "aria-label=\"Duration percentiles per agent, log scale\">\n",
		   CHART_W, h, CHART_W);
	duration_frame(b, &s, h);
	for (y = 30, k = 0, shown = 0; k < l->n && shown < CHART_TOP; k++) {
		const struct agent_view *v = &l->a[k].view;

		if (isnan(v->p50))
			continue;
		q = (struct pcts){ { v->p50, v->p90, v->p99 } };
		duration_row(b, y, l->a[k].stats->name, &q, &s);
		y += ROW_H;
		shown++;
	}
	if (n > CHART_TOP && fits)
		duration_row(b, y, rest_label(n - CHART_TOP), &rest_q, &s);
	else if (n > CHART_TOP)
		rest_unplotted(b, y, n - CHART_TOP, "their counts add up past 2^63");
	duration_legend(b, h);
	buf_adds(b, "</svg>\n");
	hist_release(&rest);
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
 * when it was made, the data's dates, the data quality line and the
 * note of an empty window. */
static void
html_header(struct buf *b, const struct report *r)
{
	const struct agent_stats *first, *last;
	struct buf line;

	buf_init(&line);
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
	if (data_quality(&line, r)) {
		buf_adds(b, "<p class=\"meta\">");
		esc(b, line.data);
		buf_adds(b, "</p>\n");
	}
	if (r->note != NULL) {
		buf_adds(b, "<p class=\"note\">");
		esc(b, r->note);
		buf_adds(b, "</p>\n");
	}
	buf_release(&line);
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
	table_release(&t[1]);
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
