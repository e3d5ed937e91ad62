/*
 * format.c: the "format" assertions of oak-validate's JSON Schema
 * (RFC 3339 date-time, full-date and full-time, RFC 4122 uuid, a
 * practical RFC 5321 email, RFC 3986 absolute URI). Each check reads
 * the bytes once and allocates nothing.
 */
#include <string.h>

#include "schema/node.h"

static const struct {
	const char *name;
	enum schema_format format;
} formats[] = {
	{"date-time", FORMAT_DATE_TIME}, {"date", FORMAT_DATE},
	{"time", FORMAT_TIME},           {"uuid", FORMAT_UUID},
	{"email", FORMAT_EMAIL},         {"uri", FORMAT_URI},
};

enum schema_format
schema_format_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strlen(formats[i].name) == len &&
		    memcmp(formats[i].name, name, len) == 0)
			return formats[i].format;
	return FORMAT_NONE;
}

const char *
schema_format_name(enum schema_format f)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].format == f)
			return formats[i].name;
	return "";
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* n digits at s[*i] as a number, or -1. */
static int
num(const char *s, size_t len, size_t *i, int n)
{
	int v = 0;

	if (*i + (size_t)n > len)
		return -1;
	for (; n > 0; n--, (*i)++) {
		if (!is_digit(s[*i]))
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	return v;
}

static bool
sep(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return false;
	(*i)++;
	return true;
}

/* full-date at s[*i]: YYYY-MM-DD with the month's real length. */
static bool
full_date(const char *s, size_t len, size_t *i)
{
	int64_t days;

	if (len - *i < 10 || !oak_date_days(s + *i, &days))
		return false;
	*i += 10;
	return true;
}

/* full-time at s[*i]: HH:MM:SS[.frac](Z|+hh:mm|-hh:mm); a leap second
 * only at 23:59:60 UTC. */
static bool
full_time(const char *s, size_t len, size_t *i)
{
	int h, m, sec, oh = 0, om = 0, sign = 0, utc;

	if (len - *i < 8 || !oak_time8(s + *i, &h, &m, &sec) || h > 23 ||
	    m > 59 || sec > 60)
		return false;
	*i += 8;
	if (*i < len && s[*i] == '.') {
		(*i)++;
		if (*i >= len || !is_digit(s[*i]))
			return false;
		while (*i < len && is_digit(s[*i]))
			(*i)++;
	}
	if (*i >= len)
		return false;
	if (s[*i] == 'Z' || s[*i] == 'z') {
		(*i)++;
	} else if (s[*i] == '+' || s[*i] == '-') {
		sign = s[*i] == '+' ? 1 : -1;
		(*i)++;
		if ((oh = num(s, len, i, 2)) < 0 || oh > 23 ||
		    !sep(s, len, i, ':') || (om = num(s, len, i, 2)) < 0 ||
		    om > 59)
			return false;
	} else {
		return false;
	}
	if (sec == 60) {
		utc = ((h * 60 + m - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;
		if (utc != 23 * 60 + 59)
			return false;
	}
	return true;
}

static bool
check_uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return false;
	for (i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!is_hex(s[i])) {
			return false;
		}
	}
	return true;
}

/* local@domain: a dot-atom local part (no leading, trailing or double
 * dot) and a domain of letters, digits, '-' and '.', or [IP literal]. */
static bool
check_email(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	size_t local, i;

	if (at == NULL)
		return false;
	local = (size_t)(at - s);
	if (local == 0 || local == len - 1 || s[0] == '.' ||
	    s[local - 1] == '.')
		return false;
	for (i = 0; i < local; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && s[i + 1] == '.')
			return false;
		if (c <= ' ' || strchr("()<>[]:;@\\,\"", c) != NULL)
			return false;
	}
	for (i = local + 1; i < len; i++) {
		char c = s[i];

		if (!is_alpha(c) && !is_digit(c) && c != '-' && c != '.' &&
		    !(c == '[' && i == local + 1) && !(c == ']' && i == len - 1) &&
		    !(c == ':' && s[local + 1] == '['))
			return false;
	}
	return true;
}

/* RFC 3986 authority s[start..end): [userinfo@]host[:port], where
 * userinfo has no brackets, an IP literal is [hex, ':' and dotted
 * decimal without leading zeros], and the port is digits. */
static bool
check_authority(const char *s, size_t start, size_t end)
{
	size_t i, host = start, digits = 0;

	for (i = start; i < end; i++)
		if (s[i] == '@')
			host = i + 1;
	for (i = start; i + 1 < host; i++)
		if (s[i] == '[' || s[i] == ']')
			return false;
	i = host;
	if (i < end && s[i] == '[') {
		for (i++; i < end && s[i] != ']'; i++) {
			if (is_digit(s[i])) {
				if (digits == 0 && s[i] == '0' && i + 1 < end &&
				    is_digit(s[i + 1]) && memchr(s + host, '.',
								 end - host))
					return false;
				digits++;
			} else if (is_hex(s[i]) || s[i] == ':' || s[i] == '.') {
				digits = 0;
			} else {
				return false;
			}
		}
		if (i >= end)
			return false;
		i++;
	} else {
		while (i < end && s[i] != ':')
			if (s[i++] == '[' )
				return false;
	}
	if (i < end) {
		if (s[i] != ':')
			return false;
		for (i++; i < end; i++)
			if (!is_digit(s[i]))
				return false;
	}
	return true;
}

/* scheme ":" then only URI characters, with %XX escapes well formed. */
static bool
check_uri(const char *s, size_t len)
{
	size_t i = 0, auth_end;

	if (len == 0 || !is_alpha(s[0]))
		return false;
	while (i < len && (is_alpha(s[i]) || is_digit(s[i]) ||
			   s[i] == '+' || s[i] == '-' || s[i] == '.'))
		i++;
	if (i >= len || s[i] != ':')
		return false;
	i++;
	auth_end = i;
	if (len - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		auth_end = i + 2;
		while (auth_end < len && strchr("/?#", s[auth_end]) == NULL)
			auth_end++;
		if (!check_authority(s, i + 2, auth_end))
			return false;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 2 >= len + 0 || !is_hex(s[i + 1]) ||
			    !is_hex(s[i + 2]))
				return false;
			i += 2;
			continue;
		}
		if (is_alpha((char)c) || is_digit((char)c) ||
		    strchr("-._~:/?#@!$&'()*+,;=", c) != NULL)
			continue;
		if ((c == '[' || c == ']') && i < auth_end)
			continue;
		return false;
	}
	return true;
}

bool
schema_format_check(enum schema_format f, const char *s, size_t len)
{
	size_t i = 0;

	switch (f) {
	case FORMAT_DATE_TIME:
		return full_date(s, len, &i) && i < len &&
		       (s[i] == 'T' || s[i] == 't') && (++i, full_time(s, len, &i)) &&
		       i == len;
	case FORMAT_DATE:
		return full_date(s, len, &i) && i == len;
	case FORMAT_TIME:
		return full_time(s, len, &i) && i == len;
	case FORMAT_UUID:
		return check_uuid(s, len);
	case FORMAT_EMAIL:
		return check_email(s, len);
	case FORMAT_URI:
		return check_uri(s, len);
	case FORMAT_NONE:
		break;
	}
	return true;
}
