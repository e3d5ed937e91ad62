/*
 * group.c: --group. Each invocation joined is counted into its agent's
 * AgentStats as it is joined, as oak-group-by-agent counts the
 * projection (--project group) of its JoinedInvocation, and the
 * AgentStats are written at the end in place of the joined lines: the
 * same bytes as `--project group | oak-group-by-agent`, with no joined
 * stream to write, read and parse again. What an invocation adds that
 * needs no order is worked out by the parser of its line, off its tokens
 * (group_prepare), and what its success metric adds, as the metrics are
 * indexed (agent_metric_of); the join adds the two, with its place. An
 * invocation rebuilt with updates is counted off its joined line, parsed
 * once; one whose texts must be unescaped, off its tokens and its
 * metric's, here.
 * A record that group would refuse is refused here, with its line in
 * the invocation log.
 */
#include <string.h>

#include "join.h"
#include "record/agent_book.h"

static struct agent_book book;
static struct json_doc metric_doc, joined_doc;

void
group_begin(void)
{
	char spec[48];
	const char *why;

	agent_book_init(&book);
	if (shard.n == 0)
		return;
	snprintf(spec, sizeof(spec), "%llu/%llu", (unsigned long long)shard.k,
		 (unsigned long long)shard.n);
	if ((why = piece_book_label(book.pieces, spec)) != NULL)
		oak_die(OAK_EXIT_USAGE, "--group --shard: %s: %s", why, spec);
	book.counting = true;
}

void
group_prepare(const struct json_doc *d, const int *at, struct buf *out,
	      struct prepared *p)
{
	size_t n = agent_own_size();

	memcpy(p->at, at, sizeof(p->at));
	buf_grow(out, n);
	if (agent_stats_own(d, at, out->data + out->len))
		out->len += n;
}

/* Counts d as group counts its projection, its metric (entry e of
 * metrics, NO_ENTRY: none) parsed here: for a line whose facts could
 * not be worked out by its parser. */
static const char *
group_doc(const struct json_doc *d, const struct prepared *p,
	  const struct side_index *metrics, uint32_t e, int64_t seq)
{
	const char *why;
	int at[INV_KEYS];

	memcpy(at, p->at, sizeof(at));
	at[INV_METRIC] = -1;
	if (e != NO_ENTRY) {
		if (json_parse(&metric_doc, metrics->map +
			       metrics->entry[e].offset, metrics->entry[e].len,
			       &why) < 0)   /* checked when it was indexed */
			oak_die(OAK_EXIT_IO, "--group: %s", why);
		at[INV_METRIC] = 0;
	}
	return agent_book_add(&book, d, at, e != NO_ENTRY ? &metric_doc : d,
			      seq, p->when);
}

void
group_plain(const char *file, const struct line *ln, const struct json_doc *d,
	    const struct prepared *p, const struct side_index *metrics,
	    uint32_t e, int64_t seq)
{
	const struct agent_metric *m = e != NO_ENTRY ? &metrics->metric[e] :
				       NULL;
	struct agent_stats *a;
	const char *why;
	bool fresh;

	if (p->proj_len == 0 || (m != NULL && m->alt_escaped)) {
		why = group_doc(d, p, metrics, e, seq);
	} else {
		a = agent_book_agent(&book, d, p->at, seq, &fresh);
		why = agent_stats_add_own(a, p->proj, m, m != NULL ?
					  metrics->map + metrics->entry[e].offset :
					  NULL, seq, p->when);
		why = agent_book_done(&book, a, fresh, why, d, p->at);
	}
	if (why != NULL)
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
}

void
group_joined(const char *file, const struct line *ln,
	     const struct buf *joined)
{
	const char *why;

	if (json_parse(&joined_doc, joined->data, joined->len - 1, &why) < 0)
		oak_die(OAK_EXIT_IO, "--group: %s", why);   /* not reached */
	if ((why = agent_book_add_line(&book, &joined_doc, 1)) != NULL)
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
}

void
group_end(void)
{
	agent_book_write(&book, stdout);
	agent_book_release(&book);
	json_doc_release(&metric_doc);
	json_doc_release(&joined_doc);
}
