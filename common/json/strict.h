/*
 * json/strict.h: the json layer's own: the one-pass strict tokenizer
 * that read.c runs (strict.c) and the UTF-8 check it shares with the
 * writer (utf8.c).
 */
#ifndef OAK_JSON_STRICT_H
#define OAK_JSON_STRICT_H

#include "json/json.h"

struct json_shape;

/*
 * The strict check of d->text (d->len bytes) that also tokenizes it into
 * d (jsmn's tokens and next[]) and refuses duplicate keys: 0, or -1 with
 * *why a static reason and *at its byte offset (d->ntok is then
 * meaningless). A text that breaks the grammar is refused for that, one
 * that only repeats keys for the first object, in token order, that
 * does. Linear in len. Its value is checked against shape (NULL: none;
 * json/shape.h) with ctx as it is scanned: *unsure set when it may not
 * conform.
 */
int json_strict_tokenize(struct json_doc *d, const struct json_shape *shape,
			 void *ctx, bool *unsure, const char **why, size_t *at);
/* The key of object obj of d that repeats an earlier key (I-JSON), or
 * -1; any_escape: some key may hold a backslash escape. (read.c) */
int json_object_duplicate(const struct json_doc *d, int obj, bool any_escape);
/* The bit of 64 that the duplicate-key sieve gives key token k of d
 * (or the key from byte start to end of text), from its length and its
 * end bytes as written: keys whose bits differ
 * differ as written (an escape can make equal keys look different). */
static inline uint64_t
json_key_bit_of(const char *text, int start, int end)
{
	const unsigned char *u = (const unsigned char *)text;
	unsigned len = (unsigned)(end - start);

	return UINT64_C(1) << ((len * 7 + (len ? u[start] * 3u +
				u[end - 1] : 0)) & 63);
}
static inline uint64_t
json_key_bit(const struct json_doc *d, int k)
{
	return json_key_bit_of(d->text, d->tok[k].start, d->tok[k].end);
}
/* Doubles d's room for tokens (256 at first; read.c). */
void json_doc_grow(struct json_doc *d);
/* Length of the UTF-8 sequence at p (valid: RFC 3629, no overlongs, no
 * encoded surrogates, nothing past U+10FFFF), or 0 when invalid. Inline:
 * the scan and utf8_valid_prefix (utf8.c) share it, and the scan's
 * slow path kept what gcc knew of it in one file. */
static inline size_t
json_utf8_seq(const unsigned char *p, const unsigned char *end)
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
/* Valid UTF-8 (RFC 3629)? Returns the offset of the first bad byte or
 * len (utf8.c). */
size_t utf8_valid_prefix(const char *s, size_t len);

#endif
