/*
 * record.c: the three record kinds, written as the Python reference
 * logger writes them: json.dumps with separators ", " and ": ", keys in
 * the reference's order, its defaults, timestamps as
 * datetime.utcnow().isoformat() + "Z". Values taken from the user's
 * JSON are copied as json.loads then json.dumps would (ints stay ints,
 * other numbers are floats in Python's repr).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "schema/schema.h"

static void
py_number(struct buf *out, const char *raw, size_t len)
{
	char tmp[64];
	char *copy = len < sizeof(tmp) ? tmp : oak_malloc(len + 1);

	memcpy(copy, raw, len);
	copy[len] = '\0';
	if (strpbrk(copy, ".eE") == NULL) {
		/* a Python int: its digits, but "-0" is 0 */
		if (strcmp(copy, "-0") == 0)
			buf_addc(out, '0');
		else
			buf_add(out, copy, len);
	} else {
		jw_double(out, strtod(copy, NULL));
	}
	if (copy != tmp)
		free(copy);
}

/* Writes the value at token i; returns the token after its subtree. */
static int
pyvalue(struct buf *out, const struct json_doc *d, int i)
{
	const jsmntok_t *t = &d->tok[i];
	struct buf text;
	size_t len;
	const char *raw;
	int k, j = i + 1;

	switch (t->type) {
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		buf_addc(out, t->type == JSMN_OBJECT ? '{' : '[');
		for (k = 0; k < t->size; k++) {
			if (k > 0)
				buf_adds(out, ", ");
			if (t->type == JSMN_OBJECT) {
				j = pyvalue(out, d, j);
				buf_adds(out, ": ");
			}
			j = pyvalue(out, d, j);
		}
		buf_addc(out, t->type == JSMN_OBJECT ? '}' : ']');
		return j;
	case JSMN_STRING:
		buf_init(&text);
		json_unescape(d, i, &text);
		jw_string(out, text.data ? text.data : "", text.len);
		buf_release(&text);
		return j;
	default:
		raw = json_raw(d, i, &len);
		if (json_is_number(d, i))
			py_number(out, raw, len);
		else
			buf_add(out, raw, len);
		return j;
	}
}

void
jw_pyvalue(struct buf *out, const struct json_doc *d, int i)
{
	pyvalue(out, d, i);
}

static void
string_array(struct buf *out, const char **items, size_t n)
{
	size_t k;

	buf_addc(out, '[');
	for (k = 0; k < n; k++) {
		if (k > 0)
			buf_adds(out, ", ");
		jw_cstring(out, items[k]);
	}
	buf_addc(out, ']');
}

static void
string_or_null(struct buf *out, const char *s)
{
	if (s == NULL)
		buf_adds(out, "null");
	else
		jw_cstring(out, s);
}

static void
tristate(struct buf *out, int v)
{
	buf_adds(out, v < 0 ? "null" : v ? "true" : "false");
}

static void
timestamp(struct buf *out)
{
	struct buf ts;

	buf_init(&ts);
	oak_now_iso(&ts);
	jw_key(out, "timestamp");
	jw_string(out, ts.data, ts.len);
	buf_release(&ts);
}

