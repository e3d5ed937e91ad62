/* Unit tests of json_write.c: escaping, integers and Python-repr
 * numbers. */
#include <limits.h>
#include <math.h>

#include "json/json.h"
#include "unit.h"

static const char *
dbl(double x)
{
	static struct buf b;

	buf_reset(&b);
	jw_double(&b, x);
	return b.data;
}

static const char *
str(const char *s, size_t len)
{
	static struct buf b;

	buf_reset(&b);
	jw_string(&b, s, len);
	return b.data;
}

/* jw_int's digits, against printf's %lld (the independent source). */
static void
check_int(long long v)
{
	static struct buf b;
	char want[32];

	buf_reset(&b);
	jw_int(&b, v);
	snprintf(want, sizeof(want), "%lld", v);
	CHECK_STR(b.data, want);
}

int
main(void)
{
	static const long long ints[] = { 0, 1, -1, 9, 10, -10, 1234567890,
		LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	size_t k;

	for (k = 0; k < sizeof(ints) / sizeof(ints[0]); k++)
		check_int(ints[k]);
	CHECK_STR(dbl(0.8), "0.8");
	CHECK_STR(dbl(120.0), "120.0");
	CHECK_STR(dbl(0.0), "0.0");
	CHECK_STR(dbl(-0.0), "-0.0");
	CHECK_STR(dbl(1e16), "1e+16");
	CHECK_STR(dbl(1.5e16), "1.5e+16");
	CHECK_STR(dbl(1234567890123456.0), "1234567890123456.0");
	CHECK_STR(dbl(0.0001), "0.0001");
	CHECK_STR(dbl(0.00001), "1e-05");
	CHECK_STR(dbl(1.2345e-7), "1.2345e-07");
	CHECK_STR(dbl(347.06), "347.06");
	CHECK_STR(dbl(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(dbl(-2.5), "-2.5");
	CHECK_STR(dbl(1e300), "1e+300");
	CHECK_STR(dbl(5e-324), "5e-324");
	CHECK_STR(dbl(NAN), "null");
	CHECK_STR(dbl(123456789012345678.0), "1.2345678901234568e+17");
	CHECK(py_round(2.675, 2) == 2.67);   /* 2.675 is below the tie */
	CHECK(py_round(0.125, 2) == 0.12);   /* exact tie: to even */
	CHECK(py_round(0.8571428571, 3) == 0.857);
	CHECK(py_round(347.0636363, 2) == 347.06);
	CHECK_STR(str("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	CHECK_STR(str("\n\r\t\b\f", 5), "\"\\n\\r\\t\\b\\f\"");
	CHECK_STR(str("\x01\x1f\x7f", 3), "\"\\u0001\\u001f\\u007f\"");
	CHECK_STR(str("caf\xc3\xa9 \xe2\x82\xac", 9), "\"caf\xc3\xa9 \xe2\x82\xac\"");
	CHECK_STR(str("bad\xff!", 5), "\"bad\\ufffd!\"");
	CHECK_STR(str("\xc3", 1), "\"\\ufffd\"");
	CHECK_STR(str("/", 1), "\"/\"");
	return unit_done();
}
