/*
 * schema_kind.c: the record kinds and where their schemas are. A kind
 * names a file of schemas/; the directory is $OAK_SCHEMA_DIR, else, when
 * the program runs from the build tree (TOP/build/bin or
 * TOP/build/san/bin), TOP/schemas, else the installed OAK_DATADIR/schemas.
 * Used by oak-validate and by oak-join-by-invocation --validate.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema/schema.h"

static const struct {
	const char *kind;
	const char *file;
} kinds[] = {
	{"invocation", "agent_invocation.json"},
	{"update", "invocation_update.json"},
	{"metric", "success_metric.json"},
	{"joined", "joined_invocation.json"},
	{"agent-stats", "agent_stats.json"},
	{"performance-stats", "performance_stats.json"},
	{"weekly-report", "weekly_report.json"},
};

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void
schema_dir(struct buf *out)
{
	const char *env = getenv("OAK_SCHEMA_DIR");
	static const char *const build_dirs[] = {"/build/bin", "/build/san/bin"};
	char exe[PATH_MAX];
	ssize_t n;
	size_t i, len;
	char *slash;

	buf_reset(out);
	if (env != NULL && *env != '\0') {
		buf_adds(out, env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		len = strlen(exe);
		for (i = 0; i < sizeof(build_dirs) / sizeof(build_dirs[0]); i++) {
			size_t blen = strlen(build_dirs[i]);

			if (len < blen || strcmp(exe + len - blen, build_dirs[i]) != 0)
				continue;
			buf_add(out, exe, len - blen);
			buf_adds(out, "/schemas");
			if (is_dir(out->data))
				return;
			buf_reset(out);
		}
	}
	buf_adds(out, OAK_DATADIR "/schemas");
}

struct schema *
schema_load_or_die(const char *path)
{
	struct buf err;
	struct schema *s;

	buf_init(&err);
	s = schema_load(path, &err);
	if (s == NULL) {
		if (err.len == 0)
			oak_die_errno(path);
		oak_die(OAK_EXIT_USAGE, "%s: invalid schema: %s", path, err.data);
	}
	buf_release(&err);
	return s;
}

struct schema *
schema_load_kind(const char *kind)
{
	struct schema *s;
	struct buf path;
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i].kind) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return NULL;
	buf_init(&path);
	schema_dir(&path);
	buf_printf(&path, "/%s", kinds[i].file);
	s = schema_load_or_die(path.data);
	buf_release(&path);
	return s;
}
