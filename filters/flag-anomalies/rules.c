/*
 * rules.c: the rules that flag an agent's week. Five measures are
 * compared with the same measure over the agent's trailing weeks: the
 * expected range is median +- max(K x 1.4826 x MAD, a floor), the
 * median absolute deviation scaled to a normal standard deviation
 * (Iglewicz and Hoaglin's modified z-score with K = 3.5); a week is
 * judged only with MIN_HISTORY trailing weeks that have enough calls.
 * Three events are flagged as they are: a new error message, an agent
 * that stopped being used, a new agent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "stats/htest.h"
#include "anomalies.h"

#define K 3.5
#define MAD_TO_SD 1.4826
#define MIN_HISTORY 4

enum measure { SUCCESS_RATE, FAILURE_COUNT, P90_DURATION, INVOCATION_COUNT,
	       TOKENS_PER_CALL, NMEASURE };

/*
 * The least half-width of each range, so that a steady history whose
 * weeks happen to agree closely does not flag ordinary sampling noise:
 * for a rate, K binomial standard errors at the median rate and this
 * week's calls; for a count, K Poisson standard deviations at the
 * median; for p90 and tokens, a share of the median.
 */
enum floor_kind { FLOOR_BINOMIAL, FLOOR_POISSON, FLOOR_SHARE };

static const struct {
	const char *name, *title;
	enum floor_kind floor;
	double share;
	double max;                    /* the range is clipped to [0, max] */
	bool count;                    /* a week without data counts 0 */
} measure[NMEASURE] = {
	{ "success_rate", "success rate", FLOOR_BINOMIAL, 0, 1, false },
	{ "failure_count", "failures", FLOOR_POISSON, 0, INFINITY, true },
	{ "p90_duration", "p90 duration", FLOOR_SHARE, 0.3, INFINITY, false },
	{ "invocation_count", "invocations", FLOOR_POISSON, 0, INFINITY, true },
	{ "tokens_per_call", "tokens per call", FLOOR_SHARE, 0.2, INFINITY, false },
};

/* The measure of one week, when the week has enough calls for it. */
static bool
value_of(const struct agent *a, int64_t week, enum measure m,
	 const struct rules *r, double *x)
{
	const struct week *w = agent_week(a, week);
	int64_t decided;

	if (w == NULL) {
		*x = 0;
		return measure[m].count && week >= a->first;
	}
	switch (m) {
	case SUCCESS_RATE:
		decided = w->successes + w->failures;
		*x = decided ? (double)w->successes / (double)decided : 0;
		return decided >= r->min_sample;
	case FAILURE_COUNT:
		*x = (double)w->failures;
		return true;
	case P90_DURATION:
		*x = hist_quantile(&w->durations, 0.9);
		return w->durations.total >= r->min_sample;
	case INVOCATION_COUNT:
		*x = (double)w->n;
		return true;
	case TOKENS_PER_CALL:
	default:
		*x = w->tokens_count ? (double)w->tokens_sum /
				       (double)w->tokens_count : 0;
		return w->tokens_count >= r->min_sample;
	}
}

struct band {
	double median, lo, hi;
	int nweeks;
};

static double
floor_of(const struct agent *a, int64_t week, enum measure m, double median)
{
	const struct week *w = agent_week(a, week);
	double p = fmin(0.95, fmax(0.05, median)), n;

	switch (measure[m].floor) {
	case FLOOR_BINOMIAL:
		n = w ? (double)(w->successes + w->failures) : 1;
		return K * sqrt(p * (1 - p) / fmax(n, 1));
	case FLOOR_POISSON:
		return K * sqrt(fmax(median, 1));
	case FLOOR_SHARE:
	default:
		return measure[m].share * median;
	}
}

/* The expected range of measure m in week, from the trailing weeks. */
static bool
band_of(const struct agent *a, int64_t week, enum measure m,
	const struct rules *r, struct band *b)
{
	double x[64], dev[64], half;
	int n = 0, i;
	int64_t w;

	for (w = week - r->weeks; w < week; w++)
		if (w >= a->first && value_of(a, w, m, r, &x[n]))
			n++;
	if (n < MIN_HISTORY)
		return false;
	doubles_sort(x, (size_t)n);
	b->median = sorted_quantile(x, (size_t)n, 0.5);
	for (i = 0; i < n; i++)
		dev[i] = fabs(x[i] - b->median);
	doubles_sort(dev, (size_t)n);
	half = K * MAD_TO_SD * sorted_quantile(dev, (size_t)n, 0.5);
	half = fmax(half, floor_of(a, week, m, b->median));
	b->lo = fmax(0, b->median - half);
	b->hi = fmin(measure[m].max, b->median + half);
	b->nweeks = n;
	return true;
}

/* A number as the reason shows it. */
static void
show(struct buf *out, enum measure m, double x)
{
	if (m == SUCCESS_RATE)
		buf_printf(out, "%.1f%%", 100 * x);
	else if (m == P90_DURATION)
		buf_printf(out, "%.1f s", x);
	else
		buf_printf(out, "%.0f", x);
}

/* One anomaly, as a JSON line or, under --format text, a line of text. */
struct anomaly {
	const struct agent *agent;
	int64_t week;
	const char *metric, *rule, *reason;
	double value, lo, hi;     /* lo, hi NaN: no expected range */
};

