/*
 * pattern.c: the patterns of "pattern" and "patternProperties". JSON
 * Schema patterns are ECMA-262 regular expressions; here they are POSIX
 * extended ones after the spelling changes of schema_regex_translate
 * (format.c), matched byte by byte.
 */
#include <regex.h>
#include <stdlib.h>

#include "schema/node.h"

struct pattern {
	regex_t re;
};

struct pattern *
pattern_compile(const char *pattern, size_t len, struct buf *err)
{
	struct pattern *p = oak_malloc(sizeof(*p));
	struct buf ere;
	char msg[128];
	int rc;

	buf_init(&ere);
	schema_regex_translate(pattern, len, &ere);
	rc = regcomp(&p->re, ere.data, REG_EXTENDED | REG_NOSUB);
	buf_release(&ere);
	if (rc != 0) {
		regerror(rc, &p->re, msg, sizeof(msg));
		buf_adds(err, msg);
		free(p);
		return NULL;
	}
	return p;
}

bool
pattern_match(const struct pattern *p, const char *s, size_t len)
{
	(void)len;
	return regexec(&p->re, s, 0, NULL, 0) == 0;
}

void
pattern_release(struct pattern *p)
{
	if (p == NULL)
		return;
	regfree(&p->re);
	free(p);
}
