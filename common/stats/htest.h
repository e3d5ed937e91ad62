/*
 * stats/htest.h: two-sample hypothesis tests and the few distributions
 * they need (htest.c): the standard normal, Fisher's exact test on a 2x2
 * table, the Mann-Whitney U test, Holm's adjustment of several p-values,
 * the sample size that detects a difference of two proportions, and
 * quantiles of a sorted array. Plain C on doubles; no state.
 */
#ifndef OAK_STATS_HTEST_H
#define OAK_STATS_HTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* P(Z <= z) for a standard normal Z. */
double norm_cdf(double z);
/* The z with norm_cdf(z) = p, for 0 < p < 1; NaN outside. */
double norm_quantile(double p);

/*
 * Fisher's exact test of the 2x2 table [[a, b], [c, d]], two-sided as R's
 * fisher.test and scipy's fisher_exact: the sum of the probabilities of
 * every table with the same margins that is no more likely than the one
 * observed (within a relative 1e-7). NaN when a count is negative.
 */
double fisher_exact_p(int64_t a, int64_t b, int64_t c, int64_t d);

/* The result of mann_whitney(). */
struct mwu_result {
	double u;      /* U of the first sample: pairs (x, y) with x > y, ties 1/2 */
	double z;      /* the standardized statistic (NaN when exact) */
	double p;      /* two-sided p-value */
	bool exact;    /* from the exact distribution of U */
};
/*
 * The Mann-Whitney U test of x against y, two-sided, as scipy's
 * mannwhitneyu(method="auto") does it: exact when there are no ties and
 * either sample has at most 8 values (and nx * ny <= MWU_EXACT_LIMIT),
 * else the normal approximation with the tie correction and a continuity
 * correction of 1/2. Sorts x and y in place. Returns 0, or -1 when a
 * sample is empty.
 */
#define MWU_EXACT_LIMIT 100000
int mann_whitney(double *x, size_t nx, double *y, size_t ny,
		 struct mwu_result *out);

/*
 * Holm's step-down adjustment of k p-values (Holm 1979), as R's
 * p.adjust(p, "holm"): adj[i] for p[i], in the same order. NaN p-values
 * (tests not made) are left out of k and come back NaN.
 */
void holm_adjust(const double *p, double *adj, size_t k);

/*
 * Per-group sample size for a two-sided two-proportion z test at level
 * alpha to detect rates p1 against p2 with the given power, as R's
 * power.prop.test solves for n (not rounded). NaN when p1 == p2.
 */
double two_prop_sample_size(double p1, double p2, double alpha, double power);

/* Sorts n doubles ascending (NaN must not occur). */
void doubles_sort(double *x, size_t n);
/* The q-quantile of n sorted values, interpolated linearly between order
 * statistics (R's type 7, numpy's default): q = 0.5 is the median. NaN
 * when n is 0. */
double sorted_quantile(const double *x, size_t n, double q);

#endif
