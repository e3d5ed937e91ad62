/*
 * unit.h: a minimal TAP producer for the C unit tests of common/.
 * CHECK(cond) and CHECK_STR(got, want) print "ok N - what" or
 * "not ok N - what"; unit_done() returns the exit status.
 */
#ifndef UNIT_H
#define UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_n, unit_failed;

static void
unit_report(int ok, const char *file, int line, const char *what)
{
	unit_n++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - %s:%d: %s\n", ok ? "" : "not ", unit_n, file, line,
	       what);
}

#define CHECK(cond) unit_report(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(got, want)                                             \
	do {                                                             \
		const char *g_ = (got), *w_ = (want);                    \
		int ok_ = g_ != NULL && strcmp(g_, w_) == 0;             \
		unit_report(ok_, __FILE__, __LINE__, #got " == " #want); \
		if (!ok_)                                                \
			printf("#   got  [%s]\n#   want [%s]\n",         \
			       g_ ? g_ : "(null)", w_);                  \
	} while (0)

static int
unit_done(void)
{
	return unit_failed ? 1 : 0;
}
#endif
