/*
 * note.c: the window named for people ("2026-W47 (2026-11-16 to
 * 2026-11-23)"), and the note a report carries when its window holds no
 * invocation but the logs do. What the logs hold comes from join's
 * --summary file, read once the input is done (join wrote it before it
 * ended, and so before this input could end).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* t as a date when it is a midnight, else as an instant. */
static void
bound(struct buf *b, struct oak_instant t)
{
	if (t.nsec == 0 && oak_day_of(t) * 86400 == t.sec)
		oak_period_key(b, oak_day_of(t), OAK_BY_DAY);
	else
		oak_time_format(b, t);
}

void
window_label(struct buf *b, const struct oak_window *w)
{
	int64_t day = w->have_since ? oak_day_of(w->since) : 0;
	bool week;

	if (!w->have_since && !w->have_until) {
		buf_adds(b, "all time");
		return;
	}
	/* an ISO week: Monday (1970-01-01 was a Thursday) to Monday */
	week = w->have_since && w->have_until && w->since.nsec == 0 &&
	       w->until.nsec == 0 && day * 86400 == w->since.sec &&
	       w->until.sec - w->since.sec == 7 * 86400 && (day + 3) % 7 == 0;
	if (week) {
		oak_period_key(b, day, OAK_BY_WEEK);
		buf_adds(b, " (");
	}
	if (w->have_since)
		bound(b, w->since);
	else
		buf_adds(b, "the beginning");
	buf_adds(b, " to ");
	if (w->have_until)
		bound(b, w->until);
	else
		buf_adds(b, "now");
	if (week)
		buf_addc(b, ')');
}

/* The day of the instant string token i, or -1. */
static int64_t
day_of_token(const struct json_doc *d, int i)
{
	struct oak_instant t;
	size_t len;
	const char *s;

	if (i < 0 || !json_is_string(d, i))
		return -1;
	s = json_raw(d, i, &len);
	return oak_time_parse(s, len, false, &t) < 0 ? -1 : oak_day_of(t);
}

/* Reads join's summary at path: 0 with the counts and days, else -1. */
static int
summary_read(const char *path, int64_t *total, int64_t *in_window,
	     int64_t *first, int64_t *last)
{
	struct buf text;
	struct json_doc d;
	FILE *fp = fopen(path, "r");
	char chunk[512];
	size_t n;
	const char *why;
	int rc = -1;

	if (fp == NULL)
		return -1;
	buf_init(&text);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&text, chunk, n);
	fclose(fp);
	json_doc_init(&d);
	if (text.len > 0 && json_parse(&d, text.data, text.len, &why) == 0 &&
	    json_int64(&d, json_get(&d, 0, "invocations"), total) == 0 &&
	    json_int64(&d, json_get(&d, 0, "in_window"), in_window) == 0) {
		*first = day_of_token(&d, json_get(&d, 0, "first"));
		*last = day_of_token(&d, json_get(&d, 0, "last"));
		rc = *total > 0 && (*first < 0 || *last < 0) ? -1 : 0;
	}
	json_doc_release(&d);
	buf_release(&text);
	return rc;
}

void
logs_note(struct report *r, const char *path)
{
	int64_t total, in_window, first, last;
	static struct buf note;

	if (path == NULL || (!r->window.have_since && !r->window.have_until) ||
	    summary_read(path, &total, &in_window, &first, &last) < 0 ||
	    in_window > 0 || total_invocations(&r->cur) > 0)
		return;
	buf_reset(&note);
	buf_adds(&note, "no invocations in ");
	window_label(&note, &r->window);
	if (total == 0) {
		buf_adds(&note, "; the logs hold none yet");
		r->note = note.data;
		oak_warn("%s", note.data);
		return;
	}
	buf_printf(&note, "; the logs hold %lld, from ", (long long)total);
	oak_period_key(&note, first, OAK_BY_DAY);
	buf_adds(&note, " to ");
	oak_period_key(&note, last, OAK_BY_DAY);
	buf_adds(&note, ": try --week ");
	oak_period_key(&note, last, OAK_BY_WEEK);
	buf_adds(&note, " or --all");
	r->note = note.data;
	oak_warn("%s", note.data);
}
