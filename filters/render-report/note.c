/*
 * note.c: the window named for people ("2026-W47 (2026-11-16 to
 * 2026-11-23)"), and the note a report carries when its window holds no
 * invocation but the logs do, and the data quality line (lines
 * rejected, notes on ids never started, the window's share of the
 * logs). What the logs hold comes from join's --summary file, read once
 * the input is done (join wrote it before it ended, and so before this
 * input could end).
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

/* A count of the summary's object, true when it is there and fits. */
static bool
summary_count(const struct json_doc *d, const char *key, int64_t *v)
{
	return json_int64(d, json_get(d, 0, key), v) == 0 && *v >= 0;
}

/* Reads join's summary at path into *s: 0, else -1 (s->have false). */
static int
summary_read(const char *path, struct logs_summary *s)
{
	struct buf text;
	struct json_doc d;
	FILE *fp = fopen(path, "r");
	char chunk[512];
	size_t n;
	const char *why;

	memset(s, 0, sizeof(*s));
	if (fp == NULL)
		return -1;
	buf_init(&text);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&text, chunk, n);
	fclose(fp);
	json_doc_init(&d);
	if (text.len > 0 && json_parse(&d, text.data, text.len, &why) == 0 &&
	    summary_count(&d, "invocations", &s->invocations) &&
	    summary_count(&d, "in_window", &s->in_window)) {
		s->first_day = day_of_token(&d, json_get(&d, 0, "first"));
		s->last_day = day_of_token(&d, json_get(&d, 0, "last"));
		s->have = s->invocations == 0 ||
			  (s->first_day >= 0 && s->last_day >= 0);
		s->have_quality = s->have &&
			summary_count(&d, "rejected", &s->rejected) &&
			summary_count(&d, "never_started", &s->never_started);
	}
	json_doc_release(&d);
	buf_release(&text);
	return s->have ? 0 : -1;
}

void
logs_note(struct report *r, const char *path)
{
	const struct logs_summary *s = &r->logs;
	static struct buf note;

	if (path == NULL || summary_read(path, &r->logs) < 0 ||
	    (!r->window.have_since && !r->window.have_until) ||
	    s->in_window > 0 || total_invocations(&r->cur) > 0)
		return;
	buf_reset(&note);
	buf_adds(&note, "no invocations in ");
	window_label(&note, &r->window);
	if (s->invocations == 0) {
		buf_adds(&note, "; the logs hold none yet");
		r->note = note.data;
		oak_warn("%s", note.data);
		return;
	}
	buf_printf(&note, "; the logs hold %lld, from ",
		   (long long)s->invocations);
	oak_period_key(&note, s->first_day, OAK_BY_DAY);
	buf_adds(&note, " to ");
	oak_period_key(&note, s->last_day, OAK_BY_DAY);
	buf_adds(&note, ": try --week ");
	oak_period_key(&note, s->last_day, OAK_BY_WEEK);
	buf_adds(&note, " or --all");
	r->note = note.data;
	oak_warn("%s", note.data);
}

bool
data_quality(struct buf *b, const struct report *r)
{
	const struct logs_summary *s = &r->logs;

	if (!s->have_quality)
		return false;
	buf_printf(b, "Data quality: %lld line%s rejected, %lld note%s "
		   "(update%s or metric%s for %s never started); the window "
		   "holds %lld of the %lld invocations logged",
		   (long long)s->rejected, s->rejected == 1 ? "" : "s",
		   (long long)s->never_started, s->never_started == 1 ? "" : "s",
		   s->never_started == 1 ? "" : "s",
		   s->never_started == 1 ? "" : "s",
		   s->never_started == 1 ? "an id" : "ids",
		   (long long)s->in_window, (long long)s->invocations);
	return true;
}

void
data_quality_item(struct buf *b, const struct report *r, const char *bullet)
{
	if (!r->logs.have_quality)
		return;
	buf_adds(b, bullet);
	data_quality(b, r);
	buf_addc(b, '\n');
}

void
data_quality_json(struct buf *b, const struct report *r)
{
	const struct logs_summary *s = &r->logs;
	const struct {
		const char *key;
		int64_t v;
	} member[] = {
		{ "rejected_lines", s->rejected },
		{ "never_started", s->never_started },
		{ "invocations_logged", s->invocations },
		{ "in_window", s->in_window },
	};
	size_t i;

	if (!s->have_quality)
		return;
	jw_key(b, "data_quality");
	buf_addc(b, '{');
	for (i = 0; i < sizeof(member) / sizeof(member[0]); i++) {
		jw_key(b, member[i].key);
		jw_int(b, member[i].v);
	}
	buf_addc(b, '}');
}
