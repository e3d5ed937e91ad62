/*
 * oak-join-by-invocation: folds updates and feedback into each invocation.
 *
 * Invocations stream through from stdin or the files named. The side
 * files (--updates, --metrics) are mapped into memory and indexed by a
 * 64-bit hash of the invocation id: a 40-byte entry per record (where
 * the line and the id in it are) and 4-byte slots of an open-addressed
 * table at most half full (at most 56 bytes a record; 80 a metric with
 * --project group, which keeps where its values are), chained from the
 * id's last record back to its first. For each invocation the chain is
 * walked, each record's id confirmed against the invocation's, and the
 * updates applied in file order; the last metric is attached as
 * "success_metric". With --validate every line of the three inputs is
 * checked against its kind's schema too, on the tokens already parsed.
 * With --project group only what oak-group-by-agent reads is written;
 * with --group, what oak-group-by-agent would write of that (group.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/opts.h"
#include "join.h"
#include "record/instant.h"

static const char usage[] =
	"usage: oak-join-by-invocation [--updates FILE] [--metrics FILE]\n"
	"           [--since TIME] [--until TIME] [--week YYYY-Www|last]\n"
	"           [--previous] [--shard K/N] [--validate] [--summary FILE]\n"
	"           [--project group | --group] [--threads N] [--rejects FILE]\n"
	"           [--strict] [FILE ...]\n";

/* ---- ids already started ----------------------------------------- */

/* A set of id strings: 16-byte slots (hash, arena offset) over an arena
 * of length-prefixed ids. Only what must be remembered: every id seen,
 * a uuid as oak-log writes it (36 characters, lowercase) in its 16
 * bytes (24 bytes in the arena where it took 40: 16 MB less at 1M). */
struct id_slot {
	uint64_t hash;
	uint64_t off;      /* into the arena; 0: empty */
};

struct id_set {
	struct id_slot *slot;
	size_t mask, count;
	struct buf arena;
};

#define PACKED (UINT64_C(1) << 63)   /* a uuid's 16 bytes */

/* The value of hexadecimal digit c in lowercase, or -1. */
static inline int
hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	       c - 'a' + 10 : -1;
}

/* The form of id in the arena: a uuid in lowercase (8-4-4-4-12 digits)
 * as its 16 bytes in key (the length returned with PACKED), any other id
 * as it stands (*key: id). */
static uint64_t
id_form(const char *id, size_t len, const char **key, unsigned char *packed)
{
	int k, n = 0, hi = -1, v;

	*key = id;
	if (len != 36)
		return len;
	for (k = 0; k < 36; k++) {
		if (k == 8 || k == 13 || k == 18 || k == 23) {
			if (id[k] != '-')
				return len;
			continue;
		}
		if ((v = hex_value(id[k])) < 0)
			return len;
		if (hi < 0)
			hi = v;
		else
			packed[n++] = (unsigned char)(hi << 4 | v), hi = -1;
	}
	*key = (const char *)packed;
	return 16 | PACKED;
}

static bool
id_set_add(struct id_set *set, const char *id, size_t len, uint64_t hash)
{
	unsigned char packed[16];
	const char *key;
	uint64_t form = id_form(id, len, &key, packed), stored;
	size_t i, n, j;

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
		if (stored == form && memcmp(set->arena.data + set->slot[i].off +
					     sizeof(stored), key,
					     form & ~PACKED) == 0)
			return false;
	}
	set->slot[i].hash = hash;
	set->slot[i].off = set->arena.len;
	buf_add(&set->arena, &form, sizeof(form));
	buf_add(&set->arena, key, form & ~PACKED);
	set->count++;
	return true;
}

/* ---- the join ----------------------------------------------------- */

/* --validate: each kind's schema, as oak-validate applies it */
static struct record_gate invocation_gate, update_gate, metric_gate;
static struct side_index updates, metrics;
static bool project, group;
static struct id_set started;
static struct json_doc inv_doc;
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
		   "\"rejected\": %lu, \"never_started\": %lld",
		   seen.invocations, seen.in_window, oak_rejected_count(),
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

