/*
 * json/json.h: the JSON layer, above base: strict RFC 8259 reading into
 * jsmn's token layout, in one pass of our own (read.c, strict.c), and
 * writing (write.c), including the one object writer every program uses.
 */
#ifndef OAK_JSON_H
#define OAK_JSON_H

#include <string.h>

#include "base/base.h"

#ifndef JSMN_STRICT
#define JSMN_STRICT
#endif
#ifndef JSMN_PARENT_LINKS
#define JSMN_PARENT_LINKS
#endif
#define JSMN_HEADER
#include <jsmn.h>

/* ---- strict.c ----------------------------------------------------- */
/*
 * Strict RFC 8259 check of one JSON text, plus I-JSON's unique keys:
 * number grammar, escapes, control characters, UTF-8 (no overlongs, no
 * encoded surrogates), lone \u surrogates, nothing after the value,
 * nesting at most JSON_MAX_DEPTH. Returns 0 when the text is valid, else
 * -1 with *why set to a static reason and *at to the byte offset.
 */
#define JSON_MAX_DEPTH 512
int json_strict_check(const char *text, size_t len, const char **why,
		      size_t *at);

/* ---- read.c ------------------------------------------------------- */
/*
 * One parsed JSON text: tokens (jsmn's layout) over the caller's bytes.
 * The token array grows as needed and is reused between calls (no
 * allocation once warm). Token 0 is the root.
 */
struct json_doc {
	const char *text;
	size_t len;
	jsmntok_t *tok;
	int *next;         /* next[i]: the first token after i's subtree */
	int ntok;
	int cap;
};
void json_doc_init(struct json_doc *d);
void json_doc_release(struct json_doc *d);
/*
 * Strict-checks and tokenizes text. Returns 0, or -1 with *why set to a
 * reason fit for a diagnostic ("invalid JSON: ... at column N", "invalid
 * UTF-8 at column N", "UTF-8 byte order mark", ...); the reason lives in a
 * static buffer until the next call.
 */
int json_parse(struct json_doc *d, const char *text, size_t len,
	       const char **why);
/*
 * json_parse of one input line; when it fails, the line is rejected
 * (oak_reject) with the reason, marked "(truncated last line)" when the
 * input ended without a newline, and false is returned.
 */
bool json_parse_line(struct json_doc *d, const char *file,
		     const struct line *ln);
/* json_parse is thread-safe on distinct docs; a thread that used it
 * frees its scratch with json_thread_release before it ends. */
void json_thread_release(void);
/* Index of the first token after the subtree rooted at i. */
static inline int
json_skip(const struct json_doc *d, int i)
{
	return d->next[i];
}
/* Is string token i of d, as written, the klen bytes at key? Every key
 * lookup and the duplicate-key checks compare this way; always inline,
 * or gcc stops inlining json_get into the per-line readers (+8% of
 * group's instructions when it did). */
static inline __attribute__((always_inline)) bool
json_tok_is(const struct json_doc *d, int i, const char *key, size_t klen)
{
	return (size_t)(d->tok[i].end - d->tok[i].start) == klen &&
	       oak_bytes_equal(d->text + d->tok[i].start, key, klen);
}
/* Value token of key in object token obj, or -1. Keys are compared as
 * written (key must need no escaping); they are unique in a parsed doc. */
static inline int
json_getn(const struct json_doc *d, int obj, const char *key, size_t klen)
{
	int i, end;

	if (obj < 0 || obj >= d->ntok || d->tok[obj].type != JSMN_OBJECT)
		return -1;
	/* keys are unique (json_parse refuses duplicates): the first match
	 * is the only one; inline, a literal key's compare is inline too */
	end = d->tok[obj].size;
	for (i = obj + 1; end-- > 0; i = d->next[i + 1])
		if (json_tok_is(d, i, key, klen))
			return i + 1;
	return -1;
}
static inline int
json_get(const struct json_doc *d, int obj, const char *key)
{
	return json_getn(d, obj, key, strlen(key));
}
/* A key and its length, for lookups made on every line (no strlen). */
struct json_key {
	const char *name;
	size_t len;
};
#define JSON_KEY(s) { s, sizeof(s) - 1 }
/* The values of the n keys in want in object obj, found in one pass
 * over its members (json_getn's compare): out[j] is want[j]'s value
 * token, or -1 (all -1 when obj is not an object). A table of want is
 * kept from one call to the next while its names (where they are) and
 * lengths stay: a caller does not rewrite a name's bytes in place. */
