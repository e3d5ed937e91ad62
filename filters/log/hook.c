/*
 * hook.c: one Claude Code hook event (JSON on stdin) to records. A call
 * of the subagent tool (Agent, named Task before Claude Code 2.1.63) is
 * started by PreToolUse and ended by PostToolUse or PostToolUseFailure;
 * both derive the invocation id from the host's tool_use_id (a v5 uuid
 * under OAK_LOG_NAMESPACE), so no state is kept between events. A
 * background call's PostToolUse only records the subagent's agent_id;
 * its SubagentStop finds that record by reading the updates log
 * backwards and ends the call. The hook never disturbs the agent: it
 * exits 0 whatever happens, writes nothing on stdout, warns on stderr.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/append.h"
#include "claude/claude.h"
#include "log.h"

struct event {
	struct json_doc doc;
	const char *dir;
	char id[OAK_UUID_LEN + 1];   /* the invocation, from tool_use_id */
	char *tool_use_id;
};

/* The unescaped string at token i, or NULL when it is not a string. */
static char *
string_at(const struct json_doc *d, int i)
{
	struct buf s;

	if (!json_is_string(d, i))
		return NULL;
	buf_init(&s);
	json_unescape(d, i, &s);
	if (s.len == 0) {
		/* "" may leave a buffer grown but never terminated */
		buf_release(&s);
		return oak_strdup("");
	}
	return s.data;
}

/* Reads all of fd 0 into in. 0, or -1 after a warning. */
static int
read_stdin(struct buf *in)
{
	ssize_t n;

	for (;;) {
		buf_grow(in, 65536);
		n = read(0, in->data + in->len, in->cap - in->len - 1);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			oak_warn("hook: stdin: %s", strerror(errno));
			return -1;
		}
		in->len += (size_t)n;
		in->data[in->len] = '\0';
	}
}

/* Copies the value of key in object obj into the object being written
 * in out as out_key, if present. */
static void
copy_member(struct buf *out, const struct json_doc *d, int obj,
	    const char *key, const char *out_key)
{
	int v = json_get(d, obj, key);

	if (v < 0)
		return;
	jw_key(out, out_key);
	jw_pyvalue(out, d, v);
}

/*
 * The tokens of the subagent's transcript (agent_transcript_path, else
 * TRANSCRIPT/subagents/agent-ID.jsonl beside the session's transcript)
 * as metadata members, when it can be read (claude/usage.c).
 */
static void
transcript_tokens(struct buf *meta, const struct json_doc *d, int agent)
{
	char *path = string_at(d, json_get(d, 0, "agent_transcript_path"));
	char *main = string_at(d, json_get(d, 0, "transcript_path"));
	char *id = string_at(d, agent);
	struct claude_pricing *prices;
	struct claude_usage u;
	struct buf b;
	size_t len;

	buf_init(&b);
	if (path == NULL && main != NULL && id != NULL &&
	    (len = strlen(main)) > 6 && strcmp(main + len - 6, ".jsonl") == 0) {
		buf_printf(&b, "%.*s/subagents/agent-%s.jsonl", (int)(len - 6),
			   main, id);
		path = b.data;
		b.data = NULL;
	}
	claude_usage_init(&u);
	if (path != NULL && claude_usage_read(&u, path) == 0) {
		prices = claude_pricing_load(NULL);
		claude_usage_write(meta, &u, prices);
		jw_key(meta, "tokens_complete");
		buf_adds(meta, "true");
		claude_pricing_release(prices);
	}
	claude_usage_release(&u);
	buf_release(&b);
	free(path);
	free(main);
	free(id);
}

static void
pre_tool_use(struct event *ev)
{
	const struct json_doc *d = &ev->doc;
	int input = json_get(d, 0, "tool_input");
	char *agent = string_at(d, json_get(d, input, "subagent_type"));
	char *task = string_at(d, json_get(d, input, "description"));
	char *session = string_at(d, json_get(d, 0, "session_id"));
	char *prompt = string_at(d, json_get(d, input, "prompt"));
	char *cwd = string_at(d, json_get(d, 0, "cwd"));
	const char *workflow = getenv("OAK_WORKFLOW_ID");
	const char *parent = getenv("OAK_PARENT_INVOCATION_ID");
	struct start_record r = { 0 };
	struct log_features features;
	struct buf meta, line;

	log_features(&features, NULL, &(struct features_call){
		.description = task, .prompt = prompt, .subagent_type = agent,
		.cwd = cwd, .cache_dir = ev->dir });
	if (agent == NULL || *agent == '\0') {
		free(agent);
		agent = oak_strdup("general-purpose");
	}
	buf_init(&meta);
	buf_addc(&meta, '{');
	jw_key(&meta, "tool_use_id");
	jw_cstring(&meta, ev->tool_use_id);
	copy_member(&meta, d, input, "model", "model");
	copy_member(&meta, d, input, "run_in_background", "run_in_background");
	/* fired inside a subagent: the calling subagent */
	copy_member(&meta, d, 0, "agent_id", "parent_agent_id");
	copy_member(&meta, d, 0, "agent_type", "parent_agent_type");
	if (workflow != NULL && *workflow != '\0') {
		jw_key(&meta, "workflow_id");
		jw_cstring(&meta, workflow);
	}
	buf_addc(&meta, '}');

	r.invocation_id = ev->id;
	r.session_id = session != NULL && *session != '\0' ? session :
							      session_id();
	r.agent_name = agent;
	r.agent_type = claude_agent_category(agent);
	r.task = task != NULL ? task : "";
	r.features = &features.doc;
	r.parent_id = parent != NULL && *parent != '\0' ? parent : NULL;
	r.metadata = meta.data;
	buf_init(&line);
	record_start(&line, &r);
	oak_append_line(ev->dir, INVOCATIONS_FILE, &line);
	buf_release(&line);
	buf_release(&meta);
	log_features_release(&features);
	free(agent);
	free(task);
	free(session);
	free(prompt);
	free(cwd);
}

