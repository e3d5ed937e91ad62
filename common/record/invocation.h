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
 * The members of an invocation's root that the stages read:
 * invocation_keys[k] names member k, and json_get_keys finds them all in
 * one pass. --project writes them in this order, but for a line of the
 * log (no seq of its own) invocation_seq, which the join adds after
 * state_features (joined_shape has that order).
 */
enum invocation_key {
	INV_TIMESTAMP, INV_ID, INV_AGENT, INV_DURATION, INV_METADATA, INV_SEQ,
	INV_OUTCOME, INV_FEATURES, INV_METRIC, INV_KEYS
};
extern const struct json_key invocation_keys[INV_KEYS];
/*
 * The keys of a JoinedInvocation that group reads, in the order join
 * --project group writes them, as a shape of any values (json/shape.h):
 * a parse with it expects each key where the projection puts it, and
 * matches it there with no string scan; its tokens and verdicts are
 * json_parse's (joined_shape.c). Made on first use.
 */
struct json_shape;
const struct json_shape *joined_shape(void);
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
/* The same, with the root's invocation_keys found in at (json_get_keys):
 * a caller that reads them too looks them up once. */
const char *invocation_check_at(const struct json_doc *d, const int *at,
				struct oak_instant *when);
/*
 * Parses line ln of file into d and checks it with invocation_check: true
 * when it is an invocation (*when its start), else false, the line
 * reported (a reject, with its reason).
 */
bool invocation_read(struct json_doc *d, const char *file,
		     const struct line *ln, struct oak_instant *when);

#endif
