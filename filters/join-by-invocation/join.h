/*
 * join-by-invocation/join.h: the parts of oak-join-by-invocation: the
 * side-file index and shards (side.c), updates folded into an
 * invocation (update.c), the projection for oak-group-by-agent
 * (project.c), and the join itself (main.c).
 */
#ifndef OAK_JOIN_H
#define OAK_JOIN_H

#include "base/base.h"
#include "json/json.h"
#include "record/accept.h"
#include "record/agent_stats.h"

/* ---- side.c: the side-file index ---------------------------------- */

#define NO_ENTRY UINT32_MAX
#define USED UINT32_C(0x80000000)

struct side_entry {
	uint64_t hash;     /* id_hash of the invocation id */
	uint64_t offset;   /* the record's line in the mapping */
	uint32_t len;
	uint32_t prev;     /* previous record of the same hash, or NO_ENTRY */
	uint32_t line_no;  /* high bit: matched a started invocation */
	uint32_t id_off;   /* the id's characters, within the line */
	uint32_t id_len;
};

/* Where the values of some keys of a record are, within its line (len 0:
 * the key is absent), kept when the index is asked to (--project). */
#define SPAN_KEYS 3
struct side_spans {
	uint32_t off[SPAN_KEYS], len[SPAN_KEYS];
};

struct side_index {
	const char *path;
	const char *map;   /* the whole file, read-only */
	size_t size;
	struct side_entry *entry;
	const struct json_key *span_keys;  /* SPAN_KEYS keys, or NULL */
	struct side_spans *spans;      /* an entry's, when span_keys (cap) */
	bool want_metrics;             /* success metrics, for --group: */
	struct agent_metric *metric;   /* an entry's facts (cap) */
	uint32_t nentry, cap;
	uint64_t *slot;    /* last entry of each hash, its hash's low 32 bits
			    * above it; all ones when empty (side.c) */
	size_t mask;
};

struct shard {
	uint64_t k, n;     /* keep ids whose hash % n == k - 1; n 0: all */
};
extern struct shard shard;

bool in_shard(uint64_t hash);
/* The hash of an id that the join's tables and shards use: with
 * --shard, oak_hash (FNV-1a: a shard is the same set of ids on every
 * host and release); else the faster oak_hash_fast. */