/* Is the call started? Warns when it is not (nothing will be logged). */
static bool
started(struct event *ev, struct buf *start)
{
	int rc = store_find_invocation(ev->dir, ev->id, start);

	if (rc == 0)
		oak_warn("hook: no start logged for tool_use_id %s "
			 "(invocation %s): nothing logged", ev->tool_use_id,
			 ev->id);
	return rc == 1;
}

/* duration_ms of the event, else the response's totalDurationMs. */
static bool
duration_of(const struct json_doc *d, int response, double *seconds)
{
	int v = json_get(d, 0, "duration_ms");

	if (!json_is_number(d, v))
		v = json_get(d, response, "totalDurationMs");
	if (!json_is_number(d, v) || json_number(d, v) < 0)
		return false;
	*seconds = json_number(d, v) / 1000.0;
	return true;
}

static void
append_update(struct event *ev, struct update_record *r)
{
	struct buf line;

	buf_init(&line);
	r->invocation_id = ev->id;
	record_update(&line, r);
	oak_append_line(ev->dir, UPDATES_FILE, &line);
	buf_release(&line);
}

static void
post_tool_use(struct event *ev)
{
	const struct json_doc *d = &ev->doc;
	int response = json_get(d, 0, "tool_response");
	int status = json_get(d, response, "status");
	struct update_record r = { 0 };
	struct buf meta;

	if (!started(ev, NULL))
		return;
	r.tests_passed = r.build_succeeded = -1;
	buf_init(&meta);
	buf_addc(&meta, '{');
	copy_member(&meta, d, response, "agentId", "agent_id");
	if (json_streq(d, status, "async_launched")) {
		/* a background call: its SubagentStop will end it */
		buf_addc(&meta, '}');
		r.metadata = meta.data;
		append_update(ev, &r);
		buf_release(&meta);
		return;
	}
	copy_member(&meta, d, response, "totalToolUseCount",
		    "total_tool_use_count");
	/* totalTokens is the subagent's last request only: the tokens
	 * are summed from its transcript */
	copy_member(&meta, d, response, "totalTokens", "reported_total_tokens");
	copy_member(&meta, d, response, "usage", "usage");
	transcript_tokens(&meta, d, json_get(d, response, "agentId"));
	buf_addc(&meta, '}');
	r.has_duration = duration_of(d, response, &r.duration);
	/* "completed", or no status from hosts that sent none */
	r.status = status < 0 || json_streq(d, status, "completed") ?
			   "success" : "unknown";
	r.metadata = meta.data;
	append_update(ev, &r);
	buf_release(&meta);
}

static void
post_tool_use_failure(struct event *ev)
{
	const struct json_doc *d = &ev->doc;
	char *error = string_at(d, json_get(d, 0, "error"));
	struct update_record r = { 0 };

	if (started(ev, NULL)) {
		r.tests_passed = r.build_succeeded = -1;
		r.has_duration = duration_of(d, -1, &r.duration);
		r.status = json_is_true(d, json_get(d, 0, "is_interrupt")) ?
				   "partial" : "failure";
		r.error = error;
		append_update(ev, &r);
	}
	free(error);
}

/* SubagentStop: the update that recorded the agent_id, last first. */
struct launch_match {
	const char *agent_id;
	char *invocation_id;
	bool ended;
};

static bool
is_launch(const char *line, size_t len, void *arg)
{
	struct launch_match *m = arg;
	struct json_doc doc;
	const char *why;
	char *agent;
	bool ok = false;

	json_doc_init(&doc);
	if (json_parse(&doc, line, len, &why) == 0) {
		agent = string_at(&doc, json_path(&doc, 0, "metadata",
						  "agent_id", (char *)NULL));
		ok = agent != NULL && strcmp(agent, m->agent_id) == 0;
		if (ok) {
			m->invocation_id = string_at(
				&doc, json_get(&doc, 0, "invocation_id"));
			m->ended = json_get(&doc, 0, "outcome") >= 0;
			ok = m->invocation_id != NULL;
		}
		free(agent);
	}
	json_doc_release(&doc);
	return ok;
}

