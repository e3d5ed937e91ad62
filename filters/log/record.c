/*
 * record.c: the three record kinds, written as the Python reference
 * logger writes them: json.dumps with separators ", " and ": ", keys in
 * the reference's order, its defaults, timestamps as
 * datetime.utcnow().isoformat() + "Z". Values taken from the user's
 * JSON are copied as json.loads then json.dumps would (ints stay ints,
 * other numbers are floats in Python's repr).
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"

void
jo_begin(struct jobj *o, struct buf *out)
{
	o->out = out;
	o->first = true;
	buf_addc(out, '{');
}

void
jo_key(struct jobj *o, const char *key)
{
	if (!o->first)
		buf_adds(o->out, ", ");
	o->first = false;
	jw_cstring(o->out, key);
	buf_adds(o->out, ": ");
}

void
jo_end(struct jobj *o)
{
	buf_addc(o->out, '}');
}

static void
py_number(struct buf *out, const char *raw, size_t len)
{
	char tmp[64];
	char *copy = len < sizeof(tmp) ? tmp : oak_malloc(len + 1);

	memcpy(copy, raw, len);
	copy[len] = '\0';
	if (strpbrk(copy, ".eE") == NULL) {
		/* a Python int: its digits, but "-0" is 0 */
		if (strcmp(copy, "-0") == 0)
			buf_addc(out, '0');
		else
			buf_add(out, copy, len);
	} else {
		jw_double(out, strtod(copy, NULL));
	}
	if (copy != tmp)
		free(copy);
}

/* Writes the value at token i; returns the token after its subtree. */
static int
pyvalue(struct buf *out, const struct json_doc *d, int i)
{
	const jsmntok_t *t = &d->tok[i];
	struct buf text;
	size_t len;
	const char *raw;
	int k, j = i + 1;

	switch (t->type) {
	case JSMN_OBJECT:
	case JSMN_ARRAY:
		buf_addc(out, t->type == JSMN_OBJECT ? '{' : '[');
		for (k = 0; k < t->size; k++) {
			if (k > 0)
				buf_adds(out, ", ");
			if (t->type == JSMN_OBJECT) {
				j = pyvalue(out, d, j);
				buf_adds(out, ": ");
			}
			j = pyvalue(out, d, j);
		}
		buf_addc(out, t->type == JSMN_OBJECT ? '}' : ']');
		return j;
	case JSMN_STRING:
		buf_init(&text);
		json_unescape(d, i, &text);
		jw_string(out, text.data ? text.data : "", text.len);
		buf_release(&text);
		return j;
	default:
		raw = json_raw(d, i, &len);
		if (json_is_number(d, i))
			py_number(out, raw, len);
		else
			buf_add(out, raw, len);
		return j;
	}
}

void
jw_pyvalue(struct buf *out, const struct json_doc *d, int i)
{
	pyvalue(out, d, i);
}

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static const char *const agent_types[] = {
	"development", "quality", "security", "architecture", "workflow",
	"analysis", "documentation", "utility", "meta", NULL
};
static const char *const statuses[] = {
	"success", "failure", "partial", "unknown", NULL
};
static const char *const sources[] = {
	"human", "automated_tests", "build_system", "linter", NULL
};

bool
enum_agent_type(const char *s)
{
	return in_list(s, agent_types);
}

bool
enum_status(const char *s)
{
	return in_list(s, statuses);
}

bool
enum_source(const char *s)
{
	return in_list(s, sources);
}

static void
string_array(struct buf *out, const char **items, size_t n)
{
	size_t k;

	buf_addc(out, '[');
	for (k = 0; k < n; k++) {
		if (k > 0)
			buf_adds(out, ", ");
		jw_cstring(out, items[k]);
	}
	buf_addc(out, ']');
}

static void
string_or_null(struct buf *out, const char *s)
{
	if (s == NULL)
		buf_adds(out, "null");
	else
		jw_cstring(out, s);
}

static void
tristate(struct buf *out, int v)
{
	buf_adds(out, v < 0 ? "null" : v ? "true" : "false");
}

