/*
 * session.c: one Claude Code session read into its subagent calls. A
 * call starts at an assistant record's tool_use block named Agent (Task
 * before 2.1.63) and ends at the user record whose tool_result has its
 * tool_use_id and which carries toolUseResult. A subagent's own records
 * are in its file subagents/agent-<agentId>.jsonl, or, in older
 * versions, in the main file marked "isSidechain": true with an
 * agentId; from them come its tokens, tools and edited files. Memory:
 * the calls and subagents of this one session.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* Record types of Claude Code transcripts that carry nothing for us. */
static const char *const quiet_types[] = {
	"system", "summary", "progress", "file-history-snapshot",
	"queue-operation", "custom-title", "tag", "agent-name", "pr-link",
	"last-prompt", "attachment", "result", NULL,
};

/* Tools whose input names a file they change, and the key naming it. */
static const struct {
	const char *tool, *key;
} editors[] = {
	{ "Edit", "file_path" }, { "Write", "file_path" },
	{ "MultiEdit", "file_path" }, { "NotebookEdit", "notebook_path" },
};

void
session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
	s->calls = ht_create();
	s->agents = ht_create();
}

static void
strset_release(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		free(set->s[i]);
	free(set->s);
}

static void
call_release(struct call *c)
{
	char **fields[] = {
		&c->tool_use_id, &c->agent_name, &c->task, &c->prompt, &c->model,
		&c->timestamp, &c->cwd, &c->branch, &c->version, &c->session,
		&c->parent_agent, &c->agent_id, &c->error,
	};
	size_t k;

	for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
		free(*fields[k]);
}

void
session_release(struct session *s)
{
	struct agent *a;
	size_t i;

	for (i = 0; i < s->ncall; i++)
		call_release(&s->call[i]);
	free(s->call);
	for (i = 0; i < s->nagent; i++) {
		a = *ht_find(s->agents, s->agent_keys[i],
			     strlen(s->agent_keys[i]));
		claude_usage_release(&a->usage);
		strset_release(&a->tools);
		strset_release(&a->files);
		free(a);
		free(s->agent_keys[i]);
	}
	free(s->agent_keys);
	ht_release(s->calls);
	ht_release(s->agents);
}

/* The unescaped string at token i, or NULL when it is not a string. */
static char *
string_at(const struct json_doc *d, int i)
{
	struct buf b;

	if (!json_is_string(d, i))
		return NULL;
	buf_init(&b);
	json_unescape(d, i, &b);
	return b.data != NULL ? b.data : oak_strdup("");
}

/* Adds s to the set when new (sets are small: tools, edited files). */
static void
strset_add(struct strset *set, char *s)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->s[i], s) == 0) {
			free(s);
			return;
		}
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 8;
		set->s = oak_realloc(set->s, set->cap * sizeof(*set->s));
	}
	set->s[set->n++] = s;
}

struct agent *
session_agent(const struct session *s, const char *agent_id)
{
	void **slot = ht_find(s->agents, agent_id, strlen(agent_id));

	return slot != NULL ? *slot : NULL;
}

static struct agent *
agent_of(struct session *s, const char *agent_id)
{
	size_t len = strlen(agent_id);
	bool created;
	void **slot = ht_put(s->agents, agent_id, len, &created);
	struct agent *a;

	if (created) {
		a = oak_calloc(1, sizeof(*a));
		claude_usage_init(&a->usage);
		*slot = a;
		if (s->nagent == s->capagent) {
			s->capagent = s->capagent ? 2 * s->capagent : 8;
			s->agent_keys = oak_realloc(
				s->agent_keys,
				s->capagent * sizeof(*s->agent_keys));
		}
		s->agent_keys[s->nagent++] = oak_strndup(agent_id, len);
	}
	return *slot;
}

static struct call *
call_find(const struct session *s, const struct json_doc *d, int id)
{
	const char *p;
	size_t len;
	void **slot;

	if (!json_is_string(d, id))
		return NULL;
	p = json_raw(d, id, &len);
	slot = ht_find(s->calls, p, len);
	return slot != NULL ? &s->call[(uintptr_t)*slot - 1] : NULL;
}

