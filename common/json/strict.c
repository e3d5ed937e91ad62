/*
 * strict.c: one pass over a JSON text that checks it strictly (RFC
 * 8259) and, when asked, tokenizes it: the number grammar, string
 * escapes and control characters, UTF-8 (RFC 3629: no overlongs, no
 * encoded surrogates, nothing past U+10FFFF), \u surrogate pairs,
 * separators, and that nothing but whitespace follows the value; nesting
 * capped at JSON_MAX_DEPTH. A small recursive descent, which says where
 * and why a text fails; with a json_doc it also writes jsmn's tokens
 * (type, start, end, size, parent as jsmn's strict mode with parent
 * links writes them; a unit test holds the two to the same tokens) and
 * next[], the first token after each subtree; as each object closes, its
 * keys are checked for a duplicate (I-JSON: json_object_duplicate, in
 * read.c).
 */
#include <limits.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/shape.h"
#include "json/strict.h"

struct scan {
	const unsigned char *p;
	const unsigned char *end;
	const unsigned char *start;
	const char *why;
	const unsigned char *at;
	int depth;
	struct json_doc *doc;  /* the tokens go here; NULL: only check */
	unsigned long backslashes;  /* seen in strings so far: whether any,
				     * and a key's own, by difference */
	int dup_obj, dup_key;  /* the first object (in token order) with a
				* repeated key, and that key; -1: none */
	void *ctx;             /* the shape checks' (json_parse_shaped) */
	bool unsure;           /* a value may not conform to its shape */
};

static int
fail(struct scan *s, const char *why)
{
	if (s->why == NULL) {
		s->why = why;
		s->at = s->p;
	}
	return -1;
}

static inline __attribute__((always_inline)) void
skip_ws(struct scan *s)
{
	while (s->p < s->end && *s->p <= ' ' &&
	       (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
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

/*
 * first_special(p): where, among the STEP bytes at p, the first byte is
 * that a string scan must stop at (a quote, a backslash, a control
 * character or a non-ASCII byte); STEP when there is none. SSE2 (every
 * x86-64) takes 32 bytes at a time, as two halves of 16 (most keys and
 * short values end within the first 32 bytes: one branch, not two; 64
 * measured slower): the signed compare below 0x20 also catches the
 * bytes from 0x80. Else 8 bytes as one word: the "has zero
 * byte" trick on w, w ^ '"' and w ^ '\\', plus "has byte below 0x20"
 * and the high bits; the lowest flagged byte is exact on a little-endian
 * machine (borrows only move upwards), and on any other a flagged word
 * is left to the byte loop (0).
 */
#if defined(__SSE2__)
#define STEP 32u
static inline unsigned
special16(const unsigned char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
		_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))));
}

