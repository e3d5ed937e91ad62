/*
 * uuid.c: invocation and session ids with libuuid. A v4 id is random; a
 * v5 id is the SHA-1 of a name under a namespace uuid (RFC 4122 4.3), so
 * the same name always gives the same id and no state has to be kept.
 */
#include <uuid/uuid.h>

#include "record/uuid.h"

void
oak_uuid_v4(char out[OAK_UUID_LEN + 1])
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, out);
}

int
oak_uuid_v5(char out[OAK_UUID_LEN + 1], const char *ns, const char *name,
	    size_t len)
{
	uuid_t nsu, u;

	if (uuid_parse(ns, nsu) < 0)
		return -1;
	uuid_generate_sha1(u, nsu, name, len);
	uuid_unparse_lower(u, out);
	return 0;
}
