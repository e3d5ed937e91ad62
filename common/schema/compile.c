/*
 * compile.c: schema_compile walks a schema document's tokens once into a
 * graph of nodes (node.h), one per subschema reached, memoised by token
 * so that $ref cycles close on themselves; numbers are read, patterns
 * compiled and $refs resolved (ref.c) up front, so validation reads only
 * the nodes. A compile error names the subschema by its JSON Pointer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema/node.h"

static const char *const type_names[] = {
	"null", "boolean", "object", "array", "number", "string", "integer"
};

bool
schema_compile_error(struct schema *s, const char *fmt, ...)
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
		return schema_compile_error(s, "%s must be a non-negative integer",
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
		return schema_compile_error(s, "%s must be a number", name);
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
		schema_pointer_add_key(&s->where, s->doc, key, &tmp);
		buf_release(&tmp);
	}
	if (idx >= 0)
		buf_printf(&s->where, "/%ld", idx);
	n = schema_node(s, tok, base);
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
		schema_compile_error(s, "%s must be a non-empty array of schemas", name);
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

/* When every value of the enum array t is a string without an escape, n
 * keeps them as written (enum_strs), for a compare without a walk. */
static void
enum_strings(struct node *n, const struct json_doc *d, int t)
{
	struct enum_str *e = oak_calloc((size_t)d->tok[t].size, sizeof(*e));
	int k, v;

	for (k = 0, v = t + 1; k < d->tok[t].size; k++, v = json_skip(d, v)) {
		e[k].raw = json_is_string(d, v) ? json_raw(d, v, &e[k].len) : NULL;
		if (e[k].raw == NULL || memchr(e[k].raw, '\\', e[k].len) != NULL) {
			free(e);
			return;
		}
	}
	n->enum_strs = e;
	n->nenum = k;
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
			return schema_compile_error(s, "type must be a type name or an "
					     "array of them");
		p = json_raw(s->doc, k, &len);
		for (j = 0; j < 7; j++)
			if (strlen(type_names[j]) == len &&
			    memcmp(type_names[j], p, len) == 0)
				break;
		if (j == 7)
			return schema_compile_error(s, "unknown type \"%.*s\"",
					     (int)len, p);
		n->types |= 1u << j;
	}
	n->type_tok = t;
	return true;
}

/* Compiles the pattern in string token t of the schema document. */
static struct pattern *
compile_pattern(struct schema *s, int t, const char *what)
{
	struct buf raw, why;
	struct pattern *re;
	size_t len;
	const char *p = json_span(s->doc, t, &len);

	buf_init(&raw);
	buf_init(&why);
	json_unescape(s->doc, t, &raw);
	re = pattern_compile(raw.data ? raw.data : "", raw.len, &why);
	if (re == NULL)
		schema_compile_error(s, "%s %.*s: %s", what, (int)len, p,
				     why.data ? why.data : "invalid");
	buf_release(&raw);
	buf_release(&why);
	return re;
}

/* "required": the name tokens, and for each the index of the property
 * of that name among the first 64, or -1 (validate.c's bit set). */
static bool
compile_required(struct schema *s, struct node *n, int t)
{
	const struct json_doc *d = s->doc;
	int i, k;

	if (!json_is_array(d, t))
		return schema_compile_error(s, "required must be an array "
					    "of strings");
	n->required = oak_calloc((size_t)tk(d, t)->size, sizeof(int));
	for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k)) {
		if (!json_is_string(d, k))
			return schema_compile_error(s, "required must be an "
						    "array of strings");
		n->required[n->nrequired++] = k;
	}
	return true;
}

static void
link_required(struct schema *s, struct node *n)
{
	int i, k;

	if (n->nrequired == 0)
		return;
	n->required_prop = oak_calloc((size_t)n->nrequired, sizeof(int));
	for (i = 0; i < n->nrequired; i++) {
		n->required_prop[i] = -1;
		for (k = 0; k < n->nprops && k < 64; k++)
			if (schema_str_equal(s->doc, n->required[i], s->doc,
					     n->props[k].name)) {
				n->required_prop[i] = k;
				break;
			}
	}
}

/* The array for the members of object t, the value of keyword; NULL
 * (after the compile error) when t is not an object. */
static void *
members_of(struct schema *s, int t, const char *keyword, size_t size)
{
	if (!json_is_object(s->doc, t)) {
		schema_compile_error(s, "%s must be an object", keyword);
		return NULL;
	}
	return oak_calloc((size_t)tk(s->doc, t)->size + 1, size);
}

