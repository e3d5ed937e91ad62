/*
 * emit.c: a session's subagent calls to the telemetry logs. What the
 * logs already hold is read once, at the start: for each invocation id,
 * whether its AgentInvocation is there, whether the hook (or anyone but
 * the importer) logged its outcome, and the last token sum imported and
 * whether it was complete. So a re-run appends nothing, a grown session
 * only what is new, and a call the hook logged gets only its tokens.
 * Each record is one locked append (oak_append_line, base/append.h): a run cut short
 * leaves whole records, and the next run finishes the job.
 */
#include <stdlib.h>
#include <string.h>

#include "base/append.h"
#include "features/features.h"
#include "import.h"

struct seen {
	bool start;          /* its AgentInvocation is logged */
	bool outcome;        /* an outcome not written by the importer */
	bool complete;       /* the call's end and final tokens are logged */
	int64_t total;       /* the last total_tokens logged, -1: none */
};

struct emit {
	const char *dir;
	const struct claude_pricing *pricing;
	const struct oak_window *since;
	struct ht *seen;     /* invocation id -> struct seen * */
	struct seen **all;
	size_t nall, capall;
	unsigned long appended;
};

static struct seen *
seen_of(struct emit *e, const char *id, size_t len)
{
	bool created;
	void **slot = ht_put(e->seen, id, len, &created);
	struct seen *sn;

	if (created) {
		sn = oak_calloc(1, sizeof(*sn));
		sn->total = -1;
		*slot = sn;
		if (e->nall == e->capall) {
			e->capall = e->capall ? 2 * e->capall : 64;
			e->all = oak_realloc(e->all, e->capall * sizeof(*e->all));
		}
		e->all[e->nall++] = sn;
	}
	return *slot;
}

/* What one logged record says of its invocation. */
static void
index_record(struct emit *e, const struct json_doc *d, bool is_start)
{
	int id = json_get(d, 0, "invocation_id");
	int meta = json_get(d, 0, "metadata");
	struct seen *sn;
	const char *p;
	size_t len;
	int64_t total;

	if (!json_is_string(d, id))
		return;
	p = json_raw(d, id, &len);
	sn = seen_of(e, p, len);
	if (is_start) {
		sn->start = true;
		return;
	}
	if (json_get(d, 0, "outcome") >= 0 &&
	    !json_is_true(d, json_get(d, meta, "imported")))
		sn->outcome = true;
	if (json_get(d, meta, "tokens") >= 0 &&
	    json_int64(d, json_get(d, meta, "total_tokens"), &total) == 0)
		sn->total = total;
	sn->complete |= json_is_true(d, json_get(d, meta, "tokens_complete"));
}

/* Reads one log of dir into the index; a missing log is empty. */
static void
index_log(struct emit *e, const char *name, bool is_start)
{
	struct line_reader *r;
	struct json_doc doc;
	struct buf path;
	struct line ln;
	const char *why;

	buf_init(&path);
	buf_printf(&path, "%s/%s", e->dir, name);
	if ((r = line_open(path.data)) == NULL) {
		buf_release(&path);
		return;
	}
	json_doc_init(&doc);
	while (line_next(r, &ln) == 1) {
		if (line_blank(ln.text, ln.len))
			continue;
		if (json_parse(&doc, ln.text, ln.len, &why) < 0)
			oak_warn_at(path.data, ln.no, "%s: not indexed", why);
		else
			index_record(e, &doc, is_start);
	}
	json_doc_release(&doc);
	line_close(r);
	buf_release(&path);
}

struct emit *
emit_open(const char *dir, const struct claude_pricing *p,
	  const struct oak_window *since)
{
	struct emit *e = oak_calloc(1, sizeof(*e));

	e->dir = dir;
	e->pricing = p;
	e->since = since;
	e->seen = ht_create();
	index_log(e, INVOCATIONS_FILE, true);
	index_log(e, UPDATES_FILE, false);
	return e;
}

void
emit_close(struct emit *e)
{
	size_t i;

	for (i = 0; i < e->nall; i++)
		free(e->all[i]);
	free(e->all);
	ht_release(e->seen);
	free(e);
}

