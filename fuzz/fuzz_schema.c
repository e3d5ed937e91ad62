/*
 * fuzz_schema: the schema validator with schema and instance both
 * fuzzed: the input is a schema document, a NUL byte, then an instance
 * (without a NUL, the document is its own instance). Each text sits in
 * a buffer of exactly its length. schema_validate's answer must be the
 * full walk's (its accept-only walk never says yes to what that refuses)
 * and a failure must say why; schema_parse, which checks the schema's
 * plain parts as it tokenizes, must give the same verdict, and refuse
 * the same texts as not JSON (a repeated key among them).
 */
#include "schema/node.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_doc sdoc, idoc, pdoc;
	static struct buf err, verr, werr, perr;
	size_t slen = fuzz_split(data, size);
	size_t ilen = slen < size ? size - slen - 1 : slen;
	char *stext = fuzz_copy(data, slen);
	char *itext = fuzz_copy(slen < size ? data + slen + 1 : data, ilen);
	struct schema *s;
	const char *why;
	bool ok;
	int verdict;

	if (json_parse(&sdoc, stext, slen, &why) == 0 &&
	    (s = schema_compile(&sdoc, 0, &err)) != NULL) {
		verdict = schema_parse(s, &pdoc, itext, ilen, &why, &perr);
		if (json_parse(&idoc, itext, ilen, &why) == 0) {
			ok = schema_validate(s, &idoc, 0, &verr);
			if (ok != schema_validate_walk(s, &idoc, 0, &werr) ||
			    (!ok && verr.len == 0) || verdict != (ok ? 0 : 1))
				abort();
		} else if (verdict != -1) {
			abort();
		}
		schema_release(s);
	}
	free(stext);
	free(itext);
	return 0;
}
