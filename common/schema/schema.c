/*
 * schema.c: JSON Schema draft-07 for oak-validate. schema_compile walks a
 * schema document's tokens once into a graph of nodes (one per subschema
 * reached, memoised by token so $ref cycles close on themselves), with
 * numbers read, patterns regcomp'd and $refs resolved up front.
 * schema_validate then walks an instance's tokens against the graph,
 * stops at the first failure and only then builds the message; the
 * instance path is kept in a preallocated stack, so the per-line work
 * allocates nothing once warm.
 */
#include <fcntl.h>
#include <math.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schema/node.h"

enum {
	T_NULL = 1, T_BOOLEAN = 2, T_OBJECT = 4, T_ARRAY = 8, T_NUMBER = 16,
	T_STRING = 32, T_INTEGER = 64
};
static const char *const type_names[] = {
	"null", "boolean", "object", "array", "number", "string", "integer"
};

enum { N_MIN = 1, N_MAX = 2, N_XMIN = 4, N_XMAX = 8, N_MULT = 16 };

#define MAX_EVAL_DEPTH 4096

struct node;
struct prop {
	int name;             /* key token in the schema document */
	const char *raw;      /* its bytes as written, for a fast compare */
	size_t len;
	bool escaped;         /* has a backslash escape */
	struct node *schema;
};
struct pattern_prop {
	regex_t re;
	struct node *schema;
};
struct dep {
	int name;
	int required;         /* array token of names, or -1 */
	struct node *schema;  /* or NULL */
};

struct node {
	int tok;
	int boolean;          /* -1: an object schema; 0: false; 1: true */
	struct node *ref;
	unsigned types;
	int type_tok;         /* for messages: the names as written */
	int enum_tok, const_tok;
	int *required;        /* name tokens */
	int *required_prop;   /* index in props of the same name, or -1 */
	int nrequired;
	struct prop *props;
	int nprops;
	struct pattern_prop *pprops;
	int npprops;
	struct node *additional_props, *property_names;
	long min_props, max_props;
	struct dep *deps;
	int ndeps;
	struct node *items, **tuple;
	int ntuple;
	struct node *additional_items, *contains;
	long min_items, max_items;
	bool unique;
	unsigned numflags;
	double minimum, maximum, xminimum, xmaximum, multiple;
	long min_len, max_len;
	regex_t *pattern;
	int pattern_tok;
	enum schema_format format;
	struct node **all_of, **any_of, **one_of;
	int nall, nany, none;
	struct node *not, *if_, *then, *else_;
};

struct id_entry {
	char *uri;
	int tok;
};

struct path_step {
	int key;              /* key token, or -1 for an array index */
	long index;
};

struct schema {
	const struct json_doc *doc;
	struct json_doc own_doc;
	char *own_text;
	int root;
	struct node **by_tok;  /* doc->ntok entries */
	struct node **nodes;
	int nnodes, cap_nodes;
	struct id_entry *ids;
	int nids;
	struct buf *cerr;      /* compile error, NULL once compiled */
	struct buf where;      /* compile: pointer of the current subschema */
	/* validation state */
	const struct json_doc *inst;
	struct buf *err;
	struct buf scratch;
	int quiet;
	int eval_depth;
	struct path_step *path;
	int depth;
};

/* ---- small helpers over tokens ---------------------------------- */

static const jsmntok_t *
tk(const struct json_doc *d, int i)
{
	return &d->tok[i];
}

/* Next code point of a JSON string's raw content at *k (escapes decoded). */
static unsigned long
cp_next(const char *p, size_t len, size_t *k)
{
	unsigned char c = (unsigned char)p[*k];
	unsigned long cp, lo;
	int n, i;

	if (c == '\\') {
		char e = p[*k + 1];

		*k += 2;
		switch (e) {
		case 'b': return '\b';
		case 'f': return '\f';
		case 'n': return '\n';
		case 'r': return '\r';
		case 't': return '\t';
		case 'u':
			cp = strtoul((char[5]){p[*k], p[*k + 1], p[*k + 2],
					       p[*k + 3], 0}, NULL, 16);
			*k += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && *k + 6 <= len &&
			    p[*k] == '\\' && p[*k + 1] == 'u') {
				lo = strtoul((char[5]){p[*k + 2], p[*k + 3],
						       p[*k + 4], p[*k + 5], 0},
					     NULL, 16);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				*k += 6;
			}
			return cp;
		default: return (unsigned char)e;
		}
	}
	if (c < 0x80) {
		(*k)++;
		return c;
	}
	n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	cp = c & (0x3f >> (n - 1));
	for (i = 1; i < n && *k + (size_t)i < len; i++)
		cp = (cp << 6) | ((unsigned char)p[*k + (size_t)i] & 0x3f);
	*k += (size_t)n;
	return cp;
}

/* Do two string tokens (of possibly different documents) hold the same
 * characters? */
static bool
str_equal(const struct json_doc *da, int a, const struct json_doc *db, int b)
{
	size_t la, lb, ka = 0, kb = 0;
	const char *pa = json_raw(da, a, &la);
	const char *pb = json_raw(db, b, &lb);

	if (la == lb && memcmp(pa, pb, la) == 0)
		return true;
	if (memchr(pa, '\\', la) == NULL && memchr(pb, '\\', lb) == NULL)
		return false;
	while (ka < la && kb < lb)
		if (cp_next(pa, la, &ka) != cp_next(pb, lb, &kb))
			return false;
	return ka == la && kb == lb;
}

