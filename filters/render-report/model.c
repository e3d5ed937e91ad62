/*
 * model.c: the sections of the weekly report beyond the seed, derived
 * from the AgentStats state: the agents' extra statistics, the best
 * agent per task type, per-period rows, the comparison with a baseline
 * window, all as tables; and the text and Markdown renderers built on
 * them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* ---- cell formats ------------------------------------------------- */

static char *
ring(void)
{
	static char cells[32][96];
	static unsigned next;

	return cells[next++ % 32];
}

/* "n/a" when x is NaN (nothing to measure), else fmt's cell. */
static const char *fmt_or_na(double x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *
fmt_or_na(double x, const char *fmt, ...)
{
	char *s;
	va_list ap;

	if (isnan(x))
		return "n/a";
	s = ring();
	va_start(ap, fmt);
	vsnprintf(s, 96, fmt, ap);
	va_end(ap);
	return s;
}

const char *
fmt_pct(double x)
{
	return fmt_or_na(x, "%.1f%%", x * 100);
}

const char *
fmt_ci(double lo, double hi)
{
	return fmt_or_na(lo, "%.1f%% - %.1f%%", lo * 100, hi * 100);
}

const char *
fmt_num(double x, int places)
{
	return fmt_or_na(x, "%.*f", places, x);
}

const char *
fmt_secs(double x)
{
	return fmt_or_na(x, "%.1fs", x);
}

const char *
fmt_int(long long v)
{
	char *s = ring();

	snprintf(s, 96, "%lld", v);
	return s;
}

/* A signed change: "+3", "-0.12", "+4.0 pts" ... */
static const char *
fmt_delta(double d, int places, const char *unit)
{
	char *s = ring();

	if (isnan(d))
		return "n/a";
	snprintf(s, 96, "%+.*f%s", places, d, unit);
	return s;
}

const char *
fmt_window(const struct oak_window *w)
{
	static struct buf s;

	buf_reset(&s);
	if (!w->have_since && !w->have_until) {
		buf_adds(&s, "all time");
		return s.data;
	}
	if (w->have_since)
		oak_time_format(&s, w->since);
	else
		buf_adds(&s, "the beginning");
	buf_adds(&s, " to ");
	if (w->have_until)
		oak_time_format(&s, w->until);
	else
		buf_adds(&s, "now");
	return s.data;
}

/* ---- best agent per task type --------------------------------------- */

static int
task_cmp(const void *pa, const void *pb)
{
	const struct task_best *a = pa, *b = pb;
	size_t n = a->task_len < b->task_len ? a->task_len : b->task_len;
	int c;

	if (a->invocations != b->invocations)
		return a->invocations > b->invocations ? -1 : 1;
	c = memcmp(a->task_type, b->task_type, n);
	if (c != 0)
		return c;
	return a->task_len < b->task_len ? -1 : a->task_len > b->task_len;
}

/* Is (s1 of n1, agent a1) better than (s2 of n2, a2)? Higher rate, then
 * more decided outcomes, then earlier first appearance. */
static bool
better(int64_t s1, int64_t n1, const struct agent *a1, int64_t s2, int64_t n2,
       const struct agent *a2)
{
	/* s1/n1 vs s2/n2 compared exactly: s1 n2 vs s2 n1 */
	if (s1 * n2 != s2 * n1)
		return s1 * n2 > s2 * n1;
	if (n1 != n2)
		return n1 > n2;
	return a1->stats->first_seq < a2->stats->first_seq;
}

/* The entry of o's task type in *t (n of them, room for *cap), added
 * when new; index maps a task type to 1 + its position. */
static struct task_best *
task_entry(struct ht *index, struct task_best **t, size_t *n, size_t *cap,
	   const struct counter *o)
{
	bool created;
	void **slot = ht_put(index, o->text, o->len, &created);

	if (!created)
		return &(*t)[(uintptr_t)*slot - 1];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*t = oak_realloc(*t, sizeof(**t) * *cap);
	}
	memset(&(*t)[*n], 0, sizeof(**t));
	(*t)[*n].task_type = o->text;
	(*t)[*n].task_len = o->len;
	*slot = (void *)(uintptr_t)++*n;
	return &(*t)[*n - 1];
}

