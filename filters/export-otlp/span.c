/*
 * span.c: one JoinedInvocation as an OTLP/JSON span, after the
 * OpenTelemetry GenAI semantic conventions' "invoke agent" internal span,
 * and its last SuccessMetric as a gen_ai.evaluation.result log record.
 * Ids are name-based (uuid v5, SHA-1): the trace id from the session (or
 * the workflow), the span id from the invocation id, so the same input
 * always gives the same ids and a parent's span id is known from its id
 * alone. OTLP/JSON: ids in hex, 64-bit integers as strings, enums as
 * numbers.
 */
#include <string.h>

#include "otlp.h"
#include "record/instant.h"
#include "record/uuid.h"

/* Namespaces of the name-based ids (random uuids, fixed forever). */
#define TRACE_NS "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
#define SPAN_NS "6ba7b814-9dad-41d1-80b4-00c04fd430c8"

#define SPAN_KIND_INTERNAL 1
#define STATUS_CODE_ERROR 2
#define SEVERITY_NUMBER_INFO 9
#define NS_MAX_SEC 9223372035LL   /* the last second a uint64 of ns holds */

/* The first nbytes of the uuid v5 of prefix + text under ns, in hex. */
static void
hex_id(struct buf *b, const char *ns, const char *prefix, const char *text,
       size_t len, size_t nbytes)
{
	static struct buf name;
	char uuid[OAK_UUID_LEN + 1];
	size_t i, n = 0;

	buf_reset(&name);
	buf_adds(&name, prefix);
	buf_add(&name, text, len);
	oak_uuid_v5(uuid, ns, name.data, name.len);
	buf_addc(b, '"');
	for (i = 0; uuid[i] != '\0' && n < 2 * nbytes; i++)
		if (uuid[i] != '-') {
			buf_addc(b, uuid[i]);
			n++;
		}
	buf_addc(b, '"');
}

/* The unescaped string token i into out; false when i is no string or
 * an empty one. */
static bool
string_of(const struct json_doc *d, int i, struct buf *out)
{
	buf_reset(out);
	if (!json_is_string(d, i) || d->tok[i].end == d->tok[i].start)
		return false;
	json_unescape(d, i, out);
	return true;
}

static void
attr_key(struct buf *b, const char *key)
{
	jw_sep(b);
	buf_adds(b, "{\"key\": ");
	jw_cstring(b, key);
	buf_adds(b, ", \"value\": {");
}

/* A string attribute from string token i, as written; none when i is
 * not a string. */
static void
attr_token(struct buf *b, const char *key, const struct json_doc *d, int i)
{
	size_t len;
	const char *p;

	if (!json_is_string(d, i))
		return;
	p = json_span(d, i, &len);
	attr_key(b, key);
	buf_adds(b, "\"stringValue\": ");
	buf_add(b, p, len);
	buf_adds(b, "}}");
}

static void
attr_cstring(struct buf *b, const char *key, const char *s)
{
	attr_key(b, key);
	buf_adds(b, "\"stringValue\": ");
	jw_cstring(b, s);
	buf_adds(b, "}}");
}

/* An integer attribute from a whole number token; none otherwise. */
static void
attr_int(struct buf *b, const char *key, const struct json_doc *d, int i)
{
	int64_t v;

	if (!json_is_number(d, i) || json_int64(d, i, &v) < 0)
		return;
	attr_key(b, key);
	buf_printf(b, "\"intValue\": \"%lld\"}}", (long long)v);
}

static void
attr_bool(struct buf *b, const char *key, const struct json_doc *d, int i)
{
	if (!json_is_bool(d, i))
		return;
	attr_key(b, key);
	buf_printf(b, "\"boolValue\": %s}}",
		   json_is_true(d, i) ? "true" : "false");
}

/* The string elements of array token i as an arrayValue. */
static void
attr_strings(struct buf *b, const char *key, const struct json_doc *d, int i)
{
	int k, end;
	size_t len;
	const char *p;

	if (!json_is_array(d, i))
		return;
	attr_key(b, key);
	buf_adds(b, "\"arrayValue\": {\"values\": [");
	for (k = i + 1, end = json_skip(d, i); k < end; k = json_skip(d, k)) {
		if (!json_is_string(d, k))
			continue;
		p = json_span(d, k, &len);
		jw_sep(b);
		buf_adds(b, "{\"stringValue\": ");
		buf_add(b, p, len);
		buf_addc(b, '}');
	}
	buf_adds(b, "]}}}");
}

/* Nanoseconds since the epoch, as an OTLP string; false out of range. */
static bool
unix_nano(struct buf *b, struct oak_instant t, int64_t add_micro)
{
	uint64_t ns;

	if (t.sec < 0 || t.sec > NS_MAX_SEC - 1 - add_micro / 1000000)
		return false;
	ns = (uint64_t)t.sec * 1000000000u + (uint64_t)t.nsec +
	     (uint64_t)add_micro * 1000u;
	buf_printf(b, "\"%llu\"", (unsigned long long)ns);
	return true;
}

