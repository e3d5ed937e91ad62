/*
 * date.c: a calendar date as written in a timestamp ("YYYY-MM-DD"),
 * checked against the Gregorian calendar and numbered as days from
 * 1970-01-01 with Howard Hinnant's days-from-civil arithmetic. The one
 * reader of the date of both oak_time_parse (record) and the schema's
 * "date-time" and "date" formats.
 */
#include "base/base.h"

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The last date this thread found valid, as written, and its number: a
 * log's lines come a day at a time, so its dates are mostly checked and
 * converted once (join: 1.2% fewer instructions). */
static _Thread_local char last_date[10];
static _Thread_local int64_t last_days;
static _Thread_local bool have_last;

bool
oak_date_days(const char *s, int64_t *days)
{
	static const unsigned char mdays[] = { 31, 28, 31, 30, 31, 30,
					       31, 31, 30, 31, 30, 31 };
	int y, m, d;
	bool leap;

	if (have_last && memcmp(s, last_date, 10) == 0) {
		*days = last_days;
		return true;
	}
	if (!oak_date10(s, &y, &m, &d) || m < 1 || m > 12 || d < 1)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return false;
	*days = last_days = days_from_civil(y, (unsigned)m, (unsigned)d);
	memcpy(last_date, s, 10);
	have_last = true;
	return true;
}