static size_t
str_codepoints(const struct json_doc *d, int i)
{
	size_t len, k = 0, n = 0;
	const char *p = json_raw(d, i, &len);

	while (k < len) {
		cp_next(p, len, &k);
		n++;
	}
	return n;
}

static unsigned
type_of(const struct json_doc *d, int i)
{
	const jsmntok_t *t = tk(d, i);
	char c;

	switch (t->type) {
	case JSMN_OBJECT: return T_OBJECT;
	case JSMN_ARRAY: return T_ARRAY;
	case JSMN_STRING: return T_STRING;
	default: break;
	}
	c = d->text[t->start];
	if (c == 'n')
		return T_NULL;
	if (c == 't' || c == 'f')
		return T_BOOLEAN;
	return T_NUMBER;
}

/* A number with no fractional part ("1.0" too) is an integer. */
static bool
is_integer(const struct json_doc *d, int i)
{
	size_t len, k;
	const char *p = json_raw(d, i, &len);
	double v;

	for (k = 0; k < len && p[k] != '.' && p[k] != 'e' && p[k] != 'E'; k++)
		;
	if (k == len)
		return true;
	v = json_number(d, i);
	return isfinite(v) && floor(v) == v;
}

/* JSON value equality: 1 equals 1.0, key order does not matter. */
static bool
value_equal(const struct json_doc *da, int a, const struct json_doc *db, int b)
{
	unsigned ta = type_of(da, a), tb = type_of(db, b);
	int n, ia, ib, kb, found;
	size_t la, lb;
	const char *pa, *pb;

	if (ta != tb)
		return false;
	switch (ta) {
	case T_STRING:
		return str_equal(da, a, db, b);
	case T_NUMBER:
		pa = json_raw(da, a, &la);
		pb = json_raw(db, b, &lb);
		if (la == lb && memcmp(pa, pb, la) == 0)
			return true;
		return json_number(da, a) == json_number(db, b);
	case T_NULL:
		return true;
	case T_BOOLEAN:
		return da->text[tk(da, a)->start] == db->text[tk(db, b)->start];
	case T_ARRAY:
		if (tk(da, a)->size != tk(db, b)->size)
			return false;
		for (n = tk(da, a)->size, ia = a + 1, ib = b + 1; n > 0; n--) {
			if (!value_equal(da, ia, db, ib))
				return false;
			ia = json_skip(da, ia);
			ib = json_skip(db, ib);
		}
		return true;
	default: /* object */
		if (tk(da, a)->size != tk(db, b)->size)
			return false;
		for (n = tk(da, a)->size, ia = a + 1; n > 0; n--) {
			found = -1;
			for (kb = b + 1; kb < db->ntok &&
			     tk(db, kb)->start < tk(db, b)->end;
			     kb = json_skip(db, kb + 1))
				if (str_equal(da, ia, db, kb)) {
					found = kb + 1;
					break;
				}
			if (found < 0 || !value_equal(da, ia + 1, db, found))
				return false;
			ia = json_skip(da, ia + 1);
		}
		return true;
	}
}

/* ---- compiling ---------------------------------------------------- */

static struct node *compile(struct schema *s, int tok, const char *base);