/* The trace id of an invocation: its workflow's or its session's, else
 * its own. */
static void
trace_id(struct buf *b, const struct json_doc *d, const struct otlp_options *o)
{
	static struct buf text;

	if (o->trace_by == TRACE_BY_WORKFLOW &&
	    string_of(d, json_path(d, 0, "metadata", "workflow_id", NULL), &text))
		hex_id(b, TRACE_NS, "workflow:", text.data, text.len, 16);
	else if (string_of(d, json_get(d, 0, "session_id"), &text))
		hex_id(b, TRACE_NS, "session:", text.data, text.len, 16);
	else if (string_of(d, json_get(d, 0, "invocation_id"), &text))
		hex_id(b, TRACE_NS, "invocation:", text.data, text.len, 16);
}

/* The span id of the invocation id in string token i. */
static void
span_id(struct buf *b, const struct json_doc *d, int i)
{
	static struct buf text;

	string_of(d, i, &text);
	hex_id(b, SPAN_NS, "", text.data, text.len, 8);
}

/* The span's attributes (gen_ai.* after the conventions, oak.* ours). */
static void
span_attributes(struct buf *b, const struct json_doc *d,
		const struct otlp_options *o, bool failed)
{
	int meta = json_get(d, 0, "metadata");
	int provider = json_get(d, meta, "provider");

	buf_adds(b, ", \"attributes\": [");
	attr_cstring(b, "gen_ai.operation.name", "invoke_agent");
	if (json_is_string(d, provider))
		attr_token(b, "gen_ai.provider.name", d, provider);
	else
		attr_cstring(b, "gen_ai.provider.name", o->provider);
	attr_token(b, "gen_ai.agent.name", d, json_get(d, 0, "agent_name"));
	attr_token(b, "gen_ai.agent.id", d, json_get(d, meta, "agent_id"));
	attr_token(b, "gen_ai.conversation.id", d, json_get(d, 0, "session_id"));
	attr_token(b, "gen_ai.request.model", d, json_get(d, meta, "model"));
	attr_int(b, "gen_ai.usage.input_tokens", d,
		 json_path(d, meta, "usage", "input_tokens", NULL));
	attr_int(b, "gen_ai.usage.output_tokens", d,
		 json_path(d, meta, "usage", "output_tokens", NULL));
	if (failed)
		attr_cstring(b, "error.type", "agent_failure");
	attr_token(b, "oak.invocation_id", d, json_get(d, 0, "invocation_id"));
	attr_token(b, "oak.agent_type", d, json_get(d, 0, "agent_type"));
	attr_token(b, "oak.task.description", d,
		   json_get(d, 0, "task_description"));
	attr_token(b, "oak.task.type", d,
		   json_path(d, 0, "state_features", "task", "type", NULL));
	attr_token(b, "oak.outcome.status", d,
		   json_path(d, 0, "outcome", "status", NULL));
	attr_strings(b, "oak.tools_used", d, json_get(d, 0, "tools_used"));
	attr_token(b, "oak.workflow_id", d, json_get(d, meta, "workflow_id"));
	buf_addc(b, ']');
}

/* The gen_ai.evaluation.result record of the invocation's metric. */
static const char *
evaluation_record(const struct json_doc *d, const struct otlp_options *o,
		  int metric, struct buf *logs)
{
	static struct buf text;
	struct oak_instant t;
	int i = json_get(d, metric, "timestamp"), q;
	size_t len;
	const char *p;

	p = json_raw(d, i, &len);
	if (!json_is_string(d, i) || oak_time_parse(p, len, false, &t) < 0)
		return "\"success_metric.timestamp\" is not an ISO-8601 date-time";
	jw_sep(logs);
	buf_adds(logs, "{\"timeUnixNano\": ");
	if (!unix_nano(logs, t, 0))
		return "\"success_metric.timestamp\" is outside OTLP's range";
	buf_adds(logs, ", \"observedTimeUnixNano\": ");
	unix_nano(logs, t, 0);
	buf_printf(logs, ", \"severityNumber\": %d, \"severityText\": \"INFO\", "
		   "\"eventName\": \"gen_ai.evaluation.result\", \"traceId\": ",
		   SEVERITY_NUMBER_INFO);
	trace_id(logs, d, o);
	buf_adds(logs, ", \"spanId\": ");
	span_id(logs, d, json_get(d, 0, "invocation_id"));
	buf_adds(logs, ", \"attributes\": [");
	attr_cstring(logs, "gen_ai.evaluation.name", "quality_rating");
	if (json_is_number(d, q = json_get(d, metric, "quality_rating"))) {
		attr_key(logs, "gen_ai.evaluation.score.value");
		buf_adds(logs, "\"doubleValue\": ");
		jw_double(logs, json_number(d, q));
		buf_adds(logs, "}}");
	}
	i = json_get(d, metric, "success");
	if (json_is_bool(d, i))
		attr_cstring(logs, "gen_ai.evaluation.score.label",
			     json_is_true(d, i) ? "pass" : "fail");
	if (string_of(d, json_get(d, metric, "feedback_notes"), &text))
		attr_token(logs, "gen_ai.evaluation.explanation", d,
			   json_get(d, metric, "feedback_notes"));
	attr_token(logs, "oak.feedback_source", d,
		   json_get(d, metric, "feedback_source"));
	attr_bool(logs, "oak.would_use_again", d,
		  json_get(d, metric, "would_use_again"));
	attr_token(logs, "oak.alternative_agent_suggested", d,
		   json_get(d, metric, "alternative_agent_suggested"));
	buf_adds(logs, "]}");
	return NULL;
}

