/*
 * oak-import: agent history already on disk to the three telemetry
 * logs. "oak-import claude-code [PATH ...]" finds Claude Code sessions
 * (PROJECT/SESSION.jsonl, with SESSION/subagents/ beside it) under each
 * PATH, reads each into its subagent calls, and appends what the logs
 * lack. Claude Code's folders are only read. Memory: one session at a
 * time, plus one small entry per call already logged and per
 * transcript in the state file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/append.h"
#include "import.h"

static struct {
	const char *dir;
	struct oak_window since;
	struct claude_pricing *pricing;
	struct emit *emit;
	struct state *state;
	bool io_error;
} run;

static const char usage[] =
	"usage: oak-import claude-code [--dir TELEMETRY] [--since DATE] "
	"[--pricing FILE] [PATH ...]\n";

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

struct paths {
	char **p;
	size_t n, cap;
};

static void
paths_add(struct paths *ps, char *path)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->p = oak_realloc(ps->p, ps->cap * sizeof(*ps->p));
	}
	ps->p[ps->n++] = path;
}

/* The entries of dir in name order, . and .. left out; -1 if unreadable. */
static int
list_dir(const char *dir, struct dirent ***names)
{
	int n = scandir(dir, names, NULL, alphasort);

	if (n < 0)
		oak_warn("%s: %s", dir, strerror(errno));
	return n;
}

/* A session's subagent files under dir, at any depth: agent-*.jsonl
 * (and their agent-*.meta.json); a workflow's journal.jsonl is not a
 * transcript. */
static void
subagent_files(const char *dir, struct paths *ps, int depth)
{
	struct dirent **names;
	struct buf path;
	int i, n = list_dir(dir, &names);

	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		buf_init(&path);
		buf_printf(&path, "%s/%s", dir, name);
		if (name[0] != '.' && depth < 8 && is_dir(path.data))
			subagent_files(path.data, ps, depth + 1);
		else if (strncmp(name, "agent-", 6) == 0 &&
			 (ends_with(name, ".jsonl") ||
			  ends_with(name, ".meta.json"))) {
			paths_add(ps, path.data);
			path.data = NULL;
		}
		buf_release(&path);
		free(names[i]);
	}
	free(n >= 0 ? names : NULL);
}

/* The agentId a subagent file's name gives, in a static buffer. */
static const char *
agent_of_file(const char *path)
{
	static char id[256];
	const char *name = strrchr(path, '/') + 1 + 6;  /* after "agent-" */
	size_t len = strcspn(name, ".");

	if (len >= sizeof(id))
		len = sizeof(id) - 1;
	memcpy(id, name, len);
	id[len] = '\0';
	return id;
}

/* Imports one session, given its main transcript. */
static void
import_session(const char *main_path)
{
	struct paths ps = { 0 };
	struct session s;
	struct buf dir;
	const char *slash = strrchr(main_path, '/');
	size_t i;

	buf_init(&dir);
	buf_add(&dir, main_path, strlen(main_path) - 6);  /* ".jsonl" */
	paths_add(&ps, oak_strdup(main_path));
	if (is_dir(dir.data))
		subagent_files(dir.data, &ps, 0);
	if (!state_unchanged(run.state, ps.p, ps.n)) {
		session_init(&s);
		s.id = slash != NULL ? slash + 1 : main_path;
		for (i = 0; i < ps.n; i++)
			if (i == 0 || ends_with(ps.p[i], ".jsonl"))
				session_read(&s, ps.p[i],
					     i == 0 ? NULL : agent_of_file(ps.p[i]));
		for (i = 1; i < ps.n; i++)
			if (ends_with(ps.p[i], ".meta.json"))
				session_read_meta(&s, ps.p[i],
						  agent_of_file(ps.p[i]));
		if (emit_session(run.emit, &s) < 0 || s.vanished)
			run.io_error = true;
		else
			state_mark(run.state, ps.p, ps.n, s.partial);
		session_release(&s);
	}
	for (i = 0; i < ps.n; i++)
		free(ps.p[i]);
	free(ps.p);
	buf_release(&dir);
}

/* A projects folder or a project: the sessions under it, in name
 * order; a session's own folder is read with its session. */
