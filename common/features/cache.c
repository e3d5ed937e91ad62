/*
 * cache.c: the codebase and context of a working directory, and their
 * cache. In a git work tree whose HEAD names a commit, the tree's
 * figures are kept in CACHE_DIR/codebase-HASH.json (HASH: of the work
 * tree's path), a small file holding that path, the commit and the
 * figures; a call in the same commit reads it and scans nothing. A scan
 * cut short by the deadline writes what it has with "partial": true,
 * and a detached child finishes it and writes the cache. git_branch and
 * git_clean change without a commit: they are read on every call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/append.h"
#include "features/scan.h"

#define CACHE_MAX (64 * 1024)        /* a cache file larger is ignored */
#define BACKGROUND_BUDGET_MS 30000   /* a detached scan's own budget */

/* Languages by files, most first, ties by name (the table's order). */
static void
write_languages(struct buf *out, const struct scan *s)
{
	bool *done = oak_calloc(nlanguages, sizeof(*done));
	size_t k, best, shown;

	jw_key(out, "languages");
	buf_addc(out, '[');
	for (shown = 0; shown < 10; shown++) {
		best = nlanguages;
		for (k = 0; k < nlanguages; k++)
			if (!done[k] && s->lang_files[k] > 0 &&
			    (best == nlanguages ||
			     s->lang_files[k] > s->lang_files[best]))
				best = k;
		if (best == nlanguages)
			break;
		done[best] = true;
		jw_sep(out);
		jw_cstring(out, languages[best].name);
	}
	buf_addc(out, ']');
	free(done);
}

/* The cached part: {"root", "commit", "codebase", "context"}. */
static void
tree_write(struct buf *out, const struct repo *r, const struct scan *s,
	   const char *top, long long status_ms)
{
	buf_addc(out, '{');
	jw_key(out, "root");
	jw_cstring(out, top);
	jw_key(out, "commit");
	jw_cstring(out, r->commit);
	if (status_ms >= 0) {
		jw_key(out, "status_ms");
		jw_int(out, status_ms);
	}
	jw_key(out, "codebase");
	buf_addc(out, '{');
	write_languages(out, s);
	jw_key(out, "frameworks");
	buf_addc(out, '[');
	frameworks_write(out, top, (char **)s->manifest, s->nmanifest);
	buf_addc(out, ']');
	jw_key(out, "loc");
	jw_int(out, (long long)s->loc);
	jw_key(out, "file_count");
	jw_int(out, (long long)s->files);
	if (r->repository != NULL) {
		jw_key(out, "repository");
		jw_cstring(out, r->repository);
	}
	if (s->partial) {
		jw_key(out, "partial");
		buf_adds(out, "true");
	}
	buf_addc(out, '}');
	jw_key(out, "context");
	buf_addc(out, '{');
	jw_key(out, "tests_exist");
	buf_adds(out, s->tests ? "true" : "false");
	jw_key(out, "docs_exist");
	buf_adds(out, s->docs ? "true" : "false");
	jw_key(out, "ci_exists");
	buf_adds(out, s->ci ? "true" : "false");
	buf_addc(out, '}');
	buf_addc(out, '}');
}

/*
 * git_clean: no change to tracked files and no untracked file that is
 * not ignored ("git status --porcelain" prints nothing), the telemetry
 * folder aside when it is inside the work tree. 1 clean, 0 not, -1
 * unknown (git failed, or still ran at the deadline); its time in *ms.
 */
static int
git_clean(const struct repo *r, const char *cache_dir, long long deadline,
	  long long *ms)
{
	char *args[8] = { "status", "--porcelain", "--ignore-submodules" };
	char *real = cache_dir ? realpath(cache_dir, NULL) : NULL;
	size_t n = strlen(r->root);
	long long start = now_ms();
	struct buf status, exclude;
	int rc;

	buf_init(&status);
	buf_init(&exclude);
	if (real != NULL && strncmp(real, r->root, n) == 0 && real[n] == '/') {
		buf_printf(&exclude, ":(exclude,top)%s", real + n + 1);
		args[3] = "--";
		args[4] = ".";
		args[5] = exclude.data;
	}
	rc = git_run(r->root, args, deadline, &status);
	*ms = now_ms() - start;
	rc = rc != 0 ? -1 : status.len == 0;
	buf_release(&status);
	buf_release(&exclude);
	free(real);
	return rc;
}

