/*
 * oak-features: JoinedInvocations in, a feature table out, one row per
 * invocation, for pandas or scikit-learn: CSV (RFC 4180) or TSV with a
 * header. Without --columns a first pass finds the state_features
 * columns, so the input is read twice (standard input is kept in a
 * temporary file for it). Memory: the column set and one row.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base.h"
#include "features.h"
#include "record/invocation.h"

static _Noreturn void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: oak-features [--format csv|tsv] [--columns FILE | "
		    "--list-columns]\n"
		    "                    [--rejects FILE] [--strict] [FILE ...]\n");
	exit(status);
}

/* An input as read (path) and as named in messages (name). */
struct input {
	const char *path, *name;
};

static struct table table;
static struct json_doc doc;
static struct row *row;
static struct input *inputs;
static struct buf out;
static char spool_path[] = "/tmp/oak-features.XXXXXX";
static bool spooled;

/* Copies standard input to a temporary file, read twice. */
static const char *
spool_stdin(void)
{
	char chunk[65536];
	ssize_t got;
	int fd;

	if (spooled)
		return spool_path;
	if ((fd = mkstemp(spool_path)) < 0)
		oak_die_errno(spool_path);
	spooled = true;
	while ((got = read(0, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			oak_die_errno("-");
		if (write(fd, chunk, (size_t)got) != got)
			oak_die_errno(spool_path);
	}
	if (close(fd) < 0)
		oak_die_errno(spool_path);
	return spool_path;
}

/* Calls fn for each non-blank line of each input in turn. */
static void
each_line(const struct input *in, int nin,
	  void (*fn)(const char *file, const struct line *ln))
{
	struct line_reader *r;
	struct line ln;
	int k, got;

	for (k = 0; k < nin; k++) {
		if ((r = line_open(in[k].path)) == NULL)
			oak_die(OAK_EXIT_IO, "%s: %s", in[k].name,
				strerror(errno));
		while ((got = line_next(r, &ln)) > 0)
			if (!line_blank(ln.text, ln.len))
				fn(in[k].name, &ln);
		if (got < 0)
			oak_die(OAK_EXIT_IO, "%s: %s", in[k].name,
				strerror(errno));
		line_close(r);
	}
}

/* First pass: the state feature columns of every good record. */
static void
discover_one(const char *file, const struct line *ln)
{
	struct oak_instant when;
	const char *why;

	(void)file;
	if (json_parse(&doc, ln->text, ln->len, &why) == 0 &&
	    invocation_check(&doc, &when) == NULL)
		table_discover(&table, &doc);
}

static void
row_one(const char *file, const struct line *ln)
{
	struct oak_instant when;
	const char *why;

	if (!json_parse_line(&doc, file, ln))
		return;
	if ((why = invocation_check(&doc, &when)) != NULL ||
	    (why = row_fill(row, &table, &doc)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	buf_reset(&out);
	row_write(row, &out);
	buf_write(&out, stdout);
}

/* The inputs named, or standard input; "-" is standard input, spooled
 * to a file when it must be read twice. */
static struct input *
inputs_of(int argc, char **argv, bool twice, int *nin)
{
	static char *dash[] = { "-" };
	struct input *in;
	int k;

	if (argc == 0) {
		argc = 1;
		argv = dash;
	}
	in = oak_calloc((size_t)argc, sizeof(*in));
	for (k = 0; k < argc; k++) {
		in[k].name = argv[k];
		in[k].path = argv[k];
		if (twice && strcmp(argv[k], "-") == 0)
			in[k].path = spool_stdin();
	}
	*nin = argc;
	return in;
}

static enum table_format
format_of(const char *name)
{
	if (strcmp(name, "csv") == 0)
		return FORMAT_CSV;
	if (strcmp(name, "tsv") == 0)
		return FORMAT_TSV;
	oak_die(OAK_EXIT_USAGE, "--format: want csv or tsv: %s", name);
}

/* The default column set: identity, the features found, labels. */
static void
columns_discover(const struct input *in, int nin)
{
	size_t nleading;

	table_add_leading(&table);
	nleading = table.n;
	each_line(in, nin, discover_one);
	table_sort(&table, nleading, table.n);
	table_add_labels(&table);
}

static void
list_columns(void)
{
	size_t c;

	for (c = 0; c < table.n; c++)
		printf("%s\n", table.col[c].name);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "columns", required_argument, NULL, 'c' },
		{ "list-columns", no_argument, NULL, 'l' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum table_format format = FORMAT_CSV;
	const char *columns = NULL;
	bool list = false;
	int c, nin;

	oak_setprog("oak-features");
	table_init(&table);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = format_of(optarg); break;
		case 'c': columns = optarg; break;
		case 'l': list = true; break;
		case 'r': oak_rejects_open(optarg); break;
		case 's': oak_set_strict(true); break;
		case 'h': usage(stdout, OAK_EXIT_OK);
		case 'V': oak_version();
		default: usage(stderr, OAK_EXIT_USAGE);
		}
	}
	if (columns != NULL && list)
		usage(stderr, OAK_EXIT_USAGE);
	inputs = inputs_of(argc - optind, argv + optind, columns == NULL, &nin);

	if (columns != NULL)
		table_read_columns(&table, columns);
	else
		columns_discover(inputs, nin);
	if (list) {
		list_columns();
	} else {
		row = row_create(&table, format);
		row_write_header(row, &out);
		buf_write(&out, stdout);
		each_line(inputs, nin, row_one);
		row_release(row);
	}
	if (spooled)
		unlink(spool_path);
	free(inputs);
	table_release(&table);
	json_doc_release(&doc);
	buf_release(&out);
	return oak_exit_status();
}
