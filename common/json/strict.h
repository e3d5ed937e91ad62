/*
 * json/strict.h: the json layer's own: the one-pass strict tokenizer
 * that read.c runs (strict.c).
 */
#ifndef OAK_JSON_STRICT_H
#define OAK_JSON_STRICT_H

#include "json/json.h"

/*
 * The strict check of d->text (d->len bytes) that also tokenizes it into
 * d (jsmn's tokens and next[]): 0, or -1 with *why a static reason and
 * *at its byte offset (d->ntok is then meaningless). Linear in len.
 */
int json_strict_tokenize(struct json_doc *d, const char **why, size_t *at);
/* Doubles d's room for tokens (256 at first). */
void json_doc_grow(struct json_doc *d);
/* Valid UTF-8 (RFC 3629)? Returns the offset of the first bad byte or len. */
size_t utf8_valid_prefix(const char *s, size_t len);

#endif
