/*
 * oak-group-by-agent: aggregates JoinedInvocations per agent into
 * AgentStats, one line per agent in order of first appearance. With
 * --merge it reads AgentStats instead (from shards of one input) and
 * combines them into exactly what one run over the whole input writes.
 * Memory: one AgentStats per agent, never the records.
 */

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "json/shape.h"
#include "record/agent_book.h"
#include "record/invocation.h"

static const char usage[] =
	"usage: oak-group-by-agent [--merge | --piece K/N] [--rejects FILE] "
	"[--strict] [FILE ...]\n";

static struct agent_book book;
static bool merge_mode;
static int64_t local_seq;
static struct json_doc doc;

static void
group_one(const char *file, const struct line *ln)
{
	const char *why = agent_book_add_line(&book, &doc, ++local_seq);

	if (why != NULL)
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
}

static void
merge_one(const char *file, const struct line *ln)
{
	struct agent_stats *part;
	const char *why;

	if (piece_line_is_marker(&doc)) {
		if ((why = piece_book_take(book.pieces, &doc, NULL, 0, file,
					   ln->no)) != NULL)
			oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	if ((why = agent_stats_read(&doc, &part)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	if ((why = agent_stats_check(part)) != NULL ||
	    (why = piece_book_take(book.pieces, &doc, part->name,
				   part->name_len, file, ln->no)) != NULL ||
	    (why = agent_stats_merge(agent_book_for(&book, part->name,
				     part->name_len, part->first_seq),
				     part)) != NULL)
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
	agent_stats_release(part);
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
	const char *why;
	int c;

	oak_setprog("oak-group-by-agent");
	oak_opts_begin(&opts, argc, argv, NULL, longopts, OAK_OPTS_REJECTS,
		       usage);
	agent_book_init(&book);
	while ((c = oak_opts_next(&opts)) != -1)
		if (c == 'm')
			merge_mode = true;
		else if ((why = piece_book_label(book.pieces, optarg)) != NULL)
			oak_opts_fail(&opts, "--piece: %s: %s", why, optarg);
		else
			book.counting = true;
	if (merge_mode && book.counting)
		oak_opts_fail(&opts, "--merge and --piece exclude each other");

	line_each(opts.noperand, opts.operand, read_one, NULL);
	oak_opts_end(&opts);
	agent_book_write(&book, stdout);
	agent_book_release(&book);
	json_doc_release(&doc);
	return oak_exit_status();
}
