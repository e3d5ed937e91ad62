/*
 * counter.c: keyed counters. A hash table maps each text to its item, so
 * adding a key, finding it and merging a set of n keys are O(1), O(1)
 * and O(n). Sums are checked: a count never wraps, and a sum that would
 * leave the int64 range changes nothing and is reported to the caller.
 */
#include <stdlib.h>
#include <string.h>

#include "record/counter.h"

const struct counter_shape counter_counted = {
	2, 1, "[text, count, first_seq]"
};

void
counter_init(struct counter_set *s, const struct counter_shape *shape)
{
	s->index = NULL;   /* made at the first key: most sets stay empty */
	s->item = NULL;
	s->n = s->cap = s->last = 0;
	s->shape = shape;
}

void
counter_release(struct counter_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->item[i].text);
	free(s->item);
	ht_release(s->index);
}

const char *
record_text(const struct json_doc *d, int i, struct buf *scratch, size_t *len)
{
	const char *p = json_raw(d, i, len);

	if (memchr(p, '\\', *len) == NULL)
		return p;
	buf_reset(scratch);
	json_unescape(d, i, scratch);
	*len = scratch->len;
	return scratch->data;
}

const struct counter *
counter_find(const struct counter_set *s, const char *text, size_t len)
{
	void **slot = s->index ? ht_find(s->index, text, len) : NULL;

	return slot ? &s->item[(uintptr_t)*slot - 1] : NULL;
}

/* The counts of c plus v into out: false when a sum leaves the range. */
static bool
counts_sum(const struct counter_shape *sh, const int64_t *c, const int64_t *v,
	   int64_t *out)
{
	int k;

	for (k = 0; k < sh->nv; k++) {
		if (k == sh->first_col)
			out[k] = v[k] < c[k] ? v[k] : c[k];
		else if (__builtin_add_overflow(c[k], v[k], &out[k]))
			return false;
	}
	return true;
}

/* The item last found is tried first: a log comes in time order, and
 * the key of a day repeats for many lines in a row. A set of a few
 * items (task types, outcomes) is searched in place: comparing lengths,
 * then bytes inline, costs less than hashing the key. */
struct counter *
counter_item(struct counter_set *s, const char *text, size_t len)
{
	struct counter *c = s->last > 0 ? &s->item[s->last - 1] : NULL;
	void **slot;
	size_t i;

	if (c != NULL && c->len == len && oak_bytes_equal(c->text, text, len))
		return c;
	if (s->n <= 8) {
		for (i = 0; i < s->n; i++)
			if (s->item[i].len == len &&
			    oak_bytes_equal(s->item[i].text, text, len)) {
				s->last = i + 1;
				return &s->item[i];
			}
		return NULL;
	}
	if ((slot = s->index ? ht_find(s->index, text, len) : NULL) == NULL)
		return NULL;
	s->last = (uintptr_t)*slot;
	return &s->item[s->last - 1];
}

bool
counter_item_fits(const struct counter_set *s, const struct counter *c,
		  const int64_t *v)
{
	int64_t sum[COUNTER_MAX];

	return counts_sum(s->shape, c->v, v, sum);
}

bool
counter_item_sum(const struct counter_set *s, const struct counter *c,
		 const int64_t *v, int64_t *sum)
{
	return counts_sum(s->shape, c->v, v, sum);
}

void
counter_item_set(const struct counter_set *s, struct counter *c,
		 const int64_t *sum)
{
	memcpy(c->v, sum, sizeof(*sum) * (size_t)s->shape->nv);
}

void
counter_item_add(const struct counter_set *s, struct counter *c,
		 const int64_t *v)
{
	counts_sum(s->shape, c->v, v, c->v);
}

bool
counter_add(struct counter_set *s, const char *text, size_t len,
	    const int64_t *v)
{
	bool created;
	void **slot;
	struct counter *c;

	if (s->index == NULL)
		s->index = ht_create();
	slot = ht_put(s->index, text, len, &created);
	if (!created) {
		c = &s->item[(uintptr_t)*slot - 1];
		if (!counter_item_fits(s, c, v))
			return false;
		counter_item_add(s, c, v);
		return true;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->item = oak_realloc(s->item, sizeof(*s->item) * s->cap);
	}
	c = &s->item[s->n++];
	memset(c, 0, sizeof(*c));
	c->text = oak_strndup(text, len);
	c->len = len;
	memcpy(c->v, v, sizeof(*v) * (size_t)s->shape->nv);
	*slot = (void *)(uintptr_t)s->n;
	s->last = s->n;
	return true;
}

