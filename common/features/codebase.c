/*
 * codebase.c: the tree of a working directory. In a git work tree the
 * files are those of "git ls-files" at its top; elsewhere a walk of the
 * folder that follows no symlink and skips hidden folders. Both skip
 * vendored and generated folders. Each file's path gives its language
 * (by extension), whether it is a test, documentation, a CI workflow or
 * a manifest; lines are counted in source files until the deadline.
 * cache.c keeps the result per repository and commit.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "features/scan.h"

#define WALK_MAX 200000          /* entries a walk looks at */
#define LOC_FILE_MAX (1 << 20)   /* larger files are not counted */

const struct language languages[] = {
	{ "C", "c h" }, { "C++", "cc cpp cxx hh hpp hxx" },
	{ "C#", "cs" }, { "Clojure", "clj cljs" }, { "CSS", "css scss sass less" },
	{ "Dart", "dart" }, { "Elixir", "ex exs" }, { "Erlang", "erl" },
	{ "F#", "fs" }, { "Go", "go" }, { "Haskell", "hs" },
	{ "HTML", "html htm" }, { "Java", "java" },
	{ "JavaScript", "js jsx mjs cjs" }, { "Kotlin", "kt kts" },
	{ "Lua", "lua" }, { "OCaml", "ml mli" }, { "Objective-C", "m mm" },
	{ "PHP", "php" }, { "Perl", "pl pm" }, { "Python", "py" },
	{ "R", "r R" }, { "Ruby", "rb" }, { "Rust", "rs" },
	{ "SQL", "sql" }, { "Scala", "scala" }, { "Shell", "sh bash zsh" },
	{ "Svelte", "svelte" }, { "Swift", "swift" },
	{ "TypeScript", "ts tsx mts cts" }, { "Vue", "vue" }, { "Zig", "zig" },
};
const size_t nlanguages = sizeof(languages) / sizeof(languages[0]);

/* Folders whose files are someone else's or generated. */
static const char *const skipped[] = {
	"node_modules", "vendor", "third_party", "third-party", "external",
	"bower_components", "Pods", "dist", "build", "out", "target",
	"coverage", "__pycache__", "venv", ".venv", ".tox", ".next", ".nuxt",
	"generated", NULL
};

/* Folders and basename patterns that make a file a test. */
static const char *const test_dirs[] = {
	"test", "tests", "spec", "specs", "__tests__", "testing", NULL
};
static const char *const doc_dirs[] = {
	"doc", "docs", "documentation", "man", NULL
};
/* CI configuration, from the top of the tree. */
static const char *const ci_files[] = {
	".gitlab-ci.yml", ".travis.yml", ".circleci/config.yml",
	"Jenkinsfile", "azure-pipelines.yml", "bitbucket-pipelines.yml",
	".drone.yml", ".buildkite/pipeline.yml", NULL
};

static bool
in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(s, *list, n) == 0)
			return true;
	return false;
}

enum { SKIPPED = 1, TEST_DIR = 2, DOC_DIR = 4 };

/* Fills the scan's lookup tables: extension to language + 1, folder
 * name to its SKIPPED, TEST_DIR, DOC_DIR bits. */
static void
tables_fill(struct scan *s)
{
	const char *const *lists[] = { skipped, test_dirs, doc_dirs };
	const char *p;
	size_t k, n;
	int bit;

	s->exts = ht_create();
	s->dirs = ht_create();
	for (k = 0; k < nlanguages; k++)
		for (p = languages[k].exts; *p != '\0'; p += n) {
			p += strspn(p, " ");
			n = strcspn(p, " ");
			*ht_put(s->exts, p, n, NULL) = (void *)(k + 1);
		}
	for (bit = 0; bit < 3; bit++)
		for (k = 0; lists[bit][k] != NULL; k++) {
			void **slot = ht_put(s->dirs, lists[bit][k],
					     strlen(lists[bit][k]), NULL);

			*slot = (void *)((uintptr_t)*slot | (1u << bit));
		}
}

/* The language of a basename's extension, or -1. */
static int
language_of(const struct scan *s, const char *base)
{
	const char *dot = strrchr(base, '.');
	void **slot;

	if (dot == NULL || dot == base || dot[1] == '\0')
		return -1;
	slot = ht_find(s->exts, dot + 1, strlen(dot + 1));
	return slot != NULL ? (int)(uintptr_t)*slot - 1 : -1;
}

/* The bits of a folder name. */
static unsigned
dir_bits(const struct scan *s, const char *name, size_t n)
{
	void **slot = ht_find(s->dirs, name, n);

	return slot != NULL ? (unsigned)(uintptr_t)*slot : 0;
}

/* Is the basename a test by its name: test_x, x_test.y, x.test.y,
 * x.spec.y, xTest.java, x_spec.rb? */
static bool
test_name(const char *base)
{
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL ? (size_t)(dot - base) : strlen(base);

	return strncmp(base, "test_", 5) == 0 ||
	       (n > 5 && memcmp(base + n - 5, "_test", 5) == 0) ||
	       (n > 5 && memcmp(base + n - 5, ".test", 5) == 0) ||
	       (n > 5 && memcmp(base + n - 5, ".spec", 5) == 0) ||
	       (n > 5 && memcmp(base + n - 5, "_spec", 5) == 0) ||
	       (n > 4 && memcmp(base + n - 4, "Test", 4) == 0);
}

/* Lines of the file top/path: newlines, plus one for a last line
 * without. -1 when unreadable or larger than LOC_FILE_MAX. */
