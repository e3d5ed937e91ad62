/*
 * Unit tests of json_parse_shaped (json/shape.h, strict.c): a shape
 * built by hand, as the schema layer builds them. A text vouched for
 * conforms; anything the scan cannot vouch for is "not sure", never a
 * failure; the tokens and the parse errors are json_parse's.
 */
#include <stdlib.h>

#include "json/shape.h"
#include "unit.h"

static int checks;

/* A string check that refuses "bad" (as a schema's enum or format
 * would) and counts its calls. */
static bool
not_bad(void *ctx, const struct json_shape *self, const struct json_doc *d,
	int tok)
{
	(void)self;
	(*(int *)ctx)++;
	return !json_streq(d, tok, "bad");
}

static struct json_shape integer = { .types = JSON_SHAPE_INTEGER };
static struct json_shape checked = { .types = JSON_SHAPE_STRING,
	.check = not_bad };
static struct json_shape never = { .unsure = true };
static struct json_shape list = { .types = JSON_SHAPE_ARRAY,
	.items = &integer };
static struct json_shape_key keys[4];
static struct json_shape root = { .types = JSON_SHAPE_OBJECT | JSON_SHAPE_NULL,
	.keys = keys, .nkeys = 4, .required = 1 };
/* {"a": integer (required), "b": checked string, "c": [integers],
 * "a_key_of_twenty_bytes": anything}, any other key: anything */
static void
build(void)
{
	json_shape_key_set(&keys[0], "a", 1, &integer);
	json_shape_key_set(&keys[1], "b", 1, &checked);
	json_shape_key_set(&keys[2], "c", 1, &list);
	json_shape_key_set(&keys[3], "a_key_of_twenty_byte", 20, NULL);
}

/* 1: s conforms for sure; 0: not sure; -1: not JSON. The tokens and the
 * verdict on JSON are json_parse's (checked here too). */
static int
shaped(const char *s, const struct json_shape *sh)
{
	static struct json_doc plain, d;
	const char *why, *pwhy;
	bool conforms = false;
	int r = json_parse_shaped(&d, s, strlen(s), sh, &checks, &conforms,
				  &why);
	int p = json_parse(&plain, s, strlen(s), &pwhy);

	if (r != p || (r < 0 && strcmp(why, pwhy) != 0))
		return -2;
	if (r == 0 && (d.ntok != plain.ntok ||
		       memcmp(d.tok, plain.tok, sizeof(*d.tok) *
			      (size_t)d.ntok) != 0 ||
		       memcmp(d.next, plain.next, sizeof(*d.next) *
			      (size_t)d.ntok) != 0))
		return -3;
	return r < 0 ? -1 : conforms;
}

int
main(void)
{
	build();
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"c\": [1, 2]}", &root) == 1);
	CHECK(shaped("null", &root) == 1);
	CHECK(shaped("{\"a\": 1, \"z\": {\"any\": [true]}}", &root) == 1);
	CHECK(shaped("{\"a_key_of_twenty_byte\": 0, \"a\": -7}", &root) == 1);
	/* keys out of the shape's order, and with whitespace */
	CHECK(shaped("{ \"c\" : [ ] , \"b\":\"ok\",\"a\":0 }", &root) == 1);
	/* a key that only starts like one of the shape's */
	CHECK(shaped("{\"a\": 1, \"bb\": 5, \"ab\": \"x\"}", &root) == 1);
	/* not sure: a required key missing, a wrong type, 1.0 and 1e2 for an
	 * integer (a schema calls 1.0 one), the check refusing, an escaped
	 * key, an unsure shape */
	CHECK(shaped("{\"b\": \"ok\"}", &root) == 0);
	CHECK(shaped("{\"a\": \"1\"}", &root) == 0);
	CHECK(shaped("[1]", &root) == 0);
	CHECK(shaped("{\"a\": 1.0}", &root) == 0);
	CHECK(shaped("{\"a\": 1e2}", &root) == 0);
	CHECK(shaped("{\"a\": 1, \"c\": [1, 2.5]}", &root) == 0);
	CHECK(shaped("{\"a\": 1, \"b\": \"bad\"}", &root) == 0);
	CHECK(shaped("{\"\\u0061\": 1}", &root) == 0);
	CHECK(shaped("{\"a\": 1}", &never) == 0);
	/* the key at the end of the text, too short for a 16-byte load */
	CHECK(shaped("{\"b\":\"ok\",\"a\":1}", &root) == 1);
	CHECK(shaped("{\"b\":\"ok\",\"ab\":1}", &root) == 0);
	/* the key the shape expects next, matched as written with no string
	 * scan: longer or shorter than it, cut off inside or right after
	 * it, past 16 bytes, at the text's end */
	CHECK(shaped("{\"a\": 1, \"bc\": 2, \"b\": \"ok\"}", &root) == 1);
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"c\": [], "
		     "\"a_key_of_twenty_byte\": 0}", &root) == 1);
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"c\": [], "
		     "\"a_key_of_twenty_bytes\": 0}", &root) == 1);
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"c\": [], "
		     "\"a_key_of_twenty_byt\": 0}", &root) == 1);
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"c\": [], "
		     "\"a_key_of_twenty_byte", &root) == -1);
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"c\": [], "
		     "\"a_key_of_twenty_byte\"", &root) == -1);
	CHECK(shaped("{\"a", &root) == -1);
	CHECK(shaped("{\"a\"", &root) == -1);
	CHECK(shaped("{\"a\":", &root) == -1);
	CHECK(shaped("{\"a\\u0000\": 1, \"a\": 2}", &root) == 0);
	/* no shape: conforms */
	CHECK(shaped("[1, {\"x\": 2}]", NULL) == 1);
	/* bad JSON is bad JSON, with json_parse's words */
	CHECK(shaped("{\"a\": 1,}", &root) == -1);
	CHECK(shaped("{\"a\": 1, \"a\": 2}", &root) == -1);
	/* a repeat among the shape's keys, among the others, and one an
	 * escape hides */
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\", \"b\": \"ok\"}", &root) == -1);
	CHECK(shaped("{\"a\": 1, \"x\": 1, \"y\": 2, \"x\": 3}", &root) == -1);
	CHECK(shaped("{\"a\": 1, \"\\u0061\": 2}", &root) == -1);
	CHECK(shaped("{\"c\": [], \"a\": 1, \"c\": []}", &root) == -1);
	CHECK(shaped("{\"a\": 01}", &root) == -1);
	checks = 0;
	CHECK(shaped("{\"a\": 1, \"b\": \"ok\"}", &root) == 1 && checks == 1);
	return unit_done();
}
