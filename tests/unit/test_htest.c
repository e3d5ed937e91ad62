/*
 * test_htest.c: the tests of stats/htest.c against values computed
 * independently. Where a value is marked "scipy", it is what SciPy 1.10.1
 * (Debian python3-scipy) printed for the call quoted beside it; "R doc"
 * values are the worked examples of R's manual pages; the rest are worked
 * by hand from the definition, the working written beside them.
 */
#include <math.h>

#include "stats/htest.h"
#include "unit.h"

static int
near(double got, double want, double tol)
{
	if (!(fabs(got - want) <= tol)) {
		printf("#   got %.17g want %.17g\n", got, want);
		return 0;
	}
	return 1;
}

static void
test_normal(void)
{
	/* scipy: norm.ppf(0.975), norm.ppf(0.8), norm.ppf(0.3), norm.ppf(1e-10) */
	CHECK(near(norm_quantile(0.975), 1.959963984540054, 1e-14));
	CHECK(near(norm_quantile(0.8), 0.8416212335729143, 1e-14));
	CHECK(near(norm_quantile(0.3), -0.5244005127080409, 1e-14));
	CHECK(near(norm_quantile(1e-10), -6.361340902404056, 1e-12));
	CHECK(isnan(norm_quantile(0)) && isnan(norm_quantile(1)));
	/* scipy: norm.cdf(1.0), norm.cdf(-3.5) */
	CHECK(near(norm_cdf(1.0), 0.8413447460685429, 1e-15));
	CHECK(near(norm_cdf(-3.5), 0.00023262907903552502, 1e-18));
}

static void
test_fisher(void)
{
	/* Fisher's lady tasting tea (The Design of Experiments, 1935, and
	 * R's ?fisher.test): 3/1/1/3, p = 0.4857; scipy: 0.48571428571428565 */
	CHECK(near(fisher_exact_p(3, 1, 1, 3), 0.48571428571428565, 1e-12));
	/* scipy: fisher_exact([[8,2],[1,5]]) */
	CHECK(near(fisher_exact_p(8, 2, 1, 5), 0.034965034965034975, 1e-12));
	/* scipy: fisher_exact([[0,10],[10,0]]) */
	CHECK(near(fisher_exact_p(0, 10, 10, 0), 1.082508822446903e-05, 1e-15));
	/* scipy: fisher_exact([[12,5],[9,14]]) */
	CHECK(near(fisher_exact_p(12, 5, 9, 14), 0.06235516940744973, 1e-12));
	/* scipy: fisher_exact([[5,0],[0,0]]): one table only */
	CHECK(near(fisher_exact_p(5, 0, 0, 0), 1.0, 0));
	CHECK(isnan(fisher_exact_p(-1, 0, 0, 0)));
}

static void
test_mann_whitney(void)
{
	struct mwu_result r;
	/* scipy's mannwhitneyu documentation: males vs females, exact:
	 * U = 17, p = 0.1111111111111111 (1/9) */
	double males[] = { 19, 22, 16, 29, 24 }, females[] = { 20, 11, 17, 12 };
	double x[] = { 1, 2, 2, 3, 3, 3, 4, 5, 9, 10 };
	double y[] = { 2, 3, 4, 4, 5, 6, 7, 7, 8, 11, 12 };
	double qa[] = { 3, 5, 1, 4, 4, 2, 5, 3, 2, 4, 5, 5 };
	double qb[] = { 1, 2, 2, 3, 1, 2, 3, 4, 2, 1 };
	double sa[] = { 1.1, 2.2, 3.3 };
	double sb[] = { 0.5, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9, 10.1, 11.0, 12.5, 13.0 };
	double same[] = { 2, 2, 2 }, same2[] = { 2, 2 };

	CHECK(mann_whitney(males, 5, females, 4, &r) == 0);
	CHECK(r.exact && r.u == 17);
	CHECK(near(r.p, 0.1111111111111111, 1e-15));
	/* scipy: mannwhitneyu(x, y) with ties: normal approximation,
	 * U = 31, p = 0.09577885090243755 */
	CHECK(mann_whitney(x, 10, y, 11, &r) == 0);
	CHECK(!r.exact && r.u == 31);
	CHECK(near(r.p, 0.09577885090243755, 1e-13));
	/* scipy: quality ratings 1..5, heavy ties: U = 96,
	 * p = 0.016756938847282153 */
	CHECK(mann_whitney(qa, 12, qb, 10, &r) == 0);
	CHECK(!r.exact && r.u == 96);
	CHECK(near(r.p, 0.016756938847282153, 1e-13));
	/* scipy: 3 against 11 without ties is exact: U = 3,
	 * p = 0.038461538461538464 (= 14/364) */
	CHECK(mann_whitney(sa, 3, sb, 11, &r) == 0);
	CHECK(r.exact && r.u == 3);
	CHECK(near(r.p, 0.038461538461538464, 1e-15));
	/* every value equal: no evidence at all */
	CHECK(mann_whitney(same, 3, same2, 2, &r) == 0);
	CHECK(r.p == 1 && r.u == 3);
	CHECK(mann_whitney(same, 0, same2, 2, &r) == -1);
}

