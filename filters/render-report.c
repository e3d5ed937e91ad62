/*
 * oak-render-report: writes performance_stats.json (--format json) or the
 * weekly report (--format text) from AgentStats, as the seed's analyzer
 * writes them; --format ranking prints the seed's ranking lines for the
 * agents in the order they come (oak-rank's order). Holds one AgentStats
 * per agent; the only clock read is generated_at (SOURCE_DATE_EPOCH).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "oak.h"

static void
usage(void)
{
	fprintf(stderr, "usage: oak-render-report [--format json|text|ranking] "
			"[--title TEXT]\n"
			"           [--rejects FILE] [--strict] [FILE ...]\n");
	exit(OAK_EXIT_USAGE);
}

struct agent {
	struct agent_stats *stats;
	struct agent_view view;
	size_t input_pos;
};

static struct agent *agents;
static size_t nagents, cap_agents;
static struct json_doc doc;
static const char *rule_eq =
	"======================================================================";
static const char *rule_dash =
	"----------------------------------------------------------------------";

static void
read_one(const char *file, const struct line *ln)
{
	struct agent_stats *a;
	const char *why;

	if (json_parse(&doc, ln->text, ln->len, &why) < 0 ||
	    (why = agent_stats_read(&doc, &a)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s%s", why,
			   ln->had_newline ? "" : " (truncated last line)");
		return;
	}
	if (nagents == cap_agents) {
		cap_agents = cap_agents ? cap_agents * 2 : 16;
		agents = oak_realloc(agents, sizeof(*agents) * cap_agents);
	}
	agents[nagents].stats = a;
	agents[nagents].input_pos = nagents;
	agent_view_make(a, &agents[nagents].view);
	nagents++;
}

static int
by_first_seq(const void *pa, const void *pb)
{
	const struct agent *a = pa, *b = pb;

	if (a->stats->first_seq != b->stats->first_seq)
		return a->stats->first_seq < b->stats->first_seq ? -1 : 1;
	return a->input_pos < b->input_pos ? -1 : a->input_pos > b->input_pos;
}

static int
by_count(const void *pa, const void *pb)
{
	const struct agent *a = pa, *b = pb;

	if (a->stats->invocations != b->stats->invocations)
		return a->stats->invocations > b->stats->invocations ? -1 : 1;
	return by_first_seq(pa, pb);
}

static int
by_score(const void *pa, const void *pb)
{
	const struct agent *a = pa, *b = pb;

	if (a->view.score != b->view.score)
		return a->view.score > b->view.score ? -1 : 1;
	return by_first_seq(pa, pb);
}

/* The whole input's totals: invocations and the widest date range. */
struct totals {
	long long invocations;
	const struct agent_stats *first, *last;
};

static struct totals
totals_of(void)
{
	struct totals t = { 0, NULL, NULL };
	const struct agent_stats *a;
	size_t k;
	int c;

	for (k = 0; k < nagents; k++) {
		a = agents[k].stats;
		t.invocations += a->invocations;
		if (!a->have_ts)
			continue;
		c = t.first ? oak_instant_cmp(a->first_ts, t.first->first_ts) : -1;
		if (c < 0 || (c == 0 && strcmp(a->first_ts_text.data,
					       t.first->first_ts_text.data) < 0))
			t.first = a;
		c = t.last ? oak_instant_cmp(a->last_ts, t.last->last_ts) : 1;
		if (c > 0 || (c == 0 && strcmp(a->last_ts_text.data,
					       t.last->last_ts_text.data) > 0))
			t.last = a;
	}
	return t;
}

/* A list of strings as json.dump(indent=2) writes it at depth 3. */
static void
json_list(struct buf *b, const struct counted *const *items, size_t n,
	  const char *const *texts)
{
	size_t i;

	if (n == 0) {
		buf_adds(b, "[]");
		return;
	}
	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ",\n        " : "\n        ");
		if (items != NULL)
			jw_string(b, items[i]->text, items[i]->len);
		else
			jw_cstring(b, texts[i]);
	}
	buf_adds(b, "\n      ]");
}

static void
render_json(struct buf *b, const char *generated_at)
{
	struct totals t = totals_of();
	const struct agent_view *v;
	size_t k;

	if (nagents > 1)
		qsort(agents, nagents, sizeof(*agents), by_first_seq);
	buf_adds(b, "{\n  \"generated_at\": ");
	jw_cstring(b, generated_at);
	buf_printf(b, ",\n  \"total_invocations\": %lld,\n", t.invocations);
	if (t.invocations == 0) {
		buf_adds(b, "  \"agents\": {}\n}\n");
		return;
	}
	buf_adds(b, "  \"date_range\": {\n    \"start\": ");
	if (t.first != NULL) {
		jw_string(b, t.first->first_ts_text.data, t.first->first_ts_text.len);
		buf_adds(b, ",\n    \"end\": ");
		jw_string(b, t.last->last_ts_text.data, t.last->last_ts_text.len);
	} else {
		buf_adds(b, "null,\n    \"end\": null");
	}
	buf_adds(b, "\n  },\n  \"agents\": {");
	for (k = 0; k < nagents; k++) {
		v = &agents[k].view;
		buf_adds(b, k ? ",\n    " : "\n    ");
		jw_string(b, agents[k].stats->name, agents[k].stats->name_len);
		buf_printf(b, ": {\n      \"invocation_count\": %lld,\n"
			   "      \"success_rate\": ",
			   (long long)agents[k].stats->invocations);
		jw_double(b, v->success_rate);
		buf_adds(b, ",\n      \"average_quality\": ");
		jw_double(b, v->average_quality);
		buf_adds(b, ",\n      \"average_duration_seconds\": ");
		jw_double(b, v->average_duration);
		buf_adds(b, ",\n      \"common_task_types\": ");
		json_list(b, v->task, v->ntask, NULL);
		buf_adds(b, ",\n      \"common_failures\": ");
		json_list(b, v->fail, v->nfail, NULL);
		buf_adds(b, ",\n      \"recommended_for\": ");
		json_list(b, NULL, v->nrec, v->rec);
		buf_adds(b, "\n    }");
	}
	buf_adds(b, "\n  }\n}\n");
}

