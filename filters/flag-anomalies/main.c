/*
 * oak-flag-anomalies: reads JoinedInvocations, keeps each agent's ISO
 * weeks (history.c), and flags each agent's weeks in the window that
 * leave the range its trailing weeks set, or that bring a new error
 * message, a new agent or an agent no longer used (rules.c). One JSON
 * line per anomaly; exit 1 when there is any. Memory: one small record
 * per agent and week (a duration histogram among it) and one per
 * distinct error message of each agent.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "record/instant.h"
#include "record/invocation.h"
#include "anomalies.h"

static const char usage[] =
	"usage: oak-flag-anomalies [--week YYYY-Www|last | --since TIME [--until TIME]]\n"
	"                          [--weeks N] [--min-sample N] [--format json|text]\n"
	"                          [--rejects FILE] [--strict] [FILE ...]\n";

static struct history history;
static struct json_doc doc;
static struct buf name, message;

/* metadata.total_tokens (or totalTokens): a non-negative integer. */
static bool
tokens_of(int64_t *v)
{
	int meta = json_get(&doc, 0, "metadata");
	int i = json_get(&doc, meta, "total_tokens");

	if (i < 0)
		i = json_get(&doc, meta, "totalTokens");
	return json_is_number(&doc, i) && json_int64(&doc, i, v) == 0 && *v >= 0;
}

static void
read_one(void *unused, const char *file, const struct line *ln)
{
	struct oak_instant when;
	struct week *w;
	int64_t week, tokens;
	int i;

	(void)unused;
	if (!invocation_read(&doc, file, ln, &when))
		return;
	if (tokens_of(&tokens) == false)
		tokens = -1;
	week = week_of_day(oak_day_of(when));
	buf_reset(&name);
	json_unescape(&doc, json_get(&doc, 0, "agent_name"), &name);
	w = history_week(&history, name.data, name.len, week);
	if (tokens >= 0 && w->tokens_sum > INT64_MAX - tokens) {
		oak_reject(file, ln->no, ln->text, ln->len,
			   "\"metadata.total_tokens\": the week's sum overflows");
		return;
	}
	w->n++;
	i = json_get(&doc, 0, "duration_seconds");
	if (json_is_number(&doc, i))
		hist_add(&w->durations, json_number(&doc, i));
	if (tokens >= 0) {
		w->tokens_count++;
		w->tokens_sum += tokens;
	}
	i = json_path(&doc, 0, "outcome", "status", NULL);
	if (json_streq(&doc, i, "success"))
		w->successes++;
	if (!json_streq(&doc, i, "failure"))
		return;
	w->failures++;
	i = json_path(&doc, 0, "outcome", "error_message", NULL);
	if (json_is_string(&doc, i)) {
		buf_reset(&message);
		json_unescape(&doc, i, &message);
		history_error(&history, name.data, name.len, message.data,
			      message.len, week);
	}
}

/* The weeks to flag, from the window options: indices, inclusive. */
static void
weeks_to_flag(struct oak_opts *o, int64_t *from, int64_t *to)
{
	struct oak_window w;

	if (o->since == NULL && o->until == NULL && o->week == NULL)
		o->week = "last";
	if (o->until != NULL && o->since == NULL)
		oak_die(OAK_EXIT_USAGE, "--until goes with --since");
	oak_window_from_opts(&w, o);
	*from = week_of_day(oak_day_of(w.since));
	if (w.have_until) {
		w.until.sec -= w.until.nsec == 0;    /* the last instant in it */
		*to = week_of_day(oak_day_of(w.until));
	} else {
		*to = week_of_day(oak_day_of(oak_now())) - 1;
	}
}

/* The text summary's last line. */
static void
summary(struct buf *out, size_t flagged, int64_t from, int64_t to)
{
	if (flagged)
		buf_printf(out, "%zu anomal%s in ", flagged,
			   flagged == 1 ? "y" : "ies");
	else
		buf_printf(out, "no anomalies in %zu agents in ", history.nagents);
	week_key(out, from);
	if (to != from) {
		buf_adds(out, " to ");
		week_key(out, to);
	}
	buf_addc(out, '\n');
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "weeks", required_argument, NULL, 'n' },
		{ "min-sample", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct rules rules = { 8, 10, false };
	const char *format = "json";
	struct oak_opts opts;
	int64_t from, to;
	struct buf out;
	size_t flagged;
	int c, status;

	oak_setprog("oak-flag-anomalies");
	oak_opts_begin(&opts, argc, argv, NULL, longopts,
		       OAK_OPTS_REJECTS | OAK_OPTS_WINDOW, usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		if (c == 'n')
			rules.weeks = (int)oak_opt_ll(&opts, "--weeks", optarg, 4, 52);
		else if (c == 'm')
			rules.min_sample = oak_opt_ll(&opts, "--min-sample", optarg,
						      1, 1000000);
		else
			format = optarg;
	}
	if (strcmp(format, "json") != 0 && strcmp(format, "text") != 0)
		oak_die(OAK_EXIT_USAGE, "--format: want json or text: %s", format);
	rules.text = strcmp(format, "text") == 0;
	weeks_to_flag(&opts, &from, &to);
	history_init(&history);

	line_each(opts.noperand, opts.operand, read_one, NULL);
	oak_opts_end(&opts);

	history_sort(&history);
	buf_init(&out);
	flagged = flag_weeks(&history, &rules, from, to, &out);
	if (rules.text)
		summary(&out, flagged, from, to);
	buf_write(&out, stdout);
	buf_release(&out);
	history_release(&history);
	buf_release(&name);
	buf_release(&message);
	json_doc_release(&doc);
	status = oak_exit_status();
	return flagged ? OAK_EXIT_REJECTED : status;
}