/* One pass over every agent's task types, each found by hash: a scan of
 * the types seen for each, as before, took 31 s for 20 000 types. */
size_t
task_types_best(const struct report *r, struct task_best **out)
{
	const struct agent_list *l = &r->cur;
	struct ht *index = ht_create();
	struct task_best *t = NULL, *tb;
	const struct counter *o;
	size_t n = 0, cap = 0, k, i;
	int64_t s, d;

	for (k = 0; k < l->n; k++) {
		const struct counter_set *ts = &l->a[k].stats->task_outcomes;

		for (i = 0; i < ts->n; i++) {
			o = &ts->item[i];
			tb = task_entry(index, &t, &n, &cap, o);
			tb->invocations += o->v[TASK_INVOCATIONS];
			s = o->v[TASK_SUCCESSES];
			d = o->v[TASK_SUCCESSES] + o->v[TASK_FAILURES];
			if (d < r->min_sample)
				continue;
			if (tb->best == NULL ||
			    better(s, d, &l->a[k], tb->successes, tb->decided,
				   tb->best)) {
				tb->best = &l->a[k];
				tb->successes = s;
				tb->decided = d;
			}
		}
	}
	ht_release(index);
	for (i = 0; i < n; i++)
		if (t[i].best == NULL ||
		    wilson_interval(t[i].successes, t[i].decided, OAK_Z95,
				    &t[i].lo, &t[i].hi) < 0)
			t[i].lo = t[i].hi = NAN;
	if (n > 1)
		qsort(t, n, sizeof(*t), task_cmp);
	*out = t;
	return n;
}

/* ---- per-period rows ----------------------------------------------- */

static int
period_cmp(const void *pa, const void *pb)
{
	const struct period_row *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c != 0)
		return c;
	return a->agent < b->agent ? -1 : a->agent > b->agent;
}

size_t
period_rows(const struct agent_list *l, enum oak_period by,
	    struct period_row **out)
{
	struct period_row *rows = NULL, *row;
	const struct counter **days;
	struct oak_instant t;
	struct buf key;
	size_t n = 0, cap = 0, k, i;

	buf_init(&key);
	for (k = 0; k < l->n; k++) {
		const struct counter_set *ds = &l->a[k].stats->days;

		if (ds->n == 0)
			continue;
		days = oak_malloc(sizeof(*days) * ds->n);
		counter_sorted(ds, days);
		for (i = 0; i < ds->n; i++) {
			if (oak_time_parse(days[i]->text, days[i]->len, true, &t) < 0)
				continue;
			buf_reset(&key);
			oak_period_key(&key, oak_day_of(t), by);
			row = n > 0 ? &rows[n - 1] : NULL;
			if (row == NULL || row->agent != &l->a[k] ||
			    strcmp(row->key, key.data) != 0) {
				if (n == cap) {
					cap = cap ? cap * 2 : 32;
					rows = oak_realloc(rows, sizeof(*rows) * cap);
				}
				row = &rows[n++];
				memset(row, 0, sizeof(*row));
				snprintf(row->key, sizeof(row->key), "%s", key.data);
				row->agent = &l->a[k];
			}
			row->invocations += days[i]->v[DAY_INVOCATIONS];
			row->successes += days[i]->v[DAY_SUCCESSES];
			row->failures += days[i]->v[DAY_FAILURES];
			row->quality_count += days[i]->v[DAY_QUALITY_COUNT];
			row->quality_sum_micro += days[i]->v[DAY_QUALITY_SUM_MICRO];
		}
		free(days);
	}
	buf_release(&key);
	if (n > 1)
		qsort(rows, n, sizeof(*rows), period_cmp);
	*out = rows;
	return n;
}

/* ---- comparison with the baseline ------------------------------------ */

/* The agents of l by name (the first of a name), for find_agent: one
 * lookup each, where a scan of l made comparing two windows of 100 000
 * agents take minutes. */
