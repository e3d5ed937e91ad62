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
hist_clamp(double k)
{
	if (k < -HIST_KEY_LIMIT)
		k = -HIST_KEY_LIMIT;
	if (k > HIST_KEY_LIMIT)
		k = HIST_KEY_LIMIT;
	return (int32_t)k;
}

/* The bucket as it always was: ceil(log(x) / log(g)). Every bucket
 * ever written was found this way, so it stays the definition. */
static int32_t
hist_key_exact(double x)
{
	return hist_clamp(ceil(log(x) / log(HIST_GAMMA)));
}

/*
 * The same bucket for a tenth of the instructions of a log() (group
 * counts two values a line). x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * read off its bits, and ln m = 2 atanh(s) for s = (m - 1) / (m + 1),
 * |s| < 0.172, to the s^9 term: the rest is under 1e-9, so t below is
 * within 1e-7 of the exact key's log(x) / log(g) (whose own rounding is
 * under 1e-10). Where t is within 1e-5 of an integer, a bucket's edge,
 * the exact formula decides; elsewhere both ceilings are the same
 * integer. Subnormals (no implicit bit) take the exact way too.
 * test_hist compares the two over edges and millions of values.
 */
static int32_t
hist_key(double x)
{
	static const double inv_ln_g = 1.0 / 0.01980262729617973;
	uint64_t bits;
	int e;
	double m, s, s2, ln_m, t;
	int32_t k;

	memcpy(&bits, &x, sizeof(bits));
	e = (int)(bits >> 52) - 1023;
	if (e == -1023)
		return hist_key_exact(x);
	bits = (bits & ((UINT64_C(1) << 52) - 1)) | (UINT64_C(1023) << 52);
	memcpy(&m, &bits, sizeof(m));
	if (m > 1.4142135623730951) {
		m *= 0.5;
		e++;
	}
	s = (m - 1) / (m + 1);
	s2 = s * s;
	ln_m = 2 * s * (1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 +
		s2 * (1.0 / 9)))));
	t = (e * 0.6931471805599453 + ln_m) * inv_ln_g;
	/* |t| < 37600 for every normal double: the cast truncates toward
	 * 0, which is the ceiling below 0, and one less above it */
	k = (int32_t)t;
	k += t > k;
	if (k - t < 1e-5 || t - (k - 1) < 1e-5)
		return hist_key_exact(x);
	return k;
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