static bool
compile_error(struct schema *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool
compile_error(struct schema *s, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	if (s->cerr == NULL || s->cerr->len > 0)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(s->cerr, "%s: %s", s->where.len ? s->where.data : "(root)",
		   msg);
	return false;
}

/* Appends "/key" (escaped per RFC 6901) to b. */
static void
pointer_add_key(struct buf *b, const struct json_doc *d, int key,
		struct buf *tmp)
{
	size_t i;

	buf_reset(tmp);
	json_unescape(d, key, tmp);
	buf_addc(b, '/');
	for (i = 0; i < tmp->len; i++) {
		if (tmp->data[i] == '~')
			buf_adds(b, "~0");
		else if (tmp->data[i] == '/')
			buf_adds(b, "~1");
		else
			buf_addc(b, tmp->data[i]);
	}
}

static int
kw(const struct schema *s, int obj, const char *name)
{
	return json_get(s->doc, obj, name);
}

static bool
get_count(struct schema *s, int obj, const char *name, long *out)
{
	int t = kw(s, obj, name);
	double v;

	*out = -1;
	if (t < 0)
		return true;
	v = json_is_number(s->doc, t) ? json_number(s->doc, t) : -1;
	if (v < 0 || floor(v) != v || v > 1e15)
		return compile_error(s, "%s must be a non-negative integer",
				     name);
	*out = (long)v;
	return true;
}

static bool
get_number(struct schema *s, int obj, const char *name, unsigned flag,
	   unsigned *flags, double *out)
{
	int t = kw(s, obj, name);

	if (t < 0)
		return true;
	if (!json_is_number(s->doc, t))
		return compile_error(s, "%s must be a number", name);
	*out = json_number(s->doc, t);
	*flags |= flag;
	return true;
}

/* Compiles subschema tok, reached from the current one by the pointer
 * steps "/k1" (and "/k2" when k2 is not NULL; idx >= 0 for an index). */
static struct node *
sub(struct schema *s, int tok, const char *base, const char *k1, int key,
    long idx)
{
	size_t mark = s->where.len;
	struct buf tmp;
	struct node *n;

	buf_addc(&s->where, '/');
	buf_adds(&s->where, k1);
	if (key >= 0) {
		buf_init(&tmp);
		pointer_add_key(&s->where, s->doc, key, &tmp);
		buf_release(&tmp);
	}
	if (idx >= 0)
		buf_printf(&s->where, "/%ld", idx);
	n = compile(s, tok, base);
	s->where.len = mark;
	s->where.data[mark] = '\0';
	return n;
}

static struct node **
schema_array(struct schema *s, int obj, const char *name, const char *base,
	     int *count)
{
	int t = kw(s, obj, name), i, k;
	struct node **list;

	*count = 0;
	if (t < 0)
		return NULL;
	if (!json_is_array(s->doc, t) || tk(s->doc, t)->size == 0) {
		compile_error(s, "%s must be a non-empty array of schemas", name);
		return NULL;
	}
	list = oak_calloc((size_t)tk(s->doc, t)->size, sizeof(*list));
	for (i = 0, k = t + 1; i < tk(s->doc, t)->size; i++, k = json_skip(s->doc, k))
		if ((list[i] = sub(s, k, base, name, -1, i)) == NULL) {
			free(list);
			return NULL;
		}
	*count = i;
	return list;
}

static struct node *
opt_sub(struct schema *s, int obj, const char *name, const char *base, bool *ok)
{
	int t = kw(s, obj, name);
	struct node *n;

	if (t < 0)
		return NULL;
	n = sub(s, t, base, name, -1, -1);
	if (n == NULL)
		*ok = false;
	return n;
}

/* ---- URIs and $ref ---------------------------------------------- */

/* base + ref per RFC 3986 section 5.2, without dot-segment removal. */
static void
uri_resolve(const char *base, const char *ref, struct buf *out)
{
	const char *p = ref, *hash, *slash, *auth;
	size_t n;

	buf_reset(out);
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9' && p != ref) || *p == '+' ||
	       *p == '-' || *p == '.')
		p++;
	if (*p == ':' && p != ref) {
		buf_adds(out, ref);
		return;
	}
	hash = strchr(base, '#');
	n = hash ? (size_t)(hash - base) : strlen(base);
	if (ref[0] == '#') {
		buf_add(out, base, n);
	} else if (ref[0] == '/' && ref[1] == '/') {
		p = strchr(base, ':');
		if (p != NULL)
			buf_add(out, base, (size_t)(p - base) + 1);
	} else if (ref[0] == '/') {
		auth = strstr(base, "//");
		slash = auth ? strchr(auth + 2, '/') : strchr(base, '/');
		buf_add(out, base, slash ? (size_t)(slash - base) : n);
	} else if (ref[0] != '\0') {
		slash = NULL;
		for (p = base; p < base + n; p++)
			if (*p == '/')
				slash = p;
		if (slash != NULL)
			buf_add(out, base, (size_t)(slash - base) + 1);
	} else {
		buf_add(out, base, n);
	}
	buf_adds(out, ref);
}

/* Records every "$id" with its absolute URI, walking the whole document
 * from tok with the base URI in force there. */
static void
collect_ids(struct schema *s, int tok, const char *base)
{
	const struct json_doc *d = s->doc;
	struct buf uri, raw;
	int id, k, n;

	buf_init(&uri);
	/* An $id beside a $ref is ignored in draft-07, like every sibling. */
	if (json_is_object(d, tok) && json_get(d, tok, "$ref") < 0 &&
	    json_is_string(d, id = json_get(d, tok, "$id"))) {
		buf_init(&raw);
		json_unescape(d, id, &raw);
		buf_addc(&raw, '\0');
		uri_resolve(base, raw.data, &uri);
		buf_release(&raw);
		if (uri.len > 0 && uri.data[uri.len - 1] == '#')
			uri.data[--uri.len] = '\0';
		s->ids = oak_realloc(s->ids, sizeof(*s->ids) * (size_t)(s->nids + 1));
		s->ids[s->nids].uri = oak_strdup(uri.data);
		s->ids[s->nids++].tok = tok;
	} else {
		buf_adds(&uri, base);
	}
	if (json_is_object(d, tok) || json_is_array(d, tok))
		for (n = tk(d, tok)->size, k = tok + 1; n > 0; n--) {
			if (json_is_object(d, tok))
				k++;
			collect_ids(s, k, uri.data);
			k = json_skip(d, k);
		}
	buf_release(&uri);
}

static int
id_lookup(const struct schema *s, const char *uri, size_t len)
{
	int i;

	for (i = 0; i < s->nids; i++)
		if (strlen(s->ids[i].uri) == len &&
		    memcmp(s->ids[i].uri, uri, len) == 0)
			return s->ids[i].tok;
	return -1;
}

