/*
 * install.c: oak-log install-hook and uninstall-hook add or remove
 * oak-log's hook entries in Claude Code's settings.json (the user's, or
 * the project's). The text is edited by settings.c, so every other byte
 * stays as it was; a file that is not JSON is refused untouched; a
 * changed one is written to a temporary file and renamed over the old,
 * after a copy of the old beside it. The command installed names its
 * telemetry folder; in a project, that folder goes into .gitignore.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/append.h"
#include "base/opts.h"
#include "log.h"

#define PROJECT_DIR ".claude/oak-telemetry"
#define MAX_SETTINGS (16 << 20)

/* What one run does, from its options. */
struct setup {
	bool install, project, dry_run;
	const char *dir;               /* --dir, or NULL */
	char *settings;                /* the settings file */
	char *command;                 /* the hook command installed */
	char *shown_dir;               /* where the logs go, for the user */
	char *ignore;                  /* project: the .gitignore line */
};

static const char setup_usage[] =
	"usage: oak-log install-hook [--user | --project] [--dir DIR] "
	"[--dry-run]\n"
	"       oak-log uninstall-hook [--user | --project] [--dry-run]\n";

/* Reads path whole into b (NUL-terminated). Returns 1, 0 when there is
 * no such file, or -1 after a warning. */
static int
read_file(const char *path, struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		oak_warn("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || b->len + (size_t)n > MAX_SETTINGS) {
			oak_warn("%s: %s", path, n < 0 ? strerror(errno) :
				 "larger than 16 MiB: not a settings file");
			close(fd);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	close(fd);
	buf_addc(b, '\0');
	b->len--;
	return 1;
}

/*
 * Replaces path by the bytes given, atomically: a temporary file in the
 * same folder, written, given mode, synced, then renamed over path.
 * Returns 0, or -1 after a warning (path untouched).
 */
static int
write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	struct buf tmp;
	ssize_t n;
	size_t done = 0;
	int fd, rc = -1;

	buf_init(&tmp);
	buf_printf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp.data)) < 0) {
		oak_warn("%s: %s", tmp.data, strerror(errno));
		buf_release(&tmp);
		return -1;
	}
	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	if (done == len && fchmod(fd, mode) == 0 && fsync(fd) == 0) {
		if (close(fd) == 0 && rename(tmp.data, path) == 0)
			rc = 0;
		fd = -1;
	}
	if (rc < 0) {
		oak_warn("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp.data);
	}
	buf_release(&tmp);
	return rc;
}

/* mkdir -p of the folder holding path (0755). Returns 0 or -1 after a
 * warning. */
static int
make_parents(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc = 0;

	if (slash == NULL || slash == path)
		return 0;
	dir = oak_strndup(path, (size_t)(slash - path));
	if (oak_make_dirs(dir, 0755, 0755) < 0) {
		oak_warn("%s: %s", dir, strerror(errno));
		rc = -1;
	}
	free(dir);
	return rc;
}

/* Creates the telemetry directory (0700, as oak-log does) so a report
 * can be asked for before the first call is logged; a failure is only
 * a warning, the hook creates it too. */
static void
make_telemetry_dir(const char *dir)
{
	if (oak_make_dirs(dir, 0755, 0700) < 0)
		oak_warn("%s: %s", dir, strerror(errno));
}

/* The mode new files get: 0666 less the umask. */
static mode_t
new_file_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/*
 * Writes the new settings: a copy of the old beside it (FILE.bak) first,
 * then FILE replaced. A symbolic link is followed, so the file it names
 * is the one replaced. Returns 0 or -1 after a warning.
 */
static int
settings_write(const char *path, const struct buf *old, bool existed,
	       const struct buf *text)
{
	char *real = existed ? realpath(path, NULL) : NULL;
	const char *target = real != NULL ? real : path;
	struct buf backup;
	struct stat st;
	mode_t mode = new_file_mode();
	int rc = 0;

	buf_init(&backup);
	if (existed && stat(target, &st) == 0)
		mode = st.st_mode & 07777;
	if (existed) {
		buf_printf(&backup, "%s.bak", target);
		rc = write_atomic(backup.data, old->data ? old->data : "",
				  old->len, mode);
	} else {
		rc = make_parents(target);
	}
	if (rc == 0)
		rc = write_atomic(target, text->data, text->len, mode);
	buf_release(&backup);
	free(real);
	return rc;
}

