/*
 * base/base.h: the bottom layer, used by every program and every layer
 * above: diagnostics and exit codes (diag.c), allocation, the one number
 * parser (number.c), calendar dates (date.c), growable buffers (buf.c),
 * the line reader (line.c) and a string-keyed hash table (hash.c). It
 * knows nothing of JSON.
 */
#ifndef OAK_BASE_H
#define OAK_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OAK_VERSION "0.1.0"

/* ---- diag.c, number.c, date.c ------------------------------------- */
/* Exit statuses of every program (DESIGN.md). */
enum oak_exit {
	OAK_EXIT_OK = 0,       /* all good */
	OAK_EXIT_REJECTED = 1, /* some input rejected, or a check failed */
	OAK_EXIT_USAGE = 2,    /* usage error */
	OAK_EXIT_IO = 3        /* I/O or system error */
};

/* Set once from main(), first: the name used in every message, e.g.
 * "oak-rank"; it also gives stdout a 64 KiB buffer. */
void oak_setprog(const char *name);

/* "oak-PROG: FILE:LINE: reason" on stderr. */
void oak_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "oak-PROG: reason" on stderr. */
void oak_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* oak_warn, then exit(status). */
_Noreturn void oak_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "oak-PROG: what: strerror(errno)", then exit(OAK_EXIT_IO). */
_Noreturn void oak_die_errno(const char *what);

/*
 * Bad input accounting. oak_reject() reports one bad line, counts it,
 * copies it verbatim (with a newline) to the --rejects file when one is
 * open, and exits 1 at once under --strict. oak_exit_status() is the
 * status a filter ends with: 1 when anything was rejected, else 0.
 */
void oak_rejects_open(const char *path);  /* --rejects FILE */
void oak_set_strict(bool strict);         /* --strict */
void oak_reject(const char *file, long line, const char *text, size_t len,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void oak_vreject(const char *file, long line, const char *text, size_t len,
		 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* Counts n records left unused, already reported in one message. */
void oak_count_rejected(unsigned long n);
/* How many lines were rejected so far. */
unsigned long oak_rejected_count(void);
/* Flush and close stdout (and the rejects file); a write error exits 3. */
void oak_finish_output(void);
/* oak_finish_output(), then the exit status derived from the counts. */
int oak_exit_status(void);

/* Allocation that cannot fail in practice: dies with exit 3 if it does. */
void *oak_malloc(size_t size);
void *oak_realloc(void *ptr, size_t size);
void *oak_calloc(size_t count, size_t size);
char *oak_strdup(const char *s);
char *oak_strndup(const char *s, size_t len);

/*
 * The one number parser for options and text fields: the whole of s
 * (no leading space, nothing after) as a base-10 integer in [min, max],
 * or a double: finite, and 0 or of magnitude at least DBL_MIN (a value
 * that overflows or underflows is not one; -0 is read as 0). 0, or -1
 * when it is not one. oak_parse_double_n reads s[0..len), no NUL needed.
 */
int oak_parse_ll(const char *s, long long min, long long max,
		 long long *out);
int oak_parse_double(const char *s, double *out);
int oak_parse_double_n(const char *s, size_t len, double *out);

/*
 * The fixed-width fields of an RFC 3339 timestamp, read straight through
 * (every line has one or two; a loop of digit by digit with a bound check
 * each cost three times as much): "YYYY-MM-DD" at s, whose 10 bytes the
 * caller has, and "hh:mm:ss", 8 bytes. false when a digit or separator
 * is off; the values are not checked against the calendar.
 */
static inline int
oak_2digits(const char *s)
{
	unsigned a = (unsigned char)s[0] - (unsigned)'0';
	unsigned b = (unsigned char)s[1] - (unsigned)'0';

	return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}
static inline bool
oak_date10(const char *s, int *y, int *m, int *d)
{
	int c = oak_2digits(s), yy = oak_2digits(s + 2);

	*m = oak_2digits(s + 5);
	*d = oak_2digits(s + 8);
	*y = c * 100 + yy;
	return (c | yy | *m | *d) >= 0 && s[4] == '-' && s[7] == '-';
}
/* Is the date at s (10 bytes the caller has) "YYYY-MM-DD" and a day of
 * the Gregorian calendar (the month's real length, 29 February in leap
 * years)? Its number of days from 1970-01-01 in *days (date.c). */
bool oak_date_days(const char *s, int64_t *days);
static inline bool
oak_time8(const char *s, int *h, int *m, int *sec)
{
	*h = oak_2digits(s);
	*m = oak_2digits(s + 3);
	*sec = oak_2digits(s + 6);
	return (*h | *m | *sec) >= 0 && s[2] == ':' && s[5] == ':';
}

/* Prints "PROG VERSION" and exits 0 (every program's --version). */
_Noreturn void oak_version(void);

/* ---- buf.c -------------------------------------------------------- */
/* A growable byte buffer; data is kept NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
/* Room for need bytes in all (the NUL among them). */
void buf_grow_to(struct buf *b, size_t need);
/* Room for extra bytes more. It and the adds below are inline: the
 * check of room is all most calls make, and a line is written with tens
 * of them. */
static inline void
buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow_to(b, b->len + extra + 1);
}
/* memcpy(dst, src, n) inline for n up to 16 (its loads before its
 * stores): most of what a writer adds is a short key or value, for
 * which a call to memcpy costs more than the copy. */
static inline void
oak_bytes_copy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	uint64_t a, b;
	uint32_t u, v;

	if (n > 16) {
		memcpy(d, s, n);
	} else if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&u, s, 4);
		memcpy(&v, s + n - 4, 4);
		memcpy(d, &u, 4);
		memcpy(d + n - 4, &v, 4);
	} else {
		for (; n > 0; n--)
			*d++ = *s++;
	}
}

