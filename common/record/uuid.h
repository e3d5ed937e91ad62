/*
 * record/uuid.h: invocation ids, random and name-based (uuid.c).
 */
#ifndef OAK_RECORD_UUID_H
#define OAK_RECORD_UUID_H

#include <stddef.h>

/* Ids as 36 lowercase characters plus a NUL. */
#define OAK_UUID_LEN 36
/* A random (version 4) uuid. */
void oak_uuid_v4(char out[OAK_UUID_LEN + 1]);
/* The name-based (version 5, SHA-1) uuid of name under the namespace
 * uuid ns (a string). Returns 0, or -1 when ns is not a uuid. */
int oak_uuid_v5(char out[OAK_UUID_LEN + 1], const char *ns, const char *name,
		size_t len);

#endif