void
record_start(struct buf *out, const struct start_record *r)
{
	struct jobj o, outcome;

	jo_begin(&o, out);
	jo_key(&o, "timestamp");
	{
		struct buf ts;

		buf_init(&ts);
		oak_now_iso(&ts);
		jw_string(out, ts.data, ts.len);
		buf_release(&ts);
	}
	jo_key(&o, "session_id");
	jw_cstring(out, r->session_id);
	jo_key(&o, "invocation_id");
	jw_cstring(out, r->invocation_id);
	jo_key(&o, "agent_name");
	jw_cstring(out, r->agent_name);
	jo_key(&o, "agent_type");
	jw_cstring(out, r->agent_type);
	jo_key(&o, "task_description");
	jw_cstring(out, r->task);
	jo_key(&o, "state_features");
	if (r->features != NULL)
		jw_pyvalue(out, r->features, 0);
	else
		buf_adds(out, "{}");
	jo_key(&o, "parent_invocation_id");
	string_or_null(out, r->parent_id);
	jo_key(&o, "tools_used");
	buf_adds(out, "[]");
	jo_key(&o, "duration_seconds");
	buf_adds(out, "null");
	jo_key(&o, "outcome");
	jo_begin(&outcome, out);
	jo_key(&outcome, "status");
	jw_cstring(out, "unknown");
	jo_key(&outcome, "error_message");
	buf_adds(out, "null");
	jo_key(&outcome, "files_modified");
	buf_adds(out, "[]");
	jo_key(&outcome, "files_created");
	buf_adds(out, "[]");
	jo_key(&outcome, "tests_passed");
	buf_adds(out, "null");
	jo_key(&outcome, "build_succeeded");
	buf_adds(out, "null");
	jo_end(&outcome);
	jo_key(&o, "metadata");
	buf_adds(out, r->metadata != NULL ? r->metadata : "{}");
	jo_end(&o);
}

static void
timestamp_and_id(struct jobj *o, const char *id)
{
	struct buf ts;

	buf_init(&ts);
	oak_now_iso(&ts);
	jo_key(o, "timestamp");
	jw_string(o->out, ts.data, ts.len);
	buf_release(&ts);
	jo_key(o, "invocation_id");
	jw_cstring(o->out, id);
}

void
record_update(struct buf *out, const struct update_record *r)
{
	struct jobj o, outcome;
	bool any_outcome = r->status != NULL || r->error != NULL ||
			   r->has_modified || r->has_created ||
			   r->tests_passed >= 0 || r->build_succeeded >= 0;

	jo_begin(&o, out);
	timestamp_and_id(&o, r->invocation_id);
	if (r->has_duration) {
		jo_key(&o, "duration_seconds");
		jw_double(out, r->duration);
	}
	if (r->has_tools) {
		jo_key(&o, "tools_used");
		string_array(out, r->tools, r->ntools);
	}
	if (any_outcome) {
		jo_key(&o, "outcome");
		jo_begin(&outcome, out);
		if (r->status != NULL) {
			jo_key(&outcome, "status");
			jw_cstring(out, r->status);
		}
		if (r->error != NULL) {
			jo_key(&outcome, "error_message");
			jw_cstring(out, r->error);
		}
		if (r->has_modified) {
			jo_key(&outcome, "files_modified");
			string_array(out, r->modified, r->nmodified);
		}
		if (r->has_created) {
			jo_key(&outcome, "files_created");
			string_array(out, r->created, r->ncreated);
		}
		if (r->tests_passed >= 0) {
			jo_key(&outcome, "tests_passed");
			tristate(out, r->tests_passed);
		}
		if (r->build_succeeded >= 0) {
			jo_key(&outcome, "build_succeeded");
			tristate(out, r->build_succeeded);
		}
		jo_end(&outcome);
	}
	if (r->metadata != NULL) {
		jo_key(&o, "metadata");
		buf_adds(out, r->metadata);
	}
	jo_end(&o);
}

void
record_metric(struct buf *out, const struct metric_record *r)
{
	struct jobj o;

	jo_begin(&o, out);
	timestamp_and_id(&o, r->invocation_id);
	jo_key(&o, "success");
	buf_adds(out, r->success ? "true" : "false");
	jo_key(&o, "quality_rating");
	jw_int(out, r->quality);
	jo_key(&o, "feedback_source");
	jw_cstring(out, r->source);
	jo_key(&o, "feedback_notes");
	string_or_null(out, r->notes);
	jo_key(&o, "would_use_again");
	tristate(out, r->would_use_again);
	jo_key(&o, "alternative_agent_suggested");
	string_or_null(out, r->alternative);
	jo_end(&o);
}

