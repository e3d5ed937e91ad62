/*
 * analyse.c: what oak-compare concludes. Per group: the success rate
 * with its Wilson interval, mean quality, duration median and p90, token
 * and cost medians. Between groups (B minus A): the rate difference with
 * Newcombe's hybrid score interval and Fisher's exact test (when an
 * expected cell is below 5) or the two-proportion z test; quality and
 * duration by the difference of means with a normal interval and the
 * Mann-Whitney U test. The three p-values are adjusted by Holm's method;
 * a metric with an adjusted p below 0.05 names the better group.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/stats.h"
#include "stats/htest.h"
#include "compare.h"

#define ALPHA 0.05
#define POWER 0.8
#define DETECT 0.10   /* the difference the sample-size line speaks of */

const char *const metric_name[M_COUNT] = { "success_rate", "quality",
					   "duration" };

void
dvec_push(struct dvec *d, double x)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = oak_realloc(d->v, d->cap * sizeof(*d->v));
	}
	d->v[d->n++] = x;
}

void
dvec_release(struct dvec *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static double
mean_of(const struct dvec *d)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < d->n; i++)
		sum += d->v[i];
	return d->n ? sum / (double)d->n : NAN;
}

/* The sample variance (n - 1); NaN below two values. */
static double
variance_of(const struct dvec *d, double mean)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < d->n; i++)
		sum += (d->v[i] - mean) * (d->v[i] - mean);
	return d->n > 1 ? sum / (double)(d->n - 1) : NAN;
}

static void
summarise(struct group *g, struct summary *s)
{
	int64_t decided = g->successes + g->failures;

	s->rate = s->rate_lo = s->rate_hi = NAN;
	if (decided > 0) {
		s->rate = (double)g->successes / (double)decided;
		wilson_interval(g->successes, decided, OAK_Z95, &s->rate_lo,
				&s->rate_hi);
	}
	s->quality_mean = mean_of(&g->qualities);
	doubles_sort(g->durations.v, g->durations.n);
	s->duration_mean = mean_of(&g->durations);
	s->duration_median = sorted_quantile(g->durations.v, g->durations.n, 0.5);
	s->duration_p90 = sorted_quantile(g->durations.v, g->durations.n, 0.9);
	s->tokens_median = hist_quantile(&g->tokens, 0.5);
	s->cost_median = hist_quantile(&g->cost, 0.5);
}

static void
contrast_clear(struct contrast *c)
{
	c->diff = c->lo = c->hi = c->statistic = c->p = c->p_holm = NAN;
	c->test = NULL;
	c->exact = false;
	c->better = 0;
}

/* Rates: Newcombe's interval from the two Wilson intervals; Fisher when
 * an expected cell of the 2x2 table is below 5, else the z test. */
static void
rate_contrast(const struct group *a, const struct group *b,
	      const struct summary *sa, const struct summary *sb,
	      struct contrast *c)
{
	int64_t da = a->successes + a->failures, db = b->successes + b->failures;
	double total = (double)(da + db), wins, losses, least, z;

	if (da == 0 || db == 0)
		return;
	c->diff = sb->rate - sa->rate;
	c->lo = c->diff - hypot(sb->rate - sb->rate_lo, sa->rate_hi - sa->rate);
	c->hi = c->diff + hypot(sb->rate_hi - sb->rate, sa->rate - sa->rate_lo);
	wins = (double)(a->successes + b->successes);
	losses = (double)(a->failures + b->failures);
	least = fmin(fmin(wins, losses) * (double)da, fmin(wins, losses) * (double)db);
	z = two_proportion_z(a->successes, da, b->successes, db);
	if (least / total < 5 || isnan(z)) {
		c->test = "fisher";
		c->p = fisher_exact_p(a->successes, a->failures, b->successes,
				      b->failures);
	} else {
		c->test = "z";
		c->statistic = z;
		c->p = 2 * norm_cdf(-fabs(z));
	}
	c->better = c->diff > 0 ? 'B' : c->diff < 0 ? 'A' : 0;
}

