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

/* Present and neither null nor of the wanted kind? The kind is asked
 * first: it is inline, and a value of the kind is never null. */
static bool
wrong(const struct json_doc *d, int i, bool (*is)(const struct json_doc *, int))
{
	return i >= 0 && !is(d, i) && !json_is_null(d, i);
}

const struct json_key invocation_keys[INV_KEYS] = {
	JSON_KEY("timestamp"), JSON_KEY("invocation_id"),
	JSON_KEY("agent_name"), JSON_KEY("duration_seconds"),
	JSON_KEY("metadata"), JSON_KEY("invocation_seq"), JSON_KEY("outcome"),
	JSON_KEY("state_features"), JSON_KEY("success_metric")
};

/* Is the required field (value token i, -1: absent) a string? NULL, or
 * the reason it is not. */
static const char *
required_at(const struct json_doc *d, int i, const char *field)
{
	if (i < 0)
		return missing(field);
	if (!json_is_string(d, i))
		return want(field, "a string");
	return NULL;
}

/* record_check of d with its id and timestamp at those tokens. */
static const char *
record_check_at(const struct json_doc *d, int id, int ts)
{
	const char *reason;

	if (!json_is_object(d, 0))
		return "not a JSON object";
	if ((reason = required_at(d, id, "invocation_id")) != NULL)
		return reason;
	return required_at(d, ts, "timestamp");
}

const char *
record_check(const struct json_doc *d)
{
	return record_check_at(d, json_get(d, 0, "invocation_id"),
			       json_get(d, 0, "timestamp"));
}

const char *
invocation_check(const struct json_doc *d, struct oak_instant *when)
{
	int at[INV_KEYS];

	json_get_keys(d, 0, invocation_keys, INV_KEYS, at);
	return invocation_check_at(d, at, when);
}

const char *
invocation_check_at(const struct json_doc *d, const int *at,
		    struct oak_instant *when)
{
	const char *reason, *p;
	size_t len;
	int i, o, sf;

	if ((reason = record_check_at(d, at[INV_ID], at[INV_TIMESTAMP])) !=
	    NULL ||
	    (reason = required_at(d, at[INV_AGENT], "agent_name")) != NULL)
		return reason;
	p = json_raw(d, at[INV_TIMESTAMP], &len);
	if ((i = oak_time_parse(p, len, false, when)) < 0)
		return i == OAK_TIME_RANGE ? "\"timestamp\" is not in the "
		       "years 0000 to 9999 in UTC" :
		       want("timestamp", "an ISO-8601 date-time");
	if (wrong(d, at[INV_DURATION], json_is_number))
		return want("duration_seconds", "a number");
	o = at[INV_OUTCOME];
	if (wrong(d, o, json_is_object))
		return want("outcome", "an object");
	if (wrong(d, json_get(d, o, "status"), json_is_string))
		return want("outcome.status", "a string");
	if (wrong(d, json_get(d, o, "error_message"), json_is_string))
		return want("outcome.error_message", "a string");
	sf = at[INV_FEATURES];
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
