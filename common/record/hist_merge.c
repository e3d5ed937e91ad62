/*
 * hist_merge.c: merging sorted bucket lists as one sorted merge, O(n + m),
 * where adding bucket by bucket moves the tail each time, O(n m). Counts
 * and totals are checked sums.
 */
#include <stdlib.h>
#include <string.h>

#include "record/hist_merge.h"

static int
bucket_cmp(const void *pa, const void *pb)
{
	const struct hist_bucket *a = pa, *b = pb;

	return a->key < b->key ? -1 : a->key > b->key;
}

static void
hist_reserve(struct hist *h, size_t n)
{
	if (n <= h->cap)
		return;
	h->cap = n;
	h->key = oak_realloc(h->key, sizeof(*h->key) * n);
	h->count = oak_realloc(h->count, sizeof(*h->count) * n);
}

bool
hist_from_buckets(struct hist *h, struct hist_bucket *b, size_t n)
{
	size_t i;

	for (i = 1; i < n && b[i - 1].key <= b[i].key; i++)
		;
	if (i < n)
		qsort(b, n, sizeof(*b), bucket_cmp);
	hist_reserve(h, n);
	for (i = 0; i < n; i++) {
		if (__builtin_add_overflow(h->total, b[i].count, &h->total))
			goto range;
		if (h->n > 0 && h->key[h->n - 1] == b[i].key) {
			if (__builtin_add_overflow(h->count[h->n - 1],
						   b[i].count,
						   &h->count[h->n - 1]))
				goto range;
			continue;
		}
		h->key[h->n] = b[i].key;
		h->count[h->n++] = b[i].count;
	}
	return true;
range:
	h->n = 0;
	h->total = 0;
	return false;
}

bool
hist_merge_fits(const struct hist *dst, const struct hist *src)
{
	size_t i = 0, j = 0;
	int64_t sum;

	if (__builtin_add_overflow(dst->total, src->total, &sum))
		return false;
	while (i < dst->n && j < src->n) {
		if (dst->key[i] < src->key[j])
			i++;
		else if (dst->key[i] > src->key[j])
			j++;
		else if (__builtin_add_overflow(dst->count[i++],
						src->count[j++], &sum))
			return false;
	}
	return true;
}

/* How many distinct keys the two sorted lists hold together. */
static size_t
union_size(const struct hist *a, const struct hist *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n || j < b->n) {
		if (j == b->n || (i < a->n && a->key[i] < b->key[j]))
			i++;
		else if (i == a->n || a->key[i] > b->key[j])
			j++;
		else
			i++, j++;
		n++;
	}
	return n;
}

void
hist_merge_linear(struct hist *dst, const struct hist *src)
{
	size_t i = dst->n, j = src->n, w = union_size(dst, src);
	int64_t count;

	hist_reserve(dst, w);
	dst->n = w;
	dst->total += src->total;
	/* from the end, so that no bucket of dst is overwritten unread */
	while (j > 0) {
		w--;
		if (i > 0 && dst->key[i - 1] > src->key[j - 1]) {
			i--;
			dst->key[w] = dst->key[i];
			dst->count[w] = dst->count[i];
		} else {
			j--;
			count = src->count[j];
			if (i > 0 && dst->key[i - 1] == src->key[j])
				count += dst->count[--i];
			dst->key[w] = src->key[j];
			dst->count[w] = count;
		}
	}
}