/* Works out p for invocation d, which passed invocation_check (p->when
 * set; at: its root's invocation_keys): its id, whether it is written as it stands and, with --project,
 * its projection, appended to proj when it will be written (its shard,
 * the window: both fixed before the first line). */
static void
prepare(const struct json_doc *d, const int *at, struct buf *proj,
	struct prepared *p)
{
	p->id = json_raw(d, at[INV_ID], &p->id_len);
	p->hash = id_hash(p->id, p->id_len);
	p->root_end = (size_t)d->tok[0].end - 1;
	p->plain = at[INV_METRIC] < 0 && at[INV_SEQ] < 0;
	p->proj_off = proj->len;
	if (project && p->plain && in_shard(p->hash) &&
	    oak_window_has(&window, p->when)) {
		if (group)
			group_prepare(d, at, proj, p);
		else
			project_found(proj, d, at);
	}
	p->proj_len = proj->len - p->proj_off;
	p->proj = proj->data + p->proj_off;
}

/* --threads: what a parser does with an invocation that passed the
 * schema: the rest of the gate (record_accept's words), then prepare. */
static const char *
check_prepare(const struct json_doc *d, struct buf *proj, struct prepared *p)
{
	int at[INV_KEYS];
	const char *reason;

	json_get_keys(d, 0, invocation_keys, INV_KEYS, at);
	if ((reason = invocation_check_at(d, at, &p->when)) == NULL)
		prepare(d, at, proj, p);
	return reason;
}

/* Writes the JoinedInvocation of d (line ln of file, prepared as p)
 * with its updates, seq and metric, or its projection; with --group,
 * counts it instead. */
static void
write_joined(const char *file, const struct line *ln, const struct json_doc *d,
	     const struct prepared *p, const uint32_t *upd_chain, size_t n_upd,
	     const struct side_entry *metric)
{
	bool rebuilt;

	buf_reset(&out);
	rebuilt = n_upd > 0 || !p->plain;
	if (group && !rebuilt) {
		group_plain(file, ln, d, p, &metrics, metric != NULL ?
			    (uint32_t)(metric - metrics.entry) : NO_ENTRY,
			    invocation_seq);
		return;
	}
	if (!rebuilt) {
		if (project)
			buf_add(&out, p->proj, p->proj_len);
		else
			buf_add(&out, ln->text, p->root_end);
	} else {
		write_updated(&out, d, &updates, upd_chain, n_upd);
	}
	jw_key(&out, "invocation_seq");
	jw_int(&out, invocation_seq);
	if (metric != NULL) {
		if (project && !rebuilt) {
			project_metric(&out, &metrics,
				       (uint32_t)(metric - metrics.entry));
		} else {
			jw_key(&out, "success_metric");
			buf_add(&out, metrics.map + metric->offset, metric->len);
		}
	}
	buf_add(&out, "}\n", 2);
	if (group) {   /* counted as it stands: the projection's values */
		group_joined(file, ln, &out);
		return;
	}
	if (project && rebuilt)
		project_joined(&out);
	buf_write(&out, stdout);
}

/* Joins invocation d (line ln of file), which passed the gate and was
 * prepared as p. */
static void
join_accepted(const char *file, const struct line *ln,
	      const struct json_doc *d, const struct prepared *p)
{
	static uint32_t *upd_chain, *met_chain;
	static size_t upd_cap, met_cap;
	const char *id = p->id;
	size_t id_len = p->id_len, n_upd, n_met;
	uint64_t hash = p->hash;
	struct oak_instant when = p->when;

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
	write_joined(file, ln, d, p, upd_chain, n_upd, n_met > 0 ?
		     &metrics.entry[met_chain[n_met - 1]] : NULL);
}

