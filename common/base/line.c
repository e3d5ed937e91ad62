/*
 * line.c: a line reader over read(2). Lines are found with memchr in a
 * buffer that grows to the longest line seen, so any line length works
 * and no allocation happens once warm. The newline (and a '\r' before it)
 * is replaced by NUL in place, so a line is a C string too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

#define LINE_CHUNK (256 * 1024)

struct line_reader {
	int fd;
	bool own_fd;
	const char *name;
	char *buf;
	size_t cap;
	size_t start;   /* first unread byte */
	size_t end;     /* end of valid bytes */
	bool eof;
	long line_no;
	long long consumed; /* input offset of buf[0] */
};

static struct line_reader *
line_fdopen(int fd, const char *name)
{
	struct line_reader *r = oak_calloc(1, sizeof(*r));

	r->fd = fd;
	r->name = name;
	r->cap = LINE_CHUNK;
	r->buf = oak_malloc(r->cap + 1);
	return r;
}

struct line_reader *
line_open(const char *path)
{
	struct line_reader *r;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return line_fdopen(STDIN_FILENO, "-");
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	r = line_fdopen(fd, path);
	r->own_fd = true;
	return r;
}

const char *
line_name(const struct line_reader *r)
{
	return r->name;
}

/* Moves unread bytes to the front, grows if full, reads more. */
static int
line_fill(struct line_reader *r)
{
	ssize_t n;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->consumed += (long long)r->start;
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		r->cap *= 2;
		r->buf = oak_realloc(r->buf, r->cap + 1);
	}
	do
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = true;
	r->end += (size_t)n;
	return 0;
}

int
line_next(struct line_reader *r, struct line *ln)
{
	size_t scanned = 0;
	char *nl;

	for (;;) {
		nl = memchr(r->buf + r->start + scanned, '\n',
			    r->end - r->start - scanned);
		if (nl != NULL || r->eof)
			break;
		scanned = r->end - r->start;
		if (line_fill(r) < 0)
			return -1;
	}
	if (nl == NULL && r->start == r->end)
		return 0;
	ln->text = r->buf + r->start;
	ln->offset = r->consumed + (long long)r->start;
	ln->no = ++r->line_no;
	if (nl != NULL) {
		ln->len = (size_t)(nl - ln->text);
		ln->had_newline = true;
		r->start += ln->len + 1;
	} else {
		ln->len = r->end - r->start;
		ln->had_newline = false;
		r->start = r->end;
	}
	if (ln->len > 0 && ln->text[ln->len - 1] == '\r')
		ln->len--;
	ln->text[ln->len] = '\0';
	return 1;
}

void
line_close(struct line_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fd)
		close(r->fd);
	free(r->buf);
	free(r);
}

bool
line_blank(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' &&
		    text[i] != '\f' && text[i] != '\v')
			return false;
	return true;
}

void
line_each(int nfile, char **files,
	  void (*fn)(void *arg, const char *file, const struct line *ln),
	  void *arg)
{
	struct line_reader *r;
	struct line ln;
	const char *path;
	int i, rc;

	for (i = 0; i < (nfile > 0 ? nfile : 1); i++) {
		path = nfile > 0 ? files[i] : "-";
		if ((r = line_open(path)) == NULL)
			oak_die_errno(path);
		while ((rc = line_next(r, &ln)) > 0)
			if (!line_blank(ln.text, ln.len))
				fn(arg, line_name(r), &ln);
		if (rc < 0)
			oak_die_errno(path);
		line_close(r);
	}
}
