/*
 * json_strict.c: strict RFC 8259 checks of one JSON text, for what jsmn
 * does not check: the number grammar, string escapes and control
 * characters, UTF-8 (RFC 3629: no overlongs, no encoded surrogates,
 * nothing past U+10FFFF), \u surrogate pairs, separators, and that
 * nothing but whitespace follows the value; nesting capped at
 * JSON_MAX_DEPTH. Two ways in, one verdict (a unit test holds them to
 * it): json_strict_tokens checks over jsmn's tokens, the fast path;
 * json_strict_check walks the bytes with a small recursive descent and
 * says where and why a text fails. Duplicate keys are checked on the
 * tokens, in read.c.
 */
#include <string.h>

#include "json/strict.h"

struct scan {
	const unsigned char *p;
	const unsigned char *end;
	const unsigned char *start;
	const char *why;
	const unsigned char *at;
	int depth;
};

static int scan_value(struct scan *s);

static int
fail(struct scan *s, const char *why)
{
	if (s->why == NULL) {
		s->why = why;
		s->at = s->p;
	}
	return -1;
}

static void
skip_ws(struct scan *s)
{
	while (s->p < s->end &&
	       (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Length of the UTF-8 sequence at p (valid), or 0 when invalid. */
static size_t
utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t need, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

size_t
utf8_valid_prefix(const char *str, size_t len)
{
	const unsigned char *p = (const unsigned char *)str;
	const unsigned char *end = p + len;
	size_t n;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = utf8_seq(p, end);
		if (n == 0)
			break;
		p += n;
	}
	return (size_t)(p - (const unsigned char *)str);
}

static int
hex4(struct scan *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (s->end - s->p < 4)
		return fail(s, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		unsigned char c = s->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return fail(s, "bad \\u escape");
	}
	s->p += 4;
	*out = v;
	return 0;
}

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/*
 * Does the little word w hold a byte a string scan must stop at: a
 * quote, a backslash, a control character or a non-ASCII byte? (The
 * "has zero byte" trick on w, w ^ '"' and w ^ '\\', plus "has byte
 * below 0x20" and the high bits.) The mask returned has the high bit of
 * each such byte; its lowest bit is exact (borrows only move upwards).
 */
static uint64_t
swar_special(uint64_t w)
{
	uint64_t quote = w ^ (ONES * '"'), slash = w ^ (ONES * '\\');

	return (((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) |
		((w - ONES * 0x20) & ~w) | w) & HIGHS;
}

static int
scan_string(struct scan *s)
{
	size_t n;
	unsigned u, lo;

	s->p++; /* opening quote */
	for (;;) {
		/* fast path: eight bytes at a time while none is special */
		while (s->end - s->p >= 8) {
			uint64_t w;

			uint64_t special;

			memcpy(&w, s->p, 8);
			special = swar_special(w);
			if (special != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				/* straight to the first special byte */
				s->p += (unsigned)__builtin_ctzll(special) >> 3;
#endif
				break;
			}
			s->p += 8;
		}
		while (s->p < s->end && *s->p >= 0x20 && *s->p < 0x80 &&
		       *s->p != '"' && *s->p != '\\')
			s->p++;
		if (s->p >= s->end)
			return fail(s, "unterminated string");
		if (*s->p == '"') {
			s->p++;
			return 0;
		}
		if (*s->p < 0x20)
			return fail(s, "control character in string");
		if (*s->p >= 0x80) {
			n = utf8_seq(s->p, s->end);
			if (n == 0)
				return fail(s, "invalid UTF-8");
			s->p += n;
			continue;
		}
		/* backslash */
		s->p++;
		if (s->p >= s->end)
			return fail(s, "unterminated string");
		switch (*s->p) {
		case '"': case '\\': case '/': case 'b':
		case 'f': case 'n': case 'r': case 't':
			s->p++;
			break;
		case 'u':
			s->p++;
			if (hex4(s, &u) < 0)
				return -1;
			if (u >= 0xdc00 && u <= 0xdfff)
				return fail(s, "lone low surrogate in \\u escape");
			if (u >= 0xd800 && u <= 0xdbff) {
				if (s->end - s->p < 6 || s->p[0] != '\\' ||
				    s->p[1] != 'u')
					return fail(s, "lone high surrogate in \\u escape");
				s->p += 2;
				if (hex4(s, &lo) < 0)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return fail(s, "lone high surrogate in \\u escape");
			}
			break;
		default:
			return fail(s, "bad escape in string");
		}
	}
}

static int
scan_number(struct scan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p >= s->end)
		return fail(s, "bad number");
	if (*s->p == '0') {
		s->p++;
	} else if (*s->p >= '1' && *s->p <= '9') {
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	} else {
		return fail(s, "bad number");
	}
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (s->p >= s->end || *s->p < '0' || *s->p > '9')
			return fail(s, "bad number: digit expected after '.'");
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (s->p >= s->end || *s->p < '0' || *s->p > '9')
			return fail(s, "bad number: digit expected in exponent");
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (s->p < s->end && ((*s->p >= '0' && *s->p <= '9') ||
			      *s->p == '.' || *s->p == 'e' || *s->p == 'E' ||
			      *s->p == '+' || *s->p == '-'))
		return fail(s, "bad number");
	return 0;
}

static int
scan_literal(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return fail(s, "unexpected character");
	s->p += n;
	return 0;
}

static int
scan_container(struct scan *s, unsigned char close)
{
	bool object = close == '}';

	if (++s->depth > JSON_MAX_DEPTH)
		return fail(s, "nesting deeper than 512");
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (object) {
			if (s->p >= s->end)
				return fail(s, "unterminated object");
			if (*s->p != '"')
				return fail(s, "object key must be a string");
			if (scan_string(s) < 0)
				return -1;
			skip_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return fail(s, "':' expected after object key");
			s->p++;
			skip_ws(s);
		}
		if (scan_value(s) < 0)
			return -1;
		skip_ws(s);
		if (s->p >= s->end)
			return fail(s, object ? "unterminated object" :
					       "unterminated array");
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p == close) {
			s->p++;
			s->depth--;
			return 0;
		}
		return fail(s, object ? "',' or '}' expected" :
				       "',' or ']' expected");
	}
}

