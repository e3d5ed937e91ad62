/*
 * accept.c: the one gate a line of a log passes before a program uses
 * it: strict JSON, then the schema of its kind (when one is loaded),
 * then the record's own checks (record_check or invocation_check). A
 * line that fails is rejected with the first reason: reported as
 * FILE:LINE, counted and copied to --rejects (oak_vreject), unless the
 * caller says another process reports it (join's shards).
 */
#include <stdarg.h>

#include "record/accept.h"

static bool
refuse(bool report, const char *file, long line, const char *text,
       size_t len, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static bool
refuse(bool report, const char *file, long line, const char *text,
       size_t len, const char *fmt, ...)
{
	va_list ap;

	if (report) {
		va_start(ap, fmt);
		oak_vreject(file, line, text, len, fmt, ap);
		va_end(ap);
	}
	return false;
}

void
record_gate_init(struct record_gate *g, struct schema *schema,
		 enum record_shape shape)
{
	g->schema = schema;
	g->shape = shape;
	buf_init(&g->err);
}

void
record_gate_release(struct record_gate *g)
{
	buf_release(&g->err);
}

bool
record_accept(struct record_gate *g, struct json_doc *d,
	      const struct record_line *ln, bool report,
	      struct oak_instant *when)
{
	struct oak_instant start;
	const char *why = NULL;
	int bad = schema_parse(g->schema, d, ln->text, ln->len, &why, &g->err);

	if (bad < 0)
		return refuse(report, ln->file, ln->no, ln->text, ln->len, "%s%s",
			      why, ln->had_newline ? "" :
			      " (truncated last line)");
	if (bad > 0)
		return refuse(report, ln->file, ln->no, ln->text, ln->len, "%s",
			      g->err.data);
	if (g->shape == RECORD_LOG)
		why = record_check(d);
	else if (g->shape == RECORD_INVOCATION)
		why = (json_get_keys(d, 0, invocation_keys, INV_KEYS, g->at),
		       invocation_check_at(d, g->at, when != NULL ? when : &start));
	if (why != NULL)
		return refuse(report, ln->file, ln->no, ln->text, ln->len, "%s",
			      why);
	return true;
}
