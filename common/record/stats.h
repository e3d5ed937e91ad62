/*
 * record/stats.h: interval estimates and tests on proportions (stats.c).
 */
#ifndef OAK_RECORD_STATS_H
#define OAK_RECORD_STATS_H

#include <stdint.h>

#define OAK_Z95 1.959963984540054
/* Wilson score interval of s successes in n: 0, or -1 when n is 0. */
int wilson_interval(int64_t s, int64_t n, double z, double *lo, double *hi);
/* Two-proportion z statistic of the change from s1/n1 to s2/n2 (pooled
 * standard error); NaN when either n is 0 or both rates are 0 or 1. */
double two_proportion_z(int64_t s1, int64_t n1, int64_t s2, int64_t n2);

#endif