void json_get_keys(const struct json_doc *d, int obj,
		   const struct json_key *want, int n, int *out);
/* Follows a path of keys from obj: json_path(d, 0, "outcome", "status", NULL). */
int json_path(const struct json_doc *d, int obj, ...);
/* Is token i (-1: none) of type t? Inline: the walks of the validator
 * and of group ask it of every value. */
static inline bool
json_is_type(const struct json_doc *d, int i, jsmntype_t t)
{
	return i >= 0 && i < d->ntok && d->tok[i].type == t;
}
static inline bool
json_is_string(const struct json_doc *d, int i)
{
	return json_is_type(d, i, JSMN_STRING);
}
static inline bool
json_is_object(const struct json_doc *d, int i)
{
	return json_is_type(d, i, JSMN_OBJECT);
}
static inline bool
json_is_array(const struct json_doc *d, int i)
{
	return json_is_type(d, i, JSMN_ARRAY);
}
/* A primitive of a parsed doc is a number, true, false or null. */
static inline bool
json_is_number(const struct json_doc *d, int i)
{
	char c;

	if (!json_is_type(d, i, JSMN_PRIMITIVE))
		return false;
	c = d->text[d->tok[i].start];
	return c == '-' || (c >= '0' && c <= '9');
}
bool json_is_null(const struct json_doc *d, int i);
bool json_is_bool(const struct json_doc *d, int i);
bool json_is_true(const struct json_doc *d, int i);
/* Raw bytes of token i (strings without their quotes). */
static inline const char *
json_raw(const struct json_doc *d, int i, size_t *len)
{
	*len = (size_t)(d->tok[i].end - d->tok[i].start);
	return d->text + d->tok[i].start;
}
/* Raw bytes of token i as written, strings with their quotes. */
const char *json_span(const struct json_doc *d, int i, size_t *len);
/* String token equals s (compared raw: s must need no escaping)? */
bool json_streq(const struct json_doc *d, int i, const char *s);
/* Unescaped value of string token i, appended to out (not NUL-counted). */
void json_unescape(const struct json_doc *d, int i, struct buf *out);
/* Number token i as a double (strtod of the raw text). */
double json_number(const struct json_doc *d, int i);
/* Integer token i (no fraction, no exponent) that fits int64: 0, else -1. */
int json_int64(const struct json_doc *d, int i, int64_t *out);
/* Number token i in exact millionths, rounded half to even past the sixth
 * decimal: 0, or -1 when it does not fit an int64. */
int json_micro(const struct json_doc *d, int i, int64_t *out);

/* ---- write.c ------------------------------------------------------ */
/* RFC 8259 string: quotes, escapes \" \\ \b \f \n \r \t, \u00XX below
 * 0x20 and for 0x7f; valid UTF-8 passes through unchanged. */
void jw_string(struct buf *b, const char *s, size_t len);
void jw_cstring(struct buf *b, const char *s);
/* A double as Python's repr writes it: 0.8, 120.0, 0.0, 1e+16, 1e-05.
 * NaN and infinities are written as null (never invalid JSON). */
void jw_double(struct buf *b, double x);
void jw_int(struct buf *b, long long v);
/* x rounded as Python's round(x, places) does, written as jw_double;
 * null for NaN (what cannot be measured). */
void jw_rounded(struct buf *b, double x, int places);
/*
 * The one object writer: jw_key writes the separator (nothing right
 * after '{' or '[', else ", ") then "key": , so
 *   buf_addc(b, '{'); jw_key(b, "a"); jw_int(b, 1);
 *   jw_key(b, "b"); jw_cstring(b, "x"); buf_addc(b, '}');
 * writes {"a": 1, "b": "x"}. jw_sep alone separates array elements.
 */
void jw_sep(struct buf *b);
void jw_key(struct buf *b, const char *key);
void jw_keyn(struct buf *b, const char *key, size_t len);
/* A key as it stood in a JSON text, between its quotes (escapes kept). */
void jw_key_raw(struct buf *b, const char *key, size_t len);
/* Python's round(x, ndigits): the double nearest the correctly rounded
 * decimal of x. */
double py_round(double x, int ndigits);

#endif