/* Seconds from the start record's timestamp to now; false if unknown. */
static bool
seconds_since(const struct buf *start, double *seconds)
{
	struct oak_instant then, now;
	struct json_doc doc;
	struct buf ts;
	const char *why, *p;
	size_t len;
	int v;
	bool ok = false;

	json_doc_init(&doc);
	buf_init(&ts);
	oak_now_iso(&ts);
	if (json_parse(&doc, start->data, start->len, &why) == 0 &&
	    json_is_string(&doc, v = json_get(&doc, 0, "timestamp"))) {
		p = json_raw(&doc, v, &len);
		if (oak_time_parse(p, len, false, &then) == 0 &&
		    oak_time_parse(ts.data, ts.len, false, &now) == 0) {
			*seconds = (double)(now.sec - then.sec) +
				   (now.nsec - then.nsec) / 1e9;
			if (*seconds < 0)
				*seconds = 0;
			*seconds = py_round(*seconds, 6);
			ok = true;
		}
	}
	buf_release(&ts);
	json_doc_release(&doc);
	return ok;
}

static void
subagent_stop(struct event *ev)
{
	const struct json_doc *d = &ev->doc;
	char *agent_id = string_at(d, json_get(d, 0, "agent_id"));
	struct launch_match m = { agent_id, NULL, false };
	struct update_record r = { 0 };
	struct buf needle, start, meta;
	int rc;

	if (agent_id == NULL) {
		oak_warn("hook: SubagentStop without an agent_id: ignored");
		return;
	}
	buf_init(&needle);
	buf_init(&start);
	buf_init(&meta);
	jw_cstring(&needle, agent_id);
	rc = store_scan_back(ev->dir, UPDATES_FILE, needle.data, needle.len,
			     is_launch, &m);
	/* not launched in the background (a foreground call ends with its
	 * PostToolUse), or already ended: nothing to do */
	if (rc != 1 || m.ended)
		goto out;
	if (strlen(m.invocation_id) > OAK_UUID_LEN)
		goto out;
	strcpy(ev->id, m.invocation_id);
	if (store_find_invocation(ev->dir, ev->id, &start) != 1) {
		oak_warn("hook: SubagentStop: agent %s: invocation %s has no "
			 "start: nothing logged", agent_id, ev->id);
		goto out;
	}
	r.tests_passed = r.build_succeeded = -1;
	r.has_duration = seconds_since(&start, &r.duration);
	r.status = "success";
	buf_addc(&meta, '{');
	jw_key(&meta, "agent_id");
	jw_cstring(&meta, agent_id);
	transcript_tokens(&meta, d, json_get(d, 0, "agent_id"));
	buf_addc(&meta, '}');
	r.metadata = meta.data;
	append_update(ev, &r);
out:
	buf_release(&needle);
	buf_release(&start);
	buf_release(&meta);
	free(m.invocation_id);
	free(agent_id);
}

int
hook_run(const char *dir)
{
	struct event ev;
	struct buf in;
	const char *why;
	int tool, name;

	memset(&ev, 0, sizeof(ev));
	ev.dir = dir;
	json_doc_init(&ev.doc);
	buf_init(&in);
	if (read_stdin(&in) < 0)
		goto out;
	if (in.len == 0) {
		oak_warn("hook: stdin: no event");
		goto out;
	}
	if (json_parse(&ev.doc, in.data, in.len, &why) < 0) {
		oak_warn("hook: stdin: %s", why);
		goto out;
	}
	if (!json_is_object(&ev.doc, 0)) {
		oak_warn("hook: stdin: not a JSON object");
		goto out;
	}
	name = json_get(&ev.doc, 0, "hook_event_name");
	if (json_streq(&ev.doc, name, "SubagentStop")) {
		subagent_stop(&ev);
		goto out;
	}
	tool = json_get(&ev.doc, 0, "tool_name");
	if (!json_streq(&ev.doc, tool, "Agent") &&
	    !json_streq(&ev.doc, tool, "Task"))
		goto out;  /* another tool, or another event */
	if (!json_streq(&ev.doc, name, "PreToolUse") &&
	    !json_streq(&ev.doc, name, "PostToolUse") &&
	    !json_streq(&ev.doc, name, "PostToolUseFailure"))
		goto out;
	ev.tool_use_id = string_at(&ev.doc, json_get(&ev.doc, 0, "tool_use_id"));
	if (ev.tool_use_id == NULL || *ev.tool_use_id == '\0') {
		oak_warn("hook: %.*s event without a tool_use_id: ignored",
			 ev.doc.tok[name].end - ev.doc.tok[name].start,
			 ev.doc.text + ev.doc.tok[name].start);
		goto out;
	}
	oak_uuid_v5(ev.id, OAK_LOG_NAMESPACE, ev.tool_use_id,
		    strlen(ev.tool_use_id));
	if (json_streq(&ev.doc, name, "PreToolUse"))
		pre_tool_use(&ev);
	else if (json_streq(&ev.doc, name, "PostToolUse"))
		post_tool_use(&ev);
	else
		post_tool_use_failure(&ev);
out:
	free(ev.tool_use_id);
	json_doc_release(&ev.doc);
	buf_release(&in);
	return OAK_EXIT_OK;
}
