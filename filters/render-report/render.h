/*
 * render.h: what the files of oak-render-report share. main.c reads the
 * AgentStats (and the baseline's) and calls one renderer: seed.c writes
 * the seed's performance_stats.json, weekly report and ranking; model.c
 * derives the sections beyond the seed (task types, periods, baseline
 * comparison) as tables that table.c writes as text, Markdown or HTML;
 * report_json.c writes the whole report as one JSON object; html.c the
 * self-contained HTML page with its SVG charts; note.c names the window,
 * says why a window is empty and writes the data quality line.
 */
#ifndef RENDER_H
#define RENDER_H

#include "base/base.h"
#include "json/json.h"
#include "record/agent_stats.h"
#include "record/rank.h"
#include "record/instant.h"
#include "record/stats.h"

struct agent {
	struct agent_stats *stats;
	struct agent_view view;
	size_t input_pos;
};

struct agent_list {
	struct agent *a;
	size_t n, cap;
};

/* What oak-join-by-invocation's --summary says of the logs. */
struct logs_summary {
	bool have;                     /* read, with the counts below */
	int64_t invocations, in_window;
	int64_t first_day, last_day;   /* days since 1970; -1: none */
	bool have_quality;             /* the two counts below were there */
	int64_t rejected;              /* lines join rejected */
	int64_t never_started;         /* updates, metrics: the notes */
};

/* Everything a renderer needs. */
struct report {
	struct agent_list cur;         /* the window's agents */
	struct agent_list base;        /* the baseline window's agents */
	bool have_baseline;
	struct oak_window window, base_window;
	enum oak_period by;            /* OAK_BY_NONE: no per-period table */
	bool by_model;                 /* --by model: tokens and cost per model */
	int64_t min_sample;            /* fewer decided outcomes: "too few" */
	const char *generated_at;
	const char *title;
	long refresh;                  /* html: meta refresh seconds, or 0 */
	bool extended;                 /* text: the sections beyond the seed */
	const char *logs_summary;      /* join's --summary file, or NULL */
	const char *note;              /* why the window is empty, or NULL */
	struct logs_summary logs;      /* from logs_summary */
};

/* seed.c: orderings (by score: the one ranking rule of record/rank.h)
 * and the seed's renderers. */
void agents_sort_first_seq(struct agent_list *l);
void agents_sort_count(struct agent_list *l);
void agents_sort_score(struct agent_list *l);
void seed_json(struct buf *b, struct agent_list *l, const char *generated_at);
/* The seed's text report of r->cur; under its title, the window when it
 * has a bound, and the note. */
void seed_text(struct buf *b, struct report *r);
void seed_ranking(struct buf *b, struct agent_list *l, const char *title);
/* The whole input's date range; NULL when there is none. */
void date_range_of(const struct agent_list *l, const struct agent_stats **first,
		   const struct agent_stats **last);
long long total_invocations(const struct agent_list *l);

/* table.c: a table of text cells, written three ways. */
struct table {
	const char *title;
	size_t ncols;
	const char *const *head;
	const char *align;            /* one 'l' or 'r' per column */
	char **cell;                  /* nrows * ncols, owned */
	size_t nrows, cap;
	const char *empty;            /* said instead of an empty table */
};
void table_init(struct table *t, const char *title, size_t ncols,
		const char *const *head, const char *align);
/* Adds a row: exactly ncols strings (NULL is an empty cell), copied. */
void table_row(struct table *t, ...);
void table_release(struct table *t);
void table_text(struct buf *b, const struct table *t);
void table_markdown(struct buf *b, const struct table *t);
void table_html(struct buf *b, const struct table *t);
void html_escape(struct buf *b, const char *s, size_t len);
void md_escape(struct buf *b, const char *s, size_t len);

/* model.c: the sections beyond the seed. */
/* Formats a cell value into a static ring of buffers (valid for the
 * next 32 calls). NaN is "n/a". */
const char *fmt_pct(double x);
const char *fmt_ci(double lo, double hi);
const char *fmt_num(double x, int places);
const char *fmt_secs(double x);
const char *fmt_int(long long v);
const char *fmt_window(const struct oak_window *w);

