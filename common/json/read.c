/*
 * read.c: JSON reading. json_parse() checks and tokenizes a text in one
 * pass (json_strict_tokenize, strict.c) into jsmn's token layout, in a
 * token array that grows as needed and is kept between calls, each token
 * linked to the first token after its subtree (so skipping a value is
 * O(1) and looking up a key is O(keys)), then rejects duplicate keys
 * (I-JSON).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json/shape.h"
#include "json/strict.h"

static _Thread_local char why_buf[160];

void
json_doc_init(struct json_doc *d)
{
	memset(d, 0, sizeof(*d));
}

void
json_doc_release(struct json_doc *d)
{
	free(d->tok);
	free(d->next);
	json_doc_init(d);
}

void
json_doc_grow(struct json_doc *d)
{
	/* a text has at most INT_MAX bytes (json_parse), each token starts
	 * at a byte of its own: INT_MAX tokens always fit */
	d->cap = d->cap == 0 ? 256 : d->cap > INT_MAX / 2 ? INT_MAX : d->cap * 2;
	d->tok = oak_realloc(d->tok, sizeof(*d->tok) * (size_t)d->cap);
	d->next = oak_realloc(d->next, sizeof(*d->next) * (size_t)d->cap);
}

/* Compares two key tokens by their unescaped values. */
static bool
keys_equal(const struct json_doc *d, int a, int b)
{
	size_t la, lb;
	const char *pa = json_raw(d, a, &la);
	const char *pb = json_raw(d, b, &lb);
	struct buf ua, ub;
	bool eq;

	if (memchr(pa, '\\', la) == NULL && memchr(pb, '\\', lb) == NULL)
		return la == lb && memcmp(pa, pb, la) == 0;
	buf_init(&ua);
	buf_init(&ub);
	json_unescape(d, a, &ua);
	json_unescape(d, b, &ub);
	eq = ua.len == ub.len && memcmp(ua.data, ub.data, ua.len) == 0;
	buf_release(&ua);
	buf_release(&ub);
	return eq;
}

/* Keys of object obj with a duplicate: the later key's token, or -1.
 * Small objects compare pairwise; large ones go through a hash table. */
static int
object_duplicate_key(const struct json_doc *d, const int *keys, int nkeys,
		     bool any_escape)
{
	struct ht *seen;
	struct buf key;
	bool created;
	int a, b, dup = -1;

	if (nkeys <= 32) {
		uint64_t seen_bits = 0, bit;
		bool escapes = false;

		for (a = 0; a < nkeys && any_escape && !escapes; a++)
			escapes = memchr(d->text + d->tok[keys[a]].start, '\\',
					 (size_t)(d->tok[keys[a]].end -
						  d->tok[keys[a]].start)) != NULL;
		for (a = 0; a < nkeys; a++) {
			const jsmntok_t *ka = &d->tok[keys[a]];
			int len = ka->end - ka->start;

			/* a key whose bit was not seen before cannot equal an
			 * earlier key, unless escapes are about */
			bit = json_key_bit(d, keys[a]);
			if (!escapes && (seen_bits & bit) == 0) {
				seen_bits |= bit;
				continue;
			}
			seen_bits |= bit;
			for (b = 0; b < a; b++)
				if (escapes ? keys_equal(d, keys[a], keys[b]) :
				    json_tok_is(d, keys[b], d->text + ka->start,
						(size_t)len))
					return keys[a];
		}
		return -1;
	}
	seen = ht_create();
	buf_init(&key);
	for (a = 0; a < nkeys && dup < 0; a++) {
		buf_reset(&key);
		json_unescape(d, keys[a], &key);
		ht_put(seen, key.data, key.len, &created);
		if (!created)
			dup = keys[a];
	}
	buf_release(&key);
	ht_release(seen);
	return dup;
}

/* json_object_duplicate's scratch: one per thread (json_thread_release). */
static _Thread_local int *keys;
static _Thread_local int keys_cap;

void
json_thread_release(void)
{
	free(keys);
	keys = NULL;
	keys_cap = 0;
}

int
json_object_duplicate(const struct json_doc *d, int obj, bool any_escape)
{
	int k, n;

	if (d->tok[obj].size > keys_cap) {
		keys_cap = d->tok[obj].size * 2;
		keys = oak_realloc(keys, sizeof(*keys) * (size_t)keys_cap);
	}
	n = 0;
	for (k = obj + 1; n < d->tok[obj].size; k = json_skip(d, k + 1))
		keys[n++] = k;
	return object_duplicate_key(d, keys, n, any_escape);
}

