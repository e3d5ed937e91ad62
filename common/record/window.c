/*
 * window.c: report windows and calendar periods. A window is a half-open
 * range of instants [since, until), either bound optional; it comes from
 * --since/--until (a date is midnight UTC), an ISO week (2025-W42, or
 * "last": the last complete ISO week before now) and may be shifted to
 * the window of equal length just before it (--previous). Periods (day,
 * ISO week, month) are UTC calendar keys. Civil dates go through
 * timefmt.c's parser and formatter, so the calendar lives in one place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/instant.h"

#define DAY 86400

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t
oak_day_of(struct oak_instant t)
{
	return floor_div(t.sec, DAY);
}

/* Days since the epoch of a civil date; -1 return on a bad date. */
static int
day_of_civil(int y, int m, int d, int64_t *day)
{
	char text[16];
	struct oak_instant t;

	if (y < 0 || y > 9999)
		return -1;
	snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
	if (oak_time_parse(text, 10, true, &t) < 0)
		return -1;
	*day = oak_day_of(t);
	return 0;
}

static void
civil_of_day(int64_t day, int *y, int *m, int *d)
{
	struct buf b;
	struct oak_instant t = { day * DAY, 0 };

	buf_init(&b);
	oak_time_format(&b, t);
	*y = atoi(b.data);
	*m = atoi(b.data + 5);
	*d = atoi(b.data + 8);
	buf_release(&b);
}

/* 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
static int
weekday(int64_t day)
{
	return (int)(((day + 3) % 7 + 7) % 7);
}

/* ISO year and week of a day. */
static void
iso_week_of(int64_t day, int *year, int *week)
{
	int64_t thursday = day - weekday(day) + 3, jan1;
	int m, d;

	civil_of_day(thursday, year, &m, &d);
	day_of_civil(*year, 1, 1, &jan1);
	*week = (int)((thursday - jan1) / 7) + 1;
}

/* Monday of ISO week 1 of year. */
static int64_t
iso_week1(int year)
{
	int64_t jan4 = 0;

	day_of_civil(year, 1, 4, &jan4);
	return jan4 - weekday(jan4);
}

void
oak_period_key(struct buf *out, int64_t day, enum oak_period by)
{
	int y, m, d;

	switch (by) {
	case OAK_BY_WEEK:
		iso_week_of(day, &y, &m);
		buf_printf(out, "%04d-W%02d", y, m);
		return;
	case OAK_BY_MONTH:
		civil_of_day(day, &y, &m, &d);
		buf_printf(out, "%04d-%02d", y, m);
		return;
	case OAK_BY_DAY:
	default:
		civil_of_day(day, &y, &m, &d);
		buf_printf(out, "%04d-%02d-%02d", y, m, d);
		return;
	}
}

int
oak_period_parse(const char *s, enum oak_period *by)
{
	if (strcmp(s, "day") == 0)
		*by = OAK_BY_DAY;
	else if (strcmp(s, "week") == 0)
		*by = OAK_BY_WEEK;
	else if (strcmp(s, "month") == 0)
		*by = OAK_BY_MONTH;
	else
		return -1;
	return 0;
}

/* "YYYY-Www" or "last" to the Monday that starts the week. */
static int
week_start(const char *spec, struct oak_instant now, int64_t *monday)
{
	int year, week, y2, w2;
	char tail;
	int64_t today;

	if (strcmp(spec, "last") == 0) {
		today = oak_day_of(now);
		*monday = today - weekday(today) - 7;
		return 0;
	}
	if (strlen(spec) != 8 ||
	    sscanf(spec, "%4d-W%2d%c", &year, &week, &tail) != 2 ||
	    spec[4] != '-' || spec[7] < '0' || spec[7] > '9' || week < 1 ||
	    year < 1)
		return -1;
	*monday = iso_week1(year) + 7 * (int64_t)(week - 1);
	iso_week_of(*monday, &y2, &w2);
	return y2 == year && w2 == week ? 0 : -1;
}

/* One bound of a window, a date or a date-time: 0, or -1 with *why. */
static int
window_bound(struct oak_instant *t, const char *opt, const char *arg,
	     const char **why)
{
	static char reason[160];

	if (oak_time_parse(arg, strlen(arg), true, t) == 0)
		return 0;
	snprintf(reason, sizeof(reason), "%s: not an ISO-8601 date or "
		 "date-time: %.100s", opt, arg);
	*why = reason;
	return -1;
}

int
oak_window_resolve(struct oak_window *w, const char *since,
		   const char *until, const char *week, bool previous,
		   const char **why)
{
	static char reason[160];
	int64_t monday, len_sec, len_nsec;

	memset(w, 0, sizeof(*w));
	if (week != NULL && (since != NULL || until != NULL)) {
		*why = "--week goes without --since and --until";
		return -1;
	}
	if (week != NULL) {
		if (week_start(week, oak_now(), &monday) < 0) {
			snprintf(reason, sizeof(reason), "--week: want YYYY-Www "
				 "(an ISO week) or last: %.100s", week);
			*why = reason;
			return -1;
		}
		w->have_since = w->have_until = true;
		w->since.sec = monday * DAY;
		w->until.sec = (monday + 7) * DAY;
	}
	if (since != NULL && window_bound(&w->since, "--since", since, why) < 0)
		return -1;
	if (until != NULL && window_bound(&w->until, "--until", until, why) < 0)
		return -1;
	w->have_since |= since != NULL;
	w->have_until |= until != NULL;
	if (w->have_since && w->have_until &&
	    oak_instant_cmp(w->since, w->until) > 0) {
		*why = "the window ends before it starts";
		return -1;
	}
	if (previous) {
		if (!w->have_since || !w->have_until) {
			*why = "--previous needs a window with both ends";
			return -1;
		}
		len_sec = w->until.sec - w->since.sec;
		len_nsec = (int64_t)w->until.nsec - w->since.nsec;
		w->until = w->since;
		w->since.sec -= len_sec;
		w->since.nsec -= (int32_t)len_nsec;
		if (w->since.nsec < 0) {
			w->since.nsec += 1000000000;
			w->since.sec--;
		} else if (w->since.nsec >= 1000000000) {
			w->since.nsec -= 1000000000;
			w->since.sec++;
		}
	}
	return 0;
}

bool
oak_window_has(const struct oak_window *w, struct oak_instant t)
{
	return (!w->have_since || oak_instant_cmp(t, w->since) >= 0) &&
	       (!w->have_until || oak_instant_cmp(t, w->until) < 0);
}

void
oak_window_from_opts(struct oak_window *w, const struct oak_opts *o)
{
	const char *why;

	if (oak_window_resolve(w, o->since, o->until, o->week, o->previous,
			       &why) < 0)
		oak_die(OAK_EXIT_USAGE, "%s", why);
}
