/*
 * oak.h: the code the oak-telemetry filters share, one concern per file:
 * diag.c (messages, exit codes, bad-line accounting, allocation),
 * buf.c (growable byte buffer), line.c (line reader), json_read.c (jsmn
 * tokens plus strict checks), json_strict.c (RFC 8259 / I-JSON checker),
 * json_write.c (escaping, Python-style numbers), hash.c (string table),
 * timefmt.c (ISO-8601 instants), invocation.c (record field checks),
 * window.c (report windows, calendar periods), hist.c (log-bucket
 * histogram), stats.c (Wilson interval, two-proportion test),
 * agent_stats.c (AgentStats: the per-agent state and its derived
 * fields), schema.c and schema_format.c (JSON Schema draft-07), uuid.c
 * (v4 and v5 ids), jsmn.c (jsmn's code, compiled once).
 */
#ifndef OAK_H
#define OAK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef JSMN_STRICT
#define JSMN_STRICT
#endif
#define JSMN_HEADER
#include <jsmn.h>

#define OAK_VERSION "0.1.0"

/* ---- diag.c ------------------------------------------------------- */

/* Exit statuses of every program (DESIGN.md). */
enum oak_exit {
	OAK_EXIT_OK = 0,       /* all good */
	OAK_EXIT_REJECTED = 1, /* some input rejected, or a check failed */
	OAK_EXIT_USAGE = 2,    /* usage error */
	OAK_EXIT_IO = 3        /* I/O or system error */
};

/* Set once from main(), first: the name used in every message, e.g.
 * "oak-rank"; it also gives stdout a 64 KiB buffer. */
void oak_setprog(const char *name);

/* "oak-PROG: FILE:LINE: reason" on stderr. */
void oak_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "oak-PROG: reason" on stderr. */
void oak_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* oak_warn, then exit(status). */
_Noreturn void oak_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "oak-PROG: what: strerror(errno)", then exit(OAK_EXIT_IO). */
_Noreturn void oak_die_errno(const char *what);

/*
 * Bad input accounting. oak_reject() reports one bad line, counts it,
 * copies it verbatim (with a newline) to the --rejects file when one is
 * open, and exits 1 at once under --strict. oak_exit_status() is the
 * status a filter ends with: 1 when anything was rejected, else 0.
 */
