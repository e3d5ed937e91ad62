/*
 * agent_book.c: the AgentStats of a run, by agent name (agent_book.h).
 */
#include <stdlib.h>
#include <string.h>

#include "record/agent_book.h"
#include "record/invocation.h"

void
agent_book_init(struct agent_book *b)
{
	memset(b, 0, sizeof(*b));
	b->by_name = ht_create();
	b->pieces = piece_book_create();
}

static void
agent_insert(struct agent_book *b, struct agent_stats *a)
{
	if (b->nagents == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->agents = oak_realloc(b->agents, sizeof(*b->agents) * b->cap);
	}
	b->agents[b->nagents++] = a;
	*ht_put(b->by_name, a->name, a->name_len, NULL) = a;
}

/* The agent of name, NULL when there is none yet. A few agents are
 * searched in place: comparing lengths, then bytes inline, costs less
 * than hashing the name. */
static struct agent_stats *
agent_find(const struct agent_book *b, const char *name, size_t len)
{
	void **slot;
	size_t k;

	if (b->nagents <= 16) {
		for (k = 0; k < b->nagents; k++)
			if (b->agents[k]->name_len == len &&
			    oak_bytes_equal(b->agents[k]->name, name, len))
				return b->agents[k];
		return NULL;
	}
	slot = ht_find(b->by_name, name, len);
	return slot != NULL ? *slot : NULL;
}

struct agent_stats *
agent_book_for(struct agent_book *b, const char *name, size_t len,
	       int64_t seq)
{
	struct agent_stats *a = agent_find(b, name, len);

	if (a == NULL)
		agent_insert(b, a = agent_stats_create(name, len, seq));
	return a;
}

struct agent_stats *
agent_book_agent(struct agent_book *b, const struct json_doc *d, const int *at,
		 int64_t seq, bool *fresh)
{
	struct agent_stats *a;
	size_t len;
	const char *name = record_text(d, at[INV_AGENT], &b->scratch, &len);

	a = agent_find(b, name, len);
	*fresh = a == NULL;
	return a != NULL ? a : agent_stats_create(name, len, seq);
}

const char *
agent_book_done(struct agent_book *b, struct agent_stats *a, bool fresh,
		const char *why, const struct json_doc *d, const int *at)
{
	const char *id;
	size_t id_len;

	if (why != NULL) {
		if (fresh)
			agent_stats_release(a);
		return why;
	}
	if (fresh)
		agent_insert(b, a);
	if (b->counting) {
		id = json_raw(d, at[INV_ID], &id_len);
		piece_book_count(b->pieces, a->name, a->name_len, id, id_len);
	}
	return NULL;
}

const char *
agent_book_add(struct agent_book *b, const struct json_doc *d, const int *at,
	       const struct json_doc *md, int64_t seq, struct oak_instant when)
{
	bool fresh;
	struct agent_stats *a = agent_book_agent(b, d, at, seq, &fresh);

	return agent_book_done(b, a, fresh,
			       agent_stats_add(a, d, at, md, seq, when), d, at);
}

const char *
agent_book_add_line(struct agent_book *b, const struct json_doc *d,
		    int64_t seq)
{
	struct oak_instant when;
	const char *why;
	int at[INV_KEYS], i;

	json_get_keys(d, 0, invocation_keys, INV_KEYS, at);
	if ((why = invocation_check_at(d, at, &when)) != NULL)
		return why;
	i = at[INV_SEQ];
	if (i >= 0 && (json_int64(d, i, &seq) < 0 || seq < 1))
		return "\"invocation_seq\" is not a positive integer";
	return agent_book_add(b, d, at, d, seq, when);
}

static int
first_seq_cmp(const void *pa, const void *pb)
{
	const struct agent_stats *a = *(struct agent_stats *const *)pa;
	const struct agent_stats *b = *(struct agent_stats *const *)pb;

	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	return strcmp(a->name, b->name);
}

void
agent_book_write(struct agent_book *b, FILE *fp)
{
	struct buf out;
	size_t k;

	if (b->nagents > 1)
		qsort(b->agents, b->nagents, sizeof(*b->agents), first_seq_cmp);
	buf_init(&out);
	for (k = 0; k < b->nagents; k++) {
		buf_reset(&out);
		agent_stats_write(&out, b->agents[k]);
		out.len--;   /* the piece keys go before the closing brace */
		piece_book_write(b->pieces, &out, b->agents[k]->name,
				 b->agents[k]->name_len);
		buf_adds(&out, "}\n");
		buf_write(&out, fp);
		agent_stats_release(b->agents[k]);
	}
	buf_reset(&out);
	piece_book_end(b->pieces, &out, b->nagents);
	buf_write(&out, fp);
	buf_release(&out);
	b->nagents = 0;
}

void
agent_book_release(struct agent_book *b)
{
	size_t k;

	for (k = 0; k < b->nagents; k++)
		agent_stats_release(b->agents[k]);
	free(b->agents);
	ht_release(b->by_name);
	piece_book_release(b->pieces);
	buf_release(&b->scratch);
	memset(b, 0, sizeof(*b));
}
