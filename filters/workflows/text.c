/*
 * text.c: one workflow as labelled lines, in plain text ("  Label: ...")
 * or Markdown (a heading and a list), and the tables across workflows
 * in either.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "workflows.h"

#define MAX_INDENT 16

static void
label(struct buf *b, enum format f, const char *name)
{
	if (f == FMT_MARKDOWN)
		buf_printf(b, "- **%s:** ", name);
	else
		buf_printf(b, "  %s:%*s", name, (int)(14 - strlen(name)), "");
}

static const struct member *
at(const struct store *s, const struct analysis *a, size_t local)
{
	return &s->m[a->w->m[local]];
}

static void
agents_line(struct buf *b, enum format f, const struct store *s,
	    const struct analysis *a)
{
	size_t k;

	if (!a->tree) {
		label(b, f, "Agents");
		for (k = 0; k < a->w->n; k++)
			buf_printf(b, "%s%s", k ? " > " : "",
				   store_agent(s, at(s, a, k)->agent));
		buf_addc(b, '\n');
		return;
	}
	buf_adds(b, f == FMT_MARKDOWN ? "- **Agents:**\n" : "  Agents:\n");
	for (k = 0; k < a->w->n; k++) {
		const struct member *m = at(s, a, a->order[k]);
		size_t depth = a->depth[a->order[k]];

		/* indentation stops at MAX_INDENT levels: the output stays
		 * linear in the members however deep the tree */
		buf_printf(b, "%*s%s", (int)(2 * (depth < MAX_INDENT ? depth :
			   MAX_INDENT) + (f == FMT_MARKDOWN ? 2 : 4)), "",
			   f == FMT_MARKDOWN ? "- " : "");
		if (depth > MAX_INDENT)
			buf_printf(b, "[depth %zu] ", depth);
		buf_printf(b, "%s (%s", store_agent(s, m->agent),
			   status_name(m->status));
		if (m->timed) {
			buf_adds(b, ", ");
			put_seconds(b, m->end - m->start);
		}
		buf_adds(b, ")\n");
	}
}

static void
path_lines(struct buf *b, enum format f, const struct store *s,
	   const struct analysis *a)
{
	size_t k;

	label(b, f, "Critical path");
	for (k = 0; k < a->npath; k++) {
		buf_printf(b, "%s%s ", k ? " > " : "",
			   store_agent(s, at(s, a, a->path[k])->agent));
		put_seconds(b, a->path_time[k]);
	}
	if (a->npath == 0)
		buf_adds(b, "none (no time recorded)");
	else if (a->wall > 0)
		buf_printf(b, " (%.1f %% of the wall time)",
			   100.0 * (double)a->path_total / (double)a->wall);
	buf_addc(b, '\n');
	label(b, f, "Bottleneck");
	if (a->bottleneck == NONE) {
		buf_adds(b, "none (no agent holds over 40 % of the wall time)\n");
	} else {
		buf_printf(b, "%s, ", store_agent(s, a->bottleneck));
		put_seconds(b, a->bottleneck_time);
		buf_printf(b, " on the critical path (%.1f %% of the wall time)\n",
			   100.0 * (double)a->bottleneck_time / (double)a->wall);
	}
}

static void
conflict_line(struct buf *b, enum format f, const struct store *s,
	      const struct analysis *a)
{
	size_t k, j;

	label(b, f, "Conflicts");
	if (a->nconflicts == 0)
		buf_adds(b, "none");
	for (k = 0; k < a->nconflicts; k++) {
		buf_printf(b, "%s%s (", k ? "; " : "",
			   store_str(s, a->conflicts[k].file));
		for (j = 0; j < a->conflicts[k].n; j++)
			buf_printf(b, "%s%s", j ? ", " : "",
				   store_agent(s, a->conflicts[k].agents[j]));
		buf_addc(b, ')');
	}
	buf_addc(b, '\n');
}