static int
scan_value(struct scan *s)
{
	if (s->p >= s->end)
		return fail(s, "value expected");
	switch (*s->p) {
	case '{':
		return scan_container(s, '}');
	case '[':
		return scan_container(s, ']');
	case '"':
		return scan_string(s);
	case 't':
		return scan_literal(s, "true");
	case 'f':
		return scan_literal(s, "false");
	case 'n':
		return scan_literal(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return scan_number(s);
		if (*s->p >= 0x80 && utf8_seq(s->p, s->end) == 0)
			return fail(s, "invalid UTF-8");
		return fail(s, "unexpected character");
	}
}

int
json_strict_check(const char *text, size_t len, const char **why, size_t *at)
{
	struct scan s;

	s.start = s.p = (const unsigned char *)text;
	s.end = s.p + len;
	s.why = NULL;
	s.at = NULL;
	s.depth = 0;
	skip_ws(&s);
	if (scan_value(&s) == 0) {
		skip_ws(&s);
		if (s.p == s.end)
			return 0;
		fail(&s, "unexpected data after the value");
	}
	*why = s.why;
	*at = (size_t)(s.at - s.start);
	return -1;
}

/*
 * The same checks over jsmn's tokens, for texts jsmn has tokenized: every
 * byte between tokens must be whitespace around exactly the separator the
 * structure wants (',' between members, ':' after a key, the closing
 * bracket), every string and primitive token must scan as above, and
 * nesting stays within JSON_MAX_DEPTH. What the tokens cover is checked
 * by the scanners above, so this accepts exactly what json_strict_check
 * accepts, at a fraction of the cost; next[] is filled on the way.
 */
struct walk {
	struct scan s;
	const jsmntok_t *tok;
	int ntok;
	int *next;
	bool plain;        /* no backslash, control or non-ASCII byte at all */
};

/*
 * The exact depth of the text, strings minded, up to JSON_MAX_DEPTH + 1
 * (the scan stops there). Unbalanced closing brackets count as nothing:
 * such a text fails jsmn at once.
 */
static bool
depth_within(const unsigned char *p, size_t len)
{
	size_t i;
	int depth = 0;
	bool in_string = false;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = false;
		} else if (p[i] == '"') {
			in_string = true;
		} else if (p[i] == '[' || p[i] == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return false;
		} else if ((p[i] == ']' || p[i] == '}') && depth > 0) {
			depth--;
		}
	}
	return true;
}

/* The high bit of each byte of w that is '[' or '{' (0x5b, 0x7b: equal
 * once 0x20 is set), exactly: no borrow crosses a byte. */
static uint64_t
swar_opens(uint64_t w)
{
	uint64_t x = (w | (ONES * 0x20)) ^ (ONES * 0x7b);
	uint64_t low7 = ONES * 0x7f;

	return ~(((x & low7) + low7) | x | low7);
}