static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	oak_bytes_copy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}
static inline void
buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes the whole buffer to fp; a failure exits 3. */
void buf_write(const struct buf *b, FILE *fp);

/* ---- line.c ------------------------------------------------------- */
/*
 * Reads lines of any length from a file descriptor. "\n" and "\r\n"
 * endings are stripped; a last line without a newline is returned with
 * had_newline false. text is NUL-terminated and valid until the next call.
 */
struct line {
	char *text;
	size_t len;
	long no;           /* 1-based line number */
	bool had_newline;
	long long offset;  /* byte offset of the line's start in the input */
};
struct line_reader;
/* path "-" or NULL reads stdin. Returns NULL with errno set on failure. */
struct line_reader *line_open(const char *path);
const char *line_name(const struct line_reader *r); /* "-" shows as "-" */
/* 1: a line is in *ln; 0: end of input; -1: read error (errno set). */
int line_next(struct line_reader *r, struct line *ln);
void line_close(struct line_reader *r);
/* Does the line hold only whitespace (or nothing)? Such a line holds no
 * record and is skipped without a word, as the seed's reader does. */
bool line_blank(const char *text, size_t len);
/*
 * Calls fn(arg, file, line) for each non-blank line of each of the nfile
 * files named (or of stdin when nfile is 0; "-" is stdin too), in order.
 * A file that cannot be opened or read is fatal (exit 3), as for cat.
 */
void line_each(int nfile, char **files,
	       void (*fn)(void *arg, const char *file, const struct line *ln),
	       void *arg);

/* ---- hash.c ------------------------------------------------------- */
/*
 * A string-keyed hash table with open addressing. Keys are copied; values
 * are one pointer-sized slot the caller owns. ht_put returns the value
 * slot of key, inserting a NULL one when new (*created tells which).
 */
struct ht;
struct ht *ht_create(void);
void ht_release(struct ht *h);
void **ht_find(const struct ht *h, const char *key, size_t len);
void **ht_put(struct ht *h, const char *key, size_t len, bool *created);
uint64_t oak_hash(const void *p, size_t len);  /* FNV-1a 64 */
/* A hash of no fixed value (it may change with a release): for tables
 * only, eight bytes a step. */
uint64_t oak_hash_fast(const void *p, size_t len);

/* Do the n bytes at a and b match? memcmp(a, b, n) == 0 inline, eight
 * bytes a load (the last load overlapping the one before) or four: for
 * the short keys and ids compared on every line, a call to memcmp, or a
 * byte loop for the tail, costs more than the compare. */
static inline bool
oak_bytes_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;
	uint64_t x, y;
	uint32_t u, v, w, z;

	if (n >= 8) {
		for (; n > 8; n -= 8, p += 8, q += 8) {
			memcpy(&x, p, 8);
			memcpy(&y, q, 8);
			if (x != y)
				return false;
		}
		memcpy(&x, p + n - 8, 8);
		memcpy(&y, q + n - 8, 8);
		return x == y;
	}
	if (n >= 4) {
		memcpy(&u, p, 4);
		memcpy(&v, q, 4);
		memcpy(&w, p + n - 4, 4);
		memcpy(&z, q + n - 4, 4);
		return u == v && w == z;
	}
	for (; n > 0; n--)
		if (*p++ != *q++)
			return false;
	return true;
}

#endif
