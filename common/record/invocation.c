/*
 * invocation.c: the shape every stage needs of a record (record_check:
 * id and timestamp, for all three logs) and of an invocation record,
 * checked in one place so join and group-by refuse the same lines with
 * the same words. Only fields the pipeline reads are checked here; the
 * full schema is oak-validate's job.
 */
#include "record/invocation.h"

static char why[96];

static const char *
want(const char *field, const char *what)
{
	snprintf(why, sizeof(why), "\"%s\" is not %s", field, what);
	return why;
}

static const char *
missing(const char *field)
{
	snprintf(why, sizeof(why), "missing \"%s\"", field);
	return why;
}

/* Present and neither null nor of the wanted kind? */
static bool
wrong(const struct json_doc *d, int i, bool (*is)(const struct json_doc *, int))
{
	return i >= 0 && !json_is_null(d, i) && !is(d, i);
}

/* Is the required field a string? NULL, or the reason it is not. */
static const char *
required_string(const struct json_doc *d, const char *field)
{
	int i = json_get(d, 0, field);

	if (i < 0)
		return missing(field);
	if (!json_is_string(d, i))
		return want(field, "a string");
	return NULL;
}

const char *
record_check(const struct json_doc *d)
{
	const char *reason;

	if (!json_is_object(d, 0))
		return "not a JSON object";
	if ((reason = required_string(d, "invocation_id")) != NULL)
		return reason;
	return required_string(d, "timestamp");
}

const char *
invocation_check(const struct json_doc *d, struct oak_instant *when)
{
	const char *reason, *p;
	size_t len;
	int i, o, sf;

	if ((reason = record_check(d)) != NULL ||
	    (reason = required_string(d, "agent_name")) != NULL)
		return reason;
	i = json_get(d, 0, "timestamp");
	p = json_raw(d, i, &len);
	if (oak_time_parse(p, len, false, when) < 0)
		return want("timestamp", "an ISO-8601 date-time");
	if (wrong(d, json_get(d, 0, "duration_seconds"), json_is_number))
		return want("duration_seconds", "a number");
	o = json_get(d, 0, "outcome");
	if (wrong(d, o, json_is_object))
		return want("outcome", "an object");
	if (wrong(d, json_get(d, o, "status"), json_is_string))
		return want("outcome.status", "a string");
	if (wrong(d, json_get(d, o, "error_message"), json_is_string))
		return want("outcome.error_message", "a string");
	sf = json_get(d, 0, "state_features");
	if (wrong(d, sf, json_is_object))
		return want("state_features", "an object");
	i = json_get(d, sf, "task");
	if (wrong(d, i, json_is_object))
		return want("state_features.task", "an object");
	if (wrong(d, json_get(d, i, "type"), json_is_string))
		return want("state_features.task.type", "a string");
	return NULL;
}

bool
invocation_read(struct json_doc *d, const char *file, const struct line *ln,
		struct oak_instant *when)
{
	const char *reason;

	if (!json_parse_line(d, file, ln))
		return false;
	if ((reason = invocation_check(d, when)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", reason);
		return false;
	}
	return true;
}
