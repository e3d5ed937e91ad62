/*
 * features.h: oak-features' parts. columns.c keeps the column set (the
 * fixed columns, the state_features columns found or given, the labels);
 * row.c fills one row from a JoinedInvocation and writes it as CSV or TSV.
 */
#ifndef OAK_FEATURES_H
#define OAK_FEATURES_H

#include "base/base.h"
#include "json/json.h"

enum table_format { FORMAT_CSV, FORMAT_TSV };

/* A fixed column: a path of up to three keys into the record, and a
 * second path tried when the first is absent. */
struct fixed_column {
	const char *name;
	const char *path[3];
	const char *alt[3];
};

/* An output column: a fixed one (fixed != NULL) or a state feature. */
struct column {
	char *name;
	size_t len;
	const struct fixed_column *fixed;
};

struct table {
	struct ht *index;       /* name -> 1 + position in col */
	struct column *col;
	size_t n, cap;
	bool frozen;            /* --columns: no column is added */
	struct ht *left_out;    /* features noted as not among --columns */
};

/* ---- columns.c ---------------------------------------------------- */
void table_init(struct table *t);
void table_release(struct table *t);
/* The default set's leading and trailing fixed columns. */
void table_add_leading(struct table *t);
void table_add_labels(struct table *t);
/* Adds the state_features columns of a parsed record (first pass). */
void table_discover(struct table *t, const struct json_doc *d);
/* Sorts the columns from first to last - 1 by name. */
void table_sort(struct table *t, size_t first, size_t last);
/* Reads --columns FILE: one column name a line; exits 2 on a bad name. */
void table_read_columns(struct table *t, const char *path);
/* Position of a column, or -1. */
long table_find(const struct table *t, const char *name, size_t len);
/* Walks the state_features object of a record: fn(arg, name, len, tok)
 * for each leaf (not an object) under it, its dotted name built in *name. */
void features_walk(const struct json_doc *d, struct buf *name,
		   void (*fn)(void *arg, const struct json_doc *d,
			      const struct buf *name, int tok),
		   void *arg);

/* ---- row.c -------------------------------------------------------- */
struct row;
struct row *row_create(const struct table *t, enum table_format format);
void row_release(struct row *r);
/* Writes the header line. */
void row_write_header(struct row *r, struct buf *out);
/* Fills the row from a record checked by invocation_check; NULL, or the
 * reason the record cannot be a row. */
const char *row_fill(struct row *r, struct table *t, const struct json_doc *d);
/* Writes the filled row. */
void row_write(struct row *r, struct buf *out);

#endif
