/*
 * table.c: a small table of text cells, written as aligned plain text,
 * as a GitHub-flavoured Markdown table, or as an HTML table. Every
 * section of the report beyond the seed is one of these, so the three
 * formats say the same thing.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

void
table_init(struct table *t, const char *title, size_t ncols,
	   const char *const *head, const char *align)
{
	memset(t, 0, sizeof(*t));
	t->title = title;
	t->ncols = ncols;
	t->head = head;
	t->align = align;
}

void
table_row(struct table *t, ...)
{
	va_list ap;
	const char *s;
	size_t c;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cell = oak_realloc(t->cell, sizeof(*t->cell) * t->cap * t->ncols);
	}
	va_start(ap, t);
	for (c = 0; c < t->ncols; c++) {
		s = va_arg(ap, const char *);
		t->cell[t->nrows * t->ncols + c] = oak_strdup(s ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cell[i]);
	free(t->cell);
	t->cell = NULL;
	t->nrows = t->cap = 0;
}

/* Columns a string takes: one per UTF-8 character. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void
pad(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

void
table_text(struct buf *b, const struct table *t)
{
	size_t *w = oak_calloc(t->ncols, sizeof(*w)), r, c, cw, total = 0;
	const char *s;

	buf_printf(b, "\n%s\n", t->title);
	for (c = 0; c < width(t->title); c++)
		buf_addc(b, '-');
	buf_addc(b, '\n');
	if (t->nrows == 0) {
		buf_printf(b, "%s\n", t->empty ? t->empty : "(none)");
		free(w);
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		w[c] = width(t->head[c]);
		for (r = 0; r < t->nrows; r++)
			if ((cw = width(t->cell[r * t->ncols + c])) > w[c])
				w[c] = cw;
		total += w[c] + (c ? 2 : 0);
	}
	for (r = 0; r <= t->nrows + 1; r++) {
		if (r == 1) {
			for (c = 0; c < total; c++)
				buf_addc(b, '-');
			buf_addc(b, '\n');
			continue;
		}
		for (c = 0; c < t->ncols; c++) {
			s = r == 0 ? t->head[c] : t->cell[(r - 2) * t->ncols + c];
			cw = width(s);
			if (c > 0)
				pad(b, 2);
			if (t->align[c] == 'r')
				pad(b, w[c] - cw);
			buf_adds(b, s);
			if (t->align[c] != 'r' && c + 1 < t->ncols)
				pad(b, w[c] - cw);
		}
		buf_addc(b, '\n');
	}
	free(w);
}

void
md_escape(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
			buf_addc(b, ' ');
			continue;
		}
		if (strchr("\\|*_`<>[]#~", s[i]) != NULL && s[i] != '\0')
			buf_addc(b, '\\');
		buf_addc(b, s[i]);
	}
}

void
table_markdown(struct buf *b, const struct table *t)
{
	size_t r, c;
	const char *s;

	buf_printf(b, "\n## %s\n\n", t->title);
	if (t->nrows == 0) {
		buf_printf(b, "%s\n", t->empty ? t->empty : "None.");
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		buf_adds(b, "| ");
		md_escape(b, t->head[c], strlen(t->head[c]));
		buf_addc(b, ' ');
	}
	buf_adds(b, "|\n");
	for (c = 0; c < t->ncols; c++)
		buf_adds(b, t->align[c] == 'r' ? "|---:" : "|---");
	buf_adds(b, "|\n");
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			s = t->cell[r * t->ncols + c];
			buf_adds(b, "| ");
			md_escape(b, s, strlen(s));
			buf_addc(b, ' ');
		}
		buf_adds(b, "|\n");
	}
}

void
html_escape(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, s[i]);
		}
	}
}

void
table_html(struct buf *b, const struct table *t)
{
	size_t r, c;
	const char *s;

	if (t->nrows == 0) {
		buf_adds(b, "<p class=\"empty\">");
		s = t->empty ? t->empty : "None.";
		html_escape(b, s, strlen(s));
		buf_adds(b, "</p>\n");
		return;
	}
	buf_adds(b, "<div class=\"scroll\"><table>\n<caption>");
	html_escape(b, t->title, strlen(t->title));
	buf_adds(b, "</caption>\n<thead><tr>");
	for (c = 0; c < t->ncols; c++) {
		buf_adds(b, t->align[c] == 'r' ? "<th class=\"num\" scope=\"col\">" :
			 "<th scope=\"col\">");
		html_escape(b, t->head[c], strlen(t->head[c]));
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->nrows; r++) {
		buf_adds(b, "<tr>");
		for (c = 0; c < t->ncols; c++) {
			s = t->cell[r * t->ncols + c];
			buf_adds(b, t->align[c] == 'r' ? "<td class=\"num\">" : "<td>");
			html_escape(b, s, strlen(s));
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
		out_flush(b);
	}
	buf_adds(b, "</tbody>\n</table></div>\n");
}
