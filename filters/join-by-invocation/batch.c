/*
 * batch.c: --threads N. The lines of a log are read in batches, parsed
 * (strict JSON), checked against the schema of their kind and made
 * ready to join (prepare) by N parsers, each with its own compiled
 * schema: N - 1 worker threads and the main thread, taking chunks of
 * CHUNK_LINES lines. The main thread
 * first hands the batch before, line by line and in input order, to the
 * join, then parses the chunks left: every line is joined, rejected and
 * numbered exactly as one thread does it, and only the parsing is
 * shared; no parser waits for another's part. Three batches are in
 * flight: one parsed, one joined, one being read; each keeps its lines'
 * bytes and tokens (bounded: BATCH_LINES lines).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "join.h"

#define BATCH_LINES 1024
#define CHUNK_LINES 32

struct batch_line {
	struct line ln;    /* text: offset into the batch's bytes until used */
	size_t text_off;
	int part;          /* which worker's reasons hold its reason */
	size_t why_off;    /* into that part's reasons; SIZE_MAX: none */
	struct prepared prep;   /* with a prepare, when it passed */
};

struct batch {
	struct buf text;
	struct batch_line *line;
	struct json_doc *doc;
	struct buf *why;   /* one per worker */
	struct buf *out;   /* one per worker: what prepare wrote */
	size_t n;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned long gen;     /* bumped for each batch to parse */
	size_t next;           /* the batch's first line no one took yet */
	size_t left;           /* its lines not parsed yet */
	bool quit;
	int nthreads;          /* parsers: the workers and the main thread */
	batch_prep_fn prep;    /* or NULL */
	struct batch *job;
	struct worker *worker; /* nthreads; the last is the main thread */
};

struct worker {
	struct pool *pool;
	int id;
	struct schema *schema;   /* its own, or NULL */
	struct buf err;
};

/* Notes reason as line bl's, in why. */
static void
note_reason(struct buf *why, struct batch_line *bl, const char *reason,
	    size_t len)
{
	bl->why_off = why->len;
	buf_add(why, reason, len);
	buf_addc(why, '\0');
}

/* Parses, checks and prepares lines [from, to) of b as worker w. */
static void
parse_part(struct worker *w, struct batch *b, size_t from, size_t to)
{
	struct buf *why = &b->why[w->id];
	struct batch_line *bl;
	const char *reason;
	size_t i;

	for (i = from; i < to; i++) {
		bl = &b->line[i];
		bl->part = w->id;
		bl->why_off = SIZE_MAX;
		bl->ln.text = b->text.data + bl->text_off;
		if (json_parse(&b->doc[i], bl->ln.text, bl->ln.len, &reason) < 0) {
			bl->why_off = why->len;
			buf_printf(why, "%s%s", reason, bl->ln.had_newline ? "" :
				   " (truncated last line)");
			buf_addc(why, '\0');
		} else if (w->schema != NULL &&
			   !schema_validate(w->schema, &b->doc[i], 0, &w->err)) {
			note_reason(why, bl, w->err.data, w->err.len);
		} else if (w->pool->prep != NULL &&
			   (reason = w->pool->prep(&b->doc[i], &b->out[w->id],
						   &bl->prep)) != NULL) {
			note_reason(why, bl, reason, strlen(reason));
		}
	}
}

/* Takes chunks of the batch being parsed and parses them, until none is
 * left to take; called with the lock held, returns with it held. */
static void
parse_chunks(struct worker *w)
{
	struct pool *p = w->pool;
	struct batch *b;
	size_t from, to;

	/* the job is read afresh each time: the main thread may have moved
	 * on to the next batch while this worker was away */
	while ((b = p->job) != NULL && p->next < b->n) {
		from = p->next;
		to = from + CHUNK_LINES < b->n ? from + CHUNK_LINES : b->n;
		p->next = to;
		pthread_mutex_unlock(&p->mu);
		parse_part(w, b, from, to);
		pthread_mutex_lock(&p->mu);
		p->left -= to - from;
		if (p->left == 0)
			pthread_cond_broadcast(&p->done);
	}
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	unsigned long seen = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->gen == seen && !p->quit)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit)
			break;
		seen = p->gen;
		parse_chunks(w);
	}
	pthread_mutex_unlock(&p->mu);
	json_thread_release();
	return NULL;
}

/* Reads up to BATCH_LINES non-blank lines of r into b: false at the end. */
static bool
batch_read(struct batch *b, struct line_reader *r, const char *path,
	   int nthreads)
{
	struct line ln;
	int rc;

	if (b->line == NULL) {
		b->line = oak_calloc(BATCH_LINES, sizeof(*b->line));
		b->doc = oak_calloc(BATCH_LINES, sizeof(*b->doc));
		b->why = oak_calloc((size_t)nthreads, sizeof(*b->why));
		b->out = oak_calloc((size_t)nthreads, sizeof(*b->out));
	}
	buf_reset(&b->text);
	for (rc = 0; rc < nthreads; rc++) {
		buf_reset(&b->why[rc]);
		buf_reset(&b->out[rc]);
	}
	b->n = 0;
	while (b->n < BATCH_LINES && (rc = line_next(r, &ln)) > 0) {
		if (line_blank(ln.text, ln.len))
			continue;
		b->line[b->n].ln = ln;
		b->line[b->n].text_off = b->text.len;
		buf_add(&b->text, ln.text, ln.len);
		buf_addc(&b->text, '\0');
		b->n++;
	}
	if (b->n < BATCH_LINES && rc < 0)
		oak_die_errno(path);
	return b->n > 0;
}