static inline unsigned
first_special(const unsigned char *p)
{
	unsigned m = special16(p) | special16(p + 16) << 16;

	return m != 0 ? (unsigned)__builtin_ctz(m) : STEP;
}
#else
#define STEP 8u
#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline unsigned
first_special(const unsigned char *p)
{
	uint64_t w, quote, slash, special;

	memcpy(&w, p, 8);
	quote = w ^ (ONES * '"');
	slash = w ^ (ONES * '\\');
	special = (((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) |
		   ((w - ONES * 0x20) & ~w) | w) & HIGHS;
	if (special == 0)
		return STEP;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (unsigned)__builtin_ctzll(special) >> 3;
#else
	return 0;
#endif
}
#endif

/* The rest of a string, from s->p: to its closing quote, with every
 * escape and UTF-8 sequence checked. */
static int
scan_string_rest(struct scan *s)
{
	size_t n;
	unsigned u, lo;

	for (;;) {
		/* fast path: STEP bytes at a time, to the first special */
		while (s->end - s->p >= STEP) {
			unsigned at = first_special(s->p);

			s->p += at;
			if (at < STEP)
				break;
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
			n = json_utf8_seq(s->p, s->end);
			if (n == 0)
				return fail(s, "invalid UTF-8");
			s->p += n;
			continue;
		}
		/* backslash */
		s->backslashes++;
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

/* A string at s->p. Inline, the most common one: its first special byte
 * within 64 bytes is its closing quote (a key, a date, an id); else
 * scan_string_rest goes on from that byte. */
static inline int
scan_string(struct scan *s)
{
	unsigned k, at;

	s->p++; /* opening quote */
	for (k = 0; k < 64 / STEP && s->end - s->p >= STEP; k++) {
		at = first_special(s->p);
		s->p += at;
		if (at == STEP)
			continue;
		if (*s->p == '"') {
			s->p++;
			return 0;
		}
		break;
	}
	return scan_string_rest(s);
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

static inline int
scan_literal(struct scan *s, const char *word, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return fail(s, "unexpected character");
	s->p += n;
	return 0;
}

/* ---- tokens ------------------------------------------------------ */

/* A new token of type from byte start to end (-1: a container, whose end
 * done() sets), of size members, under parent: its index; -1, and no
 * token, when only checking. A scalar is put once it is scanned, whole;
 * a container as it opens, before its members. */
static inline int
put(struct scan *s, jsmntype_t type, int start, int end, int size,
    int parent)
{
	struct json_doc *d = s->doc;
	jsmntok_t *t;

	if (d == NULL)
		return -1;
	if (d->ntok == d->cap)
		json_doc_grow(d);
	t = &d->tok[d->ntok];
	t->type = type;
	t->start = start;
	t->end = end;
	t->size = size;
	t->parent = parent;
	d->next[d->ntok] = d->ntok + 1;
	return d->ntok++;
}

/* Container token i ends at the scan's place, and its subtree before
 * the next token; it has members. */
static void
done(struct scan *s, int i, int members)
{
	if (i < 0)
		return;
	s->doc->tok[i].end = (int)(s->p - s->start);
	s->doc->tok[i].size = members;
	s->doc->next[i] = s->doc->ntok;
}

/* A string token (without its quotes) under parent, of size (1 for a
 * key), its index in *i (-1 when only checking): 0, or -1 when the
 * string is bad. */
static inline __attribute__((always_inline)) int
string_token(struct scan *s, int parent, int size, int *i)
{
	int start = (int)(s->p - s->start) + 1;

	if (scan_string(s) < 0)
		return -1;
	*i = put(s, JSMN_STRING, start, (int)(s->p - s->start) - 1, size,
		 parent);
	return 0;
}

/* Notes the first key of object self that repeats an earlier one, when
 * self comes before the object noted so far (objects close inner
 * first; the verdict names the first in token order). */
static void
check_keys(struct scan *s, int self)
{
	int dup;

	if (s->doc->tok[self].size < 2 ||
	    (s->dup_obj >= 0 && s->dup_obj < self))
		return;
	dup = json_object_duplicate(s->doc, self, s->backslashes != 0);
	if (dup >= 0) {
		s->dup_obj = self;
		s->dup_key = dup;
	}
}

/* The first keys of an object the sieve remembers, to tell a repeat
 * from two keys that only share a bit. */
#define SIEVE_KEYS 16

/* Does key token k (no escape) repeat one of the n earlier keys of its
 * object in keys, as written? */
static bool
key_repeats(const struct json_doc *d, const int *keys, int n, int k)
{
	const jsmntok_t *t = &d->tok[k];
	int j;

	for (j = 0; j < n; j++)
		if (json_tok_is(d, keys[j], d->text + t->start,
				(size_t)(t->end - t->start)))
			return true;
	return false;
}

/* Past the opening bracket at s->p and any whitespace: 1 when the
 * container closes at once (past close), 0 when members follow, -1 when
 * it nests too deep. */
static inline int
open_container(struct scan *s, unsigned char close)
{
	if (++s->depth > JSON_MAX_DEPTH)
		return fail(s, "nesting deeper than 512");
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 1;
	}
	return 0;
}

/* After a member of an object (close '}') or array (']'): 1 when
 * another follows (past the comma), 0 when the container closes (past
 * close), -1 when neither does. */
static inline __attribute__((always_inline)) int
member_end(struct scan *s, unsigned char close)
{
	if (s->end - s->p >= 2 && s->p[0] == ',' && s->p[1] == ' ') {
		s->p += 2;   /* ", " the common way */
		return 1;
	}
	skip_ws(s);
	if (s->p >= s->end)
		return fail(s, close == '}' ? "unterminated object" :
					      "unterminated array");
	if (*s->p == ',') {
		s->p++;
		return 1;
	}
	if (*s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	return fail(s, close == '}' ? "',' or '}' expected" :
				      "',' or ']' expected");
}

static int scan_object(struct scan *s, int self);
static int scan_array(struct scan *s, int self);
static int scan_object_shaped(struct scan *s, int self,
			      const struct json_shape *sh);
static int scan_array_shaped(struct scan *s, int self,
			     const struct json_shape *sh);

/* A scalar at s->p scanned by scan, as one primitive token. */
static inline __attribute__((always_inline)) int
primitive(struct scan *s, int parent, int (*scan)(struct scan *))
{
	int start = (int)(s->p - s->start);

	if (scan(s) < 0)
		return -1;
	put(s, JSMN_PRIMITIVE, start, (int)(s->p - s->start), 0, parent);
	return 0;
}

static int scan_true(struct scan *s) { return scan_literal(s, "true", 4); }
static int scan_false(struct scan *s) { return scan_literal(s, "false", 5); }
static int scan_null(struct scan *s) { return scan_literal(s, "null", 4); }

/* ---- shapes (json/shape.h): a value is checked against its shape as
 * it is scanned; anything the scan cannot vouch for sets s->unsure ---- */

/* The shape the value starting with byte c is scanned with: sh; or
 * NULL, "not sure", when sh is or c's type is not one sh allows. */
static inline const struct json_shape *
shape_enter(struct scan *s, const struct json_shape *sh, unsigned char c)
{
	if (sh->unsure || (sh->types != 0 && (sh->types & json_shape_type(c)) == 0)) {
		s->unsure = true;
		return NULL;
	}
	return sh;
}

/* Token i, of shape sh, is whole: a number that only a shape of
 * integers allows has no fraction or exponent (else "not sure": 1.0 is
 * an integer to a schema), and sh's own check passes. */
static void
shape_leave(struct scan *s, const struct json_shape *sh, int i)
{
	const jsmntok_t *t = &s->doc->tok[i];
	const char *p = s->doc->text + t->start, *end = s->doc->text + t->end;

	if ((sh->types & (JSON_SHAPE_NUMBER | JSON_SHAPE_INTEGER)) ==
	    JSON_SHAPE_INTEGER && t->type == JSMN_PRIMITIVE)
		for (; p < end; p++)
			if (*p == '.' || *p == 'e' || *p == 'E')
				s->unsure = true;
	if (sh->check != NULL && !sh->check(s->ctx, sh, s->doc, i))
		s->unsure = true;
}

/* The value at s->p under parent. Inline in each container's loop: a
 * scalar costs no call; a container calls its own scan. */
static inline __attribute__((always_inline)) int
scan_value(struct scan *s, int parent)
{
	int i;
	unsigned char c;

	if (s->p >= s->end)
		return fail(s, "value expected");
	c = *s->p;
	if (c == '"')
		return string_token(s, parent, 0, &i);
	if (c == '{' || c == '[') {
		i = put(s, c == '{' ? JSMN_OBJECT : JSMN_ARRAY,
			(int)(s->p - s->start), -1, 0, parent);
		return c == '{' ? scan_object(s, i) : scan_array(s, i);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return primitive(s, parent, scan_number);
	if (c == 't')
		return primitive(s, parent, scan_true);
	if (c == 'f')
		return primitive(s, parent, scan_false);
	if (c == 'n')
		return primitive(s, parent, scan_null);
	if (c >= 0x80 && json_utf8_seq(s->p, s->end) == 0)
		return fail(s, "invalid UTF-8");
	return fail(s, "unexpected character");
}

/* scan_value, of shape sh (NULL: none): a container of a shape is
 * scanned with it; a value's token is the first its scan puts. */
static inline __attribute__((always_inline)) int
scan_value_shaped(struct scan *s, int parent, const struct json_shape *sh)
{
	int i = s->doc->ntok, r;
	unsigned char c;

	if (sh == NULL || s->p >= s->end ||
	    (sh = shape_enter(s, sh, *s->p)) == NULL)
		return scan_value(s, parent);
	c = *s->p;
	if (c == '{' || c == '[') {
		put(s, c == '{' ? JSMN_OBJECT : JSMN_ARRAY,
		    (int)(s->p - s->start), -1, 0, parent);
		r = c == '{' ? scan_object_shaped(s, i, sh) :
			       scan_array_shaped(s, i, sh);
	} else {
		r = scan_value(s, parent);
	}
	if (r == 0 && (sh->check != NULL ||
		       (sh->types & (JSON_SHAPE_NUMBER | JSON_SHAPE_INTEGER)) ==
		       JSON_SHAPE_INTEGER))
		shape_leave(s, sh, i);
	return r;
}

/* The duplicate-key sieve of one object (scan_object), and what its
 * shape found. */
struct sieve {
	uint64_t seen;          /* the json_key_bits of its keys so far */
	int keys[SIEVE_KEYS];   /* its first keys */
	int nkeys;
	bool recheck;           /* check_keys as it closes */
	uint64_t found;         /* the bits of its shape's keys it has */
	int hint;               /* the shape's key after the last found */
};

/* Is the key at q (past its opening quote) k as written, its closing
 * quote right after? A key the scan has found unescaped is k exactly
 * when this holds: k holds no quote. SSE2 compares the first 16 bytes
 * and the quote after a shorter k at once, when the text has 16 bytes
 * from q on. */
static inline bool
key_written_at(const struct scan *s, const struct json_shape_key *k,
	       const unsigned char *q)
{
#if defined(__SSE2__)
	if (s->end - q >= 16 && k->len < 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)
					    k->head);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, w));

		return (m & k->need) == k->need;
	}
#endif
	return (size_t)(s->end - q) > k->len && q[k->len] == '"' &&
	       oak_bytes_equal(k->raw, (const char *)q, k->len);
}

/* The member's key is sh's key j: noted in sv (and the key after it
 * tried first next); its value's shape. *known: j is one of the
 * shape's first 64 keys, whose repeat shows in sv->found, and the key
 * need not pass the sieve: no other key can equal it as written. */
static inline const struct json_shape *
key_found(const struct json_shape *sh, struct sieve *sv, int j, bool *known)
{
	uint64_t bit;

	sv->hint = j + 1;
	if (j < 64) {
		bit = UINT64_C(1) << j;
		sv->recheck |= (sv->found & bit) != 0;
		sv->found |= bit;
		*known = true;
	}
	return sh->keys[j].shape;
}

/* The shape of the value of the key (no escape in it) from byte start
 * of the text in an object of shape sh, when it is not the one the hint
 * names (key_at_hint tried that): that key's (key_found), or
 * sh->other's. */
static const struct json_shape *
member_shape(const struct scan *s, const struct json_shape *sh,
	     struct sieve *sv, int start, bool *known)
{
	const unsigned char *key = s->start + start;
	int j;

	for (j = 0; j < sh->nkeys && !key_written_at(s, &sh->keys[j], key);
	     j++)
		;
	if (j == sh->nkeys)
		return sh->other;
	return key_found(sh, sv, j, known);
}

/* Is the key at s->p (its opening quote) the key sh's hint names, as
 * written? Then its token is put (its index in *key) and the scan goes
 * past it with no string scan: a shape's key is a whole, valid string
 * as it stands (a schema's property name, strictly parsed, unescaped:
 * no quote, backslash or control character in it, and valid UTF-8). */
static inline bool
key_at_hint(struct scan *s, int self, const struct json_shape *sh,
	    const struct sieve *sv, int *key)
{
	const struct json_shape_key *k;
	int start = (int)(s->p - s->start) + 1;

	if (sv->hint >= sh->nkeys ||
	    !key_written_at(s, k = &sh->keys[sv->hint], s->p + 1))
		return false;
	s->p += k->len + 2;
	*key = put(s, JSMN_STRING, start, start + (int)k->len, 1, self);
	return true;
}

/* The member at s->p of object self (-1: none), of shape sh (NULL:
 * none): its key (a token of size 1, noted in sv), colon and value. An
 * escaped key in a shape: "not sure". */
static inline __attribute__((always_inline)) int
object_member(struct scan *s, int self, struct sieve *sv,
	      const struct json_shape *sh)
{
	unsigned long backslashes = s->backslashes;
	const struct json_shape *vsh = NULL;
	uint64_t bit;
	int key, start = (int)(s->p - s->start) + 1, end;
	bool known = false, escaped = false;

	if (s->p >= s->end)
		return fail(s, "unterminated object");
	if (*s->p != '"')
		return fail(s, "object key must be a string");
	if (sh != NULL && key_at_hint(s, self, sh, sv, &key)) {
		vsh = key_found(sh, sv, sv->hint, &known);
	} else {
		if (string_token(s, self, 1, &key) < 0)
			return -1;
		escaped = s->backslashes != backslashes;
		if (sh != NULL && escaped)
			s->unsure = true;
		else if (sh != NULL)
			vsh = member_shape(s, sh, sv, start, &known);
	}
	end = (int)(s->p - s->start) - 1;
	if (key >= 0 && !known) {
		bit = json_key_bit_of((const char *)s->start, start, end);
		sv->recheck |= escaped ||
			       ((sv->seen & bit) != 0 &&
				(sv->nkeys == SIEVE_KEYS ||
				 key_repeats(s->doc, sv->keys, sv->nkeys, key)));
		sv->seen |= bit;
		if (sv->nkeys < SIEVE_KEYS)
			sv->keys[sv->nkeys++] = key;
	}
	/* ": " the common way, else any whitespace */
	if (s->end - s->p >= 2 && s->p[0] == ':' && s->p[1] == ' ') {
		s->p += 2;
	} else {
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return fail(s, "':' expected after object key");
		s->p++;
	}
	skip_ws(s);
	return sh != NULL ? scan_value_shaped(s, key, vsh) : scan_value(s, key);
}

/* The members of the container at s->p, token self (-1: none): an
 * object's when sv is its sieve (osh its shape), else an array's (ish
 * its items' shape). Inline in each, so that each has a loop of its
 * own. */
static inline __attribute__((always_inline)) int
scan_members(struct scan *s, int self, unsigned char close, struct sieve *sv,
	     const struct json_shape *osh, const struct json_shape *ish)
{
	int members = 0, more;

	if ((more = open_container(s, close)) != 0)
		return more < 0 ? -1 : (done(s, self, 0), 0);
	do {
		skip_ws(s);
		members++;
		if ((sv != NULL ? object_member(s, self, sv, osh) :
		     ish != NULL ? scan_value_shaped(s, self, ish) :
				   scan_value(s, self)) < 0)
			return -1;
	} while ((more = member_end(s, close)) > 0);
	if (more < 0)
		return -1;
	done(s, self, members);
	return 0;
}

static int
scan_array(struct scan *s, int self)
{
	return scan_members(s, self, ']', NULL, NULL, NULL);
}

static int
scan_array_shaped(struct scan *s, int self, const struct json_shape *sh)
{
	return scan_members(s, self, ']', NULL, NULL, sh->items);
}

/* An object's keys are checked for a duplicate as it closes
 * (check_keys) only when one has an escape, or a key shares a
 * json_key_bit with an earlier one and repeats it (or comes after the
 * first SIEVE_KEYS, which are all it is compared with): else none can
 * repeat another. With a shape sh, a key it requires and the object
 * lacks: "not sure". */
static inline __attribute__((always_inline)) int
object_of(struct scan *s, int self, const struct json_shape *sh)
{
	struct sieve sv;

	sv.seen = sv.found = 0;
	sv.nkeys = sv.hint = 0;
	sv.recheck = false;
	if (scan_members(s, self, '}', &sv, sh, NULL) < 0)
		return -1;
	if (self >= 0 && sv.recheck)
		check_keys(s, self);
	if (sh != NULL && (sv.found & sh->required) != sh->required)
		s->unsure = true;
	return 0;
}

static int
scan_object(struct scan *s, int self)
{
	return object_of(s, self, NULL);
}

static int
scan_object_shaped(struct scan *s, int self, const struct json_shape *sh)
{
	return object_of(s, self, sh);
}

/* The one pass: text checked, and tokenized into doc unless NULL, its
 * value checked against shape (NULL: none) with ctx: *unsure set. */
static int
run(struct json_doc *doc, const char *text, size_t len,
    const struct json_shape *shape, void *ctx, bool *unsure,
    const char **why, size_t *at)
{
	struct scan s;

	s.start = s.p = (const unsigned char *)text;
	s.end = s.p + len;
	s.why = NULL;
	s.at = NULL;
	s.depth = 0;
	s.doc = doc;
	s.backslashes = 0;
	s.dup_obj = s.dup_key = -1;
	s.ctx = ctx;
	s.unsure = false;
	skip_ws(&s);
	if ((shape != NULL ? scan_value_shaped(&s, -1, shape) :
			     scan_value(&s, -1)) == 0) {
		skip_ws(&s);
		*unsure = s.unsure;
		if (s.p == s.end && s.dup_key < 0)
			return 0;
		if (s.p == s.end) {   /* at the key's opening quote */
			*why = "duplicate key";
			*at = (size_t)doc->tok[s.dup_key].start - 1;
			return -1;
		}
		fail(&s, "unexpected data after the value");
	}
	*why = s.why;
	*at = (size_t)(s.at - s.start);
	return -1;
}

int
json_strict_check(const char *text, size_t len, const char **why, size_t *at)
{
	bool unsure;

	return run(NULL, text, len, NULL, NULL, &unsure, why, at);
}

int
json_strict_tokenize(struct json_doc *d, const struct json_shape *shape,
		     void *ctx, bool *unsure, const char **why, size_t *at)
{
	d->ntok = 0;
	return run(d, d->text, d->len, shape, ctx, unsure, why, at);
}
