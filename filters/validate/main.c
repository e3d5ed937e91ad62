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
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "json/json.h"
#include "schema/schema.h"
#include "record/invocation.h"

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

/* Validates every line of one input; valid lines go to stdout. */
static void
validate_input(struct line_reader *in, struct schema *schema,
	       struct json_doc *doc, struct buf *err)
{
	struct line ln;
	const char *name = line_name(in);
	int rc;

	while ((rc = line_next(in, &ln)) > 0) {
		if (line_blank(ln.text, ln.len) ||
		    !json_parse_line(doc, name, &ln))
			continue;
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
	struct buf err;
	struct schema *schema;
	struct json_doc doc;
	struct line_reader *in;
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
	if (schema_path != NULL) {
		schema = schema_load_or_die(schema_path);
	} else {
		if (kind == NULL)
			kind = "invocation";
		if ((schema = schema_load_kind(kind)) == NULL) {
			oak_warn("unknown kind \"%s\"", kind);
			usage();
		}
	}
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
	schema_release(schema);
	return io_failed ? OAK_EXIT_IO : status;
}
