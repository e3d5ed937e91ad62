/*
 * record/invocation.h: the checks every record of the three logs and
 * every invocation must pass (invocation.c).
 */
#ifndef OAK_RECORD_INVOCATION_H
#define OAK_RECORD_INVOCATION_H

#include "json/json.h"
#include "record/instant.h"

/*
 * Checks what every record of the three logs must have: a JSON object
 * with a string invocation_id and a string timestamp. NULL when fine,
 * else a reason for the diagnostic.
 */
const char *record_check(const struct json_doc *d);
/*
 * Checks the fields of an invocation record every stage relies on:
 * a JSON object with string invocation_id, agent_name, timestamp (an
 * ISO-8601 date-time), and, when present, number-or-null duration_seconds,
 * object outcome with a string status, object state_features. Returns
 * NULL when fine (and *when is the
 * start timestamp, parsed once for every stage), else a reason for the
 * diagnostic.
 */
const char *invocation_check(const struct json_doc *d,
			     struct oak_instant *when);
/*
 * Parses line ln of file into d and checks it with invocation_check: true
 * when it is an invocation (*when its start), else false, the line
 * reported (a reject, with its reason).
 */
bool invocation_read(struct json_doc *d, const char *file,
		     const struct line *ln, struct oak_instant *when);

#endif
