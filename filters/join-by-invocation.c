/*
 * oak-join-by-invocation: folds updates and feedback into each invocation.
 *
 * Invocations stream through from stdin or the files named. The side
 * files (--updates, --metrics) are mapped into memory and indexed by a
 * 64-bit hash of the invocation id: a 40-byte entry per record (where
 * the line and the id in it are) and 4-byte slots of an open-addressed
 * table at most half full (at most 56 bytes a record), chained from the
 * id's last record back to its first. For each invocation the chain is
 * walked, each record's id confirmed against the invocation's, and the
 * updates applied in file order; the last metric is attached as
 * "success_metric". With --validate every line of the three inputs is
 * checked against its kind's schema too, on the tokens already parsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "record/instant.h"
#include "record/invocation.h"
#include "record/accept.h"

static const char usage[] =
	"usage: oak-join-by-invocation [--updates FILE] [--metrics FILE]\n"
	"           [--since TIME] [--until TIME] [--week YYYY-Www|last]\n"
	"           [--previous] [--shard K/N] [--validate] [--summary FILE]\n"
	"           [--rejects FILE] [--strict] [FILE ...]\n";

/* ---- the side-file index ---------------------------------------- */

#define NO_ENTRY UINT32_MAX

struct side_entry {
	uint64_t hash;     /* oak_hash of the invocation id */
	uint64_t offset;   /* the record's line in the mapping */
	uint32_t len;
	uint32_t prev;     /* previous record of the same hash, or NO_ENTRY */
	uint32_t line_no;  /* high bit: matched a started invocation */
	uint32_t id_off;   /* the id's characters, within the line */
	uint32_t id_len;
};

#define USED UINT32_C(0x80000000)

struct side_index {
	const char *path;
	const char *map;   /* the whole file, read-only */
	size_t size;
	struct side_entry *entry;
	uint32_t nentry, cap;
	uint32_t *slot;    /* last entry of each hash; NO_ENTRY when empty */
	size_t mask;
};

struct shard {
	uint64_t k, n;     /* keep ids whose hash % n == k - 1; n 0: all */
};

static struct shard shard;
static struct json_doc side_doc;
/* --summary: lines this process rejected (a bad line is one shard's) */
static long long rejected_lines;
/* --validate: each kind's schema, as oak-validate applies it */
static struct record_gate invocation_gate, update_gate, metric_gate;

static bool
in_shard(uint64_t hash)
{
	return shard.n == 0 || hash % shard.n == shard.k - 1;
}

/*
 * Every shard reads every line, so a bad line is reported by one shard
 * only: the shard its id belongs to, or shard 1 when it has no id.
 */
static void
shard_reject(bool ours, const char *file, long line, const char *text,
	     size_t len, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void
shard_reject(bool ours, const char *file, long line, const char *text,
	     size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!ours)
		return;
	rejected_lines++;
	va_start(ap, fmt);
	oak_vreject(file, line, text, len, fmt, ap);
	va_end(ap);
}

/* Does this process report the bad lines that carry no usable id? */
static bool
reports_idless(void)
{
	return shard.n == 0 || shard.k == 1;
}

static uint32_t *
index_slot(const struct side_index *ix, uint64_t hash)
{
	size_t i;

	for (i = (size_t)hash & ix->mask;; i = (i + 1) & ix->mask)
		if (ix->slot[i] == NO_ENTRY || ix->entry[ix->slot[i]].hash == hash)
			return &ix->slot[i];
}

static void
index_grow(struct side_index *ix)
{
	uint32_t *old = ix->slot;
	size_t n = ix->mask + 1, i;

	ix->mask = n * 2 - 1;
	ix->slot = oak_malloc(sizeof(*ix->slot) * (ix->mask + 1));
	memset(ix->slot, 0xff, sizeof(*ix->slot) * (ix->mask + 1));
	for (i = 0; i < n; i++)
		if (old[i] != NO_ENTRY)
			*index_slot(ix, ix->entry[old[i]].hash) = old[i];
	free(old);
}

