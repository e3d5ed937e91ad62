/*
 * oak-log: the Python reference's TelemetryLogger as a command. start
 * appends an AgentInvocation and prints its id, end appends an
 * InvocationUpdate, feedback a SuccessMetric, hook turns a Claude Code
 * hook event into those records (hook.c). Every record is one locked
 * append (store.c), so concurrent writers lose nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/append.h"
#include "log.h"

_Noreturn static void
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: oak-log [--dir DIR] start --agent NAME --type TYPE --task TEXT\n"
"               [--features JSON|auto]... [--parent ID] [--metadata JSON]\n"
"       oak-log [--dir DIR] end ID [--duration S] [--status STATUS]\n"
"               [--error MSG] [--files-modified F]... [--files-created F]...\n"
"               [--tools T]... [--tests-passed | --tests-failed]\n"
"               [--build-succeeded | --build-failed] [--metadata JSON]\n"
"       oak-log [--dir DIR] feedback ID (--success | --failure) --quality 1..5\n"
"               [--source SOURCE] [--notes TEXT]\n"
"               [--would-use-again | --would-not-use-again]\n"
"               [--alternative AGENT]\n"
"       oak-log [--dir DIR] hook < EVENT.json\n"
"       oak-log install-hook [--user | --project] [--dir DIR] [--dry-run]\n"
"       oak-log uninstall-hook [--user | --project] [--dry-run]\n"
"       oak-log -h | --version\n");
	if (status)
		exit(status);
	oak_finish_output();
	exit(OAK_EXIT_OK);
}

/* Options: one enum so every subcommand's table shares the values. */
enum {
	OPT_DIR = 256, OPT_VERSION,
	OPT_AGENT, OPT_TYPE, OPT_TASK, OPT_FEATURES, OPT_PARENT, OPT_METADATA,
	OPT_DURATION, OPT_STATUS, OPT_ERROR, OPT_MODIFIED, OPT_CREATED,
	OPT_TOOLS, OPT_TESTS_PASSED, OPT_TESTS_FAILED, OPT_BUILD_SUCCEEDED,
	OPT_BUILD_FAILED,
	OPT_SUCCESS, OPT_FAILURE, OPT_QUALITY, OPT_SOURCE, OPT_NOTES,
	OPT_AGAIN, OPT_NOT_AGAIN, OPT_ALTERNATIVE
};

#define COMMON_OPTIONS                                        \
	{ "dir", required_argument, NULL, OPT_DIR },          \
	{ "help", no_argument, NULL, 'h' },                   \
	{ "version", no_argument, NULL, OPT_VERSION }

static const struct option global_options[] = {
	COMMON_OPTIONS, { NULL, 0, NULL, 0 }
};
static const struct option start_options[] = {
	COMMON_OPTIONS,
	{ "agent", required_argument, NULL, OPT_AGENT },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "task", required_argument, NULL, OPT_TASK },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "parent", required_argument, NULL, OPT_PARENT },
	{ "metadata", required_argument, NULL, OPT_METADATA },
	{ NULL, 0, NULL, 0 }
};
static const struct option end_options[] = {
	COMMON_OPTIONS,
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "error", required_argument, NULL, OPT_ERROR },
	{ "files-modified", required_argument, NULL, OPT_MODIFIED },
	{ "files-created", required_argument, NULL, OPT_CREATED },
	{ "tools", required_argument, NULL, OPT_TOOLS },
	{ "tests-passed", no_argument, NULL, OPT_TESTS_PASSED },
	{ "tests-failed", no_argument, NULL, OPT_TESTS_FAILED },
	{ "build-succeeded", no_argument, NULL, OPT_BUILD_SUCCEEDED },
	{ "build-failed", no_argument, NULL, OPT_BUILD_FAILED },
	{ "metadata", required_argument, NULL, OPT_METADATA },
	{ NULL, 0, NULL, 0 }
};
static const struct option feedback_options[] = {
	COMMON_OPTIONS,
	{ "success", no_argument, NULL, OPT_SUCCESS },
	{ "failure", no_argument, NULL, OPT_FAILURE },
	{ "quality", required_argument, NULL, OPT_QUALITY },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "notes", required_argument, NULL, OPT_NOTES },
	{ "would-use-again", no_argument, NULL, OPT_AGAIN },
	{ "would-not-use-again", no_argument, NULL, OPT_NOT_AGAIN },
	{ "alternative", required_argument, NULL, OPT_ALTERNATIVE },
	{ NULL, 0, NULL, 0 }
};
static const struct option hook_options[] = {
	COMMON_OPTIONS, { NULL, 0, NULL, 0 }
};

