/*
 * record/piece.h: pieces of a split run (piece.c). A run over
 * `oak-join-by-invocation --shard K/N` is piece K of N; its AgentStats
 * (oak-group-by-agent --piece K/N) say so, and carry a fingerprint of the
 * invocation ids each agent's counts hold, so that --merge can refuse a
 * piece given twice, or the same invocations under two labels, and say
 * which pieces of a split are missing.
 *
 * The fingerprint of a set of ids is the sum, modulo 2^64, of a 64-bit
 * hash of each id: FNV-1a (oak_hash, as join's shards use) passed through
 * a bijective finalizer (MurmurHash3's fmix64), so every bit depends on
 * every byte. A sum, not an exclusive or: it is a multiset hash, so an id
 * counted twice (the same piece merged twice) does not cancel out to the
 * fingerprint of nothing, and it still combines in any order: the
 * fingerprint of a merge is the sum of its parts' fingerprints.
 */
#ifndef OAK_RECORD_PIECE_H
#define OAK_RECORD_PIECE_H

#include "json/json.h"

#define PIECE_MAX 65536    /* the largest N of a split kept in pieces */

/* The hash of one invocation id, the term of a fingerprint. */
uint64_t piece_fingerprint(const char *id, size_t len);

/* What one run knows of the pieces it reads or writes. */
struct piece_book;
struct piece_book *piece_book_create(void);
void piece_book_release(struct piece_book *pb);
/* group --piece K/N: NULL, or why spec is not K/N with 1 <= K <= N. */
const char *piece_book_label(struct piece_book *pb, const char *spec);
/* group --piece: the agent's counts now hold invocation id. */
void piece_book_count(struct piece_book *pb, const char *name, size_t len,
		      const char *id, size_t idlen);
/* --merge: the piece keys of one input line, for agent name (NULL: a
 * line that only says a piece was there). NULL, and the piece is taken,
 * or why the line is refused. */
const char *piece_book_take(struct piece_book *pb, const struct json_doc *d,
			    const char *name, size_t len, const char *file,
			    long line);
/* Does the line carry piece keys but no agent (a piece with no agent)? */
bool piece_line_is_marker(const struct json_doc *d);
/* Appends the piece keys of agent name's output line (", "piece": ...),
 * none for AgentStats of a whole run or of a complete merge. */
void piece_book_write(const struct piece_book *pb, struct buf *b,
		      const char *name, size_t len);
/* After nagents lines: the line that says a piece is there when no
 * agent was written, and the warning on pieces missing from a merge. */
void piece_book_end(const struct piece_book *pb, struct buf *b,
		    size_t nagents);

#endif
