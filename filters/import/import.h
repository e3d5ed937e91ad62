/*
 * import.h: the parts of oak-import. main.c parses the command line and
 * finds the sessions under each PATH; session.c reads one session (its
 * main transcript and its subagents' transcripts) into the subagent
 * calls it holds; emit.c writes those calls to the telemetry logs,
 * knowing from the logs what is already there; state.c keeps the small
 * state file of the transcripts already read.
 */
#ifndef OAK_IMPORT_H
#define OAK_IMPORT_H

#include "base/base.h"
#include "claude/claude.h"
#include "json/json.h"
#include "record/instant.h"
#include "record/uuid.h"

#define INVOCATIONS_FILE "agent_invocations.jsonl"
#define UPDATES_FILE "invocation_updates.jsonl"
#define STATE_FILE "oak-import.state"
/* error_message is cut to this many bytes (at a UTF-8 boundary). */
#define ERROR_MAX 500

enum result { RESULT_NONE, RESULT_OK, RESULT_ERROR, RESULT_ASYNC };

/* One call of the subagent tool (Agent, Task before 2.1.63). */
struct call {
	char *tool_use_id;
	char id[OAK_UUID_LEN + 1];  /* v5 uuid of tool_use_id */
	char *agent_name, *task, *prompt, *model, *timestamp;
	char *cwd, *branch, *version, *session;
	char *parent_agent;  /* agentId of the subagent that made it */
	char *agent_id;      /* the subagent it started */
	bool background;
	enum result result;
	char *error;
	bool has_duration;
	double duration;
	int64_t reported_total;  /* toolUseResult.totalTokens, -1: none */
};

/* What one subagent did in its own records. */
struct agent {
	struct claude_usage usage;
	struct strset {
		char **s;
		size_t n, cap;
	} tools, files;
	bool seen;           /* it has records of its own */
};

struct session {
	const char *id;       /* from the main file's name */
	struct call *call;
	size_t ncall, capcall;
	struct ht *calls;    /* tool_use_id -> index + 1 */
	struct ht *agents;   /* agentId -> struct agent * */
	char **agent_keys;   /* for release */
	size_t nagent, capagent;
	bool partial;        /* a file ended in a half-written line */
	bool vanished;       /* a file disappeared while being read */
};

/* ---- session.c ---------------------------------------------------- */
void session_init(struct session *s);
void session_release(struct session *s);
/* Reads one transcript; agent is the agentId its name gives (a
 * subagent's own file), NULL for the main transcript. */
void session_read(struct session *s, const char *path, const char *agent);
/* Reads a subagent's agent-<id>.meta.json (its toolUseId). */
void session_read_meta(struct session *s, const char *path,
		       const char *agent);
/* The subagent's record, or NULL. */
struct agent *session_agent(const struct session *s, const char *agent_id);
/* The invocation id of the call that started subagent agent_id, or NULL. */
const char *session_parent(const struct session *s, const char *agent_id);

/* ---- emit.c ------------------------------------------------------- */
struct emit;
/* Reads what dir's logs already hold. */
struct emit *emit_open(const char *dir, const struct claude_pricing *p,
		       const struct oak_window *since);
/* Appends what is new of the session's calls. -1 when a write failed. */
int emit_session(struct emit *e, const struct session *s);
/* Records appended so far. */
unsigned long emit_count(const struct emit *e);
void emit_close(struct emit *e);

/* ---- state.c ------------------------------------------------------ */
struct state;
struct state *state_load(const char *dir);
/* Are all files of a session (paths[0..n)) as they were last read? */
bool state_unchanged(const struct state *st, char **paths, size_t n);
/* Records the files as read now (or as changed, when partial). */
void state_mark(struct state *st, char **paths, size_t n, bool partial);
/* Writes the state file anew (atomically); a failure is a warning. */
void state_save(struct state *st);
void state_release(struct state *st);

#endif
