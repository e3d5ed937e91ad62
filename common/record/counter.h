/*
 * record/counter.h: keyed counters (counter.c), the one container behind
 * AgentStats' lists: a text and a few int64 counts per key, added,
 * merged (one hash lookup per key), read and written as JSON.
 */
#ifndef OAK_RECORD_COUNTER_H
#define OAK_RECORD_COUNTER_H

#include "base/base.h"
#include "json/json.h"

#define COUNTER_MAX 5
/*
 * What a set counts. Every count is a non-negative sum, except the
 * column first_col when it is >= 0: the first appearance (any integer),
 * kept as the minimum. A set with a first appearance is written in that
 * order (ties by text), any other sorted by text, so merged shards
 * write what one run writes. items names the form in reasons.
 */
struct counter_shape {
	int nv;
	int first_col;
	const char *items;   /* e.g. "[text, count, first_seq]" */
};
/* Counted strings: v[0] how often, v[1] first appearance. */
extern const struct counter_shape counter_counted;

struct counter {
	char *text;          /* unescaped, NUL-terminated */
	size_t len;
	union {
		int64_t v[COUNTER_MAX];
		struct { int64_t count, first_seq; };  /* counter_counted */
	};
};
struct counter_set {
	struct ht *index;    /* text -> 1 + position in item */
	struct counter *item;
	size_t n, cap;
	size_t last;         /* 1 + position of the item counter_item found
			      * or counter_add made last; 0: none */
	const struct counter_shape *shape;
};

void counter_init(struct counter_set *s, const struct counter_shape *shape);
void counter_release(struct counter_set *s);
/* Adds v[0..nv-1] to the counts of text (a new key starts from them):
 * true, or false when a sum would leave the int64 range, and then
 * nothing changed. */
bool counter_add(struct counter_set *s, const char *text, size_t len,
		 const int64_t *v);
/* The item of text in s, NULL when there is none; whether item c of s
 * can take v more, and adding them (which must fit). */
struct counter *counter_item(struct counter_set *s, const char *text,
			     size_t len);
bool counter_item_fits(const struct counter_set *s, const struct counter *c,
		       const int64_t *v);
void counter_item_add(const struct counter_set *s, struct counter *c,
		      const int64_t *v);
/* The counts of item c with v added into sum: false when one leaves the
 * range. Setting them (counter_item_set) adds v with no second sum. */
bool counter_item_sum(const struct counter_set *s, const struct counter *c,
		      const int64_t *v, int64_t *sum);
void counter_item_set(const struct counter_set *s, struct counter *c,
		      const int64_t *sum);
/* Whether merging src into dst keeps every sum in range; then the merge,
 * which must fit. Both take one hash lookup per key of src. */
bool counter_merge_fits(const struct counter_set *dst,
			const struct counter_set *src);
void counter_merge(struct counter_set *dst, const struct counter_set *src);
const struct counter *counter_find(const struct counter_set *s,
				   const char *text, size_t len);
/* Items in the set's written order; out has room for s->n pointers. */
void counter_sorted(const struct counter_set *s, const struct counter **out);
/* Counted items by count (descending), first appearance, text; at most
 * max of them into out. Returns how many. */
size_t counter_top(const struct counter_set *s, const struct counter **out,
		   size_t max);

/* The unescaped text of string token i of d: its raw bytes when it has
 * no escape, else unescaped into scratch. */
const char *record_text(const struct json_doc *d, int i, struct buf *scratch,
			size_t *len);

/* Appends [[text, v0, ...], ...] in the written order. */
void counter_write(struct buf *b, const struct counter_set *s);
/* Adds the list at token arr of d (the form counter_write writes) to s:
 * NULL, or a reason naming "state.FIELD". */
const char *counter_read(const struct json_doc *d, int arr,
			 struct counter_set *s, const char *field);

#endif
