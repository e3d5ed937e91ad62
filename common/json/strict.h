/*
 * json/strict.h: the json layer's own: the strict checks over tokens
 * that read.c runs (strict.c).
 */
#ifndef OAK_JSON_STRICT_H
#define OAK_JSON_STRICT_H

#include "json/json.h"

/*
 * One pass over the bytes, before jsmn: *plain tells whether the text is
 * printable ASCII without a backslash (then no string needs a scan);
 * returns -1 when it nests deeper than JSON_MAX_DEPTH (json_strict_check
 * then says where), else 0. Linear in len, whatever the text.
 */
int json_prescan(const char *text, size_t len, bool *plain);
/*
 * The same check over jsmn's ntok tokens of text (plain as json_prescan
 * found): 0 when the text is valid (and next[i], the first token after
 * i's subtree, filled in), -1 when not (json_strict_check says why).
 */
int json_strict_tokens(const char *text, size_t len, const jsmntok_t *tok,
		       int ntok, int *next, bool plain);
/* Valid UTF-8 (RFC 3629)? Returns the offset of the first bad byte or len. */
size_t utf8_valid_prefix(const char *s, size_t len);

#endif