const char *dir_option;
/* Operands of the command, in order, wherever they stood. */
static const char *operand[2];
static int noperands;

static void
add_operand(char *arg)
{
	if (noperands < 2)
		operand[noperands] = arg;
	noperands++;
}

/*
 * getopt_long over a subcommand's arguments (argv[0] is its name), in
 * POSIX order, operands stepped over and collected wherever they stand
 * (so POSIXLY_CORRECT changes nothing, and a restart is optind = 1).
 * Handles the common options; returns the next other option, or -1 at
 * the end.
 */
static int
next_option(int argc, char **argv, const struct option *opts)
{
	int c, before;

	for (;;) {
		before = optind;
		c = getopt_long(argc, argv, "+:h", opts, NULL);
		if (c == -1 && optind < argc) {
			/* an operand, stepped over here ("+": POSIX order, so
			 * no implementation's own reordering is relied on), or
			 * "--" and the operands after it */
			bool dashes = optind == before + 1 &&
				      strcmp(argv[before], "--") == 0;

			do
				add_operand(argv[optind++]);
			while (dashes && optind < argc);
			if (!dashes)
				continue;
		}
		switch (c) {
		case -1:
			return -1;
		case OPT_DIR:
			dir_option = optarg;
			continue;
		case 'h':
			usage(OAK_EXIT_OK);
		case OPT_VERSION:
			oak_version();
		case ':':
			oak_warn("%s: option %s needs a value", argv[0],
				 argv[optind - 1]);
			usage(OAK_EXIT_USAGE);
		case '?':
			oak_warn("%s: unknown option %s", argv[0],
				 argv[optind - 1]);
			usage(OAK_EXIT_USAGE);
		default:
			return c;
		}
	}
}

/* The one ID operand of end and feedback. */
static const char *
id_operand(const char *cmd)
{
	if (noperands != 1) {
		oak_warn("%s: %s", cmd, noperands == 0 ?
			 "missing invocation id" : "too many operands");
		usage(OAK_EXIT_USAGE);
	}
	if (operand[0][0] == '\0')
		oak_die(OAK_EXIT_USAGE, "%s: empty invocation id", cmd);
	return operand[0];
}

static void
object_release(struct json_doc *doc)
{
	if (doc != NULL) {
		json_doc_release(doc);
		free(doc);
	}
}

/* Parses a --features or --metadata value: a JSON object, else exit 2. */
static struct json_doc *
object_option(const char *opt, const char *text)
{
	struct json_doc *doc = oak_malloc(sizeof(*doc));
	const char *why = NULL;

	json_doc_init(doc);
	if (json_parse(doc, text, strlen(text), &why) < 0 ||
	    !json_is_object(doc, 0)) {
		if (why == NULL)
			why = "not a JSON object";
		json_doc_release(doc);
		free(doc);
		oak_die(OAK_EXIT_USAGE, "--%s: %s", opt, why);
	}
	return doc;
}

/* A metadata object: the user's members, then workflow_id when given
 * and the user's object has none. NULL when there is nothing at all. */