void
record_start(struct buf *out, const struct start_record *r)
{

	buf_addc(out, '{');
	timestamp(out);
	jw_key(out, "session_id");
	jw_cstring(out, r->session_id);
	jw_key(out, "invocation_id");
	jw_cstring(out, r->invocation_id);
	jw_key(out, "agent_name");
	jw_cstring(out, r->agent_name);
	jw_key(out, "agent_type");
	jw_cstring(out, r->agent_type);
	jw_key(out, "task_description");
	jw_cstring(out, r->task);
	jw_key(out, "state_features");
	if (r->features != NULL)
		jw_pyvalue(out, r->features, 0);
	else
		buf_adds(out, "{}");
	jw_key(out, "parent_invocation_id");
	string_or_null(out, r->parent_id);
	jw_key(out, "tools_used");
	buf_adds(out, "[]");
	jw_key(out, "duration_seconds");
	buf_adds(out, "null");
	jw_key(out, "outcome");
	buf_addc(out, '{');
	jw_key(out, "status");
	jw_cstring(out, "unknown");
	jw_key(out, "error_message");
	buf_adds(out, "null");
	jw_key(out, "files_modified");
	buf_adds(out, "[]");
	jw_key(out, "files_created");
	buf_adds(out, "[]");
	jw_key(out, "tests_passed");
	buf_adds(out, "null");
	jw_key(out, "build_succeeded");
	buf_adds(out, "null");
	buf_addc(out, '}');
	jw_key(out, "metadata");
	buf_adds(out, r->metadata != NULL ? r->metadata : "{}");
	buf_addc(out, '}');
}

static void
timestamp_and_id(struct buf *out, const char *id)
{
	timestamp(out);
	jw_key(out, "invocation_id");
	jw_cstring(out, id);
}

void
record_update(struct buf *out, const struct update_record *r)
{
	bool any_outcome = r->status != NULL || r->error != NULL ||
			   r->has_modified || r->has_created ||
			   r->tests_passed >= 0 || r->build_succeeded >= 0;

	buf_addc(out, '{');
	timestamp_and_id(out, r->invocation_id);
	if (r->has_duration) {
		jw_key(out, "duration_seconds");
		jw_double(out, r->duration);
	}
	if (r->has_tools) {
		jw_key(out, "tools_used");
		string_array(out, r->tools, r->ntools);
	}
	if (any_outcome) {
		jw_key(out, "outcome");
		buf_addc(out, '{');
		if (r->status != NULL) {
			jw_key(out, "status");
			jw_cstring(out, r->status);
		}
		if (r->error != NULL) {
			jw_key(out, "error_message");
			jw_cstring(out, r->error);
		}
		if (r->has_modified) {
			jw_key(out, "files_modified");
			string_array(out, r->modified, r->nmodified);
		}
		if (r->has_created) {
			jw_key(out, "files_created");
			string_array(out, r->created, r->ncreated);
		}
		if (r->tests_passed >= 0) {
			jw_key(out, "tests_passed");
			tristate(out, r->tests_passed);
		}
		if (r->build_succeeded >= 0) {
			jw_key(out, "build_succeeded");
			tristate(out, r->build_succeeded);
		}
		buf_addc(out, '}');
	}
	if (r->metadata != NULL) {
		jw_key(out, "metadata");
		buf_adds(out, r->metadata);
	}
	buf_addc(out, '}');
}

void
record_metric(struct buf *out, const struct metric_record *r)
{

	buf_addc(out, '{');
	timestamp_and_id(out, r->invocation_id);
	jw_key(out, "success");
	buf_adds(out, r->success ? "true" : "false");
	jw_key(out, "quality_rating");
	jw_int(out, r->quality);
	jw_key(out, "feedback_source");
	jw_cstring(out, r->source);
	jw_key(out, "feedback_notes");
	string_or_null(out, r->notes);
	jw_key(out, "would_use_again");
	tristate(out, r->would_use_again);
	jw_key(out, "alternative_agent_suggested");
	string_or_null(out, r->alternative);
	buf_addc(out, '}');
}

/* ---- what is written, against the schema ------------------------- */

const char *
record_schema_check(const char *kind, const struct buf *line)
{
	static struct buf err;
	struct schema *schema = schema_load_kind(kind);
	struct json_doc doc;
	const char *why = NULL;

	json_doc_init(&doc);
	buf_reset(&err);
	if (json_parse(&doc, line->data, line->len, &why) < 0)
		buf_adds(&err, why);
	else if (!schema_validate(schema, &doc, 0, &err))
		why = err.data;
	json_doc_release(&doc);
	schema_release(schema);
	return why != NULL ? err.data : NULL;
}
