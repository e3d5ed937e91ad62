/*
 * batch.c: --threads N. The lines of a log are read in batches, parsed
 * (strict JSON), checked against the schema of their kind and made
 * ready to join (prepare) by N parsers, each with its own compiled
 * schema: N - 1 worker threads and the main thread, taking chunks of
 * CHUNK_LINES lines, oldest batch first. Up to RING batches are in
 * flight. The main thread, in turn: hands the oldest batch, once it is
 * parsed, line by line and in input order, to the join; else reads the
 * next batch while a slot is free; else parses a chunk no one took;
 * else waits for the chunk a worker is parsing. Every line is joined,
 * rejected and numbered exactly as one thread does it; only the parsing
 * is shared. With RING batches in flight, a worker rarely runs out of
 * lines, and the main thread rarely waits for one: waking a thread that
 * sleeps can take milliseconds on a busy host, and waking one on every
 * batch, as three batches in flight did, doubled the wall time on such
 * a host. Memory is bounded: RING batches of BATCH_LINES lines, their
 * bytes and tokens.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "join.h"

#define BATCH_LINES 256
#define CHUNK_LINES 32
#define RING 8
/* How many times the main thread looks again, with a pause between,
 * before it sleeps until a worker ends the oldest batch's last chunk. */
#define SPINS 4096

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
	size_t next;       /* its first line no one took yet */
	atomic_size_t left;   /* its lines not parsed yet */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	struct batch ring[RING];
	unsigned long head;    /* the oldest batch in flight, fed next */
	unsigned long take;    /* the first batch that may have lines to take */
	unsigned long tail;    /* one past the newest batch read */
	int sleeping;          /* workers waiting for lines */
	bool waiting;          /* the main thread waits for the oldest batch */
	bool quit;
	int nthreads;          /* parsers: the workers and the main thread */
	const struct batch_ops *ops;
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
	int bad;

	for (i = from; i < to; i++) {
		bl = &b->line[i];
		bl->part = w->id;
		bl->why_off = SIZE_MAX;
		bl->ln.text = b->text.data + bl->text_off;
		bad = schema_parse(w->schema, &b->doc[i], bl->ln.text,
				   bl->ln.len, &reason, &w->err);
		if (bad < 0) {
			bl->why_off = why->len;
			buf_printf(why, "%s%s", reason, bl->ln.had_newline ? "" :
				   " (truncated last line)");
			buf_addc(why, '\0');
		} else if (bad > 0) {
			note_reason(why, bl, w->err.data, w->err.len);
		} else if (w->pool->ops->prep != NULL &&
			   (reason = w->pool->ops->prep(&b->doc[i],
							&b->out[w->id],
							&bl->prep)) != NULL) {
			note_reason(why, bl, reason, strlen(reason));
		}
	}
}

/* Takes the next chunk no one took, oldest batch first: its batch and
 * lines [*from, *to), or NULL when none is left. With the lock held. */
static struct batch *
take_chunk(struct pool *p, size_t *from, size_t *to)
{
	struct batch *b;

	for (; p->take != p->tail; p->take++) {
		b = &p->ring[p->take % RING];
		if (b->next < b->n) {
			*from = b->next;
			*to = *from + CHUNK_LINES < b->n ? *from + CHUNK_LINES : b->n;
			b->next = *to;
			return b;
		}
	}
	return NULL;
}

/* Parses lines [from, to) of b as w and counts them parsed; called with
 * the lock held, returns with it held. */
static void
parse_chunk(struct worker *w, struct batch *b, size_t from, size_t to)
{
	struct pool *p = w->pool;

	pthread_mutex_unlock(&p->mu);
	parse_part(w, b, from, to);
	pthread_mutex_lock(&p->mu);
	if (atomic_fetch_sub(&b->left, to - from) == to - from && p->waiting &&
	    b == &p->ring[p->head % RING])
		pthread_cond_signal(&p->done);
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct batch *b;
	size_t from, to;

	pthread_mutex_lock(&p->mu);
	while (!p->quit) {
		if ((b = take_chunk(p, &from, &to)) != NULL) {
			parse_chunk(w, b, from, to);
			continue;
		}
		p->sleeping++;
		pthread_cond_wait(&p->go, &p->mu);
		p->sleeping--;
	}
	pthread_mutex_unlock(&p->mu);
	json_thread_release();
	return NULL;
}

