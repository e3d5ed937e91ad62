/*
 * append.c: one record appended to a telemetry log (DESIGN.md,
 * Logging): the line and its newline go out in one write(2) on an
 * O_APPEND descriptor held under an exclusive flock, so writers never
 * interleave; a torn last line left by a crashed writer is ended first,
 * so it never swallows this record. oak-log and oak-import both append
 * through it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/append.h"

int
oak_make_dirs(const char *dir, mode_t parents, mode_t mode)
{
	char *path = oak_strdup(dir), *p;
	int rc = 0, saved;

	for (p = path; rc == 0; *p++ = '/') {
		while (*p == '/')
			p++;
		if ((p = strchr(p, '/')) == NULL)
			break;
		*p = '\0';
		if (mkdir(path, parents) < 0 && errno != EEXIST)
			rc = -1;
	}
	if (rc == 0 && mkdir(path, mode) < 0 && errno != EEXIST)
		rc = -1;
	saved = errno;
	free(path);
	errno = saved;
	return rc;
}

/* Opens path (in dir) for appending, creating dir and the file when
 * missing. An fd, or -1 after a warning. */
static int
open_log(const char *dir, const char *path)
{
	int flags = O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC;
	int fd = open(path, flags, 0600);

	if (fd < 0 && errno == ENOENT) {
		if (oak_make_dirs(dir, 0700, 0700) == 0)
			fd = open(path, flags, 0600);
		else
			oak_warn("%s: %s", dir, strerror(errno));
	}
	if (fd < 0)
		oak_warn("%s: %s", path, strerror(errno));
	return fd;
}

/* Locks fd and starts rec with "\n" when the file does not end in one.
 * 0, or -1 after a warning. */
static int
lock_and_check_end(int fd, const char *path, struct buf *rec)
{
	struct stat st;
	char last;
	ssize_t n;

	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			oak_warn("%s: lock: %s", path, strerror(errno));
			return -1;
		}
	}
	if (fstat(fd, &st) < 0) {
		oak_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	if (st.st_size > 0) {
		n = pread(fd, &last, 1, st.st_size - 1);
		if (n != 1) {
			oak_warn("%s: %s", path,
				 n < 0 ? strerror(errno) : "cannot read last byte");
			return -1;
		}
		if (last != '\n')
			buf_addc(rec, '\n');
	}
	return 0;
}

int
oak_append_line(const char *dir, const char *name, const struct buf *line)
{
	struct buf path, rec;
	ssize_t n;
	int fd, rc = -1;

	buf_init(&path);
	buf_init(&rec);
	buf_printf(&path, "%s/%s", dir, name);
	if ((fd = open_log(dir, path.data)) < 0 ||
	    lock_and_check_end(fd, path.data, &rec) < 0)
		goto out;
	buf_add(&rec, line->data, line->len);
	buf_addc(&rec, '\n');
	do
		n = write(fd, rec.data, rec.len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		oak_warn("%s: %s", path.data, strerror(errno));
	else if ((size_t)n != rec.len)
		oak_warn("%s: short write (%zd of %zu bytes): record not logged",
			 path.data, n, rec.len);
	else
		rc = 0;
out:
	/* closing releases the lock */
	if (fd >= 0 && close(fd) < 0 && rc == 0) {
		oak_warn("%s: %s", path.data, strerror(errno));
		rc = -1;
	}
	buf_release(&rec);
	buf_release(&path);
	return rc;
}