static struct ht *
agents_by_name(const struct agent_list *l)
{
	struct ht *h = ht_create();
	void **slot;
	bool created;
	size_t k;

	for (k = 0; k < l->n; k++) {
		slot = ht_put(h, l->a[k].stats->name, l->a[k].stats->name_len,
			      &created);
		if (created)
			*slot = &l->a[k];
	}
	return h;
}

static const struct agent *
find_agent(const struct ht *by_name, const struct agent_stats *s)
{
	void **slot = ht_find(by_name, s->name, s->name_len);

	return slot != NULL ? *slot : NULL;
}

static double
rate_or_nan(const struct agent_stats *a)
{
	return a->successes + a->failures > 0 ? agent_success_rate(a) : NAN;
}

static double
quality_or_nan(const struct agent_stats *a)
{
	return a->quality_count > 0 ? agent_average_quality(a) : NAN;
}

void
compare(const struct report *r, struct compare_row **rows, size_t *nrows,
	const struct agent ***added, size_t *nadded,
	const struct agent ***gone, size_t *ngone)
{
	struct ht *cur = agents_by_name(&r->cur), *base = agents_by_name(&r->base);
	const struct agent *before;
	struct compare_row *row;
	size_t k;

	*rows = oak_calloc(r->cur.n + 1, sizeof(**rows));
	*added = oak_calloc(r->cur.n + 1, sizeof(**added));
	*gone = oak_calloc(r->base.n + 1, sizeof(**gone));
	*nrows = *nadded = *ngone = 0;
	for (k = 0; k < r->cur.n; k++) {
		before = find_agent(base, r->cur.a[k].stats);
		if (before == NULL) {
			(*added)[(*nadded)++] = &r->cur.a[k];
			continue;
		}
		row = &(*rows)[(*nrows)++];
		row->now = &r->cur.a[k];
		row->before = before;
		row->sr_now = rate_or_nan(row->now->stats);
		row->sr_before = rate_or_nan(before->stats);
		row->q_now = quality_or_nan(row->now->stats);
		row->q_before = quality_or_nan(before->stats);
		row->p50_now = row->now->view.p50;
		row->p50_before = before->view.p50;
		row->z = two_proportion_z(before->stats->successes,
					  before->view.decided,
					  row->now->stats->successes,
					  row->now->view.decided);
		row->significant = !isnan(row->z) && fabs(row->z) > OAK_Z95;
		row->sr_marked = fabs(row->sr_now - row->sr_before) > 0.05 + 1e-9;
		row->q_marked = fabs(row->q_now - row->q_before) > 0.1 + 1e-9;
	}
	for (k = 0; k < r->base.n; k++)
		if (find_agent(cur, r->base.a[k].stats) == NULL)
			(*gone)[(*ngone)++] = &r->base.a[k];
	ht_release(cur);
	ht_release(base);
}

/* ---- the tables ------------------------------------------------------ */

static const char *const agents_head[] = {
	"Agent", "Invocations", "Success", "95% CI", "Decided", "Quality",
	"Rated", "Avg duration", "p50", "p90", "p99", "Would use again",
	"Tokens", "Median tokens"
};
static const char *const top_head[] = {
	"Rank", "Agent", "Score", "Success", "Quality", "Uses"
};
static const char *const task_head[] = {
	"Task type", "Invocations", "Best agent", "Success", "95% CI",
	"Decided"
};
static const char *const rec_head[] = {
	"Agent", "Common tasks", "Recommendations"
};
static const char *const fail_head[] = { "Agent", "Failure", "Count" };
static const char *const alt_head[] = {
	"Agent", "Suggested instead", "Times"
};
static const char *const period_head[] = {
	"Period", "Agent", "Invocations", "Success", "Quality"
};
static const char *const cmp_head[] = {
	"Agent", "Invocations", "Change", "Success", "Change", "z",
	"Significant", "Quality", "Change", "p50", "Change", "Flag"
};
static const char *const newgone_head[] = {
	"Agent", "Status", "Invocations"
};

static void
join_counted(struct buf *b, const struct counter *const *items, size_t n)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < n; i++) {
		if (i)
			buf_adds(b, ", ");
		buf_add(b, items[i]->text, items[i]->len);
	}
}