void
text_workflow(struct buf *b, enum format f, const struct store *s,
	      const struct analysis *a, size_t index)
{
	const struct workflow *w = a->w;

	buf_printf(b, "%sWorkflow %zu of %zu: %s\n%s", f == FMT_MARKDOWN ?
		   "### " : "", index + 1, s->nwf, store_str(s, w->key),
		   f == FMT_MARKDOWN ? "\n" : "");
	label(b, f, "Tied by");
	buf_printf(b, "%s (%s, %zu invocation%s)\n", tie_name(w->tie),
		   a->tree ? "delegation tree" : "handoff chain", w->n,
		   w->n == 1 ? "" : "s");
	label(b, f, "Time");
	put_time(b, w->start);
	buf_adds(b, " to ");
	put_time(b, w->end);
	buf_addc(b, '\n');
	label(b, f, "Wall time");
	put_seconds(b, a->wall);
	buf_adds(b, "; agent time ");
	put_seconds(b, a->summed);
	if (a->wall > 0)
		buf_printf(b, "; parallelism %.2f",
			   (double)a->summed / (double)a->wall);
	if (a->untimed > 0)
		buf_printf(b, "; %zu without a duration", a->untimed);
	buf_addc(b, '\n');
	agents_line(b, f, s, a);
	path_lines(b, f, s, a);
	conflict_line(b, f, s, a);
	label(b, f, "Outcome");
	buf_printf(b, "%s (%zu success, %zu failure, %zu partial, %zu "
		   "unknown)\n\n", outcome_name(a->outcome), a->count[ST_SUCCESS],
		   a->count[ST_FAILURE], a->count[ST_PARTIAL],
		   a->count[ST_UNKNOWN]);
}

static void
grid_write(struct buf *b, enum format f, const struct grid *g,
	   const char *title)
{
	if (f == FMT_HTML) {
		grid_html(b, g, title);
		return;
	}
	buf_printf(b, "%s%s\n%s", f == FMT_MARKDOWN ? "### " : "", title,
		   f == FMT_MARKDOWN ? "\n" : "");
	if (g->nrows < 2)
		buf_adds(b, f == FMT_MARKDOWN ? "None.\n" : "  none\n");
	else if (f == FMT_MARKDOWN)
		grid_markdown(b, g);
	else
		grid_text(b, g);
	buf_addc(b, '\n');
}

static void
pair_grid(struct buf *b, enum format f, const struct store *s,
	  const struct pair_stat **p, size_t n, const char *title)
{
	struct grid g;
	size_t k;

	grid_init(&g, 6, "llrrrr");
	grid_row(&g, "From", "To", "Handoffs", "Workflows", "Success",
		 "Failed after");
	for (k = 0; k < n; k++)
		grid_row(&g, store_agent(s, p[k]->from), store_agent(s, p[k]->to),
			 cell("%lld", (long long)p[k]->occurrences),
			 cell("%lld", (long long)p[k]->workflows),
			 pct(rate_of(p[k]->succeeded, p[k]->failed)),
			 cell("%lld", (long long)p[k]->failures_after));
	grid_write(b, f, &g, title);
	grid_release(&g);
}

/* The agent sequences and the handoffs, top n of each. */
void
text_across(struct buf *b, enum format f, const struct store *s,
	    struct across *x, size_t top)
{
	const struct pair_stat **p;
	struct buf seq;
	struct grid g;
	size_t k, j, n;

	buf_init(&seq);
	across_sort_sequences(x);
	grid_init(&g, 3, "rrl");
	grid_row(&g, "Workflows", "Success", "Agent sequence");
	for (k = 0; k < x->nseq && k < top; k++) {
		buf_reset(&seq);
		for (j = 0; j < x->seq[k].nagents; j++)
			buf_printf(&seq, "%s%s", j ? " > " : "",
				   store_agent(s, x->seq[k].agents[j]));
		grid_row(&g, cell("%lld", (long long)x->seq[k].workflows),
			 pct(rate_of(x->seq[k].succeeded, x->seq[k].failed)),
			 seq.data ? seq.data : "");
	}
	grid_write(b, f, &g, "Most frequent agent sequences");
	grid_release(&g);
	buf_release(&seq);
	n = across_pairs_by(x, false, &p);
	pair_grid(b, f, s, p, n < top ? n : top, "Most frequent handoffs");
	free(p);
	n = across_pairs_by(x, true, &p);
	pair_grid(b, f, s, p, n < top ? n : top, "Handoffs before failures");
	free(p);
}