int
json_parse(struct json_doc *d, const char *text, size_t len, const char **why)
{
	bool conforms;

	return json_parse_shaped(d, text, len, NULL, NULL, &conforms, why);
}

int
json_parse_shaped(struct json_doc *d, const char *text, size_t len,
		  const struct json_shape *shape, void *ctx, bool *conforms,
		  const char **why)
{
	const char *reason;
	size_t at;
	bool unsure;

	d->text = text;
	d->len = len;
	d->ntok = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		*why = "UTF-8 byte order mark";
		return -1;
	}
	if (len > INT_MAX) {   /* jsmn's offsets are int */
		*why = "invalid JSON: a text of 2 GiB or more";
		return -1;
	}
	if (json_strict_tokenize(d, shape, ctx, &unsure, &reason, &at) < 0) {
		d->ntok = 0;   /* a duplicate key too, the first in token order */
		if (strcmp(reason, "invalid UTF-8") == 0)
			snprintf(why_buf, sizeof(why_buf),
				 "invalid UTF-8 at column %zu", at + 1);
		else
			snprintf(why_buf, sizeof(why_buf),
				 "invalid JSON: %s at column %zu", reason, at + 1);
		*why = why_buf;
		return -1;
	}
	*conforms = !unsure;
	return 0;
}

bool
json_parse_line(struct json_doc *d, const char *file, const struct line *ln)
{
	return json_parse_line_shaped(d, file, ln, NULL);
}

bool
json_parse_line_shaped(struct json_doc *d, const char *file,
		       const struct line *ln, const struct json_shape *shape)
{
	const char *why;
	bool conforms;

	if (json_parse_shaped(d, ln->text, ln->len, shape, NULL, &conforms,
			      &why) == 0)
		return true;
	oak_reject(file, ln->no, ln->text, ln->len, "%s%s", why,
		   ln->had_newline ? "" : " (truncated last line)");
	return false;
}

/* Is key k the len bytes at key (its length, then its first byte, then
 * the rest: keys of one length often differ at once)? */
static inline bool
key_is(const struct json_key *k, const char *key, size_t len)
{
	return k->len == len && (len == 0 || k->name[0] == key[0]) &&
	       oak_bytes_equal(k->name, key, len);
}

/*
 * json_get_keys' table of the keys it looks for, by a member's length
 * and first byte: made for the last keys asked in this thread and kept
 * while the same keys (the same names, where they were) come again, as
 * they do on every line of a log. A member then costs one slot or two,
 * not a compare with each key (12 members, 9 keys: 1,100 -> 400
 * instructions a call).
 */
#define TABLE_KEYS 32
static _Thread_local struct {
	const char *name[TABLE_KEYS];
	size_t len[TABLE_KEYS];
	int n;
	signed char slot[64];   /* the index of a key, or -1 */
} table;

static inline unsigned
slot_of(const char *key, size_t len)
{
	return (unsigned)(len * 7 + (len > 0 ? (unsigned char)key[0] : 0)) & 63;
}

/* Is table made for the n keys of want? Else makes it (n <= TABLE_KEYS). */
static void
table_for(const struct json_key *want, int n)
{
	unsigned h;
	int j;

	for (j = 0; j < n && table.name[j] == want[j].name &&
	     table.len[j] == want[j].len; j++)
		;
	if (j == n && table.n == n)
		return;
	memset(table.slot, -1, sizeof(table.slot));
	for (j = 0; j < n; j++) {
		table.name[j] = want[j].name;
		table.len[j] = want[j].len;
		for (h = slot_of(want[j].name, want[j].len); table.slot[h] >= 0;
		     h = (h + 1) & 63)
			;
		table.slot[h] = (signed char)j;
	}
	table.n = n;
}

/* json_get_keys for more keys than its table holds: each member
 * compared with each key. */
static void
json_get_keys_each(const struct json_doc *d, int obj,
		   const struct json_key *want, int n, int *out)
{
	int i, m, j;

	for (i = obj + 1, m = d->tok[obj].size; m > 0; m--, i = d->next[i + 1])
		for (j = 0; j < n; j++)
			if (json_tok_is(d, i, want[j].name, want[j].len)) {
				out[j] = i + 1;
				break;
			}
}