static int
hexdigit(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Follows the JSON Pointer ptr (a URI fragment: %-escapes decoded) from
 * token tok. Returns the token, or -1. */
static int
pointer_follow(const struct schema *s, int tok, const char *ptr)
{
	const struct json_doc *d = s->doc;
	struct buf step, key;
	int k, n, found;
	long idx;
	char *end;

	buf_init(&step);
	buf_init(&key);
	while (tok >= 0 && *ptr == '/') {
		buf_reset(&step);
		for (ptr++; *ptr != '\0' && *ptr != '/'; ptr++) {
			if (*ptr == '%' && ptr[1] && ptr[2]) {
				buf_addc(&step, (char)(hexdigit(ptr[1]) * 16 +
						       hexdigit(ptr[2])));
				ptr += 2;
			} else if (*ptr == '~' && (ptr[1] == '0' || ptr[1] == '1')) {
				buf_addc(&step, ptr[1] == '0' ? '~' : '/');
				ptr++;
			} else {
				buf_addc(&step, *ptr);
			}
		}
		buf_addc(&step, '\0');
		step.len--;
		found = -1;
		if (json_is_object(d, tok)) {
			for (n = tk(d, tok)->size, k = tok + 1; n > 0; n--) {
				buf_reset(&key);
				json_unescape(d, k, &key);
				if (key.len == step.len &&
				    memcmp(key.data, step.data, key.len) == 0)
					found = k + 1;
				k = json_skip(d, k + 1);
			}
		} else if (json_is_array(d, tok)) {
			idx = strtol(step.data, &end, 10);
			if (*end == '\0' && step.len > 0 && idx >= 0 &&
			    idx < tk(d, tok)->size)
				for (found = tok + 1; idx > 0; idx--)
					found = json_skip(d, found);
		}
		tok = found;
	}
	buf_release(&step);
	buf_release(&key);
	return tok;
}

static struct node *
resolve_ref(struct schema *s, int ref, const char *base)
{
	struct buf raw, uri;
	const char *hash;
	int target = -1, res;
	struct node *n = NULL;

	buf_init(&raw);
	buf_init(&uri);
	json_unescape(s->doc, ref, &raw);
	buf_addc(&raw, '\0');
	uri_resolve(base, raw.data, &uri);
	hash = strchr(uri.data, '#');
	if (hash == NULL || hash[1] == '\0') {
		target = id_lookup(s, uri.data, hash ? (size_t)(hash - uri.data) :
						       uri.len);
		if (target < 0 && (hash ? hash == uri.data : uri.len == 0))
			target = s->root;
	} else if (hash[1] == '/') {
		res = hash == uri.data ? s->root :
			id_lookup(s, uri.data, (size_t)(hash - uri.data));
		if (res < 0 && s->nids > 0 && strcmp(s->ids[0].uri, "") != 0 &&
		    s->ids[0].tok == s->root &&
		    strncmp(uri.data, s->ids[0].uri, (size_t)(hash - uri.data)) == 0)
			res = s->root;
		if (res >= 0)
			target = pointer_follow(s, res, hash + 1);
	} else {
		target = id_lookup(s, uri.data, uri.len);
	}
	if (target < 0)
		compile_error(s, "$ref \"%s\" cannot be resolved (only refs "
			      "within the schema file are supported)", raw.data);
	else
		n = compile(s, target, base);
	buf_release(&raw);
	buf_release(&uri);
	return n;
}

/* The base URI in force inside schema tok. */
static const char *
base_of(const struct schema *s, int tok, const char *base)
{
	int i;

	for (i = 0; i < s->nids; i++)
		if (s->ids[i].tok == tok)
			return s->ids[i].uri;
	return base;
}

static bool
compile_types(struct schema *s, struct node *n, int t)
{
	int i, k, j, count;
	size_t len;
	const char *p;

	count = json_is_array(s->doc, t) ? tk(s->doc, t)->size : 1;
	k = json_is_array(s->doc, t) ? t + 1 : t;
	for (i = 0; i < count; i++, k = json_skip(s->doc, k)) {
		if (!json_is_string(s->doc, k))
			return compile_error(s, "type must be a type name or an "
					     "array of them");
		p = json_raw(s->doc, k, &len);
		for (j = 0; j < 7; j++)
			if (strlen(type_names[j]) == len &&
			    memcmp(type_names[j], p, len) == 0)
				break;
		if (j == 7)
			return compile_error(s, "unknown type \"%.*s\"",
					     (int)len, p);
		n->types |= 1u << j;
	}
	n->type_tok = t;
	return true;
}

/* Compiles the pattern in string token t of the schema document. */
static bool
compile_regex(struct schema *s, regex_t *re, int t, const char *what)
{
	struct buf ere, raw;
	int rc;
	char msg[128];
	size_t len;
	const char *p;

	buf_init(&ere);
	buf_init(&raw);
	json_unescape(s->doc, t, &raw);
	schema_regex_translate(raw.data ? raw.data : "", raw.len, &ere);
	buf_release(&raw);
	p = json_span(s->doc, t, &len);
	rc = regcomp(re, ere.data, REG_EXTENDED | REG_NOSUB);
	buf_release(&ere);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		return compile_error(s, "%s %.*s: %s", what, (int)len, p, msg);
	}
	return true;
}

