/*
 * row.c: one row of the feature table. Each cell's text is gathered into
 * one buffer (offset and length per column, stamped with the row it
 * belongs to, so a new row costs nothing to clear), then written with
 * the format's quoting: RFC 4180 for CSV, backslash escapes for TSV.
 */
#include <stdlib.h>
#include <string.h>

#include "features.h"

struct row {
	const struct table *t;
	enum table_format format;
	struct buf text;        /* the cells' texts, unescaped */
	size_t *start, *len;
	unsigned long *stamp;   /* a cell is set when stamp == gen */
	bool *is_string;        /* an empty string is "" in CSV, not missing */
	unsigned long gen;
	size_t ncol;
	const char *why;
	struct buf name, why_text;
};

struct row *
row_create(const struct table *t, enum table_format format)
{
	struct row *r = oak_calloc(1, sizeof(*r));

	r->t = t;
	r->format = format;
	r->ncol = t->n;
	r->start = oak_calloc(t->n + 1, sizeof(*r->start));
	r->len = oak_calloc(t->n + 1, sizeof(*r->len));
	r->stamp = oak_calloc(t->n + 1, sizeof(*r->stamp));
	r->is_string = oak_calloc(t->n + 1, sizeof(*r->is_string));
	buf_init(&r->text);
	buf_init(&r->name);
	buf_init(&r->why_text);
	return r;
}

void
row_release(struct row *r)
{
	free(r->start);
	free(r->len);
	free(r->stamp);
	free(r->is_string);
	buf_release(&r->text);
	buf_release(&r->name);
	buf_release(&r->why_text);
	free(r);
}

static void
fail(struct row *r, const char *what, const char *column)
{
	if (r->why != NULL)
		return;
	buf_reset(&r->why_text);
	buf_printf(&r->why_text, "%s%s", what, column);
	r->why = r->why_text.data;
}

/* Appends the text of a non-container token: strings unescaped (false
 * when one holds a NUL), other scalars as written. */
static bool
add_scalar(struct buf *b, const struct json_doc *d, int tok)
{
	size_t at = b->len, len;
	const char *p;

	if (json_is_string(d, tok)) {
		json_unescape(d, tok, b);
		b->data[b->len] = '\0';
		return memchr(b->data + at, '\0', b->len - at) == NULL;
	}
	p = json_span(d, tok, &len);
	buf_add(b, p, len);
	return true;
}

/* Appends the elements of an array joined by ';', each with '\' and ';'
 * escaped by a backslash; returns the element count, or -1 on a NUL. */
static long
add_joined(struct buf *b, const struct json_doc *d, int arr)
{
	static struct buf elem;
	int k = arr + 1, end = json_skip(d, arr);
	long count = 0;
	size_t i;

	for (; k < end; k = json_skip(d, k), count++) {
		buf_reset(&elem);
		if (!add_scalar(&elem, d, k))
			return -1;
		if (count > 0)
			buf_addc(b, ';');
		for (i = 0; i < elem.len; i++) {
			if (elem.data[i] == '\\' || elem.data[i] == ';')
				buf_addc(b, '\\');
			buf_addc(b, elem.data[i]);
		}
	}
	return count;
}

/* Sets the count column of the array feature called name, when listed. */
static void
set_count(struct row *r, const struct buf *name, const struct json_doc *d,
	  int arr)
{
	long c, count = 0;
	int k;

	for (k = arr + 1; k < json_skip(d, arr); k = json_skip(d, k))
		count++;
	buf_reset(&r->name);
	buf_add(&r->name, name->data, name->len);
	buf_adds(&r->name, ".count");
	c = table_find(r->t, r->name.data, r->name.len);
	if (c < 0)
		return;
	if (r->stamp[c] == r->gen) {
		fail(r, "two values for column ", r->name.data);
		return;
	}
	r->stamp[c] = r->gen;
	r->start[c] = r->text.len;
	r->is_string[c] = false;
	buf_printf(&r->text, "%ld", count);
	r->len[c] = r->text.len - r->start[c];
}