unsigned long
emit_count(const struct emit *e)
{
	return e->appended;
}

/* An instant as a JSON string: at, or now when at is NULL. */
static void
jw_instant(struct buf *b, const struct oak_instant *at)
{
	struct buf ts;

	buf_init(&ts);
	if (at != NULL)
		oak_time_format(&ts, *at);
	else
		oak_now_iso(&ts);
	jw_string(b, ts.data, ts.len);
	buf_release(&ts);
}

static void
string_or_null(struct buf *b, const char *s)
{
	if (s != NULL)
		jw_cstring(b, s);
	else
		buf_adds(b, "null");
}

static void
string_list(struct buf *b, const struct strset *set)
{
	size_t i;

	buf_addc(b, '[');
	for (i = 0; set != NULL && i < set->n; i++) {
		jw_sep(b);
		jw_cstring(b, set->s[i]);
	}
	buf_addc(b, ']');
}

static void
start_metadata(struct buf *b, const struct call *c, const struct agent *a)
{
	const char *model = c->model;

	/* the model the subagent ran on; else the one the call asked for */
	if (a != NULL && a->usage.nmodel > 0)
		model = a->usage.model[0].name;
	buf_addc(b, '{');
	jw_key(b, "source");
	jw_cstring(b, "claude-code-transcript");
	jw_key(b, "tool_use_id");
	jw_cstring(b, c->tool_use_id);
	jw_key(b, "agent_id");
	string_or_null(b, c->agent_id);
	jw_key(b, "model");
	string_or_null(b, model);
	jw_key(b, "claude_code_version");
	string_or_null(b, c->version);
	jw_key(b, "run_in_background");
	buf_adds(b, c->background ? "true" : "false");
	buf_addc(b, '}');
}

/*
 * state_features: the context the transcript gives (where the call was
 * made), completed with the task's inferred type and scope
 * (common/features). No codebase figures: today's tree is not the tree
 * the call ran in, so no cwd is handed to the inference.
 */
static void
write_features(struct buf *b, const struct call *c)
{
	struct features_call fc = { c->task, c->prompt, c->agent_name, NULL,
				    NULL };
	struct json_doc given;
	struct buf ctx;
	const char *why;

	buf_init(&ctx);
	buf_adds(&ctx, "{\"context\": {");
	if (c->cwd != NULL) {
		jw_key(&ctx, "cwd");
		jw_cstring(&ctx, c->cwd);
	}
	if (c->branch != NULL && *c->branch != '\0') {
		jw_key(&ctx, "git_branch");
		jw_cstring(&ctx, c->branch);
	}
	buf_adds(&ctx, "}}");
	json_doc_init(&given);
	if (json_parse(&given, ctx.data, ctx.len, &why) == 0)
		features_infer(b, &given, 0, &fc);
	else
		buf_add(b, ctx.data, ctx.len);  /* cannot happen: we wrote it */
	json_doc_release(&given);
	buf_release(&ctx);
}

/* The AgentInvocation of c, as the reference logger lays one out. */
static void
write_start(struct buf *b, const struct session *s, const struct call *c,
	    const struct agent *a, struct oak_instant at)
{
	buf_addc(b, '{');
	jw_key(b, "timestamp");
	jw_instant(b, &at);
	jw_key(b, "session_id");
	jw_cstring(b, c->session != NULL ? c->session : s->id);
	jw_key(b, "invocation_id");
	jw_cstring(b, c->id);
	jw_key(b, "agent_name");
	jw_cstring(b, c->agent_name);
	jw_key(b, "agent_type");
	jw_cstring(b, claude_agent_category(c->agent_name));
	jw_key(b, "task_description");
	jw_cstring(b, c->task != NULL ? c->task : "");
	jw_key(b, "state_features");
	write_features(b, c);
	jw_key(b, "parent_invocation_id");
	string_or_null(b, c->parent_agent != NULL ?
			  session_parent(s, c->parent_agent) : NULL);
	buf_adds(b, ", \"tools_used\": [], \"duration_seconds\": null, "
		    "\"outcome\": {\"status\": \"unknown\", \"error_message\": "
		    "null, \"files_modified\": [], \"files_created\": [], "
		    "\"tests_passed\": null, \"build_succeeded\": null}");
	jw_key(b, "metadata");
	start_metadata(b, c, a);
	buf_addc(b, '}');
}

