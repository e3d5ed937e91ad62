/*
 * append.c: one record appended to a telemetry log, the way oak-log
 * appends (DESIGN.md, Logging): the line and its newline go out in one
 * write(2) on an O_APPEND descriptor held under an exclusive flock, so
 * writers never interleave; a torn last line left by a crashed writer
 * is ended first, so it never swallows this record. (oak-log keeps its
 * own copy in filters/log/store.c; the two are to become one.)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claude/claude.h"

/* Opens dir/name for appending, creating dir's last component (0700)
 * and the file (0600) when missing. An fd, or -1 after a warning. */
static int
open_log(const char *dir, const char *path)
{
	int flags = O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC;
	int fd = open(path, flags, 0600);

	if (fd < 0 && errno == ENOENT) {
		if (mkdir(dir, 0700) == 0 || errno == EEXIST)
			fd = open(path, flags, 0600);
	}
	if (fd < 0)
		oak_warn("%s: %s", path, strerror(errno));
	return fd;
}

/* Does the file end in a newline (or is it empty)? -1 on error. */
static int
ends_in_newline(int fd)
{
	struct stat st;
	char c;

	if (fstat(fd, &st) < 0)
		return -1;
	if (st.st_size == 0)
		return 1;
	if (pread(fd, &c, 1, st.st_size - 1) != 1)
		return -1;
	return c == '\n';
}

int
claude_append(const char *dir, const char *name, const struct buf *line)
{
	struct buf path, rec;
	int fd, nl, rc = -1;
	ssize_t n = -1;

	buf_init(&path);
	buf_init(&rec);
	buf_printf(&path, "%s/%s", dir, name);
	if ((fd = open_log(dir, path.data)) < 0)
		goto out;
	while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
		;
	nl = ends_in_newline(fd);
	if (nl == 0)
		buf_addc(&rec, '\n');
	buf_add(&rec, line->data, line->len);
	buf_addc(&rec, '\n');
	if (nl >= 0) {
		do
			n = write(fd, rec.data, rec.len);
		while (n < 0 && errno == EINTR);
	}
	if (n == (ssize_t)rec.len)
		rc = 0;
	else
		oak_warn("%s: %s: record not logged", path.data,
			 n < 0 ? strerror(errno) : "short write");
	/* closing releases the lock */
	if (close(fd) < 0 && rc == 0) {
		oak_warn("%s: %s", path.data, strerror(errno));
		rc = -1;
	}
out:
	buf_release(&rec);
	buf_release(&path);
	return rc;
}