/* Sets column c from token tok (null leaves it missing). */
static void
set_cell(struct row *r, long c, const struct json_doc *d, int tok)
{
	bool ok;

	if (json_is_null(d, tok))
		return;
	if (r->stamp[c] == r->gen) {
		fail(r, "two values for column ", r->t->col[c].name);
		return;
	}
	r->stamp[c] = r->gen;
	r->start[c] = r->text.len;
	r->is_string[c] = json_is_string(d, tok);
	if (json_is_array(d, tok))
		ok = add_joined(&r->text, d, tok) >= 0;
	else
		ok = add_scalar(&r->text, d, tok);
	if (!ok) {
		fail(r, "a NUL character (\\u0000) in column ",
		     r->t->col[c].name);
		return;
	}
	r->len[c] = r->text.len - r->start[c];
}

static int
path_get(const struct json_doc *d, const char *const path[3])
{
	int i = 0, k;

	for (k = 0; k < 3 && path[k] != NULL && i >= 0; k++)
		i = json_is_object(d, i) ? json_get(d, i, path[k]) : -1;
	return i;
}

static void
fill_feature(void *arg, const struct json_doc *d, const struct buf *name,
	     int tok)
{
	struct row *r = arg;
	struct table *t = (struct table *)r->t;
	long c = table_find(t, name->data, name->len);
	bool created;

	if (json_is_array(d, tok))
		set_count(r, name, d, tok);
	if (c >= 0) {
		set_cell(r, c, d, tok);
		return;
	}
	ht_put(t->left_out, name->data, name->len, &created);
	if (created)
		oak_warn("%s: not among the columns: left out", name->data);
}

const char *
row_fill(struct row *r, struct table *t, const struct json_doc *d)
{
	static struct buf name;
	size_t c;
	int tok;

	r->gen++;
	r->why = NULL;
	buf_reset(&r->text);
	for (c = 0; c < r->ncol; c++) {
		const struct fixed_column *f = t->col[c].fixed;

		if (f == NULL)
			continue;
		tok = path_get(d, f->path);
		if (tok < 0 && f->alt[0] != NULL)
			tok = path_get(d, f->alt);
		if (tok >= 0)
			set_cell(r, (long)c, d, tok);
	}
	features_walk(d, &name, fill_feature, r);
	return r->why;
}

static bool
needs_quotes(char c)
{
	return c == ',' || c == '"' || c == '\r' || c == '\n';
}

static void
write_field(struct buf *out, enum table_format format, const char *p,
	    size_t len, bool quote_empty)
{
	size_t i;

	if (format == FORMAT_TSV) {
		for (i = 0; i < len; i++) {
			switch (p[i]) {
			case '\\': buf_add(out, "\\\\", 2); break;
			case '\t': buf_add(out, "\\t", 2); break;
			case '\n': buf_add(out, "\\n", 2); break;
			case '\r': buf_add(out, "\\r", 2); break;
			default: buf_addc(out, p[i]);
			}
		}
		return;
	}
	for (i = 0; i < len && !needs_quotes(p[i]); i++)
		;
	if (i == len && !(len == 0 && quote_empty)) {
		buf_add(out, p, len);
		return;
	}
	buf_addc(out, '"');
	for (i = 0; i < len; i++) {
		if (p[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, p[i]);
	}
	buf_addc(out, '"');
}

static void
end_line(struct buf *out, enum table_format format)
{
	buf_adds(out, format == FORMAT_CSV ? "\r\n" : "\n");
}

void
row_write_header(struct row *r, struct buf *out)
{
	size_t c;

	for (c = 0; c < r->ncol; c++) {
		if (c > 0)
			buf_addc(out, r->format == FORMAT_CSV ? ',' : '\t');
		write_field(out, r->format, r->t->col[c].name,
			    r->t->col[c].len, false);
	}
	end_line(out, r->format);
}

void
row_write(struct row *r, struct buf *out)
{
	size_t c;

	for (c = 0; c < r->ncol; c++) {
		if (c > 0)
			buf_addc(out, r->format == FORMAT_CSV ? ',' : '\t');
		if (r->stamp[c] == r->gen)
			write_field(out, r->format, r->text.data + r->start[c],
				    r->len[c], r->is_string[c]);
	}
	end_line(out, r->format);
}
