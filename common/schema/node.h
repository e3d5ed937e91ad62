/*
 * schema/node.h: the schema layer's own. A compiled schema is a graph of
 * nodes, one per subschema reached (compile.c), with $refs resolved up
 * front (ref.c); validate.c walks an instance's tokens against it. Both
 * sides compare JSON values the same way (value.c), check formats
 * (format.c) and match patterns (pattern.c).
 */
#ifndef OAK_SCHEMA_NODE_H
#define OAK_SCHEMA_NODE_H

#include "json/shape.h"
#include "schema/schema.h"

/* JSON types as bits of node.types; "integer" is a number test. They
 * are a shape's (json/shape.h). */
enum {
	T_NULL = JSON_SHAPE_NULL, T_BOOLEAN = JSON_SHAPE_BOOLEAN,
	T_OBJECT = JSON_SHAPE_OBJECT, T_ARRAY = JSON_SHAPE_ARRAY,
	T_NUMBER = JSON_SHAPE_NUMBER, T_STRING = JSON_SHAPE_STRING,
	T_INTEGER = JSON_SHAPE_INTEGER
};
/* The numeric keywords a node has, bits of node.numflags. */
enum { N_MIN = 1, N_MAX = 2, N_XMIN = 4, N_XMAX = 8, N_MULT = 16 };

#define MAX_EVAL_DEPTH 4096

/* The formats schema_validate checks (format.c); any other passes. */
enum schema_format {
	FORMAT_NONE, FORMAT_DATE_TIME, FORMAT_DATE, FORMAT_TIME, FORMAT_UUID,
	FORMAT_EMAIL, FORMAT_URI
};

struct pattern;       /* a compiled ECMA-262 pattern (pattern.c) */
struct node;

struct prop {
	int name;             /* key token in the schema document */
	const char *raw;      /* its bytes as written, for a fast compare */
	size_t len;
	bool escaped;         /* has a backslash escape */
	struct node *schema;
};
struct pattern_prop {
	struct pattern *re;
	struct node *schema;
};
struct dep {
	int name;
	int required;         /* array token of names, or -1 */
	struct node *schema;  /* or NULL */
};

struct enum_str {
	const char *raw;
	size_t len;
};

struct node {
	const struct json_doc *doc;  /* the document of tok */
	int tok;
	int boolean;          /* -1: an object schema; 0: false; 1: true */
	struct node *ref;
	unsigned types;
	int type_tok;         /* for messages: the names as written */
	int enum_tok, const_tok;
	/* an enum of strings only, none with an escape: them as written */
	struct enum_str *enum_strs;
	int nenum;
	int *required;        /* name tokens */
	int *required_prop;   /* index in props of the same name, or -1
			       * (none, or past the first 64 props) */
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
	struct pattern *pattern;
	int pattern_tok;
	enum schema_format format;
	struct node **all_of, **any_of, **one_of;
	int nall, nany, none;
	struct node *not, *if_, *then, *else_;
	bool type_only;       /* no keyword validation reads but "type" */
	/* no keyword but type, enum, properties, required (each one of the
	 * first 64 properties: their bits in required_mask),
	 * additionalProperties, items (one schema), format and the numeric
	 * ones (numflags): the accept-only walk (validate.c) takes it */
	bool plain;
	uint64_t required_mask;
	/* what a parse checks of a value of this node as it tokenizes
	 * (shape.c): a plain node's keywords, else "not sure" */
	struct json_shape shape;
	struct json_shape_key *shape_keys;
};

struct id_entry {
	char *uri;
	int tok;
};

struct path_step {
	int key;              /* key token, or -1 for an array index */
	long index;
};

/* A schema file: the schema's own (files[0], its document not owned
 * here), or one a $ref reached (file.c). While another file's subschemas
 * are compiled, its document, root, by_tok and ids are the schema's. */
struct schema_file {
	char *real;            /* realpath: each file is loaded once */
	char *base;            /* its URI: a path from the first file's dir */
	const struct json_doc *doc;
	bool owned;            /* doc and text are this file's */
	char *text;
	int root;
	struct node **by_tok;
	struct id_entry *ids;
	int nids;
};

