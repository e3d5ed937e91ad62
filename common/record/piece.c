/*
 * piece.c: the pieces of a split run, and the fingerprints of what each
 * agent's counts hold (piece.h). A set of pieces is written "K/N" or
 * "1-2,4/N": the pieces' numbers in ascending order, runs as ranges.
 */
#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "record/counter.h"
#include "record/piece.h"

struct holder {
	uint64_t fp;         /* the sum of the ids' hashes, mod 2^64 */
	uint32_t *owner;     /* per piece: 1 + index into locs, 0: not yet */
};

enum { SEEN_NOTHING, SEEN_PIECES, SEEN_WHOLE };

struct piece_book {
	bool grouping;       /* --piece: this run is piece k of n */
	uint32_t k, n;       /* n: of the split read (0: none yet) */
	int seen;            /* SEEN_*: what --merge read first */
	char *seen_at;       /* where */
	uint64_t *have;      /* the pieces read, a bit each */
	struct ht *by_name;  /* agent name -> struct holder */
	struct ht *by_fp;    /* fingerprint and name -> location */
	struct holder **held;
	size_t nheld;
	struct holder markers;   /* the lines of pieces with no agent */
	char **locs;
	size_t nlocs;
};

uint64_t
piece_fingerprint(const char *id, size_t len)
{
	uint64_t h = oak_hash(id, len);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

struct piece_book *
piece_book_create(void)
{
	struct piece_book *pb = oak_calloc(1, sizeof(*pb));

	pb->by_name = ht_create();
	pb->by_fp = ht_create();
	return pb;
}

void
piece_book_release(struct piece_book *pb)
{
	size_t i;

	for (i = 0; i < pb->nheld; i++) {
		free(pb->held[i]->owner);
		free(pb->held[i]);
	}
	for (i = 0; i < pb->nlocs; i++)
		free(pb->locs[i]);
	free(pb->held);
	free(pb->locs);
	free(pb->markers.owner);
	free(pb->have);
	free(pb->seen_at);
	ht_release(pb->by_name);
	ht_release(pb->by_fp);
	free(pb);
}

static bool
has(const uint64_t *bits, uint32_t k)
{
	return bits[(k - 1) / 64] >> ((k - 1) % 64) & 1;
}

static void
set_bit(uint64_t *bits, uint32_t k)
{
	bits[(k - 1) / 64] |= UINT64_C(1) << ((k - 1) % 64);
}

static uint32_t
count_bits(const uint64_t *bits, uint32_t n)
{
	uint32_t k, c = 0;

	for (k = 1; k <= n; k++)
		c += has(bits, k);
	return c;
}

/* Writes the pieces of bits (or, with invert, those not in it), as a set. */
static void
write_set(struct buf *b, const uint64_t *bits, uint32_t n, bool invert)
{
	uint32_t k = 1, end;
	bool first = true;

	while (k <= n) {
		if (has(bits, k) == invert) {
			k++;
			continue;
		}
		for (end = k; end < n && has(bits, end + 1) != invert; end++)
			;
		buf_printf(b, end > k ? "%s%u-%u" : "%s%u", first ? "" : ",",
			   (unsigned)k, (unsigned)end);
		first = false;
		k = end + 1;
	}
	buf_printf(b, "/%u", (unsigned)n);
}

static bool
parse_number(const char *s, size_t len, long long max, uint32_t *out)
{
	char tmp[24];
	long long v;

	if (len == 0 || len >= sizeof(tmp))
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (oak_parse_ll(tmp, 1, max, &v) < 0)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Reads a set "K/N" or "1-2,4/N" (ascending) into *bits (new) and *n. */
static bool
parse_set(const char *s, size_t len, uint64_t **bits, uint32_t *n)
{
	const char *slash = memchr(s, '/', len), *p = s, *end, *dash;
	uint32_t lo, hi, last = 0;

	*bits = NULL;
	if (slash == NULL ||
	    !parse_number(slash + 1, len - (size_t)(slash + 1 - s), PIECE_MAX, n))
		return false;
	*bits = oak_calloc((*n + 63) / 64, sizeof(**bits));
	while (p < slash) {
		end = memchr(p, ',', (size_t)(slash - p));
		end = end != NULL ? end : slash;
		dash = memchr(p, '-', (size_t)(end - p));
		if (!parse_number(p, (size_t)((dash ? dash : end) - p), *n, &lo) ||
		    (dash && !parse_number(dash + 1, (size_t)(end - dash - 1),
					   *n, &hi)))
			return false;
		hi = dash ? hi : lo;
		if (lo <= last || hi < lo)
			return false;
		for (last = lo; last <= hi; last++)
			set_bit(*bits, last);
		last = hi;
		p = end == slash ? end : end + 1;
		if (end != slash && p == slash)
			return false;   /* a trailing comma */
	}
	return last > 0;
}

const char *
piece_book_label(struct piece_book *pb, const char *spec)
{
	uint64_t *bits;
	uint32_t n;

	if (!parse_set(spec, strlen(spec), &bits, &n) || count_bits(bits, n) != 1 ||
	    strchr(spec, '-') != NULL) {
		free(bits);
		return "want K/N with 1 <= K <= N <= 65536";
	}
	pb->grouping = true;
	pb->n = n;
	pb->have = bits;
	for (pb->k = 1; !has(bits, pb->k); pb->k++)
		;
	pb->seen = SEEN_PIECES;
	return NULL;
}

static struct holder *
holder_for(struct piece_book *pb, const char *name, size_t len)
{
	void **slot;

	if (name == NULL)
		return &pb->markers;
	slot = ht_put(pb->by_name, name, len, NULL);
	if (*slot == NULL) {
		if (pb->nheld % 16 == 0)
			pb->held = oak_realloc(pb->held, sizeof(*pb->held) *
					       (pb->nheld + 16));
		pb->held[pb->nheld++] = *slot = oak_calloc(1, sizeof(struct holder));
	}
	return *slot;
}

void
piece_book_count(struct piece_book *pb, const char *name, size_t len,
		 const char *id, size_t idlen)
{
	holder_for(pb, name, len)->fp += piece_fingerprint(id, idlen);
}

bool
piece_line_is_marker(const struct json_doc *d)
{
	return json_is_object(d, 0) && json_get(d, 0, "agent_name") < 0 &&
	       (json_get(d, 0, "piece") >= 0 || json_get(d, 0, "pieces") >= 0);
}

/* The next piece in bits from k on (1-based), or 0. */
static uint32_t
next_piece(const uint64_t *bits, uint32_t n, uint32_t k)
{
	uint64_t w;
	uint32_t i;

	for (i = (k - 1) / 64; i < (n + 63) / 64; i++) {
		w = bits[i];
		if (i == (k - 1) / 64)
			w &= ~UINT64_C(0) << ((k - 1) % 64);
		if (w != 0)
			return i * 64 + (uint32_t)__builtin_ctzll(w) + 1;
	}
	return 0;
}

/* The line's own pieces into *bits (new) and *n: 1, 0 when it has no
 * piece key, -1 when the key is bad. */
static int
line_pieces(const struct json_doc *d, uint64_t **bits, uint32_t *n)
{
	static struct buf text;
	size_t len;
	int i = json_get(d, 0, "piece");
	bool one = i >= 0;   /* "piece": K/N, one piece */
	const char *s;

	*bits = NULL;
	if (i < 0)
		i = json_get(d, 0, "pieces");
	if (i < 0)
		return 0;
	if (!json_is_string(d, i))
		return -1;
	s = record_text(d, i, &text, &len);
	if (!parse_set(s, len, bits, n) || (one && count_bits(*bits, *n) != 1) ||
	    (one && memchr(s, '-', len) != NULL))
		return -1;
	return 1;
}

static bool
line_fingerprint(const struct json_doc *d, uint64_t *fp)
{
	int i = json_get(d, 0, "fingerprint");
	const char *s;
	size_t len, j;

	*fp = 0;
	if (!json_is_string(d, i))
		return false;
	s = json_raw(d, i, &len);
	if (len != 16)
		return false;
	for (j = 0; j < len; j++) {
		if (s[j] >= '0' && s[j] <= '9')
			*fp = *fp << 4 | (uint64_t)(s[j] - '0');
		else if (s[j] >= 'a' && s[j] <= 'f')
			*fp = *fp << 4 | (uint64_t)(s[j] - 'a' + 10);
		else
			return false;
	}
	return true;
}

/* Is the line's kind (a piece or not, of which split) that of the lines
 * before it? NULL, or why not, in why. */
static const char *
same_kind(struct piece_book *pb, int labelled, uint32_t n, struct buf *why,
	  const char *at)
{
	int kind = labelled ? SEEN_PIECES : SEEN_WHOLE;

	if (pb->seen == SEEN_NOTHING) {
		pb->seen = kind;
		pb->seen_at = oak_strdup(at);
		pb->n = n;
		if (labelled)
			pb->have = oak_calloc((n + 63) / 64, sizeof(*pb->have));
		return NULL;
	}
	if (pb->seen != kind)
		buf_printf(why, labelled ? "a piece of a split, merged with "
			   "AgentStats of no piece at %s" : "AgentStats of no "
			   "piece, merged with pieces of a split at %s",
			   pb->seen_at);
	else if (labelled && n != pb->n)
		buf_printf(why, "a piece of a split into %u, merged with "
			   "pieces of a split into %u at %s", (unsigned)n,
			   (unsigned)pb->n, pb->seen_at);
	return why->len > 0 ? why->data : NULL;
}

/* Does the line give again a piece, or invocations, already taken? */
static const char *
taken_before(struct piece_book *pb, struct holder *h, const uint64_t *bits,
	     uint64_t fp, const char *name, size_t len, struct buf *why)
{
	static struct buf key;
	uint32_t k;
	void **slot;

	for (k = next_piece(bits, pb->n, 1); k != 0 && h->owner != NULL;
	     k = k < pb->n ? next_piece(bits, pb->n, k + 1) : 0)
		if (h->owner[k - 1] != 0) {
			buf_printf(why, "piece %u/%u given twice, first at %s",
				   (unsigned)k, (unsigned)pb->n,
				   pb->locs[h->owner[k - 1] - 1]);
			return why->data;
		}
	if (name == NULL)
		return NULL;
	buf_reset(&key);
	buf_add(&key, &fp, sizeof(fp));
	buf_add(&key, name, len);
	slot = ht_find(pb->by_fp, key.data, key.len);
	if (slot == NULL)
		return NULL;
	buf_printf(why, "holds the same invocations as %s",
		   pb->locs[(size_t)*slot - 1]);
	return why->data;
}

/* Takes the line's pieces for holder h, found at location at. */
static void
take(struct piece_book *pb, struct holder *h, const uint64_t *bits,
     uint64_t fp, const char *name, size_t len, const char *at)
{
	uint32_t k;
	size_t w;
	struct buf key;

	if (pb->nlocs % 16 == 0)
		pb->locs = oak_realloc(pb->locs, sizeof(*pb->locs) *
				       (pb->nlocs + 16));
	pb->locs[pb->nlocs++] = oak_strdup(at);
	if (h->owner == NULL)
		h->owner = oak_calloc(pb->n, sizeof(*h->owner));
	for (k = next_piece(bits, pb->n, 1); k != 0;
	     k = k < pb->n ? next_piece(bits, pb->n, k + 1) : 0)
		h->owner[k - 1] = (uint32_t)pb->nlocs;
	for (w = 0; w < (pb->n + 63) / 64; w++)
		pb->have[w] |= bits[w];
	h->fp += fp;
	if (name == NULL)
		return;
	buf_init(&key);
	buf_add(&key, &fp, sizeof(fp));
	buf_add(&key, name, len);
	*ht_put(pb->by_fp, key.data, key.len, NULL) = (void *)pb->nlocs;
	buf_release(&key);
}

const char *
piece_book_take(struct piece_book *pb, const struct json_doc *d,
		const char *name, size_t len, const char *file, long line)
{
	static struct buf why, at;
	uint64_t *bits, fp = 0;
	uint32_t n = 0;
	const char *bad;
	int labelled = line_pieces(d, &bits, &n);

	buf_reset(&why);
	buf_reset(&at);
	buf_printf(&at, "%s:%ld", file, line);
	if (labelled < 0)
		bad = "\"piece\" is not K/N, nor \"pieces\" a set such as 1-2,4/N";
	else if (labelled && name != NULL && !line_fingerprint(d, &fp))
		bad = "\"fingerprint\" is not 16 hexadecimal digits";
	else if ((bad = same_kind(pb, labelled, n, &why, at.data)) == NULL &&
		 labelled &&
		 (bad = taken_before(pb, holder_for(pb, name, len), bits, fp,
				     name, len, &why)) == NULL)
		take(pb, holder_for(pb, name, len), bits, fp, name, len,
		     at.data);
	free(bits);
	return bad;
}

static bool
complete(const struct piece_book *pb)
{
	return !pb->grouping && count_bits(pb->have, pb->n) == pb->n;
}

void
piece_book_write(const struct piece_book *pb, struct buf *b,
		 const char *name, size_t len)
{
	void **slot;

	if (pb->seen != SEEN_PIECES || complete(pb))
		return;
	jw_key(b, pb->grouping ? "piece" : "pieces");
	buf_addc(b, '"');
	write_set(b, pb->have, pb->n, false);
	buf_addc(b, '"');
	slot = ht_find(pb->by_name, name, len);
	buf_printf(b, ", \"fingerprint\": \"%016llx\"",
		   slot != NULL ? (unsigned long long)
			   ((struct holder *)*slot)->fp : 0ULL);
}

void
piece_book_end(const struct piece_book *pb, struct buf *b, size_t nagents)
{
	struct buf missing;
	uint32_t have;

	if (pb->seen != SEEN_PIECES || complete(pb))
		return;
	if (nagents == 0) {
		buf_adds(b, pb->grouping ? "{\"piece\": \"" : "{\"pieces\": \"");
		write_set(b, pb->have, pb->n, false);
		buf_adds(b, "\"}\n");
	}
	if (pb->grouping)
		return;
	have = count_bits(pb->have, pb->n);
	buf_init(&missing);
	write_set(&missing, pb->have, pb->n, true);
	oak_warn("piece%s %s missing: the merge covers %u of %u",
		 pb->n - have == 1 ? "" : "s", missing.data, (unsigned)have,
		 (unsigned)pb->n);
	buf_release(&missing);
}