/* ---- state_features against the schema ---------------------------- */

enum ftype { F_STRINGS, F_INTEGER, F_NUMBER, F_BOOLEAN, F_ENUM };

struct field_rule {
	const char *group;   /* state_features.GROUP */
	const char *key;     /* state_features.GROUP.KEY */
	enum ftype type;
	const char *const *values;  /* F_ENUM */
};

static const char *const task_types[] = {
	"feature_development", "bug_fix", "refactoring", "documentation",
	"testing", "optimization", "analysis", "architecture", NULL
};
static const char *const scopes[] = {
	"trivial", "small", "medium", "large", "epic", NULL
};
static const char *const risks[] = {
	"low", "medium", "high", "critical", NULL
};

static const struct field_rule feature_rules[] = {
	{ "codebase", "languages", F_STRINGS, NULL },
	{ "codebase", "frameworks", F_STRINGS, NULL },
	{ "codebase", "loc", F_INTEGER, NULL },
	{ "codebase", "file_count", F_INTEGER, NULL },
	{ "task", "type", F_ENUM, task_types },
	{ "task", "scope", F_ENUM, scopes },
	{ "task", "risk_level", F_ENUM, risks },
	{ "context", "tests_exist", F_BOOLEAN, NULL },
	{ "context", "docs_exist", F_BOOLEAN, NULL },
	{ "context", "git_clean", F_BOOLEAN, NULL },
	{ "context", "dependencies_outdated", F_BOOLEAN, NULL },
	{ "historical", "similar_tasks_count", F_INTEGER, NULL },
	{ "historical", "similar_tasks_success_rate", F_NUMBER, NULL },
	{ "historical", "agent_previous_uses", F_INTEGER, NULL },
};

/* A JSON Schema integer: a number with a zero fractional part. */
static bool
is_integer(const struct json_doc *d, int i)
{
	double x;

	if (!json_is_number(d, i))
		return false;
	x = json_number(d, i);
	return x == (double)(long long)x;
}

static bool
rule_holds(const struct json_doc *d, int v, const struct field_rule *r)
{
	struct buf text;
	bool ok;
	int k, j;

	switch (r->type) {
	case F_STRINGS:
		if (!json_is_array(d, v))
			return false;
		for (k = 0, j = v + 1; k < d->tok[v].size; k++) {
			if (!json_is_string(d, j))
				return false;
			j = json_skip(d, j);
		}
		return true;
	case F_INTEGER:
		return is_integer(d, v);
	case F_NUMBER:
		return json_is_number(d, v);
	case F_BOOLEAN:
		return json_is_bool(d, v);
	case F_ENUM:
		if (!json_is_string(d, v))
			return false;
		buf_init(&text);
		json_unescape(d, v, &text);
		ok = text.data != NULL && strlen(text.data) == text.len &&
		     in_list(text.data, r->values);
		buf_release(&text);
		return ok;
	}
	return false;
}

const char *
features_check(const struct json_doc *d)
{
	static char why[160];
	static const char *const groups[] = {
		"codebase", "task", "context", "historical", NULL
	};
	const struct field_rule *r;
	size_t k;
	int g, v;

	if (!json_is_object(d, 0))
		return "is not a JSON object";
	for (k = 0; groups[k] != NULL; k++) {
		g = json_get(d, 0, groups[k]);
		if (g >= 0 && !json_is_object(d, g)) {
			snprintf(why, sizeof(why), "%s is not an object",
				 groups[k]);
			return why;
		}
	}
	for (k = 0; k < sizeof(feature_rules) / sizeof(feature_rules[0]); k++) {
		r = &feature_rules[k];
		v = json_path(d, 0, r->group, r->key, (const char *)NULL);
		if (v >= 0 && !rule_holds(d, v, r)) {
			snprintf(why, sizeof(why), "%s.%s is not %s", r->group,
				 r->key,
				 r->type == F_STRINGS ? "an array of strings" :
				 r->type == F_INTEGER ? "an integer" :
				 r->type == F_NUMBER ? "a number" :
				 r->type == F_BOOLEAN ? "a boolean" :
							"one of the schema's values");
			return why;
		}
	}
	return NULL;
}
