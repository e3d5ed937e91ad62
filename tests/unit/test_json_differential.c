/*
 * json_parse checks and tokenizes in one pass of its own. This test
 * holds its tokens to jsmn's, an independent tokenizer (Debian's
 * libjsmn-dev, strict mode, parent links): on every JSONTestSuite file
 * and on many deterministic mutations of real telemetry lines, every
 * text json_parse accepts with an object or array at the root gets from
 * jsmn the same tokens (type, start, end, size, parent), and next[] is
 * each token's subtree end, found by offsets. And json_parse accepts
 * exactly what the byte scanner alone (json_strict_check) accepts, less
 * duplicate keys.
 */
#include <dirent.h>
#include <stdlib.h>

#include "json/json.h"
#include "unit.h"

static struct json_doc doc;
static long agree, disagree, jsmn_compared;
static jsmntok_t jtok[1 << 16];

/* Does jsmn tokenize the text doc holds into the very same tokens? */
static bool
same_as_jsmn(void)
{
	jsmn_parser p;
	int n, i;

	if (doc.tok[0].type != JSMN_OBJECT && doc.tok[0].type != JSMN_ARRAY)
		return true;       /* jsmn's strict mode wants no lone scalar */
	jsmn_init(&p);
	n = jsmn_parse(&p, doc.text, doc.len, jtok, sizeof(jtok) / sizeof(jtok[0]));
	if (n == JSMN_ERROR_NOMEM)
		return true;       /* too many tokens to compare here */
	jsmn_compared++;
	if (n != doc.ntok)
		return false;
	for (i = 0; i < n; i++)
		if (jtok[i].type != doc.tok[i].type ||
		    jtok[i].start != doc.tok[i].start ||
		    jtok[i].end != doc.tok[i].end ||
		    jtok[i].size != doc.tok[i].size ||
		    jtok[i].parent != doc.tok[i].parent)
			return false;
	return true;
}

/* Same verdict from both, and next[] right when accepted? */
static void
compare(const char *text, size_t len, const char *what)
{
	const char *why, *reason;
	size_t at;
	bool scanner_ok = json_strict_check(text, len, &reason, &at) == 0;
	bool parse_ok = json_parse(&doc, text, len, &why) == 0;
	int i, j;

	if (!parse_ok && scanner_ok && strstr(why, "duplicate key") != NULL)
		parse_ok = true;   /* I-JSON: a verdict of its own */
	else if (parse_ok)
		for (i = 0; i < doc.ntok; i++) {
			for (j = i + 1; j < doc.ntok &&
			     doc.tok[j].start < doc.tok[i].end; j++)
				;
			if (doc.next[i] != j) {
				parse_ok = !scanner_ok;   /* count as a disagreement */
				break;
			}
		}
	if (parse_ok && doc.ntok > 0 && !same_as_jsmn())
		parse_ok = !scanner_ok;           /* count as a disagreement */
	if (parse_ok == scanner_ok) {
		agree++;
		return;
	}
	if (disagree++ < 5)
		printf("#   %s: scanner %s, json_parse %s: [%.*s]\n", what,
		       scanner_ok ? "accepts" : "rejects",
		       parse_ok ? "accepts" : "rejects", (int)(len < 200 ? len : 200),
		       text);
}

/* A small deterministic generator (64-bit LCG). */
static uint64_t state = 42;

static unsigned
rnd(unsigned n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((state >> 33) % n);
}

/* One edit of m[0..*n): replace, delete or insert a byte, or (when
 * may_cut) cut the text short. m has room for one more byte. */
static void
mutate_once(char *m, size_t *n, bool may_cut)
{
	static const char pool[] = "{}[],:\"\\ 0123456789eE.-+tfnulrsx/b\t\n"
				   "\x01\x1f\x7f\xc3\xa9\xed\xa0\x80\xf0\x9f\xff";
	size_t at = rnd((unsigned)*n);

	switch (rnd(may_cut ? 4 : 3)) {
	case 0:
		m[at] = pool[rnd(sizeof(pool) - 1)];
		break;
	case 1:
		memmove(m + at, m + at + 1, *n - at - 1);
		(*n)--;
		break;
	case 2:
		memmove(m + at + 1, m + at, *n - at);
		m[at] = pool[rnd(sizeof(pool) - 1)];
		(*n)++;
		break;
	default:
		*n = at;
	}
}

/* 60 mutants of a line, each of one to three edits, the last of which
 * may cut the line short. */
static void
mutate_and_compare(const char *line, size_t len)
{
	char *m = oak_malloc(len + 8);
	size_t n;
	int round, edit, edits;

	for (round = 0; round < 60; round++) {
		memcpy(m, line, len);
		n = len;
		edits = 1 + (int)rnd(3);
		for (edit = 0; edit < edits && n > 0; edit++)
			mutate_once(m, &n, edit + 1 == edits);
		compare(m, n, "mutation");
	}
	free(m);
}

int
main(void)
{
	const char *dir = unit_data_dir("json-parsing");
	const char *ref = unit_data_dir("reference");
	static const char *const logs[] = {
		"larger/reference/agent_invocations.jsonl",
		"larger/append/invocation_updates.jsonl",
		"larger/reference/success_metrics.jsonl",
		"unicode/reference/agent_invocations.jsonl",
	};
	char path[PATH_MAX + 128], *text, *line, *nl;
	struct dirent *e;
	size_t len, k;
	long lines = 0;
	DIR *d;

	CHECK(dir != NULL && ref != NULL);
	if (dir == NULL || ref == NULL || (d = opendir(dir)) == NULL)
		return unit_done();
	while ((e = readdir(d)) != NULL) {
		if (strlen(e->d_name) < 6 || e->d_name[1] != '_')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if ((text = unit_slurp(path, &len)) != NULL) {
			compare(text, len, e->d_name);
			free(text);
		}
	}
	closedir(d);
	ref = unit_data_dir("reference");
	for (k = 0; k < sizeof(logs) / sizeof(logs[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", ref, logs[k]);
		if ((text = unit_slurp(path, &len)) == NULL)
			continue;
		for (line = text; (nl = memchr(line, '\n', len - (size_t)(line - text)));
		     line = nl + 1) {
			lines++;                  /* each line, and 60 mutants */
			mutate_and_compare(line, (size_t)(nl - line));
			compare(line, (size_t)(nl - line), "line");
		}
		free(text);
	}
	printf("# %ld texts: json_parse and the byte scanner agree on %ld; "
	       "%ld compared with jsmn's tokens\n", agree + disagree, agree,
	       jsmn_compared);
	CHECK(disagree == 0);
	CHECK(agree > 300000);
	CHECK(jsmn_compared > 10000);
	json_doc_release(&doc);
	return unit_done();
}
