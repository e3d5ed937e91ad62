/*
 * fuzz_agent_stats: AgentStats read and merge, through the public API of
 * record/agent_stats.h only. The input is one or two records cut at the
 * first NUL byte; each is read, the second (or the first again) merged
 * into the first, and the result written and viewed.
 */
#include "record/agent_stats.h"
#include "fuzz.h"

static struct agent_stats *
read_one(struct json_doc *doc, const uint8_t *data, size_t size, char **text)
{
	struct agent_stats *a = NULL;
	const char *why;

	*text = fuzz_copy(data, size);
	if (json_parse(doc, *text, size, &why) < 0 ||
	    agent_stats_read(doc, &a) != NULL)
		return NULL;
	return a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_doc d1, d2;
	static struct buf out;
	size_t len1 = fuzz_split(data, size);
	char *t1, *t2;
	struct agent_stats *a = read_one(&d1, data, len1, &t1);
	struct agent_stats *b = len1 < size ?
		read_one(&d2, data + len1 + 1, size - len1 - 1, &t2) :
		read_one(&d2, data, len1, &t2);
	struct agent_view v;

	if (a != NULL && b != NULL) {
		agent_stats_merge(a, b);
		buf_reset(&out);
		agent_stats_write(&out, a);
		agent_view_make(a, &v);
		agent_view_release(&v);
	}
	agent_stats_release(a);
	agent_stats_release(b);
	free(t1);
	free(t2);
	return 0;
}
