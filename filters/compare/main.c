/*
 * oak-compare: an A/B comparison of two groups of JoinedInvocations, two
 * agents (--a, --b), two periods (--a-window, --b-window) or two values
 * of one field (--by PATH --a VALUE --b VALUE). Each record goes to A, to
 * B or to neither; at the end the groups are summarised and compared
 * (analyse.c) and written as text or one JSON object (output.c).
 * Memory: the durations and quality ratings of the two groups.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "record/instant.h"
#include "record/invocation.h"
#include "compare.h"

#define MAX_PATH_KEYS 16

static const char usage[] =
	"usage: oak-compare --a AGENT --b AGENT [--task-type T] [options] [FILE ...]\n"
	"       oak-compare --a-window W --b-window W [--agent NAME] [--task-type T]\n"
	"                   [options] [FILE ...]\n"
	"       oak-compare --by PATH --a VALUE --b VALUE [--agent NAME] [--task-type T]\n"
	"                   [options] [FILE ...]\n"
	"options: [--format text|json] [--rejects FILE] [--strict]\n"
	"W: YYYY-Www, last, or SINCE..UNTIL (either end may be left out)\n";

enum mode { BY_AGENT, BY_WINDOW, BY_FIELD };

static struct {
	enum mode mode;
	const char *value_a, *value_b;     /* agents, or field values */
	struct oak_window window_a, window_b;
	const char *path_keys[MAX_PATH_KEYS];
	int npath;
	const char *agent, *task_type;
} sel;

static struct group group_a, group_b;
static struct json_doc doc;
static struct buf scratch;

/* Does string token i, unescaped, equal s? */
static bool
string_is(int i, const char *s)
{
	if (!json_is_string(&doc, i))
		return false;
	buf_reset(&scratch);
	json_unescape(&doc, i, &scratch);
	return scratch.len == strlen(s) && memcmp(scratch.data, s, scratch.len) == 0;
}

/* Does the value at token i equal s: a string unescaped, else as written? */
static bool
value_is(int i, const char *s)
{
	const char *p;
	size_t len;

	if (i < 0)
		return false;
	if (json_is_string(&doc, i))
		return string_is(i, s);
	p = json_span(&doc, i, &len);
	return len == strlen(s) && memcmp(p, s, len) == 0;
}

/* The group the record belongs to, or NULL. */
static struct group *
group_of(struct oak_instant when)
{
	int i, k;

	if (sel.mode == BY_WINDOW)
		return oak_window_has(&sel.window_a, when) ? &group_a :
		       oak_window_has(&sel.window_b, when) ? &group_b : NULL;
	if (sel.mode == BY_AGENT) {
		i = json_get(&doc, 0, "agent_name");
	} else {
		for (i = 0, k = 0; k < sel.npath && i >= 0; k++)
			i = json_get(&doc, i, sel.path_keys[k]);
	}
	return value_is(i, sel.value_a) ? &group_a :
	       value_is(i, sel.value_b) ? &group_b : NULL;
}

/* A number at token i, when it is one. */
static bool
number_at(int i, double *x)
{
	if (!json_is_number(&doc, i))
		return false;
	*x = json_number(&doc, i);
	return isfinite(*x);
}

static void
group_add(struct group *g)
{
	int meta = json_get(&doc, 0, "metadata"), i;
	double x;

	g->n++;
	i = json_path(&doc, 0, "outcome", "status", NULL);
	if (json_streq(&doc, i, "success"))
		g->successes++;
	else if (json_streq(&doc, i, "failure"))
		g->failures++;
	/* the seed counts a duration when it is truthy: not null, not 0 */
	if (number_at(json_get(&doc, 0, "duration_seconds"), &x) && x != 0)
		dvec_push(&g->durations, x);
	if (number_at(json_path(&doc, 0, "success_metric", "quality_rating",
				NULL), &x))
		dvec_push(&g->qualities, x);
	i = json_get(&doc, meta, "total_tokens");
	if (number_at(i < 0 ? json_get(&doc, meta, "totalTokens") : i, &x))
		hist_add(&g->tokens, x);
	if (number_at(json_get(&doc, meta, "cost_usd"), &x))
		hist_add(&g->cost, x);
}

static void
compare_one(void *unused, const char *file, const struct line *ln)
{
	struct oak_instant when;
	struct group *g;

	(void)unused;
	if (!invocation_read(&doc, file, ln, &when))
		return;
	if (sel.task_type != NULL &&
	    !string_is(json_path(&doc, 0, "state_features", "task", "type",
				 NULL), sel.task_type))
		return;
	if (sel.agent != NULL &&
	    !string_is(json_get(&doc, 0, "agent_name"), sel.agent))
		return;
	if ((g = group_of(when)) != NULL)
		group_add(g);
}

