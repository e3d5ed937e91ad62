/*
 * test_stats.c: the Wilson interval and the two-proportion z test
 * against values worked out by hand from the textbook formulas (and
 * cross-checked with R's prop.test(correct = FALSE) where it agrees), and
 * the window and period helpers of window.c.
 */
#include <math.h>
#include <stdlib.h>

#include "record/stats.h"
#include "record/instant.h"
#include "unit.h"

static int
near(double got, double want, double tol)
{
	if (fabs(got - want) > tol) {
		printf("#   got %.6f want %.6f\n", got, want);
		return 0;
	}
	return 1;
}

static const char *
fmt(struct oak_instant t)
{
	static struct buf b;

	buf_reset(&b);
	oak_time_format(&b, t);
	return b.data;
}

static const char *
key(const char *date, enum oak_period by)
{
	static struct buf b;
	struct oak_instant t;

	oak_time_parse(date, 10, true, &t);
	buf_reset(&b);
	oak_period_key(&b, oak_day_of(t), by);
	return b.data;
}

int
main(void)
{
	struct oak_window w;
	const char *why;
	double lo, hi;

	/* Wilson 95 %: 8 of 10 is [0.4902, 0.9433]; 0 of 10 [0, 0.2775];
	 * 10 of 10 [0.7225, 1]; 4 of 8 [0.2152, 0.7848]; 50 of 100
	 * [0.4038, 0.5962] */
	CHECK(wilson_interval(8, 10, OAK_Z95, &lo, &hi) == 0);
	CHECK(near(lo, 0.4902, 5e-5) && near(hi, 0.9433, 5e-5));
	CHECK(wilson_interval(0, 10, OAK_Z95, &lo, &hi) == 0);
	CHECK(near(lo, 0, 1e-12) && near(hi, 0.2775, 5e-5));
	CHECK(wilson_interval(10, 10, OAK_Z95, &lo, &hi) == 0);
	CHECK(near(lo, 0.7225, 5e-5) && near(hi, 1, 1e-12));
	CHECK(wilson_interval(4, 8, OAK_Z95, &lo, &hi) == 0);
	CHECK(near(lo, 0.2152, 5e-5) && near(hi, 0.7848, 5e-5));
	CHECK(wilson_interval(50, 100, OAK_Z95, &lo, &hi) == 0);
	CHECK(near(lo, 0.4038, 5e-5) && near(hi, 0.5962, 5e-5));
	CHECK(wilson_interval(0, 0, OAK_Z95, &lo, &hi) < 0);

	/* 40/100 -> 60/100: pooled p 0.5, se 0.0707107, z 2.828427 */
	CHECK(near(two_proportion_z(40, 100, 60, 100), 2.828427, 1e-6));
	CHECK(near(two_proportion_z(60, 100, 40, 100), -2.828427, 1e-6));
	/* 9/10 -> 7/10: pooled 0.8, se 0.178885, z -1.118034 */
	CHECK(near(two_proportion_z(9, 10, 7, 10), -1.118034, 1e-6));
	CHECK(isnan(two_proportion_z(0, 0, 3, 4)));
	CHECK(isnan(two_proportion_z(5, 5, 7, 7)));

	/* windows: SOURCE_DATE_EPOCH is 2025-10-20T07:00:00Z in the tests */
	setenv("SOURCE_DATE_EPOCH", "1760943600", 1);
	CHECK(oak_window_resolve(&w, NULL, NULL, "last", false, &why) == 0);
	CHECK_STR(fmt(w.since), "2025-10-13T00:00:00Z");
	CHECK_STR(fmt(w.until), "2025-10-20T00:00:00Z");
	CHECK(oak_window_resolve(&w, NULL, NULL, "2025-W42", true, &why) == 0);
	CHECK_STR(fmt(w.since), "2025-10-06T00:00:00Z");
	CHECK_STR(fmt(w.until), "2025-10-13T00:00:00Z");
	CHECK(oak_window_resolve(&w, NULL, NULL, "2026-W01", false, &why) == 0);
	CHECK_STR(fmt(w.since), "2025-12-29T00:00:00Z");
	CHECK(oak_window_resolve(&w, NULL, NULL, "2020-W53", false, &why) == 0);
	CHECK_STR(fmt(w.since), "2020-12-28T00:00:00Z");
	CHECK(oak_window_resolve(&w, NULL, NULL, "2025-W53", false, &why) < 0);
	CHECK(oak_window_resolve(&w, NULL, NULL, "2025-W00", false, &why) < 0);
	CHECK(oak_window_resolve(&w, NULL, NULL, "2025W42", false, &why) < 0);
	CHECK(oak_window_resolve(&w, "2025-10-01", NULL, "last", false,
				 &why) < 0);
	CHECK(oak_window_resolve(&w, "2025-10-01T12:00:00+02:00",
				 "2025-10-02", false, true, &why) == 0);
	CHECK_STR(fmt(w.since), "2025-09-30T20:00:00Z");
	CHECK_STR(fmt(w.until), "2025-10-01T10:00:00Z");
	CHECK(oak_window_resolve(&w, "2025-10-02", "2025-10-01", NULL, false,
				 &why) < 0);
	CHECK(oak_window_resolve(&w, "2025-10-02", NULL, NULL, true, &why) < 0);

	/* periods */
	CHECK_STR(key("2025-10-19", OAK_BY_DAY), "2025-10-19");
	CHECK_STR(key("2025-10-19", OAK_BY_WEEK), "2025-W42");
	CHECK_STR(key("2025-10-20", OAK_BY_WEEK), "2025-W43");
	CHECK_STR(key("2024-12-30", OAK_BY_WEEK), "2025-W01");
	CHECK_STR(key("2021-01-03", OAK_BY_WEEK), "2020-W53");
	CHECK_STR(key("1969-12-31", OAK_BY_MONTH), "1969-12");
	return unit_done();
}