/* One line of the invocation log: through the gate, then joined. */
static void
join_one(void *unused, const char *file, const struct line *ln)
{
	static struct buf proj;
	struct record_line rl = { file, ln->no, ln->text, ln->len,
				  ln->had_newline };
	struct prepared p;

	(void)unused;
	if (record_accept(&invocation_gate, &inv_doc, &rl, reports_idless(),
			  &p.when)) {
		buf_reset(&proj);
		prepare(&inv_doc, invocation_gate.at, &proj, &p);
		join_accepted(file, ln, &inv_doc, &p);
	}
}

/* --threads: the caches warmed for an invocation the join takes a few
 * lines later (batch_ops.warm): at stage 0 its slots in the set of
 * started ids and in the side indexes, at stage 1 the side entries
 * those hold. At 1M invocations on two threads, 8 runs each taking
 * turns: 2% less CPU on the mean, 9% on the least. */
static void
join_warm(const struct prepared *p, int stage)
{
	if (stage == 0 && started.slot != NULL)
		__builtin_prefetch(&started.slot[p->hash & started.mask]);
	side_warm(&metrics, p->hash, stage);
	side_warm(&updates, p->hash, stage);
}

/* --threads: a line a worker parsed into d, checked (reason: why it
 * failed, with record_accept's words, or NULL) and prepared as p. */
static void
join_parsed(void *unused, const char *file, const struct line *ln,
	    const struct json_doc *d, const char *reason,
	    const struct prepared *p)
{
	(void)unused;
	if (reason == NULL)
		join_accepted(file, ln, d, p);
	else
		shard_reject(reports_idless(), file, ln->no, ln->text, ln->len,
			     "%s", reason);
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

static void
parse_project(const char *arg)
{
	if (arg == NULL)
		group = true;
	else if (strcmp(arg, "group") != 0)
		oak_die(OAK_EXIT_USAGE, "--project: want group: %s", arg);
	project = true;
}

/* The gates of the three kinds (with their schemas, when validate) and
 * the side files' indexes, each file parsed on threads parsers. */
static void
load(bool validate, int threads, const char *updates_path,
     const char *metrics_path)
{
	record_gate_init(&invocation_gate, validate ?
			 schema_load_kind("invocation") : NULL, RECORD_INVOCATION);
	record_gate_init(&update_gate, validate ? schema_load_kind("update") :
			 NULL, RECORD_LOG);
	record_gate_init(&metric_gate, validate ? schema_load_kind("metric") :
			 NULL, RECORD_LOG);
	side_load(&updates, updates_path, &update_gate, validate ? "update" :
		  NULL, threads, NULL, false);
	side_load(&metrics, metrics_path, &metric_gate, validate ? "metric" :
		  NULL, threads, project && !group ? metric_keys : NULL, group);
}

/* Every invocation of the nfile files (stdin when none) joined, or with
 * --group counted, in order, parsed on threads parsers. */
static void
join_all(int nfile, char **files, bool validate, int threads)
{
	if (group)
		group_begin();
	if (threads > 1)
		batch_each(nfile, files, validate ? "invocation" : NULL, threads,
			   &(struct batch_ops){ check_prepare, join_warm,
			   join_parsed, NULL });
	else
		line_each(nfile, files, join_one, NULL);
	if (group)
		group_end();
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
		{ "project", required_argument, NULL, 'p' },
		{ "group", no_argument, NULL, 'g' },
		{ "threads", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	const char *updates_path = NULL, *metrics_path = NULL;
	const char *summary_path = NULL;
	bool validate = false;
	int threads = 1;
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
		case 'p': parse_project(optarg); break;
		case 'g': parse_project(NULL); break;
		case 't': threads = (int)oak_opt_ll(&opts, "--threads",
						    optarg, 1, 64);
			break;
		default: validate = true; break;
		}
	}
	oak_window_from_opts(&window, &opts);
	load(validate, threads, updates_path, metrics_path);
	join_all(opts.noperand, opts.operand, validate, threads);
	oak_opts_end(&opts);
	seen.never_started = (long long)side_report_orphans(&updates, "update") +
			     side_report_orphans(&metrics, "metric");
	if (summary_path != NULL)
		seen_write(summary_path);
	return oak_exit_status();
}
