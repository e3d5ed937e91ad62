/*
 * htest.c: two-sample tests. The normal quantile is Acklam's rational
 * approximation polished by one Halley step on erfc, good to about 1e-15.
 * Fisher's test sums hypergeometric probabilities (through lgamma) over
 * the tables with the observed margins. Mann-Whitney ranks the merged
 * sorted samples with mid-ranks for ties; its exact null distribution is
 * the coefficients of the Gaussian binomial [m+n choose m]_q, built one
 * factor (1 - q^(n+i)) / (1 - q^i) at a time in O(m * m n).
 */
#include <math.h>
#include <stdlib.h>

#include "base/base.h"
#include "stats/htest.h"

#define SQRT2 1.41421356237309504880

double
norm_cdf(double z)
{
	return 0.5 * erfc(-z / SQRT2);
}

/* P(Z > z), accurate in the upper tail. */
static double
norm_sf(double z)
{
	return 0.5 * erfc(z / SQRT2);
}

/* Acklam's approximation, relative error below 1.15e-9. */
static double
acklam(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
		-3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
		-1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
		4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r;

	if (p < 0.02425 || p > 1 - 0.02425) {
		q = sqrt(-2 * log(p < 0.5 ? p : 1 - p));
		r = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
		     c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		return p < 0.5 ? r : -r;
	}
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r +
		a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double
norm_quantile(double p)
{
	double x, e, u;

	if (!(p > 0 && p < 1))
		return NAN;
	x = acklam(p);
	/* one Halley step on the exact CDF */
	e = norm_cdf(x) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

static double
log_choose(int64_t n, int64_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) -
	       lgamma((double)(n - k) + 1);
}

double
fisher_exact_p(int64_t a, int64_t b, int64_t c, int64_t d)
{
	int64_t row1, row2, col1, lo, hi, x;
	double base, obs, lp, sum = 0;

	if (a < 0 || b < 0 || c < 0 || d < 0 || a > (INT64_C(1) << 50) ||
	    b > (INT64_C(1) << 50) || c > (INT64_C(1) << 50) ||
	    d > (INT64_C(1) << 50))
		return NAN;
	row1 = a + b;
	row2 = c + d;
	col1 = a + c;
	lo = col1 - row2 > 0 ? col1 - row2 : 0;
	hi = row1 < col1 ? row1 : col1;
	base = log_choose(row1 + row2, col1);
	obs = log_choose(row1, a) + log_choose(row2, col1 - a) - base;
	for (x = lo; x <= hi; x++) {
		lp = log_choose(row1, x) + log_choose(row2, col1 - x) - base;
		if (lp <= obs + log1p(1e-7))
			sum += exp(lp);
	}
	return sum > 1 ? 1 : sum;
}

static int
double_cmp(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

void
doubles_sort(double *x, size_t n)
{
	if (n > 1)
		qsort(x, n, sizeof(*x), double_cmp);
}

double
sorted_quantile(const double *x, size_t n, double q)
{
	double h;
	size_t lo;

	if (n == 0)
		return NAN;
	h = (double)(n - 1) * q;
	lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/*
 * P(U >= u) under the null for samples of m and n values without ties:
 * the coefficients of the Gaussian binomial [m+n choose m]_q count the
 * arrangements with each U.
 */
static double
mwu_exact_sf(size_t m, size_t n, double u)
{
	size_t top = m * n, i, k;
	double *c = oak_calloc(top + 1, sizeof(*c));
	double total = 0, tail = 0;

	if (m > n) {
		k = m;
		m = n;
		n = k;
	}
	c[0] = 1;
	for (i = 1; i <= m; i++) {
		for (k = top; k >= n + i; k--)   /* times (1 - q^(n+i)) */
			c[k] -= c[k - (n + i)];
		for (k = i; k <= top; k++)       /* over (1 - q^i) */
			c[k] += c[k - i];
	}
	for (k = 0; k <= top; k++) {
		total += c[k];
		if ((double)k >= u)
			tail += c[k];
	}
	free(c);
	return tail / total;
}

int
mann_whitney(double *x, size_t nx, double *y, size_t ny,
	     struct mwu_result *out)
{
	size_t i = 0, j = 0, cx, cy;
	double rank = 0, rank_x = 0, ties = 0, t, u, mu, s, nn;

	if (nx == 0 || ny == 0)
		return -1;
	doubles_sort(x, nx);
	doubles_sort(y, ny);
	/* walk the merged order one run of equal values at a time */
	while (i < nx || j < ny) {
		double v = j == ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];

		for (cx = 0; i < nx && x[i] == v; i++)
			cx++;
		for (cy = 0; j < ny && y[j] == v; j++)
			cy++;
		t = (double)(cx + cy);
		rank_x += (double)cx * (rank + (t + 1) / 2);
		rank += t;
		ties += t * t * t - t;
	}
	out->u = rank_x - (double)nx * ((double)nx + 1) / 2;
	u = fmax(out->u, (double)nx * (double)ny - out->u);
	out->exact = ties == 0 && (nx <= 8 || ny <= 8) &&
		     (double)nx * (double)ny <= MWU_EXACT_LIMIT;
	if (out->exact) {
		out->z = NAN;
		out->p = fmin(1, 2 * mwu_exact_sf(nx, ny, u));
		return 0;
	}
	nn = (double)(nx + ny);
	mu = (double)nx * (double)ny / 2;
	s = sqrt((double)nx * (double)ny / 12 *
		 ((nn + 1) - ties / (nn * (nn - 1))));
	if (!(s > 0)) {    /* every value the same */
		out->z = 0;
		out->p = 1;
		return 0;
	}
	out->z = (u - mu - 0.5) / s;
	out->p = fmin(1, 2 * norm_sf(out->z));
	return 0;
}

void
holm_adjust(const double *p, double *adj, size_t k)
{
	size_t *order = oak_malloc((k ? k : 1) * sizeof(*order));
	size_t m = 0, i, j, tmp;
	double run = 0, v;

	for (i = 0; i < k; i++) {
		adj[i] = NAN;
		if (!isnan(p[i]))
			order[m++] = i;
	}
	/* insertion sort by p: k is the handful of metrics compared */
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && p[order[j]] < p[order[j - 1]]; j--) {
			tmp = order[j];
			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
	for (i = 0; i < m; i++) {
		v = (double)(m - i) * p[order[i]];
		run = fmax(run, fmin(1, v));
		adj[order[i]] = run;
	}
	free(order);
}

double
two_prop_sample_size(double p1, double p2, double alpha, double power)
{
	double za = norm_quantile(1 - alpha / 2), zb = norm_quantile(power);
	double pbar = (p1 + p2) / 2, root;

	if (p1 == p2)
		return NAN;
	root = (za * sqrt(2 * pbar * (1 - pbar)) +
		zb * sqrt(p1 * (1 - p1) + p2 * (1 - p2))) / fabs(p1 - p2);
	return root * root;
}
