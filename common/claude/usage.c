/*
 * usage.c: the tokens of a Claude Code transcript. One API response is
 * written as several assistant records (one per content block) sharing
 * message.id and requestId, with output_tokens growing from one to the
 * next; so each (message.id, requestId) is kept once, at the largest
 * value of each kind, and the sums per model move by the difference
 * when a larger one is seen. The model "<synthetic>" (messages Claude
 * Code writes itself) is skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "claude/claude.h"

struct claude_request {
	int64_t tok[CLAUDE_NKIND];
	size_t model;
};

void
claude_usage_init(struct claude_usage *u)
{
	memset(u, 0, sizeof(*u));
	u->requests = ht_create();
	u->reported = -1;
}

void
claude_usage_release(struct claude_usage *u)
{
	size_t i;

	for (i = 0; i < u->nmodel; i++)
		free(u->model[i].name);
	free(u->model);
	free(u->req);
	ht_release(u->requests);
	memset(u, 0, sizeof(*u));
}

/* The index of model name (appended when new). */
static size_t
model_index(struct claude_usage *u, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < u->nmodel; i++)
		if (strlen(u->model[i].name) == len &&
		    memcmp(u->model[i].name, name, len) == 0)
			return i;
	if (u->nmodel == u->capmodel) {
		u->capmodel = u->capmodel ? 2 * u->capmodel : 4;
		u->model = oak_realloc(u->model,
				       u->capmodel * sizeof(*u->model));
	}
	memset(&u->model[u->nmodel], 0, sizeof(*u->model));
	u->model[u->nmodel].name = oak_strndup(name, len);
	return u->nmodel++;
}

/* Reads the counts of one usage object into tok. NULL or a reason. */
static const char *
read_counts(const struct json_doc *d, int usage, int64_t tok[CLAUDE_NKIND])
{
	static const char *const keys[] = {
		"input_tokens", "output_tokens", "cache_creation_input_tokens",
		"cache_read_input_tokens",
	};
	int k, v;

	for (k = 0; k < CLAUDE_NKIND; k++) {
		if (k == CLAUDE_CACHE_1H)
			v = json_path(d, usage, "cache_creation",
				      "ephemeral_1h_input_tokens", (char *)NULL);
		else
			v = json_get(d, usage, keys[k]);
		tok[k] = 0;
		if (v < 0 || json_is_null(d, v))
			continue;
		if (json_int64(d, v, &tok[k]) < 0 || tok[k] < 0)
			return "message.usage: a token count that is not a "
			       "non-negative integer";
	}
	if (tok[CLAUDE_CACHE_1H] > tok[CLAUDE_CACHE_CREATION])
		tok[CLAUDE_CACHE_1H] = tok[CLAUDE_CACHE_CREATION];
	return NULL;
}

/* Adds delta[k] to the sums of model m; false (nothing added) when one
 * would overflow. */
static bool
add_to_model(struct claude_usage *u, size_t m, const int64_t *delta)
{
	int64_t sum[CLAUDE_NKIND];
	int k;

	for (k = 0; k < CLAUDE_NKIND; k++)
		if (__builtin_add_overflow(u->model[m].tok[k], delta[k],
					   &sum[k]))
			return false;
	memcpy(u->model[m].tok, sum, sizeof(sum));
	return true;
}

/* The request entry of key, created (all zero) when new. */
static struct claude_request *
request_of(struct claude_usage *u, const char *key, size_t len, size_t model)
{
	bool created;
	void **slot = ht_put(u->requests, key, len, &created);

	if (created) {
		if (u->nreq == u->capreq) {
			u->capreq = u->capreq ? 2 * u->capreq : 16;
			u->req = oak_realloc(u->req,
					     u->capreq * sizeof(*u->req));
		}
		memset(&u->req[u->nreq], 0, sizeof(*u->req));
		u->req[u->nreq].model = model;
		*slot = (void *)(uintptr_t)++u->nreq;
	}
	return &u->req[(uintptr_t)*slot - 1];
}

const char *
claude_usage_add(struct claude_usage *u, const struct json_doc *d)
{
	int msg = json_get(d, 0, "message");
	int usage = json_get(d, msg, "usage");
	int id = json_get(d, msg, "id"), model = json_get(d, msg, "model");
	int rid = json_get(d, 0, "requestId");
	int64_t tok[CLAUDE_NKIND], delta[CLAUDE_NKIND];
	struct claude_request *r;
	struct buf key;
	const char *why, *p;
	size_t len;
	int k;

	if (!json_is_object(d, usage) ||
	    !json_streq(d, json_get(d, 0, "type"), "assistant"))
		return NULL;
	if (json_streq(d, model, "<synthetic>"))
		return NULL;
	if ((why = read_counts(d, usage, tok)) != NULL)
		return why;
	buf_init(&key);
	/* a record without ids is one request of its own */
	if (json_is_string(d, id))
		json_unescape(d, id, &key);
	else
		buf_printf(&key, "#%zu", u->nreq);
	buf_addc(&key, '\n');
	if (json_is_string(d, rid))
		json_unescape(d, rid, &key);
	p = json_is_string(d, model) ? json_raw(d, model, &len) : "";
	if (!json_is_string(d, model))
		len = 0;
	r = request_of(u, key.data, key.len, model_index(u, p, len));
	buf_release(&key);
	for (k = 0; k < CLAUDE_NKIND; k++)
		delta[k] = tok[k] > r->tok[k] ? tok[k] - r->tok[k] : 0;
	if (!add_to_model(u, r->model, delta))
		return "token sum overflows";
	for (k = 0; k < CLAUDE_NKIND; k++)
		r->tok[k] += delta[k];
	return NULL;
}

int64_t
claude_usage_kind(const struct claude_usage *u, enum claude_kind k)
{
	int64_t sum = 0;
	size_t i;

	/* each model's sum fits, and so does their sum: add_to_model
	 * checks each request, and the kinds' totals are checked below */
	for (i = 0; i < u->nmodel; i++)
		if (__builtin_add_overflow(sum, u->model[i].tok[k], &sum))
			return INT64_MAX;
	return sum;
}

int64_t
claude_usage_total(const struct claude_usage *u)
{
	int64_t sum = 0;
	int k;

	for (k = 0; k < CLAUDE_CACHE_1H; k++)
		if (__builtin_add_overflow(sum, claude_usage_kind(u, k), &sum))
			return INT64_MAX;
	return sum;
}

/* Is the line worth parsing: an assistant record with a usage? */
static bool
has_usage(const struct line *ln)
{
	return strstr(ln->text, "\"usage\"") != NULL &&
	       strstr(ln->text, "\"assistant\"") != NULL;
}

int
claude_usage_read(struct claude_usage *u, const char *path)
{
	struct line_reader *r = line_open(path);
	struct json_doc doc;
	struct line ln;
	const char *why;
	int rc, saved;

	if (r == NULL)
		return -1;
	json_doc_init(&doc);
	while ((rc = line_next(r, &ln)) == 1) {
		if (!ln.had_newline || !has_usage(&ln))
			continue;
		if (json_parse(&doc, ln.text, ln.len, &why) < 0)
			oak_warn_at(path, ln.no, "%s", why);
		else if ((why = claude_usage_add(u, &doc)) != NULL)
			oak_warn_at(path, ln.no, "%s", why);
	}
	saved = errno;
	json_doc_release(&doc);
	line_close(r);
	errno = saved;
	return rc < 0 ? -1 : 0;
}
