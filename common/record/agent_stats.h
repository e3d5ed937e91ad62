/*
 * record/agent_stats.h: AgentStats, one agent's mergeable state
 * (agent_stats.c, with the table of its fields), its JSON form
 * (agent_codec.c) and its derived view (agent_view.c).
 */
#ifndef OAK_RECORD_AGENT_STATS_H
#define OAK_RECORD_AGENT_STATS_H

#include "json/json.h"
#include "record/counter.h"
#include "record/hist.h"
#include "record/instant.h"

/*
 * AgentStats: one agent's mergeable state and the seed's fields derived
 * from it. Counts and sums are exact integers (sums in millionths), so
 * shards merge into the same digits in any order; every sum is checked.
 * Strings are kept unescaped. first_seq orders agents, task types and
 * failure messages by first appearance. The state's fields are listed
 * once, in the table of agent_stats.c: adding, merging, reading and
 * writing loop over it.
 */
/* What task_outcomes and days count, by index into v[]. */
enum { TASK_INVOCATIONS, TASK_SUCCESSES, TASK_FAILURES, TASK_NV };
enum { DAY_INVOCATIONS, DAY_SUCCESSES, DAY_FAILURES, DAY_QUALITY_COUNT,
       DAY_QUALITY_SUM_MICRO, DAY_NV };
/* Token kinds (metadata.tokens: input, output, cache_creation,
 * cache_read), by index into tokens_kind[] and into models' v[1..]. */
enum { KIND_INPUT, KIND_OUTPUT, KIND_CACHE_WRITE, KIND_CACHE_READ, KIND_N };
/* What models counts per model (metadata.models joined by "+"), and
 * model_costs. */
enum { MODEL_CALLS, MODEL_KIND0, MODEL_NV = MODEL_KIND0 + KIND_N };
enum { MCOST_PRICED, MCOST_SUM_MICRO, MCOST_UNPRICED, MCOST_NV };

struct agent_stats {
	char *name;
	size_t name_len;
	int64_t first_seq;
	int64_t invocations;
	int64_t successes, failures, partials, unknowns;
	int64_t duration_count, duration_sum_micro;
	int64_t quality_count, quality_sum_micro;
	struct counter_set task_types;
	struct counter_set failure_messages;
	bool have_ts;
	struct oak_instant first_ts, last_ts;
	struct buf first_ts_text, last_ts_text;
	/* beyond the seed */
	struct hist duration_hist;        /* durations counted above, > 0 */
	int64_t would_use_again_yes, would_use_again_no;
	struct counter_set alternatives;  /* alternative_agent_suggested */
	int64_t tokens_count, tokens_sum; /* metadata.total_tokens */
	struct hist tokens_hist;
	struct counter_set task_outcomes; /* task type -> TASK_* counts */
	struct counter_set days;          /* UTC day YYYY-MM-DD -> DAY_* */
	/* tokens by kind: calls with metadata.tokens, and per kind sums */
	int64_t tokens_kind_count, tokens_kind[KIND_N];
	/* cost: calls priced in full (metadata.cost_usd, no unpriced
	 * model), their sum in micro-dollars, and its histogram (dollars) */
	int64_t cost_count, cost_sum_micro;
	struct hist cost_hist;
	struct counter_set cost_unpriced;  /* unpriced models -> calls */
	struct counter_set models;         /* model -> MODEL_* */
	struct counter_set model_costs;    /* model -> MCOST_* */
	/* task types whose state_features.task.type_source is "inferred";
	 * the rest of task_types' counts were given */
	int64_t task_type_inferred;
};

struct agent_stats *agent_stats_create(const char *name, size_t len,
				       int64_t first_seq);
void agent_stats_release(struct agent_stats *a);
/* Counts one JoinedInvocation (checked by invocation_check_at, with its
 * root's invocation_keys in at, which gave when, its start), whose
 * success metric is token at[INV_METRIC] of md (d itself, or the metric
 * record of a join, parsed apart). seq is its position in the input.
 * Returns NULL, or a reason the record is bad (then nothing is
 * counted). */
