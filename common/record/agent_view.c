/*
 * agent_view.c: what AgentStats' state says about an agent, derived on
 * output: the seed's rounded rates and averages, top task types and
 * failures, recommendations and score, and beyond the seed duration
 * percentiles (hist.c), Wilson intervals (stats.c), would-use-again
 * rate, suggested alternatives and the median of tokens.
 */
#include <math.h>

#include "record/agent_stats.h"
#include "record/stats.h"

double
agent_success_rate(const struct agent_stats *a)
{
	int64_t total = a->successes + a->failures;

	return total > 0 ? (double)a->successes / (double)total : 0.0;
}

double
agent_average_quality(const struct agent_stats *a)
{
	if (a->quality_count == 0)
		return 0.0;
	return (double)a->quality_sum_micro / 1e6 / (double)a->quality_count;
}

double
agent_average_duration(const struct agent_stats *a)
{
	if (a->duration_count == 0)
		return 0.0;
	return (double)a->duration_sum_micro / 1e6 / (double)a->duration_count;
}

/* Ranking score on the rounded seed values: 0.6 sr + 0.4 q / 5. */
static double
agent_score(double success_rate_rounded, double quality_rounded)
{
	return 0.6 * success_rate_rounded + 0.4 * (quality_rounded / 5.0);
}

/* The seed's recommendations. */
static void
recommend(const struct agent_stats *a, double sr, double q,
	  struct agent_view *v)
{
	const struct counter *best;

	v->nrec = 0;
	buf_init(&v->best_for);
	if (sr > 0.8 && q > 3.5)
		v->rec[v->nrec++] = "High success rate - reliable choice";
	if (counter_top(&a->task_types, &best, 1) == 1 && best->count >= 3) {
		buf_printf(&v->best_for, "Best for %s tasks", best->text);
		v->rec[v->nrec++] = v->best_for.data;
	}
	if (sr < 0.5 && a->invocations >= 5)
		v->rec[v->nrec++] = "Consider alternative agents - low success rate";
}

/* The median of a histogram that may count zeros (its zero bucket). */
static double
hist_median(const struct hist *h)
{
	if (h->n > 0 && h->key[0] == -HIST_KEY_LIMIT &&
	    h->count[0] >= h->total - h->count[0])
		return 0;   /* the zero bucket holds the median */
	return hist_quantile(h, 0.5);
}

void
agent_view_make(const struct agent_stats *a, struct agent_view *v)
{
	double sr = agent_success_rate(a), q = agent_average_quality(a);

	v->success_rate = py_round(sr, 3);
	v->average_quality = py_round(q, 2);
	v->average_duration = py_round(agent_average_duration(a), 2);
	v->score = agent_score(v->success_rate, v->average_quality);
	v->ntask = counter_top(&a->task_types, v->task, 3);
	v->nfail = counter_top(&a->failure_messages, v->fail, 5);
	recommend(a, sr, q, v);

	v->decided = a->successes + a->failures;
	v->rated = a->quality_count;
	if (wilson_interval(a->successes, v->decided, OAK_Z95, &v->ci_low,
			    &v->ci_high) < 0)
		v->ci_low = v->ci_high = NAN;
	v->p50 = hist_quantile(&a->duration_hist, 0.50);
	v->p90 = hist_quantile(&a->duration_hist, 0.90);
	v->p99 = hist_quantile(&a->duration_hist, 0.99);
	if (a->would_use_again_yes + a->would_use_again_no > 0)
		v->would_use_again_rate = (double)a->would_use_again_yes /
			(double)(a->would_use_again_yes + a->would_use_again_no);
	else
		v->would_use_again_rate = NAN;
	/* one value is its own median, exactly */
	v->tokens_median = a->tokens_count == 1 ? (double)a->tokens_sum :
			   hist_median(&a->tokens_hist);
	v->cost_median = a->cost_count == 1 ? (double)a->cost_sum_micro / 1e6 :
			 hist_median(&a->cost_hist);
	v->nalt = counter_top(&a->alternatives, v->alt, 5);
}

void
agent_view_release(struct agent_view *v)
{
	buf_release(&v->best_for);
}
