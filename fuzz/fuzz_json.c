/*
 * fuzz_json: the strict JSON check and the parser on one text. The two
 * ways in must agree (a text the byte scanner refuses is never parsed;
 * a parsed text passes the byte scanner, duplicate keys aside), a parsed
 * object or array gets from jsmn (an independent tokenizer) the very
 * tokens json_parse wrote, and every accessor runs on every token of a
 * parsed text.
 */
#include "json/json.h"
#include "fuzz.h"

static void
read_tokens(const struct json_doc *d, struct buf *scratch)
{
	static struct buf text;
	int64_t v;
	int i;

	for (i = 0; i < d->ntok; i++) {
		buf_reset(scratch);
		if (json_is_string(d, i)) {
			buf_reset(&text);
			json_unescape(d, i, &text);
			jw_string(scratch, text.data ? text.data : "", text.len);
		} else if (json_is_number(d, i)) {
			jw_double(scratch, json_number(d, i));
			if (json_int64(d, i, &v) == 0)
				jw_int(scratch, v);
			if (json_micro(d, i, &v) == 0)
				jw_int(scratch, v);
		}
		if (json_skip(d, i) <= i || json_skip(d, i) > d->ntok)
			abort();
	}
	if (d->ntok > 0 && json_is_object(d, 0))
		(void)json_get(d, 0, "timestamp");
}

/* jsmn's tokens of the text d holds equal d's (a lone scalar, which
 * jsmn's strict mode refuses, aside)? */
static bool
same_as_jsmn(const struct json_doc *d)
{
	static jsmntok_t *tok;
	static unsigned cap;
	jsmn_parser p;
	int n, i;

	if (d->tok[0].type != JSMN_OBJECT && d->tok[0].type != JSMN_ARRAY)
		return true;
	if (cap < (unsigned)d->ntok + 1) {
		cap = (unsigned)d->ntok + 1;
		tok = oak_realloc(tok, sizeof(*tok) * cap);
	}
	jsmn_init(&p);
	n = jsmn_parse(&p, d->text, d->len, tok, cap);
	if (n != d->ntok)
		return false;
	for (i = 0; i < n; i++)
		if (tok[i].type != d->tok[i].type ||
		    tok[i].start != d->tok[i].start ||
		    tok[i].end != d->tok[i].end ||
		    tok[i].size != d->tok[i].size ||
		    tok[i].parent != d->tok[i].parent)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_doc doc;
	static struct buf scratch;
	char *text = fuzz_copy(data, size);
	const char *why, *reason;
	size_t at;
	int parsed, checked;

	parsed = json_parse(&doc, text, size, &why);
	checked = json_strict_check(text, size, &reason, &at);
	if (checked < 0 && parsed == 0)
		abort();        /* the parser took what the scanner refuses */
	if (checked < 0 && at > size)
		abort();
	if (parsed == 0 && !same_as_jsmn(&doc))
		abort();        /* tokens unlike jsmn's */
	if (parsed == 0)
		read_tokens(&doc, &scratch);
	free(text);
	return 0;
}
