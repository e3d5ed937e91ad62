/*
 * store.c: the telemetry directory. Appends are oak_append_line's
 * (base/append.h, shared with oak-import): one write(2) of a whole line
 * under flock(2), a torn last line ended first. Lookups read a log
 * backwards from its end in blocks, so a recent record costs the same
 * whatever the size of the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define SCAN_BLOCK 65536

const char *
store_dir(const char *dir)
{
	const char *env;

	if (dir != NULL)
		return dir;
	env = getenv("OAK_TELEMETRY_DIR");
	if (env != NULL && *env != '\0')
		return env;
	return "telemetry";
}

bool
store_disabled(void)
{
	static const char *const off[] = { "false", "0", "no", "off", NULL };
	const char *env = getenv("OAK_TELEMETRY_ENABLED");
	size_t k;

	if (env == NULL)
		return false;
	for (k = 0; off[k] != NULL; k++)
		if (strcasecmp(env, off[k]) == 0)
			return true;
	return false;
}

static char *
join(const char *dir, const char *name)
{
	struct buf path;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, name);
	return path.data;
}

/* The first occurrence of needle in p[0..len), or NULL (memmem is not
 * POSIX). */
static const char *
find_bytes(const char *p, size_t len, const char *needle, size_t nlen)
{
	const char *end = p + len, *hit;

	while ((size_t)(end - p) >= nlen &&
	       (hit = memchr(p, needle[0], (size_t)(end - p) - nlen + 1)) !=
		       NULL) {
		if (memcmp(hit, needle, nlen) == 0)
			return hit;
		p = hit + 1;
	}
	return NULL;
}

/* Calls match on each whole line of text[0..len) that holds needle,
 * last line first, until one matches. Returns true when one did. */
static bool
scan_lines(const char *text, size_t len, const char *needle, size_t nlen,
	   bool (*match)(const char *, size_t, void *), void *arg)
{
	const char *limit = text + len, *from = text, *hit, *start, *end;
	const char **hits = NULL;
	size_t nhits = 0, cap = 0;
	bool found = false;

	/* hits are rare (an id is in a file once or twice): collect them
	 * forward, then try their lines from the last back */
	while ((hit = find_bytes(from, (size_t)(limit - from), needle,
				 nlen)) != NULL) {
		if (nhits == cap) {
			cap = cap ? cap * 2 : 8;
			hits = oak_realloc(hits, cap * sizeof(*hits));
		}
		hits[nhits++] = hit;
		end = memchr(hit, '\n', (size_t)(limit - hit));
		from = end != NULL ? end : limit;
	}
	while (!found && nhits > 0) {
		hit = hits[--nhits];
		start = hit;
		while (start > text && start[-1] != '\n')
			start--;
		end = memchr(hit, '\n', (size_t)(limit - hit));
		if (end == NULL)
			end = limit;
		if (end > start && end[-1] == '\r')
			end--;
		found = match(start, (size_t)(end - start), arg);
	}
	free(hits);
	return found;
}

int
store_scan_back(const char *dir, const char *name, const char *needle,
		size_t needle_len,
		bool (*match)(const char *line, size_t len, void *arg),
		void *arg)
{
	char *path = join(dir, name);
	struct buf window;  /* one block, then the partial line after it */
	struct stat st;
	off_t pos;
	size_t n, carry = 0, first;
	ssize_t got;
	char *nl;
	int fd, rc = -1;

	buf_init(&window);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			rc = 0;
		else
			oak_warn("%s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		oak_warn("%s: %s", path, strerror(errno));
		goto out;
	}
	pos = st.st_size;
	rc = 0;
	while (pos > 0 && rc == 0) {
		n = pos > SCAN_BLOCK ? SCAN_BLOCK : (size_t)pos;
		pos -= (off_t)n;
		/* window = block + carry (the line the block's end cut) */
		window.len = carry;
		buf_grow(&window, n);
		memmove(window.data + n, window.data, carry);
		got = pread(fd, window.data, n, pos);
		if (got != (ssize_t)n) {
			oak_warn("%s: %s", path,
				 got < 0 ? strerror(errno) : "file shrank");
			rc = -1;
			break;
		}
		window.len = n + carry;
		/* lines wholly inside: after the first newline, or all at 0 */
		first = 0;
		if (pos > 0) {
			nl = memchr(window.data, '\n', window.len);
			if (nl == NULL) {
				carry = window.len;
				continue;
			}
			first = (size_t)(nl - window.data) + 1;
		}
		if (scan_lines(window.data + first, window.len - first,
			       needle, needle_len, match, arg))
			rc = 1;
		carry = first;
	}
out:
	if (fd >= 0)
		close(fd);
	buf_release(&window);
	free(path);
	return rc;
}

struct invocation_match {
	const char *id;
	struct buf *line;
};

static bool
is_invocation(const char *line, size_t len, void *arg)
{
	struct invocation_match *m = arg;
	struct json_doc doc;
	struct buf value;
	const char *why;
	bool ok = false;
	int v;

	json_doc_init(&doc);
	buf_init(&value);
	if (json_parse(&doc, line, len, &why) == 0) {
		v = json_get(&doc, 0, "invocation_id");
		if (json_is_string(&doc, v)) {
			json_unescape(&doc, v, &value);
			ok = value.data != NULL &&
			     value.len == strlen(m->id) &&
			     memcmp(value.data, m->id, value.len) == 0;
		}
	}
	if (ok && m->line != NULL) {
		buf_reset(m->line);
		buf_add(m->line, line, len);
	}
	buf_release(&value);
	json_doc_release(&doc);
	return ok;
}

int
store_find_invocation(const char *dir, const char *id, struct buf *start)
{
	struct invocation_match m = { id, start };
	struct buf needle;
	int rc;

	buf_init(&needle);
	jw_cstring(&needle, id);
	rc = store_scan_back(dir, INVOCATIONS_FILE, needle.data, needle.len,
			     is_invocation, &m);
	buf_release(&needle);
	return rc;
}
