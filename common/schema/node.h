/*
 * schema/node.h: the schema layer's own: formats (format.c) and
 * pattern translation.
 */
#ifndef OAK_SCHEMA_NODE_H
#define OAK_SCHEMA_NODE_H

#include "schema/schema.h"

/* The formats schema_validate checks; any other format name passes. */
enum schema_format {
	FORMAT_NONE, FORMAT_DATE_TIME, FORMAT_DATE, FORMAT_TIME, FORMAT_UUID,
	FORMAT_EMAIL, FORMAT_URI
};
enum schema_format schema_format_lookup(const char *name, size_t len);
const char *schema_format_name(enum schema_format f);
/* Is s (len bytes of UTF-8) valid for format f? */
bool schema_format_check(enum schema_format f, const char *s, size_t len);
/* ECMA-262 pattern to POSIX ERE where they differ only in spelling
 * (\d, \D, \t, \n, \r, \f, \v, \cX); appended to out, NUL-terminated. */
void schema_regex_translate(const char *pattern, size_t len, struct buf *out);

#endif
