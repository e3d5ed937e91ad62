/*
 * $refs to other schema files (common/schema/file.c): resolved beside
 * the referring file, to the whole file or a place in it; a missing
 * file, a file that is not JSON and a cycle of bare $refs are compile
 * errors; a cycle through subschemas is a recursive schema; a schema
 * compiled from memory resolves no file. The files are written to a
 * fresh directory; expected verdicts are worked out by hand from
 * draft-07's allOf, $ref and items.
 */
#include <stdlib.h>

#include "schema/schema.h"
#include "unit.h"

static char dir[] = "/tmp/oak-unit-schema-XXXXXX";
static char path[PATH_MAX];

/* Writes text to dir/name; its path in path. */
static const char *
put(const char *name, const char *text)
{
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		perror(path);
		exit(3);
	}
	return path;
}

/* Does instance text pass schema s? The failure, if any, in err. */
static bool
valid(struct schema *s, const char *text, struct buf *err)
{
	struct json_doc d;
	const char *why;
	bool ok;

	json_doc_init(&d);
	buf_reset(err);
	if (json_parse(&d, text, strlen(text), &why) < 0) {
		buf_adds(err, why);
		return false;
	}
	ok = schema_validate(s, &d, 0, err);
	json_doc_release(&d);
	return ok;
}

/* The compile error of the schema at file name ("" when it compiles). */
static const char *
load_error(const char *name, struct buf *err)
{
	char p[PATH_MAX + 64];
	struct schema *s;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	s = schema_load(p, err);
	schema_release(s);
	if (s != NULL)
		buf_reset(err);
	buf_addc(err, '\0');
	return err->data;
}

static void
refs_to_files(struct buf *err)
{
	struct schema *s;
	char sub[PATH_MAX + 8];

	snprintf(sub, sizeof(sub), "%s/sub", dir);
	CHECK(mkdir(sub, 0700) == 0);
	put("defs.json", "{\"definitions\": {\"pos\": {\"type\": \"integer\", "
	    "\"minimum\": 1}}}");
	put("sub/name.json", "{\"allOf\": [{\"$ref\": \"str.json\"}], "
	    "\"minLength\": 2}");
	put("sub/str.json", "{\"type\": \"string\"}");
	s = schema_load(put("a.json", "{\"properties\": {\"n\": {\"$ref\": "
			    "\"defs.json#/definitions/pos\"}, \"s\": {\"$ref\": "
			    "\"sub/name.json\"}}, \"required\": [\"n\"]}"), err);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(valid(s, "{\"n\": 2, \"s\": \"ab\"}", err));
	CHECK(!valid(s, "{\"n\": 0}", err));
	CHECK_STR(err->data, "/n: 0 is less than the minimum of 1 (minimum)");
	/* sub/name.json's "str.json" is sub/str.json, beside it */
	CHECK(!valid(s, "{\"n\": 1, \"s\": 5}", err));
	CHECK_STR(err->data, "/s: 5 is not of type string (type)");
	CHECK(!valid(s, "{\"n\": 1, \"s\": \"a\"}", err));
	CHECK_STR(err->data, "/s: \"a\" is shorter than 2 characters (minLength)");
	schema_release(s);
}

static void
cycles(struct buf *err)
{
	struct schema *s;

	/* a tree: node.json's children are trees again, through tree.json */
	put("tree.json", "{\"$ref\": \"node.json\"}");
	put("node.json", "{\"type\": \"object\", \"properties\": {\"kids\": "
	    "{\"type\": \"array\", \"items\": {\"$ref\": \"tree.json\"}}}}");
	s = schema_load(put("root.json", "{\"$ref\": \"tree.json\"}"), err);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK(valid(s, "{\"kids\": [{\"kids\": [{}]}, {}]}", err));
		CHECK(!valid(s, "{\"kids\": [{\"kids\": [3]}]}", err));
		CHECK_STR(err->data, "/kids/0/kids/0: 3 is not of type object (type)");
		schema_release(s);
	}
	/* bare $refs round the files never reach a schema */
	put("ping.json", "{\"$ref\": \"pong.json\"}");
	put("pong.json", "{\"$ref\": \"ping.json#\"}");
	CHECK_STR(load_error("ping.json", err),
		  "(root): $ref cycle that never reaches a schema");
}

