/*
 * output.c: oak-compare's two forms. Text is a table of the two groups,
 * a table of the differences (B minus A) with their tests, and the
 * verdict; JSON is one object with the same numbers unrounded (null
 * where a number cannot be had).
 */
#include <math.h>
#include <string.h>

#include "json/json.h"
#include "compare.h"

#define COL 24

static const char *const metric_title[M_COUNT] = { "success rate", "quality",
						   "duration" };

/* ---- text ---------------------------------------------------------- */

/* How a number is written: scale, decimals, a sign, prefix and suffix. */
struct numfmt {
	double scale;
	int decimals;
	bool sign;
	const char *prefix, *suffix;
};
static const struct numfmt F_PERCENT = { 100, 1, false, "", "%" };
static const struct numfmt F_COUNT = { 1, 0, false, "", "" };
static const struct numfmt F_ABOUT = { 1, 0, false, "~", "" };
static const struct numfmt F_SECONDS = { 1, 1, false, "", " s" };
static const struct numfmt F_DOLLARS = { 1, 4, false, "~$", "" };

/* A cell holding x, or "-" when x is not a number. */
static const char *
cell(char *dst, size_t size, const struct numfmt *f, double x)
{
	if (isnan(x))
		snprintf(dst, size, "-");
	else
		snprintf(dst, size, f->sign ? "%s%+.*f%s" : "%s%.*f%s", f->prefix,
			 f->decimals, f->scale * x, f->suffix);
	return dst;
}

static void
row(struct buf *out, const char *name, const char *a, const char *b)
{
	buf_printf(out, "%-*s%-*s%s\n", COL, name, COL, a, b);
}

/* One row of numbers, one format for both groups. */
static void
row_num(struct buf *out, const char *name, const struct numfmt *f, double a,
	double b)
{
	char ca[128], cb[128];

	row(out, name, cell(ca, sizeof(ca), f, a), cell(cb, sizeof(cb), f, b));
}

static const char *
rate_cell(char *dst, size_t size, const struct group *g, double rate)
{
	if (isnan(rate))
		snprintf(dst, size, "- (0 decided)");
	else
		snprintf(dst, size, "%.1f%% (%lld of %lld)", 100 * rate,
			 (long long)g->successes,
			 (long long)(g->successes + g->failures));
	return dst;
}

/* "LO to HI", or "-". */
static const char *
interval_cell(char *dst, size_t size, const struct numfmt *f, double lo,
	      double hi)
{
	char lo_s[40], hi_s[40];

	if (isnan(lo) || isnan(hi))
		return strcpy(dst, "-");
	snprintf(dst, size, "%s to %s", cell(lo_s, sizeof(lo_s), f, lo),
		 cell(hi_s, sizeof(hi_s), f, hi));
	return dst;
}

static const char *
quality_cell(char *dst, size_t size, double mean, size_t rated)
{
	if (isnan(mean))
		snprintf(dst, size, "- (0 rated)");
	else
		snprintf(dst, size, "%.2f (%zu rated)", mean, rated);
	return dst;
}

static void
groups_text(struct buf *out, const struct group *a, const struct group *b,
	    const struct analysis *an)
{
	char ca[128], cb[128];

	row(out, "", "A", "B");
	row_num(out, "invocations", &F_COUNT, (double)a->n, (double)b->n);
	row(out, "success rate", rate_cell(ca, sizeof(ca), a, an->a.rate),
	    rate_cell(cb, sizeof(cb), b, an->b.rate));
	row(out, "  95% interval",
	    interval_cell(ca, sizeof(ca), &F_PERCENT, an->a.rate_lo, an->a.rate_hi),
	    interval_cell(cb, sizeof(cb), &F_PERCENT, an->b.rate_lo, an->b.rate_hi));
	row(out, "mean quality",
	    quality_cell(ca, sizeof(ca), an->a.quality_mean, a->qualities.n),
	    quality_cell(cb, sizeof(cb), an->b.quality_mean, b->qualities.n));
	row_num(out, "duration median", &F_SECONDS, an->a.duration_median,
		an->b.duration_median);
	row_num(out, "duration p90", &F_SECONDS, an->a.duration_p90,
		an->b.duration_p90);
	row_num(out, "tokens median", &F_ABOUT, an->a.tokens_median,
		an->b.tokens_median);
	row_num(out, "cost median", &F_DOLLARS, an->a.cost_median,
		an->b.cost_median);
}

static const char *
p_cell(char *dst, size_t size, double p)
{
	if (isnan(p))
		return strcpy(dst, "-");
	if (p < 0.0001)
		return strcpy(dst, "<0.0001");
	snprintf(dst, size, "%.4f", p);
	return dst;
}

static const char *
test_title(const struct contrast *c)
{
	if (c->test == NULL)
		return "not tested";
	if (strcmp(c->test, "fisher") == 0)
		return "Fisher exact";
	if (strcmp(c->test, "z") == 0)
		return "two-proportion z";
	return c->exact ? "Mann-Whitney exact" : "Mann-Whitney normal";
}

