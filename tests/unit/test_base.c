/* Unit tests of base.h's inline helpers: oak_bytes_equal against memcmp
 * (the independent source) for every length up to 40, equal and with one
 * byte changed at each place, at offsets that leave the loads unaligned. */
#include "unit.h"

int
main(void)
{
	unsigned char a[64], b[64];
	size_t len, at, off;
	int wrong = 0;

	for (off = 0; off < 3; off++)
		for (len = 0; len <= 40; len++) {
			for (at = 0; at < sizeof(a); at++)
				a[at] = b[at] = (unsigned char)(at * 7 + 1);
			if (!oak_bytes_equal(a + off, b + off, len))
				wrong++;
			for (at = 0; at < len; at++) {
				b[off + at] ^= 0x20;
				if (oak_bytes_equal(a + off, b + off, len) !=
				    (memcmp(a + off, b + off, len) == 0))
					wrong++;
				b[off + at] ^= 0x20;
			}
			/* a byte past the end does not count */
			b[off + len] ^= 0x20;
			if (!oak_bytes_equal(a + off, b + off, len))
				wrong++;
		}
	CHECK(wrong == 0);
	return unit_done();
}