struct task_best {
	const char *task_type;
	size_t task_len;
	int64_t invocations;          /* over all agents */
	const struct agent *best;     /* NULL: too few */
	int64_t successes, decided;
	double lo, hi;
};
/* Task types over all agents, most invoked first; *out is new. */
size_t task_types_best(const struct report *r, struct task_best **out);

struct period_row {
	char key[16];
	const struct agent *agent;
	int64_t invocations, successes, failures, quality_count;
	int64_t quality_sum_micro;
};
/* Per-period per-agent rows, by period then agent order in l. */
size_t period_rows(const struct agent_list *l, enum oak_period by,
		   struct period_row **out);
/* Adds n period rows to a table of period_head's five columns. */
void period_table_rows(struct table *t, const struct period_row *pr,
		       size_t n);

struct compare_row {
	const struct agent *now, *before;
	double sr_now, sr_before, q_now, q_before, p50_now, p50_before;
	double z;                     /* NaN when the test does not apply */
	bool significant, sr_marked, q_marked;
};
/* Rows for agents in both windows (current order); new and gone agents
 * in their own arrays. Each *out is new. */
void compare(const struct report *r, struct compare_row **rows, size_t *nrows,
	     const struct agent ***added, size_t *nadded,
	     const struct agent ***gone, size_t *ngone);

/* Fills the tables of the sections beyond the seed; leaves the agents in
 * r->cur sorted by count. Returns how many; tables[] has room for 16. */
size_t report_tables(struct report *r, struct table *tables);

/* tokens.c: tokens by kind, cost, models, task type sources. */
/* Whether some agent has tokens by kind, a cost or an unpriced model. */
bool have_token_kinds(const struct agent_list *l);
/* Task types inferred, given (the rest of those typed) and invocations
 * without one; whether any was inferred (then the report says so). */
bool task_sources(const struct agent_list *l, int64_t *inferred,
		  int64_t *given, int64_t *none);
/* "Task Types: N inferred, M given, K without a type", when any was
 * inferred, after bullet (a "<p ...>" is closed). */
void task_sources_line(struct buf *b, const struct report *r,
		       const char *bullet);
void tokens_table(const struct report *r, struct table *t);
/* One model summed over the agents: MODEL_* and MCOST_* counts. */
struct model_row {
	const char *name;
	int64_t v[MODEL_NV], cost[MCOST_NV];
	bool overflow;                /* a sum left the int64 range */
};
/* The models of l, most calls first; *out is new. */
size_t model_rows(const struct agent_list *l, struct model_row **out);
void models_table(const struct report *r, struct table *t);
/* The JSON report's members: an agent's "tokens_by_kind", "cost_usd_total",
 * "cost_usd_median", "cost_unpriced_models"; the "models" list; and
 * "task_type_sources" when any task type was inferred. */
void tokens_json(struct buf *b, const struct agent *ag);
void models_json(struct buf *b, const struct report *r);
void task_sources_json(struct buf *b, const struct report *r);

/* note.c: the window for people: "2026-W47 (2026-11-16 to 2026-11-23)",
 * "2026-11-01 to 2026-12-01", "all time". */
void window_label(struct buf *b, const struct oak_window *w);
/* Reads oak-join-by-invocation's --summary at path (NULL: none) into
 * r->logs; when the window holds no invocation and the logs do, sets
 * r->note to say so and where they are, and says it on stderr. */
void logs_note(struct report *r, const char *path);
/* The data quality line, from the summary: "Data quality: 2 lines
 * rejected, 1 note (update or metric for an id never started); the
 * window holds 5 of the 9 invocations logged". Appends it and returns
 * true, or false when no summary said so. */
bool data_quality(struct buf *b, const struct report *r);
/* The line as an item of text or Markdown's summary: the bullet, the
 * line and a newline; nothing without a summary. */
void data_quality_item(struct buf *b, const struct report *r,
		       const char *bullet);
/* report-json's "data_quality" member, when a summary says it. */
void data_quality_json(struct buf *b, const struct report *r);

/* html.c: b is the report being written to stdout, in order: writes
 * and empties it once it holds 64 KiB, so a long page is never held
 * whole. */
void out_flush(struct buf *b);

/* Renderers of the whole report. */
void render_text_extended(struct buf *b, struct report *r);
void render_markdown(struct buf *b, struct report *r);
void render_report_json(struct buf *b, struct report *r);
void render_html(struct buf *b, struct report *r);

#endif
