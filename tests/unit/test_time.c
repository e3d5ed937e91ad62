/*
 * Unit tests of the timestamp readers: oak_time_parse (record/
 * timefmt.c) and the "date-time" format check (schema/format.c), which
 * both read the fixed-width fields with base.h's oak_date10 and
 * oak_time8. 200,000 generated timestamps are held to libc's timegm (the
 * independent source); the invalid ones below, to a refusal. Both read
 * the date with base's oak_date_days, which keeps the last date it took
 * (a log's lines come a day at a time); a date that differs from it in
 * any byte is read afresh (expected
 * instants from GNU date -u -d ... +%s).
 */
#include <stdlib.h>
#include <time.h>

#include "record/instant.h"
#include "schema/node.h"
#include "unit.h"

static uint64_t seed = 42;

static unsigned
draw(unsigned n)
{
	seed = seed * 6364136223846793005u + 1442695040888963407u;
	return (unsigned)(seed >> 33) % n;
}

/* A valid timestamp in s, and the instant timegm gives it. */
static void
generate(char *s, size_t size, struct oak_instant *want)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	struct tm tm = { 0 };
	int y = 1970 + (int)draw(130), m = 1 + (int)draw(12), oh = 0, om = 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int d = 1 + (int)draw((unsigned)(mdays[m - 1] + (m == 2 && leap)));
	int n, k, digits = (int)draw(10), sign = (int)draw(3);
	long frac = (long)draw(1000000000), unit;

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = (int)draw(24);
	tm.tm_min = (int)draw(60);
	tm.tm_sec = (int)draw(60);
	n = snprintf(s, size, "%04d-%02d-%02d%c%02d:%02d:%02d", y, m, d,
		     "Tt"[draw(2)], tm.tm_hour, tm.tm_min, tm.tm_sec);
	want->nsec = 0;
	if (digits > 0) {   /* the first digits of frac's nine */
		for (unit = 1, k = digits; k < 9; k++)
			unit *= 10;
		snprintf(s + n, size - (size_t)n, ".%09ld", frac);
		n += 1 + digits;
		want->nsec = (int32_t)(frac - frac % unit);
	}
	if (sign == 0) {
		snprintf(s + n, size - (size_t)n, "%c", "Zz"[draw(2)]);
	} else {
		oh = (int)draw(24);
		om = (int)draw(60);
		snprintf(s + n, size - (size_t)n, "%c%02d:%02d",
			 sign == 1 ? '+' : '-', oh, om);
	}
	want->sec = (int64_t)timegm(&tm) -
		    (sign == 0 ? 0 : (sign == 1 ? 1 : -1) * (oh * 3600 + om * 60));
}

static void
generated(void)
{
	char s[64];
	struct oak_instant want, got;
	int k, wrong = 0;

	for (k = 0; k < 200000; k++) {
		generate(s, sizeof(s), &want);
		if (oak_time_parse(s, strlen(s), false, &got) != 0 ||
		    got.sec != want.sec || got.nsec != want.nsec ||
		    !schema_format_check(FORMAT_DATE_TIME, s, strlen(s))) {
			if (wrong++ < 5)
				printf("# %s\n", s);
		}
	}
	CHECK(wrong == 0);
}

/* Refused by both readers (the format check takes no date alone). */
static const char *const invalid[] = {
	"", "2025", "2025-01-0", "2025-01-01T", "2025-01-01T10:00",
	"2025-01-01T10:00:00", "2025-13-01T10:00:00Z", "2025-00-01T10:00:00Z",
	"2025-01-32T10:00:00Z", "2025-02-29T10:00:00Z", "2025-04-31T10:00:00Z",
	"1900-02-29T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T10:60:00Z",
	"2025-01-01T10:00:61Z", "2025-1-01T10:00:00Z", "2025/01/01T10:00:00Z",
	"2025-01-01X10:00:00Z", "2025-01-01T10-00-00Z", "2025-01-01T1a:00:00Z",
	"202a-01-01T10:00:00Z", "2025-01-01T10:00:00.Z",
	"2025-01-01T10:00:00+2:00", "2025-01-01T10:00:00+24:00",
	"2025-01-01T10:00:00+02:60", "2025-01-01T10:00:00Zjunk",
	"2025-01-01T10:00:00 Z", "-025-01-01T10:00:00Z", "+2025-01-01T10:00:00Z",
	"2025-01-01T10:00:0\xd9Z", "2025-01-01\xff" "10:00:00Z",
	/* ':' and '/' stand next to the digits */
	"2025-01-1:T10:00:00Z", "2025-0:-01T10:00:00Z", "2/25-01-01T10:00:00Z",
	"2025-01-01T1::00:00Z", "2025-01-01T10:00:0:Z", "2025-01-01T10:0/:00Z",
};

static void
refused(void)
{
	struct oak_instant t;
	size_t k;
	int wrong = 0;

	for (k = 0; k < sizeof(invalid) / sizeof(invalid[0]); k++) {
		const char *s = invalid[k];

		if (oak_time_parse(s, strlen(s), false, &t) == 0 ||
		    schema_format_check(FORMAT_DATE_TIME, s, strlen(s))) {
			printf("# taken: %s\n", s);
			wrong++;
		}
	}
	CHECK(wrong == 0);
	/* each reads only the bytes it is given */
	CHECK(oak_time_parse("2025-01-01T10:00:00Z", 19, false, &t) != 0);
	CHECK(oak_time_parse("2025-01-01", 9, true, &t) != 0);
	CHECK(!schema_format_check(FORMAT_DATE_TIME, "2025-01-01T10:00:00Z", 19));
	CHECK(!schema_format_check(FORMAT_DATE, "2025-01-01", 9));
	CHECK(!schema_format_check(FORMAT_TIME, "10:00:00Z", 8));
}