static bool
compile_object_keywords(struct schema *s, struct node *n, int tok,
			const char *base)
{
	const struct json_doc *d = s->doc;
	int t, k, i;
	bool ok = true;

	if ((t = kw(s, tok, "required")) >= 0) {
		if (!json_is_array(d, t))
			return compile_error(s, "required must be an array of strings");
		n->required = oak_calloc((size_t)tk(d, t)->size, sizeof(int));
		for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k)) {
			if (!json_is_string(d, k))
				return compile_error(s, "required must be an "
						     "array of strings");
			n->required[n->nrequired++] = k;
		}
	}
	if ((t = kw(s, tok, "properties")) >= 0) {
		if (!json_is_object(d, t))
			return compile_error(s, "properties must be an object");
		n->props = oak_calloc((size_t)tk(d, t)->size, sizeof(*n->props));
		for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k + 1)) {
			n->props[i].name = k;
			n->props[i].raw = json_raw(d, k, &n->props[i].len);
			n->props[i].escaped = memchr(n->props[i].raw, '\\',
						     n->props[i].len) != NULL;
			if ((n->props[i].schema = sub(s, k + 1, base, "properties",
						      k, -1)) == NULL)
				return false;
			n->nprops++;
		}
	}
	if ((t = kw(s, tok, "patternProperties")) >= 0) {
		if (!json_is_object(d, t))
			return compile_error(s, "patternProperties must be an object");
		n->pprops = oak_calloc((size_t)tk(d, t)->size, sizeof(*n->pprops));
		for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k + 1)) {
			if (!compile_regex(s, &n->pprops[i].re, k,
					   "patternProperties"))
				return false;
			n->npprops++;
			if ((n->pprops[i].schema = sub(s, k + 1, base,
						       "patternProperties", k,
						       -1)) == NULL)
				return false;
		}
	}
	if (n->nrequired > 0) {
		n->required_prop = oak_calloc((size_t)n->nrequired, sizeof(int));
		for (i = 0; i < n->nrequired; i++) {
			n->required_prop[i] = -1;
			for (k = 0; k < n->nprops && k < 64; k++)
				if (str_equal(d, n->required[i], d, n->props[k].name)) {
					n->required_prop[i] = k;
					break;
				}
		}
	}
	n->additional_props = opt_sub(s, tok, "additionalProperties", base, &ok);
	n->property_names = opt_sub(s, tok, "propertyNames", base, &ok);
	if (!ok || !get_count(s, tok, "minProperties", &n->min_props) ||
	    !get_count(s, tok, "maxProperties", &n->max_props))
		return false;
	if ((t = kw(s, tok, "dependencies")) >= 0) {
		if (!json_is_object(d, t))
			return compile_error(s, "dependencies must be an object");
		n->deps = oak_calloc((size_t)tk(d, t)->size, sizeof(*n->deps));
		for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k + 1)) {
			struct dep *dp = &n->deps[n->ndeps++];

			dp->name = k;
			dp->required = -1;
			if (json_is_array(d, k + 1))
				dp->required = k + 1;
			else if ((dp->schema = sub(s, k + 1, base, "dependencies",
						   k, -1)) == NULL)
				return false;
		}
	}
	return true;
}

static bool
compile_array_keywords(struct schema *s, struct node *n, int tok,
		       const char *base)
{
	const struct json_doc *d = s->doc;
	int t, k, i;
	bool ok = true;

	if ((t = kw(s, tok, "items")) >= 0) {
		if (json_is_array(d, t)) {
			n->tuple = oak_calloc((size_t)tk(d, t)->size, sizeof(*n->tuple));
			for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k)) {
				if ((n->tuple[i] = sub(s, k, base, "items", -1, i)) == NULL)
					return false;
				n->ntuple++;
			}
			n->additional_items = opt_sub(s, tok, "additionalItems",
						      base, &ok);
		} else {
			n->items = opt_sub(s, tok, "items", base, &ok);
		}
	}
	n->contains = opt_sub(s, tok, "contains", base, &ok);
	if (!ok || !get_count(s, tok, "minItems", &n->min_items) ||
	    !get_count(s, tok, "maxItems", &n->max_items))
		return false;
	if ((t = kw(s, tok, "uniqueItems")) >= 0) {
		if (!json_is_bool(d, t))
			return compile_error(s, "uniqueItems must be a boolean");
		n->unique = json_is_true(d, t);
	}
	return true;
}

static bool
compile_scalar_keywords(struct schema *s, struct node *n, int tok)
{
	const struct json_doc *d = s->doc;
	int t;
	size_t len;
	const char *p;

	if (!get_number(s, tok, "minimum", N_MIN, &n->numflags, &n->minimum) ||
	    !get_number(s, tok, "maximum", N_MAX, &n->numflags, &n->maximum) ||
	    !get_number(s, tok, "exclusiveMinimum", N_XMIN, &n->numflags,
			&n->xminimum) ||
	    !get_number(s, tok, "exclusiveMaximum", N_XMAX, &n->numflags,
			&n->xmaximum) ||
	    !get_number(s, tok, "multipleOf", N_MULT, &n->numflags, &n->multiple))
		return false;
	if ((n->numflags & N_MULT) && !(n->multiple > 0))
		return compile_error(s, "multipleOf must be greater than 0");
	if (!get_count(s, tok, "minLength", &n->min_len) ||
	    !get_count(s, tok, "maxLength", &n->max_len))
		return false;
	if ((t = kw(s, tok, "pattern")) >= 0) {
		if (!json_is_string(d, t))
			return compile_error(s, "pattern must be a string");
		n->pattern = oak_malloc(sizeof(*n->pattern));
		n->pattern_tok = t;
		if (!compile_regex(s, n->pattern, t, "pattern")) {
			free(n->pattern);
			n->pattern = NULL;
			return false;
		}
	}
	if ((t = kw(s, tok, "format")) >= 0) {
		if (!json_is_string(d, t))
			return compile_error(s, "format must be a string");
		p = json_raw(d, t, &len);
		n->format = schema_format_lookup(p, len);
	}
	return true;
}

