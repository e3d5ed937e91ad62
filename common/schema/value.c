/*
 * value.c: JSON values as the schema layer compares them, over the tokens
 * of two documents (schema and instance) at once: strings by code point
 * (escapes decoded only when one side has them), numbers by value (1 is
 * 1.0), objects whatever their key order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema/node.h"


/* Next code point of a JSON string's raw content at *k (escapes decoded). */
static unsigned long
cp_next(const char *p, size_t len, size_t *k)
{
	unsigned char c = (unsigned char)p[*k];
	unsigned long cp, lo;
	int n, i;

	if (c == '\\') {
		char e = p[*k + 1];

		*k += 2;
		switch (e) {
		case 'b': return '\b';
		case 'f': return '\f';
		case 'n': return '\n';
		case 'r': return '\r';
		case 't': return '\t';
		case 'u':
			cp = strtoul((char[5]){p[*k], p[*k + 1], p[*k + 2],
					       p[*k + 3], 0}, NULL, 16);
			*k += 4;
			if (cp >= 0xd800 && cp <= 0xdbff && *k + 6 <= len &&
			    p[*k] == '\\' && p[*k + 1] == 'u') {
				lo = strtoul((char[5]){p[*k + 2], p[*k + 3],
						       p[*k + 4], p[*k + 5], 0},
					     NULL, 16);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				*k += 6;
			}
			return cp;
		default: return (unsigned char)e;
		}
	}
	if (c < 0x80) {
		(*k)++;
		return c;
	}
	n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	cp = c & (0x3f >> (n - 1));
	for (i = 1; i < n && *k + (size_t)i < len; i++)
		cp = (cp << 6) | ((unsigned char)p[*k + (size_t)i] & 0x3f);
	*k += (size_t)n;
	return cp;
}

/* Do two string tokens (of possibly different documents) hold the same
 * characters? */
bool
schema_str_equal(const struct json_doc *da, int a, const struct json_doc *db,
		 int b)
{
	size_t la, lb, ka = 0, kb = 0;
	const char *pa = json_raw(da, a, &la);
	const char *pb = json_raw(db, b, &lb);

	if (la == lb && memcmp(pa, pb, la) == 0)
		return true;
	if (memchr(pa, '\\', la) == NULL && memchr(pb, '\\', lb) == NULL)
		return false;
	while (ka < la && kb < lb)
		if (cp_next(pa, la, &ka) != cp_next(pb, lb, &kb))
			return false;
	return ka == la && kb == lb;
}

size_t
schema_str_codepoints(const struct json_doc *d, int i)
{
	size_t len, k = 0, n = 0;
	const char *p = json_raw(d, i, &len);

	while (k < len) {
		cp_next(p, len, &k);
		n++;
	}
	return n;
}

/* A number with no fractional part ("1.0" too) is an integer. */
bool
schema_is_integer(const struct json_doc *d, int i)
{
	size_t len, k;
	const char *p = json_raw(d, i, &len);
	double v;

	for (k = 0; k < len && p[k] != '.' && p[k] != 'e' && p[k] != 'E'; k++)
		;
	if (k == len)
		return true;
	v = json_number(d, i);
	return isfinite(v) && floor(v) == v;
}

/* JSON value equality: 1 equals 1.0, key order does not matter. */
bool
schema_value_equal(const struct json_doc *da, int a,
		   const struct json_doc *db, int b)
{
	unsigned ta = schema_type_of(da, a), tb = schema_type_of(db, b);
	int n, ia, ib, kb, found;
	size_t la, lb;
	const char *pa, *pb;

	if (ta != tb)
		return false;
	switch (ta) {
	case T_STRING:
		return schema_str_equal(da, a, db, b);
	case T_NUMBER:
		pa = json_raw(da, a, &la);
		pb = json_raw(db, b, &lb);
		if (la == lb && memcmp(pa, pb, la) == 0)
			return true;
		return json_number(da, a) == json_number(db, b);
	case T_NULL:
		return true;
	case T_BOOLEAN:
		return da->text[tk(da, a)->start] == db->text[tk(db, b)->start];
	case T_ARRAY:
		if (tk(da, a)->size != tk(db, b)->size)
			return false;
		for (n = tk(da, a)->size, ia = a + 1, ib = b + 1; n > 0; n--) {
			if (!schema_value_equal(da, ia, db, ib))
				return false;
			ia = json_skip(da, ia);
			ib = json_skip(db, ib);
		}
		return true;
	default: /* object */
		if (tk(da, a)->size != tk(db, b)->size)
			return false;
		for (n = tk(da, a)->size, ia = a + 1; n > 0; n--) {
			found = -1;
			for (kb = b + 1; kb < db->ntok &&
			     tk(db, kb)->start < tk(db, b)->end;
			     kb = json_skip(db, kb + 1))
				if (schema_str_equal(da, ia, db, kb)) {
					found = kb + 1;
					break;
				}
			if (found < 0 || !schema_value_equal(da, ia + 1, db, found))
				return false;
			ia = json_skip(da, ia + 1);
		}
		return true;
	}
}

/* Appends "/key" (escaped per RFC 6901) to b. */
void
schema_pointer_add_key(struct buf *b, const struct json_doc *d, int key,
		       struct buf *tmp)
{
	size_t i;

	buf_reset(tmp);
	json_unescape(d, key, tmp);
	buf_addc(b, '/');
	for (i = 0; i < tmp->len; i++) {
		if (tmp->data[i] == '~')
			buf_adds(b, "~0");
		else if (tmp->data[i] == '/')
			buf_adds(b, "~1");
		else
			buf_addc(b, tmp->data[i]);
	}
}
