/*
 * jsmn-floor: tokenizes every line of its input with jsmn alone (no
 * strict checks, no output) and prints the byte count: the floor that
 * make bench sets oak-validate's and the filters' throughput against.
 */
#include <stdlib.h>

#include "json/json.h"

int
main(int argc, char **argv)
{
	jsmntok_t *tok = NULL;
	unsigned cap = 256;
	struct line_reader *r;
	struct line ln;
	jsmn_parser p;
	long long bytes = 0, tokens = 0;
	int n;

	oak_setprog("jsmn-floor");
	r = line_open(argc > 1 ? argv[1] : "-");
	if (r == NULL)
		oak_die_errno(argv[1]);
	tok = oak_malloc(sizeof(*tok) * cap);
	while (line_next(r, &ln) > 0) {
		jsmn_init(&p);
		while ((n = jsmn_parse(&p, ln.text, ln.len, tok, cap)) ==
		       JSMN_ERROR_NOMEM) {
			cap *= 2;
			tok = oak_realloc(tok, sizeof(*tok) * cap);
		}
		bytes += (long long)ln.len + 1;
		tokens += n > 0 ? n : 0;
	}
	printf("%lld bytes, %lld tokens\n", bytes, tokens);
	free(tok);
	line_close(r);
	return 0;
}
