/*
 * The official JSON-Schema-Test-Suite for draft 7
 * (tests/data/json-schema-draft7) against common/schema/: every case of
 * every file, required and optional/, is validated and compared with its
 * "valid". Only a group whose schema holds a remote $ref may be skipped
 * (nothing is fetched); the cases listed in known_failures must fail, so
 * a fix shows up as a change here. The counts are printed as TAP
 * comments and checked against the suite's (1215 cases, of which 4 in
 * the two remote-$ref groups). Each case's data is also parsed as a text
 * of its own with schema_parse, which checks the schema's plain parts as
 * it tokenizes: its verdict must be schema_validate's, and a text the
 * tokenizer vouches for (json_parse_shaped) must be a valid case.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema/node.h"
#include "unit.h"

/*
 * "file|group|case": the cases known to fail, each listed in
 * oak-validate(1). None since patterns run on PCRE2 as ECMA-262 reads
 * them (the POSIX regex engine before failed 8 cases of
 * optional/ecmascript-regex.json and could not compile 4 groups).
 */
static const char *const known_failures[] = {
	NULL
};

static bool
known(const char *id)
{
	const char *const *k;

	for (k = known_failures; *k != NULL; k++)
		if (strcmp(*k, id) == 0)
			return true;
	return false;
}

static int passed, failed_known, total, skipped, vouched;

/* schema_parse of data token t of doc as a text of its own agrees with
 * got, and json_parse_shaped vouches only for a valid case (want). */
static void
check_shaped(struct schema *s, const struct json_doc *doc, int t, bool got,
	     bool want, const char *id)
{
	static struct json_doc own;
	static struct buf err;
	size_t len;
	const char *text = json_span(doc, t, &len), *why;
	bool conforms = false;
	int verdict = schema_parse(s, &own, text, len, &why, &err);

	if (verdict != (got ? 0 : 1))
		unit_report(0, id, 0, "schema_parse agrees");
	if (json_parse_shaped(&own, text, len, schema_shape_of(s->nodes[0]), s,
			      &conforms, &why) != 0 || (conforms && !want))
		unit_report(0, id, 0, "the shaped parse vouches for valid cases only");
	vouched += conforms;
}

static void
str(const struct json_doc *d, int tok, struct buf *out)
{
	buf_reset(out);
	if (tok >= 0)
		json_unescape(d, tok, out);
	buf_addc(out, '\0');
}

static void
run_file(const char *dir, const char *name)
{
	char path[PATH_MAX + 512];
	struct json_doc doc;
	struct buf err, verr, id, gdesc, tdesc;
	const char *why;
	size_t len;
	char *text;
	int g, ng, t, nt, tests;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text = unit_slurp(path, &len);
	json_doc_init(&doc);
	if (text == NULL || json_parse(&doc, text, len, &why) < 0) {
		unit_report(0, name, 0, "suite file parses");
		free(text);
		return;
	}
	buf_init(&err);
	buf_init(&verr);
	buf_init(&id);
	buf_init(&gdesc);
	buf_init(&tdesc);
	for (ng = doc.tok[0].size, g = 1; ng > 0; ng--, g = json_skip(&doc, g)) {
		struct schema *s;

		str(&doc, json_get(&doc, g, "description"), &gdesc);
		s = schema_compile(&doc, json_get(&doc, g, "schema"), &err);
		tests = json_get(&doc, g, "tests");
		if (s == NULL) {
			skipped += doc.tok[tests].size;
			printf("# skip %s|%s: %s\n", name, gdesc.data, err.data);
			/* only a remote $ref may keep a schema from compiling */
			CHECK(strstr(err.data, "cannot be resolved") != NULL);
			continue;
		}
		for (nt = doc.tok[tests].size, t = tests + 1; nt > 0;
		     nt--, t = json_skip(&doc, t)) {
			bool want = json_is_true(&doc, json_get(&doc, t, "valid"));
			bool got = schema_validate(s, &doc,
						   json_get(&doc, t, "data"), &verr);

			str(&doc, json_get(&doc, t, "description"), &tdesc);
			buf_reset(&id);
			buf_printf(&id, "%s|%s|%s", name, gdesc.data, tdesc.data);
			total++;
			check_shaped(s, &doc, json_get(&doc, t, "data"), got, want,
				     id.data);
			if (got == want) {
				passed++;
				continue;
			}
			if (known(id.data)) {
				failed_known++;
				printf("# known difference: %s\n", id.data);
				continue;
			}
			unit_report(0, id.data, 0, want ? "valid" : "invalid");
			if (!got)
				printf("#   %s\n", verr.data);
		}
		schema_release(s);
	}
	unit_report(1, name, 0, "suite file run");
	buf_release(&err);
	buf_release(&verr);
	buf_release(&id);
	buf_release(&gdesc);
	buf_release(&tdesc);
	json_doc_release(&doc);
	free(text);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
run_dir(const char *top, const char *sub)
{
	char path[PATH_MAX + 64], *names[128];
	int n = 0, i;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "%s%s%s", top, *sub ? "/" : "", sub);
	if ((d = opendir(path)) == NULL) {
		unit_report(0, path, 0, "directory opens");
		return;
	}
	while ((e = readdir(d)) != NULL && n < 128)
		if (strlen(e->d_name) > 5 &&
		    strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0) {
			char name[512];

			snprintf(name, sizeof(name), "%s%s%s", sub, *sub ? "/" : "",
				 e->d_name);
			names[n++] = oak_strdup(name);
		}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++) {
		run_file(top, names[i]);
		free(names[i]);
	}
}

int
main(void)
{
	const char *dir = unit_data_dir("json-schema-draft7");

	CHECK(dir != NULL);
	if (dir == NULL)
		return unit_done();
	run_dir(dir, "");
	run_dir(dir, "optional");
	run_dir(dir, "optional/format");
	printf("# json-schema draft7: %d/%d cases passed, %d known differences, "
	       "%d skipped (remote $ref)\n", passed, total, failed_known,
	       skipped);
	printf("# the shaped parse vouched for %d cases\n", vouched);
	CHECK(total == 1211 && passed == total && skipped == 4);
	CHECK(vouched > 0);
	return unit_done();
}
