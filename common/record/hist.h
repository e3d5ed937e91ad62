/*
 * record/hist.h: the mergeable log-bucket histogram (hist.c).
 */
#ifndef OAK_RECORD_HIST_H
#define OAK_RECORD_HIST_H

#include "base/base.h"

/*
 * A log-bucket histogram of positive values: quantiles within 1/101 (0.990 %)
 * relative error, exact integer counts, merge in any order. key[] is
 * sorted; count[i] values fell in bucket key[i].
 */
#define HIST_KEY_LIMIT 100000
struct hist {
	int32_t *key;
	int64_t *count;
	size_t n, cap;
	int64_t total;
};
void hist_init(struct hist *h);
void hist_release(struct hist *h);
/* Counts x when it is positive and finite; returns whether it did. */
bool hist_add(struct hist *h, double x);
void hist_add_bucket(struct hist *h, int32_t key, int64_t count);
/* The nearest-rank q-quantile (rank ceil(q n)), as its bucket's value;
 * NaN when empty. */
double hist_quantile(const struct hist *h, double q);
/* Appends [[key, count], ...]. */
void hist_write(struct buf *b, const struct hist *h);

#endif
