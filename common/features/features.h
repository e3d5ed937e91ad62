/*
 * features/features.h: state features captured without asking anyone,
 * above the json layer. task.c infers a call's task type and scope from
 * its description and prompt; codebase.c describes the working
 * directory's repository (languages, size, frameworks, context) and
 * caches it per repository and commit; merge.c adds inferred keys to a
 * caller's state_features object without replacing any key it gave.
 * oak-telemetry(5) states every rule.
 */
#ifndef OAK_FEATURES_H
#define OAK_FEATURES_H

#include "base/base.h"
#include "json/json.h"

/* ---- task.c ------------------------------------------------------- */
/*
 * The seed's task type named by text (its first len bytes, any
 * encoding): "bug_fix", "feature_development", ... or NULL when no word
 * of the rule's table occurs (never a guess). Deterministic: the words
 * of each type are counted with their weights, the highest total wins,
 * a tie goes to the type named first in the text.
 */
const char *features_task_type(const char *text, size_t len);
/*
 * The scope of a prompt: "small", "medium" or "large" from its number of
 * words and of file paths it names; NULL for an empty prompt.
 */
const char *features_task_scope(const char *prompt, size_t len);

/* ---- merge.c ------------------------------------------------------ */
/* What is known of one call; NULL members are unknown. */
struct features_call {
	const char *description;   /* the task description */
	const char *prompt;        /* the full prompt, when the host gives it */
	const char *subagent_type; /* the host's name of the subagent */
	const char *cwd;           /* the working directory: codebase, context */
	const char *cache_dir;     /* where codebase.c keeps its cache */
};
/*
 * Writes to out a state_features object: the members of the given one
 * (token obj of given; given NULL: none) in their order, each group
 * (task, codebase, context) completed with the inferred keys it lacks,
 * then the inferred groups it lacks. task.type_source is "given" when
 * the caller gave task.type, "inferred" when the rule filled it. Values
 * are copied as written: parse out and write it again to normalize.
 */
void features_infer(struct buf *out, const struct json_doc *given, int obj,
		    const struct features_call *call);
/*
 * The same merge with the inferred groups as a JSON object of objects
 * ({"task": {...}, "codebase": {...}}) in inferred.
 */
void features_merge(struct buf *out, const struct json_doc *given, int obj,
		    const struct json_doc *inferred);

/* ---- codebase.c --------------------------------------------------- */
/*
 * Appends to out the members "codebase": {...}, "context": {...} for the
 * repository (or folder) holding dir, written with jw_key; nothing when
 * dir is not a directory. The tree's figures come from the cache in
 * cache_dir (NULL: none) when it has them for this repository and
 * commit, else from a scan bounded by budget_ms, after which the
 * codebase says "partial": true. Never fails: what cannot be read is
 * left out.
 */
void features_codebase(struct buf *out, const char *dir,
		       const char *cache_dir, long budget_ms);

#endif