int
json_prescan(const char *text, size_t len, bool *plain)
{
	const unsigned char *p = (const unsigned char *)text;
	const unsigned char *end = p + len;
	uint64_t w, slash, bad = 0;
	size_t opens = 0;

	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		slash = w ^ (ONES * '\\');
		bad |= ((slash - ONES) & ~slash) | ((w - ONES * 0x20) & ~w) | w;
		/* one bit a byte at most: the bytes of the mask's low bits
		 * summed by a multiply (popcount without -mpopcnt is a call) */
		opens += (size_t)(((swar_opens(w) >> 7) * ONES) >> 56);
	}
	*plain = (bad & HIGHS) == 0;
	for (; p < end; p++) {
		if (*p < 0x20 || *p >= 0x80 || *p == '\\')
			*plain = false;
		opens += *p == '[' || *p == '{';
	}
	if (opens <= JSON_MAX_DEPTH)
		return 0;
	return depth_within((const unsigned char *)text, len) ? 0 : -1;
}

static const unsigned char *
tok_begin(const struct walk *w, int i)
{
	return w->s.start + w->tok[i].start - (w->tok[i].type == JSMN_STRING);
}

static const unsigned char *
tok_end(const struct walk *w, int i)
{
	return w->s.start + w->tok[i].end + (w->tok[i].type == JSMN_STRING);
}

/* Is [from, to) whitespace around sep (around nothing when sep is 0)? */
static bool
gap_ok(const unsigned char *from, const unsigned char *to, unsigned char sep)
{
	if (from > to)
		return false;
	while (from < to && (*from == ' ' || *from == '\t' || *from == '\n' ||
			     *from == '\r'))
		from++;
	if (sep != 0) {
		if (from >= to || *from != sep)
			return false;
		from++;
		while (from < to && (*from == ' ' || *from == '\t' ||
				     *from == '\n' || *from == '\r'))
			from++;
	}
	return from == to;
}

/* Checks token i and its subtree; the index after it, or -1. */
static int
walk_value(struct walk *w, int i, int depth)
{
	const jsmntok_t *t;
	const unsigned char *pos, *close;
	bool object;
	int j, k;

	if (i >= w->ntok)
		return -1;
	t = &w->tok[i];
	switch (t->type) {
	case JSMN_STRING:
		w->s.p = tok_begin(w, i);
		if (*w->s.p != '"')
			return -1;
		if (w->plain) {
			if (tok_end(w, i)[-1] != '"')
				return -1;
		} else if (scan_string(&w->s) < 0 || w->s.p != tok_end(w, i)) {
			return -1;
		}
		w->next[i] = i + 1;
		return i + 1;
	case JSMN_PRIMITIVE:
		w->s.p = tok_begin(w, i);
		if (t->end <= t->start || *w->s.p == '{' || *w->s.p == '[' ||
		    *w->s.p == '"' || scan_value(&w->s) < 0 ||
		    w->s.p != tok_end(w, i))
			return -1;
		w->next[i] = i + 1;
		return i + 1;
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		break;
	default:
		return -1;
	}
	object = t->type == JSMN_OBJECT;
	if (depth + 1 > JSON_MAX_DEPTH || t->end - t->start < 2 ||
	    w->s.start[t->start] != (object ? '{' : '['))
		return -1;
	close = w->s.start + t->end - 1;
	if (*close != (object ? '}' : ']'))
		return -1;
	pos = w->s.start + t->start + 1;
	for (j = i + 1, k = 0; k < t->size; k++) {
		if (j >= w->ntok || w->tok[j].start >= t->end ||
		    !gap_ok(pos, tok_begin(w, j), k > 0 ? ',' : 0))
			return -1;
		if (object) {
			int key = j;

			if (w->tok[key].type != JSMN_STRING ||
			    (j = walk_value(w, key, depth + 1)) < 0 ||
			    j >= w->ntok || w->tok[j].start >= t->end ||
			    !gap_ok(tok_end(w, key), tok_begin(w, j), ':'))
				return -1;
		}
		pos = tok_end(w, j);
		if ((j = walk_value(w, j, depth + 1)) < 0)
			return -1;
	}
	if (!gap_ok(pos, close, 0))
		return -1;
	w->next[i] = j;
	return j;
}

int
json_strict_tokens(const char *text, size_t len, const jsmntok_t *tok,
		   int ntok, int *next, bool plain)
{
	struct walk w;

	w.s.start = w.s.p = (const unsigned char *)text;
	w.s.end = w.s.start + len;
	w.s.why = NULL;
	w.s.at = NULL;
	w.s.depth = 0;
	w.tok = tok;
	w.ntok = ntok;
	w.next = next;
	w.plain = plain;
	if (ntok < 1 || walk_value(&w, 0, 0) != ntok ||
	    !gap_ok(w.s.start, tok_begin(&w, 0), 0) ||
	    !gap_ok(tok_end(&w, 0), w.s.end, 0))
		return -1;
	return 0;
}
