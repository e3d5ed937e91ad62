/*
 * test_counter.c: keyed counters (checked sums, first appearance kept as
 * the minimum, written order) and the linear histogram merge, held to
 * the bucket-by-bucket insertion of hist.c on random histograms.
 */
#include <stdint.h>
#include <stdlib.h>

#include "record/counter.h"
#include "record/hist_merge.h"
#include "unit.h"

static void
test_counter(void)
{
	struct counter_set s, t;
	struct buf b;
	int64_t one[] = { 1, 7 }, big[] = { INT64_MAX, 9 }, early[] = { 2, 3 };

	counter_init(&s, &counter_counted);
	counter_init(&t, &counter_counted);
	buf_init(&b);
	CHECK(counter_add(&s, "x", 1, one));
	CHECK(counter_add(&s, "y", 1, big));
	CHECK(!counter_add(&s, "y", 1, one));      /* past INT64_MAX */
	CHECK(counter_find(&s, "y", 1)->count == INT64_MAX);
	CHECK(counter_find(&s, "y", 1)->first_seq == 9);   /* unchanged */
	CHECK(counter_add(&t, "x", 1, early));
	CHECK(counter_add(&t, "y", 1, one));
	CHECK(!counter_merge_fits(&s, &t));
	CHECK(counter_add(&t, "z", 1, one) && counter_find(&t, "w", 1) == NULL);
	counter_release(&t);
	counter_init(&t, &counter_counted);
	CHECK(counter_add(&t, "x", 1, early));
	CHECK(counter_merge_fits(&s, &t));
	counter_merge(&s, &t);
	counter_write(&b, &s);
	/* x: 1 + 2 times, first at min(7, 3); written by first appearance */
	CHECK_STR(b.data, "[[\"x\", 3, 3], [\"y\", 9223372036854775807, 9]]");
	counter_release(&s);
	counter_release(&t);
	buf_release(&b);
}

static void
random_hist(struct hist *h, struct hist *copy, unsigned *seed, size_t n)
{
	size_t i;
	int32_t key;

	hist_init(h);
	hist_init(copy);
	for (i = 0; i < n; i++) {
		key = (int32_t)(rand_r(seed) % 2001) - 1000;
		hist_add_bucket(h, key, 1 + rand_r(seed) % 5);
	}
	for (i = 0; i < h->n; i++)
		hist_add_bucket(copy, h->key[i], h->count[i]);
}

static bool
hist_equal(const struct hist *a, const struct hist *b)
{
	return a->n == b->n && a->total == b->total &&
	       memcmp(a->key, b->key, sizeof(*a->key) * a->n) == 0 &&
	       memcmp(a->count, b->count, sizeof(*a->count) * a->n) == 0;
}

static void
test_hist_merge(void)
{
	struct hist a, a2, b, b2;
	struct hist_bucket dup[] = { { 5, 2 }, { -3, 1 }, { 5, INT64_MAX } };
	unsigned seed = 1;
	int same = 0, k;
	size_t i;

	for (k = 0; k < 200; k++) {
		random_hist(&a, &a2, &seed, (size_t)(rand_r(&seed) % 300));
		random_hist(&b, &b2, &seed, (size_t)(rand_r(&seed) % 300));
		for (i = 0; i < b.n; i++)       /* bucket by bucket */
			hist_add_bucket(&a, b.key[i], b.count[i]);
		hist_merge_linear(&a2, &b2);    /* one sorted merge */
		same += hist_equal(&a, &a2);
		hist_release(&a);
		hist_release(&a2);
		hist_release(&b);
		hist_release(&b2);
	}
	CHECK(same == 200);
	hist_init(&a);
	CHECK(!hist_from_buckets(&a, dup, 3));   /* 2 + INT64_MAX */
	CHECK(a.n == 0 && a.total == 0);
	dup[2].count = 4;
	CHECK(hist_from_buckets(&a, dup, 3));
	CHECK(a.n == 2 && a.key[0] == -3 && a.count[1] == 6 && a.total == 7);
	hist_init(&b);
	hist_add_bucket(&b, 5, INT64_MAX - 6);
	CHECK(hist_merge_fits(&b, &a) == false);   /* total past the range */
	hist_release(&a);
	hist_release(&b);
}

int
main(void)
{
	test_counter();
	test_hist_merge();
	return unit_done();
}
