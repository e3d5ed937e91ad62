/* Unit tests of json/read.c: parsing, accessors, exact numbers. */
#include <stdlib.h>

#include "json/json.h"
#include "unit.h"

static struct json_doc d;

static int
parse(const char *s)
{
	const char *why;

	return json_parse(&d, s, strlen(s), &why);
}

static const char *
why_of(const char *s)
{
	const char *why = NULL;

	json_parse(&d, s, strlen(s), &why);
	return why;
}

static long long
micro(const char *s)
{
	int64_t v = -999;

	if (parse(s) < 0 || json_micro(&d, 0, &v) < 0)
		return -999;
	return (long long)v;
}

int
main(void)
{
	struct buf b;
	int64_t v;
	int i;

	buf_init(&b);
	CHECK(parse("{\"a\": {\"b\": [1, 2, {\"c\": 3}]}, \"d\": \"x\"}") == 0);
	CHECK(json_get(&d, 0, "d") == d.ntok - 1);
	CHECK(json_streq(&d, json_get(&d, 0, "d"), "x"));
	i = json_path(&d, 0, "a", "b", NULL);
	CHECK(json_is_array(&d, i));
	CHECK(json_skip(&d, i) == d.ntok - 2);
	CHECK(json_path(&d, 0, "a", "zz", NULL) == -1);
	CHECK(parse("[1,2]") == 0 && json_get(&d, 0, "a") == -1);

	CHECK_STR(why_of("\xef\xbb\xbf{}"), "UTF-8 byte order mark");
	CHECK_STR(why_of("{\"a\": NaN}"), "invalid JSON: unexpected character at column 7");
	CHECK_STR(why_of("{\"a\": 1,}"), "invalid JSON: object key must be a string at column 9");
	CHECK_STR(why_of("[1,,2]"), "invalid JSON: unexpected character at column 4");
	CHECK_STR(why_of("{\"a\": \"\xff\"}"), "invalid UTF-8 at column 8");
	CHECK_STR(why_of("{\"a\": 1, \"a\": 2}"), "invalid JSON: duplicate key at column 10");
	CHECK_STR(why_of("{\"a\": 1, \"\\u0061\": 2}"), "invalid JSON: duplicate key at column 10");
	CHECK_STR(why_of("{\"a\": 1} x"), "invalid JSON: unexpected data after the value at column 10");
	CHECK_STR(why_of("{\"a\": 01}"), "invalid JSON: bad number at column 8");
	CHECK_STR(why_of("\"\\ud800\""), "invalid JSON: lone high surrogate in \\u escape at column 8");
	CHECK(parse("\"\\ud83d\\ude00\"") == 0);
	json_unescape(&d, 0, &b);
	CHECK_STR(b.data, "\xf0\x9f\x98\x80");
	buf_reset(&b);
	CHECK(parse("\"a\\n\\u00e9\\/\"") == 0);
	json_unescape(&d, 0, &b);
	CHECK_STR(b.data, "a\n\xc3\xa9/");

	CHECK(micro("687.2") == 687200000LL);
	CHECK(micro("0") == 0);
	CHECK(micro("-1.5") == -1500000LL);
	CHECK(micro("1e3") == 1000000000LL);
	CHECK(micro("1.5E-3") == 1500LL);
	CHECK(micro("0.0000005") == 0);        /* tie: to even */
	CHECK(micro("0.0000015") == 2);        /* tie: to even */
	CHECK(micro("0.00000051") == 1);
	CHECK(micro("0.000000001") == 0);
	CHECK(micro("120.000000") == 120000000LL);
	CHECK(micro("1e30") == -999);
	CHECK(parse("12345678901234") == 0 && json_int64(&d, 0, &v) == 0 &&
	      v == 12345678901234LL);
	CHECK(parse("1.5") == 0 && json_int64(&d, 0, &v) == -1);
	CHECK(parse("-9223372036854775808") == 0 && json_int64(&d, 0, &v) == 0 &&
	      v == INT64_MIN);
	CHECK(parse("9223372036854775808") == 0 && json_int64(&d, 0, &v) == -1);
	buf_release(&b);
	json_doc_release(&d);
	return unit_done();
}