void
json_get_keys(const struct json_doc *d, int obj, const struct json_key *want,
	      int n, int *out)
{
	const char *key;
	size_t len;
	unsigned h;
	int i, m, j;

	for (j = 0; j < n; j++)
		out[j] = -1;
	if (obj < 0 || obj >= d->ntok || d->tok[obj].type != JSMN_OBJECT)
		return;
	if (n > TABLE_KEYS) {
		json_get_keys_each(d, obj, want, n, out);
		return;
	}
	table_for(want, n);
	for (i = obj + 1, m = d->tok[obj].size; m > 0; m--, i = d->next[i + 1]) {
		key = d->text + d->tok[i].start;
		len = (size_t)(d->tok[i].end - d->tok[i].start);
		for (h = slot_of(key, len); (j = table.slot[h]) >= 0;
		     h = (h + 1) & 63)
			if (key_is(&want[j], key, len)) {
				out[j] = i + 1;   /* keys are unique */
				break;
			}
	}
}

int
json_path(const struct json_doc *d, int obj, ...)
{
	va_list ap;
	const char *key;

	va_start(ap, obj);
	while (obj >= 0 && (key = va_arg(ap, const char *)) != NULL)
		obj = json_get(d, obj, key);
	va_end(ap);
	return obj;
}

static bool
prim_first(const struct json_doc *d, int i, char c)
{
	return i >= 0 && i < d->ntok && d->tok[i].type == JSMN_PRIMITIVE &&
	       d->text[d->tok[i].start] == c;
}

bool
json_is_null(const struct json_doc *d, int i)
{
	return prim_first(d, i, 'n');
}

bool
json_is_true(const struct json_doc *d, int i)
{
	return prim_first(d, i, 't');
}

bool
json_is_bool(const struct json_doc *d, int i)
{
	return prim_first(d, i, 't') || prim_first(d, i, 'f');
}

const char *
json_span(const struct json_doc *d, int i, size_t *len)
{
	int start = d->tok[i].start, end = d->tok[i].end;

	if (d->tok[i].type == JSMN_STRING) {
		start--;
		end++;
	}
	*len = (size_t)(end - start);
	return d->text + start;
}

bool
json_streq(const struct json_doc *d, int i, const char *s)
{
	size_t len;
	const char *p;

	if (!json_is_string(d, i))
		return false;
	p = json_raw(d, i, &len);
	return strlen(s) == len && memcmp(p, s, len) == 0;
}

static unsigned
hexval(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v = v * 16 + (unsigned)(c <= '9' ? c - '0' :
					(c | 0x20) - 'a' + 10);
	}
	return v;
}

static void
put_utf8(struct buf *out, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(out, b, n);
}

void
json_unescape(const struct json_doc *d, int i, struct buf *out)
{
	size_t len, k;
	const char *p = json_raw(d, i, &len);
	unsigned long cp, lo;

	buf_grow(out, len);
	for (k = 0; k < len; k++) {
		if (p[k] != '\\') {
			buf_addc(out, p[k]);
			continue;
		}
		k++;
		switch (p[k]) {
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'n': buf_addc(out, '\n'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'u':
			cp = hexval(p + k + 1);
			k += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && k + 6 < len + 0 + 1 &&
			    p[k + 1] == '\\' && p[k + 2] == 'u') {
				lo = hexval(p + k + 3);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				k += 6;
			}
			put_utf8(out, cp);
			break;
		default: buf_addc(out, p[k]); break;
		}
	}
}

/* Number token p (len bytes), when it has no exponent and at most 18
 * digits: those digits as one integer *m, how many come before the
 * point (*whole) and after it (*frac); false for any other number. The
 * shortcuts of json_number and json_micro read this; inline in each, as
 * a call cost group 1% of its instructions. */
static inline bool
plain_decimal(const char *p, size_t len, uint64_t *m, int *whole, int *frac)
{
	size_t k = len > 0 && p[0] == '-';
	int digits = 0, point = -1;   /* point: digits before the '.' */
	uint64_t v = 0;

	for (; k < len; k++) {
		if (p[k] >= '0' && p[k] <= '9') {
			if (++digits > 18)
				return false;
			v = v * 10 + (uint64_t)(p[k] - '0');
		} else if (p[k] == '.' && point < 0) {
			point = digits;
		} else {
			return false;   /* an exponent */
		}
	}
	*m = v;
	*whole = point < 0 ? digits : point;
	*frac = digits - *whole;
	return *whole > 0;
}

/* Number token p (len bytes) exactly, when it is the common kind: at
 * most 15 digits and no exponent. Its digits as an integer m (exact
 * below 2^53) over 10^f for f fraction digits (exact up to 10^22): one
 * division, correctly rounded, which is the double nearest the number,
 * as strtod gives it (Clinger's fast path). */
static bool
short_decimal(const char *p, size_t len, double *out)
{
	static const double pow10[16] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15
	};
	uint64_t m;
	int whole, frac;
	double v;

	if (!plain_decimal(p, len, &m, &whole, &frac) || whole + frac > 15)
		return false;
	v = (double)m / pow10[frac];
	*out = p[0] == '-' ? -v : v;
	return true;
}