static const char *
status_of(const struct call *c)
{
	return c->result == RESULT_OK ? "success" :
	       c->result == RESULT_ERROR ? "failure" : "unknown";
}

static void
write_outcome(struct buf *b, const struct call *c, const struct agent *a)
{
	jw_key(b, "outcome");
	buf_adds(b, "{\"status\": ");
	jw_cstring(b, status_of(c));
	jw_key(b, "error_message");
	string_or_null(b, c->error);
	jw_key(b, "files_modified");
	string_list(b, a != NULL ? &a->files : NULL);
	buf_addc(b, '}');
}

/* The update: all the importer knows, or (when the hook logged the
 * outcome) only the tokens. */
static void
write_update(struct emit *e, struct buf *b, const struct call *c,
	     const struct agent *a, bool tokens_only, bool complete)
{
	buf_addc(b, '{');
	jw_key(b, "timestamp");
	jw_instant(b, NULL);
	jw_key(b, "invocation_id");
	jw_cstring(b, c->id);
	if (!tokens_only) {
		if (c->has_duration) {
			jw_key(b, "duration_seconds");
			jw_double(b, c->duration);
		}
		jw_key(b, "tools_used");
		string_list(b, a != NULL ? &a->tools : NULL);
		write_outcome(b, c, a);
	}
	jw_key(b, "metadata");
	buf_addc(b, '{');
	jw_key(b, "imported");
	buf_adds(b, "true");
	if (c->agent_id != NULL) {
		jw_key(b, "agent_id");
		jw_cstring(b, c->agent_id);
	}
	if (a != NULL)
		claude_usage_write(b, &a->usage, e->pricing);
	if (c->reported_total >= 0) {
		jw_key(b, "reported_total_tokens");
		jw_int(b, c->reported_total);
	}
	jw_key(b, "tokens_complete");
	buf_adds(b, complete ? "true" : "false");
	buf_adds(b, "}}");
}

static int
append(struct emit *e, const char *name, struct buf *line)
{
	if (oak_append_line(e->dir, name, line) < 0)
		return -1;
	e->appended++;
	return 0;
}

/* Appends what is new of call c. 0, or -1 when a write failed. */
static int
emit_call(struct emit *e, const struct session *s, const struct call *c)
{
	struct agent *a = c->agent_id != NULL ? session_agent(s, c->agent_id)
					      : NULL;
	struct seen *sn = seen_of(e, c->id, strlen(c->id));
	bool complete = c->result == RESULT_OK || c->result == RESULT_ERROR;
	int64_t total;
	struct oak_instant at;
	struct buf line;
	int rc = 0;

	if (c->timestamp == NULL ||
	    oak_time_parse(c->timestamp, strlen(c->timestamp), false, &at) < 0) {
		oak_warn("session %s: call %s has no valid timestamp: skipped",
			 s->id, c->tool_use_id);
		return 0;
	}
	if (!oak_window_has(e->since, at))
		return 0;
	if (a != NULL && !a->seen)
		a = NULL;
	total = a != NULL ? claude_usage_total(&a->usage) : -1;
	buf_init(&line);
	if (!sn->start) {
		write_start(&line, s, c, a, at);
		if ((rc = append(e, INVOCATIONS_FILE, &line)) == 0)
			sn->start = true;
	}
	if (rc == 0 && !sn->complete && (complete || total != sn->total) &&
	    !(sn->outcome && a == NULL)) {
		buf_reset(&line);
		write_update(e, &line, c, a, sn->outcome, complete);
		if ((rc = append(e, UPDATES_FILE, &line)) == 0) {
			sn->total = total;
			sn->complete = complete;
		}
	}
	buf_release(&line);
	return rc;
}

int
emit_session(struct emit *e, const struct session *s)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < s->ncall; i++)
		if (emit_call(e, s, &s->call[i]) < 0)
			rc = -1;
	return rc;
}
