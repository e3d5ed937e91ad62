/*
 * side.c: the side files (--updates, --metrics), mapped into memory and
 * indexed by a 64-bit hash of the invocation id: a 40-byte entry per
 * record (where the line and the id in it are) and 8-byte slots of an
 * open-addressed table at most half full, made once every record is in
 * (at most 72 bytes a record; 24 more with spans, the places of a few
 * values of the record, or with what a success metric adds to the facts
 * of its invocation), chained from the id's last record back to its
 * first; and the shards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "join.h"

struct shard shard;
static struct json_doc side_doc;

bool
in_shard(uint64_t hash)
{
	return shard.n == 0 || hash % shard.n == shard.k - 1;
}

uint64_t
id_hash(const char *id, size_t len)
{
	return shard.n != 0 ? oak_hash(id, len) : oak_hash_fast(id, len);
}

/*
 * Every shard reads every line, so a bad line is reported by one shard
 * only: the shard its id belongs to, or shard 1 when it has no id.
 */

void
shard_reject(bool ours, const char *file, long line, const char *text,
	     size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!ours)
		return;
	va_start(ap, fmt);
	oak_vreject(file, line, text, len, fmt, ap);
	va_end(ap);
}

/* Does this process report the bad lines that carry no usable id? */
bool
reports_idless(void)
{
	return shard.n == 0 || shard.k == 1;
}

/* A slot: the low 32 bits of its entry's hash (the tag, which places it
 * too) above the entry's index; all ones when empty. */
#define SLOT_ENTRY(v) ((uint32_t)(v))
#define SLOT_TAG(v) ((uint32_t)((v) >> 32))

/* The slot of hash: the one that holds an entry of hash (its tag,
 * then its hash, alike), else the empty one where its chain would
 * start. */
static uint64_t *
index_slot(const struct side_index *ix, uint64_t hash)
{
	size_t i;
	uint64_t v;

	for (i = (size_t)hash & ix->mask;; i = (i + 1) & ix->mask) {
		v = ix->slot[i];
		if (SLOT_ENTRY(v) == NO_ENTRY ||
		    (SLOT_TAG(v) == (uint32_t)hash &&
		     ix->entry[SLOT_ENTRY(v)].hash == hash))
			return &ix->slot[i];
	}
}

void
side_warm(const struct side_index *ix, uint64_t hash, int stage)
{
	uint32_t e;

	if (stage == 0)
		__builtin_prefetch(&ix->slot[hash & ix->mask]);
	else if ((e = SLOT_ENTRY(ix->slot[hash & ix->mask])) != NO_ENTRY)
		__builtin_prefetch(&ix->entry[e]);
}

/* How many entries ahead index_build fetches the slot of. */
#define BUILD_AHEAD 16

/*
 * The slots and chains of the entries, made once they are all in (no
 * table grows, no entry moves): a table at most half full, filled in
 * file order, so that an id's chain runs from its last record back to
 * its first. The slots are fetched BUILD_AHEAD entries ahead: each is a
 * random place in a table of megabytes, and a loop over the entries in
 * order knows where it will go next.
 */
static void
index_build(struct side_index *ix)
{
	size_t n = 1024, e;
	uint64_t *slot, hash;

	while (n < (size_t)ix->nentry * 2)
		n *= 2;
	ix->mask = n - 1;
	ix->slot = oak_malloc(sizeof(*ix->slot) * n);
	memset(ix->slot, 0xff, sizeof(*ix->slot) * n);
	for (e = 0; e < ix->nentry; e++) {
		if (e + BUILD_AHEAD < ix->nentry)
			__builtin_prefetch(&ix->slot[ix->entry[e + BUILD_AHEAD].hash &
						     ix->mask], 1);
		hash = ix->entry[e].hash;
		slot = index_slot(ix, hash);
		ix->entry[e].prev = SLOT_ENTRY(*slot);
		*slot = (uint64_t)(uint32_t)hash << 32 | e;
	}
}