static void
rank_entry(struct buf *b, size_t position, const struct agent *a)
{
	buf_printf(b, "\n%zu. %s (Score: %.3f)\n", position, a->stats->name,
		   a->view.score);
	buf_printf(b, "   Success: %.1f%% | Quality: %.2f/5 | Uses: %lld\n",
		   a->view.success_rate * 100, a->view.average_quality,
		   (long long)a->stats->invocations);
}

static void
render_text(struct buf *b, const char *generated_at)
{
	struct totals t = totals_of();
	const struct agent_view *v;
	size_t k, i;

	buf_printf(b, "\n%s\nCLAUDE OAK AGENTS - TELEMETRY SUMMARY\n%s\n",
		   rule_eq, rule_eq);
	buf_printf(b, "\nGenerated: %s\nTotal Invocations: %lld\n", generated_at,
		   t.invocations);
	if (t.first != NULL)
		buf_printf(b, "Date Range: %s to %s\n", t.first->first_ts_text.data,
			   t.last->last_ts_text.data);
	buf_printf(b, "\n%s\nAGENT PERFORMANCE\n%s\n", rule_dash, rule_dash);
	if (nagents > 1)
		qsort(agents, nagents, sizeof(*agents), by_count);
	for (k = 0; k < nagents; k++) {
		v = &agents[k].view;
		buf_printf(b, "\n%s:\n  Invocations: %lld\n", agents[k].stats->name,
			   (long long)agents[k].stats->invocations);
		buf_printf(b, "  Success Rate: %.1f%%\n", v->success_rate * 100);
		buf_printf(b, "  Avg Quality: %.2f/5.0\n", v->average_quality);
		buf_printf(b, "  Avg Duration: %.1fs\n", v->average_duration);
		if (v->ntask > 0) {
			buf_adds(b, "  Common Tasks: ");
			for (i = 0; i < v->ntask; i++)
				buf_printf(b, "%s%s", i ? ", " : "", v->task[i]->text);
			buf_addc(b, '\n');
		}
		if (v->nrec > 0) {
			buf_adds(b, "  Recommendations:\n");
			for (i = 0; i < v->nrec; i++)
				buf_printf(b, "    \xe2\x80\xa2 %s\n", v->rec[i]);
		}
	}
	buf_printf(b, "\n%s\n", rule_eq);
	buf_printf(b, "\n%s\nTOP 5 AGENTS (Overall Performance)\n%s\n", rule_eq,
		   rule_eq);
	if (nagents > 1)
		qsort(agents, nagents, sizeof(*agents), by_score);
	for (k = 0; k < nagents && k < 5; k++)
		rank_entry(b, k + 1, &agents[k]);
}

static void
render_ranking(struct buf *b, const char *title)
{
	size_t k;

	buf_printf(b, "\n%s\n%s\n%s\n", rule_eq, title, rule_eq);
	for (k = 0; k < nagents; k++)
		rank_entry(b, k + 1, &agents[k]);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "title", required_argument, NULL, 't' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "json", *title = "AGENT RANKING";
	struct line_reader *r;
	struct line ln;
	struct buf out, now;
	size_t k;
	int c, i, rc;

	oak_setprog("oak-render-report");
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 't': title = optarg; break;
		case 'r': oak_rejects_open(optarg); break;
		case 's': oak_set_strict(true); break;
		case 'V': oak_version();
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0 &&
	    strcmp(format, "ranking") != 0)
		oak_die(OAK_EXIT_USAGE, "--format: want json, text or ranking: %s",
			format);

	for (i = 0; i < (argc ? argc : 1); i++) {
		const char *path = argc ? argv[i] : "-";

		if ((r = line_open(path)) == NULL)
			oak_die_errno(path);
		while ((rc = line_next(r, &ln)) > 0)
			if (ln.len > 0)
				read_one(line_name(r), &ln);
		if (rc < 0)
			oak_die_errno(path);
		line_close(r);
	}

	buf_init(&out);
	buf_init(&now);
	oak_now_iso(&now);
	if (strcmp(format, "json") == 0)
		render_json(&out, now.data);
	else if (strcmp(format, "text") == 0)
		render_text(&out, now.data);
	else
		render_ranking(&out, title);
	buf_write(&out, stdout);
	for (k = 0; k < nagents; k++) {
		agent_view_release(&agents[k].view);
		agent_stats_release(agents[k].stats);
	}
	free(agents);
	buf_release(&out);
	buf_release(&now);
	json_doc_release(&doc);
	return oak_exit_status();
}