static long
count_lines(const char *top, const char *path)
{
	char name[4096], chunk[65536];
	long lines = 0;
	ssize_t n, total = 0, k;
	char last = '\n';
	int fd;

	if ((size_t)snprintf(name, sizeof(name), "%s/%s", top, path) >=
	    sizeof(name))
		return -1;
	fd = open(name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		total += n;
		if (total > LOC_FILE_MAX)
			break;
		for (k = 0; k < n; k++)
			lines += chunk[k] == '\n';
		last = chunk[n - 1];
	}
	close(fd);
	if (n < 0 || total > LOC_FILE_MAX)
		return -1;
	return lines + (last != '\n');
}

/* One file of the tree, its path from the top (top/path). */
static void
scan_file(struct scan *s, const char *top, const char *path)
{
	const char *base = path, *p;
	bool in_tests = false, in_docs = false;
	long lines;
	int lang;

	unsigned bits;

	for (p = path; (p = strchr(p, '/')) != NULL; base = ++p) {
		bits = dir_bits(s, base, (size_t)(p - base));
		if (bits & SKIPPED)
			return;
		in_tests |= (bits & TEST_DIR) != 0;
		in_docs |= (bits & DOC_DIR) != 0;
	}
	s->files++;
	s->tests |= in_tests || test_name(base);
	s->docs |= in_docs || (base == path && strncasecmp(base, "readme", 6) == 0);
	s->ci |= (base == path || path[0] == '.') &&
		 (in_list(path, strlen(path), ci_files) ||
		 (strncmp(path, ".github/workflows/", 18) == 0 &&
		  strchr(path + 18, '/') == NULL &&
		  (strstr(base, ".yml") != NULL ||
		   strstr(base, ".yaml") != NULL)));
	if (manifest_name(base) && s->nmanifest < MANIFESTS_MAX &&
	    (base == path || strchr(path, '/') == base - 1))
		s->manifest[s->nmanifest++] = oak_strdup(path);
	lang = language_of(s, base);
	if (lang < 0)
		return;
	s->lang_files[lang]++;
	if (s->loc_stopped)
		return;
	if (now_ms() >= s->deadline) {
		s->loc_stopped = s->partial = true;
		return;
	}
	lines = count_lines(top, path);
	if (lines > 0)
		s->loc += (unsigned long long)lines;
}

/* The files git tracks in the work tree top: its index, read here, else
 * "git ls-files" until the deadline. */
bool
scan_git(struct scan *s, const char *top, const char *gitdir)
{
	char *args[] = { "ls-files", "-z", NULL };
	struct buf out;
	const char *p, *end;
	int rc = 0;

	buf_init(&out);
	if (index_paths(gitdir, &out) < 0)
		rc = git_run(top, args, s->deadline, &out);
	if (rc < 0) {
		buf_release(&out);
		return false;
	}
	if (rc == 1)
		s->partial = true;
	/* whole names only: a killed git may leave the last one cut */
	for (p = out.data, end = out.data + out.len; p != NULL && p < end;
	     p += strlen(p) + 1)
		if (rc == 0 || memchr(p, '\0', (size_t)(end - p)) != NULL)
			scan_file(s, top, p);
	buf_release(&out);
	return true;
}

/* Does the walk go into the folder name? */
static bool
walk_into(const char *name)
{
	if (name[0] == '.')
		return strcmp(name, ".github") == 0 ||
		       strcmp(name, ".circleci") == 0 ||
		       strcmp(name, ".buildkite") == 0;
	return !in_list(name, strlen(name), skipped);
}


/* Is top/rel the folder the scan leaves out (the telemetry folder)? */
static bool
is_skip_path(const struct scan *s, const char *top, const char *rel)
{
	size_t n = strlen(top);

	return s->skip_path != NULL && strncmp(s->skip_path, top, n) == 0 &&
	       s->skip_path[n] == '/' && strcmp(s->skip_path + n + 1, rel) == 0;
}

/* Walks the folder top/rel (rel "" for top), depth first. */
static void
walk(struct scan *s, const char *top, const char *rel, unsigned long *seen,
     int depth)
{
	char dir[4096], path[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s%s%s", top, *rel ? "/" : "", rel);
	if (depth > 32 || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (++*seen > WALK_MAX || s->loc_stopped ||
		    (*seen % 256 == 0 && now_ms() >= s->deadline)) {
			s->partial = true;
			break;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s%s%s", rel,
				     *rel ? "/" : "", e->d_name) >= sizeof(path))
			continue;
		if (e->d_type == DT_UNKNOWN) {
			if (fstatat(dirfd(d), e->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) < 0)
				continue;
			e->d_type = S_ISDIR(st.st_mode) ? DT_DIR :
				    S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
		}
		if (e->d_type == DT_DIR && walk_into(e->d_name) &&
		    !is_skip_path(s, top, path))
			walk(s, top, path, seen, depth + 1);
		else if (e->d_type == DT_REG)
			scan_file(s, top, path);
		if (s->partial)
			break;
	}
	closedir(d);
}

void
scan_walk(struct scan *s, const char *top, const char *skip_dir)
{
	char *real = skip_dir != NULL ? realpath(skip_dir, NULL) : NULL;

	s->skip_path = real;
	unsigned long seen = 0;

	walk(s, top, "", &seen, 0);
	s->skip_path = NULL;
	free(real);
}

void
scan_init(struct scan *s, long long deadline)
{
	memset(s, 0, sizeof(*s));
	s->deadline = deadline;
	s->lang_files = oak_calloc(nlanguages, sizeof(*s->lang_files));
	tables_fill(s);
}

void
scan_release(struct scan *s)
{
	int k;

	for (k = 0; k < s->nmanifest; k++)
		free(s->manifest[k]);
	free(s->lang_files);
	ht_release(s->exts);
	ht_release(s->dirs);
}
