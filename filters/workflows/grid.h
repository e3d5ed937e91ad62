/*
 * grid.h: a small table of text cells written as text, Markdown or HTML
 * (grid.c). The first row is the heading; align holds 'l' or 'r' per
 * column.
 */
#ifndef OAK_WORKFLOWS_GRID_H
#define OAK_WORKFLOWS_GRID_H

#include "base/base.h"

struct grid {
	size_t ncols, nrows, cap;
	const char *align;
	char **cell;
};
void grid_init(struct grid *g, size_t ncols, const char *align);
void grid_release(struct grid *g);
void grid_row(struct grid *g, ...);
void grid_text(struct buf *b, const struct grid *g);
void grid_markdown(struct buf *b, const struct grid *g);
void grid_html(struct buf *b, const struct grid *g, const char *caption);
void html_escape_to(struct buf *b, const char *s);

#endif
