/*
 * merge.c: inferred state features added to the ones a caller gave. The
 * given object is copied member by member; in each group both have
 * (task, codebase, context) the inferred keys the caller did not give
 * are appended; groups only inferred come last. Nothing given is ever
 * replaced. task.type_source says where task.type came from.
 */
#include <stdlib.h>
#include <string.h>

#include "features/features.h"

/* Budget of a first scan of the working directory (oak-telemetry(5));
 * OAK_FEATURES_BUDGET_MS sets another. */
#define SCAN_BUDGET_MS 120

static long
scan_budget(void)
{
	const char *env = getenv("OAK_FEATURES_BUDGET_MS");
	long long ms;

	if (env != NULL && oak_parse_ll(env, 0, 600000, &ms) == 0)
		return (long)ms;
	return SCAN_BUDGET_MS;
}

/* Writes key and value of the member whose value is token v, raw. */
static void
copy_member(struct buf *out, const struct json_doc *d, int v)
{
	const char *p;
	size_t len;

	jw_sep(out);
	p = json_span(d, v - 1, &len);
	buf_add(out, p, len);
	buf_adds(out, ": ");
	p = json_span(d, v, &len);
	buf_add(out, p, len);
}

/* The key of the member whose value is token v, as a C string in key. */
static void
member_key(const struct json_doc *d, int v, struct buf *key)
{
	buf_reset(key);
	json_unescape(d, v - 1, key);
	buf_addc(key, '\0');
}

/* Is there a member named key (unescaped) in object obj of d? */
static bool
has_member(const struct json_doc *d, int obj, const char *key)
{
	return obj >= 0 && json_is_object(d, obj) && json_get(d, obj, key) >= 0;
}

/* One group: given's members (g, or -1), then inferred's (i, or -1)
 * that given lacks; for the task group, type_source as stated. */
static void
merge_group(struct buf *out, const struct json_doc *given, int g,
	    const struct json_doc *inferred, int i, bool task)
{
	struct buf key;
	int k, v;

	buf_init(&key);
	buf_addc(out, '{');
	for (k = 0, v = g + 1; g >= 0 && k < given->tok[g].size; k++) {
		copy_member(out, given, v + 1);
		v = json_skip(given, v + 1);
	}
	for (k = 0, v = i + 1; i >= 0 && k < inferred->tok[i].size; k++) {
		member_key(inferred, v + 1, &key);
		if (!has_member(given, g, key.data) &&
		    !(task && strcmp(key.data, "type_source") == 0))
			copy_member(out, inferred, v + 1);
		v = json_skip(inferred, v + 1);
	}
	if (task && !has_member(given, g, "type_source")) {
		if (has_member(given, g, "type")) {
			jw_key(out, "type_source");
			jw_cstring(out, "given");
		} else if (has_member(inferred, i, "type")) {
			jw_key(out, "type_source");
			jw_cstring(out, "inferred");
		}
	}
	buf_addc(out, '}');
	buf_release(&key);
}

void
features_merge(struct buf *out, const struct json_doc *given, int obj,
	       const struct json_doc *inferred)
{
	struct buf key;
	const char *p;
	size_t len;
	int k, v, i;

	buf_init(&key);
	buf_addc(out, '{');
	for (k = 0, v = obj + 1; given != NULL && k < given->tok[obj].size;
	     k++) {
		member_key(given, v + 1, &key);
		i = json_get(inferred, 0, key.data);
		if (json_is_object(given, v + 1) &&
		    (i >= 0 || strcmp(key.data, "task") == 0)) {
			jw_sep(out);
			p = json_span(given, v, &len);
			buf_add(out, p, len);
			buf_adds(out, ": ");
			merge_group(out, given, v + 1, inferred,
				    json_is_object(inferred, i) ? i : -1,
				    strcmp(key.data, "task") == 0);
		} else {
			copy_member(out, given, v + 1);
		}
		v = json_skip(given, v + 1);
	}
	for (k = 0, v = 1; k < inferred->tok[0].size; k++) {
		member_key(inferred, v + 1, &key);
		if (given == NULL || json_get(given, obj, key.data) < 0)
			copy_member(out, inferred, v + 1);
		v = json_skip(inferred, v + 1);
	}
	buf_addc(out, '}');
	buf_release(&key);
}

/* Appends "task": {...} for what the call says, when it says anything. */
static void
task_group(struct buf *out, const struct features_call *call)
{
	const char *type = NULL, *scope = NULL;
	bool named = call->subagent_type != NULL && *call->subagent_type;

	if (call->description != NULL)
		type = features_task_type(call->description,
					  strlen(call->description));
	if (type == NULL && call->prompt != NULL)
		type = features_task_type(call->prompt, strlen(call->prompt));
	if (call->prompt != NULL)
		scope = features_task_scope(call->prompt, strlen(call->prompt));
	if (type == NULL && scope == NULL && !named)
		return;  /* nothing known: no group */
	jw_key(out, "task");
	buf_addc(out, '{');
	if (type != NULL) {
		jw_key(out, "type");
		jw_cstring(out, type);
		jw_key(out, "type_source");
		jw_cstring(out, "inferred");
	}
	if (scope != NULL) {
		jw_key(out, "scope");
		jw_cstring(out, scope);
	}
	if (named) {
		jw_key(out, "subagent_type");
		jw_cstring(out, call->subagent_type);
	}
	buf_addc(out, '}');
}

void
features_infer(struct buf *out, const struct json_doc *given, int obj,
	       const struct features_call *call)
{
	struct json_doc inferred;
	struct buf text;
	const char *why;

	buf_init(&text);
	buf_addc(&text, '{');
	task_group(&text, call);
	if (call->cwd != NULL)
		features_codebase(&text, call->cwd, call->cache_dir,
				  scan_budget());
	buf_addc(&text, '}');
	json_doc_init(&inferred);
	if (json_parse(&inferred, text.data, text.len, &why) < 0) {
		oak_warn("state features: %s (not inferred)", why);
		buf_reset(&text);
		buf_adds(&text, "{}");
		json_parse(&inferred, text.data, text.len, &why);
	}
	features_merge(out, given, obj, &inferred);
	json_doc_release(&inferred);
	buf_release(&text);
}