const char *agent_stats_add(struct agent_stats *a, const struct json_doc *d,
			    const int *at, const struct json_doc *md,
			    int64_t seq, struct oak_instant when);
/* What a success metric adds to the invocation it is joined to, worked
 * out once, as its record is read (agent_metric_of, with the metric as
 * token metric of md, -1: none): its rating in millionths, whether the
 * agent would be used again (1, -1 no, 0 not said), the place of the
 * alternative suggested in md's text (alt_len 0: none; alt_escaped:
 * its text must be unescaped), and why the invocation is bad for it. */
enum { METRIC_FITS, METRIC_NOT_OBJECT, METRIC_NOT_NUMBER,
       METRIC_OUT_OF_RANGE };
struct agent_metric {
	int64_t rating;
	uint32_t alt_off, alt_len;
	uint8_t bad;         /* METRIC_* */
	int8_t would_use;
	bool counted;        /* a metric, rated: the facts count it */
	bool alt_escaped;
};
void agent_metric_of(const struct json_doc *md, int metric,
		     struct agent_metric *m);
/* agent_stats_add in two parts, for a line parsed by another thread.
 * What needs no order (all but its success metric, seq and day) is
 * worked out by the thread that parsed invocation d, into own, which
 * holds agent_own_size() bytes aligned as malloc aligns (an array of
 * them in a buffer of its own): false when it cannot be (a text would
 * have to be copied; then count d with agent_stats_add). Every text is
 * d's, so d's text must stay as it is until own is added:
 * agent_stats_add_own, with its success metric m (NULL: none; its
 * alternative not escaped) whose record is text, its seq and start. */
size_t agent_own_size(void);
bool agent_stats_own(const struct json_doc *d, const int *at, void *own);
const char *agent_stats_add_own(struct agent_stats *a, void *own,
				const struct agent_metric *m,
				const char *text, int64_t seq,
				struct oak_instant when);
/* Adds src's state into dst (same agent): NULL, or the reason it cannot
 * (a sum out of the int64 range), and then dst is unchanged. */
const char *agent_stats_merge(struct agent_stats *dst,
			      const struct agent_stats *src);
/* NULL, or why a's counts contradict one another (more successes and
 * failures, or ratings, than invocations; histograms that do not count
 * what their counts say). */
const char *agent_stats_check(const struct agent_stats *a);
/* Reads an AgentStats record; NULL, or a reason it is bad. *out is new. */
const char *agent_stats_read(const struct json_doc *d, struct agent_stats **out);
/* Appends the AgentStats record (one line, no newline). */
void agent_stats_write(struct buf *b, const struct agent_stats *a);

/* The seed's derived values, unrounded (Python's arithmetic). */
double agent_success_rate(const struct agent_stats *a);
double agent_average_quality(const struct agent_stats *a);
double agent_average_duration(const struct agent_stats *a);

/* The seed's fields of one agent, derived from its state: rounded as the
 * seed rounds them, top task types and failures, recommendations. */
struct agent_view {
	double success_rate, average_quality, average_duration, score;
	const struct counter *task[3], *fail[5];
	size_t ntask, nfail;
	const char *rec[3];
	size_t nrec;
	struct buf best_for;   /* holds "Best for T tasks" */
	/* beyond the seed; NaN where there is nothing to measure */
	double ci_low, ci_high;            /* 95 % Wilson, success rate */
	int64_t decided, rated;            /* successes + failures; rated */
	double p50, p90, p99;              /* duration percentiles */
	double would_use_again_rate;
	double tokens_median;
	double cost_median;                /* dollars; NaN: no cost */
	const struct counter *alt[5];
	size_t nalt;
};
void agent_view_make(const struct agent_stats *a, struct agent_view *v);
void agent_view_release(struct agent_view *v);

#endif