static void
contrasts_text(struct buf *out, const struct analysis *an)
{
	static const struct numfmt diff[M_COUNT] = {
		{ 100, 1, true, "", " points" }, { 1, 2, true, "", "" },
		{ 1, 1, true, "", " s" } };
	static const struct numfmt bound[M_COUNT] = {
		{ 100, 1, true, "", "" }, { 1, 2, true, "", "" },
		{ 1, 1, true, "", "" } };
	char d[128], ci[128], p[32], ph[32];
	int m;

	buf_printf(out, "%-*s%-*s%-*s%-*s%-9s%s\n", COL - 8, "B - A", COL - 8,
		   "difference", COL, "95% interval", COL, "test", "p",
		   "Holm p");
	for (m = 0; m < M_COUNT; m++) {
		const struct contrast *c = &an->metric[m];

		buf_printf(out, "%-*s%-*s%-*s%-*s%-9s%s\n", COL - 8,
			   metric_title[m], COL - 8,
			   cell(d, sizeof(d), &diff[m], c->diff), COL,
			   interval_cell(ci, sizeof(ci), &bound[m], c->lo, c->hi),
			   COL, test_title(c), p_cell(p, sizeof(p), c->p),
			   p_cell(ph, sizeof(ph), c->p_holm));
	}
}

void
write_text(struct buf *out, const char *by, const struct group *a,
	   const struct group *b, const struct analysis *an)
{
	buf_printf(out, "A: %s = %s\nB: %s = %s\n\n", by, a->label, by, b->label);
	groups_text(out, a, b, an);
	buf_addc(out, '\n');
	contrasts_text(out, an);
	buf_printf(out, "\nDurations and qualities: difference of means; tests "
		   "two-sided, p adjusted by Holm's method\nacross the three "
		   "metrics; a difference counts when its Holm p is below "
		   "0.05.\n\nverdict: %s\n", an->verdict);
}

/* ---- json ---------------------------------------------------------- */

static void
pair(struct buf *out, const char *key, double lo, double hi)
{
	jw_key(out, key);
	buf_addc(out, '[');
	jw_double(out, lo);
	jw_sep(out);
	jw_double(out, hi);
	buf_addc(out, ']');
}

static void
key_double(struct buf *out, const char *key, double x)
{
	jw_key(out, key);
	jw_double(out, x);
}

static void
key_int(struct buf *out, const char *key, long long v)
{
	jw_key(out, key);
	jw_int(out, v);
}

static void
group_json(struct buf *out, const struct group *g, const struct summary *s)
{
	buf_addc(out, '{');
	jw_key(out, "label");
	jw_cstring(out, g->label);
	key_int(out, "invocations", g->n);
	key_int(out, "successes", g->successes);
	key_int(out, "failures", g->failures);
	key_double(out, "success_rate", s->rate);
	pair(out, "success_rate_ci95", s->rate_lo, s->rate_hi);
	key_int(out, "quality_count", (long long)g->qualities.n);
	key_double(out, "quality_mean", s->quality_mean);
	key_int(out, "duration_count", (long long)g->durations.n);
	key_double(out, "duration_mean", s->duration_mean);
	key_double(out, "duration_median", s->duration_median);
	key_double(out, "duration_p90", s->duration_p90);
	key_int(out, "tokens_count", g->tokens.total);
	key_double(out, "tokens_median", s->tokens_median);
	key_int(out, "cost_count", g->cost.total);
	key_double(out, "cost_median", s->cost_median);
	buf_addc(out, '}');
}

static void
contrast_json(struct buf *out, int m, const struct contrast *c)
{
	char better[2] = { c->better, '\0' };

	buf_addc(out, '{');
	jw_key(out, "metric");
	jw_cstring(out, metric_name[m]);
	key_double(out, "difference", c->diff);
	pair(out, "difference_ci95", c->lo, c->hi);
	jw_key(out, "test");
	if (c->test != NULL)
		jw_cstring(out, c->test);
	else
		buf_adds(out, "null");
	jw_key(out, "exact");
	buf_adds(out, c->exact || (c->test && strcmp(c->test, "fisher") == 0)
			      ? "true" : "false");
	key_double(out, "statistic", c->statistic);
	key_double(out, "p", c->p);
	key_double(out, "p_holm", c->p_holm);
	jw_key(out, "better");
	if (c->better)
		jw_cstring(out, better);
	else
		buf_adds(out, "null");
	buf_addc(out, '}');
}

void
write_json(struct buf *out, const char *by, const struct group *a,
	   const struct group *b, const struct analysis *an)
{
	int m;

	buf_addc(out, '{');
	jw_key(out, "by");
	jw_cstring(out, by);
	jw_key(out, "a");
	group_json(out, a, &an->a);
	jw_key(out, "b");
	group_json(out, b, &an->b);
	jw_key(out, "comparisons");
	buf_addc(out, '[');
	for (m = 0; m < M_COUNT; m++) {
		jw_sep(out);
		contrast_json(out, m, &an->metric[m]);
	}
	buf_addc(out, ']');
	jw_key(out, "adjustment");
	jw_cstring(out, "holm");
	key_double(out, "alpha", 0.05);
	key_double(out, "samples_needed", an->samples_needed);
	jw_key(out, "verdict");
	jw_cstring(out, an->verdict);
	buf_adds(out, "}\n");
}