static void
index_add(struct side_index *ix, uint64_t hash, size_t offset, size_t len,
	  long line_no, size_t id_off, size_t id_len)
{
	uint32_t *slot;
	struct side_entry *e;

	if (ix->nentry == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->entry = oak_realloc(ix->entry, sizeof(*ix->entry) * ix->cap);
	}
	slot = index_slot(ix, hash);
	e = &ix->entry[ix->nentry];
	e->hash = hash;
	e->offset = offset;
	e->len = (uint32_t)len;
	e->prev = *slot;
	e->line_no = (uint32_t)line_no & ~USED;
	e->id_off = (uint32_t)id_off;
	e->id_len = (uint32_t)id_len;
	*slot = ix->nentry++;
	/* count distinct hashes loosely: grow when entries pass half */
	if ((size_t)ix->nentry * 2 > ix->mask + 1)
		index_grow(ix);
}

/* Maps path (copying a pipe to a temporary file first). */
static bool
side_map(struct side_index *ix, const char *path)
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
	if (!S_ISREG(st.st_mode)) {
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
static void
side_load(struct side_index *ix, const char *path, struct record_gate *gate)
{
	struct record_line rl;
	size_t pos = 0, len, id_len;
	long line_no = 0;
	const char *line, *nl, *id;

	memset(ix, 0, sizeof(*ix));
	ix->path = path;
	ix->mask = 1023;
	ix->slot = oak_malloc(sizeof(*ix->slot) * (ix->mask + 1));
	memset(ix->slot, 0xff, sizeof(*ix->slot) * (ix->mask + 1));
	if (path == NULL || !side_map(ix, path))
		return;
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
		if (!record_accept(gate, &side_doc, &rl, reports_idless(), NULL)) {
			rejected_lines += reports_idless();
			continue;
		}
		id = json_raw(&side_doc, json_get(&side_doc, 0, "invocation_id"),
			      &id_len);
		if (in_shard(oak_hash(id, id_len)))
			index_add(ix, oak_hash(id, id_len),
				  (size_t)(line - ix->map), len, line_no,
				  (size_t)(id - line), id_len);
	}
}

/* Reports, once per file, records whose id was never started; returns
 * how many. */
static uint32_t
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

/* ---- ids already started ----------------------------------------- */

/* A set of id strings: 16-byte slots (hash, arena offset) over an arena
 * of length-prefixed ids. Only what must be remembered: every id seen. */
struct id_slot {
	uint64_t hash;
	uint64_t off;      /* into the arena; 0: empty */
};

struct id_set {
	struct id_slot *slot;
	size_t mask, count;
	struct buf arena;
};

static bool
id_set_add(struct id_set *set, const char *id, size_t len, uint64_t hash)
{
	size_t i, n, j;
	uint32_t stored;

	if ((set->count + 1) * 2 > set->mask + 1 || set->slot == NULL) {
		struct id_slot *old = set->slot;
		size_t old_n = set->slot ? set->mask + 1 : 0;

		set->mask = old_n ? old_n * 2 - 1 : 4095;
		set->slot = oak_calloc(set->mask + 1, sizeof(*set->slot));
		for (n = 0; n < old_n; n++) {
			struct id_slot *o = &old[n];

			if (o->off == 0)
				continue;
			for (j = o->hash & set->mask; set->slot[j].off != 0;
			     j = (j + 1) & set->mask)
				;
			set->slot[j] = *o;
		}
		free(old);
		if (set->arena.len == 0)
			buf_addc(&set->arena, 0); /* offset 0 means empty */
	}
	for (i = hash & set->mask; set->slot[i].off != 0; i = (i + 1) & set->mask) {
		if (set->slot[i].hash != hash)
			continue;
		memcpy(&stored, set->arena.data + set->slot[i].off, sizeof(stored));
		if (stored == len && memcmp(set->arena.data + set->slot[i].off +
					    sizeof(stored), id, len) == 0)
			return false;
	}
	set->slot[i].hash = hash;
	set->slot[i].off = set->arena.len;
	stored = (uint32_t)len;
	buf_add(&set->arena, &stored, sizeof(stored));
	buf_add(&set->arena, id, len);
	set->count++;
	return true;
}

/* ---- applying updates --------------------------------------------- */

