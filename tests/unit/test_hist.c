/*
 * test_hist.c: the log-bucket histogram against exact nearest-rank
 * percentiles of generated data (sorted here), its merge, and its edges.
 */
#include <math.h>
#include <stdlib.h>

#include "record/hist_merge.h"
#include "unit.h"

/* (g - 1) / (g + 1) for g = 1.02: 1/101, under 1 % */
#define BOUND (1.0 / 101 + 1e-12)

static int
dbl_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

/* Exact nearest-rank quantile of sorted v[0..n-1]. */
static double
exact(const double *v, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n);

	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static double
rel(double got, double want)
{
	return fabs(got - want) / want;
}

int
main(void)
{
	static const double qs[] = { 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1 };
	enum { N = 20000 };
	double *v = malloc(sizeof(*v) * N), worst = 0;
	struct hist all, a, b, ba;
	unsigned long x = 12345;
	size_t i, k;
	int bad = 0;

	hist_init(&all);
	hist_init(&a);
	hist_init(&b);
	hist_init(&ba);
	/* log-uniform values from 1 ms to 10^5 s, from a fixed LCG */
	for (i = 0; i < N; i++) {
		x = (x * 1103515245UL + 12345UL) % 2147483648UL;
		v[i] = pow(10.0, -3.0 + 8.0 * (double)x / 2147483648.0);
		hist_add(&all, v[i]);
		hist_add(i % 3 ? &a : &b, v[i]);
	}
	qsort(v, N, sizeof(*v), dbl_cmp);
	for (k = 0; k < sizeof(qs) / sizeof(qs[0]); k++) {
		double r = rel(hist_quantile(&all, qs[k]), exact(v, N, qs[k]));

		if (r > worst)
			worst = r;
		if (r > 0.01)
			bad++;
	}
	CHECK(bad == 0);
	CHECK(worst <= BOUND);
	printf("# worst relative error %.5f%%\n", worst * 100);
	/* every single value comes back within the bound */
	bad = 0;
	for (i = 0; i < N; i += 7) {
		struct hist one;

		hist_init(&one);
		hist_add(&one, v[i]);
		if (rel(hist_quantile(&one, 0.5), v[i]) > BOUND)
			bad++;
		hist_release(&one);
	}
	CHECK(bad == 0);

	/* merge in either order gives the same buckets as one run */
	CHECK(hist_merge_fits(&ba, &b));
	hist_merge_linear(&ba, &b);
	CHECK(hist_merge_fits(&ba, &a));
	hist_merge_linear(&ba, &a);
	CHECK(hist_merge_fits(&a, &b));
	hist_merge_linear(&a, &b);
	CHECK(a.total == N && ba.total == N && all.total == N);
	CHECK(a.n == all.n && ba.n == all.n);
	bad = 0;
	for (i = 0; i < all.n; i++)
		if (a.key[i] != all.key[i] || a.count[i] != all.count[i] ||
		    ba.key[i] != all.key[i] || ba.count[i] != all.count[i])
			bad++;
	CHECK(bad == 0);

	/* edges: empty is NaN; zero, negatives, NaN and inf are not counted */
	hist_release(&b);
	CHECK(isnan(hist_quantile(&b, 0.5)));
	CHECK(!hist_add(&b, 0) && !hist_add(&b, -1) && !hist_add(&b, NAN) &&
	      !hist_add(&b, INFINITY));
	CHECK(b.total == 0);
	/* p50 of 1..100 s is 50 s; p99 is 99 s; p100 is 100 s */
	for (i = 1; i <= 100; i++)
		hist_add(&b, (double)i);
	CHECK(rel(hist_quantile(&b, 0.5), 50) <= BOUND);
	CHECK(rel(hist_quantile(&b, 0.99), 99) <= BOUND);
	CHECK(rel(hist_quantile(&b, 1.0), 100) <= BOUND);
	CHECK(rel(hist_quantile(&b, 0.0), 1) <= BOUND);

	hist_release(&all);
	hist_release(&a);
	hist_release(&b);
	hist_release(&ba);
	free(v);
	return unit_done();
}