struct schema {
	/* the document being compiled (the first, or a file's) */
	const struct json_doc *doc;
	int root;
	struct node **by_tok;  /* doc->ntok entries */
	struct id_entry *ids;
	int nids;
	const char *base_uri;  /* the URI of doc: "" for the first */
	struct json_doc *own_doc;
	char *own_text;
	struct node **nodes;
	int nnodes, cap_nodes;
	char *dir;             /* of the schema file; NULL: from memory */
	struct schema_file *files;
	int nfiles, cur_file;  /* cur_file -1: no file refs */
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

static inline const jsmntok_t *
tk(const struct json_doc *d, int i)
{
	return &d->tok[i];
}

/* ---- validate.c ---------------------------------------------------- */
/* schema_validate without its accept-only walk: the full walk alone,
 * which the fuzzer holds schema_validate's answers to. */
bool schema_validate_walk(struct schema *s, const struct json_doc *inst,
			  int tok, struct buf *err);

/* The shape check of a plain node (json_shape.check, ctx the schema,
 * self->arg the node): what accepts checks of token tok past its type,
 * its enum, format and numeric keywords. */
bool schema_shape_check(void *ctx, const struct json_shape *self,
			const struct json_doc *d, int tok);

/* ---- shape.c ------------------------------------------------------ */
/* Each node's shape, once every node is compiled and marked plain. */
void schema_shapes_build(struct schema *s);
/* The shape a value of node n is checked with: NULL for any value. */
const struct json_shape *schema_shape_of(const struct node *n);

/* ---- value.c: tokens as JSON Schema compares them ----------------- */
/* Do two string tokens (of possibly different documents) hold the same
 * characters? */
bool schema_str_equal(const struct json_doc *da, int a,
		      const struct json_doc *db, int b);
/* The number of code points of string token i. */
size_t schema_str_codepoints(const struct json_doc *d, int i);
/* The T_ bit of token i (a number is T_NUMBER, never T_INTEGER). Inline:
 * validate asks it of every value. */
static inline unsigned
schema_type_of(const struct json_doc *d, int i)
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
bool schema_is_integer(const struct json_doc *d, int i);
/* JSON value equality: 1 equals 1.0, key order does not matter. */
bool schema_value_equal(const struct json_doc *da, int a,
			const struct json_doc *db, int b);
/* Appends "/key" (escaped per RFC 6901) to b; tmp is scratch. */
void schema_pointer_add_key(struct buf *b, const struct json_doc *d, int key,
			    struct buf *tmp);

/* ---- compile.c ---------------------------------------------------- */
/* The node of subschema tok (compiled once, memoised by token), with
 * base the base URI in force; NULL after a compile error. */
struct node *schema_node(struct schema *s, int tok, const char *base);
/* Records "POINTER: message" as the compile error (the first one only);
 * returns false. */
bool schema_compile_error(struct schema *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- ref.c: URIs, $id and $ref ------------------------------------ */
/* Records every "$id" below tok with its absolute URI. */
void schema_collect_ids(struct schema *s, int tok, const char *base);
void schema_ids_release(struct schema *s);
/* The base URI in force inside schema tok. */
const char *schema_base_of(const struct schema *s, int tok, const char *base);
/* The node the $ref in string token ref leads to, or NULL (with the
 * compile error set) when it cannot be resolved within the document. */
struct node *schema_resolve_ref(struct schema *s, int ref, const char *base);

/* ---- file.c: $refs to other schema files ------------------------- */
/* The schema's own file (path; NULL when compiled from memory, and no
 * $ref to a file is then resolved). */
void schema_files_init(struct schema *s, const char *path);
void schema_files_release(struct schema *s);
/* Is uri (resolved) a reference to a file: no scheme, a path before
 * any "#"? */
bool schema_is_file_uri(const char *uri);
/* The node $ref raw leads to in the file uri names, relative to the
 * first file's directory, loaded once; NULL with the compile error set
 * when it cannot be read, parsed or resolved. */
struct node *schema_file_ref(struct schema *s, const char *raw,
			     const char *uri);
/* Reads the whole of file path into text (NUL-terminated); false with
 * errno set when it cannot be read (compile.c). */
bool schema_read_file(const char *path, struct buf *text);
/* The token uri (resolved) leads to in the document being compiled, or
 * -1 (ref.c). */
int schema_target(const struct schema *s, const char *uri);

/* ---- pattern.c: ECMA-262 patterns ---------------------------------- */
/* Compiles pattern (len bytes of UTF-8); NULL with the reason in err. */
struct pattern *pattern_compile(const char *pattern, size_t len,
				struct buf *err);
/* Does the pattern match somewhere in s (len bytes of valid UTF-8)? */
bool pattern_match(const struct pattern *p, const char *s, size_t len);
void pattern_release(struct pattern *p);

/* ---- format.c ----------------------------------------------------- */
enum schema_format schema_format_lookup(const char *name, size_t len);
const char *schema_format_name(enum schema_format f);
/* Is s (len bytes of UTF-8) valid for format f? */
bool schema_format_check(enum schema_format f, const char *s, size_t len);

#endif
