/*
 * otlp.h: oak-export-otlp's parts. span.c turns one JoinedInvocation
 * into an OTLP/JSON span and, when it has a SuccessMetric, a log record;
 * post.c sends a batch to an OTLP/HTTP receiver with curl.
 */
#ifndef OAK_OTLP_H
#define OAK_OTLP_H

#include "base/base.h"
#include "json/json.h"

enum trace_by { TRACE_BY_SESSION, TRACE_BY_WORKFLOW };

struct otlp_options {
	enum trace_by trace_by;
	const char *provider;        /* gen_ai.provider.name when unknown */
};

/* ---- span.c ------------------------------------------------------- */
/*
 * Appends the span of one invocation (checked by invocation_check, which
 * gave its start) to spans, and its gen_ai.evaluation.result log record
 * to logs when it has a SuccessMetric (*nlogs counts them). NULL, or the
 * reason the record cannot be exported.
 */
const char *otlp_span(const struct json_doc *d, const struct otlp_options *o,
		      struct buf *spans, struct buf *logs, size_t *nlogs);
/* Wraps spans into one TracesData line, or log records into LogsData. */
enum otlp_signal { OTLP_TRACES, OTLP_LOGS };
void otlp_data(struct buf *out, enum otlp_signal signal,
	       const struct buf *items);

/* ---- post.c ------------------------------------------------------- */
/* POSTs body to url with curl (Content-Type: application/json and the
 * headers "K: V"). Returns the HTTP status, or -1 when curl failed (its
 * reason in *why). */
int otlp_post(const char *url, char **headers, size_t nheaders,
	      const struct buf *body, struct buf *why);

#endif
