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
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static void
usage(void)
{
	fprintf(stderr,
		"usage: oak-render-report [--format json|text|ranking|markdown|"
		"html|report-json]\n"
		"           [--since TIME] [--until TIME] [--week YYYY-Www|last] "
		"[--previous]\n"
		"           [--by day|week|month] [--baseline FILE "
		"[--baseline-since TIME]\n"
		"           [--baseline-until TIME] [--baseline-previous]] "
		"[--min-sample N]\n"
		"           [--extended] [--refresh SECONDS] [--title TEXT]\n"
		"           [--logs-summary FILE] [--rejects FILE] [--strict] "
		"[FILE ...]\n");
	exit(OAK_EXIT_USAGE);
}

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

static long
number_arg(const char *opt, const char *arg, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min)
		oak_die(OAK_EXIT_USAGE, "%s: want a whole number >= %ld: %s", opt,
			min, arg);
	return v;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "title", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "week", required_argument, NULL, 'w' },
		{ "previous", no_argument, NULL, 'p' },
		{ "by", required_argument, NULL, 'b' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "baseline-since", required_argument, NULL, '1' },
		{ "baseline-until", required_argument, NULL, '2' },
		{ "baseline-previous", no_argument, NULL, '3' },
		{ "min-sample", required_argument, NULL, 'm' },
		{ "extended", no_argument, NULL, 'x' },
		{ "refresh", required_argument, NULL, 'R' },
		{ "logs-summary", required_argument, NULL, 'L' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *format = "json", *since = NULL, *until = NULL, *week = NULL;
	const char *baseline = NULL, *bsince = NULL, *buntil = NULL, *why;
	const char *logs_summary = NULL;
	bool previous = false, bprevious = false;
	struct report r;
	struct buf out, now;
	int c;

	memset(&r, 0, sizeof(r));
	r.title = "AGENT RANKING";
	r.min_sample = 5;
	oak_setprog("oak-render-report");
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 't': r.title = optarg; break;
		case 'S': since = optarg; break;
		case 'U': until = optarg; break;
		case 'w': week = optarg; break;
		case 'p': previous = true; break;
		case 'b':
			if (oak_period_parse(optarg, &r.by) < 0)
				oak_die(OAK_EXIT_USAGE,
					"--by: want day, week or month: %s", optarg);
			break;
		case 'B': baseline = optarg; break;
		case '1': bsince = optarg; break;
		case '2': buntil = optarg; break;
		case '3': bprevious = true; break;
		case 'm': r.min_sample = number_arg("--min-sample", optarg, 1); break;
		case 'x': r.extended = true; break;
		case 'R': r.refresh = number_arg("--refresh", optarg, 1); break;
		case 'L': logs_summary = optarg; break;
		case 'r': oak_rejects_open(optarg); break;
		case 's': oak_set_strict(true); break;
		case 'V': oak_version();
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0 &&
	    strcmp(format, "ranking") != 0 && strcmp(format, "markdown") != 0 &&
	    strcmp(format, "html") != 0 && strcmp(format, "report-json") != 0)
		oak_die(OAK_EXIT_USAGE, "--format: want json, text, ranking, "
			"markdown, html or report-json: %s", format);
	if (oak_window_resolve(&r.window, since, until, week, previous, &why) < 0)
		oak_die(OAK_EXIT_USAGE, "%s", why);
	if (bprevious && (bsince != NULL || buntil != NULL))
		oak_die(OAK_EXIT_USAGE, "--baseline-previous goes without "
			"--baseline-since and --baseline-until");
	if (bprevious) {
		if (!r.window.have_since || !r.window.have_until)
			oak_die(OAK_EXIT_USAGE, "--baseline-previous needs a window "
				"with both ends");
		oak_window_resolve(&r.base_window, since, until, week, true, &why);
	} else if (oak_window_resolve(&r.base_window, bsince, buntil, NULL,
				      false, &why) < 0) {
		oak_die(OAK_EXIT_USAGE, "baseline %s", why);
	}
	if (r.by != OAK_BY_NONE || baseline != NULL)
		r.extended = true;

	line_each(argc, argv, read_one, &r.cur);
	if (baseline != NULL) {
		r.have_baseline = true;
		line_each(1, (char *[]){ (char *)baseline }, read_one, &r.base);
	}
	logs_note(&r, logs_summary);

	buf_init(&out);
	buf_init(&now);
	oak_now_iso(&now);
	r.generated_at = now.data;
	if (strcmp(format, "json") == 0) {
		seed_json(&out, &r.cur, now.data);
	} else if (strcmp(format, "text") == 0) {
		seed_text(&out, &r);
		if (r.extended)
			render_text_extended(&out, &r);
	} else if (strcmp(format, "ranking") == 0) {
		seed_ranking(&out, &r.cur, r.title);
	} else if (strcmp(format, "markdown") == 0) {
		render_markdown(&out, &r);
	} else if (strcmp(format, "html") == 0) {
		render_html(&out, &r);
	} else {
		render_report_json(&out, &r);
	}
	buf_write(&out, stdout);
	release_list(&r.cur);
	release_list(&r.base);
	buf_release(&out);
	buf_release(&now);
	json_doc_release(&doc);
	return oak_exit_status();
}
