/*
 * store.c: the members of every workflow, as oak-workflows must remember
 * them until the input ends (a workflow's members may come anywhere in
 * the stream): per invocation its id, parent id, session, workflow id,
 * agent, start, end, status and modified files, the strings interned in
 * pools so each distinct text is kept once.
 */
#include <stdlib.h>
#include <string.h>

#include "record/invocation.h"
#include "workflows.h"

/* Durations past 1e9 s (31 years) are refused: so wall times and ten
 * times them fit an int64 of microseconds. */
#define MAX_DURATION INT64_C(1000000000000000)

static struct buf scratch;
static char why[96];

void *
grow(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		p = oak_realloc(p, size * (n ? 2 * n : 1));
	return p;
}

void
pool_init(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	p->index = ht_create();
}

void
pool_release(struct pool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->text[i]);
	free(p->text);
	free(p->len);
	ht_release(p->index);
}

size_t
pool_add(struct pool *p, const char *s, size_t len)
{
	bool created;
	void **slot = ht_put(p->index, s, len, &created);

	if (!created)
		return (size_t)(uintptr_t)*slot - 1;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->text = oak_realloc(p->text, sizeof(*p->text) * p->cap);
		p->len = oak_realloc(p->len, sizeof(*p->len) * p->cap);
	}
	p->text[p->n] = oak_strndup(s, len);
	p->len[p->n] = len;
	*slot = (void *)(uintptr_t)(p->n + 1);
	return p->n++;
}

void
store_init(struct store *s)
{
	memset(s, 0, sizeof(*s));
	pool_init(&s->strs);
	pool_init(&s->agents);
	s->by_id = ht_create();
}

void
store_release(struct store *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->m[i].files);
	for (i = 0; i < s->nwf; i++)
		free(s->wf[i].m);
	free(s->m);
	free(s->wf);
	ht_release(s->by_id);
	pool_release(&s->strs);
	pool_release(&s->agents);
	buf_release(&scratch);
}

const char *
store_str(const struct store *s, size_t i)
{
	return s->strs.text[i];
}

const char *
store_agent(const struct store *s, size_t i)
{
	return s->agents.text[i];
}


/* The unescaped text of string token i, interned in p. */
static size_t
intern(struct pool *p, const struct json_doc *d, int i)
{
	size_t len;
	const char *raw = json_raw(d, i, &len);

	if (memchr(raw, '\\', len) == NULL)
		return pool_add(p, raw, len);
	buf_reset(&scratch);
	json_unescape(d, i, &scratch);
	return pool_add(p, scratch.data, scratch.len);
}

/* An optional string field: its index, or NONE when absent or null. */
static const char *
optional_string(struct store *s, const struct json_doc *d, int i,
		const char *field, size_t *out)
{
	*out = NONE;
	if (i < 0 || json_is_null(d, i))
		return NULL;
	if (!json_is_string(d, i)) {
		snprintf(why, sizeof(why), "\"%s\" is not a string", field);
		return why;
	}
	*out = intern(&s->strs, d, i);
	return NULL;
}

static enum status
status_of(const struct json_doc *d)
{
	int i = json_path(d, 0, "outcome", "status", NULL);

	if (i < 0 || !json_is_string(d, i))
		return ST_UNKNOWN;
	if (json_streq(d, i, "success"))
		return ST_SUCCESS;
	if (json_streq(d, i, "failure"))
		return ST_FAILURE;
	if (json_streq(d, i, "partial"))
		return ST_PARTIAL;
	return ST_UNKNOWN;
}

/* outcome.files_modified, an array of strings, into m->files. */
static const char *
read_files(struct store *s, const struct json_doc *d, struct member *m)
{
	int i = json_path(d, 0, "outcome", "files_modified", NULL), j;
	size_t k, n;

	if (i < 0 || json_is_null(d, i))
		return NULL;
	if (!json_is_array(d, i))
		return "\"outcome.files_modified\" is not an array";
	n = (size_t)d->tok[i].size;
	m->files = n ? oak_malloc(sizeof(*m->files) * n) : NULL;
	for (k = 0, j = i + 1; k < n; k++, j = json_skip(d, j)) {
		if (!json_is_string(d, j))
			return "\"outcome.files_modified\" holds a non-string";
		m->files[m->nfiles++] = intern(&s->strs, d, j);
	}
	return NULL;
}

/* Start and end in microseconds; a duration must be a number >= 0. */
static const char *
read_times(const struct json_doc *d, struct oak_instant when,
	   struct member *m)
{
	int i = json_get(d, 0, "duration_seconds");
	int64_t dur = 0;

	m->start = when.sec * 1000000 + when.nsec / 1000;
	m->timed = i >= 0 && !json_is_null(d, i);
	if (m->timed && (json_micro(d, i, &dur) < 0 || dur < 0 ||
			 dur > MAX_DURATION))
		return "\"duration_seconds\" is negative or above 1e9";
	m->end = m->start + dur;
	return NULL;
}

static const char *
read_member(struct store *s, const struct json_doc *d, struct member *m)
{
	struct oak_instant when;
	const char *reason;
	int i;

	if ((reason = invocation_check(d, &when)) != NULL ||
	    (reason = read_times(d, when, m)) != NULL)
		return reason;
	i = json_get(d, 0, "session_id");
	if (i < 0 || !json_is_string(d, i))
		return i < 0 ? "missing \"session_id\"" :
			       "\"session_id\" is not a string";
	m->session = intern(&s->strs, d, i);
	m->agent = intern(&s->agents, d, json_get(d, 0, "agent_name"));
	m->id = intern(&s->strs, d, json_get(d, 0, "invocation_id"));
	if ((reason = optional_string(s, d, json_get(d, 0,
			"parent_invocation_id"), "parent_invocation_id",
			&m->parent_id)) != NULL ||
	    (reason = optional_string(s, d, json_path(d, 0, "metadata",
			"workflow_id", NULL), "metadata.workflow_id",
			&m->workflow_id)) != NULL)
		return reason;
	i = json_get(d, 0, "invocation_seq");
	if (i >= 0 && (json_int64(d, i, &m->seq) < 0 || m->seq < 1))
		return "\"invocation_seq\" is not a positive integer";
	m->status = status_of(d);
	return read_files(s, d, m);
}

bool
store_add(struct store *s, const struct json_doc *d, const char *file,
	  const struct line *ln)
{
	struct member m;
	const char *reason;
	bool created;
	void **slot;

	memset(&m, 0, sizeof(m));
	m.seq = (int64_t)s->n + 1;
	m.file = file;
	m.line_no = ln->no;
	reason = read_member(s, d, &m);
	if (reason == NULL) {
		slot = ht_put(s->by_id, store_str(s, m.id),
			      s->strs.len[m.id], &created);
		if (!created)
			reason = "duplicate \"invocation_id\"";
		else
			*slot = (void *)(uintptr_t)(s->n + 1);
	}
	if (reason != NULL) {
		free(m.files);
		oak_reject(file, ln->no, ln->text, ln->len, "%s", reason);
		return false;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->m = oak_realloc(s->m, sizeof(*s->m) * s->cap);
	}
	s->m[s->n++] = m;
	return true;
}
