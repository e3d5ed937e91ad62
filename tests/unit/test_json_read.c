/* Unit tests of json/read.c: parsing, accessors, exact numbers, time
 * linear in the length whatever the nesting. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

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

/*
 * json_micro of the number s standing alone in a buffer of exactly its
 * length, with no NUL after it (as a line arrives): under ASan a read
 * past the end is an error, so the exponent must be read within it.
 */
static long long
micro_unterminated(const char *s)
{
	size_t len = strlen(s);
	char *exact = oak_malloc(len);
	const char *why;
	int64_t v = -999;

	memcpy(exact, s, len);
	if (json_parse(&d, exact, len, &why) < 0 || json_micro(&d, 0, &v) < 0)
		v = -999;
	free(exact);
	return (long long)v;
}

/*
 * json_parse of unit repeated times, then close repeated times (close
 * may be empty): the reason, and the CPU seconds it took in *secs (CPU
 * time: a loaded machine does not make it fail).
 */
static const char *
timed_why(const char *unit, const char *close, size_t times, double *secs)
{
	size_t ul = strlen(unit), cl = strlen(close), i;
	char *text = oak_malloc(times * (ul + cl) + 1);
	struct timespec t0, t1;
	const char *why = NULL;

	for (i = 0; i < times; i++) {
		memcpy(text + i * ul, unit, ul);
		memcpy(text + times * ul + i * cl, close, cl);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	if (json_parse(&d, text, times * (ul + cl), &why) == 0)
		why = "accepted";
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	*secs = (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	free(text);
	return why;
}

/* 10^6 levels of nesting, open or closed, are refused in under 1 s (they
 * took 19 s and more for 200 000 levels while the whole line was
 * tokenized first); so is a wide array of small arrays accepted. */
static void
check_linear(void)
{
	static const struct {
		const char *unit, *close, *why;
		size_t times;
	} cases[] = {
		{"[", "", "invalid JSON: nesting deeper than 512 at column 513",
		 1000000},
		{"[", "]", "invalid JSON: nesting deeper than 512 at column 513",
		 1000000},
		{"{\"a\":", "", "invalid JSON: nesting deeper than 512 at column "
		 "2561", 1000000},
		{"{\"a\":", "}", "invalid JSON: nesting deeper than 512 at column "
		 "2561", 1000000},
		/* brackets in strings are no nesting */
		{"[\"[{\"],", "", "invalid JSON: unexpected data after the "
		 "value at column 7", 100000},
	};
	double secs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_STR(timed_why(cases[i].unit, cases[i].close,
				    cases[i].times, &secs), cases[i].why);
		CHECK(secs < 1.0);
		printf("# %zu x %s%s: %.3f s\n", cases[i].times, cases[i].unit,
		       cases[i].close, secs);
	}
}

/* Is json_number of s bit for bit what the C library's strtod gives
 * (the independent source)? */
static bool
number_as_strtod(const char *s)
{
	double x, y = strtod(s, NULL);

	if (parse(s) < 0)
		return false;
	x = json_number(&d, 0);
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* json_number takes numbers of up to 15 digits without an exponent by
 * a shortcut of its own (one division): the same double as strtod, on
 * hand-picked numbers and on 200000 of all lengths and fraction
 * lengths (an LCG of fixed seed). */
static void
check_numbers(void)
{
	static const char *const hand[] = {
		"0", "-0", "0.1", "0.2", "0.3", "-0.90", "775.1", "4.35",
		"999999999999999", "99999999999999.9", "0.000000000000001",
		"9007199254740993", "1234567890123456", "1e22", "1.5e-3",
		"0.1000000000000000055511151231257827",
		"2.2250738585072014e-308", "123456789012.345"
	};
	uint64_t x = 42;
	char num[40], digits[24];
	size_t k, bad = 0;
	int n, f;

	for (k = 0; k < sizeof(hand) / sizeof(hand[0]); k++)
		bad += !number_as_strtod(hand[k]);
	for (k = 0; k < 200000; k++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		n = 1 + (int)((x >> 59) % 17);          /* 1..17 digits */
		snprintf(digits, sizeof(digits), "%017llu",
			 (unsigned long long)((x >> 8) % 100000000000000000ULL));
		f = (int)((x >> 4) % (unsigned)n);      /* fraction digits */
		snprintf(num, sizeof(num), "%s%.*s%s%.*s", x & 1 ? "-" : "",
			 n - f, digits + 17 - n, f ? "." : "", f,
			 digits + 17 - f);
		if (num[x & 1] == '0' && n - f > 1)
			continue;   /* a leading zero: not JSON */
		bad += !number_as_strtod(num);
	}
	CHECK(bad == 0);
}

/* json_micro takes numbers of at most 12 integer and 6 fraction digits
 * by a shortcut of its own: on 200000 of them below 10^9 (an LCG of
 * fixed seed), the millionths that strtod's double times 10^6 rounds to
 * (the independent source: exact there, its error is below 0.25). */
static void
check_micro(void)
{
	uint64_t x = 7;
	char num[40];
	size_t k, bad = 0;
	int f;
	long long whole, part;

	for (k = 0; k < 200000; k++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		whole = (long long)((x >> 20) % 1000000000ULL);
		f = (int)((x >> 4) % 7);
		part = (long long)((x >> 8) % 1000000ULL);
		if (f == 0)
			snprintf(num, sizeof(num), "%s%lld", x & 1 ? "-" : "",
				 whole);
		else
			snprintf(num, sizeof(num), "%s%lld.%0*lld",
				 x & 1 ? "-" : "", whole, f, part % (f == 6 ?
				 1000000 : f == 5 ? 100000 : f == 4 ? 10000 :
				 f == 3 ? 1000 : f == 2 ? 100 : 10));
		bad += micro(num) != llround(strtod(num, NULL) * 1e6);
	}
	CHECK(bad == 0);
}

/* [[1],[1],...] of 10^5 items: jsmn without parent links looked back
 * over every token so far at each ']' (over a minute). */
static void
check_wide(void)
{
	size_t n = 100000, i;
	char *text = oak_malloc(4 * n + 2);
	const char *why;
	struct timespec t0, t1;

	text[0] = '[';
	for (i = 0; i < n; i++)
		memcpy(text + 1 + 4 * i, i + 1 < n ? "[1]," : "[1]]", 4);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	CHECK(json_parse(&d, text, 4 * n + 1, &why) == 0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	CHECK(t1.tv_sec - t0.tv_sec < 1);
	CHECK(d.tok[0].size == (int)n);
	free(text);
}

/* Why {"k": 0, "k0": 0, ..., "kN-1": N-1, "kR": 1} is refused, built in
 * b: key kR repeated among n. */
static const char *
repeat_why(struct buf *b, int n, int r)
{
	const char *why;
	int i;

	buf_reset(b);
	buf_adds(b, "{\"k\": 0");
	for (i = 0; i < n; i++)
		buf_printf(b, ", \"k%d\": %d", i, i);
	buf_printf(b, ", \"k%d\": 1}", r);
	return json_parse(&d, b->data, b->len, &why) < 0 ? why : "(parsed)";
}

/* Duplicate keys, and the scanner's sieve for them (an object's keys
 * checked only when two share a bit or one has an escape). */
static void
check_duplicates(void)
{
	struct buf b;
	const char *why;
	int i;

	CHECK_STR(why_of("{\"a\": 1, \"a\": 2}"), "invalid JSON: duplicate key at column 10");
	CHECK_STR(why_of("{\"a\": 1, \"\\u0061\": 2}"), "invalid JSON: duplicate key at column 10");
	/* a repeat found at any depth, in the first object in token order
	 * (the outer "ab" here, not the inner "x"); distinct keys pass,
	 * escaped or not, however many */
	CHECK_STR(why_of("{\"ab\": 1, \"b\": {\"x\": 1, \"x\": 2}, \"ab\": 3}"), "invalid JSON: duplicate key at column 34");
	CHECK_STR(why_of("{\"a\\n\": 1, \"a\\n\": 2}"), "invalid JSON: duplicate key at column 12");
	CHECK(parse("{\"a\\n\": 1, \"a\\t\": 2, \"a\": 3}") == 0);
	/* "ab" and "b_" share a bit: compared as they come, and distinct */
	CHECK(parse("{\"ab\": 1, \"b_\": 2}") == 0);
	CHECK_STR(why_of("{\"ab\": 1, \"b_\": 2, \"ab\": 3}"), "invalid JSON: duplicate key at column 20");
	buf_init(&b);
	/* the 17th key repeated: past the 16 the sieve compares with */
	CHECK_STR(repeat_why(&b, 16, 15), "invalid JSON: duplicate key at column 166");
	buf_reset(&b);
	buf_addc(&b, '{');
	for (i = 0; i < 100; i++)   /* more keys than the sieve has bits */
		buf_printf(&b, "%s\"k%d\": %d", i ? ", " : "", i, i);
	buf_addc(&b, '}');
	CHECK(json_parse(&d, b.data, b.len, &why) == 0);
	CHECK_STR(repeat_why(&b, 100, 57), "invalid JSON: duplicate key at column 1090");
	buf_release(&b);
}

/* Strings of every length to 130 bytes with one special byte at every
 * place: the scanner's inline fast path (64 bytes, 16 or 8 at a time) and
 * the way on past it find the same end, and the same faults. */
static void
check_long_strings(void)
{
	static const char *const special[] = { "\xc3\xa9", "\\\"", "\x01" };
	struct buf b;
	const char *why;
	int len, at, k, wrong = 0;
	bool ok;

	buf_init(&b);
	for (len = 0; len <= 130; len++)
		for (at = 0; at <= len; at++)
			for (k = 0; k < 3; k++) {
				buf_reset(&b);
				buf_printf(&b, "\"%*s%s%*s\"", at, "",
					   special[k], len - at, "");
				ok = json_parse(&d, b.data, b.len, &why) == 0;
				if (ok != (k < 2) || (ok && d.tok[0].end -
				    d.tok[0].start != (int)b.len - 2))
					wrong++;
			}
	CHECK(wrong == 0);
	buf_release(&b);
}

/* Does json_get_keys find in object 0 what json_getn finds, for each of
 * the n keys of want? */
static bool
keys_as_getn(const struct json_key *want, int n)
{
	int at[40], j;

	json_get_keys(&d, 0, want, n, at);
	for (j = 0; j < n; j++)
		if (at[j] != json_getn(&d, 0, want[j].name, want[j].len))
			return false;
	return true;
}

/* json_get_keys' table (read.c): keys of one slot (one length and first
 * byte), the empty key, a table made again for other keys, for other
 * keys at the same place (a want built on the stack), and more keys than
 * the table holds. */
static void
check_key_table(void)
{
	static const struct json_key one[] = { JSON_KEY("ab"), JSON_KEY("ac"),
		JSON_KEY("ad"), JSON_KEY(""), JSON_KEY("b") };
	static const struct json_key other[] = { JSON_KEY("ad"), JSON_KEY("x") };
	struct json_key stack[2], many[40];
	static char names[40][4];
	int j;

	CHECK(parse("{\"ad\": 1, \"ac\": 2, \"\": 3, \"x\": 4, \"b\": 5, "
		    "\"ab\": 6}") == 0);
	CHECK(keys_as_getn(one, 5));
	CHECK(keys_as_getn(other, 2));
	CHECK(keys_as_getn(one, 5));
	CHECK(keys_as_getn(one, 3));
	stack[0] = one[4];
	stack[1] = one[1];
	CHECK(keys_as_getn(stack, 2));
	stack[0] = other[1];
	CHECK(keys_as_getn(stack, 2));
	for (j = 0; j < 40; j++) {
		snprintf(names[j], sizeof(names[j]), "k%d", j);
		many[j].name = names[j];
		many[j].len = strlen(names[j]);
	}
	many[39] = one[0];
	CHECK(keys_as_getn(many, 40));
	CHECK(parse("{\"k1\": 1, \"k39\": 2, \"ab\": 3, \"k10\": 4}") == 0);
	CHECK(keys_as_getn(many, 40));
	CHECK(keys_as_getn(many, 32));
}

/* json_get, json_path and json_skip; json_get_keys finds what json_getn
 * finds, for each key, in one pass: absent keys, keys only deeper down,
 * keys of one length, a non-object. */
static void
check_lookups(void)
{
	static const struct json_key want[] = { JSON_KEY("bb"), JSON_KEY("c"),
		JSON_KEY("zz"), JSON_KEY("a"), JSON_KEY("ab") };
	int at[5], j, i;

	CHECK(parse("{\"a\": {\"b\": [1, 2, {\"c\": 3}]}, \"d\": \"x\"}") == 0);
	CHECK(json_get(&d, 0, "d") == d.ntok - 1);
	CHECK(json_streq(&d, json_get(&d, 0, "d"), "x"));
	i = json_path(&d, 0, "a", "b", NULL);
	CHECK(json_is_array(&d, i));
	CHECK(json_skip(&d, i) == d.ntok - 2);
	CHECK(json_path(&d, 0, "a", "zz", NULL) == -1);
	CHECK(parse("[1,2]") == 0 && json_get(&d, 0, "a") == -1);

	CHECK(parse("{\"a\": {\"c\": 1}, \"ab\": [2], \"bb\": null, \"b\": 3}") == 0);
	json_get_keys(&d, 0, want, 5, at);
	for (j = 0; j < 5; j++)
		CHECK(at[j] == json_getn(&d, 0, want[j].name, want[j].len));
	CHECK(at[0] == d.ntok - 3 && at[1] == -1 && at[2] == -1 && at[3] == 2);
	json_get_keys(&d, at[3], want, 5, at);
	CHECK(at[1] == 4 && at[0] == -1 && at[3] == -1);
	json_get_keys(&d, 1, want, 5, at);   /* a key token, not an object */
	CHECK(at[0] == -1 && at[1] == -1 && at[4] == -1);
	check_key_table();
}

int
main(void)
{
	struct buf b;
	int64_t v;

	buf_init(&b);
	check_lookups();

	CHECK_STR(why_of("\xef\xbb\xbf{}"), "UTF-8 byte order mark");
	CHECK_STR(why_of("{\"a\": NaN}"), "invalid JSON: unexpected character at column 7");
	CHECK_STR(why_of("{\"a\": 1,}"), "invalid JSON: object key must be a string at column 9");
	CHECK_STR(why_of("[1,,2]"), "invalid JSON: unexpected character at column 4");
	CHECK_STR(why_of("{\"a\": \"\xff\"}"), "invalid UTF-8 at column 8");
	check_duplicates();
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
	CHECK(micro_unterminated("30E0") == 30000000LL);
	CHECK(micro_unterminated("30E") == -999);      /* not a number */
	CHECK(micro_unterminated("-2.5e-1") == -250000LL);
	CHECK(micro_unterminated("1E+2") == 100000000LL);
	CHECK(micro_unterminated("7e99999999999999999999") == -999);
	CHECK(micro_unterminated("7e-99999999999999999999") == 0);
	CHECK(parse("12345678901234") == 0 && json_int64(&d, 0, &v) == 0 &&
	      v == 12345678901234LL);
	CHECK(parse("1.5") == 0 && json_int64(&d, 0, &v) == -1);
	CHECK(parse("-9223372036854775808") == 0 && json_int64(&d, 0, &v) == 0 &&
	      v == INT64_MIN);
	CHECK(parse("9223372036854775808") == 0 && json_int64(&d, 0, &v) == -1);
	check_numbers();
	check_micro();
	check_linear();
	check_wide();
	check_long_strings();
	buf_release(&b);
	json_doc_release(&d);
	return unit_done();
}
