/*
 * hist.c: a mergeable log-bucket histogram of positive values. Bucket k
 * holds the values in (g^(k-1), g^k] with g = 1.02 and answers with
 * 2 g^k / (g + 1), which is within (g - 1) / (g + 1) = 1/101 (0.990 %)
 * of every value in the bucket. Counts are integers kept sorted by bucket, so two
 * histograms merge exactly, in any order, into the same buckets.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "record/hist.h"

#define HIST_GAMMA 1.02

void
hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

void
hist_release(struct hist *h)
{
	free(h->key);
	free(h->count);
	hist_init(h);
}

static int32_t
hist_key(double x)
{
	double k = ceil(log(x) / log(HIST_GAMMA));

	if (k < -HIST_KEY_LIMIT)
		k = -HIST_KEY_LIMIT;
	if (k > HIST_KEY_LIMIT)
		k = HIST_KEY_LIMIT;
	return (int32_t)k;
}

static double
hist_value(int32_t key)
{
	return 2.0 * pow(HIST_GAMMA, key) / (HIST_GAMMA + 1.0);
}

void
hist_add_bucket(struct hist *h, int32_t key, int64_t count)
{
	size_t lo = 0, hi = h->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->key[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == h->n || h->key[lo] != key) {
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 16;
			h->key = oak_realloc(h->key, sizeof(*h->key) * h->cap);
			h->count = oak_realloc(h->count,
					       sizeof(*h->count) * h->cap);
		}
		memmove(h->key + lo + 1, h->key + lo,
			sizeof(*h->key) * (h->n - lo));
		memmove(h->count + lo + 1, h->count + lo,
			sizeof(*h->count) * (h->n - lo));
		h->key[lo] = key;
		h->count[lo] = 0;
		h->n++;
	}
	h->count[lo] += count;
	h->total += count;
}

bool
hist_add(struct hist *h, double x)
{
	if (!(x > 0) || !isfinite(x))
		return false;
	hist_add_bucket(h, hist_key(x), 1);
	return true;
}

double
hist_quantile(const struct hist *h, double q)
{
	int64_t rank, seen = 0;
	size_t i;

	if (h->total == 0)
		return NAN;
	rank = (int64_t)ceil(q * (double)h->total);
	if (rank < 1)
		rank = 1;
	if (rank > h->total)
		rank = h->total;
	for (i = 0; i < h->n; i++) {
		seen += h->count[i];
		if (seen >= rank)
			return hist_value(h->key[i]);
	}
	return hist_value(h->key[h->n - 1]);
}

void
hist_write(struct buf *b, const struct hist *h)
{
	size_t i;

	buf_addc(b, '[');
	/* jw_int, not printf: a printf costs a thousand instructions, and
	 * group writes a bucket for every one it keeps */
	for (i = 0; i < h->n; i++) {
		buf_adds(b, i ? ", [" : "[");
		jw_int(b, h->key[i]);
		buf_adds(b, ", ");
		jw_int(b, h->count[i]);
		buf_addc(b, ']');
	}
	buf_addc(b, ']');
}
