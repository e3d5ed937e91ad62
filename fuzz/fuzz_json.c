/*
 * fuzz_json: the strict JSON check and the parser on one text. The two
 * ways in must agree (a text the byte scanner refuses is never parsed;
 * a parsed text passes the byte scanner, duplicate keys aside), and
 * every accessor runs on every token of a parsed text.
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
	if (parsed == 0)
		read_tokens(&doc, &scratch);
	free(text);
	return 0;
}