/* One member of an object: key and value as written (spans). */
struct member {
	const char *key;   /* the key's characters, without quotes */
	size_t klen;
	const char *val;   /* the value's text, strings with quotes */
	size_t vlen;
	bool done;         /* written out */
};

struct members {
	struct member *m;
	size_t n, cap;
};

/* outcome and metadata merge key by key; whole_val set means a non-object
 * value replaced the object outright. */
struct merged {
	const char *name;
	bool touched;
	const char *whole_val;
	size_t whole_len;
	struct members members;
};

static struct members overrides;           /* top-level keys, in order */
static struct merged merged[2] = { { .name = "outcome" },
				   { .name = "metadata" } };

static bool
key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(key, name, klen) == 0;
}

static void
members_set(struct members *ms, const char *key, size_t klen,
	    const char *val, size_t vlen)
{
	size_t i;

	for (i = 0; i < ms->n; i++) {
		if (ms->m[i].klen == klen && memcmp(ms->m[i].key, key, klen) == 0) {
			ms->m[i].val = val;
			ms->m[i].vlen = vlen;
			return;
		}
	}
	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? ms->cap * 2 : 16;
		ms->m = oak_realloc(ms->m, sizeof(*ms->m) * ms->cap);
	}
	ms->m[ms->n++] = (struct member){ key, klen, val, vlen, false };
}

/* Sets each member of object token obj of d in into. */
static void
members_of(const struct json_doc *d, int obj, struct members *into)
{
	size_t klen, vlen;
	const char *key, *val;
	int i;

	for (i = obj + 1; i < d->ntok && d->tok[i].start < d->tok[obj].end;
	     i = json_skip(d, i + 1)) {
		key = json_raw(d, i, &klen);
		val = json_span(d, i + 1, &vlen);
		members_set(into, key, klen, val, vlen);
	}
}

static struct merged *
merged_for(const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (key_is(key, klen, merged[i].name))
			return &merged[i];
	return NULL;
}

/* Applies one update record (parsed in upd) onto the invocation inv. */
static void
apply_update(const struct json_doc *inv, const struct json_doc *upd)
{
	size_t klen, vlen;
	const char *key, *val;
	struct merged *mg;
	int i, v, orig;

	for (i = 1; i < upd->ntok; i = json_skip(upd, i + 1)) {
		key = json_raw(upd, i, &klen);
		v = i + 1;
		if (key_is(key, klen, "timestamp") ||
		    key_is(key, klen, "invocation_id"))
			continue;
		val = json_span(upd, v, &vlen);
		members_set(&overrides, key, klen, val, vlen);
		mg = merged_for(key, klen);
		if (mg == NULL)
			continue;
		if (!mg->touched) {
			mg->touched = true;
			mg->whole_val = NULL;
			mg->members.n = 0;
			orig = json_get(inv, 0, mg->name);
			if (json_is_object(inv, orig))
				members_of(inv, orig, &mg->members);
			else if (orig >= 0)
				mg->whole_val = json_span(inv, orig, &mg->whole_len);
		}
		if (json_is_object(upd, v)) {
			if (mg->whole_val != NULL) {
				mg->whole_val = NULL;
				mg->members.n = 0;
			}
			members_of(upd, v, &mg->members);
		} else {
			mg->whole_val = val;
			mg->whole_len = vlen;
			mg->members.n = 0;
		}
	}
}

static void
put_value(struct buf *out, const char *key, size_t klen, const char *val,
	  size_t vlen)
{
	struct merged *mg = merged_for(key, klen);
	size_t i;

	if (mg == NULL || !mg->touched) {
		buf_add(out, val, vlen);
	} else if (mg->whole_val != NULL) {
		buf_add(out, mg->whole_val, mg->whole_len);
	} else {
		buf_addc(out, '{');
		for (i = 0; i < mg->members.n; i++) {
			jw_key_raw(out, mg->members.m[i].key,
				   mg->members.m[i].klen);
			buf_add(out, mg->members.m[i].val, mg->members.m[i].vlen);
		}
		buf_addc(out, '}');
	}
}

/* ---- the join ----------------------------------------------------- */

static struct side_index updates, metrics;
static struct id_set started;
static struct json_doc inv_doc, upd_doc;
static struct buf out;
static struct oak_window window;   /* all time unless a bound is given */
static long long invocation_seq;

