/*
 * group.c: --group. Each invocation joined is counted into its agent's
 * AgentStats as it is joined, as oak-group-by-agent counts the
 * projection (--project group) of its JoinedInvocation, and the
 * AgentStats are written at the end in place of the joined lines: the
 * same bytes as `--project group | oak-group-by-agent`, with no joined
 * stream to write, read and parse again. An invocation without updates
 * is counted off the tokens its line was parsed into (and its metric's
 * values, parsed apart); one rebuilt with updates, off its projection.
 * A record that group would refuse is refused here, with its line in
 * the invocation log.
 */
#include <string.h>

#include "join.h"
#include "record/agent_book.h"

static struct agent_book book;
static struct json_doc metric_doc, joined_doc;
static struct buf metric_text;

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
group_plain(const char *file, const struct line *ln, const struct json_doc *d,
	    const struct prepared *p, const struct side_index *metrics,
	    uint32_t e, int64_t seq)
{
	const struct json_doc *md = d;
	const char *why;
	int at[INV_KEYS];

	memcpy(at, p->at, sizeof(at));
	at[INV_METRIC] = -1;
	if (e != NO_ENTRY) {
		buf_reset(&metric_text);
		project_metric_object(&metric_text, metrics, e);
		if (json_parse(&metric_doc, metric_text.data, metric_text.len,
			       &why) < 0)   /* checked when it was indexed */
			oak_die(OAK_EXIT_IO, "--group: %s", why);
		md = &metric_doc;
		at[INV_METRIC] = 0;
	}
	if ((why = agent_book_add(&book, d, at, md, seq, p->when)) != NULL)
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
	buf_release(&metric_text);
}
