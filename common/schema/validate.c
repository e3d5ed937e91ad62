/*
 * validate.c: schema_validate walks an instance's tokens against the
 * compiled nodes (node.h), stops at the first failure and only then
 * builds the message; the instance path is kept in a preallocated stack,
 * so the per-line work allocates nothing once warm. Inside anyOf, oneOf,
 * not, if, contains and propertyNames failures are expected: they run
 * "quiet" and build no message. A valid instance mostly takes a lighter
 * walk first (accepts, at the end), which only says yes or "look again".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema/node.h"


/* Appends a short rendering of instance token i to b. */
static void
describe(struct schema *s, struct buf *b, int i)
{
	size_t len, cut;
	const char *p;
	unsigned t = schema_type_of(s->inst, i);

	if (t == T_OBJECT || t == T_ARRAY) {
		buf_adds(b, t == T_OBJECT ? "object" : "array");
		return;
	}
	p = json_span(s->inst, i, &len);
	if (len <= 64) {
		buf_add(b, p, len);
		return;
	}
	cut = 60;
	while (cut > 0 && ((unsigned char)p[cut] & 0xc0) == 0x80)
		cut--;
	buf_add(b, p, cut);
	buf_adds(b, "...");
}

static bool fail(struct schema *s, int inst, const char *keyword,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records the failure (unless inside anyOf, not, contains, ... where
 * failures are expected) and returns false. With inst >= 0 the message
 * starts with the instance's rendering. */
static bool
fail(struct schema *s, int inst, const char *keyword, const char *fmt, ...)
{
	va_list ap;
	int i;

	if (s->quiet > 0 || s->err->len > 0)
		return false;
	for (i = 0; i < s->depth; i++) {
		if (s->path[i].key >= 0)
			schema_pointer_add_key(s->err, s->inst, s->path[i].key,
					&s->scratch);
		else
			buf_printf(s->err, "/%ld", s->path[i].index);
	}
	if (s->depth > 0)
		buf_adds(s->err, ": ");
	if (inst >= 0) {
		describe(s, s->err, inst);
		buf_addc(s->err, ' ');
	}
	va_start(ap, fmt);
	{
		char msg[512];

		vsnprintf(msg, sizeof(msg), fmt, ap);
		buf_adds(s->err, msg);
	}
	va_end(ap);
	buf_printf(s->err, " (%s)", keyword);
	return false;
}

static bool validate(struct schema *s, const struct node *n, int i);

/* Does instance value i, of type t, have a type node n allows? */
static bool
type_ok(const struct schema *s, const struct node *n, int i, unsigned t)
{
	return n->types == 0 || (n->types & t) ||
	       (t == T_NUMBER && (n->types & T_INTEGER) &&
		schema_is_integer(s->inst, i));
}

/* check of value i against n where a failure is expected: no message. */
static bool
quietly(struct schema *s,
	bool (*check)(struct schema *, const struct node *, int),
	const struct node *n, int i)
{
	bool ok;

	s->quiet++;
	ok = check(s, n, i);
	s->quiet--;
	return ok;
}

static bool
validate_quiet(struct schema *s, const struct node *n, int i)
{
	return quietly(s, validate, n, i);
}

/* validate_step past its fast path. */
static bool
validate_down(struct schema *s, const struct node *n, int i, int key,
	      long index, const char *keyword)
{
	bool ok;

	s->path[s->depth].key = key;
	s->path[s->depth].index = index;
	s->depth++;
	ok = n != NULL ? validate(s, n, i) :
		fail(s, -1, keyword, "%s not allowed",
		     key >= 0 ? "property" : "item");
	s->depth--;
	return ok;
}

/* Validates instance token i one step down the instance path (key
 * token key, or -1 and the index); with n NULL, the step itself is not
 * allowed by keyword. A leaf of "type" alone that the value passes has
 * no step to note, inline (one it fails takes the way down, for the
 * message's path). */
static inline bool
validate_step(struct schema *s, const struct node *n, int i, int key,
	      long index, const char *keyword)
{
	if (n != NULL && n->type_only &&
	    type_ok(s, n, i, schema_type_of(s->inst, i)))
		return true;
	return validate_down(s, n, i, key, index, keyword);
}

static bool
validate_key(struct schema *s, const struct node *n, int key)
{
	return validate_step(s, n, key + 1, key, 0, NULL);
}

static bool
has_key(const struct json_doc *inst, int obj, const struct json_doc *sd,
	int name)
{
	int n, k;

	for (n = tk(inst, obj)->size, k = obj + 1; n > 0; n--) {
		if (schema_str_equal(inst, k, sd, name))
			return true;
		k = json_skip(inst, k + 1);
	}
	return false;
}

/* Does pattern re match string token i? Matched where it lies, or
 * unescaped in scratch when it has escapes. */
static bool
regex_match(struct schema *s, const struct pattern *re, int i)
{
	size_t len;
	const char *p = json_raw(s->inst, i, &len);

	if (memchr(p, '\\', len) == NULL)
		return pattern_match(re, p, len);
	buf_reset(&s->scratch);
	json_unescape(s->inst, i, &s->scratch);
	return pattern_match(re, s->scratch.data, s->scratch.len);
}

static bool key_has_escape(const struct json_doc *d, int k);

/* Does property pr name key (klen bytes) as written? */
static bool
prop_is(const struct prop *pr, const char *key, size_t klen)
{
	return pr->len == klen && (klen == 0 || pr->raw[0] == key[0]) &&
	       oak_bytes_equal(pr->raw, key, klen);
}

/* Index in n->props of instance key k, or -1. Keys are compared as
 * written first; only when none matches and an escape is involved are
 * they compared unescaped. */
static int
find_prop(const struct schema *s, const struct node *n, int k)
{
	const jsmntok_t *t = &s->inst->tok[k];
	size_t klen = (size_t)(t->end - t->start);
	const char *key = s->inst->text + t->start;
	bool bs;
	int j;

	for (j = 0; j < n->nprops; j++)
		if (prop_is(&n->props[j], key, klen))
			return j;
	bs = key_has_escape(s->inst, k);
	for (j = 0; j < n->nprops; j++) {
		const struct prop *pr = &n->props[j];

		if ((bs || pr->escaped) &&
		    schema_str_equal(s->inst, k, n->doc, pr->name))
			return j;
	}
	return -1;
}

/* find_prop, props[hint] tried first and inline: keys mostly come in
 * the schema's order, and the call cost more than that compare. */
static inline int
find_prop_hinted(const struct schema *s, const struct node *n, int k,
		 int hint)
{
	const jsmntok_t *t = &s->inst->tok[k];

	if (hint < n->nprops &&
	    prop_is(&n->props[hint], s->inst->text + t->start,
		    (size_t)(t->end - t->start)))
		return hint;
	return find_prop(s, n, k);
}

static bool
key_has_escape(const struct json_doc *d, int k)
{
	return memchr(d->text + d->tok[k].start, '\\',
		      (size_t)(d->tok[k].end - d->tok[k].start)) != NULL;
}

/* Objects up to this many keys look each key's property up once. */
#define FOUND_MAX 64

/* Index in n->props of each of the object's keys, in found_at (when
 * the object has at most FOUND_MAX keys; else found one by one). */
static int
key_prop(const struct schema *s, const struct node *n, int k, int idx,
	 int count, const int *found_at)
{
	if (n->nprops == 0)
		return -1;
	return count <= FOUND_MAX ? found_at[idx] : find_prop(s, n, k);
}

static bool
validate_required(struct schema *s, const struct node *n, int obj,
		  const int *found_at)
{
	const struct json_doc *d = s->inst, *sd = n->doc;
	int count = tk(d, obj)->size, k, j, idx, found;
	uint64_t seen = 0;
	size_t len;
	const char *p;

	for (idx = 0, k = obj + 1; idx < count; idx++, k = json_skip(d, k + 1))
		if ((found = key_prop(s, n, k, idx, count, found_at)) >= 0 &&
		    found < 64)
			seen |= (uint64_t)1 << found;
	for (j = 0; j < n->nrequired; j++) {
		if (n->required_prop[j] >= 0 ?
		    (seen >> n->required_prop[j]) & 1 :
		    has_key(d, obj, sd, n->required[j]))
			continue;
		p = json_span(sd, n->required[j], &len);
		return fail(s, -1, "required", "missing required property %.*s",
			    (int)len, p);
	}
	return true;
}

/* Key k against properties (found: its index, or -1),
 * patternProperties, additionalProperties and propertyNames. */
static bool
validate_member(struct schema *s, const struct node *n, int k, int found)
{
	bool matched = found >= 0;
	size_t len;
	const char *p;
	int j;

	if (matched && !validate_key(s, n->props[found].schema, k))
		return false;
	for (j = 0; j < n->npprops; j++)
		if (regex_match(s, n->pprops[j].re, k)) {
			matched = true;
			if (!validate_key(s, n->pprops[j].schema, k))
				return false;
		}
	if (!matched && n->additional_props != NULL) {
		if (!validate_step(s, n->additional_props->boolean == 0 ? NULL :
				   n->additional_props, k + 1, k, 0,
				   "additionalProperties"))
			return false;
	}
	if (n->property_names != NULL &&
	    !validate_quiet(s, n->property_names, k)) {
		p = json_span(s->inst, k, &len);
		return fail(s, -1, "propertyNames",
			    "property name %.*s is not allowed", (int)len, p);
	}
	return true;
}

static bool
validate_dependencies(struct schema *s, const struct node *n, int obj)
{
	const struct json_doc *d = s->inst, *sd = n->doc;
	size_t len, qlen;
	const char *p, *q;
	int j, r, m;

	for (j = 0; j < n->ndeps; j++) {
		const struct dep *dp = &n->deps[j];

		if (!has_key(d, obj, sd, dp->name))
			continue;
		if (dp->schema != NULL) {
			if (!validate(s, dp->schema, obj))
				return false;
			continue;
		}
		for (m = tk(sd, dp->required)->size, r = dp->required + 1; m > 0;
		     m--, r = json_skip(sd, r))
			if (!has_key(d, obj, sd, r)) {
				p = json_span(sd, dp->name, &len);
				q = json_span(sd, r, &qlen);
				return fail(s, -1, "dependencies",
					    "property %.*s requires property %.*s",
					    (int)len, p, (int)qlen, q);
			}
	}
	return true;
}

static bool
validate_object(struct schema *s, const struct node *n, int obj)
{
	const struct json_doc *d = s->inst;
	int count = tk(d, obj)->size, k, idx, hint = 0;
	int found_at[FOUND_MAX];

	/* each key's property, found once for both passes below */
	if (count <= FOUND_MAX && n->nprops > 0)
		for (idx = 0, k = obj + 1; idx < count;
		     idx++, k = json_skip(d, k + 1)) {
			found_at[idx] = find_prop_hinted(s, n, k, hint);
			hint = found_at[idx] + 1;
		}
	if (n->nrequired > 0 && !validate_required(s, n, obj, found_at))
		return false;
	if (n->min_props >= 0 && count < n->min_props)
		return fail(s, -1, "minProperties",
			    "object has %d properties, fewer than %ld", count,
			    n->min_props);
	if (n->max_props >= 0 && count > n->max_props)
		return fail(s, -1, "maxProperties",
			    "object has %d properties, more than %ld", count,
			    n->max_props);
	for (idx = 0, k = obj + 1; idx < count; idx++, k = json_skip(d, k + 1))
		if (!validate_member(s, n, k,
				     key_prop(s, n, k, idx, count, found_at)))
			return false;
	return validate_dependencies(s, n, obj);
}

static bool
validate_array(struct schema *s, const struct node *n, int arr)
{
	const struct json_doc *d = s->inst;
	int count = tk(d, arr)->size, k, k2, idx, idx2;
	bool found;

	if (n->min_items >= 0 && count < n->min_items)
		return fail(s, -1, "minItems", "array has %d item%s, fewer than %ld",
			    count, count == 1 ? "" : "s", n->min_items);
	if (n->max_items >= 0 && count > n->max_items)
		return fail(s, -1, "maxItems", "array has %d item%s, more than %ld",
			    count, count == 1 ? "" : "s", n->max_items);
	for (idx = 0, k = arr + 1; idx < count; idx++, k = json_skip(d, k)) {
		const struct node *item = n->items;

		if (n->tuple != NULL)
			item = idx < n->ntuple ? n->tuple[idx] : n->additional_items;
		if (item == NULL)
			continue;
		if (item->boolean == 0 && n->tuple != NULL && idx >= n->ntuple)
			item = NULL;    /* "additionalItems": false */
		if (!validate_step(s, item, k, -1, idx, "additionalItems"))
			return false;
	}
	if (n->contains != NULL) {
		found = false;
		for (idx = 0, k = arr + 1; idx < count && !found;
		     idx++, k = json_skip(d, k))
			found = validate_quiet(s, n->contains, k);
		if (!found)
			return fail(s, -1, "contains",
				    "no item of the array matches the schema");
	}
	if (n->unique)
		for (idx = 0, k = arr + 1; idx < count; idx++, k = json_skip(d, k))
			for (idx2 = idx + 1, k2 = json_skip(d, k); idx2 < count;
			     idx2++, k2 = json_skip(d, k2))
				if (schema_value_equal(d, k, d, k2))
					return fail(s, -1, "uniqueItems",
						    "items %d and %d are equal",
						    idx, idx2);
	return true;
}

static bool
validate_number(struct schema *s, const struct node *n, int i)
{
	double v, q;

	if (n->numflags == 0)
		return true;
	v = json_number(s->inst, i);
	if ((n->numflags & N_MIN) && v < n->minimum)
		return fail(s, i, "minimum", "is less than the minimum of %.17g",
			    n->minimum);
	if ((n->numflags & N_MAX) && v > n->maximum)
		return fail(s, i, "maximum", "is greater than the maximum of %.17g",
			    n->maximum);
	if ((n->numflags & N_XMIN) && v <= n->xminimum)
		return fail(s, i, "exclusiveMinimum", "is not greater than %.17g",
			    n->xminimum);
	if ((n->numflags & N_XMAX) && v >= n->xmaximum)
		return fail(s, i, "exclusiveMaximum", "is not less than %.17g",
			    n->xmaximum);
	if (n->numflags & N_MULT) {
		q = v / n->multiple;
		/* On overflow, v is a multiple when it is an integer and 1/m
		 * is too (every integer is a multiple of 0.5). */
		if (isfinite(q) ? fabs(q - nearbyint(q)) > 1e-9 * fmax(1, fabs(q)) :
		    floor(v) != v || floor(1 / n->multiple) != 1 / n->multiple)
			return fail(s, i, "multipleOf", "is not a multiple of %.17g",
				    n->multiple);
	}
	return true;
}

/* Is string token i valid for n's format (none: yes)? Checked where it
 * lies, or unescaped in scratch when it has escapes. */
static bool
format_ok(struct schema *s, const struct node *n, int i)
{
	size_t len;
	const char *p;

	if (n->format == FORMAT_NONE)
		return true;
	p = json_raw(s->inst, i, &len);
	if (memchr(p, '\\', len) != NULL) {
		buf_reset(&s->scratch);
		json_unescape(s->inst, i, &s->scratch);
		p = s->scratch.data;
		len = s->scratch.len;
	}
	return schema_format_check(n->format, p, len);
}

static bool
validate_string(struct schema *s, const struct node *n, int i)
{
	size_t len, count;
	const char *p;

	if (n->min_len >= 0 || n->max_len >= 0) {
		count = schema_str_codepoints(s->inst, i);
		if (n->min_len >= 0 && count < (size_t)n->min_len)
			return fail(s, i, "minLength",
				    "is shorter than %ld characters", n->min_len);
		if (n->max_len >= 0 && count > (size_t)n->max_len)
			return fail(s, i, "maxLength",
				    "is longer than %ld characters", n->max_len);
	}
	if (n->pattern != NULL && !regex_match(s, n->pattern, i)) {
		p = json_span(n->doc, n->pattern_tok, &len);
		return fail(s, i, "pattern", "does not match %.*s", (int)len, p);
	}
	if (!format_ok(s, n, i))
		return fail(s, i, "format", "is not a valid %s",
			    schema_format_name(n->format));
	return true;
}

/* "number", "number or null", "a, b or c": the types as the schema
 * lists them. */
static void
type_list(const struct node *n, char *out, size_t size)
{
	const struct json_doc *d = n->doc;
	int count, j, k;
	size_t len = 0, nlen;
	const char *name;

	count = json_is_array(d, n->type_tok) ? tk(d, n->type_tok)->size : 1;
	k = json_is_array(d, n->type_tok) ? n->type_tok + 1 : n->type_tok;
	out[0] = '\0';
	for (j = 0; j < count && len < size; j++, k = json_skip(d, k)) {
		name = json_raw(d, k, &nlen);
		len += (size_t)snprintf(out + len, size - len, "%s%.*s",
					j == 0 ? "" : j == count - 1 ? " or " : ", ",
					(int)nlen, name);
	}
}

static bool
validate_combinators(struct schema *s, const struct node *n, int i)
{
	int j, matches;

	for (j = 0; j < n->nall; j++)
		if (!validate(s, n->all_of[j], i))
			return false;
	if (n->nany > 0) {
		for (j = 0; j < n->nany; j++)
			if (validate_quiet(s, n->any_of[j], i))
				break;
		if (j == n->nany)
			return fail(s, i, "anyOf",
				    "does not match any of the allowed schemas");
	}
	if (n->none > 0) {
		for (j = 0, matches = 0; j < n->none && matches < 2; j++)
			matches += validate_quiet(s, n->one_of[j], i);
		if (matches != 1)
			return fail(s, i, "oneOf", matches ?
				    "matches more than one of the schemas" :
				    "does not match any of the schemas");
	}
	if (n->not != NULL && validate_quiet(s, n->not, i))
		return fail(s, i, "not", "matches a schema it must not");
	if (n->if_ != NULL) {
		if (validate_quiet(s, n->if_, i)) {
			if (n->then != NULL && !validate(s, n->then, i))
				return false;
		} else if (n->else_ != NULL && !validate(s, n->else_, i)) {
			return false;
		}
	}
	return true;
}

/* Is instance value i (of type t) one of n's enum values? Plain strings
 * against plain strings compare as written: equal bytes are equal
 * values; a string that matches none as written can still equal one
 * only through an escape of its own. */
static bool
in_enum(const struct schema *s, const struct node *n, int i, unsigned t)
{
	const struct json_doc *sd = n->doc;
	size_t len;
	const char *p;
	int m, e;

	if (n->enum_strs != NULL && t == T_STRING) {
		p = json_raw(s->inst, i, &len);
		for (m = 0; m < n->nenum; m++)
			if (n->enum_strs[m].len == len &&
			    oak_bytes_equal(n->enum_strs[m].raw, p, len))
				return true;
		if (memchr(p, '\\', len) == NULL)
			return false;
	}
	for (m = tk(sd, n->enum_tok)->size, e = n->enum_tok + 1; m > 0;
	     m--, e = json_skip(sd, e))
		if (schema_value_equal(s->inst, i, sd, e))
			return true;
	return false;
}

static bool
validate(struct schema *s, const struct node *n, int i)
{
	unsigned t;
	bool ok;
	char types[128];

	while (n->ref != NULL)
		n = n->ref;
	if (n->boolean >= 0)
		return n->boolean ? true :
			fail(s, i, "false schema", "is not allowed");
	if (s->eval_depth >= MAX_EVAL_DEPTH)
		return fail(s, -1, "$ref", "schema recursion deeper than %d",
			    MAX_EVAL_DEPTH);
	t = schema_type_of(s->inst, i);
	if (!type_ok(s, n, i, t)) {
		type_list(n, types, sizeof(types));
		return fail(s, i, "type", "is not of type %s", types);
	}
	if (n->enum_tok >= 0 && !in_enum(s, n, i, t))
		return fail(s, i, "enum", "is not one of the allowed values");
	if (n->const_tok >= 0 && !schema_value_equal(s->inst, i, n->doc, n->const_tok))
		return fail(s, i, "const", "is not the allowed value");
	s->eval_depth++;
	switch (t) {
	case T_OBJECT: ok = validate_object(s, n, i); break;
	case T_ARRAY: ok = validate_array(s, n, i); break;
	case T_NUMBER: ok = validate_number(s, n, i); break;
	case T_STRING: ok = validate_string(s, n, i); break;
	default: ok = true; break;
	}
	ok = ok && validate_combinators(s, n, i);
	s->eval_depth--;
	return ok;
}

/* ---- the accept-only walk ------------------------------------------ */

/*
 * Most lines are valid, and most schemas' nodes plain (node.h): accepts
 * takes those nodes in one pass over an object's members, with no path,
 * no depth count and no message, and hands any other node to validate,
 * quiet. True: instance value i is valid against n. False: it may not
 * be; schema_validate then walks it again with validate, which decides
 * and says why. It recurses only into the instance's values, whose
 * nesting the parser caps.
 */
static bool accepts(struct schema *s, const struct node *n, int i);

/* Does value i, of type t (one plain node n allows), pass n's enum and,
 * as a string its format, as a number its numeric keywords? */
static bool
leaf_ok(struct schema *s, const struct node *n, int i, unsigned t)
{
	if (n->enum_tok >= 0 && !in_enum(s, n, i, t))
		return false;
	if (t == T_STRING)
		return format_ok(s, n, i);
	return t != T_NUMBER || quietly(s, validate_number, n, i);
}

bool
schema_shape_check(void *ctx, const struct json_shape *self,
		   const struct json_doc *d, int tok)
{
	struct schema *s = ctx;

	s->inst = d;
	return leaf_ok(s, self->arg, tok, schema_type_of(d, tok));
}

/* accepts, a leaf of "type" alone that the value passes inline. */
static inline bool
accepts_step(struct schema *s, const struct node *n, int i)
{
	return (n->type_only && type_ok(s, n, i, schema_type_of(s->inst, i))) ||
	       accepts(s, n, i);
}

static bool
accepts(struct schema *s, const struct node *n, int i)
{
	const struct json_doc *d = s->inst;
	int count, idx, k, found, hint = 0;
	uint64_t seen = 0;
	unsigned t;

	while (n->ref != NULL)
		n = n->ref;
	if (n->boolean >= 0 || !n->plain)
		return n->boolean >= 0 ? n->boolean : validate_quiet(s, n, i);
	t = schema_type_of(d, i);
	if (!type_ok(s, n, i, t) || !leaf_ok(s, n, i, t))
		return false;
	count = tk(d, i)->size;
	if (t == T_ARRAY && n->items != NULL)
		for (idx = 0, k = i + 1; idx < count; idx++, k = json_skip(d, k))
			if (!accepts_step(s, n->items, k))
				return false;
	if (t != T_OBJECT)
		return true;
	for (idx = 0, k = i + 1; idx < count; idx++, k = json_skip(d, k + 1)) {
		found = n->nprops > 0 ? find_prop_hinted(s, n, k, hint) : -1;
		if (found >= 0) {
			hint = found + 1;
			if (found < 64)
				seen |= UINT64_C(1) << found;
			if (!accepts_step(s, n->props[found].schema, k + 1))
				return false;
		} else if (n->additional_props != NULL &&
			   !accepts_step(s, n->additional_props, k + 1)) {
			return false;
		}
	}
	return (seen & n->required_mask) == n->required_mask;
}

/* Sets s to validate inst, failures worded into err. */
static void
begin(struct schema *s, const struct json_doc *inst, struct buf *err)
{
	s->inst = inst;
	s->err = err;
	s->quiet = 0;
	s->depth = 0;
	s->eval_depth = 0;
	buf_reset(err);
}

bool
schema_validate_walk(struct schema *s, const struct json_doc *inst, int tok,
		     struct buf *err)
{
	begin(s, inst, err);
	return validate(s, s->nodes[0], tok);
}

/* accepts leaves the state as it found it (quiet, depths, no message) */
bool
schema_validate(struct schema *s, const struct json_doc *inst, int tok,
		struct buf *err)
{
	begin(s, inst, err);
	return accepts(s, s->nodes[0], tok) || validate(s, s->nodes[0], tok);
}

int
schema_parse(struct schema *s, struct json_doc *d, const char *text,
	     size_t len, const char **why, struct buf *err)
{
	bool conforms;

	if (s == NULL)
		return json_parse(d, text, len, why);
	begin(s, d, err);
	if (json_parse_shaped(d, text, len, schema_shape_of(s->nodes[0]), s,
			      &conforms, why) < 0)
		return -1;
	if (conforms)
		return 0;
	return schema_validate(s, d, 0, err) ? 0 : 1;
}