/* "properties" (object t): each name as written, for a fast compare. */
static bool
compile_properties(struct schema *s, struct node *n, int t, const char *base)
{
	const struct json_doc *d = s->doc;
	int i, k;

	if ((n->props = members_of(s, t, "properties", sizeof(*n->props))) ==
	    NULL)
		return false;
	for (i = 0, k = t + 1; i < tk(d, t)->size; i++, k = json_skip(d, k + 1)) {
		struct prop *pr = &n->props[i];

		pr->name = k;
		pr->raw = json_raw(d, k, &pr->len);
		pr->escaped = memchr(pr->raw, '\\', pr->len) != NULL;
		if ((pr->schema = sub(s, k + 1, base, "properties", k, -1)) ==
		    NULL)
			return false;
		n->nprops++;
	}
	return true;
}

static bool
compile_pattern_properties(struct schema *s, struct node *n, int t,
			   const char *base)
{
	const char *kw = "patternProperties";
	struct pattern_prop *pp;
	int k;

	if ((n->pprops = members_of(s, t, kw, sizeof(*pp))) == NULL)
		return false;
	for (k = t + 1; n->npprops < tk(s->doc, t)->size;
	     k = json_skip(s->doc, k + 1)) {
		pp = &n->pprops[n->npprops];
		if ((pp->re = compile_pattern(s, k, kw)) == NULL)
			return false;
		n->npprops++;
		if ((pp->schema = sub(s, k + 1, base, kw, k, -1)) == NULL)
			return false;
	}
	return true;
}

/* "dependencies": each an array of names or a schema. */
static bool
compile_dependencies(struct schema *s, struct node *n, int t,
		     const char *base)
{
	const struct json_doc *d = s->doc;
	struct dep *dp;
	int k;

	if ((n->deps = members_of(s, t, "dependencies", sizeof(*dp))) == NULL)
		return false;
	for (k = t + 1; n->ndeps < tk(d, t)->size; k = json_skip(d, k + 1)) {
		dp = &n->deps[n->ndeps++];
		dp->name = k;
		dp->required = -1;
		if (json_is_array(d, k + 1))
			dp->required = k + 1;
		else if ((dp->schema = sub(s, k + 1, base, "dependencies",
					   k, -1)) == NULL)
			return false;
	}
	return true;
}

static bool
compile_object_keywords(struct schema *s, struct node *n, int tok,
			const char *base)
{
	int t;
	bool ok = true;

	if ((t = kw(s, tok, "required")) >= 0 && !compile_required(s, n, t))
		return false;
	if ((t = kw(s, tok, "properties")) >= 0 &&
	    !compile_properties(s, n, t, base))
		return false;
	if ((t = kw(s, tok, "patternProperties")) >= 0 &&
	    !compile_pattern_properties(s, n, t, base))
		return false;
	link_required(s, n);
	n->additional_props = opt_sub(s, tok, "additionalProperties", base, &ok);
	n->property_names = opt_sub(s, tok, "propertyNames", base, &ok);
	if (!ok || !get_count(s, tok, "minProperties", &n->min_props) ||
	    !get_count(s, tok, "maxProperties", &n->max_props))
		return false;
	t = kw(s, tok, "dependencies");
	return t < 0 || compile_dependencies(s, n, t, base);
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
			return schema_compile_error(s, "uniqueItems must be a boolean");
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
		return schema_compile_error(s, "multipleOf must be greater than 0");
	if (!get_count(s, tok, "minLength", &n->min_len) ||
	    !get_count(s, tok, "maxLength", &n->max_len))
		return false;
	if ((t = kw(s, tok, "pattern")) >= 0) {
		if (!json_is_string(d, t))
			return schema_compile_error(s, "pattern must be a string");
		n->pattern_tok = t;
		if ((n->pattern = compile_pattern(s, t, "pattern")) == NULL)
			return false;
	}
	if ((t = kw(s, tok, "format")) >= 0) {
		if (!json_is_string(d, t))
			return schema_compile_error(s, "format must be a string");
		p = json_raw(d, t, &len);
		n->format = schema_format_lookup(p, len);
	}
	return true;
}

