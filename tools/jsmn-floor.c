/*
 * jsmn-floor [--ours] [FILE]: tokenizes every line of its input with
 * jsmn alone (no strict checks, no output) and prints the byte and token
 * counts: the floor that make bench sets oak-validate's and the filters'
 * throughput against. With --ours, json_parse does it instead: the
 * strict checks and the tokens in one pass, as every program reads.
 */
#include <stdlib.h>
#include <string.h>

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
	bool ours = argc > 1 && strcmp(argv[1], "--ours") == 0;
	struct json_doc d;
	const char *path = argc > 1 + ours ? argv[1 + ours] : "-", *why;

	oak_setprog("jsmn-floor");
	r = line_open(path);
	if (r == NULL)
		oak_die_errno(path);
	tok = oak_malloc(sizeof(*tok) * cap);
	json_doc_init(&d);
	while (line_next(r, &ln) > 0) {
		if (ours) {
			bytes += (long long)ln.len + 1;
			tokens += json_parse(&d, ln.text, ln.len, &why) == 0 ?
				  d.ntok : 0;
			continue;
		}
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
	json_doc_release(&d);
	line_close(r);
	return 0;
}