/* A new call from tool_use block b of record d, made by agent owner. */
static void
call_start(struct session *s, const struct json_doc *d, int b,
	   const char *owner)
{
	int id = json_get(d, b, "id"), input = json_get(d, b, "input");
	struct call *c;
	const char *p;
	size_t len;
	bool created;
	void **slot;

	if (!json_is_string(d, id))
		return;
	p = json_raw(d, id, &len);
	slot = ht_put(s->calls, p, len, &created);
	if (!created)
		return;  /* the same block, written again */
	if (s->ncall == s->capcall) {
		s->capcall = s->capcall ? 2 * s->capcall : 16;
		s->call = oak_realloc(s->call, s->capcall * sizeof(*s->call));
	}
	c = &s->call[s->ncall];
	*slot = (void *)(uintptr_t)++s->ncall;
	memset(c, 0, sizeof(*c));
	c->tool_use_id = string_at(d, id);
	oak_uuid_v5(c->id, CLAUDE_ID_NAMESPACE, c->tool_use_id,
		    strlen(c->tool_use_id));
	c->agent_name = string_at(d, json_get(d, input, "subagent_type"));
	if (c->agent_name == NULL || *c->agent_name == '\0') {
		free(c->agent_name);
		c->agent_name = oak_strdup(CLAUDE_DEFAULT_AGENT);
	}
	c->task = string_at(d, json_get(d, input, "description"));
	c->prompt = string_at(d, json_get(d, input, "prompt"));
	c->model = string_at(d, json_get(d, input, "model"));
	c->background = json_is_true(d, json_get(d, input, "run_in_background"));
	c->timestamp = string_at(d, json_get(d, 0, "timestamp"));
	c->cwd = string_at(d, json_get(d, 0, "cwd"));
	c->branch = string_at(d, json_get(d, 0, "gitBranch"));
	c->version = string_at(d, json_get(d, 0, "version"));
	c->session = string_at(d, json_get(d, 0, "sessionId"));
	c->parent_agent = owner != NULL ? oak_strdup(owner) : NULL;
	c->reported_total = -1;
}

/* What a subagent's tool_use block b says: its tool, the file edited. */
static void
agent_tool(struct agent *a, const struct json_doc *d, int b)
{
	int name = json_get(d, b, "name"), input = json_get(d, b, "input");
	char *path;
	size_t k;

	if (!json_is_string(d, name))
		return;
	strset_add(&a->tools, string_at(d, name));
	for (k = 0; k < sizeof(editors) / sizeof(editors[0]); k++)
		if (json_streq(d, name, editors[k].tool)) {
			path = string_at(d, json_get(d, input, editors[k].key));
			if (path != NULL)
				strset_add(&a->files, path);
		}
}

static void
assistant(struct session *s, const struct json_doc *d, const char *owner,
	  const char *file, long line_no)
{
	int content = json_path(d, 0, "message", "content", (char *)NULL);
	struct agent *a = owner != NULL ? agent_of(s, owner) : NULL;
	const char *why;
	int b;

	if (a != NULL && (why = claude_usage_add(&a->usage, d)) != NULL)
		oak_warn_at(file, line_no, "%s", why);
	if (!json_is_array(d, content))
		return;
	for (b = content + 1; b < d->next[content]; b = d->next[b]) {
		if (!json_streq(d, json_get(d, b, "type"), "tool_use"))
			continue;
		if (a != NULL)
			agent_tool(a, d, b);
		if (json_streq(d, json_get(d, b, "name"), "Agent") ||
		    json_streq(d, json_get(d, b, "name"), "Task"))
			call_start(s, d, b, owner);
	}
}

/* The text of a tool_result's content (a string, or text blocks), cut
 * to ERROR_MAX bytes at a UTF-8 boundary. */
static char *
result_text(const struct json_doc *d, int content)
{
	struct buf b;
	int i;

	buf_init(&b);
	if (json_is_string(d, content))
		json_unescape(d, content, &b);
	else if (json_is_array(d, content))
		for (i = content + 1; i < d->next[content]; i = d->next[i])
			if (json_is_string(d, json_get(d, i, "text"))) {
				if (b.len > 0)
					buf_addc(&b, '\n');
				json_unescape(d, json_get(d, i, "text"), &b);
			}
	if (b.len > ERROR_MAX) {
		b.len = ERROR_MAX;
		while (b.len > 0 && ((unsigned char)b.data[b.len] & 0xc0) == 0x80)
			b.len--;
		b.data[b.len] = '\0';
	}
	return b.data != NULL ? b.data : oak_strdup("");
}

