/*
 * oak-validate: the gate at the head of every pipeline. Each line must be
 * one strict JSON text (RFC 8259, unique keys) valid against the schema
 * of its record kind (JSON Schema draft-07, read from schemas/ at run
 * time). Valid lines go to stdout unchanged; each bad line is reported
 * with its file, line, JSON Pointer and keyword, counted, and optionally
 * copied to --rejects.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oak.h"

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
};

static bool quiet_output;     /* -q: nothing on stdout */
static bool io_failed;        /* an input could not be read */

static _Noreturn void
usage(void)
{
	fprintf(stderr,
		"usage: oak-validate [--kind invocation|update|metric|joined|"
		"agent-stats|performance-stats\n"
		"                    | --schema FILE] [--rejects FILE] "
		"[--strict] [-q] [FILE ...]\n");
	exit(OAK_EXIT_USAGE);
}

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Where the schemas are: $OAK_SCHEMA_DIR; else, when run from the build
 * tree (TOP/build/bin or TOP/build/san/bin), TOP/schemas; else the
 * installed OAK_DATADIR/schemas.
 */
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

static struct schema *
load_schema(const char *path)
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

static bool
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Validates every line of one input; valid lines go to stdout. */
static void
validate_input(struct line_reader *in, struct schema *schema,
	       struct json_doc *doc, struct buf *err)
{
	struct line ln;
	const char *why;
	const char *name = line_name(in);
	int rc;

	while ((rc = line_next(in, &ln)) > 0) {
		if (blank(ln.text, ln.len))
			continue;
		if (json_parse(doc, ln.text, ln.len, &why) < 0) {
			oak_reject(name, ln.no, ln.text, ln.len, "%s%s", why,
				   ln.had_newline ? "" :
				   " (last line, no newline: truncated?)");
			continue;
		}
		if (!schema_validate(schema, doc, 0, err)) {
			oak_reject(name, ln.no, ln.text, ln.len, "%s", err->data);
			continue;
		}
		if (!quiet_output) {
			fwrite(ln.text, 1, ln.len, stdout);
			putchar('\n');
		}
	}
	if (rc < 0) {
		oak_warn("%s: %s", name, strerror(errno));
		io_failed = true;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"schema", required_argument, NULL, 's'},
		{"rejects", required_argument, NULL, 'r'},
		{"strict", no_argument, NULL, 'S'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *kind = NULL, *schema_path = NULL, *rejects = NULL;
	struct buf path, err;
	struct schema *schema;
	struct json_doc doc;
	struct line_reader *in;
	size_t i;
	int c, status;

	oak_setprog("oak-validate");
	while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 's': schema_path = optarg; break;
		case 'r': rejects = optarg; break;
		case 'S': oak_set_strict(true); break;
		case 'q': quiet_output = true; break;
		case 'V': oak_version();
		case 'h':
		default: usage();
		}
	}
	if (kind != NULL && schema_path != NULL) {
		oak_warn("--kind and --schema cannot be used together");
		usage();
	}
	buf_init(&path);
	if (schema_path == NULL) {
		if (kind == NULL)
			kind = "invocation";
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strcmp(kind, kinds[i].kind) == 0)
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0])) {
			oak_warn("unknown kind \"%s\"", kind);
			usage();
		}
		schema_dir(&path);
		buf_printf(&path, "/%s", kinds[i].file);
		schema_path = path.data;
	}
	schema = load_schema(schema_path);
	if (rejects != NULL)
		oak_rejects_open(rejects);

	json_doc_init(&doc);
	buf_init(&err);
	if (optind == argc)
		argv[--optind] = "-";
	for (; optind < argc; optind++) {
		in = line_open(argv[optind]);
		if (in == NULL) {
			oak_warn("%s: %s", argv[optind], strerror(errno));
			io_failed = true;
			continue;
		}
		validate_input(in, schema, &doc, &err);
		line_close(in);
	}
	status = oak_exit_status();
	json_doc_release(&doc);
	buf_release(&err);
	buf_release(&path);
	schema_release(schema);
	return io_failed ? OAK_EXIT_IO : status;
}