/* The top 5 by the one ranking rule; sorts r->cur by score. */
static void
top_table(struct report *r, struct table *t)
{
	const struct agent_view *v;
	size_t k;

	agents_sort_score(&r->cur);
	table_init(t, "Top 5 agents (overall score)", 6, top_head, "rlrrrr");
	for (k = 0; k < r->cur.n && k < 5; k++) {
		v = &r->cur.a[k].view;
		table_row(t, fmt_int((long long)k + 1), r->cur.a[k].stats->name,
			  fmt_num(v->score, 3), fmt_pct(v->success_rate),
			  fmt_num(v->average_quality, 2),
			  fmt_int(r->cur.a[k].stats->invocations));
	}
}

/* Every agent, most invoked first; sorts r->cur by count. */
static void
agents_table(struct report *r, struct table *t)
{
	const struct agent_view *v;
	const struct agent_stats *s;
	size_t k;

	agents_sort_count(&r->cur);
	table_init(t, "Agents", 14, agents_head, "lrrlrrrrrrrrrr");
	t->empty = "No invocations in this window.";
	for (k = 0; k < r->cur.n; k++) {
		s = r->cur.a[k].stats;
		v = &r->cur.a[k].view;
		table_row(t, s->name, fmt_int(s->invocations),
			  v->decided ? fmt_pct(agent_success_rate(s)) : "n/a",
			  fmt_ci(v->ci_low, v->ci_high), fmt_int(v->decided),
			  v->rated ? fmt_num(agent_average_quality(s), 2) : "n/a",
			  fmt_int(v->rated),
			  s->duration_count ? fmt_secs(agent_average_duration(s)) :
					      "n/a",
			  fmt_secs(v->p50), fmt_secs(v->p90), fmt_secs(v->p99),
			  fmt_pct(v->would_use_again_rate),
			  s->tokens_count ? fmt_int(s->tokens_sum) : "n/a",
			  fmt_num(v->tokens_median, 0));
	}
}

static void
task_table(const struct report *r, struct table *t)
{
	static char too_few[64];
	struct task_best *tb;
	struct buf tt;
	size_t i, n = task_types_best(r, &tb);

	buf_init(&tt);
	table_init(t, "Best agent per task type (success rate)", 6, task_head,
		   "lrlrlr");
	t->empty = "No task types recorded.";
	snprintf(too_few, sizeof(too_few), "too few (under %lld decided)",
		 (long long)r->min_sample);
	for (i = 0; i < n; i++) {
		buf_reset(&tt);
		buf_add(&tt, tb[i].task_type, tb[i].task_len);
		if (tb[i].best == NULL)
			table_row(t, tt.data, fmt_int(tb[i].invocations), too_few,
				  "n/a", "n/a", "n/a");
		else
			table_row(t, tt.data, fmt_int(tb[i].invocations),
				  tb[i].best->stats->name,
				  fmt_pct((double)tb[i].successes /
					  (double)tb[i].decided),
				  fmt_ci(tb[i].lo, tb[i].hi),
				  fmt_int(tb[i].decided));
	}
	free(tb);
	buf_release(&tt);
}

static void
recommendations_table(const struct report *r, struct table *t)
{
	const struct agent_view *v;
	struct buf tasks, recs;
	size_t k, i;

	buf_init(&tasks);
	buf_init(&recs);
	table_init(t, "Recommendations", 3, rec_head, "lll");
	for (k = 0; k < r->cur.n; k++) {
		v = &r->cur.a[k].view;
		join_counted(&tasks, v->task, v->ntask);
		buf_reset(&recs);
		for (i = 0; i < v->nrec; i++)
			buf_printf(&recs, "%s%s", i ? "; " : "", v->rec[i]);
		table_row(t, r->cur.a[k].stats->name, tasks.data ? tasks.data : "",
			  recs.data ? recs.data : "");
	}
	buf_release(&tasks);
	buf_release(&recs);
}

