/*
 * oak-workflows: multi-agent workflow analysis of JoinedInvocations.
 * Invocations are tied into workflows by metadata.workflow_id, else by
 * parent_invocation_id chains (delegation), else by session_id; each
 * workflow's agents, wall time, agent time, parallelism, critical path,
 * bottleneck, files modified by more than one agent and outcome are
 * written, then the agent sequences and handoffs that recur across
 * workflows. Memory: each invocation's id, parent, session, workflow id,
 * agent, times, status and modified files (a workflow's members may come
 * anywhere in the input); strings are kept once.
 */
#include <limits.h>
#include <string.h>

#include "base/opts.h"
#include "workflows.h"

static const char usage[] =
	"usage: oak-workflows [--format text|markdown|json|html-fragment] "
	"[--top N]\n"
	"                     [--gantt WORKFLOW] [--rejects FILE] [--strict] "
	"[FILE ...]\n";

static struct json_doc doc;

static void
read_one(void *arg, const char *file, const struct line *ln)
{
	if (json_parse_line(&doc, file, ln))
		store_add(arg, &doc, file, ln);
}

static enum format
format_of(const struct oak_opts *o, const char *name)
{
	static const char *const names[] = { "text", "markdown", "json",
					     "html-fragment" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (enum format)i;
	oak_opts_fail(o, "--format: want text, markdown, json or "
		      "html-fragment: %s", name);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "top", required_argument, NULL, 'n' },
		{ "gantt", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	struct out_opts out = { FMT_TEXT, 10, NULL };
	struct oak_opts opts;
	struct store store;
	struct buf b;
	int c;

	oak_setprog("oak-workflows");
	oak_opts_begin(&opts, argc, argv, NULL, longopts, OAK_OPTS_REJECTS,
		       usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		if (c == 'f')
			out.format = format_of(&opts, optarg);
		else if (c == 'n')
			out.top = (size_t)oak_opt_ll(&opts, "--top", optarg, 0,
						     LLONG_MAX);
		else
			out.gantt = optarg;
	}
	store_init(&store);
	line_each(opts.noperand, opts.operand, read_one, &store);
	oak_opts_end(&opts);

	group_members(&store);
	buf_init(&b);
	write_all(&b, &store, &out);
	buf_release(&b);
	store_release(&store);
	json_doc_release(&doc);
	return oak_exit_status();
}
