/*
 * oak-render-report: writes reports from AgentStats. --format json is the
 * seed's performance_stats.json, text its weekly report (and, with
 * --extended, --by or --baseline, the sections beyond the seed after
 * it), ranking the seed's ranking lines in input order; markdown, html
 * and report-json write the whole weekly report: window, statistics
 * beyond the seed, best agent per task type, per-period table and the
 * comparison with a baseline window. Holds one AgentStats per agent;
 * the only clock read is generated_at (SOURCE_DATE_EPOCH).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/opts.h"
#include "render.h"

static const char usage[] =
	"usage: oak-render-report [--format json|text|ranking|markdown|html|"
	"report-json]\n"
	"           [--since TIME] [--until TIME] [--week YYYY-Www|last] "
	"[--previous]\n"
	"           [--by day|week|month|model] [--baseline FILE [--baseline-since "
	"TIME]\n"
	"           [--baseline-until TIME] [--baseline-previous]] "
	"[--min-sample N]\n"
	"           [--extended] [--refresh SECONDS] [--title TEXT]\n"
	"           [--logs-summary FILE] [--rejects FILE] [--strict] "
	"[FILE ...]\n";

static struct json_doc doc;

static void
read_one(void *list, const char *file, const struct line *ln)
{
	struct agent_list *l = list;
	struct agent_stats *a;
	const char *why;

	if (!json_parse_line(&doc, file, ln))
		return;
	if ((why = agent_stats_read(&doc, &a)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->a = oak_realloc(l->a, sizeof(*l->a) * l->cap);
	}
	l->a[l->n].stats = a;
	l->a[l->n].input_pos = l->n;
	agent_view_make(a, &l->a[l->n].view);
	l->n++;
}

static void
release_list(struct agent_list *l)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		agent_view_release(&l->a[k].view);
		agent_stats_release(l->a[k].stats);
	}
	free(l->a);
}

/* The formats, each one renderer of the whole report. */
static void
render_seed_json(struct buf *b, struct report *r)
{
	seed_json(b, &r->cur, r->generated_at);
}

static void
render_seed_text(struct buf *b, struct report *r)
{
	seed_text(b, r);
	if (r->extended)
		render_text_extended(b, r);
}

static void
render_seed_ranking(struct buf *b, struct report *r)
{
	seed_ranking(b, &r->cur, r->title);
}

static const struct {
	const char *name;
	void (*render)(struct buf *b, struct report *r);
} formats[] = {
	{ "json", render_seed_json },
	{ "text", render_seed_text },
	{ "ranking", render_seed_ranking },
	{ "markdown", render_markdown },
	{ "html", render_html },
	{ "report-json", render_report_json },
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static size_t
format_of(const char *name)
{
	size_t k;

	for (k = 0; k < NFORMATS; k++)
		if (strcmp(formats[k].name, name) == 0)
			return k;
	oak_die(OAK_EXIT_USAGE, "--format: want json, text, ranking, markdown, "
		"html or report-json: %s", name);
}

/* The baseline options, checked against the report's window. */
struct baseline_opts {
	const char *file, *since, *until;
	bool previous;
};

static void
baseline_window(struct report *r, const struct oak_opts *o,
		const struct baseline_opts *bo)
{
	const char *why;

	if (bo->previous && (bo->since != NULL || bo->until != NULL))
		oak_die(OAK_EXIT_USAGE, "--baseline-previous goes without "
			"--baseline-since and --baseline-until");
	if (bo->previous) {
		if (!r->window.have_since || !r->window.have_until)
			oak_die(OAK_EXIT_USAGE, "--baseline-previous needs a window "
				"with both ends");
		oak_window_resolve(&r->base_window, o->since, o->until, o->week,
				   true, &why);
	} else if (oak_window_resolve(&r->base_window, bo->since, bo->until,
				      NULL, false, &why) < 0) {
		oak_die(OAK_EXIT_USAGE, "baseline %s", why);
	}
	if (r->by != OAK_BY_NONE || r->by_model || bo->file != NULL)
		r->extended = true;
}

/* Takes one of render's own options into r, bo or *format. */
static void
report_option(struct report *r, const struct oak_opts *o, int c,
	      struct baseline_opts *bo, size_t *format)
{
	switch (c) {
	case 'f': *format = format_of(optarg); break;
	case 't': r->title = optarg; break;
	case 'b':
		if (strcmp(optarg, "model") == 0)
			r->by_model = true;
		else if (oak_period_parse(optarg, &r->by) < 0)
			oak_die(OAK_EXIT_USAGE,
				"--by: want day, week, month or model: %s",
				optarg);
		break;
	case 'B': bo->file = optarg; break;
	case '1': bo->since = optarg; break;
	case '2': bo->until = optarg; break;
	case '3': bo->previous = true; break;
	case 'm':
		r->min_sample = oak_opt_ll(o, "--min-sample", optarg, 1,
					   INT64_MAX);
		break;
	case 'x': r->extended = true; break;
	case 'L': r->logs_summary = optarg; break;
	default:
		r->refresh = (long)oak_opt_ll(o, "--refresh", optarg, 1,
					      LONG_MAX);
		break;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "title", required_argument, NULL, 't' },
		{ "by", required_argument, NULL, 'b' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "baseline-since", required_argument, NULL, '1' },
		{ "baseline-until", required_argument, NULL, '2' },
		{ "baseline-previous", no_argument, NULL, '3' },
		{ "min-sample", required_argument, NULL, 'm' },
		{ "extended", no_argument, NULL, 'x' },
		{ "refresh", required_argument, NULL, 'R' },
		{ "logs-summary", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	struct baseline_opts bo = { NULL, NULL, NULL, false };
	struct oak_opts opts;
	size_t format = 0;
	struct report r;
	struct buf out, now;
	int c;

	memset(&r, 0, sizeof(r));
	r.title = "AGENT RANKING";
	r.min_sample = 5;
	oak_setprog("oak-render-report");
	oak_opts_begin(&opts, argc, argv, NULL, longopts,
		       OAK_OPTS_REJECTS | OAK_OPTS_WINDOW, usage);
	while ((c = oak_opts_next(&opts)) != -1)
		report_option(&r, &opts, c, &bo, &format);
	oak_window_from_opts(&r.window, &opts);
	baseline_window(&r, &opts, &bo);

	line_each(opts.noperand, opts.operand, read_one, &r.cur);
	if (bo.file != NULL) {
		r.have_baseline = true;
		line_each(1, (char *[]){ (char *)bo.file }, read_one, &r.base);
	}
	logs_note(&r, r.logs_summary);
	buf_init(&out);
	buf_init(&now);
	oak_now_iso(&now);
	r.generated_at = now.data;
	formats[format].render(&out, &r);
	buf_write(&out, stdout);
	release_list(&r.cur);
	release_list(&r.base);
	buf_release(&out);
	buf_release(&now);
	json_doc_release(&doc);
	oak_opts_end(&opts);
	return oak_exit_status();
}
