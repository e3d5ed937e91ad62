/*
 * workflows.h: oak-workflows' private header. The program reads
 * JoinedInvocations into a store of members (store.c), ties them into
 * workflows (group.c), analyses one workflow at a time (analyse.c),
 * counts agent sequences and handoffs across workflows (across.c) and
 * writes text, Markdown, JSON (output.c) or an HTML fragment with a
 * Gantt chart (gantt.c). Times are exact integers in microseconds.
 */
#ifndef OAK_WORKFLOWS_H
#define OAK_WORKFLOWS_H

#include "base/base.h"
#include "json/json.h"

#define NONE SIZE_MAX

/* Interned strings: text -> a dense index, in order of first appearance. */
struct pool {
	struct ht *index;       /* text -> 1 + index */
	char **text;
	size_t *len;
	size_t n, cap;
};
/* p, with room for element n of the given size: arrays grown one element
 * at a time double at each power of two, so filling one is linear. */
void *grow(void *p, size_t n, size_t size);

void pool_init(struct pool *p);
void pool_release(struct pool *p);
size_t pool_add(struct pool *p, const char *s, size_t len);

enum status { ST_SUCCESS, ST_FAILURE, ST_PARTIAL, ST_UNKNOWN };
enum tie { TIE_WORKFLOW_ID, TIE_DELEGATION, TIE_SESSION };
enum outcome { OUT_SUCCEEDED, OUT_PARTIAL, OUT_UNKNOWN, OUT_FAILED };

/* One invocation, what the analysis needs of it. */
struct member {
	size_t id, parent_id;   /* strs indices; parent_id NONE when absent */
	size_t session, workflow_id, agent;   /* workflow_id NONE: absent */
	size_t *files;          /* strs indices of outcome.files_modified */
	size_t nfiles;
	int64_t seq;            /* position in the input */
	int64_t start, end;     /* microseconds since the epoch */
	bool timed;             /* duration_seconds present and not null */
	enum status status;
	const char *file;       /* where it was read, for diagnostics */
	long line_no;
	/* set by grouping */
	size_t parent;          /* the parent member in the same workflow */
	size_t wf;
};

struct workflow {
	enum tie tie;
	size_t key;             /* strs index: workflow id, root id or session */
	size_t *m, n;           /* members, by start, then input order */
	int64_t start, end;
};

struct store {
	struct pool strs;       /* ids, sessions, workflow ids, files */
	struct pool agents;     /* agent names: small, dense indices */
	struct ht *by_id;       /* invocation id -> 1 + member index */
	struct member *m;
	size_t n, cap;
	struct workflow *wf;
	size_t nwf;
};

/* store.c */
void store_init(struct store *s);
void store_release(struct store *s);
/* Reads one parsed JoinedInvocation; false (and the line rejected) when
 * it is not one. */
bool store_add(struct store *s, const struct json_doc *d, const char *file,
	       const struct line *ln);
const char *store_str(const struct store *s, size_t i);
const char *store_agent(const struct store *s, size_t i);

/* group.c: ties the members into workflows, ordered by start. */
void group_members(struct store *s);

/* One segment of the critical path: member m holds [from, to). */
struct segment {
	size_t m;
	int64_t from, to;
};
struct conflict {
	size_t file;            /* strs index */
	size_t *agents, n;      /* agents indices, by first modification */
};
/* What analyse() finds in one workflow; reused from one to the next. */
struct analysis {
	const struct workflow *w;
	bool tree;              /* some member delegated to another */
	int64_t wall, summed;
	size_t untimed;
	size_t count[4];        /* members by status */
	enum outcome outcome;
	size_t *path;           /* critical path members, by time */
	int64_t *path_time;     /* each one's time on it */
	int64_t *local_time;    /* the same by local index, 0 when off it */
	size_t npath;
	int64_t path_total;
	size_t bottleneck;      /* agents index, or NONE */
	int64_t bottleneck_time;
	struct conflict *conflicts;
	size_t nconflicts;
	size_t *depth;          /* per member of w, in w's order: tree depth */
	size_t *order;          /* members in tree pre-order (or w's order) */
	/* scratch */
	size_t *child_first, *child, *local;
	struct segment *seg;
	size_t nseg, cap;
	int64_t *agent_time;
	size_t cap_local;
};
void analysis_init(struct analysis *a, const struct store *s);
void analysis_release(struct analysis *a);
void analyse(struct analysis *a, const struct store *s,
	     const struct workflow *w);
const char *outcome_name(enum outcome o);
const char *status_name(enum status st);
const char *tie_name(enum tie t);

/* across.c: agent sequences and handoff pairs over all workflows. */
struct seq_stat {
	size_t first;           /* the workflow it first appeared in */
	size_t *agents, nagents;
	int64_t workflows, succeeded, failed;
};
struct pair_stat {
	size_t from, to;        /* agents indices */
	size_t first, last_wf;
	int64_t occurrences, workflows, succeeded, failed, failures_after;
};
struct across {
	struct ht *seq_index, *pair_index;
	struct seq_stat *seq;
	size_t nseq, cap_seq;
	struct pair_stat *pair;
	size_t npair, cap_pair;
	struct buf key;
};
void across_init(struct across *x);
void across_release(struct across *x);
void across_add(struct across *x, const struct store *s, size_t wf,
		const struct analysis *a);
/* Sorted views: most frequent first, ties by first appearance. */
void across_sort_sequences(struct across *x);
size_t across_pairs_by(const struct across *x, bool by_failures,
		       const struct pair_stat ***out);

/* output.c */
enum format { FMT_TEXT, FMT_MARKDOWN, FMT_JSON, FMT_HTML };
struct out_opts {
	enum format format;
	size_t top;
	const char *gantt;      /* workflow key to chart, NULL: the longest */
};
void write_all(struct buf *b, struct store *s, const struct out_opts *o);
/* "12.5 s" of a microsecond count; the instant as a date-time. */
void put_seconds(struct buf *b, int64_t micro);
void put_time(struct buf *b, int64_t micro);
/* s / (s + f), NaN when both are 0; pct: "50.0 %" or "n/a". */
double rate_of(int64_t s, int64_t f);
const char *pct(double r);
/* A short-lived formatted string (a ring of eight). */
const char *cell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* text.c: text and Markdown. */
void text_workflow(struct buf *b, enum format f, const struct store *s,
		   const struct analysis *a, size_t index);
void text_across(struct buf *b, enum format f, const struct store *s,
		 struct across *x, size_t top);

/* gantt.c: the HTML fragment. */
struct grid;
size_t gantt_pick(const struct store *s, const char *name);
void gantt_chart(struct buf *b, const struct store *s,
		 const struct analysis *a);
void gantt_row(struct grid *g, const struct store *s,
	       const struct analysis *a);

#endif
