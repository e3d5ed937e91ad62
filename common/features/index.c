/*
 * index.c: the paths of a git index file (.git/index), read without
 * running git: what "git ls-files" lists, in milliseconds where starting
 * git alone can take more. Versions 2 and 3 (names NUL-padded to 8
 * bytes) and 4 (each name a varint of bytes to drop from the previous
 * name, then the rest, NUL-terminated); SHA-1 object names. Anything
 * else (SHA-256, a split or sparse index, a file that does not add up)
 * is refused, and the caller runs git instead.
 */
#include <stdlib.h>
#include <string.h>

#include "features/scan.h"

#define INDEX_MAX (512u << 20)   /* a larger index is left to git */
#define ENTRY_FIXED 62           /* stat data, SHA-1, flags */
#define FLAG_EXTENDED 0x4000

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	       (unsigned long)p[2] << 8 | p[3];
}

/* A version 4 name length prefix (git's offset varint); -1 if bad. */
static long
varint(const unsigned char **p, const unsigned char *end)
{
	unsigned long long v;
	unsigned char c;

	if (*p >= end)
		return -1;
	c = *(*p)++;
	v = c & 0x7f;
	while (c & 0x80) {
		if (*p >= end || v > (1ull << 40))
			return -1;
		c = *(*p)++;
		v = ((v + 1) << 7) | (c & 0x7f);
	}
	return (long)v;
}

/* Checks what comes after the entries: extensions, none of which may
 * be "link" (split index) or "sdir" (sparse), then the checksum. */
static bool
extensions_ok(const unsigned char *p, const unsigned char *end)
{
	unsigned long size;

	while (end - p > 20) {
		if (end - p < 28)
			return false;
		if (memcmp(p, "link", 4) == 0 || memcmp(p, "sdir", 4) == 0)
			return false;
		size = be32(p + 4);
		if (size > (unsigned long)(end - p - 28))
			return false;
		p += 8 + size;
	}
	return end - p == 20;
}

int
index_paths(const char *gitdir, struct buf *paths)
{
	struct buf file, name, path;
	size_t last = 0;   /* offset in paths of the last name kept */
	const unsigned char *p, *end, *nul;
	unsigned long version, count, k, flags, mode;
	long drop;
	int rc = -1;

	buf_reset(paths);
	buf_init(&file);
	buf_init(&name);
	buf_init(&path);
	buf_printf(&path, "%s/index", gitdir);
	if (read_file_max(path.data, &file, INDEX_MAX) < 0 || file.len < 32 ||
	    file.len >= INDEX_MAX || memcmp(file.data, "DIRC", 4) != 0)
		goto out;
	p = (const unsigned char *)file.data;
	end = p + file.len;
	version = be32(p + 4);
	count = be32(p + 8);
	if (version < 2 || version > 4)
		goto out;
	p += 12;
	buf_addc(&name, '\0');
	for (k = 0; k < count; k++) {
		const unsigned char *entry = p;

		if (end - p < ENTRY_FIXED + 20)
			goto out;
		mode = be32(p + 24);
		flags = (unsigned long)p[60] << 8 | p[61];
		p += ENTRY_FIXED;
		if (flags & FLAG_EXTENDED) {
			if (version < 3)
				goto out;
			p += 2;
		}
		if ((mode & 0170000) == 0040000)
			goto out;  /* a sparse index's folder */
		if (version == 4) {
			drop = varint(&p, end);
			if (drop < 0 || (size_t)drop > name.len - 1)
				goto out;
			name.len -= (size_t)drop + 1;
		} else {
			name.len = 0;
		}
		nul = memchr(p, '\0', (size_t)(end - p));
		if (nul == NULL)
			goto out;
		buf_add(&name, p, (size_t)(nul - p));
		buf_addc(&name, '\0');
		p = nul + 1;
		if (version < 4)   /* NUL padding to a multiple of 8 */
			p = entry + ((size_t)(p - entry) + 7) / 8 * 8;
		if (p > end)
			goto out;
		/* a conflict's stages are entries of one name: kept once */
		if (k == 0 || strcmp(paths->data + last, name.data) != 0) {
			last = paths->len;
			buf_add(paths, name.data, name.len);
		}
	}
	if (extensions_ok(p, end))
		rc = 0;
out:
	buf_release(&file);
	buf_release(&name);
	buf_release(&path);
	return rc;
}
