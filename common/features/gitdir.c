/*
 * gitdir.c: what a repository's .git says, read as files (no git run):
 * the work tree's root (the nearest folder above dir holding .git), the
 * branch and commit of HEAD (loose ref, else packed-refs), and the
 * remote's URL with credentials taken out. A linked worktree's .git is
 * a file naming its git dir, whose commondir holds refs and config.
 * Also git_run: a git command in a folder, bounded in time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "features/scan.h"

/* Reads at most max bytes of path into out (NUL-terminated); 0 or -1. */
int
read_file_max(const char *path, struct buf *out, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	buf_reset(out);
	if (fd < 0)
		return -1;
	buf_grow(out, max + 1);
	while (out->len < max) {
		n = read(fd, out->data + out->len, max - out->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	close(fd);
	out->data[out->len] = '\0';
	return 0;
}

/* The first line of path, without its newline; NULL when unreadable. */
static char *
first_line(const char *path)
{
	struct buf b;

	buf_init(&b);
	if (read_file_max(path, &b, 4096) < 0) {
		buf_release(&b);
		return NULL;
	}
	b.data[strcspn(b.data, "\r\n")] = '\0';
	return b.data;
}

/* dir/name, or name alone when it is absolute. */
static char *
path_in(const char *dir, const char *name)
{
	struct buf p;

	buf_init(&p);
	if (name[0] == '/')
		buf_adds(&p, name);
	else
		buf_printf(&p, "%s/%s", dir, name);
	return p.data;
}

/* The git dir and common dir of the work tree at root. */
static bool
git_dirs(struct repo *r)
{
	char *dotgit = path_in(r->root, ".git"), *line, *p;
	struct stat st;

	if (stat(dotgit, &st) == 0 && S_ISDIR(st.st_mode)) {
		r->gitdir = dotgit;
	} else {
		line = first_line(dotgit);
		free(dotgit);
		if (line == NULL || strncmp(line, "gitdir: ", 8) != 0) {
			free(line);
			return false;
		}
		r->gitdir = path_in(r->root, line + 8);
		free(line);
	}
	p = path_in(r->gitdir, "commondir");
	line = first_line(p);
	free(p);
	r->commondir = line != NULL ? path_in(r->gitdir, line) :
				      oak_strdup(r->gitdir);
	free(line);
	return true;
}

/* The commit of refname (refs/heads/X) from its loose file or packed-refs. */
static void
resolve_ref(struct repo *r, const char *refname)
{
	char *p = path_in(r->commondir, refname), *line = first_line(p);
	struct buf packed;
	const char *q;
	size_t n = strlen(refname);

	free(p);
	if (line != NULL && strlen(line) >= 40) {
		memcpy(r->commit, line, 40);
		free(line);
		return;
	}
	free(line);
	buf_init(&packed);
	p = path_in(r->commondir, "packed-refs");
	if (read_file_max(p, &packed, 1 << 24) == 0) {
		for (q = packed.data; (q = strstr(q, refname)) != NULL; q += n)
			if (q - packed.data >= 41 && q[-1] == ' ' &&
			    (q[n] == '\n' || q[n] == '\r' || q[n] == '\0') &&
			    (q - packed.data == 41 || q[-42] == '\n')) {
				memcpy(r->commit, q - 41, 40);
				break;
			}
	}
	free(p);
	buf_release(&packed);
}

/* The remote's URL as host/path: no scheme, user, password, query or
 * ".git"; scp-like host:path becomes host/path. */
void
url_clean(const char *url, struct buf *out)
{
	const char *scheme = strstr(url, "://");
	const char *p = scheme != NULL ? scheme + 3 : url;
	const char *slash = p + strcspn(p, "/"), *end, *q;
	char *colon;

	for (q = slash; q > p; q--)
		if (q[-1] == '@') {
			p = q;  /* user and password end at the last '@' */
			break;
		}
	end = p + strcspn(p, "?#");
	while (end > p && end[-1] == '/')
		end--;
	if (end - p > 4 && memcmp(end - 4, ".git", 4) == 0)
		end -= 4;
	buf_reset(out);
	buf_add(out, p, (size_t)(end - p));
	buf_addc(out, '\0');
	out->len--;
	colon = strchr(out->data, ':');
	if (scheme == NULL && colon != NULL &&
	    memchr(out->data, '/', (size_t)(colon - out->data)) == NULL)
		*colon = '/';
}

void
repo_remote(struct repo *r)
{
	char *p;
	struct buf cfg, url;
	char *section = NULL, *line, *save = NULL, *v;
	bool origin = false;

	if (r->commondir == NULL)
		return;
	p = path_in(r->commondir, "config");
	buf_init(&cfg);
	buf_init(&url);
	if (read_file_max(p, &cfg, 1 << 20) == 0) {
		for (line = strtok_r(cfg.data, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			line += strspn(line, " \t");
			if (*line == '[') {
				section = line;
				origin = strncmp(line, "[remote \"origin\"]", 17) == 0;
				continue;
			}
			if (section == NULL || strncmp(section, "[remote ", 8) ||
			    strncmp(line, "url", 3) || (r->repository && !origin))
				continue;
			v = line + 3 + strspn(line + 3, " \t");
			if (*v++ != '=')
				continue;
			v += strspn(v, " \t");
			v[strcspn(v, " \t\r\"")] = '\0';
			url_clean(v, &url);
			free(r->repository);
			r->repository = oak_strdup(url.data);
			if (origin)
				break;
		}
	}
	free(p);
	buf_release(&cfg);
	buf_release(&url);
}

bool
repo_find(struct repo *r, const char *dir)
{
	char *path = realpath(dir, NULL), *slash, *dotgit, *head, *p;
	struct stat st;

	memset(r, 0, sizeof(*r));
	if (path == NULL)
		return false;
	r->cwd = oak_strdup(path);
	for (;;) {
		dotgit = path_in(path, ".git");
		if (lstat(dotgit, &st) == 0) {
			free(dotgit);
			r->root = path;
			break;
		}
		free(dotgit);
		slash = strrchr(path, '/');
		if (slash == NULL || slash == path) {
			free(path);
			return true;   /* not in a repository */
		}
		*slash = '\0';
	}
	if (!git_dirs(r))
		return true;
	p = path_in(r->gitdir, "HEAD");
	head = first_line(p);
	free(p);
	if (head != NULL && strncmp(head, "ref: ", 5) == 0) {
		if (strncmp(head + 5, "refs/heads/", 11) == 0)
			r->branch = oak_strdup(head + 16);
		resolve_ref(r, head + 5);
	} else if (head != NULL && strlen(head) >= 40) {
		memcpy(r->commit, head, 40);
	}
	free(head);
	return true;
}

void
repo_release(struct repo *r)
{
	free(r->cwd);
	free(r->root);
	free(r->gitdir);
	free(r->commondir);
	free(r->branch);
	free(r->repository);
}

/* Milliseconds on the monotonic clock. */
long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the child: stdin and stderr /dev/null, stdout the pipe, no GIT_*
 * variable that would point git elsewhere, then exec git. */
static void
git_child(int out, const char *dir, char **args)
{
	char *argv[16] = { "git", "-C", (char *)dir };
	int null = open("/dev/null", O_RDWR), k;

	dup2(null, 0);
	dup2(out, 1);
	dup2(null, 2);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	for (k = 0; args[k] != NULL && k < 12; k++)
		argv[3 + k] = args[k];
	argv[3 + k] = NULL;
	execvp("git", argv);
	_exit(127);
}

int
git_run(const char *dir, char **args, long long deadline, struct buf *out)
{
	int fd[2], status = 0, rc;
	struct pollfd pfd;
	long long left;
	ssize_t n;
	pid_t pid;

	buf_reset(out);
	if (pipe(fd) < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		git_child(fd[1], dir, args);
	close(fd[1]);
	if (pid < 0) {
		close(fd[0]);
		return -1;
	}
	pfd.fd = fd[0];
	pfd.events = POLLIN;
	for (rc = 0;;) {
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			rc = 1;  /* out of time */
			break;
		}
		buf_grow(out, 65536);
		n = read(fd[0], out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	close(fd[0]);
	if (rc == 1) {
		/* not waited for: it may take a while to die, and the
		 * caller's exit reaps it */
		kill(pid, SIGKILL);
		waitpid(pid, &status, WNOHANG);
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (out->data != NULL)
		out->data[out->len] = '\0';
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = -1;
	return rc;
}
