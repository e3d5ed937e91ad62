/*
 * Unit tests of joined_shape (record/invocation.h): group's parse with
 * the shape of the keys it reads gives json_parse's tokens and verdicts
 * on every line, whether its keys come where the projection puts them,
 * elsewhere, twice, escaped, cut off, or with values of any type.
 */
#include "json/shape.h"
#include "record/invocation.h"
#include "unit.h"

/* Does the shaped parse of s give json_parse's verdict, words and
 * tokens? */
static bool
same(const char *s)
{
	static struct json_doc plain, d;
	const char *why = NULL, *pwhy = NULL;
	bool conforms;
	int r = json_parse_shaped(&d, s, strlen(s), joined_shape(), NULL,
				  &conforms, &why);
	int p = json_parse(&plain, s, strlen(s), &pwhy);

	if (r != p || (r < 0 && strcmp(why, pwhy) != 0))
		return false;
	return r < 0 || (d.ntok == plain.ntok &&
			 memcmp(d.tok, plain.tok, sizeof(*d.tok) *
				(size_t)d.ntok) == 0 &&
			 memcmp(d.next, plain.next, sizeof(*d.next) *
				(size_t)d.ntok) == 0);
}

#define PROJECTED \
	"{\"timestamp\": \"2025-10-13T08:09:31.119304Z\", \"invocation_id\": " \
	"\"a72d45c8-1c35-4d82-945b-59016a3b5821\", \"agent_name\": \"sec\", " \
	"\"duration_seconds\": 775.1, \"metadata\": {}, \"outcome\": " \
	"{\"status\": \"success\", \"error_message\": null}, " \
	"\"state_features\": {\"task\": {\"type\": \"testing\"}}, " \
	"\"invocation_seq\": 1, \"success_metric\": {\"quality_rating\": 3, " \
	"\"would_use_again\": false, \"alternative_agent_suggested\": null}}"

int
main(void)
{
	CHECK(same(PROJECTED));
	/* a whole JoinedInvocation: keys the shape lacks among its own */
	CHECK(same("{\"timestamp\": \"t\", \"session_id\": \"s\", "
		   "\"invocation_id\": \"i\", \"agent_name\": \"a\", "
		   "\"agent_type\": \"x\", \"state_features\": {\"codebase\": "
		   "{\"loc\": 1}, \"task\": {\"type\": \"t\", \"scope\": \"s\"}}, "
		   "\"tools_used\": [\"Bash\"], \"duration_seconds\": 1, "
		   "\"outcome\": {\"status\": \"success\", \"files\": []}, "
		   "\"metadata\": {\"k\": 1}, \"invocation_seq\": 2}"));
	/* out of order, no spaces, other whitespace, values of any type */
	CHECK(same("{\"outcome\":null,\"timestamp\":1,\"state_features\":[],"
		   "\"success_metric\":\"x\",\"agent_name\":{}}"));
	CHECK(same("{ \"timestamp\" :\n\"t\" ,\t\"invocation_id\" : \"i\" }"));
	/* repeats: at the root, in a nested object, hidden by an escape */
	CHECK(same("{\"timestamp\": 1, \"timestamp\": 2}"));
	CHECK(same("{\"outcome\": {\"status\": 1, \"status\": 2}}"));
	CHECK(same("{\"timestamp\": 1, \"\\u0074imestamp\": 2}"));
	CHECK(same("{\"\\u0074imestamp\": 1, \"invocation_id\": 2}"));
	/* keys that start like the expected one, and cut-off texts */
	CHECK(same("{\"timestamps\": 1, \"timestam\": 2, \"timestamp\": 3}"));
	CHECK(same("{\"timestamp"));
	CHECK(same("{\"timestamp\""));
	CHECK(same("{\"timestamp\": 1, \"invocation_id"));
	CHECK(same("{\"timestamp\": 1, \"success_metric\": "
		   "{\"alternative_agent_sugges"));
	CHECK(same("{\"timestamp\": \"\\u00e9\xc3\xa9\", \"agent_name\": \"\xff\"}"));
	/* an AgentStats line and a bare array: no key is the shape's */
	CHECK(same("{\"agent_name\": \"a\", \"total_invocations\": 3}"));
	CHECK(same("[{\"timestamp\": 1}, 2]"));
	return unit_done();
}
