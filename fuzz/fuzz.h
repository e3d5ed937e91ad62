/*
 * fuzz/fuzz.h: what the libFuzzer harnesses share. Input arrives as a
 * line does, in a buffer of exactly its length with no NUL after it:
 * fuzz_copy makes such a buffer (ASan then catches a read one byte past
 * the end), fuzz_split cuts an input in two at its first NUL byte (a
 * byte no valid JSON text holds) for harnesses that take two texts.
 */
#ifndef OAK_FUZZ_H
#define OAK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of data[0..size) with nothing after it (size 0: one
 * byte, never read). The caller frees it. */
static inline char *
fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	if (size > 0)
		memcpy(p, data, size);
	return p;
}

/* The length of the part before the first NUL byte (size when none). */
static inline size_t
fuzz_split(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);

	return nul ? (size_t)(nul - data) : size;
}

#endif
