/*
 * test_hist_key.c: the histogram's bucket, found from the bits of a
 * value (hist.c), is the bucket ceil(log(x) / log(1.02)) always gave:
 * at and around every bucket's edge, for values as group reads them
 * (decimals of seconds and dollars, integers), and for random doubles
 * of the whole positive range, subnormals too.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "record/hist.h"
#include "unit.h"

/* The bucket as hist.c first defined it. */
static int32_t
reference(double x)
{
	double k = ceil(log(x) / log(1.02));

	return (int32_t)fmax(-HIST_KEY_LIMIT, fmin(HIST_KEY_LIMIT, k));
}

/* The bucket hist_add puts x in. */
static int32_t
bucket(double x)
{
	struct hist h;
	int32_t k;

	hist_init(&h);
	hist_add(&h, x);
	k = h.n == 1 ? h.key[0] : INT32_MIN;
	hist_release(&h);
	return k;
}

static long
differ(double x)
{
	if (bucket(x) == reference(x))
		return 0;
	printf("# %.17g: bucket %ld, reference %ld\n", x, (long)bucket(x),
	       (long)reference(x));
	return 1;
}

int
main(void)
{
	uint64_t bits, r = 88172645463325252ULL;
	long bad = 0, k, i, n = 0;
	double edge, x;
	int j;

	/* each edge 1.02^k of the normal range and 8 doubles either side */
	for (k = -35800; k <= 35800; k++) {
		edge = pow(1.02, (double)k);
		for (x = edge, j = 0; j < 8; j++, n++, x = nextafter(x, 0))
			bad += differ(x);
		for (x = edge, j = 0; j < 8; j++, n++, x = nextafter(x, INFINITY))
			bad += differ(x);
	}
	/* durations and costs as written: tenths, millionths, integers */
	for (i = 1; i <= 400000; i++, n += 3)
		bad += differ((double)i / 10) + differ((double)i / 1e6) +
		       differ((double)i);
	/* random bit patterns: every positive finite double is a candidate */
	for (i = 0; i < 1000000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		bits = r & ~(UINT64_C(1) << 63);
		memcpy(&x, &bits, sizeof(x));
		if (isfinite(x) && x > 0) {
			bad += differ(x);
			n++;
		}
	}
	bad += differ(DBL_MIN) + differ(DBL_MAX) + differ(4.9e-324) + differ(1);
	printf("# %ld values compared\n", n + 4);
	CHECK(bad == 0);
	CHECK(n > 2000000);
	return unit_done();
}