double
json_number(const struct json_doc *d, int i)
{
	char tmp[64];
	size_t len;
	const char *p = json_raw(d, i, &len);
	char *copy;
	double v;

	if (short_decimal(p, len, &v))
		return v;
	if (len < sizeof(tmp)) {
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		return strtod(tmp, NULL);
	}
	copy = oak_strndup(p, len);
	v = strtod(copy, NULL);
	free(copy);
	return v;
}

int
json_int64(const struct json_doc *d, int i, int64_t *out)
{
	size_t len, k;
	const char *p;
	bool neg;
	uint64_t v = 0;

	if (!json_is_number(d, i))
		return -1;
	p = json_raw(d, i, &len);
	neg = p[0] == '-';
	for (k = neg; k < len; k++) {
		if (p[k] < '0' || p[k] > '9')
			return -1;
		if (v > (UINT64_C(1) << 63) / 10)
			return -1;
		v = v * 10 + (uint64_t)(p[k] - '0');
	}
	if (v > (uint64_t)INT64_MAX + neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* The exponent digits p[0..len) (a sign first, maybe) as a long,
 * saturated at +-10000: read within their length, never past it. */
static long
exponent_within(const char *p, size_t len)
{
	size_t k = 0;
	bool neg = false;
	long e = 0;

	if (k < len && (p[k] == '+' || p[k] == '-'))
		neg = p[k++] == '-';
	for (; k < len && p[k] >= '0' && p[k] <= '9'; k++)
		if (e < 10000)
			e = e * 10 + (p[k] - '0');
	return neg ? -e : e;
}

/* json_micro's common case: an integer part of at most 12 digits, at
 * most 6 fraction digits and no exponent, which scale to millionths
 * exactly, with nothing to round. False for any other number. */
static bool
short_micro(const char *p, size_t len, int64_t *out)
{
	static const int64_t scale[7] = {
		1000000, 100000, 10000, 1000, 100, 10, 1
	};
	uint64_t m;
	int whole, frac;
	int64_t v;

	if (!plain_decimal(p, len, &m, &whole, &frac) || whole > 12 ||
	    frac > 6)
		return false;
	v = (int64_t)m * scale[frac];
	*out = p[0] == '-' ? -v : v;
	return true;
}

int
json_micro(const struct json_doc *d, int i, int64_t *out)
{
	char digit[40];
	size_t len, k, nd = 0;
	const char *p;
	bool neg, seen_nonzero = false, sticky = false, frac = false;
	long exp10 = 0, e = 0, shift;
	uint64_t v = 0;
	int round_digit = -1;

	if (!json_is_number(d, i))
		return -1;
	p = json_raw(d, i, &len);
	if (short_micro(p, len, out))
		return 0;
	neg = p[0] == '-';
	/* collect significant digits (at most 40) and the decimal exponent */
	for (k = neg; k < len && p[k] != 'e' && p[k] != 'E'; k++) {
		if (p[k] == '.') {
			frac = true;
		} else if (p[k] == '0' && !seen_nonzero) {
			exp10 -= frac;
		} else if (nd < sizeof(digit)) {
			seen_nonzero = true;
			digit[nd++] = p[k];
			exp10 -= frac;
		} else {
			exp10 += !frac;
			sticky |= p[k] != '0';
		}
	}
	if (k < len)
		e = exponent_within(p + k + 1, len - k - 1);
	if (e > 100 || e < -100)
		return e < 0 ? (*out = 0, 0) : -1;
	shift = exp10 + e + 6;   /* value * 1e6 = digits * 10^shift */
	if (shift >= 0) {
		if ((long)nd + shift > 18)
			return nd == 0 ? (*out = 0, 0) : -1;
		for (k = 0; k < nd; k++)
			v = v * 10 + (uint64_t)(digit[k] - '0');
		for (; shift > 0; shift--)
			v *= 10;
	} else {
		long keep = (long)nd + shift;

		if (keep > 18)
			return -1;
		for (k = 0; (long)k < keep; k++)
			v = v * 10 + (uint64_t)(digit[k] - '0');
		if (keep >= 0 && (size_t)keep < nd) {
			round_digit = digit[keep] - '0';
			for (k = (size_t)keep + 1; k < nd; k++)
				if (digit[k] != '0')
					sticky = true;
		} else if (keep < 0 && nd > 0) {
			sticky = true;   /* far below half a millionth */
			round_digit = 0;
		}
		if (round_digit > 5 || (round_digit == 5 && (sticky || (v & 1))))
			v++;
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}