/* Failures (alternatives false) or alternatives, per agent, counted. */
static void
counted_table(const struct report *r, struct table *t, bool alternatives)
{
	const struct agent_view *v;
	const struct counter *const *item;
	size_t k, i, n;

	if (alternatives) {
		table_init(t, "Alternatives users suggested", 3, alt_head, "llr");
		t->empty = "No alternatives suggested.";
	} else {
		table_init(t, "Most frequent failures", 3, fail_head, "llr");
		t->empty = "No failures with a message.";
	}
	for (k = 0; k < r->cur.n; k++) {
		v = &r->cur.a[k].view;
		item = alternatives ? v->alt : v->fail;
		n = alternatives ? v->nalt : v->nfail;
		for (i = 0; i < n; i++)
			table_row(t, r->cur.a[k].stats->name, item[i]->text,
				  fmt_int(item[i]->count));
	}
}

void
period_table_rows(struct table *t, const struct period_row *pr, size_t n)
{
	size_t i;
	int64_t d;

	for (i = 0; i < n; i++) {
		d = pr[i].successes + pr[i].failures;
		table_row(t, pr[i].key, pr[i].agent->stats->name,
			  fmt_int(pr[i].invocations),
			  d ? fmt_pct((double)pr[i].successes / (double)d) : "n/a",
			  pr[i].quality_count ?
			  fmt_num((double)pr[i].quality_sum_micro / 1e6 /
				  (double)pr[i].quality_count, 2) : "n/a");
	}
}

static void
period_table(const struct report *r, struct table *t)
{
	static const char *const titles[] = {
		"", "Per day", "Per ISO week", "Per month"
	};
	struct period_row *pr;
	size_t n = period_rows(&r->cur, r->by, &pr);

	table_init(t, titles[r->by], 5, period_head, "llrrr");
	t->empty = "No invocations in this window.";
	period_table_rows(t, pr, n);
	free(pr);
}

/* The flag column of one comparison row, into flag. */
static void
compare_flag(struct buf *flag, const struct compare_row *c)
{
	buf_reset(flag);
	if (c->significant)
		buf_adds(flag, c->sr_now > c->sr_before ?
			 "success up (significant)" : "success down (significant)");
	else if (c->sr_marked)
		buf_adds(flag, c->sr_now > c->sr_before ? "success up" :
			 "success down");
	if (c->q_marked)
		buf_printf(flag, "%squality %s", flag->len ? "; " : "",
			   c->q_now > c->q_before ? "up" : "down");
}

/* The comparison with the baseline, and the new and gone agents. */
static void
baseline_tables(const struct report *r, struct table *t)
{
	struct compare_row *cr, *c;
	const struct agent **added, **gone;
	struct buf flag;
	size_t i, n, na, ng;

	buf_init(&flag);
	compare(r, &cr, &n, &added, &na, &gone, &ng);
	table_init(t, "Compared with the baseline", 12, cmp_head,
		   "lrrrrrlrrrrl");
	t->empty = "No agent is in both windows.";
	for (i = 0; i < n; i++) {
		c = &cr[i];
		compare_flag(&flag, c);
		table_row(t, c->now->stats->name, fmt_int(c->now->stats->invocations),
			  fmt_delta((double)(c->now->stats->invocations -
					     c->before->stats->invocations), 0, ""),
			  fmt_pct(c->sr_now),
			  fmt_delta((c->sr_now - c->sr_before) * 100, 1, " pts"),
			  fmt_num(c->z, 2), c->significant ? "yes" : "no",
			  fmt_num(c->q_now, 2),
			  fmt_delta(c->q_now - c->q_before, 2, ""),
			  fmt_secs(c->p50_now),
			  fmt_delta(c->p50_now - c->p50_before, 1, "s"),
			  flag.len ? flag.data : "");
	}
	t++;
	table_init(t, "New and gone agents", 3, newgone_head, "llr");
	t->empty = "No agent is new or gone.";
	for (i = 0; i < na; i++)
		table_row(t, added[i]->stats->name, "new",
			  fmt_int(added[i]->stats->invocations));
	for (i = 0; i < ng; i++)
		table_row(t, gone[i]->stats->name, "gone",
			  fmt_int(gone[i]->stats->invocations));
	free(cr);
	free(added);
	free(gone);
	buf_release(&flag);
}

