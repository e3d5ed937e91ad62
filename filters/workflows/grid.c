/*
 * grid.c: the tables oak-workflows writes across workflows, as aligned
 * plain text, a GitHub-flavoured Markdown table or an HTML table (the
 * markup oak-render-report's page styles). Cells are copied in.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"

void
grid_init(struct grid *g, size_t ncols, const char *align)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	g->align = align;
}

void
grid_release(struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nrows * g->ncols; i++)
		free(g->cell[i]);
	free(g->cell);
}

/* One row of ncols strings. */
void
grid_row(struct grid *g, ...)
{
	va_list ap;
	size_t c;

	if (g->nrows == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 8;
		g->cell = oak_realloc(g->cell, sizeof(*g->cell) * g->cap *
				      g->ncols);
	}
	va_start(ap, g);
	for (c = 0; c < g->ncols; c++)
		g->cell[g->nrows * g->ncols + c] =
			oak_strdup(va_arg(ap, const char *));
	va_end(ap);
	g->nrows++;
}

/* Columns a string takes: one per UTF-8 character. */
static size_t
columns(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
spaces(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

/* Aligned text, two spaces between columns, indented by two. */
void
grid_text(struct buf *b, const struct grid *g)
{
	size_t *w = oak_calloc(g->ncols, sizeof(*w)), r, c, cw;
	const char *s;

	for (r = 0; r < g->nrows; r++)
		for (c = 0; c < g->ncols; c++)
			if ((cw = columns(g->cell[r * g->ncols + c])) > w[c])
				w[c] = cw;
	for (r = 0; r < g->nrows; r++) {
		buf_adds(b, " ");
		for (c = 0; c < g->ncols; c++) {
			s = g->cell[r * g->ncols + c];
			cw = columns(s);
			buf_adds(b, " ");
			if (g->align[c] == 'r')
				spaces(b, w[c] - cw);
			buf_adds(b, s);
			if (g->align[c] != 'r' && c + 1 < g->ncols)
				spaces(b, w[c] - cw);
			if (c + 1 < g->ncols)
				buf_addc(b, ' ');
		}
		buf_addc(b, '\n');
	}
	free(w);
}

/* Markdown: | and backslash escaped in cells; the first row heads. */
void
grid_markdown(struct buf *b, const struct grid *g)
{
	size_t r, c;
	const char *s;

	for (r = 0; r < g->nrows; r++) {
		for (c = 0; c < g->ncols; c++) {
			buf_adds(b, "| ");
			for (s = g->cell[r * g->ncols + c]; *s; s++) {
				if (*s == '|' || *s == '\\')
					buf_addc(b, '\\');
				buf_addc(b, *s);
			}
			buf_addc(b, ' ');
		}
		buf_adds(b, "|\n");
		if (r == 0) {
			for (c = 0; c < g->ncols; c++)
				buf_adds(b, g->align[c] == 'r' ? "|---:" : "|---");
			buf_adds(b, "|\n");
		}
	}
}

void
html_escape_to(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

/* HTML: a captioned table in a scrolling box; the first row heads. */
void
grid_html(struct buf *b, const struct grid *g, const char *caption)
{
	size_t r, c;

	buf_adds(b, "<div class=\"scroll\"><table>\n<caption>");
	html_escape_to(b, caption);
	buf_adds(b, "</caption>\n");
	for (r = 0; r < g->nrows; r++) {
		buf_adds(b, "<tr>");
		for (c = 0; c < g->ncols; c++) {
			const char *tag = r == 0 ? "th" : "td";

			buf_printf(b, "<%s%s>", tag, r > 0 && g->align[c] == 'r' ?
				   " class=\"num\"" : "");
			html_escape_to(b, g->cell[r * g->ncols + c]);
			buf_printf(b, "</%s>", tag);
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table></div>\n");
}