/* Has the workers parse b; returns at once. */
static void
pool_start(struct pool *p, struct batch *b)
{
	pthread_mutex_lock(&p->mu);
	p->job = b;
	p->next = 0;
	p->left = b->n;
	p->gen++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
}

/* The main thread parses what the workers have not taken, then waits
 * for the batch to be parsed. */
static void
pool_wait(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
	parse_chunks(&p->worker[p->nthreads - 1]);
	while (p->left > 0)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/* Hands each line of the parsed batch b to fn, in order, with what
 * prep made of it. */
static void
batch_feed(struct batch *b, const char *file, batch_prep_fn prep, batch_fn fn,
	   void *arg)
{
	struct batch_line *bl;
	size_t i;

	for (i = 0; i < b->n; i++) {
		bl = &b->line[i];
		if (bl->why_off != SIZE_MAX) {
			fn(arg, file, &bl->ln, &b->doc[i],
			   b->why[bl->part].data + bl->why_off, NULL);
			continue;
		}
		if (prep == NULL) {
			fn(arg, file, &bl->ln, &b->doc[i], NULL, NULL);
			continue;
		}
		/* the worker's buffer may have moved since it wrote there */
		bl->prep.proj = b->out[bl->part].data + bl->prep.proj_off;
		fn(arg, file, &bl->ln, &b->doc[i], NULL, &bl->prep);
	}
}

/* One file through the pool: read, parse (workers), feed (here). */
static void
pool_file(struct pool *p, struct batch *b, const char *path, batch_fn fn,
	  void *arg)
{
	struct line_reader *r = line_open(path);
	struct batch *parsing = &b[0], *feeding = NULL, *next = &b[1], *t;
	bool more;

	if (r == NULL)
		oak_die_errno(path);
	more = batch_read(parsing, r, path, p->nthreads);
	while (more || feeding != NULL) {
		if (more)
			pool_start(p, parsing);
		if (feeding != NULL)
			batch_feed(feeding, line_name(r), p->prep, fn, arg);
		t = feeding != NULL ? feeding : &b[2];
		feeding = NULL;
		if (more) {
			bool again = batch_read(next, r, path, p->nthreads);

			pool_wait(p);
			feeding = parsing;
			parsing = next;
			next = t;
			more = again;
		}
	}
	line_close(r);
}

static void
batch_release(struct batch *b, int nthreads)
{
	size_t i, k;
	int t;

	for (k = 0; k < 3; k++) {
		if (b[k].line == NULL)
			continue;
		for (i = 0; i < BATCH_LINES; i++)
			json_doc_release(&b[k].doc[i]);
		for (t = 0; t < nthreads; t++) {
			buf_release(&b[k].why[t]);
			buf_release(&b[k].out[t]);
		}
		free(b[k].line);
		free(b[k].doc);
		free(b[k].why);
		free(b[k].out);
		buf_release(&b[k].text);
	}
}

void
batch_each(int nfile, char **files, const char *kind, int nthreads,
	   batch_prep_fn prep, batch_fn fn, void *arg)
{
	struct pool p = { .nthreads = nthreads, .prep = prep };
	pthread_t *tid = oak_calloc((size_t)nthreads, sizeof(*tid));
	struct batch b[3];
	int i;

	memset(b, 0, sizeof(b));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.go, NULL);
	pthread_cond_init(&p.done, NULL);
	p.worker = oak_calloc((size_t)nthreads, sizeof(*p.worker));
	for (i = 0; i < nthreads; i++) {
		p.worker[i] = (struct worker){ .pool = &p, .id = i,
			.schema = kind != NULL ? schema_load_kind(kind) : NULL };
		/* the last parser is the main thread itself */
		if (i < nthreads - 1 &&
		    pthread_create(&tid[i], NULL, work, &p.worker[i]) != 0)
			oak_die(OAK_EXIT_IO, "cannot start a thread");
	}
	for (i = 0; i < (nfile > 0 ? nfile : 1); i++)
		pool_file(&p, b, nfile > 0 ? files[i] : "-", fn, arg);
	pthread_mutex_lock(&p.mu);
	p.quit = true;
	pthread_cond_broadcast(&p.go);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < nthreads; i++) {
		if (i < nthreads - 1)
			pthread_join(tid[i], NULL);
		buf_release(&p.worker[i].err);
		if (p.worker[i].schema != NULL)
			schema_release(p.worker[i].schema);
	}
	batch_release(b, nthreads);
	free(p.worker);
	free(tid);
}
