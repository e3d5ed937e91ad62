/*
 * gantt.c: the HTML fragment, a <section id="workflows"> meant for the
 * page oak-render-report writes, whose style it uses (svg text, .grid,
 * .muted, the series colours .s0 to .s11, tables): one workflow's
 * timeline as an inline SVG Gantt chart, one bar per invocation (at most
 * GANTT_ROWS), solid on the critical path and pale off it, each with a
 * <title> tooltip; then the same numbers as a table, a table of every
 * workflow, and the tables across workflows. No script.
 */
#include <string.h>

#include "grid.h"
#include "workflows.h"

#define CHART_W 760
#define LABEL_W 190
#define PLOT_W (CHART_W - LABEL_W - 30)
#define ROW_H 22
#define GANTT_ROWS 60
#define NCOLOURS 12

/* The workflow to chart: the one named, else the longest wall time. */
size_t
gantt_pick(const struct store *s, const char *name)
{
	size_t i, best = NONE;

	for (i = 0; name != NULL && i < s->nwf; i++)
		if (strcmp(store_str(s, s->wf[i].key), name) == 0)
			return i;
	if (name != NULL)
		oak_warn("--gantt: no workflow %s; charting the longest", name);
	for (i = 0; i < s->nwf; i++)
		if (best == NONE || s->wf[i].end - s->wf[i].start >
				    s->wf[best].end - s->wf[best].start)
			best = i;
	return best;
}

static double
xpos(const struct analysis *a, int64_t t)
{
	return LABEL_W + (a->wall > 0 ? (double)(t - a->w->start) /
			  (double)a->wall * PLOT_W : 0);
}

static void
axis(struct buf *b, const struct analysis *a, double bottom)
{
	int g;

	for (g = 0; g <= 4; g++) {
		double x = LABEL_W + g * PLOT_W / 4.0;

		buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"20\" "
			   "x2=\"%.1f\" y2=\"%.0f\"/><text class=\"muted\" "
			   "x=\"%.1f\" y=\"14\" text-anchor=\"middle\">", x, x,
			   bottom, x);
		put_seconds(b, a->wall / 4 * g);
		buf_adds(b, "</text>\n");
	}
}

static void
bar(struct buf *b, const struct store *s, const struct analysis *a,
    size_t local, double y, int64_t on_path)
{
	const struct member *m = &s->m[a->w->m[local]];
	size_t depth = a->depth[local] < 8 ? a->depth[local] : 8;
	double x0 = xpos(a, m->start), x1 = xpos(a, m->end);

	buf_adds(b, "<g><title>");
	html_escape_to(b, store_agent(s, m->agent));
	buf_adds(b, ": from +");
	put_seconds(b, m->start - a->w->start);
	buf_adds(b, ", ");
	if (m->timed)
		put_seconds(b, m->end - m->start);
	else
		buf_adds(b, "no duration");
	buf_printf(b, ", %s", status_name(m->status));
	if (on_path > 0) {
		buf_adds(b, "; critical path ");
		put_seconds(b, on_path);
	}
	buf_printf(b, "</title><text x=\"%zu\" y=\"%.1f\">",
		   (size_t)8 + 10 * depth, y + 12);
	html_escape_to(b, store_agent(s, m->agent));
	buf_printf(b, "</text><rect class=\"s%zu\" x=\"%.1f\" y=\"%.1f\" "
		   "width=\"%.1f\" height=\"14\"%s/></g>\n", m->agent % NCOLOURS,
		   x0, y + 1, x1 - x0 < 1 ? 1 : x1 - x0,
		   on_path > 0 ? "" : " opacity=\".35\"");
}

/* The chart and its table, for the workflow a describes. */
void
gantt_chart(struct buf *b, const struct store *s, const struct analysis *a)
{
	size_t k, rows = a->w->n < GANTT_ROWS ? a->w->n : GANTT_ROWS;
	double h = 30 + (double)rows * ROW_H + 10, y = 30;
	struct grid g;

	buf_adds(b, "<h3>Timeline of workflow ");
	html_escape_to(b, store_str(s, a->w->key));
	buf_adds(b, "</h3>\n");
	buf_printf(b, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" role=\"img\" "
		   "aria-label=\"Timeline of one workflow\">\n", CHART_W, h,
		   CHART_W);
	axis(b, a, h - 10);
	grid_init(&g, 6, "llrrlr");
	grid_row(&g, "Agent", "Parent", "Start (+s)", "Seconds", "Status",
		 "Critical path (s)");
	for (k = 0; k < a->w->n; k++) {
		const struct member *m = &s->m[a->w->m[a->order[k]]];
		int64_t on_path = a->local_time[a->order[k]];

		if (k < rows)
			bar(b, s, a, a->order[k], y, on_path);
		y += ROW_H;
		grid_row(&g, store_agent(s, m->agent), m->parent == NONE ? "" :
			 store_agent(s, s->m[m->parent].agent),
			 cell("%.1f", (double)(m->start - a->w->start) / 1e6),
			 m->timed ? cell("%.1f", (double)(m->end - m->start) /
					 1e6) : "n/a", status_name(m->status),
			 on_path > 0 ? cell("%.1f", (double)on_path / 1e6) : "");
	}
	buf_adds(b, "</svg>\n");
	if (rows < a->w->n)
		buf_printf(b, "<p class=\"notes\">The first %zu of %zu invocations "
			   "are drawn; the table lists them all.</p>\n", rows,
			   a->w->n);
	buf_adds(b, "<p class=\"notes\">Solid bars are on the critical path, "
		 "pale ones off it; a bar's tooltip gives its times.</p>\n");
	grid_html(b, &g, "Invocations of the charted workflow, by delegation "
		  "and start");
	grid_release(&g);
}

/* One row of the table of workflows. */
void
gantt_row(struct grid *g, const struct store *s, const struct analysis *a)
{
	grid_row(g, store_str(s, a->w->key), tie_name(a->w->tie),
		 cell("%zu", a->w->n), cell("%.1f", (double)a->wall / 1e6),
		 cell("%.1f", (double)a->summed / 1e6),
		 a->wall > 0 ? cell("%.2f", (double)a->summed /
				    (double)a->wall) : "n/a",
		 a->bottleneck == NONE ? "" : store_agent(s, a->bottleneck),
		 cell("%zu", a->nconflicts), outcome_name(a->outcome));
}