/* Seconds from the call's start to the result record's timestamp. */
static bool
seconds_between(const char *from, const struct json_doc *d, double *out)
{
	struct oak_instant a, b;
	const char *p;
	size_t len;
	int ts = json_get(d, 0, "timestamp");

	if (from == NULL || !json_is_string(d, ts))
		return false;
	p = json_raw(d, ts, &len);
	if (oak_time_parse(from, strlen(from), false, &a) < 0 ||
	    oak_time_parse(p, len, false, &b) < 0)
		return false;
	*out = (double)(b.sec - a.sec) + (b.nsec - a.nsec) / 1e9;
	if (*out < 0)
		*out = 0;
	*out = py_round(*out, 3);
	return true;
}

/* The result of call c: block b of a user record with toolUseResult. */
static void
call_end(struct call *c, const struct json_doc *d, int b)
{
	int tur = json_get(d, 0, "toolUseResult");
	int ms = json_get(d, tur, "totalDurationMs");
	char *agent_id = string_at(d, json_get(d, tur, "agentId"));

	if (c->result != RESULT_NONE && c->result != RESULT_ASYNC)
		return;
	if (json_is_true(d, json_get(d, b, "is_error"))) {
		c->result = RESULT_ERROR;
		c->error = result_text(d, json_get(d, b, "content"));
	} else if (json_streq(d, json_get(d, tur, "status"), "async_launched")) {
		c->result = RESULT_ASYNC;
	} else {
		c->result = RESULT_OK;
	}
	if (agent_id != NULL && c->agent_id == NULL)
		c->agent_id = agent_id;
	else
		free(agent_id);
	if (json_is_number(d, ms) && json_number(d, ms) >= 0) {
		c->has_duration = true;
		c->duration = json_number(d, ms) / 1000.0;
	} else if (c->result != RESULT_ASYNC) {
		c->has_duration = seconds_between(c->timestamp, d, &c->duration);
	}
	if (json_int64(d, json_get(d, tur, "totalTokens"),
		       &c->reported_total) < 0)
		c->reported_total = -1;
}

static void
user(struct session *s, const struct json_doc *d)
{
	int content = json_path(d, 0, "message", "content", (char *)NULL);
	struct call *c;
	int b;

	if (json_get(d, 0, "toolUseResult") < 0 || !json_is_array(d, content))
		return;
	for (b = content + 1; b < d->next[content]; b = d->next[b])
		if (json_streq(d, json_get(d, b, "type"), "tool_result") &&
		    (c = call_find(s, d, json_get(d, b, "tool_use_id"))) != NULL)
			call_end(c, d, b);
}

/*
 * A subagent's first record is the prompt it was given: when no result
 * or meta file names the call that started it (an older version's
 * failed or interrupted call), the call with that prompt did.
 */
static void
link_by_prompt(struct session *s, const struct json_doc *d,
	       const char *owner)
{
	int content = json_path(d, 0, "message", "content", (char *)NULL);
	struct buf text;
	size_t i;

	if (*owner == '\0' || !json_is_string(d, content) ||
	    session_parent(s, owner) != NULL)
		return;
	buf_init(&text);
	json_unescape(d, content, &text);
	for (i = 0; text.data != NULL && i < s->ncall; i++) {
		struct call *c = &s->call[i];

		if (c->agent_id == NULL && c->prompt != NULL &&
		    strcmp(c->prompt, text.data) == 0) {
			c->agent_id = oak_strdup(owner);
			break;
		}
	}
	buf_release(&text);
}

/* Warns once per run about a record type Claude Code may have added. */
static void
unknown_type(const struct json_doc *d, int type, const char *file,
	     long line_no)
{
	static struct ht *warned;
	const char *p;
	size_t len, k;
	bool created;

	for (k = 0; quiet_types[k] != NULL; k++)
		if (json_streq(d, type, quiet_types[k]))
			return;
	if (!json_is_string(d, type)) {
		oak_warn_at(file, line_no, "a record without a type: skipped");
		return;
	}
	if (warned == NULL)
		warned = ht_create();
	p = json_raw(d, type, &len);
	ht_put(warned, p, len, &created);
	if (created)
		oak_warn_at(file, line_no, "unknown record type \"%.*s\": "
			    "skipped (not reported again)", (int)len, p);
}

