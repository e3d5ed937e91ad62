/*
 * claude/claude.h: Claude Code transcripts, shared by oak-import and
 * oak-log's hook. usage.c sums a subagent's tokens (each API response
 * once, at its largest usage); pricing.c reads the dated price table and
 * prices those sums; category.c guesses the schema's agent_type from an
 * agent's name. (The locked append to a log is base/append.h.)
 */
#ifndef OAK_CLAUDE_H
#define OAK_CLAUDE_H

#include "base/base.h"
#include "json/json.h"

/* The namespace of the name-based invocation ids derived from a
 * tool_use_id: oak-log's hook and oak-import use the same, so a call
 * seen by both has one id. */
#define CLAUDE_ID_NAMESPACE "58b9f696-3cba-408d-a249-a727ff27d37b"
/* Claude Code's subagent_type when the call names none. */
#define CLAUDE_DEFAULT_AGENT "general-purpose"

/* ---- usage.c ------------------------------------------------------ */
/* Token kinds, in the order they are written. cache_creation is split
 * into its 5-minute and 1-hour parts for pricing only. */
enum claude_kind {
	CLAUDE_INPUT, CLAUDE_OUTPUT, CLAUDE_CACHE_CREATION, CLAUDE_CACHE_READ,
	CLAUDE_CACHE_1H, /* the 1-hour part of CLAUDE_CACHE_CREATION */
	CLAUDE_NKIND
};
struct claude_model {
	char *name;
	int64_t tok[CLAUDE_NKIND];
};
/*
 * The tokens of one transcript (or one subagent inside one): each
 * (message.id, requestId) once, at the largest value of each kind seen
 * for it, by model. Memory: one small entry per API request.
 */
struct claude_usage {
	struct ht *requests;      /* key -> index + 1 into req */
	struct claude_request *req;
	size_t nreq, capreq;
	struct claude_model *model;
	size_t nmodel, capmodel;
	int64_t reported;         /* toolUseResult.totalTokens, -1: none */
};
void claude_usage_init(struct claude_usage *u);
void claude_usage_release(struct claude_usage *u);
/*
 * Adds the usage of one parsed transcript record (an assistant record
 * with message.usage; others are ignored). Returns NULL, or a reason
 * fit for a diagnostic when the usage is malformed or a sum overflows
 * (nothing is added then).
 */
const char *claude_usage_add(struct claude_usage *u,
			     const struct json_doc *d);
/* The sum over models of kind k; the total of the four kinds. */
int64_t claude_usage_kind(const struct claude_usage *u, enum claude_kind k);
int64_t claude_usage_total(const struct claude_usage *u);
/*
 * Sums the transcript at path into u, record by record; a malformed or
 * unreadable line is warned about with file:line and skipped, a last
 * line without its newline (still being written) is left out. Returns
 * 0, or -1 (errno set) when the file cannot be opened or read.
 */
int claude_usage_read(struct claude_usage *u, const char *path);

/* ---- pricing.c ---------------------------------------------------- */
struct claude_pricing;
/*
 * Loads the price table: path, else $OAK_PRICING, else the in-tree
 * data/pricing.json when run from the build tree, else the installed
 * one. NULL after a warning when it cannot be read or is malformed.
 */
struct claude_pricing *claude_pricing_load(const char *path);
void claude_pricing_release(struct claude_pricing *p);
/*
 * Writes the members every importer and the hook add to an update's
 * metadata: "tokens" {input, output, cache_creation, cache_read},
 * "total_tokens", "models" [names], and with a table "cost_usd" and
 * "cost_unpriced_models" [names missing from it]. Members are written
 * with jw_key, so b holds an open object.
 */
void claude_usage_write(struct buf *b, const struct claude_usage *u,
			const struct claude_pricing *p);

/* ---- category.c --------------------------------------------------- */
/* The schema's agent_type guessed from words in an agent's name (first
 * match wins), else "utility". */
const char *claude_agent_category(const char *name);

#endif
