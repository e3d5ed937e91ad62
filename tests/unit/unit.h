/*
 * unit.h: a minimal TAP producer for the C unit tests of common/.
 * CHECK(cond) and CHECK_STR(got, want) print "ok N - what" or
 * "not ok N - what"; unit_done() returns the exit status. unit_data_dir
 * and unit_slurp find and read the test data.
 */
#ifndef UNIT_H
#define UNIT_H
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base.h"

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
/* The directory tests/data/SUB, found upwards from the test binary
 * (build/unit/ or build/san/unit/ under the top of the tree); NULL when
 * there is none. The path is valid until the next call. */
static inline char *
unit_data_dir(const char *sub)
{
	static char path[PATH_MAX + 64];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	struct stat st;

	if (n < 0)
		return NULL;
	exe[n] = '\0';
	while ((slash = strrchr(exe, '/')) != NULL) {
		*slash = '\0';
		snprintf(path, sizeof(path), "%s/tests/data/%s", exe, sub);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return path;
	}
	return NULL;
}

/* The whole of a file, NUL-terminated, in memory the caller frees; its
 * length in *len. NULL when it cannot be opened. */
static inline char *
unit_slurp(const char *path, size_t *len)
{
	struct buf b;
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	buf_init(&b);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	*len = b.len;
	return b.data ? b.data : oak_strdup("");
}
#endif