const char *
otlp_span(const struct json_doc *d, const struct otlp_options *o,
	  struct buf *spans, struct buf *logs, size_t *nlogs)
{
	static struct buf span;
	struct oak_instant start;
	int64_t micro = 0;
	int i, parent, metric, status;
	size_t len, at = logs->len;
	const char *p, *why;
	bool failed;

	i = json_get(d, 0, "timestamp");
	p = json_raw(d, i, &len);
	oak_time_parse(p, len, false, &start);
	i = json_get(d, 0, "duration_seconds");
	if (json_is_number(d, i) && (json_micro(d, i, &micro) < 0 || micro < 0))
		return "\"duration_seconds\" is negative or out of range";
	status = json_path(d, 0, "outcome", "status", NULL);
	failed = json_streq(d, status, "failure");

	buf_reset(&span);
	buf_adds(&span, "{\"traceId\": ");
	trace_id(&span, d, o);
	buf_adds(&span, ", \"spanId\": ");
	span_id(&span, d, json_get(d, 0, "invocation_id"));
	parent = json_get(d, 0, "parent_invocation_id");
	if (json_is_string(d, parent) && d->tok[parent].end > d->tok[parent].start) {
		buf_adds(&span, ", \"parentSpanId\": ");
		span_id(&span, d, parent);
	}
	p = json_raw(d, json_get(d, 0, "agent_name"), &len);
	buf_adds(&span, ", \"name\": \"invoke_agent ");
	buf_add(&span, p, len);
	buf_printf(&span, "\", \"kind\": %d, \"startTimeUnixNano\": ",
		   SPAN_KIND_INTERNAL);
	if (!unix_nano(&span, start, 0))
		return "\"timestamp\" is outside OTLP's range";
	buf_adds(&span, ", \"endTimeUnixNano\": ");
	if (!unix_nano(&span, start, micro))
		return "\"duration_seconds\" ends outside OTLP's range";
	span_attributes(&span, d, o, failed);
	if (failed) {
		buf_printf(&span, ", \"status\": {\"code\": %d", STATUS_CODE_ERROR);
		i = json_path(d, 0, "outcome", "error_message", NULL);
		if (json_is_string(d, i)) {
			p = json_span(d, i, &len);
			buf_adds(&span, ", \"message\": ");
			buf_add(&span, p, len);
		}
		buf_addc(&span, '}');
	}
	buf_addc(&span, '}');

	metric = json_get(d, 0, "success_metric");
	if (json_is_object(d, metric)) {
		if ((why = evaluation_record(d, o, metric, logs)) != NULL) {
			logs->len = at;
			logs->data[at] = '\0';
			return why;
		}
		(*nlogs)++;
	}
	jw_sep(spans);
	buf_add(spans, span.data, span.len);
	return NULL;
}

void
otlp_data(struct buf *out, enum otlp_signal signal, const struct buf *items)
{
	static const char *const names[][3] = {
		{ "resourceSpans", "scopeSpans", "spans" },
		{ "resourceLogs", "scopeLogs", "logRecords" },
	};
	const char *const *n = names[signal];

	buf_printf(out, "{\"%s\": [{\"resource\": {\"attributes\": [", n[0]);
	buf_adds(out, "{\"key\": \"service.name\", \"value\": "
		      "{\"stringValue\": \"oak-telemetry\"}}]}, ");
	buf_printf(out, "\"%s\": [{\"scope\": {\"name\": \"oak-export-otlp\", "
		   "\"version\": \"%s\"}, \"%s\": [", n[1], OAK_VERSION, n[2]);
	buf_add(out, items->data, items->len);
	buf_adds(out, "]}]}]}\n");
}