static struct node *
compile(struct schema *s, int tok, const char *base)
{
	const struct json_doc *d = s->doc;
	struct node *n;
	int t;
	bool ok = true;

	if (s->by_tok[tok] != NULL)
		return s->by_tok[tok];
	if (!json_is_object(d, tok) && !json_is_bool(d, tok)) {
		compile_error(s, "a schema must be an object or a boolean");
		return NULL;
	}
	n = oak_calloc(1, sizeof(*n));
	n->tok = tok;
	n->boolean = -1;
	n->enum_tok = n->const_tok = n->pattern_tok = -1;
	n->min_props = n->max_props = n->min_items = n->max_items = -1;
	n->min_len = n->max_len = -1;
	s->by_tok[tok] = n;
	if (s->nnodes == s->cap_nodes) {
		s->cap_nodes = s->cap_nodes ? 2 * s->cap_nodes : 64;
		s->nodes = oak_realloc(s->nodes, sizeof(*s->nodes) *
						 (size_t)s->cap_nodes);
	}
	s->nodes[s->nnodes++] = n;
	if (json_is_bool(d, tok)) {
		n->boolean = json_is_true(d, tok);
		return n;
	}
	base = base_of(s, tok, base);
	/* In draft-07, $ref makes every sibling keyword ignored. */
	if ((t = kw(s, tok, "$ref")) >= 0) {
		if (!json_is_string(d, t)) {
			compile_error(s, "$ref must be a string");
			return NULL;
		}
		buf_adds(&s->where, "/$ref");
		n->ref = resolve_ref(s, t, base);
		s->where.len -= 5;
		s->where.data[s->where.len] = '\0';
		return n->ref ? n : NULL;
	}
	if ((t = kw(s, tok, "type")) >= 0 && !compile_types(s, n, t))
		return NULL;
	if ((t = kw(s, tok, "enum")) >= 0) {
		if (!json_is_array(d, t)) {
			compile_error(s, "enum must be an array");
			return NULL;
		}
		n->enum_tok = t;
	}
	n->const_tok = kw(s, tok, "const");
	if (!compile_object_keywords(s, n, tok, base) ||
	    !compile_array_keywords(s, n, tok, base) ||
	    !compile_scalar_keywords(s, n, tok))
		return NULL;
	n->all_of = schema_array(s, tok, "allOf", base, &n->nall);
	n->any_of = schema_array(s, tok, "anyOf", base, &n->nany);
	n->one_of = schema_array(s, tok, "oneOf", base, &n->none);
	n->not = opt_sub(s, tok, "not", base, &ok);
	n->if_ = opt_sub(s, tok, "if", base, &ok);
	n->then = opt_sub(s, tok, "then", base, &ok);
	n->else_ = opt_sub(s, tok, "else", base, &ok);
	if (!ok || (s->cerr != NULL && s->cerr->len > 0))
		return NULL;
	return n;
}

/* A chain of $refs that only leads to more $refs would never end. */
static bool
ref_cycle(const struct schema *s)
{
	int i, steps;
	const struct node *n;

	for (i = 0; i < s->nnodes; i++)
		for (n = s->nodes[i], steps = 0; n->ref != NULL; n = n->ref)
			if (++steps > s->nnodes)
				return true;
	return false;
}

struct schema *
schema_compile(const struct json_doc *doc, int root, struct buf *err)
{
	struct schema *s = oak_calloc(1, sizeof(*s));

	s->doc = doc;
	s->root = root;
	s->by_tok = oak_calloc((size_t)doc->ntok, sizeof(*s->by_tok));
	s->cerr = err;
	buf_reset(err);
	buf_init(&s->where);
	buf_init(&s->scratch);
	buf_addc(&s->where, '\0');
	s->where.len = 0;
	collect_ids(s, root, "");
	if (compile(s, root, "") == NULL) {
		if (err->len == 0)
			buf_adds(err, "(root): invalid schema");
		schema_release(s);
		return NULL;
	}
	if (ref_cycle(s)) {
		buf_adds(err, "(root): $ref cycle that never reaches a schema");
		schema_release(s);
		return NULL;
	}
	s->cerr = NULL;
	s->path = oak_calloc(JSON_MAX_DEPTH + 2, sizeof(*s->path));
	return s;
}