/* One record of a transcript. */
static void
record(struct session *s, const struct json_doc *d, const char *file_agent,
       const char *file, long line_no)
{
	int type = json_get(d, 0, "type");
	char *side = NULL;
	const char *owner = file_agent;

	if (json_streq(d, type, "assistant") || json_streq(d, type, "user")) {
		if (owner == NULL &&
		    json_is_true(d, json_get(d, 0, "isSidechain"))) {
			side = string_at(d, json_get(d, 0, "agentId"));
			owner = side != NULL ? side : "";
		}
		if (json_streq(d, type, "assistant"))
			assistant(s, d, owner, file, line_no);
		else
			user(s, d);
		if (owner != NULL && !agent_of(s, owner)->seen &&
		    json_streq(d, type, "user"))
			link_by_prompt(s, d, owner);
		if (owner != NULL)
			agent_of(s, owner)->seen = true;
		free(side);
	} else {
		unknown_type(d, type, file, line_no);
	}
}

/* Is call id (raw bytes) still waiting for its result? */
static bool
call_open(const struct session *s, const char *id, size_t len)
{
	void **slot = ht_find(s->calls, id, len);
	const struct call *c;

	if (slot == NULL)
		return false;
	c = &s->call[(uintptr_t)*slot - 1];
	return c->result == RESULT_NONE || c->result == RESULT_ASYNC;
}

/*
 * The fast path: most bytes are user records holding tool results (file
 * text) of calls that are not subagent calls. Such a record, written as
 * Claude Code writes (compact, "type":"user" at the top), whose every
 * tool_use_id names no open subagent call, is only checked to be valid
 * JSON, not tokenized. Anything else is parsed.
 */
static bool
skippable(const struct session *s, const struct line *ln)
{
	static const char key[] = "\"tool_use_id\":\"";
	const char *p = ln->text, *q;
	bool found = false;

	/* text is NUL-terminated and JSON holds no raw NUL (a line that
	 * does fails the check below and is parsed, to be reported) */
	if (strstr(p, "\"type\":\"user\"") == NULL)
		return false;
	while ((p = strstr(p, key)) != NULL) {
		p += sizeof(key) - 1;
		if ((q = strchr(p, '"')) == NULL ||
		    call_open(s, p, (size_t)(q - p)))
			return false;
		found = true;
		p = q;
	}
	return found;
}

void
session_read(struct session *s, const char *path, const char *agent)
{
	struct line_reader *r = line_open(path);
	struct json_doc doc;
	struct line ln;
	const char *why;
	size_t at;
	int rc;

	if (r == NULL) {
		oak_warn("%s: %s%s", path, strerror(errno),
			 errno == ENOENT ? " (it disappeared while being read)"
					 : "");
		s->vanished = true;
		return;
	}
	json_doc_init(&doc);
	while ((rc = line_next(r, &ln)) == 1) {
		if (!ln.had_newline) {
			s->partial = true;  /* still being written: next run */
			break;
		}
		if (line_blank(ln.text, ln.len) ||
		    (skippable(s, &ln) &&
		     json_strict_check(ln.text, ln.len, &why, &at) == 0) ||
		    !json_parse_line(&doc, path, &ln))
			continue;
		if (!json_is_object(&doc, 0))
			oak_reject(path, ln.no, ln.text, ln.len,
				   "not a JSON object");
		else
			record(s, &doc, agent, path, ln.no);
	}
	if (rc < 0) {
		oak_warn("%s: %s", path, strerror(errno));
		s->vanished = true;
	}
	json_doc_release(&doc);
	line_close(r);
}

void
session_read_meta(struct session *s, const char *path, const char *agent)
{
	struct line_reader *r = line_open(path);
	struct json_doc doc;
	struct buf text;
	struct line ln;
	struct call *c;
	const char *why;

	if (r == NULL)
		return;  /* a meta file is optional */
	json_doc_init(&doc);
	buf_init(&text);
	while (line_next(r, &ln) == 1) {
		buf_add(&text, ln.text, ln.len);
		buf_addc(&text, '\n');
	}
	if (text.len > 0 && json_parse(&doc, text.data, text.len, &why) < 0)
		oak_warn_at(path, 1, "%s", why);
	else if (text.len > 0 &&
		 (c = call_find(s, &doc, json_get(&doc, 0, "toolUseId"))) !=
			 NULL &&
		 c->agent_id == NULL)
		c->agent_id = oak_strdup(agent);
	buf_release(&text);
	json_doc_release(&doc);
	line_close(r);
}

const char *
session_parent(const struct session *s, const char *agent_id)
{
	size_t i;

	for (i = 0; i < s->ncall; i++)
		if (s->call[i].agent_id != NULL &&
		    strcmp(s->call[i].agent_id, agent_id) == 0)
			return s->call[i].id;
	return NULL;
}