static void
emit(struct buf *out, const struct rules *r, const struct anomaly *an)
{
	if (r->text) {
		week_key(out, an->week);
		buf_printf(out, " %s: %s\n", an->agent->name, an->reason);
		return;
	}
	buf_addc(out, '{');
	jw_key(out, "agent");
	jw_cstring(out, an->agent->name);
	jw_key(out, "week");
	buf_addc(out, '"');
	week_key(out, an->week);
	buf_addc(out, '"');
	jw_key(out, "metric");
	jw_cstring(out, an->metric);
	jw_key(out, "value");
	jw_double(out, an->value);
	jw_key(out, "expected");
	if (isnan(an->lo)) {
		buf_adds(out, "null");
	} else {
		buf_addc(out, '[');
		jw_double(out, an->lo);
		jw_sep(out);
		jw_double(out, an->hi);
		buf_addc(out, ']');
	}
	jw_key(out, "rule");
	jw_cstring(out, an->rule);
	jw_key(out, "reason");
	jw_cstring(out, an->reason);
	buf_adds(out, "}\n");
}

static size_t
flag_measure(const struct agent *a, int64_t week, enum measure m,
	     const struct rules *r, struct buf *out, struct buf *why)
{
	struct anomaly an = { a, week, measure[m].name, "median-mad", NULL,
			      0, 0, 0 };
	struct band b;

	if (!value_of(a, week, m, r, &an.value) || !band_of(a, week, m, r, &b) ||
	    (an.value >= b.lo && an.value <= b.hi))
		return 0;
	buf_reset(why);
	buf_printf(why, "%s ", measure[m].title);
	show(why, m, an.value);
	buf_printf(why, " is %s the expected ", an.value < b.lo ? "below" :
		   "above");
	show(why, m, b.lo);
	buf_adds(why, " to ");
	show(why, m, b.hi);
	buf_adds(why, " (median ");
	show(why, m, b.median);
	buf_printf(why, " of %d weeks before)", b.nweeks);
	an.reason = why->data;
	an.lo = b.lo;
	an.hi = b.hi;
	emit(out, r, &an);
	return 1;
}

/* An event without a range: value is a count, expected is null. */
static void
event_line(struct buf *out, const struct rules *r, const struct agent *a,
	   int64_t week, const char *metric, double value, const char *rule,
	   const char *why)
{
	struct anomaly an = { a, week, metric, rule, why, value, NAN, NAN };

	emit(out, r, &an);
}

/* New error messages of agent a in week (errors sorted by agent). */
static size_t
flag_errors(const struct history *h, const struct agent *a, int64_t week,
	    const struct rules *r, struct buf *out, struct buf *why)
{
	size_t i, flagged = 0;

	for (i = a->error_lo; i < a->error_hi; i++) {
		const struct error_seen *e = h->errors[i];

		if (e->first != week ||
		    a->first > week - r->weeks)
			continue;
		buf_reset(why);
		buf_printf(why, "a new error message, %lld failure%s: ",
			   (long long)e->count, e->count == 1 ? "" : "s");
		buf_adds(why, e->message);
		event_line(out, r, a, week, "error_message", (double)e->count,
			   "new-error", why->data);
		flagged++;
	}
	return flagged;
}

/* Used in at least half the trailing weeks and the week before, not now. */
static bool
stopped(const struct agent *a, int64_t week, const struct rules *r)
{
	const struct week *now = agent_week(a, week), *before;
	int used = 0;
	int64_t w;

	before = agent_week(a, week - 1);
	if ((now != NULL && now->n > 0) || before == NULL || before->n == 0)
		return false;
	for (w = week - r->weeks; w < week; w++)
		if ((before = agent_week(a, w)) != NULL && before->n > 0)
			used++;
	return 2 * used >= r->weeks;
}

static size_t
flag_agent_week(const struct history *h, const struct agent *a,
		int64_t week, const struct rules *r, struct buf *out,
		struct buf *why)
{
	const struct week *w = agent_week(a, week);
	size_t flagged = 0;
	int m;

	if (w != NULL && w->n > 0 && a->first < week)
		for (m = 0; m < NMEASURE; m++)
			flagged += flag_measure(a, week, m, r, out, why);
	flagged += flag_errors(h, a, week, r, out, why);
	if (stopped(a, week, r)) {
		buf_reset(why);
		buf_printf(why, "no invocations, after %s was used in the "
			   "week before", a->name);
		event_line(out, r, a, week, "invocation_count", 0, "stopped",
			   why->data);
		flagged++;
	}
	if (a->first == week && week > h->first) {
		buf_reset(why);
		buf_printf(why, "a new agent: %lld invocations, none before",
			   (long long)w->n);
		event_line(out, r, a, week, "invocation_count",
			   (double)w->n,
			   "new-agent", why->data);
		flagged++;
	}
	return flagged;
}

size_t
flag_weeks(const struct history *h, const struct rules *r, int64_t from,
	   int64_t to, struct buf *out)
{
	struct buf why;
	size_t flagged = 0, i;
	int64_t week;

	buf_init(&why);
	for (week = from; week <= to; week++)
		for (i = 0; i < h->nagents; i++)
			flagged += flag_agent_week(h, h->agents[i], week, r,
						   out, &why);
	buf_release(&why);
	return flagged;
}
