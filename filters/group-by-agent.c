/*
 * oak-group-by-agent: aggregates JoinedInvocations per agent into
 * AgentStats, one line per agent in order of first appearance. With
 * --merge it reads AgentStats instead (from shards of one input) and
 * combines them into exactly what one run over the whole input writes.
 * Memory: one AgentStats per agent, never the records.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "json/shape.h"
#include "record/agent_stats.h"
#include "record/invocation.h"
#include "record/piece.h"

static const char usage[] =
	"usage: oak-group-by-agent [--merge | --piece K/N] [--rejects FILE] "
	"[--strict] [FILE ...]\n";

static struct ht *by_name;
static struct agent_stats **agents;
static size_t nagents, cap_agents;
static bool merge_mode;
static int64_t local_seq;
static struct json_doc doc;
static struct buf scratch;
static struct piece_book *pieces;   /* --piece, --merge: see piece.h */
static bool piece_mode;             /* --piece: fingerprints counted */

static void
agent_insert(struct agent_stats *a)
{
	if (nagents == cap_agents) {
		cap_agents = cap_agents ? cap_agents * 2 : 16;
		agents = oak_realloc(agents, sizeof(*agents) * cap_agents);
	}
	agents[nagents++] = a;
	*ht_put(by_name, a->name, a->name_len, NULL) = a;
}

static struct agent_stats *
agent_for(const char *name, size_t len, int64_t seq)
{
	void **slot = ht_find(by_name, name, len);

	if (slot != NULL)
		return *slot;
	agent_insert(agent_stats_create(name, len, seq));
	return agents[nagents - 1];
}

/* The agent of name, NULL when there is none yet. A few agents are
 * searched in place: comparing lengths, then bytes inline, costs less
 * than hashing the name. */
static struct agent_stats *
agent_find(const char *name, size_t len)
{
	void **slot;
	size_t k;

	if (nagents <= 16) {
		for (k = 0; k < nagents; k++)
			if (agents[k]->name_len == len &&
			    oak_bytes_equal(agents[k]->name, name, len))
				return agents[k];
		return NULL;
	}
	slot = ht_find(by_name, name, len);
	return slot != NULL ? *slot : NULL;
}

static void
group_one(const char *file, const struct line *ln)
{
	struct agent_stats *a, *known;
	struct oak_instant when;
	const char *why, *name, *id;
	size_t len, id_len;
	int64_t seq;
	int i, at[INV_KEYS];

	local_seq++;
	json_get_keys(&doc, 0, invocation_keys, INV_KEYS, at);
	if ((why = invocation_check_at(&doc, at, &when)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	i = at[INV_SEQ];
	if (i < 0)
		seq = local_seq;
	else if (json_int64(&doc, i, &seq) < 0 || seq < 1) {
		oak_reject(file, ln->no, ln->text, ln->len,
			   "\"invocation_seq\" is not a positive integer");
		return;
	}
	i = at[INV_AGENT];
	name = json_raw(&doc, i, &len);
	if (memchr(name, '\\', len) != NULL) {
		buf_reset(&scratch);
		json_unescape(&doc, i, &scratch);
		name = scratch.data;
		len = scratch.len;
	}
	/* an agent is kept only once one of its records is counted */
	known = agent_find(name, len);
	a = known != NULL ? known : agent_stats_create(name, len, seq);
	if ((why = agent_stats_add(a, &doc, at, seq, when)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		if (known == NULL)
			agent_stats_release(a);
		return;
	} else if (known == NULL) {
		agent_insert(a);
	}
	if (piece_mode) {
		id = json_raw(&doc, at[INV_ID], &id_len);
		piece_book_count(pieces, name, len, id, id_len);
	}
}

static void
merge_one(const char *file, const struct line *ln)
{
	struct agent_stats *part;
	const char *why;

	if (piece_line_is_marker(&doc)) {
		if ((why = piece_book_take(pieces, &doc, NULL, 0, file,
					   ln->no)) != NULL)
			oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	if ((why = agent_stats_read(&doc, &part)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	if ((why = agent_stats_check(part)) != NULL ||
	    (why = piece_book_take(pieces, &doc, part->name, part->name_len,
				   file, ln->no)) != NULL ||
	    (why = agent_stats_merge(agent_for(part->name, part->name_len,
					       part->first_seq), part)) != NULL)
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
	agent_stats_release(part);
}

static int
first_seq_cmp(const void *pa, const void *pb)
{
	const struct agent_stats *a = *(struct agent_stats *const *)pa;
	const struct agent_stats *b = *(struct agent_stats *const *)pb;

	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* One line of input: an invocation, or AgentStats under --merge. */
static void
read_one(void *unused, const char *file, const struct line *ln)
{
	(void)unused;
	if (!json_parse_line_shaped(&doc, file, ln, merge_mode ? NULL :
				    joined_shape()))
		return;
	if (merge_mode)
		merge_one(file, ln);
	else
		group_one(file, ln);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "merge", no_argument, NULL, 'm' },
		{ "piece", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct oak_opts opts;
	struct buf out;
	const char *why;
	size_t k;

	oak_setprog("oak-group-by-agent");
	oak_opts_begin(&opts, argc, argv, NULL, longopts, OAK_OPTS_REJECTS,
		       usage);
	pieces = piece_book_create();
	while ((k = (size_t)oak_opts_next(&opts)) != (size_t)-1)
		if (k == 'm')
			merge_mode = true;
		else if ((why = piece_book_label(pieces, optarg)) != NULL)
			oak_opts_fail(&opts, "--piece: %s: %s", why, optarg);
		else
			piece_mode = true;
	if (merge_mode && piece_mode)
		oak_opts_fail(&opts, "--merge and --piece exclude each other");

	by_name = ht_create();
	line_each(opts.noperand, opts.operand, read_one, NULL);
	oak_opts_end(&opts);

	if (nagents > 1)
		qsort(agents, nagents, sizeof(*agents), first_seq_cmp);
	buf_init(&out);
	for (k = 0; k < nagents; k++) {
		buf_reset(&out);
		agent_stats_write(&out, agents[k]);
		out.len--;   /* the piece keys go before the closing brace */
		piece_book_write(pieces, &out, agents[k]->name,
				 agents[k]->name_len);
		buf_adds(&out, "}\n");
		buf_write(&out, stdout);
		agent_stats_release(agents[k]);
	}
	buf_reset(&out);
	piece_book_end(pieces, &out, nagents);
	buf_write(&out, stdout);
	buf_release(&out);
	piece_book_release(pieces);
	free(agents);
	ht_release(by_name);
	json_doc_release(&doc);
	return oak_exit_status();
}
