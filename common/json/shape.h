/*
 * json/shape.h: a shape a parse checks while it tokenizes (strict.c).
 * A layer above (the schema's) describes what values may be: their
 * types, an object's keys and what each holds, an array's items, and a
 * check of its own for the rest. The tokenizer then says, with the
 * tokens, whether the text conforms for sure; "not sure" is never "does
 * not conform": the caller then checks the tokens its own way, which
 * decides, and words the failure.
 */
#ifndef OAK_JSON_SHAPE_H
#define OAK_JSON_SHAPE_H

#include "json/json.h"

/* The types a shape allows, bits of json_shape.types (the schema
 * layer's T_ bits are these). */
enum {
	JSON_SHAPE_NULL = 1, JSON_SHAPE_BOOLEAN = 2, JSON_SHAPE_OBJECT = 4,
	JSON_SHAPE_ARRAY = 8, JSON_SHAPE_NUMBER = 16, JSON_SHAPE_STRING = 32,
	JSON_SHAPE_INTEGER = 64
};

struct json_shape;

/* A key of an object as written (no escape in it), and its value's
 * shape (NULL: any value); json_shape_key_set fills it. */
struct json_shape_key {
	const char *raw;
	size_t len;
	const struct json_shape *shape;
	/* its first 16 bytes as a text holds them, the closing quote
	 * after them, zeros after that; need: the bits of those bytes
	 * (a key of 16 bytes or more: all) */
	unsigned char head[16];
	unsigned need;
};

struct json_shape {
	bool unsure;      /* a value of this shape: "not sure" */
	unsigned types;   /* JSON_SHAPE_ bits; 0: any type */
	/* an object: its known keys (no two alike), the shape of any other
	 * key's value (NULL: any value), and the first 64 keys' bits that
	 * must be there */
	const struct json_shape_key *keys;
	int nkeys;
	const struct json_shape *other;
	uint64_t required;
	/* an array: its items' shape (NULL: any value) */
	const struct json_shape *items;
	/* the rest, on the value's token once it is whole (NULL: none):
	 * false says "not sure" */
	bool (*check)(void *ctx, const struct json_shape *self,
		      const struct json_doc *d, int tok);
	const void *arg;  /* the check's, for the layer above */
};

/* The JSON_SHAPE_ types a value that starts with byte c may be (a
 * number: either, until its token shows a fraction or exponent). */
static inline unsigned
json_shape_type(unsigned char c)
{
	switch (c) {
	case '"': return JSON_SHAPE_STRING;
	case '{': return JSON_SHAPE_OBJECT;
	case '[': return JSON_SHAPE_ARRAY;
	case 't': case 'f': return JSON_SHAPE_BOOLEAN;
	case 'n': return JSON_SHAPE_NULL;
	default: return JSON_SHAPE_NUMBER | JSON_SHAPE_INTEGER;
	}
}

static inline void
json_shape_key_set(struct json_shape_key *k, const char *raw, size_t len,
		   const struct json_shape *shape)
{
	size_t n = len < 16 ? len : 16;

	k->raw = raw;
	k->len = len;
	k->shape = shape;
	memset(k->head, 0, sizeof(k->head));
	memcpy(k->head, raw, n);
	if (len < 16)
		k->head[len] = '"';
	k->need = len < 16 ? (1u << (len + 1)) - 1 : 0xffffu;
}

/*
 * json_parse, checking shape as it tokenizes (NULL: none; ctx goes to
 * the checks): *conforms is true when the text is valid JSON and its
 * value conforms to shape for sure, false when not sure.
 */
int json_parse_shaped(struct json_doc *d, const char *text, size_t len,
		      const struct json_shape *shape, void *ctx,
		      bool *conforms, const char **why);

/* json_parse_line (json.h), checking shape: the line is parsed the
 * same, a bad one reported the same; a shape with keys only speeds the
 * tokenizer up where the keys come as it expects them. */
bool json_parse_line_shaped(struct json_doc *d, const char *file,
			    const struct line *ln,
			    const struct json_shape *shape);

#endif