/* Quality or duration: difference of means, a normal interval on the
 * Welch standard error, and Mann-Whitney. lower_better for durations. */
static void
rank_contrast(struct dvec *a, struct dvec *b, bool lower_better,
	      struct contrast *c)
{
	struct mwu_result r;
	double ma = mean_of(a), mb = mean_of(b), se, half;

	if (mann_whitney(a->v, a->n, b->v, b->n, &r) < 0)
		return;
	c->diff = mb - ma;
	se = sqrt(variance_of(a, ma) / (double)a->n +
		  variance_of(b, mb) / (double)b->n);
	if (!isnan(se)) {
		half = OAK_Z95 * se;
		c->lo = c->diff - half;
		c->hi = c->diff + half;
	}
	c->test = "mann-whitney";
	c->statistic = r.u;
	c->p = r.p;
	c->exact = r.exact;
	/* U of A above its mean: A's values tend to be the larger */
	if (r.u != (double)a->n * (double)b->n / 2)
		c->better = (r.u > (double)a->n * (double)b->n / 2) != lower_better
			    ? 'A' : 'B';
}

/* "about N per group would detect a 10-point difference": from the
 * pooled success rate (one half when nothing was decided) 10 points
 * towards one half, where the variance, and so N, is the larger. */
static double
samples_needed(const struct group *a, const struct group *b)
{
	int64_t decided = a->successes + a->failures + b->successes + b->failures;
	double p0 = decided ? (double)(a->successes + b->successes) /
			      (double)decided : 0.5;
	double p1 = p0 >= 0.5 ? p0 - DETECT : p0 + DETECT;

	return ceil(two_prop_sample_size(p0, p1, ALPHA, POWER));
}

static void
verdict(struct analysis *an, const struct group *a, const struct group *b)
{
	char better_a[128] = "", better_b[128] = "";
	int64_t fewest = a->successes + a->failures;
	int m;

	for (m = 0; m < M_COUNT; m++) {
		char *list = an->metric[m].better == 'A' ? better_a :
			     an->metric[m].better == 'B' ? better_b : NULL;
		if (list != NULL)
			snprintf(list + strlen(list), 128 - strlen(list), "%s%s",
				 *list ? " and " : "", metric_name[m]);
	}
	if (b->successes + b->failures < fewest)
		fewest = b->successes + b->failures;
	if (*better_a && *better_b)
		snprintf(an->verdict, sizeof(an->verdict), "mixed: A better on "
			 "%s, B better on %s", better_a, better_b);
	else if (*better_a || *better_b)
		snprintf(an->verdict, sizeof(an->verdict), "%s better",
			 *better_a ? "A" : "B");
	else if ((double)fewest < an->samples_needed)
		snprintf(an->verdict, sizeof(an->verdict), "too few samples: "
			 "about %.0f per group would detect a 10-point "
			 "difference at 80 %% power", an->samples_needed);
	else
		snprintf(an->verdict, sizeof(an->verdict),
			 "no detectable difference");
}

void
analyse(struct group *a, struct group *b, struct analysis *an)
{
	double p[M_COUNT], adj[M_COUNT];
	int m;

	summarise(a, &an->a);
	summarise(b, &an->b);
	for (m = 0; m < M_COUNT; m++)
		contrast_clear(&an->metric[m]);
	rate_contrast(a, b, &an->a, &an->b, &an->metric[M_RATE]);
	rank_contrast(&a->qualities, &b->qualities, false,
		      &an->metric[M_QUALITY]);
	rank_contrast(&a->durations, &b->durations, true,
		      &an->metric[M_DURATION]);
	for (m = 0; m < M_COUNT; m++)
		p[m] = an->metric[m].p;
	holm_adjust(p, adj, M_COUNT);
	for (m = 0; m < M_COUNT; m++) {
		an->metric[m].p_holm = adj[m];
		if (!(adj[m] < ALPHA))
			an->metric[m].better = 0;
	}
	an->samples_needed = samples_needed(a, b);
	verdict(an, a, b);
}
