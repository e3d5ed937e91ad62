/*
 * json_write.c: JSON output. Strings are escaped per RFC 8259 the way
 * Python's json module escapes them, except that valid UTF-8 passes
 * through as is (bytes that are not valid UTF-8 become U+FFFD, so the
 * output is always valid). Doubles are written as Python's repr() does:
 * the shortest digits that read back to the same double, fixed notation
 * for exponents -4..16 with at least one fractional digit, else 1e+16.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/strict.h"

static const char hexdigits[] = "0123456789abcdef";

static bool
needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f;
}

void
jw_string(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, valid_end = 0;

	buf_grow(b, len + 2);
	buf_addc(b, '"');
	while (i < len) {
		run = i;
		while (run < len && !needs_escape(p[run]))
			run++;
		buf_add(b, p + i, run - i);
		i = run;
		if (i >= len)
			break;
		if (p[i] >= 0x80) {
			if (i >= valid_end)
				valid_end = i + utf8_valid_prefix(s + i, len - i);
			if (valid_end == i) {
				buf_adds(b, "\\ufffd");
				i++;
				continue;
			}
			/* copy the valid multi-byte run */
			run = i;
			while (run < valid_end && p[run] >= 0x80)
				run++;
			buf_add(b, p + i, run - i);
			i = run;
			continue;
		}
		switch (p[i]) {
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\b': buf_adds(b, "\\b"); break;
		case '\f': buf_adds(b, "\\f"); break;
		default: {
			char esc[6] = { '\\', 'u', '0', '0',
				hexdigits[p[i] >> 4], hexdigits[p[i] & 15] };
			buf_add(b, esc, 6);
		}
		}
		i++;
	}
	buf_addc(b, '"');
}

void
jw_cstring(struct buf *b, const char *s)
{
	jw_string(b, s, strlen(s));
}

void
jw_int(struct buf *b, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	/* the magnitude as unsigned: -LLONG_MIN does not fit a long long */
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v :
				       (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
jw_double(struct buf *b, double x)
{
	char tmp[40], digits[20];
	int prec, exp10, ndig, decpt, i;
	char *e;

	if (!isfinite(x)) {
		buf_adds(b, "null");
		return;
	}
	if (x == 0) {
		buf_adds(b, signbit(x) ? "-0.0" : "0.0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	/* tmp is [-]D[.DDD]e[+-]XX: collect digits and the exponent */
	ndig = 0;
	for (i = tmp[0] == '-' ? 1 : 0; tmp[i] != 'e'; i++)
		if (tmp[i] != '.')
			digits[ndig++] = tmp[i];
	exp10 = (int)strtol(tmp + i + 1, &e, 10);
	while (ndig > 1 && digits[ndig - 1] == '0')
		ndig--;
	decpt = exp10 + 1;
	if (x < 0)
		buf_addc(b, '-');
	if (decpt > 16 || decpt <= -4) {
		buf_addc(b, digits[0]);
		if (ndig > 1) {
			buf_addc(b, '.');
			buf_add(b, digits + 1, (size_t)ndig - 1);
		}
		buf_printf(b, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
	} else if (decpt <= 0) {
		buf_adds(b, "0.");
		for (i = decpt; i < 0; i++)
			buf_addc(b, '0');
		buf_add(b, digits, (size_t)ndig);
	} else {
		for (i = 0; i < decpt; i++)
			buf_addc(b, i < ndig ? digits[i] : '0');
		buf_addc(b, '.');
		if (ndig > decpt)
			buf_add(b, digits + decpt, (size_t)(ndig - decpt));
		else
			buf_addc(b, '0');
	}
}

double
py_round(double x, int ndigits)
{
	char tmp[400];

	if (!isfinite(x))
		return x;
	snprintf(tmp, sizeof(tmp), "%.*f", ndigits, x);
	return strtod(tmp, NULL);
}

/*
 * The one object writer. The separator is read off the buffer: nothing
 * after a '{' or '[' just opened, else ", " (json.dumps's separators).
 */
void
jw_sep(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] != '{' &&
	    b->data[b->len - 1] != '[')
		buf_add(b, ", ", 2);
}

void
jw_keyn(struct buf *b, const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < len && !needs_escape((unsigned char)key[i]); i++)
		;
	if (i == len) {            /* most keys: written as they are */
		jw_key_raw(b, key, len);
		return;
	}
	jw_sep(b);
	jw_string(b, key, len);
	buf_add(b, ": ", 2);
}

void
jw_key_raw(struct buf *b, const char *key, size_t len)
{
	char *p;

	buf_grow(b, len + 6);     /* , "key":  in one go */
	p = b->data + b->len;
	if (b->len > 0 && p[-1] != '{' && p[-1] != '[') {
		*p++ = ',';
		*p++ = ' ';
	}
	*p++ = '"';
	oak_bytes_copy(p, key, len);
	p += len;
	memcpy(p, "\": ", 3);
	p += 3;
	*p = '\0';
	b->len = (size_t)(p - b->data);
}

void
jw_key(struct buf *b, const char *key)
{
	jw_keyn(b, key, strlen(key));
}

void
jw_rounded(struct buf *b, double x, int places)
{
	if (isnan(x))
		buf_adds(b, "null");
	else
		jw_double(b, py_round(x, places));
}
