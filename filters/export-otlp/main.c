/*
 * oak-export-otlp: JoinedInvocations in, OpenTelemetry out: each
 * invocation an "invoke_agent" span, each quality rating a
 * gen_ai.evaluation.result log record, in batches of --batch
 * invocations, written as JSON lines of TracesData and LogsData (what
 * the Collector's file receiver reads) or POSTed to an OTLP/HTTP
 * receiver with curl. Memory: one batch.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "otlp.h"
#include "record/invocation.h"

static _Noreturn void
usage(FILE *fp, int status)
{
	fprintf(fp, "usage: oak-export-otlp [--trace-by session|workflow] "
		    "[--provider NAME] [--batch N]\n"
		    "                       [--endpoint URL [--header K=V ...]] "
		    "[--rejects FILE] [--strict] [FILE ...]\n");
	exit(status);
}

/* One batch: its spans and log records, and where its lines came from. */
struct batch {
	struct buf spans, logs, out, why;
	size_t nspans, nlogs, max;
	long number;
	const char *file;
	long first_line, last_line;
};

static struct otlp_options options = { TRACE_BY_SESSION, "anthropic" };
static const char *endpoint;
static char **headers;
static size_t nheaders;
static unsigned long refused;
static struct json_doc doc;
static struct batch batch;

/* Sends (or writes) one TracesData or LogsData line. */
static void
emit(const char *path)
{
	static struct buf url;
	int code;

	if (endpoint == NULL) {
		buf_write(&batch.out, stdout);
		return;
	}
	buf_reset(&url);
	buf_adds(&url, endpoint);
	while (url.len > 0 && url.data[url.len - 1] == '/')
		url.data[--url.len] = '\0';
	buf_adds(&url, path);
	code = otlp_post(url.data, headers, nheaders, &batch.out, &batch.why);
	if (code >= 200 && code < 300)
		return;
	refused++;
	if (code < 0)
		oak_warn("%s: batch %ld (%s:%ld-%ld): not sent: %s", url.data,
			 batch.number, batch.file, batch.first_line,
			 batch.last_line, batch.why.data);
	else
		oak_warn("%s: batch %ld (%s:%ld-%ld): refused: HTTP %d",
			 url.data, batch.number, batch.file, batch.first_line,
			 batch.last_line, code);
}

static void
flush(void)
{
	if (batch.nspans == 0)
		return;
	batch.number++;
	buf_reset(&batch.out);
	otlp_data(&batch.out, OTLP_TRACES, &batch.spans);
	emit("/v1/traces");
	if (batch.nlogs > 0) {
		buf_reset(&batch.out);
		otlp_data(&batch.out, OTLP_LOGS, &batch.logs);
		emit("/v1/logs");
	}
	buf_reset(&batch.spans);
	buf_reset(&batch.logs);
	batch.nspans = batch.nlogs = 0;
}

static void
export_one(void *unused, const char *file, const struct line *ln)
{
	struct oak_instant when;
	const char *why;

	(void)unused;
	if (!json_parse_line(&doc, file, ln))
		return;
	if ((why = invocation_check(&doc, &when)) != NULL ||
	    (why = otlp_span(&doc, &options, &batch.spans, &batch.logs,
			     &batch.nlogs)) != NULL) {
		oak_reject(file, ln->no, ln->text, ln->len, "%s", why);
		return;
	}
	if (batch.nspans == 0 || batch.file != file) {
		batch.file = file;
		batch.first_line = ln->no;
	}
	batch.last_line = ln->no;
	if (++batch.nspans == batch.max)
		flush();
}

/* --header K=V, kept as curl's "K: V". */
static void
header_add(const char *kv)
{
	const char *eq = strchr(kv, '=');
	struct buf h;

	if (eq == NULL || eq == kv)
		oak_die(OAK_EXIT_USAGE, "--header: want K=V: %s", kv);
	buf_init(&h);
	buf_add(&h, kv, (size_t)(eq - kv));
	buf_printf(&h, ": %s", eq + 1);
	headers = oak_realloc(headers, sizeof(*headers) * (nheaders + 1));
	headers[nheaders++] = h.data;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trace-by", required_argument, NULL, 't' },
		{ "provider", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "header", required_argument, NULL, 'H' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	long long n = 512;
	int c;

	oak_setprog("oak-export-otlp");
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (strcmp(optarg, "session") == 0)
				options.trace_by = TRACE_BY_SESSION;
			else if (strcmp(optarg, "workflow") == 0)
				options.trace_by = TRACE_BY_WORKFLOW;
			else
				oak_die(OAK_EXIT_USAGE, "--trace-by: want "
					"session or workflow: %s", optarg);
			break;
		case 'p': options.provider = optarg; break;
		case 'b':
			if (oak_parse_ll(optarg, 1, 1000000, &n) < 0)
				oak_die(OAK_EXIT_USAGE, "--batch: not a count "
					"from 1 to 1000000: %s", optarg);
			break;
		case 'e': endpoint = optarg; break;
		case 'H': header_add(optarg); break;
		case 'r': oak_rejects_open(optarg); break;
		case 's': oak_set_strict(true); break;
		case 'h': usage(stdout, OAK_EXIT_OK);
		case 'V': oak_version();
		default: usage(stderr, OAK_EXIT_USAGE);
		}
	}
	if (nheaders > 0 && endpoint == NULL)
		oak_die(OAK_EXIT_USAGE, "--header needs --endpoint");
	batch.max = (size_t)n;

	line_each(argc - optind, argv + optind, export_one, NULL);
	flush();

	json_doc_release(&doc);
	if (refused > 0) {
		oak_finish_output();
		oak_die(OAK_EXIT_IO, "%lu batch%s not accepted", refused,
			refused == 1 ? "" : "es");
	}
	return oak_exit_status();
}