static void
failures(struct buf *err)
{
	struct json_doc d;
	struct schema *s;
	const char *why, *text = "{\"$ref\": \"defs.json\"}";
	char want[PATH_MAX + 256];

	put("missing.json", "{\"items\": {\"$ref\": \"nope.json\"}}");
	snprintf(want, sizeof(want), "/items/$ref: $ref \"nope.json\" cannot be "
		 "resolved: %s/nope.json: No such file or directory", dir);
	CHECK_STR(load_error("missing.json", err), want);
	put("broken.json", "{\"type\": ");
	put("to-broken.json", "{\"$ref\": \"broken.json\"}");
	snprintf(want, sizeof(want), "/$ref: $ref \"broken.json\": "
		 "%s/broken.json: ", dir);
	CHECK(strncmp(load_error("to-broken.json", err), want,
		      strlen(want)) == 0);
	put("bad-place.json", "{\"$ref\": \"defs.json#/definitions/neg\"}");
	CHECK(strstr(load_error("bad-place.json", err),
		     "/$ref -> defs.json#/definitions/neg: $ref "
		     "\"defs.json#/definitions/neg\" cannot be resolved: no "
		     "such place in ") != NULL);
	put("bad-inside.json", "{\"$ref\": \"bad-type.json\"}");
	put("bad-type.json", "{\"properties\": {\"x\": {\"type\": 5}}}");
	CHECK_STR(load_error("bad-inside.json", err),
		  "/$ref -> bad-type.json#/properties/x: type must be a "
		  "type name or an array of them");
	/* from memory there is no directory to look in */
	json_doc_init(&d);
	CHECK(json_parse(&d, text, strlen(text), &why) == 0);
	s = schema_compile(&d, 0, err);
	CHECK(s == NULL);
	CHECK(strstr(err->data, "cannot be resolved") != NULL);
	json_doc_release(&d);
	/* a remote $ref stays unsupported */
	put("remote.json", "{\"$ref\": \"http://example.com/a.json\"}");
	CHECK(strstr(load_error("remote.json", err), "cannot be resolved (only "
		     "refs within the schema file") != NULL);
}

/* The shipped JoinedInvocation, an AgentInvocation by $ref. */
static void
shipped(struct buf *err)
{
	char p[PATH_MAX + 128];
	const char *top = unit_data_dir("../../schemas");
	struct schema *s;

	CHECK(top != NULL);
	if (top == NULL)
		return;
	snprintf(p, sizeof(p), "%s/joined_invocation.json", top);
	s = schema_load(p, err);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(!valid(s, "{\"agent_name\": \"a\"}", err));
	CHECK_STR(err->data, "missing required property \"timestamp\" (required)");
	CHECK(!valid(s, "{\"timestamp\": \"2025-10-13T07:00:00Z\", "
		     "\"session_id\": \"s\", \"agent_name\": \"a\", "
		     "\"agent_type\": \"meta\", \"task_description\": \"t\", "
		     "\"state_features\": {}, \"invocation_id\": \"i\", "
		     "\"invocation_seq\": 0, \"success_metric\": {}}", err));
	CHECK_STR(err->data, "/invocation_seq: 0 is less than the minimum of 1 "
		  "(minimum)");
	schema_release(s);
}

int
main(void)
{
	struct buf err;
	char cmd[PATH_MAX + 16];

	if (mkdtemp(dir) == NULL) {
		perror(dir);
		return 3;
	}
	buf_init(&err);
	refs_to_files(&err);
	cycles(&err);
	failures(&err);
	shipped(&err);
	buf_release(&err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 3;
	return unit_done();
}