static void
walk(const char *dir, int depth)
{
	struct dirent **names;
	struct buf path;
	struct stat sb;
	int i, n = list_dir(dir, &names);

	if (n < 0)
		run.io_error = true;
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		buf_init(&path);
		buf_printf(&path, "%s/%s", dir, name);
		if (name[0] != '.' && stat(path.data, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && ends_with(name, ".jsonl"))
				import_session(path.data);
			buf_adds(&path, ".jsonl");
			if (S_ISDIR(sb.st_mode) && depth < 2 &&
			    stat(path.data, &sb) < 0) {
				path.data[path.len - 6] = '\0';
				walk(path.data, depth + 1);
			}
		}
		buf_release(&path);
		free(names[i]);
	}
	free(n >= 0 ? names : NULL);
}

static void
import_path(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) < 0) {
		oak_warn("%s: %s", path, strerror(errno));
		run.io_error = true;
	} else if (S_ISDIR(sb.st_mode)) {
		walk(path, 0);
	} else if (ends_with(path, ".jsonl")) {
		import_session(path);
	} else {
		oak_warn("%s: not a transcript (*.jsonl) nor a folder", path);
		run.io_error = true;
	}
}

/* No PATH: $CLAUDE_CONFIG_DIR (a comma-separated list) + /projects,
 * else ~/.config/claude/projects and ~/.claude/projects. */
static void
import_defaults(void)
{
	const char *env = getenv("CLAUDE_CONFIG_DIR"), *home = getenv("HOME");
	char *list, *item, *save;
	struct buf path;
	int found = 0;

	buf_init(&path);
	if (env != NULL && *env != '\0') {
		list = oak_strdup(env);
		for (item = strtok_r(list, ",", &save); item != NULL;
		     item = strtok_r(NULL, ",", &save)) {
			buf_reset(&path);
			buf_printf(&path, "%s/projects", item);
			if (is_dir(path.data) && ++found)
				walk(path.data, 0);
		}
		free(list);
	} else if (home != NULL) {
		buf_printf(&path, "%s/.config/claude/projects", home);
		if (is_dir(path.data) && ++found)
			walk(path.data, 0);
		buf_reset(&path);
		buf_printf(&path, "%s/.claude/projects", home);
		if (is_dir(path.data) && ++found)
			walk(path.data, 0);
	}
	if (found == 0)
		oak_die(OAK_EXIT_IO, "no Claude Code projects folder found "
				     "(CLAUDE_CONFIG_DIR, ~/.claude/projects)");
	buf_release(&path);
}

/* The telemetry directory: --dir, else $OAK_TELEMETRY_DIR, else
 * ./telemetry, as for oak-log; created (0700) when missing. */
static const char *
telemetry_dir(const char *dir)
{
	const char *env = getenv("OAK_TELEMETRY_DIR");

	if (dir == NULL)
		dir = env != NULL && *env != '\0' ? env : "telemetry";
	if (oak_make_dirs(dir, 0700, 0700) < 0)   /* mkdir -p */
		oak_die(OAK_EXIT_IO, "%s: %s", dir, strerror(errno));
	return dir;
}

/* The options; the operands (claude-code, then the paths) are left in
 * o->operand. */
static void
options(struct oak_opts *o, int argc, char **argv, const char **pricing)
{
	static const struct option longs[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "since", required_argument, NULL, 's' },
		{ "pricing", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why;
	int c;

	oak_opts_begin(o, argc, argv, NULL, longs, 0, usage);
	while ((c = oak_opts_next(o)) != -1) {
		if (c == 'd')
			run.dir = optarg;
		else if (c == 'p')
			*pricing = optarg;
		else if (oak_window_resolve(&run.since, optarg, NULL, NULL,
					    false, &why) < 0)
			oak_die(OAK_EXIT_USAGE, "--since %s: %s", optarg, why);
	}
	if (o->noperand == 0 || strcmp(o->operand[0], "claude-code") != 0)
		oak_usage(o, OAK_EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	const char *pricing = NULL;
	struct oak_opts opts;
	int i;

	oak_setprog("oak-import");
	options(&opts, argc, argv, &pricing);
	run.dir = telemetry_dir(run.dir);
	run.pricing = claude_pricing_load(pricing);
	if (run.pricing == NULL && pricing != NULL)
		exit(OAK_EXIT_IO);
	run.state = state_load(run.dir);
	run.emit = emit_open(run.dir, run.pricing, &run.since);
	if (opts.noperand == 1)
		import_defaults();
	for (i = 1; i < opts.noperand; i++)
		import_path(opts.operand[i]);
	oak_opts_end(&opts);
	state_save(run.state);
	emit_close(run.emit);
	state_release(run.state);
	claude_pricing_release(run.pricing);
	if (run.io_error) {
		oak_finish_output();
		return OAK_EXIT_IO;
	}
	return oak_exit_status();
}