static char *
metadata_object(const struct json_doc *user, const char *workflow)
{
	struct buf out;
	int k, j;

	if (user == NULL && workflow == NULL)
		return NULL;
	buf_init(&out);
	buf_addc(&out, '{');
	if (user != NULL) {
		for (k = 0, j = 1; k < user->tok[0].size; k++) {
			struct buf key;

			buf_init(&key);
			json_unescape(user, j, &key);
			/* keys are copied unescaped and escaped again */
			jw_keyn(&out, key.data ? key.data : "", key.len);
			buf_release(&key);
			jw_pyvalue(&out, user, j + 1);
			j = json_skip(user, j + 1);
		}
	}
	if (workflow != NULL &&
	    (user == NULL || json_get(user, 0, "workflow_id") < 0)) {
		jw_key(&out, "workflow_id");
		jw_cstring(&out, workflow);
	}
	buf_addc(&out, '}');
	return out.data;
}

static const char *
env_value(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* Appends line to dir/name or exits 3. */
static void
append_or_die(const char *dir, const char *name, struct buf *line)
{
	if (oak_append_line(dir, name, line) < 0)
		exit(OAK_EXIT_IO);
}

/* The record in line against its kind's schema (schemas/ holds the
 * enums and shapes): one the schema refuses is a usage error, and
 * nothing is written. */
static void
check_or_die(const char *cmd, const char *kind, const struct buf *line)
{
	const char *why = record_schema_check(kind, line);

	if (why != NULL)
		oak_die(OAK_EXIT_USAGE, "%s: %s: nothing logged", cmd, why);
}

/* Exits 1 (or 3) unless id was started in dir. */
static void
require_started(const char *dir, const char *id)
{
	int rc = store_find_invocation(dir, id, NULL);

	if (rc < 0)
		exit(OAK_EXIT_IO);
	if (rc == 0)
		oak_die(OAK_EXIT_REJECTED,
			"invocation %s not found in %s/%s: nothing logged", id,
			dir, INVOCATIONS_FILE);
}

static int
cmd_start(int argc, char **argv)
{
	struct start_record r = { 0 };
	struct json_doc *features = NULL, *metadata = NULL;
	struct log_features inferred;
	bool infer = false;
	char id[OAK_UUID_LEN + 1];
	const char *dir;
	struct buf line;
	int c;

	r.parent_id = env_value("OAK_PARENT_INVOCATION_ID");
	while ((c = next_option(argc, argv, start_options)) != -1) {
		switch (c) {
		case OPT_AGENT: r.agent_name = optarg; break;
		case OPT_TYPE: r.agent_type = optarg; break;
		case OPT_TASK: r.task = optarg; break;
		case OPT_FEATURES:
			if (strcmp(optarg, "auto") == 0) {
				infer = true;
				break;
			}
			object_release(features);
			features = object_option("features", optarg);
			break;
		case OPT_PARENT: r.parent_id = optarg; break;
		case OPT_METADATA:
			object_release(metadata);
			metadata = object_option("metadata", optarg);
			break;
		}
	}
	if (noperands > 0) {
		oak_warn("start: unexpected operand %s", operand[0]);
		usage(OAK_EXIT_USAGE);
	}
	if (r.agent_name == NULL || r.agent_type == NULL || r.task == NULL) {
		oak_warn("start: --agent, --type and --task are required");
		usage(OAK_EXIT_USAGE);
	}
	if (*r.agent_name == '\0')
		oak_die(OAK_EXIT_USAGE, "start: empty --agent");
	oak_uuid_v4(id);
	dir = store_dir(dir_option);
	r.invocation_id = id;
	r.session_id = session_id();
	r.features = features;
	if (infer) {
		log_features(&inferred, features, &(struct features_call){
			.description = r.task, .cwd = ".", .cache_dir = dir });
		r.features = &inferred.doc;
	}
	r.metadata = metadata_object(metadata, env_value("OAK_WORKFLOW_ID"));
	buf_init(&line);
	record_start(&line, &r);
	check_or_die("start", "invocation", &line);
	append_or_die(dir, INVOCATIONS_FILE, &line);
	printf("%s\n", id);
	buf_release(&line);
	free((char *)r.metadata);
	if (infer)
		log_features_release(&inferred);
	object_release(features);
	object_release(metadata);
	return OAK_EXIT_OK;
}

/* A --duration value: a non-negative finite decimal number, else exit 2. */
static double
duration_value(const char *s)
{
	double x;

	if (oak_parse_double(s, &x) < 0 || s[strspn(s, "0123456789.eE+")])
		oak_die(OAK_EXIT_USAGE, "end: --duration %s: %s", s,
			*s == '-' ? "negative" : "not a number of seconds");
	return x;
}

/* Appends s to a growing list of strings. */
static void
list_add(const char ***list, size_t *n, const char *s)
{
	*list = oak_realloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = s;
}

/* Sets a yes/no option once; both or a repeat of the other exits 2. */
static void
set_flag(int *flag, int value, const char *yes, const char *no)
{
	if (*flag >= 0 && *flag != value)
		oak_die(OAK_EXIT_USAGE, "--%s and --%s exclude each other",
			yes, no);
	*flag = value;
}

static int
cmd_end(int argc, char **argv)
{
	struct update_record r = { 0 };
	struct json_doc *metadata = NULL;
	const char *dir;
	struct buf line;
	int c;

	r.tests_passed = r.build_succeeded = -1;
	while ((c = next_option(argc, argv, end_options)) != -1) {
		switch (c) {
		case OPT_DURATION:
			r.has_duration = true;
			r.duration = duration_value(optarg);
			break;
		case OPT_STATUS: r.status = optarg; break;
		case OPT_ERROR: r.error = optarg; break;
		case OPT_MODIFIED:
			r.has_modified = true;
			list_add(&r.modified, &r.nmodified, optarg);
			break;
		case OPT_CREATED:
			r.has_created = true;
			list_add(&r.created, &r.ncreated, optarg);
			break;
		case OPT_TOOLS:
			r.has_tools = true;
			list_add(&r.tools, &r.ntools, optarg);
			break;
		case OPT_TESTS_PASSED:
			set_flag(&r.tests_passed, 1, "tests-passed",
				 "tests-failed");
			break;
		case OPT_TESTS_FAILED:
			set_flag(&r.tests_passed, 0, "tests-passed",
				 "tests-failed");
			break;
		case OPT_BUILD_SUCCEEDED:
			set_flag(&r.build_succeeded, 1, "build-succeeded",
				 "build-failed");
			break;
		case OPT_BUILD_FAILED:
			set_flag(&r.build_succeeded, 0, "build-succeeded",
				 "build-failed");
			break;
		case OPT_METADATA:
			object_release(metadata);
			metadata = object_option("metadata", optarg);
			break;
		}
	}
	r.invocation_id = id_operand("end");
	r.metadata = metadata_object(metadata, NULL);
	buf_init(&line);
	record_update(&line, &r);
	check_or_die("end", "update", &line);
	dir = store_dir(dir_option);
	require_started(dir, r.invocation_id);
	append_or_die(dir, UPDATES_FILE, &line);
	buf_release(&line);
	free((char *)r.metadata);
	object_release(metadata);
	free(r.tools);
	free(r.modified);
	free(r.created);
	return OAK_EXIT_OK;
}

static int
cmd_feedback(int argc, char **argv)
{
	struct metric_record r = { 0 };
	int success = -1, c;
	const char *quality = NULL, *dir;
	struct buf line;
	long long q;

	r.source = "human";
	r.would_use_again = -1;
	while ((c = next_option(argc, argv, feedback_options)) != -1) {
		switch (c) {
		case OPT_SUCCESS:
			set_flag(&success, 1, "success", "failure");
			break;
		case OPT_FAILURE:
			set_flag(&success, 0, "success", "failure");
			break;
		case OPT_QUALITY: quality = optarg; break;
		case OPT_SOURCE: r.source = optarg; break;
		case OPT_NOTES: r.notes = optarg; break;
		case OPT_AGAIN:
			set_flag(&r.would_use_again, 1, "would-use-again",
				 "would-not-use-again");
			break;
		case OPT_NOT_AGAIN:
			set_flag(&r.would_use_again, 0, "would-use-again",
				 "would-not-use-again");
			break;
		case OPT_ALTERNATIVE: r.alternative = optarg; break;
		}
	}
	if (success < 0 || quality == NULL) {
		oak_warn("feedback: --success or --failure, and --quality, "
			 "are required");
		usage(OAK_EXIT_USAGE);
	}
	if (oak_parse_ll(quality, 1, 5, &q) < 0)
		oak_die(OAK_EXIT_USAGE,
			"feedback: --quality %s: not an integer from 1 to 5",
			quality);
	r.quality = (int)q;
	r.success = success == 1;
	r.invocation_id = id_operand("feedback");
	buf_init(&line);
	record_metric(&line, &r);
	check_or_die("feedback", "metric", &line);
	dir = store_dir(dir_option);
	require_started(dir, r.invocation_id);
	append_or_die(dir, METRICS_FILE, &line);
	buf_release(&line);
	return OAK_EXIT_OK;
}

static int
cmd_hook(int argc, char **argv)
{
	int c;

	/* never exit 2 from a hook, even on a bad option: that would block
	 * the agent's tool call */
	while ((c = getopt_long(argc, argv, "+:h", hook_options, NULL)) != -1) {
		switch (c) {
		case OPT_DIR: dir_option = optarg; break;
		case 'h': usage(OAK_EXIT_OK);
		case OPT_VERSION: oak_version();
		default:
			oak_warn("hook: %s option %s: ignored",
				 c == ':' ? "incomplete" : "unknown",
				 argv[optind - 1]);
		}
	}
	if (optind < argc)
		oak_warn("hook: unexpected operand %s: ignored", argv[optind]);
	return hook_run(store_dir(dir_option));
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "start", cmd_start },
	{ "end", cmd_end },
	{ "feedback", cmd_feedback },
	{ "hook", cmd_hook },
	{ "install-hook", cmd_install_hook },
	{ "uninstall-hook", cmd_uninstall_hook },
};

