/*
 * record/agent_fields.h: the table of AgentStats' state (agent_stats.c),
 * private to agent_stats.c and agent_codec.c. One row per field: its key
 * in the JSON, where it lives in struct agent_stats, and what one
 * invocation adds to it (struct agent_facts). Adding a statistic is one
 * member, one row, and its test.
 */
#ifndef OAK_RECORD_AGENT_FIELDS_H
#define OAK_RECORD_AGENT_FIELDS_H

#include <stddef.h>

#include "record/agent_stats.h"

enum field_kind {
	FIELD_INT,       /* int64_t: a count, or a sum */
	FIELD_COUNTER,   /* struct counter_set */
	FIELD_HIST,      /* struct hist */
	FIELD_TS         /* one end of the date range */
};
#define FIELD_REQUIRED 0x01  /* the seed's: AgentStats without it is bad */
#define FIELD_SIGNED   0x02  /* a sum that may be negative */
#define FIELD_MIN      0x04  /* merged as the minimum (first_seq) */
#define FIELD_TOP      0x08  /* beside "state", not in it */
#define FIELD_LAST     0x10  /* FIELD_TS: the range's end, not its start */
#define FIELD_SPARSE   0x20  /* written only when not zero or empty */
#define NO_FACT ((size_t)-1)

struct field {
	const char *name;
	enum field_kind kind;
	unsigned flags;
	size_t at;         /* offset of the member in struct agent_stats */
	size_t fact;       /* offset of one invocation's part, or NO_FACT */
	const struct counter_shape *shape;   /* FIELD_COUNTER */
};
extern const struct field agent_fields[];
extern const size_t agent_nfields;

/* What one invocation adds, field by field: an int64_t for FIELD_INT, a
 * fact_key for FIELD_COUNTER (none when text is NULL), a double for
 * FIELD_HIST (NaN: nothing, 0: the zero bucket), and the start instant
 * with its text for FIELD_TS. */
struct fact_key {
	const char *text;
	size_t len;
	int64_t v[COUNTER_MAX];
	struct counter *item;   /* text's item, once looked up; NULL: new */
};
struct agent_facts {
	int64_t invocations;
	int64_t successes, failures, partials, unknowns;
	int64_t duration_count, duration_sum_micro;
	int64_t quality_count, quality_sum_micro;
	int64_t would_use_again_yes, would_use_again_no;
	int64_t tokens_count, tokens_sum;
	struct fact_key task_type, failure_message, alternative;
	struct fact_key task_outcome, day;
	int64_t tokens_kind_count, tokens_kind[KIND_N];
	int64_t cost_count, cost_sum_micro;
	int64_t task_type_inferred;
	struct fact_key cost_unpriced, model, model_cost;
	double duration, tokens, cost;
	struct oak_instant when;
	const char *ts;    /* the timestamp as written */
	size_t ts_len;
};

/* The member of a row in AgentStats a, read-only or not, and its part
 * in facts f. */
#define FIELD_OF(type, a, row) ((type *)((char *)(a) + (row)->at))
#define CFIELD_OF(type, a, row) \
	((const type *)((const char *)(a) + (row)->at))
#define FACT_OF(type, f, row) ((type *)((char *)(f) + (row)->fact))

/* What invocation d (at: its root's invocation_keys, but its success
 * metric is token at[INV_METRIC] of md; when: its start, seq: its
 * position) adds to its agent's state (agent_facts.c): NULL, or why it
 * is bad. */
const char *agent_facts_of(const struct json_doc *d, const int *at,
			   const struct json_doc *md, int64_t seq,
			   struct oak_instant when, struct agent_facts *f);
/* What an invocation adds apart from its success metric, its position
 * and its day, worked out by the thread that parsed it
 * (agent_facts_own), or why it is bad: early when that reason comes
 * before any of its success metric's. */
struct agent_own {
	struct agent_facts f;
	const char *why;
	bool early;
};
/* Works out o for invocation d (at: its root's invocation_keys) with no
 * state of the thread's: every text is d's as written (d must stay as it
 * is until o is added); false when one would have to be copied (then
 * count d with agent_facts_of). */
bool agent_facts_own(const struct json_doc *d, const int *at,
		     struct agent_own *o);
/* The rest of o's facts: its success metric m (NULL: none; its texts in
 * text, and not escaped), for the seq-th invocation, started at when:
 * NULL, or why it is bad, as agent_facts_of. */
const char *agent_facts_rest(struct agent_own *o, const struct agent_metric *m,
			     const char *text, int64_t seq,
			     struct oak_instant when);
/* Widens a's date range with instant t written as text. */
void agent_range_add(struct agent_stats *a, struct oak_instant t,
		     const char *text, size_t len);

#endif
