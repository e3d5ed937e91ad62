/*
 * schema/schema.h: JSON Schema draft-07, above the json layer: compile
 * once (compile.c, ref.c), validate many (validate.c); schemas by record
 * kind (kind.c). Patterns are ECMA-262, run on PCRE2 (pattern.c).
 */
#ifndef OAK_SCHEMA_H
#define OAK_SCHEMA_H

#include "json/json.h"

/*
 * JSON Schema draft-07, compiled once from the tokens of a parsed
 * document, then applied to any number of instances. A compiled schema
 * points into doc (text and tokens), which must outlive it.
 * schema_compile returns NULL when the schema is itself invalid, with
 * "POINTER: reason" in *err (POINTER into the schema document).
 */
struct schema;
struct schema *schema_compile(const struct json_doc *doc, int root,
			      struct buf *err);
/* Reads, parses and compiles a schema file; the schema owns the text. */
struct schema *schema_load(const char *path, struct buf *err);
void schema_release(struct schema *s);
/*
 * Validates token tok of inst. Returns true when valid; else false with
 * "POINTER: reason (keyword)" in *err, POINTER locating the failing part
 * of the instance (omitted, with its ": ", for the instance itself). No
 * allocation once warm.
 */
bool schema_validate(struct schema *s, const struct json_doc *inst, int tok,
		     struct buf *err);

/*
 * json_parse, then schema_validate of its root: 0 when text is JSON
 * that s accepts; -1 when it is not JSON (*why as json_parse gives it);
 * 1 when s refuses it (*err as schema_validate gives it). The schema's
 * plain parts are checked as the text is tokenized; only a text they
 * cannot vouch for is walked again. s NULL: json_parse alone.
 */
int schema_parse(struct schema *s, struct json_doc *d, const char *text,
		 size_t len, const char **why, struct buf *err);

/* schema_kind.c: the directory of the installed or in-tree schemas; a
 * schema loaded from a file, or the schema of a record kind ("invocation",
 * "update", "metric", "joined", "agent-stats", "performance-stats",
 * "weekly-report"): NULL for an unknown kind. An unreadable schema exits
 * 3, an invalid one exits 2, with the reason. */
struct schema *schema_load_or_die(const char *path);
struct schema *schema_load_kind(const char *kind);

#endif