/* --summary: the invocations of the logs (this shard's), in the window
 * or not, and the first and last start, for a report that finds its
 * window empty to say where the data is; and for the report's data
 * quality line, the lines rejected and the updates and metrics for ids
 * never started (the notes). */
static struct {
	long long invocations, in_window, never_started;
	struct oak_instant first, last;
} seen;

/* Writes the summary as one JSON object: {"invocations": N,
 * "in_window": N, "rejected": N, "never_started": N, "first": T,
 * "last": T}, first and last when there are invocations. */
static void
seen_write(const char *path)
{
	struct buf b;
	FILE *fp;

	buf_init(&b);
	buf_printf(&b, "{\"invocations\": %lld, \"in_window\": %lld, "
		   "\"rejected\": %lld, \"never_started\": %lld",
		   seen.invocations, seen.in_window, rejected_lines,
		   seen.never_started);
	if (seen.invocations > 0) {
		buf_adds(&b, ", \"first\": \"");
		oak_time_format(&b, seen.first);
		buf_adds(&b, "\", \"last\": \"");
		oak_time_format(&b, seen.last);
		buf_addc(&b, '"');
	}
	buf_adds(&b, "}\n");
	if ((fp = fopen(path, "w")) == NULL)
		oak_die_errno(path);
	buf_write(&b, fp);
	if (fclose(fp) != 0)
		oak_die_errno(path);
	buf_release(&b);
}

/* Collects the entries of id in file order into chain; returns count. */
static size_t
side_chain(struct side_index *ix, uint64_t hash, const char *id,
	   size_t id_len, uint32_t **chain, size_t *cap)
{
	uint32_t e = *index_slot(ix, hash);
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

static struct member *
override_of(const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < overrides.n; i++)
		if (overrides.m[i].klen == klen &&
		    memcmp(overrides.m[i].key, key, klen) == 0)
			return &overrides.m[i];
	return NULL;
}

/* Writes the invocation with its updates applied, without its final '}'. */
static void
write_updated(const uint32_t *chain, size_t n_upd)
{
	const struct side_entry *e;
	struct member *ov;
	const char *key, *val, *why;
	size_t u, klen, vlen;
	int i;

	overrides.n = 0;
	merged[0].touched = merged[1].touched = false;
	for (u = 0; u < n_upd; u++) {
		e = &updates.entry[chain[u]];
		if (json_parse(&upd_doc, updates.map + e->offset, e->len, &why) == 0)
			apply_update(&inv_doc, &upd_doc);
	}
	buf_addc(&out, '{');
	for (i = 1; i < inv_doc.ntok; i = json_skip(&inv_doc, i + 1)) {
		key = json_raw(&inv_doc, i, &klen);
		if (key_is(key, klen, "success_metric") ||
		    key_is(key, klen, "invocation_seq"))
			continue;
		jw_key_raw(&out, key, klen);
		ov = override_of(key, klen);
		if (ov != NULL) {
			ov->done = true;
			put_value(&out, key, klen, ov->val, ov->vlen);
		} else {
			val = json_span(&inv_doc, i + 1, &vlen);
			put_value(&out, key, klen, val, vlen);
		}
	}
	for (u = 0; u < overrides.n; u++) {
		ov = &overrides.m[u];
		if (ov->done || key_is(ov->key, ov->klen, "success_metric") ||
		    key_is(ov->key, ov->klen, "invocation_seq"))
			continue;
		jw_key_raw(&out, ov->key, ov->klen);
		put_value(&out, ov->key, ov->klen, ov->val, ov->vlen);
	}
}

