/*
 * state.c: the state file, TELEMETRY/oak-import.state: for each
 * transcript read, its size and modification time when it was read,
 * one "SIZE SECONDS NANOSECONDS PATH" line each. A session whose files
 * are all as recorded is skipped without being opened. The file only
 * saves time: deleted, the next run reads everything again and the
 * invocation ids still keep the logs free of doubles. It is rewritten
 * whole (a temporary file renamed over it), so it is never half written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"

struct entry {
	char *path;
	long long size;        /* -1: to be read again */
	long long sec;
	long nsec;
};

struct state {
	char *path;
	struct ht *index;      /* path -> index + 1 into entry */
	struct entry *entry;
	size_t n, cap;
	bool dirty;
};

static struct entry *
entry_of(struct state *st, const char *path)
{
	size_t len = strlen(path);
	bool created;
	void **slot = ht_put(st->index, path, len, &created);

	if (created) {
		if (st->n == st->cap) {
			st->cap = st->cap ? 2 * st->cap : 64;
			st->entry = oak_realloc(st->entry,
						st->cap * sizeof(*st->entry));
		}
		memset(&st->entry[st->n], 0, sizeof(*st->entry));
		st->entry[st->n].path = oak_strndup(path, len);
		st->entry[st->n].size = -1;
		*slot = (void *)(uintptr_t)++st->n;
	}
	return &st->entry[(uintptr_t)*slot - 1];
}

/* One line of the state file; false when it is not one. */
static bool
parse_entry(struct state *st, char *text)
{
	long long size, sec, nsec;
	char *p = text, *end;
	struct entry *en;

	size = strtoll(p, &end, 10);
	if (end == p || *end != ' ')
		return false;
	sec = strtoll(p = end + 1, &end, 10);
	if (end == p || *end != ' ')
		return false;
	nsec = strtoll(p = end + 1, &end, 10);
	if (end == p || *end != ' ' || end[1] == '\0' || nsec < 0 ||
	    nsec > 999999999)
		return false;
	en = entry_of(st, end + 1);
	en->size = size;
	en->sec = sec;
	en->nsec = (long)nsec;
	return true;
}

struct state *
state_load(const char *dir)
{
	struct state *st = oak_calloc(1, sizeof(*st));
	struct line_reader *r;
	struct buf path;
	struct line ln;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, STATE_FILE);
	st->path = path.data;
	st->index = ht_create();
	if ((r = line_open(st->path)) == NULL)
		return st;  /* none yet, or deleted: everything is read */
	while (line_next(r, &ln) == 1)
		if (!ln.had_newline || !parse_entry(st, ln.text))
			oak_warn_at(st->path, ln.no,
				    "not a state line: ignored");
	line_close(r);
	return st;
}

void
state_release(struct state *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->entry[i].path);
	free(st->entry);
	ht_release(st->index);
	free(st->path);
	free(st);
}

static bool
same(const struct entry *en, const struct stat *sb)
{
	return en->size == (long long)sb->st_size &&
	       en->sec == (long long)sb->st_mtim.tv_sec &&
	       en->nsec == sb->st_mtim.tv_nsec;
}

bool
state_unchanged(const struct state *st, char **paths, size_t n)
{
	struct stat sb;
	void **slot;
	size_t i;

	for (i = 0; i < n; i++) {
		slot = ht_find(st->index, paths[i], strlen(paths[i]));
		if (slot == NULL || stat(paths[i], &sb) < 0 ||
		    !same(&st->entry[(uintptr_t)*slot - 1], &sb))
			return false;
	}
	return n > 0;
}

void
state_mark(struct state *st, char **paths, size_t n, bool partial)
{
	struct entry *en;
	struct stat sb;
	size_t i;

	for (i = 0; i < n; i++) {
		en = entry_of(st, paths[i]);
		en->size = -1;
		if (!partial && stat(paths[i], &sb) == 0) {
			en->size = (long long)sb.st_size;
			en->sec = (long long)sb.st_mtim.tv_sec;
			en->nsec = sb.st_mtim.tv_nsec;
		}
	}
	st->dirty = true;
}

void
state_save(struct state *st)
{
	struct buf tmp;
	FILE *fp;
	size_t i;

	if (!st->dirty)
		return;
	buf_init(&tmp);
	buf_printf(&tmp, "%s.%ld.tmp", st->path, (long)getpid());
	if ((fp = fopen(tmp.data, "w")) == NULL) {
		oak_warn("%s: %s", tmp.data, strerror(errno));
		buf_release(&tmp);
		return;
	}
	for (i = 0; i < st->n; i++)
		if (st->entry[i].size >= 0 &&
		    strchr(st->entry[i].path, '\n') == NULL)
			fprintf(fp, "%lld %lld %ld %s\n", st->entry[i].size,
				st->entry[i].sec, st->entry[i].nsec,
				st->entry[i].path);
	if (fclose(fp) != 0 || rename(tmp.data, st->path) < 0) {
		oak_warn("%s: %s", st->path, strerror(errno));
		remove(tmp.data);
	}
	buf_release(&tmp);
}