void oak_rejects_open(const char *path);  /* --rejects FILE */
void oak_set_strict(bool strict);         /* --strict */
void oak_reject(const char *file, long line, const char *text, size_t len,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void oak_vreject(const char *file, long line, const char *text, size_t len,
		 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* Counts n records left unused, already reported in one message. */
void oak_count_rejected(unsigned long n);
/* Flush and close stdout (and the rejects file); a write error exits 3. */
void oak_finish_output(void);
/* oak_finish_output(), then the exit status derived from the counts. */
int oak_exit_status(void);

/* Allocation that cannot fail in practice: dies with exit 3 if it does. */
void *oak_malloc(size_t size);
void *oak_realloc(void *ptr, size_t size);
void *oak_calloc(size_t count, size_t size);
char *oak_strdup(const char *s);
char *oak_strndup(const char *s, size_t len);

/*
 * The one number parser for options and text fields: the whole of s
 * (no leading space, nothing after) as a base-10 integer in [min, max],
 * or a finite double. 0, or -1 when it is not one.
 */
int oak_parse_ll(const char *s, long long min, long long max,
		 long long *out);
int oak_parse_double(const char *s, double *out);

/* Prints "PROG VERSION" and exits 0 (every program's --version). */
_Noreturn void oak_version(void);

/* ---- buf.c -------------------------------------------------------- */

/* A growable byte buffer; data is kept NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};
void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);                 /* len = 0, keeps memory */
void buf_grow(struct buf *b, size_t extra);    /* room for extra bytes */
void buf_add(struct buf *b, const void *p, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes the whole buffer to fp; a failure exits 3. */
void buf_write(const struct buf *b, FILE *fp);

/* ---- line.c ------------------------------------------------------- */

/*
 * Reads lines of any length from a file descriptor. "\n" and "\r\n"
 * endings are stripped; a last line without a newline is returned with
 * had_newline false. text is NUL-terminated and valid until the next call.
 */
struct line {
	char *text;
	size_t len;
	long no;           /* 1-based line number */
	bool had_newline;
	long long offset;  /* byte offset of the line's start in the input */
};
struct line_reader;
/* path "-" or NULL reads stdin. Returns NULL with errno set on failure. */
struct line_reader *line_open(const char *path);
const char *line_name(const struct line_reader *r); /* "-" shows as "-" */
/* 1: a line is in *ln; 0: end of input; -1: read error (errno set). */
int line_next(struct line_reader *r, struct line *ln);
void line_close(struct line_reader *r);
/* Does the line hold only whitespace (or nothing)? Such a line holds no
 * record and is skipped without a word, as the seed's reader does. */
bool line_blank(const char *text, size_t len);
/*
 * Calls fn(arg, file, line) for each non-blank line of each of the nfile
 * files named (or of stdin when nfile is 0; "-" is stdin too), in order.
 * A file that cannot be opened or read is fatal (exit 3), as for cat.
 */
void line_each(int nfile, char **files,
	       void (*fn)(void *arg, const char *file, const struct line *ln),
	       void *arg);

/* ---- json_strict.c ------------------------------------------------ */

/*
 * Strict RFC 8259 check of one JSON text, plus I-JSON's unique keys:
 * number grammar, escapes, control characters, UTF-8 (no overlongs, no
 * encoded surrogates), lone \u surrogates, nothing after the value,
 * nesting at most JSON_MAX_DEPTH. Returns 0 when the text is valid, else
 * -1 with *why set to a static reason and *at to the byte offset.
 */
#define JSON_MAX_DEPTH 512
int json_strict_check(const char *text, size_t len, const char **why,
		      size_t *at);
/*
 * The same check over jsmn's ntok tokens of text: 0 when the text is
 * valid (and next[i], the first token after i's subtree, filled in), -1
 * when not (json_strict_check then says why).
 */
int json_strict_tokens(const char *text, size_t len, const jsmntok_t *tok,
		       int ntok, int *next);
/* Valid UTF-8 (RFC 3629)? Returns the offset of the first bad byte or len. */
size_t utf8_valid_prefix(const char *s, size_t len);

/* ---- json_read.c -------------------------------------------------- */

/*
 * One parsed JSON text: jsmn tokens over the caller's bytes. The token
 * array grows as needed and is reused between calls (no allocation once
 * warm). Token 0 is the root.
 */
struct json_doc {
	const char *text;
	size_t len;
	jsmntok_t *tok;
	int *next;         /* next[i]: the first token after i's subtree */
	int ntok;
	int cap;
};
void json_doc_init(struct json_doc *d);
void json_doc_release(struct json_doc *d);
/*
 * Strict-checks and tokenizes text. Returns 0, or -1 with *why set to a
 * reason fit for a diagnostic ("invalid JSON: ... at column N", "invalid
 * UTF-8 at column N", "UTF-8 byte order mark", ...); the reason lives in a
 * static buffer until the next call.
 */
int json_parse(struct json_doc *d, const char *text, size_t len,
	       const char **why);
/*
 * json_parse of one input line; when it fails, the line is rejected
 * (oak_reject) with the reason, marked "(truncated last line)" when the
 * input ended without a newline, and false is returned.
 */
bool json_parse_line(struct json_doc *d, const char *file,
		     const struct line *ln);
/* Index of the first token after the subtree rooted at i. */
int json_skip(const struct json_doc *d, int i);
/* Value token of key in object token obj, or -1. Keys are compared as
 * written (key must need no escaping); they are unique in a parsed doc. */
int json_get(const struct json_doc *d, int obj, const char *key);
/* Follows a path of keys from obj: json_path(d, 0, "outcome", "status", NULL). */
int json_path(const struct json_doc *d, int obj, ...);
bool json_is_string(const struct json_doc *d, int i);
bool json_is_object(const struct json_doc *d, int i);
bool json_is_array(const struct json_doc *d, int i);
bool json_is_null(const struct json_doc *d, int i);
bool json_is_bool(const struct json_doc *d, int i);
bool json_is_number(const struct json_doc *d, int i);
bool json_is_true(const struct json_doc *d, int i);
/* Raw bytes of token i (strings without their quotes). */
const char *json_raw(const struct json_doc *d, int i, size_t *len);
/* Raw bytes of token i as written, strings with their quotes. */
const char *json_span(const struct json_doc *d, int i, size_t *len);
/* String token equals s (compared raw: s must need no escaping)? */
bool json_streq(const struct json_doc *d, int i, const char *s);
/* Unescaped value of string token i, appended to out (not NUL-counted). */
void json_unescape(const struct json_doc *d, int i, struct buf *out);
/* Number token i as a double (strtod of the raw text). */
double json_number(const struct json_doc *d, int i);
/* Integer token i (no fraction, no exponent) that fits int64: 0, else -1. */
int json_int64(const struct json_doc *d, int i, int64_t *out);
/* Number token i in exact millionths, rounded half to even past the sixth
 * decimal: 0, or -1 when it does not fit an int64. */
int json_micro(const struct json_doc *d, int i, int64_t *out);

/* ---- json_write.c ------------------------------------------------- */

/* RFC 8259 string: quotes, escapes \" \\ \b \f \n \r \t, \u00XX below
 * 0x20 and for 0x7f; valid UTF-8 passes through unchanged. */
void jw_string(struct buf *b, const char *s, size_t len);
void jw_cstring(struct buf *b, const char *s);
/* A double as Python's repr writes it: 0.8, 120.0, 0.0, 1e+16, 1e-05.
 * NaN and infinities are written as null (never invalid JSON). */
void jw_double(struct buf *b, double x);
void jw_int(struct buf *b, long long v);
/*
 * The one object writer: jw_key writes the separator (nothing right
 * after '{' or '[', else ", ") then "key": , so
 *   buf_addc(b, '{'); jw_key(b, "a"); jw_int(b, 1);
 *   jw_key(b, "b"); jw_cstring(b, "x"); buf_addc(b, '}');
 * writes {"a": 1, "b": "x"}. jw_sep alone separates array elements.
 */
void jw_sep(struct buf *b);
void jw_key(struct buf *b, const char *key);
void jw_keyn(struct buf *b, const char *key, size_t len);
/* Python's round(x, ndigits): the double nearest the correctly rounded
 * decimal of x. */
double py_round(double x, int ndigits);

/* ---- hash.c ------------------------------------------------------- */

/*
 * A string-keyed hash table with open addressing. Keys are copied; values
 * are one pointer-sized slot the caller owns. ht_put returns the value
 * slot of key, inserting a NULL one when new (*created tells which).
 */
struct ht;
struct ht *ht_create(void);
void ht_release(struct ht *h);
void **ht_find(const struct ht *h, const char *key, size_t len);
void **ht_put(struct ht *h, const char *key, size_t len, bool *created);
uint64_t oak_hash(const void *p, size_t len);  /* FNV-1a 64 */

/* ---- timefmt.c ---------------------------------------------------- */

/* An exact instant: seconds since the epoch and nanoseconds. */
struct oak_instant {
	int64_t sec;
	int32_t nsec;
};
/*
 * Parses an RFC 3339 / ISO-8601 date-time: YYYY-MM-DDTHH:MM:SS[.frac]
 * then Z or +hh:mm / -hh:mm ('t', 'z' and a space for 'T' accepted). With
 * allow_date, a bare YYYY-MM-DD is midnight UTC. Returns 0 or -1.
 */
int oak_time_parse(const char *s, size_t len, bool allow_date,
		   struct oak_instant *out);
int oak_instant_cmp(struct oak_instant a, struct oak_instant b);
/* Writes t as YYYY-MM-DDTHH:MM:SS[.ffffff]Z (microseconds when nonzero,
 * as Python's isoformat() + "Z" does). */
void oak_time_format(struct buf *out, struct oak_instant t);
/* Now: SOURCE_DATE_EPOCH when set, else the clock (the only clock any
 * program reads). oak_now_iso writes it for generated_at as Python's
 * datetime.utcnow().isoformat() + "Z" does. */
struct oak_instant oak_now(void);
void oak_now_iso(struct buf *out);

/* ---- invocation.c ------------------------------------------------- */

/*
 * Checks what every record of the three logs must have: a JSON object
 * with a string invocation_id and a string timestamp. NULL when fine,
 * else a reason for the diagnostic.
 */
const char *record_check(const struct json_doc *d);
/*
 * Checks the fields of an invocation record every stage relies on:
 * a JSON object with string invocation_id, agent_name, timestamp (an
 * ISO-8601 date-time), and, when present, number-or-null duration_seconds,
 * object outcome with a string status, object state_features. Returns
 * NULL when fine (and *when is the
 * start timestamp, parsed once for every stage), else a reason for the
 * diagnostic.
 */
const char *invocation_check(const struct json_doc *d,
			     struct oak_instant *when);

/* ---- window.c ----------------------------------------------------- */

/* A window of instants [since, until); a bound is absent unless have_. */
struct oak_window {
	bool have_since, have_until;
	struct oak_instant since, until;
};
/*
 * Resolves the window options every program shares. since and until are
 * ISO-8601 dates (midnight UTC) or date-times; week is "YYYY-Www" or
 * "last" (the last complete ISO week before now); previous shifts the
 * window to the one of equal length just before it. NULL means not
 * given. Returns 0, or -1 with *why set to a static reason.
 */
int oak_window_resolve(struct oak_window *w, const char *since,
		       const char *until, const char *week, bool previous,
		       const char **why);
/* Is t in the window? */
bool oak_window_has(const struct oak_window *w, struct oak_instant t);
/* Days since 1970-01-01 (UTC) of an instant. */
int64_t oak_day_of(struct oak_instant t);
enum oak_period { OAK_BY_NONE, OAK_BY_DAY, OAK_BY_WEEK, OAK_BY_MONTH };
/* "day", "week", "month": 0, else -1. */
int oak_period_parse(const char *s, enum oak_period *by);
/* The key of the period holding day: 2025-10-13, 2025-W42 or 2025-10. */
void oak_period_key(struct buf *out, int64_t day, enum oak_period by);

/* ---- hist.c ------------------------------------------------------- */

/*
 * A log-bucket histogram of positive values: quantiles within 1/101 (0.990 %)
 * relative error, exact integer counts, merge in any order. key[] is
 * sorted; count[i] values fell in bucket key[i].
 */
#define HIST_KEY_LIMIT 100000
struct hist {
	int32_t *key;
	int64_t *count;
	size_t n, cap;
	int64_t total;
};
void hist_init(struct hist *h);
void hist_release(struct hist *h);
/* Counts x when it is positive and finite; returns whether it did. */
bool hist_add(struct hist *h, double x);
void hist_add_bucket(struct hist *h, int32_t key, int64_t count);
void hist_merge(struct hist *dst, const struct hist *src);
/* The nearest-rank q-quantile (rank ceil(q n)), as its bucket's value;
 * NaN when empty. */
double hist_quantile(const struct hist *h, double q);
/* Appends [[key, count], ...]. */
void hist_write(struct buf *b, const struct hist *h);

/* ---- stats.c ------------------------------------------------------ */

#define OAK_Z95 1.959963984540054
/* Wilson score interval of s successes in n: 0, or -1 when n is 0. */
int wilson_interval(int64_t s, int64_t n, double z, double *lo, double *hi);
/* Two-proportion z statistic of the change from s1/n1 to s2/n2 (pooled
 * standard error); NaN when either n is 0 or both rates are 0 or 1. */
double two_proportion_z(int64_t s1, int64_t n1, int64_t s2, int64_t n2);

/* ---- agent_stats.c ------------------------------------------------ */

/*
 * AgentStats: one agent's mergeable state and the seed's fields derived
 * from it. Counts and sums are exact integers (sums in millionths), so
 * shards merge into the same digits in any order. Strings are kept
 * unescaped. first_seq orders agents, task types and failure messages by
 * first appearance.
 */
struct counted {
	char *text;
	size_t len;
	int64_t count;
	int64_t first_seq;
};
struct counted_set {
	struct ht *index;          /* text -> 1 + position in item */
	struct counted *item;
	size_t n, cap;
};
/* Named integer counters: text -> v[0..nv-1], written sorted by text. */
#define TALLY_MAX 5
struct tally {
	char *text;
	size_t len;
	int64_t v[TALLY_MAX];
};
struct tally_set {
	struct ht *index;          /* text -> 1 + position in item */
	struct tally *item;
	size_t n, cap;
	int nv;
};
/* Items sorted by text; out has room for s->n pointers. */
void tally_sorted(const struct tally_set *s, const struct tally **out);

/* What task_outcomes and days count, by index into v[]. */
enum { TASK_INVOCATIONS, TASK_SUCCESSES, TASK_FAILURES, TASK_NV };
enum { DAY_INVOCATIONS, DAY_SUCCESSES, DAY_FAILURES, DAY_QUALITY_COUNT,
       DAY_QUALITY_SUM_MICRO, DAY_NV };

struct agent_stats {
	char *name;
	size_t name_len;
	int64_t first_seq;
	int64_t invocations;
	int64_t successes, failures, partials, unknowns;
	int64_t duration_count, duration_sum_micro;
	int64_t quality_count, quality_sum_micro;
	struct counted_set task_types;
	struct counted_set failure_messages;
	bool have_ts;
	struct oak_instant first_ts, last_ts;
	struct buf first_ts_text, last_ts_text;
	/* beyond the seed */
	struct hist duration_hist;        /* durations counted above, > 0 */
	int64_t would_use_again_yes, would_use_again_no;
	struct counted_set alternatives;  /* alternative_agent_suggested */
	int64_t tokens_count, tokens_sum; /* metadata.total_tokens */
	struct hist tokens_hist;
	struct tally_set task_outcomes;   /* task type -> TASK_* counts */
	struct tally_set days;            /* UTC day YYYY-MM-DD -> DAY_* */
};

struct agent_stats *agent_stats_create(const char *name, size_t len,
				       int64_t first_seq);
void agent_stats_release(struct agent_stats *a);
/* Counts one JoinedInvocation (checked by invocation_check, which gave
 * when, its start). seq is its position in the input. Returns NULL, or a
 * reason the record is bad. */
const char *agent_stats_add(struct agent_stats *a, const struct json_doc *d,
			    int64_t seq, struct oak_instant when);
/* Adds src's state into dst (same agent). */
void agent_stats_merge(struct agent_stats *dst, const struct agent_stats *src);
/* Reads an AgentStats record; NULL, or a reason it is bad. *out is new. */
const char *agent_stats_read(const struct json_doc *d, struct agent_stats **out);
/* Appends the AgentStats record (one line, no newline). */
void agent_stats_write(struct buf *b, const struct agent_stats *a);

/* The seed's derived values, unrounded (Python's arithmetic). */
double agent_success_rate(const struct agent_stats *a);
double agent_average_quality(const struct agent_stats *a);
double agent_average_duration(const struct agent_stats *a);

/* The seed's fields of one agent, derived from its state: rounded as the
 * seed rounds them, top task types and failures, recommendations. */
struct agent_view {
	double success_rate, average_quality, average_duration, score;
	const struct counted *task[3], *fail[5];
	size_t ntask, nfail;
	const char *rec[3];
	size_t nrec;
	struct buf best_for;   /* holds "Best for T tasks" */
	/* beyond the seed; NaN where there is nothing to measure */
	double ci_low, ci_high;            /* 95 % Wilson, success rate */
	int64_t decided, rated;            /* successes + failures; rated */
	double p50, p90, p99;              /* duration percentiles */
	double would_use_again_rate;
	double tokens_median;
	const struct counted *alt[5];
	size_t nalt;
};
void agent_view_make(const struct agent_stats *a, struct agent_view *v);
void agent_view_release(struct agent_view *v);

/* ---- schema.c, schema_format.c (oak-validate's section) ----------- */

/*
 * JSON Schema draft-07, compiled once from the tokens of a parsed
 * document, then applied to any number of instances. A compiled schema
 * points into doc (text and tokens), which must outlive it.
 * schema_compile returns NULL when the schema is itself invalid, with
 * "POINTER: reason" in *err (POINTER into the schema document).
 */
struct schema;
struct schema *schema_compile(const struct json_doc *doc, int root,
			      struct buf *err);
/* Reads, parses and compiles a schema file; the schema owns the text. */
struct schema *schema_load(const char *path, struct buf *err);
void schema_release(struct schema *s);
/*
 * Validates token tok of inst. Returns true when valid; else false with
 * "POINTER: reason (keyword)" in *err, POINTER locating the failing part
 * of the instance (omitted, with its ": ", for the instance itself). No
 * allocation once warm, except what regexec(3) does inside.
 */
bool schema_validate(struct schema *s, const struct json_doc *inst, int tok,
		     struct buf *err);

/* schema_kind.c: the directory of the installed or in-tree schemas; a
 * schema loaded from a file, or the schema of a record kind ("invocation",
 * "update", "metric", "joined", "agent-stats", "performance-stats",
 * "weekly-report"): NULL for an unknown kind. An unreadable schema exits
 * 3, an invalid one exits 2, with the reason. */
struct schema *schema_load_or_die(const char *path);
struct schema *schema_load_kind(const char *kind);

/* The formats schema_validate checks; any other format name passes. */
enum schema_format {
	FORMAT_NONE, FORMAT_DATE_TIME, FORMAT_DATE, FORMAT_TIME, FORMAT_UUID,
	FORMAT_EMAIL, FORMAT_URI
};
enum schema_format schema_format_lookup(const char *name, size_t len);
const char *schema_format_name(enum schema_format f);
/* Is s (len bytes of UTF-8) valid for format f? */
bool schema_format_check(enum schema_format f, const char *s, size_t len);
/* ECMA-262 pattern to POSIX ERE where they differ only in spelling
 * (\d, \D, \t, \n, \r, \f, \v, \cX); appended to out, NUL-terminated. */
void schema_regex_translate(const char *pattern, size_t len, struct buf *out);

/* ---- uuid.c (oak-log) --------------------------------------------- */

/* Ids as 36 lowercase characters plus a NUL. */
#define OAK_UUID_LEN 36
/* A random (version 4) uuid. */
void oak_uuid_v4(char out[OAK_UUID_LEN + 1]);
/* The name-based (version 5, SHA-1) uuid of name under the namespace
 * uuid ns (a string). Returns 0, or -1 when ns is not a uuid. */
int oak_uuid_v5(char out[OAK_UUID_LEN + 1], const char *ns, const char *name,
		size_t len);

#endif
