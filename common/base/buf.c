/*
 * buf.c: a growable byte buffer, kept NUL-terminated. Capacity doubles,
 * so appending is amortised O(1) and a reused buffer stops allocating
 * once it has seen its largest record.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_grow_to(struct buf *b, size_t need)
{
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = oak_realloc(b->data, cap);
	b->cap = cap;
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oak_die_errno("vsnprintf");
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_write(const struct buf *b, FILE *fp)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, fp) != b->len)
		oak_die_errno(fp == stdout ? "stdout" : "write");
}