/* The instants oak_time_format can write, and no others: the years 0000
 * to 9999 in UTC (fuzz_time found 0000-01-01T14:32:39+23:30, which
 * wrote year -1; expected seconds: Python's datetime, with year 0's
 * 366 days before year 1). */
static void
range(void)
{
	static struct buf b;
	struct oak_instant t;

	CHECK(oak_time_parse("0000-01-01T00:00:00Z", 20, false, &t) == 0 &&
	      t.sec == -62167219200);
	CHECK(oak_time_parse("0000-01-01T00:59:59+01:00", 25, false, &t) ==
	      OAK_TIME_RANGE);
	CHECK(oak_time_parse("0000-01-01T14:32:39+23:30", 25, false, &t) ==
	      OAK_TIME_RANGE);
	CHECK(oak_time_parse("0000-01-01T01:00:00+01:00", 25, false, &t) == 0 &&
	      t.sec == -62167219200);
	CHECK(oak_time_parse("9999-12-31T23:59:59.999999999Z", 30, false,
			     &t) == 0 && t.sec == 253402300799);
	oak_time_format(&b, t);
	CHECK_STR(b.data, "9999-12-31T23:59:59.999999Z");
	CHECK(oak_time_parse("9999-12-31T23:00:00-01:00", 25, false, &t) ==
	      OAK_TIME_RANGE);
	CHECK(oak_time_parse("9999-12-31T22:59:59-01:00", 25, false, &t) == 0 &&
	      t.sec == 253402300799);
	CHECK(oak_time_parse("9999-12-31", 10, true, &t) == 0);
	buf_release(&b);
}

/* What only one of them takes, as each documents. */
static void
differences(void)
{
	struct oak_instant t;

	CHECK(oak_time_parse("2024-02-29", 10, true, &t) == 0 &&
	      t.sec == 1709164800);
	CHECK(oak_time_parse("2024-02-29", 10, false, &t) != 0);
	CHECK(oak_time_parse("2025-01-01 10:00:00Z", 20, false, &t) == 0 &&
	      t.sec == 1735725600);
	CHECK(!schema_format_check(FORMAT_DATE_TIME, "2025-01-01 10:00:00Z", 20));
	/* a leap second: the format check only at 23:59:60 UTC */
	CHECK(schema_format_check(FORMAT_DATE_TIME, "2016-12-31T23:59:60Z", 20));
	CHECK(schema_format_check(FORMAT_DATE_TIME,
				  "2016-12-31T15:59:60-08:00", 25));
	CHECK(!schema_format_check(FORMAT_DATE_TIME, "2016-12-31T23:58:60Z", 20));
	CHECK(schema_format_check(FORMAT_DATE, "2000-02-29", 10));
	CHECK(schema_format_check(FORMAT_TIME, "23:59:59.5+01:00", 16));
}

/* The date cached from the line before, and dates one byte off it. */
static void
cached(void)
{
	static const char nul[] = "\0\0\0\0\0\0\0\0\0\0T10:00:00Z";
	struct oak_instant t;

	/* ten NUL bytes (an unescaped "\u0000" ...) are no date, before
	 * any date is cached and after */
	CHECK(!schema_format_check(FORMAT_DATE_TIME, nul, 20));
	CHECK(oak_time_parse(nul, 20, false, &t) != 0);
	CHECK(oak_time_parse("2025-01-31T10:00:00Z", 20, false, &t) == 0 &&
	      t.sec == 1738317600);
	CHECK(oak_time_parse("2025-01-31T11:00:00Z", 20, false, &t) == 0 &&
	      t.sec == 1738321200);
	CHECK(oak_time_parse("2025-01-31", 10, true, &t) == 0 &&
	      t.sec == 1738281600);
	CHECK(oak_time_parse("2025-01-32T10:00:00Z", 20, false, &t) != 0);
	CHECK(oak_time_parse("2025-01-31T24:00:00Z", 20, false, &t) != 0);
	CHECK(oak_time_parse("2025-02-01T00:00:00Z", 20, false, &t) == 0 &&
	      t.sec == 1738368000);
	CHECK(schema_format_check(FORMAT_DATE_TIME, "2025-01-31T10:00:00Z", 20));
	CHECK(schema_format_check(FORMAT_DATE_TIME, "2025-01-31T23:00:00Z", 20));
	CHECK(!schema_format_check(FORMAT_DATE_TIME, "2025-01-32T10:00:00Z", 20));
	CHECK(!schema_format_check(FORMAT_DATE_TIME, "2025-01-31T24:00:00Z", 20));
	CHECK(!schema_format_check(FORMAT_DATE_TIME, "2025-01-3110:00:00Z", 19));
	CHECK(!schema_format_check(FORMAT_DATE_TIME, nul, 20));
	CHECK(oak_time_parse(nul, 20, false, &t) != 0);
}

int
main(void)
{
	cached();
	generated();
	refused();
	range();
	differences();
	return unit_done();
}