size_t
report_tables(struct report *r, struct table *tables)
{
	size_t nt = 0;

	top_table(r, &tables[nt++]);
	agents_table(r, &tables[nt++]);
	if (have_token_kinds(&r->cur))
		tokens_table(r, &tables[nt++]);
	task_table(r, &tables[nt++]);
	recommendations_table(r, &tables[nt++]);
	counted_table(r, &tables[nt++], false);
	counted_table(r, &tables[nt++], true);
	if (r->by != OAK_BY_NONE)
		period_table(r, &tables[nt++]);
	if (r->by_model)
		models_table(r, &tables[nt++]);
	if (r->have_baseline) {
		baseline_tables(r, &tables[nt]);
		nt += 2;
	}
	return nt;
}

/* ---- text and Markdown ------------------------------------------------ */

static void
summary_lines(struct buf *b, const struct report *r, const char *bullet,
	      const char *strong)
{
	const struct agent_stats *first, *last;

	buf_printf(b, "%sWindow: %s%s%s%s\n", bullet, strong,
		   fmt_window(&r->window), strong,
		   r->window.have_since || r->window.have_until ?
		   " (start times; since inclusive, until exclusive)" : "");
	if (r->have_baseline)
		buf_printf(b, "%sBaseline: %s\n", bullet,
			   fmt_window(&r->base_window));
	buf_printf(b, "%sGenerated: %s\n", bullet, r->generated_at);
	buf_printf(b, "%sInvocations: %lld by %zu agents\n", bullet,
		   total_invocations(&r->cur), r->cur.n);
	task_sources_line(b, r, bullet);
	date_range_of(&r->cur, &first, &last);
	if (first != NULL)
		buf_printf(b, "%sDate range: %s to %s\n", bullet,
			   first->first_ts_text.data, last->last_ts_text.data);
	data_quality_item(b, r, bullet);
}

static const char *notes =
	"Success is successes / (successes + failures); 95% CI is the Wilson "
	"score interval. Quality is the mean rating over rated invocations. "
	"p50/p90/p99 are nearest-rank duration percentiles from a log-bucket "
	"histogram, within 1% of the exact values. A success change is "
	"significant when a two-proportion z test rejects equal rates at 95% "
	"(|z| > 1.96); changes over 5 points of success or 0.1 of quality are "
	"flagged.";
static const char *tokens_notes =
	" Tokens are input + output + cache write + cache read where the "
	"kinds are known (With tokens counts those calls), else the total the "
	"host reported. Cost counts only calls priced in full by the price "
	"table; a call with a model missing from it is listed under Cost "
	"unknown for, never counted as free. Median tokens and median cost "
	"are nearest-rank, from log-bucket histograms, within 1%.";

void
render_text_extended(struct buf *b, struct report *r)
{
	struct table t[16];
	size_t n, i;

	buf_adds(b, "\n======================================================"
		 "================\nBEYOND THE SEED\n============================"
		 "==========================================\n\n");
	summary_lines(b, r, "", "");
	n = report_tables(r, t);
	for (i = 1; i < n; i++) {   /* the top 5 is the seed's, above */
		table_text(b, &t[i]);
		table_release(&t[i]);
	}
	table_release(&t[0]);
	buf_printf(b, "\n%s%s\n", notes,
		   have_token_kinds(&r->cur) ? tokens_notes : "");
}

void
render_markdown(struct buf *b, struct report *r)
{
	struct table t[16];
	size_t n, i;

	buf_adds(b, "# Agent telemetry report\n\n");
	summary_lines(b, r, "- ", "**");
	if (r->note != NULL) {
		buf_adds(b, "- Note: ");
		md_escape(b, r->note, strlen(r->note));
		buf_addc(b, '\n');
	}
	n = report_tables(r, t);
	for (i = 0; i < n; i++) {
		table_markdown(b, &t[i]);
		table_release(&t[i]);
	}
	buf_printf(b, "\n---\n\n%s%s\n", notes,
		   have_token_kinds(&r->cur) ? tokens_notes : "");
}
