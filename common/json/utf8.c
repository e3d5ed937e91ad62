/*
 * utf8.c: how much of a text is valid UTF-8 (RFC 3629), for the writer
 * (write.c), by the same sequence check the strict scan makes
 * (json_utf8_seq, strict.h).
 */
#include "json/strict.h"

size_t
utf8_valid_prefix(const char *str, size_t len)
{
	const unsigned char *p = (const unsigned char *)str;
	const unsigned char *end = p + len;
	size_t n;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		n = json_utf8_seq(p, end);
		if (n == 0)
			break;
		p += n;
	}
	return (size_t)(p - (const unsigned char *)str);
}