/* Scans the tree of r (its work tree, else the folder) into out until
 * deadline, then, when it was not cut short, runs git status until
 * status_deadline (*clean as git_clean). Returns true when the deadline
 * cut the scan short. */
static bool
tree_scan(const struct repo *r, const char *cache_dir, long long deadline,
	  long long status_deadline, struct buf *out, int *clean)
{
	struct scan s;
	const char *top = r->root != NULL ? r->root : r->cwd;
	long long ms = -1;
	bool partial;

	scan_init(&s, deadline);
	if (r->root == NULL || !scan_git(&s, top, r->gitdir))
		scan_walk(&s, top, cache_dir);
	/* a scan cut short means a large tree, where git status would be
	 * slow too: left to the background */
	*clean = -1;
	if (r->root != NULL && !s.partial)
		*clean = git_clean(r, cache_dir, status_deadline, &ms);
	buf_reset(out);
	tree_write(out, r, &s, top, *clean >= 0 ? ms : -1);
	partial = s.partial;
	scan_release(&s);
	return partial;
}

/* CACHE_DIR/codebase-HASH.json for the work tree of r. */
static char *
cache_path(const struct repo *r, const char *cache_dir)
{
	struct buf p;

	buf_init(&p);
	buf_printf(&p, "%s/codebase-%016llx.json", cache_dir,
		   (unsigned long long)oak_hash(r->root, strlen(r->root)));
	return p.data;
}

/* Does string token i of doc equal s? */
static bool
string_is(const struct json_doc *doc, int i, const char *s)
{
	struct buf text;
	bool same;

	if (!json_is_string(doc, i))
		return false;
	buf_init(&text);
	json_unescape(doc, i, &text);
	same = text.len == strlen(s) && memcmp(text.data ? text.data : "", s,
					       text.len) == 0;
	buf_release(&text);
	return same;
}

/* The cache of r's work tree when it is complete and for r's commit:
 * one read of one small file. */
static bool
cache_read(const struct repo *r, const char *path, struct json_doc *doc,
	   struct buf *text)
{
	const char *why;
	int codebase;

	if (read_file_max(path, text, CACHE_MAX) < 0 || text->len >= CACHE_MAX ||
	    json_parse(doc, text->data, text->len, &why) < 0 ||
	    !json_is_object(doc, 0))
		return false;
	codebase = json_get(doc, 0, "codebase");
	return string_is(doc, json_get(doc, 0, "commit"), r->commit) &&
	       string_is(doc, json_get(doc, 0, "root"), r->root) &&
	       json_is_object(doc, codebase) &&
	       json_get(doc, codebase, "partial") < 0 &&
	       json_is_object(doc, json_get(doc, 0, "context"));
}

/* Writes text to path through a temporary file renamed over it, so a
 * reader sees the old file or the new one; the folder is made (0700)
 * when missing. Failures leave no cache, silently: it is only a cache. */
static void
cache_write(const char *cache_dir, const char *path, const struct buf *text)
{
	struct buf tmp;
	ssize_t n;
	int fd;

	if (oak_make_dirs(cache_dir, 0700, 0700) < 0)
		return;
	buf_init(&tmp);
	buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		n = write(fd, text->data, text->len);
		if (close(fd) == 0 && n == (ssize_t)text->len &&
		    rename(tmp.data, path) == 0) {
			buf_release(&tmp);
			return;
		}
		unlink(tmp.data);
	}
	buf_release(&tmp);
}

/*
 * A scan cut short: a detached child (its own session, every descriptor
 * closed, so no caller waits for it; not waited for either: when the
 * caller exits first, init reaps it) scans again with a budget of its
 * own and writes the cache. The caller goes on at once.
 */