/* W: YYYY-Www, last, or SINCE..UNTIL, through the shared window rules. */
static void
window_parse(struct oak_window *w, const char *opt, const char *spec)
{
	const char *dots = strstr(spec, ".."), *why;
	char *since = NULL, *until = NULL;
	int rc;

	if (dots == NULL) {
		rc = oak_window_resolve(w, NULL, NULL, spec, false, &why);
	} else {
		if (dots > spec)
			since = oak_strndup(spec, (size_t)(dots - spec));
		if (dots[2] != '\0')
			until = oak_strdup(dots + 2);
		rc = oak_window_resolve(w, since, until, NULL, false, &why);
		free(since);
		free(until);
	}
	if (rc < 0 && strncmp(why, "--", 2) == 0)
		oak_die(OAK_EXIT_USAGE, "%s: want YYYY-Www, last or SINCE..UNTIL "
			"(ISO-8601 dates or date-times): %s", opt, spec);
	if (rc < 0)
		oak_die(OAK_EXIT_USAGE, "%s: %s", opt, why);
}

static bool
windows_overlap(const struct oak_window *a, const struct oak_window *b)
{
	bool a_before = a->have_until && b->have_since &&
			oak_instant_cmp(a->until, b->since) <= 0;
	bool b_before = b->have_until && a->have_since &&
			oak_instant_cmp(b->until, a->since) <= 0;

	return !a_before && !b_before;
}

/* --by PATH: keys separated by dots. */
static void
path_parse(char *path)
{
	char *key = path, *dot;

	for (;;) {
		if (sel.npath == MAX_PATH_KEYS)
			oak_die(OAK_EXIT_USAGE, "--by: more than %d keys",
				MAX_PATH_KEYS);
		if ((dot = strchr(key, '.')) != NULL)
			*dot = '\0';
		if (*key == '\0')
			oak_die(OAK_EXIT_USAGE, "--by: an empty key in the path");
		sel.path_keys[sel.npath++] = key;
		if (dot == NULL)
			return;
		key = dot + 1;
	}
}

/* Which comparison the options ask for; the groups' labels. */
static void
choose_mode(const char *wa, const char *wb, char *by)
{
	if (wa != NULL || wb != NULL) {
		if (wa == NULL || wb == NULL || sel.value_a || sel.value_b || by)
			oak_die(OAK_EXIT_USAGE, "--a-window and --b-window go "
				"together, without --a, --b or --by");
		sel.mode = BY_WINDOW;
		window_parse(&sel.window_a, "--a-window", wa);
		window_parse(&sel.window_b, "--b-window", wb);
		if (windows_overlap(&sel.window_a, &sel.window_b))
			oak_die(OAK_EXIT_USAGE, "the two windows overlap");
		group_a.label = oak_strdup(wa);
		group_b.label = oak_strdup(wb);
		return;
	}
	if (sel.value_a == NULL || sel.value_b == NULL)
		oak_die(OAK_EXIT_USAGE, "want --a and --b, or --a-window and "
			"--b-window");
	if (strcmp(sel.value_a, sel.value_b) == 0)
		oak_die(OAK_EXIT_USAGE, "--a and --b are the same: %s",
			sel.value_a);
	sel.mode = by != NULL ? BY_FIELD : BY_AGENT;
	if (by != NULL)
		path_parse(by);
	else if (sel.agent != NULL)
		oak_die(OAK_EXIT_USAGE, "--agent goes with --by or the windows");
	group_a.label = oak_strdup(sel.value_a);
	group_b.label = oak_strdup(sel.value_b);
}

static void
group_release(struct group *g)
{
	free(g->label);
	dvec_release(&g->durations);
	dvec_release(&g->qualities);
	hist_release(&g->tokens);
	hist_release(&g->cost);
}

/* Compares the groups and writes what comes of it. */
static void
report(const char *by_name, bool json)
{
	struct analysis an;
	struct buf out;

	analyse(&group_a, &group_b, &an);
	buf_init(&out);
	if (json)
		write_json(&out, by_name, &group_a, &group_b, &an);
	else
		write_text(&out, by_name, &group_a, &group_b, &an);
	buf_write(&out, stdout);
	buf_release(&out);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "a", required_argument, NULL, 'a' },
		{ "b", required_argument, NULL, 'b' },
		{ "a-window", required_argument, NULL, 'A' },
		{ "b-window", required_argument, NULL, 'B' },
		{ "by", required_argument, NULL, 'y' },
		{ "agent", required_argument, NULL, 'g' },
		{ "task-type", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	const char *wa = NULL, *wb = NULL, *format = "text";
	char *by = NULL, *by_name;
	struct oak_opts opts;
	int c;

	oak_setprog("oak-compare");
	oak_opts_begin(&opts, argc, argv, NULL, longopts, OAK_OPTS_REJECTS,
		       usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		switch (c) {
		case 'a': sel.value_a = optarg; break;
		case 'b': sel.value_b = optarg; break;
		case 'A': wa = optarg; break;
		case 'B': wb = optarg; break;
		case 'y': by = optarg; break;
		case 'g': sel.agent = optarg; break;
		case 't': sel.task_type = optarg; break;
		default: format = optarg; break;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		oak_die(OAK_EXIT_USAGE, "--format: want text or json: %s", format);
	by_name = oak_strdup(wa || wb ? "timestamp" : by ? by : "agent_name");
	choose_mode(wa, wb, by);

	line_each(opts.noperand, opts.operand, compare_one, NULL);
	oak_opts_end(&opts);

	report(by_name, strcmp(format, "json") == 0);
	group_release(&group_a);
	group_release(&group_b);
	free(by_name);
	buf_release(&scratch);
	json_doc_release(&doc);
	return oak_exit_status();
}