bool
counter_merge_fits(const struct counter_set *dst, const struct counter_set *src)
{
	const struct counter *c;
	size_t i;

	for (i = 0; i < src->n; i++) {
		c = counter_find(dst, src->item[i].text, src->item[i].len);
		if (c != NULL && !counter_item_fits(dst, c, src->item[i].v))
			return false;
	}
	return true;
}

void
counter_merge(struct counter_set *dst, const struct counter_set *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		counter_add(dst, src->item[i].text, src->item[i].len,
			    src->item[i].v);
}

static int
text_cmp(const struct counter *a, const struct counter *b)
{
	int c = memcmp(a->text, b->text, a->len < b->len ? a->len : b->len);

	if (c != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static int
by_text(const void *pa, const void *pb)
{
	return text_cmp(*(const struct counter *const *)pa,
			*(const struct counter *const *)pb);
}

/* First appearance (column 1 of counted strings), ties by text. */
static int
by_first_seq(const void *pa, const void *pb)
{
	const struct counter *a = *(const struct counter *const *)pa;
	const struct counter *b = *(const struct counter *const *)pb;

	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return text_cmp(a, b);
}

static int
by_count(const void *pa, const void *pb)
{
	const struct counter *a = *(const struct counter *const *)pa;
	const struct counter *b = *(const struct counter *const *)pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return strcmp(a->text, b->text);
}

static void
counter_order(const struct counter_set *s, const struct counter **out,
	      int (*cmp)(const void *, const void *))
{
	size_t i;

	for (i = 0; i < s->n; i++)
		out[i] = &s->item[i];
	if (s->n > 1)
		qsort(out, s->n, sizeof(*out), cmp);
}

void
counter_sorted(const struct counter_set *s, const struct counter **out)
{
	counter_order(s, out, s->shape->first_col >= 0 ? by_first_seq : by_text);
}

size_t
counter_top(const struct counter_set *s, const struct counter **out,
	    size_t max)
{
	const struct counter **all;
	size_t n;

	if (s->n == 0 || max == 0)
		return 0;
	all = oak_malloc(sizeof(*all) * s->n);
	counter_order(s, all, by_count);
	n = s->n < max ? s->n : max;
	memcpy(out, all, sizeof(*all) * n);
	free(all);
	return n;
}

void
counter_write(struct buf *b, const struct counter_set *s)
{
	const struct counter **sorted;
	size_t i;
	int k;

	buf_addc(b, '[');
	if (s->n == 0) {
		buf_addc(b, ']');
		return;
	}
	sorted = oak_malloc(sizeof(*sorted) * s->n);
	counter_sorted(s, sorted);
	for (i = 0; i < s->n; i++) {
		buf_adds(b, i ? ", [" : "[");
		jw_string(b, sorted[i]->text, sorted[i]->len);
		/* jw_int, not printf (a thousand instructions a number) */
		for (k = 0; k < s->shape->nv; k++) {
			buf_adds(b, ", ");
			jw_int(b, sorted[i]->v[k]);
		}
		buf_addc(b, ']');
	}
	buf_addc(b, ']');
	free(sorted);
}

/* The counts of one [text, v0, ...] element e: false when one is not an
 * integer, or is negative where it must not be. */
static bool
read_counts(const struct json_doc *d, int e, const struct counter_shape *sh,
	    int64_t *v)
{
	int k;

	if (!json_is_array(d, e) || d->tok[e].size != 1 + sh->nv ||
	    !json_is_string(d, e + 1))
		return false;
	for (k = 0; k < sh->nv; k++)
		if (json_int64(d, e + 2 + k, &v[k]) < 0 ||
		    (v[k] < 0 && k != sh->first_col))
			return false;
	return true;
}

const char *
counter_read(const struct json_doc *d, int arr, struct counter_set *s,
	     const char *field)
{
	static char why[128];
	static struct buf scratch;
	int64_t v[COUNTER_MAX];
	const char *text;
	size_t len;
	int e;

	if (!json_is_array(d, arr))
		goto bad;
	for (e = arr + 1; e < d->ntok && d->tok[e].start < d->tok[arr].end;
	     e = json_skip(d, e)) {
		if (!read_counts(d, e, s->shape, v))
			goto bad;
		text = record_text(d, e + 1, &scratch, &len);
		if (!counter_add(s, text, len, v)) {
			snprintf(why, sizeof(why), "sum of \"state.%s\" out of "
				 "range", field);
			return why;
		}
	}
	return NULL;
bad:
	snprintf(why, sizeof(why), "\"state.%s\" is not a list of %s", field,
		 s->shape->items);
	return why;
}
