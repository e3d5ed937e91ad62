/*
 * number.c: the one parser of numbers given as text (options, fields
 * that hold numbers as strings): the whole string or nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

int
oak_parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
oak_parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	/* past DBL_MAX, or a non-zero value below DBL_MIN (subnormal, or
	 * lost to 0): not representable. -0 is 0. */
	if (errno == ERANGE || *end != '\0' || !isfinite(v) ||
	    (v != 0 && fabs(v) < DBL_MIN))
		return -1;
	*out = v == 0 ? 0 : v;
	return 0;
}

int
oak_parse_double_n(const char *s, size_t len, double *out)
{
	char tmp[64], *copy = tmp;
	int rc;

	if (memchr(s, '\0', len) != NULL)
		return -1;
	if (len >= sizeof(tmp))
		copy = oak_malloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	rc = oak_parse_double(copy, out);
	if (copy != tmp)
		free(copy);
	return rc;
}
