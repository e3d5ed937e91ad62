/*
 * file.c: a $ref to another schema file ("agent_invocation.json",
 * "agent_invocation.json#/properties/outcome"), resolved in the directory
 * of the schema loaded (so the installed schemas find one another as the
 * in-tree ones do). Each file is read once, known by its realpath, so a
 * cycle of files closes on itself as a cycle of $refs within one file
 * does (a cycle of bare $refs is refused by ref_cycle). While a file's
 * subschemas are compiled, its document, root, nodes by token and $ids
 * are the schema's own (switched on entering, restored on leaving); each
 * node keeps its document for validation.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "schema/node.h"

/* More would be a schema set, not a few files beside one another. */
#define MAX_FILES 64

void
schema_files_init(struct schema *s, const char *path)
{
	const char *slash;

	s->cur_file = -1;
	if (path == NULL)
		return;
	slash = strrchr(path, '/');
	s->dir = slash != NULL ? oak_strndup(path, (size_t)(slash - path + 1))
			       : oak_strdup("");
	s->files = oak_calloc(1, sizeof(*s->files));
	s->files[0].real = realpath(path, NULL);
	if (s->files[0].real == NULL)
		s->files[0].real = oak_strdup(path);
	s->files[0].base = oak_strdup("");
	s->nfiles = 1;
	s->cur_file = 0;
}

void
schema_files_release(struct schema *s)
{
	struct schema_file *f;
	int i, k;

	for (i = 0; i < s->nfiles; i++) {
		f = &s->files[i];
		free(f->real);
		free(f->base);
		if (!f->owned)
			continue;   /* the first: the schema's own */
		json_doc_release((struct json_doc *)f->doc);
		free((struct json_doc *)f->doc);
		free(f->text);
		free(f->by_tok);
		for (k = 0; k < f->nids; k++)
			free(f->ids[k].uri);
		free(f->ids);
	}
	free(s->files);
	free(s->dir);
}

bool
schema_is_file_uri(const char *uri)
{
	const char *p = uri;

	if (*uri == '#' || *uri == '\0' || (uri[0] == '/' && uri[1] == '/'))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p != ':';   /* a scheme: remote, never fetched */
}

/* The document being compiled, kept in file i; file i made current. */
static void
switch_to(struct schema *s, int i)
{
	struct schema_file *f = &s->files[s->cur_file];

	f->doc = s->doc;
	f->root = s->root;
	f->by_tok = s->by_tok;
	f->ids = s->ids;
	f->nids = s->nids;
	f = &s->files[i];
	s->doc = f->doc;
	s->root = f->root;
	s->by_tok = f->by_tok;
	s->ids = f->ids;
	s->nids = f->nids;
	s->base_uri = f->base;
	s->cur_file = i;
}

/* Reads and parses file path as file number s->nfiles, known as real
 * with URI base. -1 after the compile error. */
static int
file_load(struct schema *s, const char *raw, const char *path, char *real,
	  const char *base, size_t blen)
{
	struct schema_file *f;
	struct json_doc *doc;
	struct buf text;
	const char *why;

	buf_init(&text);
	if (!schema_read_file(path, &text)) {
		schema_compile_error(s, "$ref \"%s\" cannot be resolved: %s: %s",
				     raw, path, strerror(errno));
		buf_release(&text);
		free(real);
		return -1;
	}
	doc = oak_malloc(sizeof(*doc));
	json_doc_init(doc);
	s->files = oak_realloc(s->files, sizeof(*s->files) *
					 (size_t)(s->nfiles + 1));
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof(*f));
	f->real = real;
	f->base = oak_strndup(base, blen);
	f->doc = doc;
	f->owned = true;
	f->text = text.data;
	if (json_parse(doc, text.data, text.len, &why) < 0) {
		s->nfiles++;   /* released with the schema */
		schema_compile_error(s, "$ref \"%s\": %s: %s", raw, path, why);
		return -1;
	}
	f->by_tok = oak_calloc((size_t)doc->ntok, sizeof(*f->by_tok));
	return s->nfiles++;
}

/* The number of the file uri[0..len) names, loaded when new, its $ids
 * collected; -1 after the compile error. */
static int
file_open(struct schema *s, const char *raw, const char *uri, size_t len)
{
	struct buf path;
	char *real;
	int i, prev;

	buf_init(&path);
	if (uri[0] != '/')
		buf_adds(&path, s->dir);
	buf_add(&path, uri, len);
	real = realpath(path.data, NULL);
	for (i = 0; real != NULL && i < s->nfiles; i++)
		if (strcmp(s->files[i].real, real) == 0) {
			free(real);
			buf_release(&path);
			return i;
		}
	if (s->nfiles >= MAX_FILES) {
		schema_compile_error(s, "$ref \"%s\": more than %d schema files",
				     raw, MAX_FILES);
		i = -1;
		free(real);
	} else {
		i = file_load(s, raw, path.data, real ? real : oak_strdup(path.data),
			      uri, len);
	}
	buf_release(&path);
	if (i >= 0) {
		prev = s->cur_file;
		switch_to(s, i);
		schema_collect_ids(s, s->root, s->base_uri);
		switch_to(s, prev);
	}
	return i;
}

struct node *
schema_file_ref(struct schema *s, const char *raw, const char *uri)
{
	const char *hash = strchr(uri, '#');
	size_t len = hash ? (size_t)(hash - uri) : strlen(uri);
	size_t mark = s->where.len;
	int i = file_open(s, raw, uri, len), prev = s->cur_file, target;
	struct node *n = NULL;
	struct buf at;

	if (i < 0)
		return NULL;
	switch_to(s, i);
	/* the place in the file, as its own URI names it */
	buf_init(&at);
	buf_printf(&at, "%s%s", s->base_uri, hash ? hash : "");
	buf_printf(&s->where, " -> %s%s", uri, hash ? "" : "#");
	target = schema_target(s, at.data);
	if (target < 0)
		schema_compile_error(s, "$ref \"%s\" cannot be resolved: no "
				     "such place in %s", raw, s->files[i].real);
	else
		n = schema_node(s, target, s->base_uri);
	buf_release(&at);
	s->where.len = mark;
	s->where.data[mark] = '\0';
	switch_to(s, prev);
	return n;
}