struct node *
schema_node(struct schema *s, int tok, const char *base)
{
	const struct json_doc *d = s->doc;
	struct node *n;
	int t;
	bool ok = true;

	if (s->by_tok[tok] != NULL)
		return s->by_tok[tok];
	if (!json_is_object(d, tok) && !json_is_bool(d, tok)) {
		schema_compile_error(s, "a schema must be an object or a boolean");
		return NULL;
	}
	n = oak_calloc(1, sizeof(*n));
	n->doc = d;
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
	base = schema_base_of(s, tok, base);
	/* In draft-07, $ref makes every sibling keyword ignored. */
	if ((t = kw(s, tok, "$ref")) >= 0) {
		if (!json_is_string(d, t)) {
			schema_compile_error(s, "$ref must be a string");
			return NULL;
		}
		buf_adds(&s->where, "/$ref");
		n->ref = schema_resolve_ref(s, t, base);
		s->where.len -= 5;
		s->where.data[s->where.len] = '\0';
		return n->ref ? n : NULL;
	}
	if ((t = kw(s, tok, "type")) >= 0 && !compile_types(s, n, t))
		return NULL;
	if ((t = kw(s, tok, "enum")) >= 0) {
		if (!json_is_array(d, t)) {
			schema_compile_error(s, "enum must be an array");
			return NULL;
		}
		n->enum_tok = t;
		enum_strings(n, d, t);
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

/* Does n read no keyword but those node.plain names? Its required_mask
 * set when it does. */
static bool
plain(struct node *n)
{
	int j;

	if (n->ref != NULL || n->boolean >= 0 || n->const_tok >= 0 ||
	    n->npprops != 0 || n->property_names != NULL || n->min_props >= 0 ||
	    n->max_props >= 0 || n->ndeps != 0 || n->tuple != NULL ||
	    n->additional_items != NULL || n->contains != NULL ||
	    n->min_items >= 0 || n->max_items >= 0 || n->unique ||
	    n->min_len >= 0 || n->max_len >= 0 ||
	    n->pattern != NULL || n->nall != 0 || n->nany != 0 ||
	    n->none != 0 || n->not != NULL || n->if_ != NULL ||
	    n->then != NULL || n->else_ != NULL)
		return false;
	for (j = 0; j < n->nrequired; j++) {
		if (n->required_prop[j] < 0)
			return false;
		n->required_mask |= UINT64_C(1) << n->required_prop[j];
	}
	return true;
}

/* Compiles the schema at token root of doc, read from file path (NULL:
 * from memory, and $refs to other files are not resolved). */
static struct schema *
compile_at(const struct json_doc *doc, int root, const char *path,
	   struct buf *err)
{
	struct schema *s = oak_calloc(1, sizeof(*s));
	int i;

	s->doc = doc;
	s->root = root;
	s->base_uri = "";
	s->by_tok = oak_calloc((size_t)doc->ntok, sizeof(*s->by_tok));
	s->cerr = err;
	buf_reset(err);
	buf_init(&s->where);
	buf_init(&s->scratch);
	buf_addc(&s->where, '\0');
	s->where.len = 0;
	schema_files_init(s, path);
	schema_collect_ids(s, root, "");
	if (schema_node(s, root, "") == NULL) {
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
	for (i = 0; i < s->nnodes; i++) {
		struct node *n = s->nodes[i];

		n->plain = plain(n);
		/* plain, and none of the keywords plain allows but "type" */
		n->type_only = n->plain && n->enum_tok < 0 && n->nprops == 0 &&
			       n->nrequired == 0 && n->additional_props == NULL &&
			       n->items == NULL && n->format == FORMAT_NONE &&
			       n->numflags == 0;
	}
	schema_shapes_build(s);
	s->cerr = NULL;
	s->path = oak_calloc(JSON_MAX_DEPTH + 2, sizeof(*s->path));
	return s;
}

struct schema *
schema_compile(const struct json_doc *doc, int root, struct buf *err)
{
	return compile_at(doc, root, NULL, err);
}

bool
schema_read_file(const char *path, struct buf *text)
{
	char chunk[65536];
	size_t got;
	bool ok;
	FILE *fp = fopen(path, "r");

	if (fp == NULL)
		return false;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(text, chunk, got);
	ok = !ferror(fp);
	fclose(fp);
	buf_addc(text, '\0');
	text->len--;
	return ok;
}

struct schema *
schema_load(const char *path, struct buf *err)
{
	struct buf text;
	struct json_doc *doc = oak_malloc(sizeof(*doc));
	struct schema *s = NULL;
	const char *why;

	buf_reset(err);
	buf_init(&text);
	json_doc_init(doc);
	if (schema_read_file(path, &text)) {
		if (json_parse(doc, text.data, text.len, &why) < 0)
			buf_adds(err, why);
		else
			s = compile_at(doc, 0, path, err);
	}
	if (s == NULL) {
		json_doc_release(doc);
		free(doc);
		buf_release(&text);
		return NULL;
	}
	/* the schema keeps the document and its text */
	s->own_doc = doc;
	s->own_text = text.data;
	return s;
}

static void
node_release(struct node *n)
{
	int j;

	for (j = 0; j < n->npprops; j++)
		pattern_release(n->pprops[j].re);
	free(n->pprops);
	free(n->enum_strs);
	free(n->shape_keys);
	free(n->required);
	free(n->required_prop);
	free(n->props);
	free(n->deps);
	free(n->tuple);
	pattern_release(n->pattern);
	free(n->all_of);
	free(n->any_of);
	free(n->one_of);
	free(n);
}

void
schema_release(struct schema *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnodes; i++)
		node_release(s->nodes[i]);
	schema_ids_release(s);
	schema_files_release(s);
	free(s->nodes);
	free(s->by_tok);
	free(s->path);
	buf_release(&s->where);
	buf_release(&s->scratch);
	if (s->own_doc != NULL) {
		json_doc_release(s->own_doc);
		free(s->own_doc);
		free(s->own_text);
	}
	free(s);
}
