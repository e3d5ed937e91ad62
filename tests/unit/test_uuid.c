/* Unit tests of uuid.c: v5 ids match RFC 4122 (Python's uuid.uuid5),
 * v4 ids have their version and variant bits. */
#include "record/uuid.h"
#include "unit.h"

int
main(void)
{
	char id[OAK_UUID_LEN + 1];

	/* python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID(NS), NAME))' */
	CHECK(oak_uuid_v5(id, "58b9f696-3cba-408d-a249-a727ff27d37b",
			  "toolu_01ABC", 11) == 0);
	CHECK_STR(id, "2a7590a5-da22-5ec7-80b1-d5fcc1622671");
	CHECK(oak_uuid_v5(id, "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
			  "python.org", 10) == 0);
	CHECK_STR(id, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
	CHECK(oak_uuid_v5(id, "not a uuid", "x", 1) == -1);
	oak_uuid_v4(id);
	CHECK(strlen(id) == OAK_UUID_LEN);
	CHECK(id[14] == '4');
	CHECK(strchr("89ab", id[19]) != NULL);
	return unit_done();
}