static void
test_holm(void)
{
	/* by hand from Holm (1979): sorted 0.01, 0.03, 0.04 times 3, 2, 1
	 * = 0.03, 0.06, 0.04, made monotone: 0.03, 0.06, 0.06; as R's
	 * p.adjust(c(0.01, 0.04, 0.03), "holm") */
	double p[] = { 0.01, 0.04, NAN, 0.03 }, adj[4];
	double big[] = { 0.5, 0.9 }, adj2[2];

	holm_adjust(p, adj, 4);
	CHECK(near(adj[0], 0.03, 1e-15));
	CHECK(near(adj[1], 0.06, 1e-15));
	CHECK(isnan(adj[2]));
	CHECK(near(adj[3], 0.06, 1e-15));
	/* capped at 1: 2 x 0.5 = 1, then max(1, 0.9) */
	holm_adjust(big, adj2, 2);
	CHECK(adj2[0] == 1 && adj2[1] == 1);
}

static void
test_sample_size(void)
{
	/* R doc, ?power.prop.test: power.prop.test(p1 = .50, p2 = .75,
	 * power = .90) => n = 76.7 (the closed form R's root finder solves
	 * gives 76.70692845177743 in scipy-backed Python) */
	CHECK(near(two_prop_sample_size(0.5, 0.75, 0.05, 0.9), 76.70692845177743,
		   1e-9));
	/* the same closed form for a 10-point difference at 80 % power */
	CHECK(near(two_prop_sample_size(0.5, 0.6, 0.05, 0.8), 387.33851669903584,
		   1e-9));
	CHECK(near(two_prop_sample_size(0.8, 0.9, 0.05, 0.8), 198.9634132843311,
		   1e-9));
	CHECK(isnan(two_prop_sample_size(0.5, 0.5, 0.05, 0.8)));
}

static void
test_quantile(void)
{
	double a[] = { 10, 1, 3, 2, 4 }, b[] = { 4, 1, 3, 2 };
	double c[] = { 3.5, 1.0, 7.25, 2.0, 9.0, 4.0 };

	doubles_sort(a, 5);
	doubles_sort(b, 4);
	doubles_sort(c, 6);
	CHECK(a[0] == 1 && a[4] == 10);
	/* numpy: quantile([1,2,3,4,10], 0.9) = 7.6000000000000005,
	 * median([1,2,3,4]) = 2.5, quantile(c, 0.9) = 8.125 */
	CHECK(near(sorted_quantile(a, 5, 0.9), 7.6000000000000005, 1e-12));
	CHECK(sorted_quantile(a, 5, 0.5) == 3);
	CHECK(sorted_quantile(b, 4, 0.5) == 2.5);
	CHECK(near(sorted_quantile(c, 6, 0.9), 8.125, 1e-12));
	CHECK(sorted_quantile(a, 1, 0.9) == 1);
	CHECK(isnan(sorted_quantile(a, 0, 0.5)));
}

int
main(void)
{
	test_normal();
	test_fisher();
	test_mann_whitney();
	test_holm();
	test_sample_size();
	test_quantile();
	return unit_done();
}
