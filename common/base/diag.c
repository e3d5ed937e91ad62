/*
 * diag.c: diagnostics, exit codes and bad-line accounting.
 * Every message is "oak-PROG: ..." on stderr. Rejected lines are counted
 * here, so a filter derives its exit status from the count instead of
 * tracking it by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"

/* Linux's pipe resize (fcntl(2)), which only _GNU_SOURCE names */
#if defined(__linux__) && !defined(F_SETPIPE_SZ)
#define F_SETPIPE_SZ 1031
#endif

static const char *prog = "oak";
static FILE *rejects_fp;
static const char *rejects_path;
static bool strict_mode;
static unsigned long rejected;

void
oak_setprog(const char *name)
{
	static char out_buf[1 << 16];

	prog = name;
	/* records go out in pipe-sized writes, not 4 KiB ones */
	setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
#ifdef F_SETPIPE_SZ
	(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
#endif
}

void
oak_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s:%ld: ", prog, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void vwarn(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
oak_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
oak_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

void
oak_die_errno(const char *what)
{
	oak_die(OAK_EXIT_IO, "%s: %s", what, strerror(errno));
}

void
oak_rejects_open(const char *path)
{
	rejects_fp = fopen(path, "w");
	if (rejects_fp == NULL)
		oak_die_errno(path);
	rejects_path = path;
}

void
oak_set_strict(bool strict)
{
	strict_mode = strict;
}

void
oak_reject(const char *file, long line, const char *text, size_t len,
	   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	oak_vreject(file, line, text, len, fmt, ap);
	va_end(ap);
}

void
oak_vreject(const char *file, long line, const char *text, size_t len,
	    const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s:%ld: ", prog, file, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	rejected++;
	if (rejects_fp != NULL) {
		if (fwrite(text, 1, len, rejects_fp) != len ||
		    putc('\n', rejects_fp) == EOF)
			oak_die_errno(rejects_path);
	}
	if (strict_mode) {
		oak_finish_output();
		exit(OAK_EXIT_REJECTED);
	}
}

void
oak_count_rejected(unsigned long n)
{
	rejected += n;
}

unsigned long
oak_rejected_count(void)
{
	return rejected;
}

void
oak_finish_output(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		oak_die_errno("stdout");
	if (rejects_fp != NULL) {
		if (fclose(rejects_fp) == EOF)
			oak_die_errno(rejects_path);
		rejects_fp = NULL;
	}
}

int
oak_exit_status(void)
{
	oak_finish_output();
	if (rejected > 0) {
		oak_warn("%lu line%s rejected", rejected,
			 rejected == 1 ? "" : "s");
		return OAK_EXIT_REJECTED;
	}
	return OAK_EXIT_OK;
}

void *
oak_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oak_die_errno("malloc");
	return p;
}

void *
oak_realloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		oak_die_errno("realloc");
	return p;
}

void *
oak_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		oak_die_errno("calloc");
	return p;
}

char *
oak_strdup(const char *s)
{
	return oak_strndup(s, strlen(s));
}

char *
oak_strndup(const char *s, size_t len)
{
	char *p = oak_malloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
oak_version(void)
{
	printf("%s %s\n", prog, OAK_VERSION);
	oak_finish_output();
	exit(OAK_EXIT_OK);
}