/* Appends an entry; index_build chains it. */
static void
index_add(struct side_index *ix, uint64_t hash, size_t offset, size_t len,
	  long line_no, size_t id_off, size_t id_len)
{
	struct side_entry *e;

	if (ix->nentry == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->entry = oak_realloc(ix->entry, sizeof(*ix->entry) * ix->cap);
		if (ix->span_keys != NULL)   /* an entry's spans, beside it */
			ix->spans = oak_realloc(ix->spans,
						sizeof(*ix->spans) * ix->cap);
		if (ix->want_metrics)        /* its metric's facts, beside it */
			ix->metric = oak_realloc(ix->metric,
						 sizeof(*ix->metric) * ix->cap);
	}
	e = &ix->entry[ix->nentry++];
	e->hash = hash;
	e->offset = offset;
	e->len = (uint32_t)len;
	e->prev = NO_ENTRY;
	e->line_no = (uint32_t)line_no & ~USED;
	e->id_off = (uint32_t)id_off;
	e->id_len = (uint32_t)id_len;
}

/* Maps path (copying a pipe to a temporary file first). */
static bool
side_map(struct side_index *ix, const char *path, bool *regular)
{
	struct stat st;
	int fd, tmp;
	char chunk[65536];
	ssize_t n;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT)
			return false;
		oak_die_errno(path);
	}
	if (fstat(fd, &st) < 0)
		oak_die_errno(path);
	*regular = S_ISREG(st.st_mode);
	if (!*regular) {
		FILE *spool = tmpfile();

		if (spool == NULL)
			oak_die_errno("tmpfile");
		tmp = fileno(spool);
		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			if (write(tmp, chunk, (size_t)n) != n)
				oak_die_errno("tmpfile");
		if (n < 0)
			oak_die_errno(path);
		close(fd);
		fd = dup(tmp);
		fclose(spool);
		if (fd < 0 || fstat(fd, &st) < 0)
			oak_die_errno("tmpfile");
	}
	ix->size = (size_t)st.st_size;
	if (ix->size > 0) {
		ix->map = mmap(NULL, ix->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (ix->map == MAP_FAILED)
			oak_die_errno(path);
	}
	close(fd);
	return true;
}

/*
 * Indexes every record of a side file. A record that is not a JSON object
 * with a string invocation_id and timestamp is reported and left out.
 */
/* Indexes record d (parsed from a copy of, or from, line of the map),
 * when its id is of this shard. */
static void
side_add(struct side_index *ix, const struct json_doc *d, const char *line,
	 size_t len, long line_no)
{
	size_t id_len, vlen;
	const char *id = json_raw(d, json_get(d, 0, "invocation_id"), &id_len);
	const char *val;
	uint64_t hash = id_hash(id, id_len);
	struct side_spans *sp;
	int k, i;

	if (!in_shard(hash))
		return;
	index_add(ix, hash, (size_t)(line - ix->map), len, line_no,
		  (size_t)(id - d->text), id_len);
	if (ix->want_metrics)
		agent_metric_of(d, 0, &ix->metric[ix->nentry - 1]);
	if (ix->span_keys == NULL)
		return;
	sp = &ix->spans[ix->nentry - 1];
	for (k = 0; k < SPAN_KEYS; k++) {
		sp->off[k] = sp->len[k] = 0;
		if ((i = json_getn(d, 0, ix->span_keys[k].name,
				   ix->span_keys[k].len)) < 0)
			continue;
		val = json_span(d, i, &vlen);
		sp->off[k] = (uint32_t)(val - d->text);
		sp->len[k] = (uint32_t)vlen;
	}
}

/* --threads: line ln of the side file, parsed and checked against the
 * schema by a worker (reason: why it failed, or NULL). */
