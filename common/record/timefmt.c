/*
 * timefmt.c: ISO-8601 / RFC 3339 timestamps to exact instants (seconds
 * since the epoch plus nanoseconds), so timestamps written with different
 * offsets or fraction lengths compare as the moments they name. The date
 * is read and numbered by base's oak_date_days; instants turn back into
 * dates with Howard Hinnant's civil-from-days arithmetic.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "record/instant.h"

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* Reads exactly n digits at s[*i]. */
static int
digits(const char *s, size_t len, size_t *i, int n, int *out)
{
	int v = 0, k;

	if (*i + (size_t)n > len)
		return -1;
	for (k = 0; k < n; k++) {
		char c = s[*i + (size_t)k];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)n;
	*out = v;
	return 0;
}

static int
expect(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

/* The instants whose UTC date has four digits, 0000-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999999999Z: the ones oak_time_format can write.
 * An offset can carry a date at either end past them. */
#define TIME_MIN INT64_C(-62167219200)
#define TIME_MAX INT64_C(253402300799)

int
oak_time_parse(const char *s, size_t len, bool allow_date,
	       struct oak_instant *out)
{
	static const int32_t scale[10] = { 1000000000, 100000000, 10000000,
					   1000000, 100000, 10000, 1000, 100,
					   10, 1 };
	int h = 0, mi = 0, sec = 0, oh, om, sign;
	int32_t nsec = 0;
	int64_t days, at;
	size_t i = 0;
	int n;
	int64_t offset = 0;

	if (len < 10 || !oak_date_days(s, &days))
		return -1;
	i = 10;
	if (i == len) {
		if (!allow_date)
			return -1;
		goto done;
	}
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return -1;
	i++;
	if (len - i < 8 || !oak_time8(s + i, &h, &mi, &sec))
		return -1;
	i += 8;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return -1;
		/* the first nine digits are the nanoseconds (those past
		 * them are dropped), scaled once at the end */
		for (n = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++)
			if (n < 9)
				nsec = nsec * 10 + (s[i] - '0');
		nsec *= scale[n < 9 ? n : 9];
	}
	if (i >= len)
		return -1;
	if (s[i] == 'Z' || s[i] == 'z') {
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		sign = s[i] == '-' ? -1 : 1;
		i++;
		if (digits(s, len, &i, 2, &oh) < 0 ||
		    expect(s, len, &i, ':') < 0 ||
		    digits(s, len, &i, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
		offset = sign * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (i != len)
		return -1;
done:
	at = days * 86400 + h * 3600 + mi * 60 + sec - offset;
	if (at < TIME_MIN || at > TIME_MAX)
		return OAK_TIME_RANGE;
	out->sec = at;
	out->nsec = nsec;
	return 0;
}

int
oak_instant_cmp(struct oak_instant a, struct oak_instant b)
{
	if (a.sec != b.sec)
		return a.sec < b.sec ? -1 : 1;
	if (a.nsec != b.nsec)
		return a.nsec < b.nsec ? -1 : 1;
	return 0;
}

void
oak_time_format(struct buf *out, struct oak_instant t)
{
	int64_t days = t.sec >= 0 ? t.sec / 86400 : -((-t.sec + 86399) / 86400);
	int64_t rem = t.sec - days * 86400;
	unsigned m, d;
	int y;

	civil_from_days(days, &y, &m, &d);
	buf_printf(out, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d,
		   (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
	if (t.nsec / 1000 != 0)
		buf_printf(out, ".%06d", (int)(t.nsec / 1000));
	buf_addc(out, 'Z');
}

struct oak_instant
oak_now(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	struct oak_instant now;
	struct timeval tv;
	char *end;

	if (epoch != NULL && *epoch != '\0') {
		now.sec = strtoll(epoch, &end, 10);
		if (*end != '\0')
			oak_die(OAK_EXIT_USAGE,
				"SOURCE_DATE_EPOCH is not a number: %s", epoch);
		now.nsec = 0;
	} else {
		gettimeofday(&tv, NULL);
		now.sec = tv.tv_sec;
		now.nsec = (int32_t)tv.tv_usec * 1000;
	}
	return now;
}

void
oak_now_iso(struct buf *out)
{
	oak_time_format(out, oak_now());
}