/* ---- where things go ------------------------------------------------- */

/* s as one word of sh: as is when plain, else in single quotes. */
static void
sh_quote(struct buf *b, const char *s)
{
	const char *p;

	if (*s != '\0' && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
				  "klmnopqrstuvwxyz0123456789_./:@%+=,-")] == '\0') {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '\'');
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *p);
	buf_addc(b, '\'');
}

static char *
take(struct buf *b)
{
	char *s = b->data;

	buf_init(b);
	return s;
}

static const char *
home(void)
{
	const char *h = getenv("HOME");

	if (h == NULL || *h != '/')
		oak_die(OAK_EXIT_USAGE, "HOME is not set to an absolute path");
	return h;
}

/* dir made absolute against the current folder. */
static void
absolute(struct buf *b, const char *dir)
{
	char cwd[PATH_MAX];

	if (*dir != '/') {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			oak_die_errno("getcwd");
		buf_printf(b, "%s/", cwd);
	}
	buf_adds(b, dir);
}

/* The settings file, the hook command and the telemetry folder. */
static void
setup_resolve(struct setup *s)
{
	const char *conf = getenv("CLAUDE_CONFIG_DIR");
	const char *data = getenv("XDG_DATA_HOME");
	const char *rel = s->dir != NULL ? s->dir : PROJECT_DIR;
	struct buf b;

	buf_init(&b);
	if (s->project)
		buf_adds(&b, ".claude/settings.json");
	else if (conf != NULL && *conf != '\0')
		buf_printf(&b, "%s/settings.json", conf);
	else
		buf_printf(&b, "%s/.claude/settings.json", home());
	s->settings = take(&b);
	if (s->project && *rel != '/') {
		while (strncmp(rel, "./", 2) == 0)
			rel += 2;
		buf_printf(&b, "/%s/", rel);
		if (strncmp(rel, "../", 3) != 0)
			s->ignore = take(&b);
		buf_reset(&b);
		buf_adds(&b, rel);
	} else if (s->dir != NULL) {
		absolute(&b, s->dir);
	} else if (data != NULL && *data == '/') {
		buf_printf(&b, "%s/oak-telemetry", data);
	} else {
		buf_printf(&b, "%s/.local/share/oak-telemetry", home());
	}
	s->shown_dir = take(&b);
	buf_adds(&b, "oak-log hook --dir ");
	if (*s->shown_dir != '/')
		buf_adds(&b, "\"$CLAUDE_PROJECT_DIR\"/");
	sh_quote(&b, s->shown_dir);
	s->command = take(&b);
}

/* A .gitignore pattern without its blanks and slashes at either end. */
static const char *
pattern_core(const char *p, size_t *n)
{
	while (*n > 0 && strchr(" \r/", p[*n - 1]))
		(*n)--;
	while (*n > 0 && *p == '/')
		p++, (*n)--;
	return p;
}

/* Adds line to ./.gitignore unless it is there (with or without its
 * slashes). Returns 1 when added, 0 when there, -1 after a warning. */
