/*
 * anomalies.h: oak-flag-anomalies' history of each agent, week by week
 * (history.c), and the rules that flag a week (rules.c).
 */
#ifndef OAK_ANOMALIES_H
#define OAK_ANOMALIES_H

#include "base/base.h"
#include "record/hist.h"

/* One agent's ISO week. */
struct week {
	int64_t n, successes, failures;
	struct hist durations;            /* duration_seconds > 0 */
	int64_t tokens_count, tokens_sum; /* metadata.total_tokens */
};

struct agent {
	char *name;
	int64_t base;          /* week index of weeks[0] */
	size_t nweeks;         /* weeks[] covers base .. base + nweeks - 1 */
	struct week *weeks;
	int64_t first, last;   /* the weeks of the first and last invocation */
	size_t error_lo, error_hi; /* its errors in history.errors, once sorted */
};

/* An error message of an agent's failures, where it was first seen. */
struct error_seen {
	struct agent *agent;
	char *message;
	int64_t first;         /* week of its first failure */
	int64_t count;         /* failures with it in that week */
};

struct history {
	struct ht *by_name;
	struct agent **agents;
	size_t nagents, cap_agents;
	struct ht *by_error;   /* agent name, '\n', message */
	struct error_seen **errors;
	size_t nerrors, cap_errors;
	int64_t first;         /* the earliest week of any agent */
};

/* Week index of a day (days since 1970-01-01): weeks start on Monday. */
int64_t week_of_day(int64_t day);
/* Appends "YYYY-Www" of a week index. */
void week_key(struct buf *out, int64_t week);

void history_init(struct history *h);
void history_release(struct history *h);
/* The agent's week, created (zero) when new. */
struct week *history_week(struct history *h, const char *name, size_t len,
			  int64_t week);
/* The agent's week if the agent has one stored, else NULL. */
const struct week *agent_week(const struct agent *a, int64_t week);
/* Counts a failure's error message in week. */
void history_error(struct history *h, const char *name, size_t nlen,
		   const char *message, size_t mlen, int64_t week);
/* Sorts the agents by name and the errors by agent, then message. */
void history_sort(struct history *h);

/* The rules' settings. */
struct rules {
	int weeks;             /* trailing weeks compared with */
	int64_t min_sample;    /* least calls for a rate, p90 or mean */
	bool text;             /* --format text */
};
/* Flags the weeks from .. to (indices, inclusive); writes one JSON line
 * (or text line) per anomaly to out and returns how many. */
size_t flag_weeks(const struct history *h, const struct rules *r,
		  int64_t from, int64_t to, struct buf *out);

#endif