static void
finish_in_background(const struct repo *r, const char *cache_dir,
		     const char *path)
{
	struct buf text;
	long long end;
	int fd, lock, clean;

	if (fork() != 0)
		return;
	setsid();
	for (fd = 0; fd < 1024; fd++)
		close(fd);
	fd = open("/dev/null", O_RDWR);
	if (fd == 0) {
		dup2(0, 1);
		dup2(0, 2);
	}
	buf_init(&text);
	buf_printf(&text, "%s.lock", path);
	/* the folder first: the caller may not have made it yet (oak-log
	 * makes the telemetry folder as it appends, after this fork; a lock
	 * that could not be made ended the child without a word, and no
	 * cache was ever written, about 1 run in 6 of log-features.bats) */
	lock = oak_make_dirs(cache_dir, 0700, 0700) < 0 ? -1 :
	       open(text.data, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0)
		_exit(0);  /* another call is finishing it */
	end = now_ms() + BACKGROUND_BUDGET_MS;
	if (!tree_scan(r, cache_dir, end, end, &text, &clean))
		cache_write(cache_dir, path, &text);
	buf_reset(&text);
	buf_printf(&text, "%s.lock", path);
	unlink(text.data);
	_exit(0);
}

static void
write_git_state(struct buf *out, const struct repo *r, int clean)
{
	if (clean >= 0) {
		jw_key(out, "git_clean");
		buf_adds(out, clean ? "true" : "false");
	}
	if (r->branch != NULL) {
		jw_key(out, "git_branch");
		jw_cstring(out, r->branch);
	}
}

/* Copies the members of object obj of doc, raw. */
static void
copy_members(struct buf *out, const struct json_doc *doc, int obj)
{
	const char *p;
	size_t len;
	int k, v;

	for (k = 0, v = obj + 1; k < doc->tok[obj].size; k++) {
		jw_sep(out);
		p = json_span(doc, v, &len);
		buf_add(out, p, len);
		buf_adds(out, ": ");
		p = json_span(doc, v + 1, &len);
		buf_add(out, p, len);
		v = json_skip(doc, v + 1);
	}
}

/* "codebase": {...}, "context": {...} from the tree and the git state. */
static void
write_groups(struct buf *out, const struct json_doc *doc,
	     const struct repo *r, int clean)
{
	jw_key(out, "codebase");
	buf_addc(out, '{');
	copy_members(out, doc, json_get(doc, 0, "codebase"));
	buf_addc(out, '}');
	jw_key(out, "context");
	buf_addc(out, '{');
	copy_members(out, doc, json_get(doc, 0, "context"));
	write_git_state(out, r, clean);
	buf_addc(out, '}');
}

void
features_codebase(struct buf *out, const char *dir, const char *cache_dir,
		  long budget_ms)
{
	long long start = now_ms(), ms;
	bool cached = false, partial;
	struct json_doc doc;
	struct buf text;
	char *path = NULL;
	const char *why;
	struct repo r;
	int clean = -1, v;

	if (!repo_find(&r, dir))
		return;
	json_doc_init(&doc);
	buf_init(&text);
	if (r.root != NULL && r.commit[0] != '\0' && cache_dir != NULL) {
		path = cache_path(&r, cache_dir);
		cached = cache_read(&r, path, &doc, &text);
	}
	if (cached) {
		/* git status only where it has been seen to be quick */
		v = json_get(&doc, 0, "status_ms");
		if (json_is_number(&doc, v) &&
		    json_number(&doc, v) <= budget_ms / 2.0)
			clean = git_clean(&r, cache_dir, start + budget_ms, &ms);
	} else {
		repo_remote(&r);
		partial = tree_scan(&r, cache_dir, start + budget_ms * 2 / 3,
				    start + budget_ms, &text, &clean);
		if (path != NULL && !partial && clean >= 0)
			cache_write(cache_dir, path, &text);
		else if (path != NULL)
			finish_in_background(&r, cache_dir, path);
		if (json_parse(&doc, text.data, text.len, &why) < 0)
			goto out;  /* cannot happen: tree_write writes JSON */
	}
	write_groups(out, &doc, &r, clean);
out:
	json_doc_release(&doc);
	buf_release(&text);
	free(path);
	repo_release(&r);
}