/* A moment's pause in a spin. */
static inline void
relax(void)
{
#if defined(__SSE2__)
	_mm_pause();
#endif
}

/* Waits until the oldest batch, whose last chunks workers are parsing,
 * is parsed: a while looking, then asleep. With the lock held. */
static void
wait_oldest(struct pool *p)
{
	struct batch *b = &p->ring[p->head % RING];
	int spin;

	pthread_mutex_unlock(&p->mu);
	for (spin = 0; spin < SPINS && atomic_load(&b->left) > 0; spin++)
		relax();
	pthread_mutex_lock(&p->mu);
	p->waiting = true;
	while (atomic_load(&b->left) > 0)
		pthread_cond_wait(&p->done, &p->mu);
	p->waiting = false;
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
	b->next = 0;
	atomic_store(&b->left, b->n);
	return b->n > 0;
}

/* How many lines before the join takes a line the main thread warms
 * the caches for it (batch_ops.warm): stage 0, then stage 1. */
#define WARM_FAR 12
#define WARM_NEAR 6

/* Warms the caches for line i of batch b, when it is one and prepared. */
static void
batch_warm(const struct batch *b, const struct batch_ops *ops, size_t i,
	   int stage)
{
	if (ops->warm != NULL && i < b->n && b->line[i].why_off == SIZE_MAX)
		ops->warm(&b->line[i].prep, stage);
}

/* Hands each line of the parsed batch b to ops->fn, in order, with what
 * ops->prep made of it. */
static void
batch_feed(struct batch *b, const char *file, const struct batch_ops *ops)
{
	struct batch_line *bl;
	size_t i;

	for (i = 0; i < b->n; i++) {
		batch_warm(b, ops, i + WARM_FAR, 0);
		batch_warm(b, ops, i + WARM_NEAR, 1);
		bl = &b->line[i];
		if (bl->why_off != SIZE_MAX) {
			ops->fn(ops->arg, file, &bl->ln, &b->doc[i],
				b->why[bl->part].data + bl->why_off, NULL);
			continue;
		}
		if (ops->prep == NULL) {
			ops->fn(ops->arg, file, &bl->ln, &b->doc[i], NULL, NULL);
			continue;
		}
		/* the worker's buffer may have moved since it wrote there */
		bl->prep.proj = b->out[bl->part].data + bl->prep.proj_off;
		ops->fn(ops->arg, file, &bl->ln, &b->doc[i], NULL, &bl->prep);
	}
}

/* One file through the pool: read and fed here, parsed by all. */
static void
pool_file(struct pool *p, const char *path)
{
	struct line_reader *r = line_open(path);
	struct batch *b;
	size_t from, to;
	bool more = true;

	if (r == NULL)
		oak_die_errno(path);
	pthread_mutex_lock(&p->mu);
	while (more || p->head != p->tail) {
		b = &p->ring[p->head % RING];
		if (p->head != p->tail && atomic_load(&b->left) == 0) {
			pthread_mutex_unlock(&p->mu);
			batch_feed(b, line_name(r), p->ops);
			pthread_mutex_lock(&p->mu);
			if (++p->head > p->take)
				p->take = p->head;
		} else if (more && p->tail - p->head < RING) {
			pthread_mutex_unlock(&p->mu);
			more = batch_read(&p->ring[p->tail % RING], r, path,
					  p->nthreads);
			pthread_mutex_lock(&p->mu);
			p->tail += more;
			if (more && p->sleeping > 0)
				pthread_cond_broadcast(&p->go);
		} else if ((b = take_chunk(p, &from, &to)) != NULL) {
			parse_chunk(&p->worker[p->nthreads - 1], b, from, to);
		} else {
			wait_oldest(p);
		}
	}
	pthread_mutex_unlock(&p->mu);
	line_close(r);
}

static void
batch_release(struct batch *b, int nthreads)
{
	size_t i, k;
	int t;

	for (k = 0; k < RING; k++) {
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
	   const struct batch_ops *ops)
{
	struct pool p;
	pthread_t *tid = oak_calloc((size_t)nthreads, sizeof(*tid));
	int i;

	memset(&p, 0, sizeof(p));
	p.nthreads = nthreads;
	p.ops = ops;
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
		pool_file(&p, nfile > 0 ? files[i] : "-");
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
	batch_release(p.ring, nthreads);
	free(p.worker);
	free(tid);
}