static void
join_one(void *unused, const char *file, const struct line *ln)
{
	(void)unused;
	static uint32_t *upd_chain, *met_chain;
	static size_t upd_cap, met_cap;
	const struct side_entry *e;
	struct record_line rl;
	struct oak_instant when;
	const char *id;
	size_t id_len, n_upd, n_met;
	uint64_t hash;

	rl = (struct record_line){ file, ln->no, ln->text, ln->len,
				   ln->had_newline };
	if (!record_accept(&invocation_gate, &inv_doc, &rl, reports_idless(),
			   &when)) {
		rejected_lines += reports_idless();
		return;
	}
	id = json_raw(&inv_doc, json_get(&inv_doc, 0, "invocation_id"), &id_len);
	hash = oak_hash(id, id_len);
	if (!id_set_add(&started, id, id_len, hash)) {
		shard_reject(in_shard(hash), file, ln->no, ln->text, ln->len,
			     "invocation_id %.*s already started", (int)id_len, id);
		return;
	}
	invocation_seq++;
	if (!in_shard(hash))
		return;
	n_upd = side_chain(&updates, hash, id, id_len, &upd_chain, &upd_cap);
	n_met = side_chain(&metrics, hash, id, id_len, &met_chain, &met_cap);
	if (seen.invocations++ == 0 || oak_instant_cmp(when, seen.first) < 0)
		seen.first = when;
	if (seen.invocations == 1 || oak_instant_cmp(when, seen.last) > 0)
		seen.last = when;
	if (!oak_window_has(&window, when))
		return;
	seen.in_window++;

	buf_reset(&out);
	if (n_upd == 0 && json_get(&inv_doc, 0, "success_metric") < 0 &&
	    json_get(&inv_doc, 0, "invocation_seq") < 0)
		buf_add(&out, ln->text, (size_t)inv_doc.tok[0].end - 1);
	else
		write_updated(upd_chain, n_upd);
	jw_key(&out, "invocation_seq");
	jw_int(&out, invocation_seq);
	if (n_met > 0) {
		e = &metrics.entry[met_chain[n_met - 1]];
		jw_key(&out, "success_metric");
		buf_add(&out, metrics.map + e->offset, e->len);
	}
	buf_add(&out, "}\n", 2);
	buf_write(&out, stdout);
}

static void
parse_shard(const char *arg)
{
	const char *slash = strchr(arg, '/');
	char k[24];
	long long kv, nv;

	if (slash == NULL || (size_t)(slash - arg) >= sizeof(k))
		oak_die(OAK_EXIT_USAGE, "--shard: want K/N with 1 <= K <= N: %s",
			arg);
	memcpy(k, arg, (size_t)(slash - arg));
	k[slash - arg] = '\0';
	if (oak_parse_ll(k, 1, UINT32_MAX, &kv) < 0 ||
	    oak_parse_ll(slash + 1, kv, UINT32_MAX, &nv) < 0)
		oak_die(OAK_EXIT_USAGE, "--shard: want K/N with 1 <= K <= N: %s",
			arg);
	shard.k = (uint64_t)kv;
	shard.n = (uint64_t)nv;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "updates", required_argument, NULL, 'u' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "shard", required_argument, NULL, 'k' },
		{ "validate", no_argument, NULL, 'v' },
		{ "summary", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	const char *updates_path = NULL, *metrics_path = NULL;
	const char *summary_path = NULL;
	bool validate = false;
	struct oak_opts opts;
	int c;

	oak_setprog("oak-join-by-invocation");
	oak_opts_begin(&opts, argc, argv, NULL, longopts,
		       OAK_OPTS_REJECTS | OAK_OPTS_WINDOW, usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		switch (c) {
		case 'u': updates_path = optarg; break;
		case 'm': metrics_path = optarg; break;
		case 'k': parse_shard(optarg); break;
		case 'y': summary_path = optarg; break;
		default: validate = true; break;
		}
	}
	oak_window_from_opts(&window, &opts);
	record_gate_init(&invocation_gate, validate ?
			 schema_load_kind("invocation") : NULL, RECORD_INVOCATION);
	record_gate_init(&update_gate, validate ? schema_load_kind("update") :
			 NULL, RECORD_LOG);
	record_gate_init(&metric_gate, validate ? schema_load_kind("metric") :
			 NULL, RECORD_LOG);
	side_load(&updates, updates_path, &update_gate);
	side_load(&metrics, metrics_path, &metric_gate);
	line_each(opts.noperand, opts.operand, join_one, NULL);
	oak_opts_end(&opts);
	seen.never_started = (long long)side_report_orphans(&updates, "update") +
			     side_report_orphans(&metrics, "metric");
	if (summary_path != NULL)
		seen_write(summary_path);
	return oak_exit_status();
}