static void
side_parsed(void *arg, const char *file, const struct line *ln,
	    const struct json_doc *d, const char *reason,
	    const struct prepared *unused)
{
	struct side_index *ix = arg;

	(void)unused;
	if (ln->len >= USED || ln->no >= (long)USED)
		reason = "line too long";
	else if (reason == NULL)
		reason = record_check(d);
	if (reason != NULL)
		shard_reject(reports_idless(), file, ln->no, ln->text, ln->len,
			     "%s", reason);
	else
		side_add(ix, d, ix->map + ln->offset, ln->len, ln->no);
}

/* The records of the mapped side file at path, one by one, each
 * through gate. */
static void
side_read(struct side_index *ix, const char *path, struct record_gate *gate)
{
	struct record_line rl;
	size_t pos = 0, len;
	long line_no = 0;
	const char *line, *nl;

	while (pos < ix->size) {
		line = ix->map + pos;
		nl = memchr(line, '\n', ix->size - pos);
		len = nl ? (size_t)(nl - line) : ix->size - pos;
		pos += len + (nl != NULL);
		line_no++;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (line_blank(line, len))
			continue;
		if (len >= USED || line_no >= (long)USED) {
			shard_reject(reports_idless(), path, line_no, line, len,
				     "line too long");
			continue;
		}
		rl = (struct record_line){ path, line_no, line, len, nl != NULL };
		if (record_accept(gate, &side_doc, &rl, reports_idless(), NULL))
			side_add(ix, &side_doc, line, len, line_no);
	}
}

void
side_load(struct side_index *ix, const char *path, struct record_gate *gate,
	  const char *kind, int threads, const struct json_key *span_keys,
	  bool want_metrics)
{
	bool regular;

	memset(ix, 0, sizeof(*ix));
	ix->path = path;
	ix->span_keys = span_keys;
	ix->want_metrics = want_metrics;
	if (path != NULL && side_map(ix, path, &regular)) {
		if (threads > 1 && regular) {
			struct batch_ops ops = { NULL, NULL, side_parsed, ix };

			batch_each(1, (char **)&path, kind, threads, &ops);
		} else {
			side_read(ix, path, gate);
		}
	}
	index_build(ix);
}

/* Reports, once per file, records whose id was never started; returns
 * how many. */
uint32_t
side_report_orphans(const struct side_index *ix, const char *what)
{
	uint32_t i, count = 0, first = 0;

	for (i = 0; i < ix->nentry; i++) {
		if (ix->entry[i].line_no & USED)
			continue;
		if (count++ == 0 || ix->entry[i].line_no < first)
			first = ix->entry[i].line_no;
	}
	if (count == 0)
		return 0;
	/* a note, not bad input (DESIGN.md): rotated logs, other shards'
	 * or another window's invocations leave the exit status alone */
	oak_warn_at(ix->path, first, "note: %u %s%s for invocation ids never "
		    "started (first here)", count, what, count == 1 ? "" : "s");
	return count;
}

/* Collects the entries of id in file order into chain; returns count. */
size_t
side_chain(struct side_index *ix, uint64_t hash, const char *id,
	   size_t id_len, uint32_t **chain, size_t *cap)
{
	uint32_t e = SLOT_ENTRY(*index_slot(ix, hash));
	size_t n = 0, a, b;
	const struct side_entry *ent;

	for (; e != NO_ENTRY; e = ix->entry[e].prev) {
		ent = &ix->entry[e];
		if (ent->id_len != id_len ||
		    memcmp(ix->map + ent->offset + ent->id_off, id, id_len) != 0)
			continue;   /* another id with the same hash */
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			*chain = oak_realloc(*chain, sizeof(**chain) * *cap);
		}
		(*chain)[n++] = e;
		ix->entry[e].line_no |= USED;
	}
	for (a = 0, b = n; a + 1 < b; a++, b--) {
		uint32_t t = (*chain)[a];

		(*chain)[a] = (*chain)[b - 1];
		(*chain)[b - 1] = t;
	}
	return n;
}

