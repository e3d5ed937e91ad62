/*
 * oak-rank: scores AgentStats and orders them, best first, by the one
 * ranking rule (record/rank.h): the seed's score, 0.6 x success_rate +
 * 0.4 x average_quality / 5 on the rounded values; ties by first
 * appearance, then name. Each record is written again (AgentStats as
 * agent_stats_write writes it) with "score" and "rank" added. Memory:
 * one record per agent.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "record/rank.h"

static const char usage[] =
	"usage: oak-rank [--task-type T] [--top N] [--rejects FILE] [--strict] "
	"[FILE ...]\n";

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

	return agent_rank_cmp(a->stats, a->score, b->stats, b->score);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "task-type", required_argument, NULL, 't' },
		{ "top", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct oak_opts opts;
	struct buf out;
	unsigned long long top = ULLONG_MAX;
	long long n;
	size_t k;
	int c;

	oak_setprog("oak-rank");
	oak_opts_begin(&opts, argc, argv, NULL, longopts, OAK_OPTS_REJECTS,
		       usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		if (c == 't')
			task_type = optarg;
		else if (oak_parse_ll(optarg, 0, LLONG_MAX, &n) < 0)
			oak_die(OAK_EXIT_USAGE, "--top: not a count: %s", optarg);
		else
			top = (unsigned long long)n;
	}
	line_each(opts.noperand, opts.operand, rank_one, NULL);
	oak_opts_end(&opts);

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
