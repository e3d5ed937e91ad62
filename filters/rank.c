/*
 * oak-rank: scores AgentStats and orders them, best first. The score is
 * the seed's: 0.6 x success_rate + 0.4 x average_quality / 5, on the
 * rounded values; ties keep first appearance. Each record comes out as
 * it went in, with "score" and "rank" added. Memory: one record per agent.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "json/json.h"
#include "record/agent_stats.h"

static void
usage(void)
{
	fprintf(stderr, "usage: oak-rank [--task-type T] [--top N] "
			"[--rejects FILE] [--strict] [FILE ...]\n");
	exit(OAK_EXIT_USAGE);
}

struct ranked {
	struct agent_stats *stats;
	double score;
};

static struct ranked *ranked;
static size_t nranked, cap_ranked;
static const char *task_type;
static struct json_doc doc;

static bool
has_task_type(const struct agent_view *v, const char *type)
{
	size_t i;

	for (i = 0; i < v->ntask; i++)
		if (strcmp(v->task[i]->text, type) == 0)
			return true;
	return false;
}

static void
rank_one(void *unused, const char *file, const struct line *ln)
{
	(void)unused;
	struct agent_stats *a;
	struct agent_view v;
	const char *why;
	bool keep;

	if (!json_parse_line(&doc, file, ln))
		return;
	if ((why = agent_stats_read(&doc, &a)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	agent_view_make(a, &v);
	keep = task_type == NULL || has_task_type(&v, task_type);
	if (keep) {
		if (nranked == cap_ranked) {
			cap_ranked = cap_ranked ? cap_ranked * 2 : 16;
			ranked = oak_realloc(ranked, sizeof(*ranked) * cap_ranked);
		}
		ranked[nranked].stats = a;
		ranked[nranked++].score = v.score;
	} else {
		agent_stats_release(a);
	}
	agent_view_release(&v);
}

static int
score_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->stats->first_seq != b->stats->first_seq)
		return a->stats->first_seq < b->stats->first_seq ? -1 : 1;
	return strcmp(a->stats->name, b->stats->name);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "task-type", required_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'n' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct buf out;
	unsigned long top = (unsigned long)-1;
	char *end;
	size_t k;
	int c;

	oak_setprog("oak-rank");
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': task_type = optarg; break;
		case 'n':
			errno = 0;
			top = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    optarg[0] == '-')
				oak_die(OAK_EXIT_USAGE,
					"--top: not a count: %s", optarg);
			break;
		case 'r': oak_rejects_open(optarg); break;
		case 's': oak_set_strict(true); break;
		case 'V': oak_version();
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;

	line_each(argc, argv, rank_one, NULL);

	if (nranked > 1)
		qsort(ranked, nranked, sizeof(*ranked), score_cmp);
	buf_init(&out);
	for (k = 0; k < nranked; k++) {
		if (k < top) {
			buf_reset(&out);
			agent_stats_write(&out, ranked[k].stats);
			out.len--;    /* reopen the object for two more keys */
			buf_adds(&out, ", \"score\": ");
			jw_double(&out, ranked[k].score);
			buf_printf(&out, ", \"rank\": %zu}\n", k + 1);
			buf_write(&out, stdout);
		}
		agent_stats_release(ranked[k].stats);
	}
	buf_release(&out);
	free(ranked);
	json_doc_release(&doc);
	return oak_exit_status();
}
