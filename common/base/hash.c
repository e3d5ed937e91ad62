/*
 * hash.c: a string-keyed hash table with open addressing and linear
 * probing. Each slot holds the key's hash, a pointer to a copy of the key
 * (length-prefixed in one allocation) and the caller's value pointer. The
 * table doubles when more than half full.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"

struct ht_key {
	size_t len;
	char text[];
};

struct ht_slot {
	uint64_t hash;
	struct ht_key *key;
	void *value;
};

struct ht {
	struct ht_slot *slots;
	size_t mask;
	size_t count;
};

uint64_t
oak_hash(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The table's own hash, and join's of an id when no shard needs
 * oak_hash (no one sees it: a table has no order to show): eight bytes
 * a step, each step a multiply and a shift, where oak_hash (FNV-1a,
 * fixed by the shards and fingerprints that use it) takes a multiply
 * per byte. group looks up 4 keys a line (its agent, its counters):
 * 13.6M -> 11.0M instructions in lookups on 20k lines. */
uint64_t
oak_hash_fast(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	size_t k;

	if (len >= 8) {
		for (; len > 8; len -= 8, p += 8) {
			memcpy(&w, p, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdULL;
			h ^= h >> 32;
		}
		memcpy(&w, p + len - 8, 8);   /* the last 8, overlapping */
	} else {
		for (w = 0, k = 0; k < len; k++)
			w |= (uint64_t)p[k] << (8 * k);
	}
	/* the last word, then murmur3's finalizer: the low bits the table
	 * uses depend on every byte (a product's low bits do not) */
	h ^= w;
	h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdULL;
	h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

struct ht *
ht_create(void)
{
	struct ht *h = oak_calloc(1, sizeof(*h));

	h->mask = 15;
	h->slots = oak_calloc(h->mask + 1, sizeof(*h->slots));
	return h;
}

void
ht_release(struct ht *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i <= h->mask; i++)
		free(h->slots[i].key);
	free(h->slots);
	free(h);
}

static struct ht_slot *
ht_slot(const struct ht *h, uint64_t hash, const char *key, size_t len)
{
	size_t i = (size_t)hash & h->mask;
	struct ht_slot *s;

	for (;; i = (i + 1) & h->mask) {
		s = &h->slots[i];
		if (s->key == NULL)
			return s;
		if (s->hash == hash && s->key->len == len &&
		    memcmp(s->key->text, key, len) == 0)
			return s;
	}
}

void **
ht_find(const struct ht *h, const char *key, size_t len)
{
	struct ht_slot *s = ht_slot(h, oak_hash_fast(key, len), key, len);

	return s->key != NULL ? &s->value : NULL;
}

static void
ht_double(struct ht *h)
{
	struct ht_slot *old = h->slots;
	size_t old_n = h->mask + 1, i, j;

	h->mask = old_n * 2 - 1;
	h->slots = oak_calloc(h->mask + 1, sizeof(*h->slots));
	for (i = 0; i < old_n; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = (size_t)old[i].hash & h->mask; h->slots[j].key != NULL;
		     j = (j + 1) & h->mask)
			;
		h->slots[j] = old[i];
	}
	free(old);
}

void **
ht_put(struct ht *h, const char *key, size_t len, bool *created)
{
	uint64_t hash = oak_hash_fast(key, len);
	struct ht_slot *s = ht_slot(h, hash, key, len);

	if (s->key != NULL) {
		if (created != NULL)
			*created = false;
		return &s->value;
	}
	if ((h->count + 1) * 2 > h->mask + 1) {
		ht_double(h);
		s = ht_slot(h, hash, key, len);
	}
	s->hash = hash;
	s->key = oak_malloc(sizeof(*s->key) + len + 1);
	s->key->len = len;
	memcpy(s->key->text, key, len);
	s->key->text[len] = '\0';
	s->value = NULL;
	h->count++;
	if (created != NULL)
		*created = true;
	return &s->value;
}
