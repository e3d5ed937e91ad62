/*
 * oak-validate: checks logs and records on their own, with the same gate
 * (record_accept) and messages as oak-join-by-invocation --validate,
 * which the pipelines run. Each line must be one strict JSON text (RFC 8259, unique keys) valid against the schema
 * of its record kind (JSON Schema draft-07, read from schemas/ at run
 * time). Valid lines go to stdout unchanged; each bad line is reported
 * with its file, line, JSON Pointer and keyword, counted, and optionally
 * copied to --rejects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "record/accept.h"

static bool quiet_output;     /* -q: nothing on stdout */
static bool io_failed;        /* an input could not be read */

static const char usage[] =
	"usage: oak-validate [--kind invocation|update|metric|joined|"
	"agent-stats|performance-stats\n"
	"                    | --schema FILE] [--rejects FILE] [--strict] [-q] "
	"[FILE ...]\n";

/* Validates every line of one input; valid lines go to stdout. */
static void
validate_input(struct line_reader *in, struct record_gate *gate,
	       struct json_doc *doc)
{
	struct record_line rl;
	struct line ln;
	const char *name = line_name(in);
	int rc;

	while ((rc = line_next(in, &ln)) > 0) {
		rl = (struct record_line){ name, ln.no, ln.text, ln.len,
					   ln.had_newline };
		if (line_blank(ln.text, ln.len) ||
		    !record_accept(gate, doc, &rl, true, NULL))
			continue;
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

/* The record checks that follow a kind's schema. */
static enum record_shape
shape_of(const char *kind)
{
	if (kind == NULL)
		return RECORD_ANY;
	if (strcmp(kind, "invocation") == 0 || strcmp(kind, "joined") == 0)
		return RECORD_INVOCATION;
	if (strcmp(kind, "update") == 0 || strcmp(kind, "metric") == 0)
		return RECORD_LOG;
	return RECORD_ANY;
}

/* The schema of --kind or --schema (invocation when neither). */
static struct schema *
schema_of(const struct oak_opts *o, const char **kind, const char *path)
{
	struct schema *schema;

	if (*kind != NULL && path != NULL)
		oak_opts_fail(o, "--kind and --schema cannot be used together");
	if (path != NULL)
		return schema_load_or_die(path);
	if (*kind == NULL)
		*kind = "invocation";
	if ((schema = schema_load_kind(*kind)) == NULL)
		oak_opts_fail(o, "unknown kind \"%s\"", *kind);
	return schema;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "schema", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	const char *kind = NULL, *schema_path = NULL;
	struct record_gate gate;
	struct oak_opts opts;
	struct json_doc doc;
	struct line_reader *in;
	int c, k, status;

	oak_setprog("oak-validate");
	oak_opts_begin(&opts, argc, argv, "q", longopts, OAK_OPTS_REJECTS,
		       usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 's': schema_path = optarg; break;
		default: quiet_output = true; break;
		}
	}
	record_gate_init(&gate, schema_of(&opts, &kind, schema_path),
			 shape_of(schema_path == NULL ? kind : NULL));
	json_doc_init(&doc);
	if (opts.noperand == 0)
		opts.operand[opts.noperand++] = "-";
	for (k = 0; k < opts.noperand; k++) {
		if ((in = line_open(opts.operand[k])) == NULL) {
			oak_warn("%s: %s", opts.operand[k], strerror(errno));
			io_failed = true;
			continue;
		}
		validate_input(in, &gate, &doc);
		line_close(in);
	}
	status = oak_exit_status();
	json_doc_release(&doc);
	schema_release(gate.schema);
	record_gate_release(&gate);
	oak_opts_end(&opts);
	return io_failed ? OAK_EXIT_IO : status;
}
