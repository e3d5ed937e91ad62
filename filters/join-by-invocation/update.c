/*
 * update.c: updates folded into an invocation, in file order: top-level
 * keys replaced, outcome and metadata merged key by key.
 */
#include <string.h>

#include "join.h"

static struct json_doc upd_doc;

/* One member of an object: key and value as written (spans). */
struct member {
	const char *key;   /* the key's characters, without quotes */
	size_t klen;
	const char *val;   /* the value's text, strings with quotes */
	size_t vlen;
	bool done;         /* written out */
};

struct members {
	struct member *m;
	size_t n, cap;
};

/* outcome and metadata merge key by key; whole_val set means a non-object
 * value replaced the object outright. */
struct merged {
	const char *name;
	bool touched;
	const char *whole_val;
	size_t whole_len;
	struct members members;
};

static struct members overrides;           /* top-level keys, in order */
static struct merged merged[2] = { { .name = "outcome" },
				   { .name = "metadata" } };

static bool
key_is(const char *key, size_t klen, const char *name)
{
	return strlen(name) == klen && memcmp(key, name, klen) == 0;
}

static void
members_set(struct members *ms, const char *key, size_t klen,
	    const char *val, size_t vlen)
{
	size_t i;

	for (i = 0; i < ms->n; i++) {
		if (ms->m[i].klen == klen && memcmp(ms->m[i].key, key, klen) == 0) {
			ms->m[i].val = val;
			ms->m[i].vlen = vlen;
			return;
		}
	}
	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? ms->cap * 2 : 16;
		ms->m = oak_realloc(ms->m, sizeof(*ms->m) * ms->cap);
	}
	ms->m[ms->n++] = (struct member){ key, klen, val, vlen, false };
}

/* Sets each member of object token obj of d in into. */
static void
members_of(const struct json_doc *d, int obj, struct members *into)
{
	size_t klen, vlen;
	const char *key, *val;
	int i;

	for (i = obj + 1; i < d->ntok && d->tok[i].start < d->tok[obj].end;
	     i = json_skip(d, i + 1)) {
		key = json_raw(d, i, &klen);
		val = json_span(d, i + 1, &vlen);
		members_set(into, key, klen, val, vlen);
	}
}

static struct merged *
merged_for(const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < 2; i++)
		if (key_is(key, klen, merged[i].name))
			return &merged[i];
	return NULL;
}

/* Applies one update record (parsed in upd) onto the invocation inv. */
static void
apply_update(const struct json_doc *inv, const struct json_doc *upd)
{
	size_t klen, vlen;
	const char *key, *val;
	struct merged *mg;
	int i, v, orig;

	for (i = 1; i < upd->ntok; i = json_skip(upd, i + 1)) {
		key = json_raw(upd, i, &klen);
		v = i + 1;
		if (key_is(key, klen, "timestamp") ||
		    key_is(key, klen, "invocation_id"))
			continue;
		val = json_span(upd, v, &vlen);
		members_set(&overrides, key, klen, val, vlen);
		mg = merged_for(key, klen);
		if (mg == NULL)
			continue;
		if (!mg->touched) {
			mg->touched = true;
			mg->whole_val = NULL;
			mg->members.n = 0;
			orig = json_get(inv, 0, mg->name);
			if (json_is_object(inv, orig))
				members_of(inv, orig, &mg->members);
			else if (orig >= 0)
				mg->whole_val = json_span(inv, orig, &mg->whole_len);
		}
		if (json_is_object(upd, v)) {
			if (mg->whole_val != NULL) {
				mg->whole_val = NULL;
				mg->members.n = 0;
			}
			members_of(upd, v, &mg->members);
		} else {
			mg->whole_val = val;
			mg->whole_len = vlen;
			mg->members.n = 0;
		}
	}
}

static void
put_value(struct buf *out, const char *key, size_t klen, const char *val,
	  size_t vlen)
{
	struct merged *mg = merged_for(key, klen);
	size_t i;

	if (mg == NULL || !mg->touched) {
		buf_add(out, val, vlen);
	} else if (mg->whole_val != NULL) {
		buf_add(out, mg->whole_val, mg->whole_len);
	} else {
		buf_addc(out, '{');
		for (i = 0; i < mg->members.n; i++) {
			jw_key_raw(out, mg->members.m[i].key,
				   mg->members.m[i].klen);
			buf_add(out, mg->members.m[i].val, mg->members.m[i].vlen);
		}
		buf_addc(out, '}');
	}
}


static struct member *
override_of(const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < overrides.n; i++)
		if (overrides.m[i].klen == klen &&
		    memcmp(overrides.m[i].key, key, klen) == 0)
			return &overrides.m[i];
	return NULL;
}

void
write_updated(struct buf *out, const struct json_doc *inv,
	      const struct side_index *updates, const uint32_t *chain,
	      size_t n_upd)
{
	const struct side_entry *e;
	struct member *ov;
	const char *key, *val, *why;
	size_t u, klen, vlen;
	int i;

	overrides.n = 0;
	merged[0].touched = merged[1].touched = false;
	for (u = 0; u < n_upd; u++) {
		e = &updates->entry[chain[u]];
		if (json_parse(&upd_doc, updates->map + e->offset, e->len, &why) == 0)
			apply_update(inv, &upd_doc);
	}
	buf_addc(out, '{');
	for (i = 1; i < inv->ntok; i = json_skip(inv, i + 1)) {
		key = json_raw(inv, i, &klen);
		if (key_is(key, klen, "success_metric") ||
		    key_is(key, klen, "invocation_seq"))
			continue;
		jw_key_raw(out, key, klen);
		ov = override_of(key, klen);
		if (ov != NULL) {
			ov->done = true;
			put_value(out, key, klen, ov->val, ov->vlen);
		} else {
			val = json_span(inv, i + 1, &vlen);
			put_value(out, key, klen, val, vlen);
		}
	}
	for (u = 0; u < overrides.n; u++) {
		ov = &overrides.m[u];
		if (ov->done || key_is(ov->key, ov->klen, "success_metric") ||
		    key_is(ov->key, ov->klen, "invocation_seq"))
			continue;
		jw_key_raw(out, ov->key, ov->klen);
		put_value(out, ov->key, ov->klen, ov->val, ov->vlen);
	}
}