uint64_t id_hash(const char *id, size_t len);
/* Does this process report the bad lines that carry no usable id? */
bool reports_idless(void);
/* Reports a bad line when ours (the shard of its id is this one). */
void shard_reject(bool ours, const char *file, long line, const char *text,
		  size_t len, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Indexes every record of the side file at path (none when NULL or
 * missing), each checked by gate; bad records are reported, left out.
 * With span_keys, each record's values of those keys are located too;
 * with want_metrics, what each (a success metric) adds to the facts of
 * its invocation is worked out (agent_metric_of).
 * With threads > 1 and a regular file, threads workers parse and check
 * it (against the schema of kind unless NULL), to the same effect. */
void side_load(struct side_index *ix, const char *path,
	       struct record_gate *gate, const char *kind, int threads,
	       const struct json_key *span_keys, bool want_metrics);
/* Reports, once per file, records whose id was never started. */
uint32_t side_report_orphans(const struct side_index *ix, const char *what);
/* Prefetches what side_chain of hash reads first: at stage 0 its slot,
 * at stage 1 the entry the slot holds (side_load made the slots, file
 * or none). */
void side_warm(const struct side_index *ix, uint64_t hash, int stage);
/* Collects the entries of id in file order into *chain (grown, *cap its
 * size), marks them used; returns their count. */
size_t side_chain(struct side_index *ix, uint64_t hash, const char *id,
		  size_t id_len, uint32_t **chain, size_t *cap);

/* ---- update.c ------------------------------------------------------ */

/* Writes invocation inv with the n_upd updates of chain (entries of
 * updates) applied to out, without its final '}' and without the keys
 * success_metric and invocation_seq. */
void write_updated(struct buf *out, const struct json_doc *inv,
		   const struct side_index *updates, const uint32_t *chain,
		   size_t n_upd);

/* ---- project.c: --project group ---------------------------------- */

/* The projection writes the root's invocation_keys in their order (group
 * reads them all); those after INV_SEQ are projected further. */
/* The members of d that group reads, without the final '}'. */
void project_doc(struct buf *o, const struct json_doc *d);
/* The same, with the root's invocation_keys already found (json_get_keys)
 * in at. */
void project_found(struct buf *o, const struct json_doc *d, const int *at);
/* The keys of a success metric that group reads (SPAN_KEYS of them). */
extern const struct json_key metric_keys[SPAN_KEYS];
/* "success_metric": entry e of the metrics index (indexed with
 * metric_keys' spans), with only what group reads. */
void project_metric(struct buf *o, const struct side_index *metrics,
		    uint32_t e);
/* The JoinedInvocation line in out, replaced by its projection. */
void project_joined(struct buf *out);

/* ---- group.c: --group --------------------------------------------- */

struct prepared;
/* --group: AgentStats in place of the joined lines, as group would write
 * them; with --shard K/N, those of piece K/N (group --piece K/N). */
void group_begin(void);
/* What --group works out of invocation d (at: its root's
 * invocation_keys, kept in p) that needs no order, appended to out
 * (nothing when it cannot be: then it is worked out as it is counted). */
void group_prepare(const struct json_doc *d, const int *at, struct buf *out,
		   struct prepared *p);
/* Counts invocation d (line ln of file, prepared as p) joined as the
 * seq-th, with metric entry e of metrics (NO_ENTRY: none). */
void group_plain(const char *file, const struct line *ln,
		 const struct json_doc *d, const struct prepared *p,
		 const struct side_index *metrics, uint32_t e, int64_t seq);
/* Counts the JoinedInvocation in joined (line ln of file: the
 * invocation it was joined from), rebuilt with its updates, as group
 * counts its projection. */
void group_joined(const char *file, const struct line *ln,
		  const struct buf *joined);
/* Writes the AgentStats (and the piece's keys). */
void group_end(void);

/* ---- main.c: an invocation made ready to join -------------------- */

/* What the join works out of an accepted invocation before it joins
 * it, in no particular order: with --threads the parser of the line
 * does it, while the doc is still in its cache. */
struct prepared {
	struct oak_instant when;   /* its start (invocation_check) */
	const char *id;            /* its id's characters, in its line */
	size_t id_len;
	uint64_t hash;             /* id_hash of the id */
	size_t root_end;           /* where its closing '}' is */
	bool plain;                /* no "success_metric" or "invocation_seq"
				    * of its own: written as it stands */
	size_t proj_off, proj_len; /* --project, plain: its projection, in
				    * the buffer given to prepare (--group:
				    * what group_prepare made, or none) */
	char *proj;                /* the projection, once fed */
	int at[INV_KEYS];          /* --group: its root's invocation_keys */
};

/* ---- batch.c: --threads ------------------------------------------- */

/* A line a worker parsed into d and checked against its kind's schema:
 * reason is why it failed (the words record_accept gives), or NULL; p
 * is what prepare made of it (NULL without a prepare). */
typedef void (*batch_fn)(void *arg, const char *file, const struct line *ln,
			 const struct json_doc *d, const char *reason,
			 const struct prepared *p);
/* Work on a line that passed the schema, in any order: NULL or the
 * reason the line is refused; out is a buffer of the worker's. */
typedef const char *(*batch_prep_fn)(const struct json_doc *d,
				     struct buf *out, struct prepared *p);
/* What batch_each does with the lines it parsed. */
struct batch_ops {
	batch_prep_fn prep;   /* a parser, on each line that passed; or NULL */
	/* the main thread, on a prepared line a few lines before fn takes
	 * it: stage 0, then stage 1 nearer (prefetches of what fn will look
	 * up); or NULL (always, without prep) */
	void (*warm)(const struct prepared *p, int stage);
	batch_fn fn;          /* the main thread, on every line, in order */
	void *arg;            /* fn's */
};
/* The lines of the files (stdin when none) read as line_each reads them,
 * parsed by nthreads workers (checked against the schema of kind unless
 * it is NULL) and handed to ops. */
void batch_each(int nfile, char **files, const char *kind, int nthreads,
		const struct batch_ops *ops);

#endif
