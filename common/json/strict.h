/*
 * json/strict.h: the json layer's own: the strict checks over tokens
 * that read.c runs (strict.c).
 */
#ifndef OAK_JSON_STRICT_H
#define OAK_JSON_STRICT_H

#include "json/json.h"

/*
 * The same check over jsmn's ntok tokens of text: 0 when the text is
 * valid (and next[i], the first token after i's subtree, filled in), -1
 * when not (json_strict_check then says why).
 */
int json_strict_tokens(const char *text, size_t len, const jsmntok_t *tok,
		       int ntok, int *next);
/* Valid UTF-8 (RFC 3629)? Returns the offset of the first bad byte or len. */
size_t utf8_valid_prefix(const char *s, size_t len);

#endif
