/*
 * record/accept.h: the one gate every line of a log passes: parse,
 * schema, record check, or reject (accept.c). Used by
 * oak-join-by-invocation for all three logs and by oak-validate.
 */
#ifndef OAK_RECORD_ACCEPT_H
#define OAK_RECORD_ACCEPT_H

#include "record/invocation.h"
#include "schema/schema.h"

/* Which record checks follow the schema's. */
enum record_shape {
	RECORD_ANY,        /* none: any JSON the schema accepts */
	RECORD_LOG,        /* record_check: an id and a timestamp */
	RECORD_INVOCATION  /* invocation_check: what every stage reads */
};

struct record_gate {
	struct schema *schema;  /* NULL: no schema check */
	enum record_shape shape;
	struct buf err;
	/* RECORD_INVOCATION: the root's invocation_keys in the line that
	 * passed last (json_get_keys), for its reader */
	int at[INV_KEYS];
};

/* One line, as it came: where, its bytes, whether a newline ended it. */
struct record_line {
	const char *file;
	long no;
	const char *text;
	size_t len;
	bool had_newline;
};

void record_gate_init(struct record_gate *g, struct schema *schema,
		      enum record_shape shape);
void record_gate_release(struct record_gate *g);
/*
 * Parses ln into d and checks it. true when it passes (and, for
 * RECORD_INVOCATION, *when is its start); else false, and the line is
 * rejected with the reason when report is true ("(truncated last line)"
 * added when no newline ended it).
 */
bool record_accept(struct record_gate *g, struct json_doc *d,
		   const struct record_line *ln, bool report,
		   struct oak_instant *when);

#endif
