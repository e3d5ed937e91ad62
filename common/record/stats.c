/*
 * stats.c: interval and test for proportions. The Wilson score interval
 * (Wilson 1927) of s successes in n trials stays inside [0, 1] and
 * behaves at small n; the two-proportion z test compares two rates with
 * the pooled standard error. Both use z = 1.959963984540054 for 95 %.
 */
#include <math.h>

#include "record/stats.h"

int
wilson_interval(int64_t s, int64_t n, double z, double *lo, double *hi)
{
	double p, z2, denom, centre, half;

	if (n <= 0 || s < 0 || s > n)
		return -1;
	p = (double)s / (double)n;
	z2 = z * z;
	denom = 1.0 + z2 / (double)n;
	centre = (p + z2 / (2.0 * (double)n)) / denom;
	half = z / denom * sqrt(p * (1.0 - p) / (double)n +
				z2 / (4.0 * (double)n * (double)n));
	*lo = centre - half < 0 ? 0 : centre - half;
	*hi = centre + half > 1 ? 1 : centre + half;
	return 0;
}

double
two_proportion_z(int64_t s1, int64_t n1, int64_t s2, int64_t n2)
{
	double p1, p2, p, se;

	if (n1 <= 0 || n2 <= 0)
		return NAN;
	p1 = (double)s1 / (double)n1;
	p2 = (double)s2 / (double)n2;
	p = (double)(s1 + s2) / (double)(n1 + n2);
	se = sqrt(p * (1.0 - p) * (1.0 / (double)n1 + 1.0 / (double)n2));
	if (!(se > 0))
		return NAN;
	return (p2 - p1) / se;
}
