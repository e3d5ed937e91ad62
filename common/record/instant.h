/*
 * record/instant.h: instants (timefmt.c) and report windows and
 * calendar periods (window.c).
 */
#ifndef OAK_RECORD_INSTANT_H
#define OAK_RECORD_INSTANT_H

#include "base/opts.h"

/* ---- timefmt.c ---------------------------------------------------- */
/* An exact instant: seconds since the epoch and nanoseconds. */
struct oak_instant {
	int64_t sec;
	int32_t nsec;
};
/*
 * Parses an RFC 3339 / ISO-8601 date-time: YYYY-MM-DDTHH:MM:SS[.frac]
 * then Z or +hh:mm / -hh:mm ('t', 'z' and a space for 'T' accepted). With
 * allow_date, a bare YYYY-MM-DD is midnight UTC. Returns 0, or -1, or
 * OAK_TIME_RANGE (-2) for an instant whose UTC date is not in the years
 * 0000 to 9999 (0000-01-01T00:30:00+01:00), which oak_time_format could
 * not write.
 */
#define OAK_TIME_RANGE (-2)
int oak_time_parse(const char *s, size_t len, bool allow_date,
		   struct oak_instant *out);
int oak_instant_cmp(struct oak_instant a, struct oak_instant b);
/* Writes t as YYYY-MM-DDTHH:MM:SS[.ffffff]Z (microseconds when nonzero,
 * as Python's isoformat() + "Z" does). */
void oak_time_format(struct buf *out, struct oak_instant t);
/* Now: SOURCE_DATE_EPOCH when set, else the clock (the only clock any
 * program reads). oak_now_iso writes it for generated_at as Python's
 * datetime.utcnow().isoformat() + "Z" does. */
struct oak_instant oak_now(void);
void oak_now_iso(struct buf *out);

/* ---- window.c ----------------------------------------------------- */
/* A window of instants [since, until); a bound is absent unless have_. */
struct oak_window {
	bool have_since, have_until;
	struct oak_instant since, until;
};
/*
 * Resolves the window options every program shares. since and until are
 * ISO-8601 dates (midnight UTC) or date-times; week is "YYYY-Www" or
 * "last" (the last complete ISO week before now); previous shifts the
 * window to the one of equal length just before it. NULL means not
 * given. Returns 0, or -1 with *why set to a static reason.
 */
int oak_window_resolve(struct oak_window *w, const char *since,
		       const char *until, const char *week, bool previous,
		       const char **why);
/* The window of the shared options --since, --until, --week and
 * --previous (base/opts.h); a bad one: its reason, exit 2. */
void oak_window_from_opts(struct oak_window *w, const struct oak_opts *o);
/* Is t in the window? */
bool oak_window_has(const struct oak_window *w, struct oak_instant t);
/* Days since 1970-01-01 (UTC) of an instant. */
int64_t oak_day_of(struct oak_instant t);
enum oak_period { OAK_BY_NONE, OAK_BY_DAY, OAK_BY_WEEK, OAK_BY_MONTH };
/* "day", "week", "month": 0, else -1. */
int oak_period_parse(const char *s, enum oak_period *by);
/* The key of the period holding day: 2025-10-13, 2025-W42 or 2025-10. */
void oak_period_key(struct buf *out, int64_t day, enum oak_period by);

#endif
