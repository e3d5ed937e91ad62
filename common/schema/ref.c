/*
 * ref.c: $id and $ref within one schema document. Every "$id" is
 * recorded first with its absolute URI (RFC 3986 resolution against the
 * base in force); a $ref is resolved against its base to an $id, a JSON
 * Pointer fragment from the root or from an $id, or the root itself;
 * else, when it names a file, in that schema file (file.c). Remote
 * documents are not fetched: such a $ref is a compile error.
 */
#include <stdlib.h>
#include <string.h>

#include "schema/node.h"

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
void
schema_collect_ids(struct schema *s, int tok, const char *base)
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
			schema_collect_ids(s, k, uri.data);
			k = json_skip(d, k);
		}
	buf_release(&uri);
}

void
schema_ids_release(struct schema *s)
{
	int i;

	for (i = 0; i < s->nids; i++)
		free(s->ids[i].uri);
	free(s->ids);
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

/* Is uri[0..len) the URI of the document being compiled? */
static bool
own_uri(const struct schema *s, const char *uri, size_t len)
{
	return strlen(s->base_uri) == len && memcmp(uri, s->base_uri, len) == 0;
}

int
schema_target(const struct schema *s, const char *uri)
{
	const char *hash = strchr(uri, '#');
	size_t len = hash ? (size_t)(hash - uri) : strlen(uri);
	int target = -1, res;

	if (hash == NULL || hash[1] == '\0') {
		target = id_lookup(s, uri, len);
		if (target < 0 && own_uri(s, uri, len))
			target = s->root;
	} else if (hash[1] == '/') {
		res = own_uri(s, uri, len) ? s->root : id_lookup(s, uri, len);
		if (res < 0 && s->nids > 0 && strcmp(s->ids[0].uri, "") != 0 &&
		    s->ids[0].tok == s->root &&
		    strncmp(uri, s->ids[0].uri, len) == 0)
			res = s->root;
		if (res >= 0)
			target = pointer_follow(s, res, hash + 1);
	} else {
		target = id_lookup(s, uri, strlen(uri));
	}
	return target;
}

struct node *
schema_resolve_ref(struct schema *s, int ref, const char *base)
{
	struct buf raw, uri;
	int target;
	struct node *n = NULL;

	buf_init(&raw);
	buf_init(&uri);
	json_unescape(s->doc, ref, &raw);
	buf_addc(&raw, '\0');
	uri_resolve(base, raw.data, &uri);
	target = schema_target(s, uri.data);
	if (target >= 0)
		n = schema_node(s, target, base);
	else if (s->cur_file >= 0 && schema_is_file_uri(uri.data))
		n = schema_file_ref(s, raw.data, uri.data);
	else
		schema_compile_error(s, "$ref \"%s\" cannot be resolved (only "
				     "refs within the schema file and to schema "
				     "files beside it are supported)", raw.data);
	buf_release(&raw);
	buf_release(&uri);
	return n;
}

/* The base URI in force inside schema tok. */
const char *
schema_base_of(const struct schema *s, int tok, const char *base)
{
	int i;

	for (i = 0; i < s->nids; i++)
		if (s->ids[i].tok == tok)
			return s->ids[i].uri;
	return base;
}
