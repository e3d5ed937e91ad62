/*
 * oak-pg-copy: JSON lines of one record kind in, rows of PostgreSQL's
 * COPY text format out ("LINE<TAB>JSON", the JSON escaped for COPY), for
 * oak-export-postgres to load into a jsonb column. A line holding a NUL
 * (\u0000), which PostgreSQL text and jsonb cannot hold, is refused with
 * its file:line, and its invocation id can be listed for the later runs
 * of one export to leave that invocation out. Memory: one line and the
 * ids to skip.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "base/opts.h"
#include "json/json.h"
#include "schema/schema.h"

static const char usage[] =
	"usage: oak-pg-copy --kind invocation|update|metric|joined "
	"[--quiet-invalid]\n"
	"                   [--refused FILE] [--skip FILE] "
	"[--rejects FILE] [--strict] [FILE ...]\n";

static struct schema *schema;
static struct json_doc doc;
static struct buf out, scratch, err;
static bool quiet_invalid;
static FILE *refused;
static struct ht *skip;
static long seq;

/* Does any string (key or value) of the document hold a NUL? */
static bool
has_nul(const struct json_doc *d, const struct line *ln)
{
	int i;

	if (memchr(ln->text, 'u', ln->len) == NULL ||
	    strstr(ln->text, "\\u0000") == NULL)
		return false;
	for (i = 0; i < d->ntok; i++) {
		if (d->tok[i].type != JSMN_STRING)
			continue;
		buf_reset(&scratch);
		json_unescape(d, i, &scratch);
		if (memchr(scratch.data, '\0', scratch.len) != NULL)
			return true;
	}
	return false;
}

/* The unescaped invocation_id into scratch; false when there is none. */
static bool
invocation_id(const struct json_doc *d)
{
	int i = json_get(d, 0, "invocation_id");

	buf_reset(&scratch);
	if (!json_is_string(d, i))
		return false;
	json_unescape(d, i, &scratch);
	return true;
}

/* A line valid against the kind's schema; false (reported unless
 * --quiet-invalid) when not. */
static bool
valid(const char *file, const struct line *ln)
{
	const char *why;

	if (quiet_invalid)
		return json_parse(&doc, ln->text, ln->len, &why) == 0 &&
		       schema_validate(schema, &doc, 0, &err);
	if (!json_parse_line(&doc, file, ln))
		return false;
	buf_reset(&err);
	if (!schema_validate(schema, &doc, 0, &err)) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", err.data);
		return false;
	}
	return true;
}

/* COPY text format: backslash, tab, newline and CR escaped. */
static void
copy_escape(struct buf *b, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (p[i]) {
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		default: buf_addc(b, p[i]);
		}
	}
}

static void
copy_one(void *unused, const char *file, const struct line *ln)
{
	(void)unused;
	seq++;
	if (!valid(file, ln))
		return;
	if (skip != NULL && invocation_id(&doc) &&
	    ht_find(skip, scratch.data, scratch.len) != NULL)
		return;    /* refused, and reported, with another line */
	if (has_nul(&doc, ln)) {
		oak_reject(file, ln->no, ln->text, ln->len,
			   "a NUL character (\\u0000), which PostgreSQL text "
			   "cannot hold: not loaded, nor its invocation");
		if (refused != NULL && invocation_id(&doc)) {
			buf_reset(&out);
			jw_string(&out, scratch.data, scratch.len);
			buf_addc(&out, '\n');
			buf_write(&out, refused);
		}
		return;
	}
	buf_reset(&out);
	buf_printf(&out, "%ld\t", seq);
	copy_escape(&out, ln->text, ln->len);
	buf_addc(&out, '\n');
	buf_write(&out, stdout);
}

/* Reads the ids --refused wrote (JSON strings, one a line). */
static void
skip_read(void *unused, const char *file, const struct line *ln)
{
	(void)unused;
	if (!json_parse_line(&doc, file, ln))
		return;
	if (!json_is_string(&doc, 0)) {
		oak_reject(file, ln->no, ln->text, ln->len, "not a JSON string");
		return;
	}
	buf_reset(&scratch);
	json_unescape(&doc, 0, &scratch);
	ht_put(skip, scratch.data, scratch.len, NULL);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "quiet-invalid", no_argument, NULL, 'q' },
		{ "refused", required_argument, NULL, 'f' },
		{ "skip", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	const char *kind = NULL;
	char *skip_file = NULL;
	int c;
	struct oak_opts opts;

	oak_setprog("oak-pg-copy");
	oak_opts_begin(&opts, argc, argv, NULL, longopts, OAK_OPTS_REJECTS,
		       usage);
	while ((c = oak_opts_next(&opts)) != -1) {
		switch (c) {
		case 'k': kind = optarg; break;
		case 'q': quiet_invalid = true; break;
		case 'f':
			if ((refused = fopen(optarg, "a")) == NULL)
				oak_die_errno(optarg);
			break;
		case 'S': skip_file = optarg; break;
		}
	}
	if (kind == NULL || (strcmp(kind, "invocation") != 0 &&
	    strcmp(kind, "update") != 0 && strcmp(kind, "metric") != 0 &&
	    strcmp(kind, "joined") != 0))
		oak_usage(&opts, OAK_EXIT_USAGE);
	schema = schema_load_kind(kind);
	if (skip_file != NULL) {
		skip = ht_create();
		line_each(1, &skip_file, skip_read, NULL);
	}

	line_each(opts.noperand, opts.operand, copy_one, NULL);

	if (refused != NULL && fclose(refused) != 0)
		oak_die_errno("--refused");
	schema_release(schema);
	json_doc_release(&doc);
	return oak_exit_status();
}
