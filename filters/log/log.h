/*
 * log.h: the parts of oak-log. main.c parses the command line and runs
 * start, end and feedback; hook.c turns a Claude Code hook event into the
 * same records; record.c writes records as the Python reference logger
 * does (json.dumps separators ", " and ": "); store.c owns the telemetry
 * directory: locked one-write appends and backward lookups by id;
 * install.c adds the hook to Claude Code's settings and takes it out,
 * editing their text with settings.c.
 */
#ifndef OAK_LOG_H
#define OAK_LOG_H

#include "base/base.h"
#include "features/features.h"
#include "json/json.h"
#include "record/instant.h"
#include "record/uuid.h"

#define INVOCATIONS_FILE "agent_invocations.jsonl"
#define UPDATES_FILE "invocation_updates.jsonl"
#define METRICS_FILE "success_metrics.jsonl"

/* The namespace of every name-based id oak-log derives (man page). */
#define OAK_LOG_NAMESPACE "58b9f696-3cba-408d-a249-a727ff27d37b"

/* ---- record.c ------------------------------------------------------ */

/* Copies the value at token i the way Python's json.loads then
 * json.dumps would write it. */
void jw_pyvalue(struct buf *out, const struct json_doc *d, int i);

/*
 * Checks a record about to be written (one line in line) against the
 * schema of its kind, "invocation", "update" or "metric" (schemas/ is
 * the one source of the enums and shapes): NULL, or the schema's reason,
 * "POINTER: reason (keyword)".
 */
const char *record_schema_check(const char *kind, const struct buf *line);

/* An AgentInvocation as the reference's log_invocation writes it. */
struct start_record {
	const char *invocation_id;
	const char *session_id;
	const char *agent_name;
	const char *agent_type;
	const char *task;
	const struct json_doc *features;   /* NULL: {} */
	const char *parent_id;             /* NULL: null */
	const char *metadata;              /* a serialized object */
};
void record_start(struct buf *out, const struct start_record *r);

/* An InvocationUpdate: only the fields that are set. */
struct update_record {
	const char *invocation_id;
	bool has_duration;
	double duration;
	bool has_tools;
	const char **tools;
	size_t ntools;
	const char *status;                /* NULL: absent */
	const char *error;                 /* NULL: absent */
	bool has_modified;
	const char **modified;
	size_t nmodified;
	bool has_created;
	const char **created;
	size_t ncreated;
	int tests_passed;                  /* -1 absent, 0 false, 1 true */
	int build_succeeded;               /* -1 absent, 0 false, 1 true */
	const char *metadata;              /* a serialized object, or NULL */
};
void record_update(struct buf *out, const struct update_record *r);

/* A SuccessMetric as the reference's log_success_metric writes it. */
struct metric_record {
	const char *invocation_id;
	bool success;
	int quality;
	const char *source;
	const char *notes;                 /* NULL: null */
	int would_use_again;               /* -1 null, 0 false, 1 true */
	const char *alternative;           /* NULL: null */
};
void record_metric(struct buf *out, const struct metric_record *r);

/* ---- session.c ----------------------------------------------------- */

/* OAK_SESSION_ID, else the id derived from this process's session. */
const char *session_id(void);

/* ---- store.c ------------------------------------------------------- */

/* The telemetry directory: dir, else $OAK_TELEMETRY_DIR, else telemetry. */
const char *store_dir(const char *dir);
/* Is logging turned off by OAK_TELEMETRY_ENABLED? */
bool store_disabled(void);
/*
 * Reads dir/name backwards from its end in blocks; for each whole line
 * holding needle calls match(line, len, arg) until it returns true.
 * Returns 1 when a line matched, 0 when none did (or there is no file),
 * -1 after a warning.
 */
int store_scan_back(const char *dir, const char *name, const char *needle,
		    size_t needle_len,
		    bool (*match)(const char *line, size_t len, void *arg),
		    void *arg);
/*
 * Finds the AgentInvocation of id; when found and start is not NULL,
 * copies its line there. Returns 1, 0 or -1 as store_scan_back.
 */
int store_find_invocation(const char *dir, const char *id, struct buf *start);

/* ---- main.c, install.c ------------------------------------------- */

/* --dir given before the command, or NULL. */
extern const char *dir_option;
/* oak-log install-hook and uninstall-hook: edit Claude Code's settings. */
int cmd_install_hook(int argc, char **argv);
int cmd_uninstall_hook(int argc, char **argv);

/* ---- settings.c --------------------------------------------------- */

/*
 * Claude Code's settings text old (NULL or blank: none yet) with our hook
 * entries for command added (install), or every oak-log hook entry cut,
 * into out. Returns how many groups of ours were there before, or -1
 * with why set to "LINE: reason" when the text is not JSON or not
 * settings that can take hooks.
 */
int settings_edit(bool install, const char *command, const char *old,
		  size_t len, struct buf *out, struct buf *why);
/* ---- features.c -------------------------------------------------- */

/* Inferred state_features: doc over the bytes of text. */
struct log_features {
	struct json_doc doc;
	struct buf text;
};
/* The given object (NULL: none) completed with what call tells. */
void log_features(struct log_features *f, const struct json_doc *given,
		  const struct features_call *call);
void log_features_release(struct log_features *f);

/* ---- hook.c -------------------------------------------------------- */

/* Logs the hook event on fd 0. Always returns 0. */
int hook_run(const char *dir);

#endif