int
main(int argc, char **argv)
{
	char id[OAK_UUID_LEN + 1];
	size_t k;
	int c, status;

	oak_setprog("oak-log");
	opterr = 0;
	/* options before the subcommand: "+" stops at its name */
	while ((c = getopt_long(argc, argv, "+:h", global_options, NULL)) !=
	       -1) {
		switch (c) {
		case OPT_DIR: dir_option = optarg; break;
		case 'h': usage(OAK_EXIT_OK);
		case OPT_VERSION: oak_version();
		case ':':
			oak_warn("option %s needs a value", argv[optind - 1]);
			usage(OAK_EXIT_USAGE);
		default:
			oak_warn("unknown option %s", argv[optind - 1]);
			usage(OAK_EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		oak_warn("missing command");
		usage(OAK_EXIT_USAGE);
	}
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(argv[optind], commands[k].name) == 0)
			break;
	if (k == sizeof(commands) / sizeof(commands[0])) {
		oak_warn("unknown command %s", argv[optind]);
		usage(OAK_EXIT_USAGE);
	}
	if (store_disabled() && strstr(commands[k].name, "install") == NULL) {
		/* logging off: nothing written, but scripts get an id */
		if (strcmp(commands[k].name, "start") == 0) {
			oak_uuid_v4(id);
			printf("%s\n", id);
		}
		oak_finish_output();
		return OAK_EXIT_OK;
	}
	argc -= optind;
	argv += optind;
	/* start over, argv[0] being the command: every scan runs in POSIX
	 * order ("+"), so resetting optind is all a restart needs */
	optind = 1;
	status = commands[k].run(argc, argv);
	oak_finish_output();
	return status;
}