struct schema *
schema_load(const char *path, struct buf *err)
{
	struct buf text;
	struct json_doc *doc;
	struct schema *s;
	char chunk[65536];
	const char *why;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	buf_reset(err);
	if (fd < 0)
		return NULL;
	buf_init(&text);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&text, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		buf_release(&text);
		return NULL;
	}
	if (text.data == NULL)
		buf_addc(&text, '\0'), text.len = 0;
	doc = oak_calloc(1, sizeof(*doc));
	json_doc_init(doc);
	if (json_parse(doc, text.data, text.len, &why) < 0) {
		buf_printf(err, "%s", why);
		json_doc_release(doc);
		free(doc);
		buf_release(&text);
		return NULL;
	}
	s = schema_compile(doc, 0, err);
	if (s == NULL) {
		json_doc_release(doc);
		free(doc);
		buf_release(&text);
		return NULL;
	}
	s->own_doc = *doc;
	free(doc);
	s->doc = &s->own_doc;
	s->own_text = text.data;
	return s;
}

void
schema_release(struct schema *s)
{
	int i, j;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnodes; i++) {
		struct node *n = s->nodes[i];

		free(n->required);
		free(n->required_prop);
		free(n->props);
		for (j = 0; j < n->npprops; j++)
			regfree(&n->pprops[j].re);
		free(n->pprops);
		free(n->deps);
		free(n->tuple);
		if (n->pattern != NULL) {
			regfree(n->pattern);
			free(n->pattern);
		}
		free(n->all_of);
		free(n->any_of);
		free(n->one_of);
		free(n);
	}
	for (i = 0; i < s->nids; i++)
		free(s->ids[i].uri);
	free(s->ids);
	free(s->nodes);
	free(s->by_tok);
	free(s->path);
	buf_release(&s->where);
	buf_release(&s->scratch);
	if (s->own_text != NULL) {
		json_doc_release(&s->own_doc);
		free(s->own_text);
	}
	free(s);
}

/* ---- validating --------------------------------------------------- */

