/*
 * record/agent_book.h: the AgentStats of a run, one per agent in order
 * of first appearance (agent_book.c): what oak-group-by-agent keeps, and
 * oak-join-by-invocation --group, which groups as it joins. Memory: one
 * AgentStats per agent, never the records.
 */
#ifndef OAK_RECORD_AGENT_BOOK_H
#define OAK_RECORD_AGENT_BOOK_H

#include "record/agent_stats.h"
#include "record/piece.h"

struct agent_book {
	struct ht *by_name;
	struct agent_stats **agents;
	size_t nagents, cap;
	struct piece_book *pieces;   /* --piece, --merge: see piece.h */
	bool counting;               /* --piece: fingerprints counted */
	struct buf scratch;
};

void agent_book_init(struct agent_book *b);
/* Counts JoinedInvocation d into its agent's AgentStats, as
 * agent_stats_add does (at, md, seq, when: its arguments); the agent is
 * kept once one of its records is counted; with counting, its id goes
 * into the agent's fingerprint. NULL, or why the record is bad. */
const char *agent_book_add(struct agent_book *b, const struct json_doc *d,
			   const int *at, const struct json_doc *md,
			   int64_t seq, struct oak_instant when);
/* agent_book_add in parts, for a caller that counts d its own way: the
 * agent of invocation d (at: its keys), found or made (*fresh; first
 * seen at seq); then, once d is counted into it or refused (why),
 * agent_book_done keeps or drops a fresh agent and counts d's id, and
 * returns why. */
struct agent_stats *agent_book_agent(struct agent_book *b,
				     const struct json_doc *d, const int *at,
				     int64_t seq, bool *fresh);
const char *agent_book_done(struct agent_book *b, struct agent_stats *a,
			    bool fresh, const char *why,
			    const struct json_doc *d, const int *at);
/* Counts the JoinedInvocation parsed in d as oak-group-by-agent does:
 * its keys found and checked, at its invocation_seq, or at seq when it
 * has none. NULL, or why the record is bad. */
const char *agent_book_add_line(struct agent_book *b,
				const struct json_doc *d, int64_t seq);
/* The agent of name, made (first seen at seq) when there is none. */
struct agent_stats *agent_book_for(struct agent_book *b, const char *name,
				   size_t len, int64_t seq);
/* Writes the AgentStats to fp in order of first appearance, each with
 * its piece keys, then the pieces' end line; releases them all. */
void agent_book_write(struct agent_book *b, FILE *fp);
void agent_book_release(struct agent_book *b);

#endif