static int
gitignore_add(const char *line)
{
	struct buf text, want;
	const char *p, *end, *core, *line_core;
	size_t n, line_n = strlen(line);
	int fd, rc;

	line_core = pattern_core(line, &line_n);
	buf_init(&text);
	if ((rc = read_file(".gitignore", &text)) < 0)
		return -1;
	for (p = text.data; rc > 0 && p < text.data + text.len; p = end + 1) {
		end = memchr(p, '\n', (size_t)(text.data + text.len - p));
		if (end == NULL)
			end = text.data + text.len;
		n = (size_t)(end - p);
		core = pattern_core(p, &n);
		if (n == line_n && memcmp(core, line_core, n) == 0) {
			buf_release(&text);
			return 0;
		}
	}
	buf_init(&want);
	if (text.len > 0 && text.data[text.len - 1] != '\n')
		buf_addc(&want, '\n');
	buf_printf(&want, "%s\n", line);
	fd = open(".gitignore", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	rc = fd >= 0 && write(fd, want.data, want.len) == (ssize_t)want.len;
	if (!rc)
		oak_warn(".gitignore: %s", strerror(errno));
	if (fd >= 0 && close(fd) < 0 && rc)
		rc = 0;
	buf_release(&text);
	buf_release(&want);
	return rc ? 1 : -1;
}

/* Is oak-log a program on PATH? */
static bool
on_path(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	struct buf b;
	bool found = false;

	buf_init(&b);
	for (p = path ? path : ""; !found && *p != '\0'; p = colon + (*colon != '\0')) {
		colon = p + strcspn(p, ":");
		buf_reset(&b);
		buf_printf(&b, "%.*s/oak-log", (int)(colon - p), p);
		found = colon > p && access(b.data, X_OK) == 0;
	}
	buf_release(&b);
	return found;
}

/* ---- the commands ------------------------------------------------------ */

static void
setup_options(struct setup *s, int argc, char **argv)
{
	static const struct option own[] = {
		{ "user", no_argument, NULL, 'u' },
		{ "project", no_argument, NULL, 'p' },
		{ "dir", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct oak_opts opts;
	int c, scopes = 0;

	oak_opts_begin(&opts, argc, argv, NULL, own, 0, setup_usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		switch (c) {
		case 'u': s->project = false; scopes |= 1; break;
		case 'p': s->project = true; scopes |= 2; break;
		case 'd': s->dir = optarg; break;
		default: s->dry_run = true; break;
		}
	}
	if (opts.noperand > 0)
		oak_opts_fail(&opts, "%s: unexpected operand %s", argv[0],
			      opts.operand[0]);
	if (scopes == 3)
		oak_opts_fail(&opts, "%s: --user and --project exclude each "
			      "other", argv[0]);
	if (s->dir != NULL && *s->dir == '\0')
		oak_opts_fail(&opts, "%s: empty --dir", argv[0]);
	oak_opts_end(&opts);
}

/* What changed, for the user, on stdout. */
static void
setup_report(const struct setup *s, bool changed, bool existed, int found)
{
	const char *what = s->install ? "installed" : "removed";

	if (!changed) {
		printf("%s: %s, nothing changed\n", s->settings,
		       s->install ? "the oak-log hook is already installed" :
				    "no oak-log hook there");
		return;
	}
	printf("%s: oak-log hook %s%s", s->settings, what,
	       s->install && found > 0 ? " (replacing the old one)" : "");
	if (existed)
		printf("; the previous file is %s.bak", s->settings);
	printf("\n");
	if (s->install)
		printf("subagent calls will be logged to %s%s\n"
		       "then: oak-import claude-code --dir %s (once, for the "
		       "history), oak-weekly-report %s\n", s->shown_dir,
		       *s->shown_dir == '/' ? "" : " (under the project)",
		       s->shown_dir, s->shown_dir);
}

static int
cmd_setup(int argc, char **argv, bool install)
{
	struct setup s = { .install = install, .dir = dir_option };
	struct buf old, text, why;
	int existed, found, rc = OAK_EXIT_OK;

	setup_options(&s, argc, argv);
	setup_resolve(&s);
	buf_init(&old);
	buf_init(&text);
	buf_init(&why);
	if ((existed = read_file(s.settings, &old)) < 0)
		exit(OAK_EXIT_IO);
	found = settings_edit(install, s.command, existed ? old.data : NULL, old.len, &text,
			      &why);
	if (found < 0)
		oak_die(OAK_EXIT_REJECTED, "%s:%s; left untouched", s.settings,
			why.data);
	if (s.dry_run) {
		buf_write(&text, stdout);
	} else {
		bool changed = text.len != old.len || (old.len > 0 &&
			       memcmp(text.data, old.data, old.len) != 0);

		if (changed && settings_write(s.settings, &old, existed, &text) < 0)
			exit(OAK_EXIT_IO);
		setup_report(&s, changed, existed, found);
		if (install)
			make_telemetry_dir(s.shown_dir);
		if (install && s.ignore != NULL && gitignore_add(s.ignore) > 0)
			printf(".gitignore: added %s\n", s.ignore);
		if (install && !on_path())
			oak_warn("oak-log is not on PATH: Claude Code will not "
				 "find the hook's command until it is");
	}
	free(s.settings);
	free(s.command);
	free(s.shown_dir);
	free(s.ignore);
	buf_release(&old);
	buf_release(&text);
	buf_release(&why);
	return rc;
}

int
cmd_install_hook(int argc, char **argv)
{
	return cmd_setup(argc, argv, true);
}

int
cmd_uninstall_hook(int argc, char **argv)
{
	return cmd_setup(argc, argv, false);
}
