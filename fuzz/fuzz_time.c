/*
 * fuzz_time: oak_time_parse on any bytes (the first byte's low bit is
 * allow_date); an instant parsed is written back and must parse again
 * to the same instant, to the microsecond the writer keeps.
 */
#include "record/instant.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct buf out;
	struct oak_instant t, again;
	char *text;
	bool allow_date;

	if (size == 0)
		return 0;
	allow_date = data[0] & 1;
	text = fuzz_copy(data + 1, size - 1);
	if (oak_time_parse(text, size - 1, allow_date, &t) == 0) {
		buf_reset(&out);
		oak_time_format(&out, t);
		if (oak_time_parse(out.data, out.len, false, &again) != 0 ||
		    again.sec != t.sec || again.nsec != t.nsec / 1000 * 1000)
			abort();
	}
	free(text);
	return 0;
}
