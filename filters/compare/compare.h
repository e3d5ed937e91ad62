/*
 * compare.h: the two groups oak-compare builds from the stream
 * (main.c), what it concludes from them (analyse.c) and how it writes
 * that (output.c).
 */
#ifndef OAK_COMPARE_H
#define OAK_COMPARE_H

#include "base/base.h"
#include "record/hist.h"

/* A growable array of doubles. */
struct dvec {
	double *v;
	size_t n, cap;
};
void dvec_push(struct dvec *d, double x);
void dvec_release(struct dvec *d);

/* One side of the comparison. Durations and qualities are kept whole
 * (the rank tests need them); tokens and cost only as histograms. */
struct group {
	char *label;                  /* what the group is, for the reader */
	int64_t n;                    /* invocations */
	int64_t successes, failures;  /* partial and unknown are neither */
	struct dvec durations;        /* duration_seconds, present and not 0 */
	struct dvec qualities;        /* success_metric.quality_rating */
	struct hist tokens, cost;     /* metadata.total_tokens, cost_usd */
};

/* A group's summary. */
struct summary {
	double rate, rate_lo, rate_hi;      /* NaN when nothing decided */
	double quality_mean;
	double duration_mean, duration_median, duration_p90;
	double tokens_median, cost_median;
};

enum metric { M_RATE, M_QUALITY, M_DURATION, M_COUNT };

/* One metric compared: B minus A. */
struct contrast {
	double diff, lo, hi;   /* NaN when it cannot be estimated */
	const char *test;      /* "fisher", "z", "mann-whitney", or NULL */
	double statistic;      /* z, or U of A; NaN for Fisher */
	double p, p_holm;      /* NaN when not tested */
	bool exact;            /* Mann-Whitney from its exact distribution */
	char better;           /* 'A', 'B', or 0 when no significant difference */
};

struct analysis {
	struct summary a, b;
	struct contrast metric[M_COUNT];
	double samples_needed; /* per group, for a 10-point difference */
	char verdict[256];
};

extern const char *const metric_name[M_COUNT];

/* Analyses the two groups (sorts their durations and qualities). */
void analyse(struct group *a, struct group *b, struct analysis *out);
/* Writes the analysis as text, or as one JSON object. */
void write_text(struct buf *out, const char *by, const struct group *a,
		const struct group *b, const struct analysis *an);
void write_json(struct buf *out, const char *by, const struct group *a,
		const struct group *b, const struct analysis *an);

#endif