/* Appends a short rendering of instance token i to b. */
static void
describe(struct schema *s, struct buf *b, int i)
{
	size_t len, cut;
	const char *p;
	unsigned t = type_of(s->inst, i);

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
			pointer_add_key(s->err, s->inst, s->path[i].key,
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

static bool
validate_quiet(struct schema *s, const struct node *n, int i)
{
	bool ok;

	s->quiet++;
	ok = validate(s, n, i);
	s->quiet--;
	return ok;
}

static bool
validate_key(struct schema *s, const struct node *n, int key)
{
	bool ok;

	s->path[s->depth].key = key;
	s->depth++;
	ok = validate(s, n, key + 1);
	s->depth--;
	return ok;
}

static bool
has_key(const struct json_doc *inst, int obj, const struct json_doc *sd,
	int name)
{
	int n, k;

	for (n = tk(inst, obj)->size, k = obj + 1; n > 0; n--) {
		if (str_equal(inst, k, sd, name))
			return true;
		k = json_skip(inst, k + 1);
	}
	return false;
}

/* regexec on string token i (unescaped, NUL-terminated in scratch). */
static bool
regex_match(struct schema *s, const regex_t *re, int i)
{
	buf_reset(&s->scratch);
	json_unescape(s->inst, i, &s->scratch);
	buf_addc(&s->scratch, '\0');
	return regexec(re, s->scratch.data, 0, NULL, 0) == 0;
}

static bool key_has_escape(const struct json_doc *d, int k);

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

	for (j = 0; j < n->nprops; j++) {
		const struct prop *pr = &n->props[j];

		if (pr->len == klen && memcmp(pr->raw, key, klen) == 0)
			return j;
	}
	bs = key_has_escape(s->inst, k);
	for (j = 0; j < n->nprops; j++) {
		const struct prop *pr = &n->props[j];

		if ((bs || pr->escaped) &&
		    str_equal(s->inst, k, s->doc, pr->name))
			return j;
	}
	return -1;
}

static bool
key_has_escape(const struct json_doc *d, int k)
{
	return memchr(d->text + d->tok[k].start, '\\',
		      (size_t)(d->tok[k].end - d->tok[k].start)) != NULL;
}

/* Objects up to this many keys look each key's property up once. */
#define FOUND_MAX 64

static bool
validate_object(struct schema *s, const struct node *n, int obj)
{
	const struct json_doc *d = s->inst, *sd = s->doc;
	int count = tk(d, obj)->size, k, j, left, found;
	uint64_t seen = 0;
	size_t len;
	const char *p;
	bool matched;
	int found_at[FOUND_MAX];

	/* each key's property, found once for both passes below */
	if (count <= FOUND_MAX && n->nprops > 0)
		for (left = 0, k = obj + 1; left < count;
		     left++, k = json_skip(d, k + 1))
			found_at[left] = find_prop(s, n, k);
	if (n->nrequired > 0) {
		for (left = 0, k = obj + 1; left < count;
		     left++, k = json_skip(d, k + 1))
			if ((found = count <= FOUND_MAX ? (n->nprops > 0 ?
				     found_at[left] : -1) :
				     find_prop(s, n, k)) >= 0 &&
			    found < 64)
				seen |= (uint64_t)1 << found;
		for (j = 0; j < n->nrequired; j++) {
			if (n->required_prop[j] >= 0 ?
			    (seen >> n->required_prop[j]) & 1 :
			    has_key(d, obj, sd, n->required[j]))
				continue;
			p = json_span(sd, n->required[j], &len);
			return fail(s, -1, "required",
				    "missing required property %.*s",
				    (int)len, p);
		}
	}
	if (n->min_props >= 0 && count < n->min_props)
		return fail(s, -1, "minProperties",
			    "object has %d properties, fewer than %ld", count,
			    n->min_props);
	if (n->max_props >= 0 && count > n->max_props)
		return fail(s, -1, "maxProperties",
			    "object has %d properties, more than %ld", count,
			    n->max_props);
	for (left = 0, k = obj + 1; left < count; left++, k = json_skip(d, k + 1)) {
		if (n->nprops == 0)
			found = -1;
		else if (count <= FOUND_MAX)
			found = found_at[left];
		else
			found = find_prop(s, n, k);
		matched = found >= 0;
		if (matched && !validate_key(s, n->props[found].schema, k))
			return false;
		for (j = 0; j < n->npprops; j++)
			if (regex_match(s, &n->pprops[j].re, k)) {
				matched = true;
				if (!validate_key(s, n->pprops[j].schema, k))
					return false;
			}
		if (!matched && n->additional_props != NULL) {
			if (n->additional_props->boolean == 0) {
				s->path[s->depth].key = k;
				s->depth++;
				fail(s, -1, "additionalProperties",
				     "property not allowed");
				s->depth--;
				return false;
			}
			if (!validate_key(s, n->additional_props, k))
				return false;
		}
		if (n->property_names != NULL &&
		    !validate_quiet(s, n->property_names, k)) {
			p = json_span(d, k, &len);
			return fail(s, -1, "propertyNames",
				    "property name %.*s is not allowed",
				    (int)len, p);
		}
	}
	for (j = 0; j < n->ndeps; j++) {
		const struct dep *dp = &n->deps[j];
		int r, m;

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
				const char *q;
				size_t qlen;

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
validate_item(struct schema *s, const struct node *n, int item, long index)
{
	bool ok;

	s->path[s->depth].key = -1;
	s->path[s->depth].index = index;
	s->depth++;
	ok = validate(s, n, item);
	s->depth--;
	return ok;
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
		if (item->boolean == 0 && n->tuple != NULL && idx >= n->ntuple) {
			s->path[s->depth].key = -1;
			s->path[s->depth].index = idx;
			s->depth++;
			fail(s, -1, "additionalItems", "item not allowed");
			s->depth--;
			return false;
		}
		if (!validate_item(s, item, k, idx))
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
				if (value_equal(d, k, d, k2))
					return fail(s, -1, "uniqueItems",
						    "items %d and %d are equal",
						    idx, idx2);
	return true;
}

static bool
validate_number(struct schema *s, const struct node *n, int i)
{
	double v = json_number(s->inst, i), q;

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

static bool
validate_string(struct schema *s, const struct node *n, int i)
{
	size_t len, count;
	const char *p;

	if (n->min_len >= 0 || n->max_len >= 0) {
		count = str_codepoints(s->inst, i);
		if (n->min_len >= 0 && count < (size_t)n->min_len)
			return fail(s, i, "minLength",
				    "is shorter than %ld characters", n->min_len);
		if (n->max_len >= 0 && count > (size_t)n->max_len)
			return fail(s, i, "maxLength",
				    "is longer than %ld characters", n->max_len);
	}
	if (n->pattern != NULL && !regex_match(s, n->pattern, i)) {
		p = json_span(s->doc, n->pattern_tok, &len);
		return fail(s, i, "pattern", "does not match %.*s", (int)len, p);
	}
	if (n->format != FORMAT_NONE) {
		p = json_raw(s->inst, i, &len);
		if (memchr(p, '\\', len) != NULL) {
			buf_reset(&s->scratch);
			json_unescape(s->inst, i, &s->scratch);
			p = s->scratch.data;
			len = s->scratch.len;
		}
		if (!schema_format_check(n->format, p, len))
			return fail(s, i, "format", "is not a valid %s",
				    schema_format_name(n->format));
	}
	return true;
}

/* "number", "number or null", "a, b or c": the types as the schema
 * lists them. */
static void
type_list(const struct schema *s, const struct node *n, char *out,
	  size_t size)
{
	const struct json_doc *d = s->doc;
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
	t = type_of(s->inst, i);
	if (n->types != 0 && !(n->types & t) &&
	    !(t == T_NUMBER && (n->types & T_INTEGER) && is_integer(s->inst, i))) {
		type_list(s, n, types, sizeof(types));
		return fail(s, i, "type", "is not of type %s", types);
	}
	if (n->enum_tok >= 0) {
		int m, e;

		for (m = tk(s->doc, n->enum_tok)->size, e = n->enum_tok + 1; m > 0;
		     m--, e = json_skip(s->doc, e))
			if (value_equal(s->inst, i, s->doc, e))
				break;
		if (m == 0)
			return fail(s, i, "enum",
				    "is not one of the allowed values");
	}
	if (n->const_tok >= 0 && !value_equal(s->inst, i, s->doc, n->const_tok))
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

bool
schema_validate(struct schema *s, const struct json_doc *inst, int tok,
		struct buf *err)
{
	s->inst = inst;
	s->err = err;
	s->quiet = 0;
	s->depth = 0;
	s->eval_depth = 0;
	buf_reset(err);
	return validate(s, s->nodes[0], tok);
}
