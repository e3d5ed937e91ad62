/*
 * fuzz_facts: what one JoinedInvocation adds to its agent, counted the
 * two ways the programs count it (record/agent_stats.h): whole, as
 * oak-group-by-agent does (agent_stats_add), and in parts, as
 * oak-join-by-invocation --group does (agent_stats_own by the line's
 * parser, agent_metric_of of its success metric, agent_stats_add_own).
 * Where the parts can be worked out, both must refuse the line with the
 * same words or write the same AgentStats; the input is counted twice,
 * at seq 1 and 2, so the second finds its counters' items.
 */
#include "record/agent_stats.h"
#include "record/invocation.h"
#include "fuzz.h"

/* Counts d (at, when) twice into a new agent, whole or in parts, and
 * writes it to out: the first reason it was refused, or NULL; *skip
 * when the parts cannot be worked out. */
static const char *
count(const struct json_doc *d, const int *at, struct oak_instant when,
      bool parts, struct buf *out, bool *skip)
{
	struct agent_stats *a = agent_stats_create("a", 1, 1);
	void *own = malloc(agent_own_size());
	struct agent_metric m;
	const char *why = NULL;
	int64_t seq;

	agent_metric_of(d, at[INV_METRIC], &m);
	for (seq = 1; seq <= 2 && why == NULL && !*skip; seq++) {
		if (!parts)
			why = agent_stats_add(a, d, at, d, seq, when);
		else if (!agent_stats_own(d, at, own) || m.alt_escaped)
			*skip = true;
		else
			why = agent_stats_add_own(a, own, at[INV_METRIC] >= 0 ?
						  &m : NULL, d->text, seq, when);
	}
	buf_reset(out);
	agent_stats_write(out, a);
	agent_stats_release(a);
	free(own);
	return why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct json_doc d;
	static struct buf whole, parts;
	char *text = fuzz_copy(data, size);
	struct oak_instant when;
	const char *why, *w1, *w2;
	int at[INV_KEYS];
	bool skip = false;

	if (json_parse(&d, text, size, &why) == 0 && json_is_object(&d, 0)) {
		json_get_keys(&d, 0, invocation_keys, INV_KEYS, at);
		if (invocation_check_at(&d, at, &when) == NULL) {
			w1 = count(&d, at, when, false, &whole, &skip);
			w2 = count(&d, at, when, true, &parts, &skip);
			if (!skip && ((w1 == NULL) != (w2 == NULL) ||
				      (w1 != NULL && strcmp(w1, w2) != 0) ||
				      (w1 == NULL && (whole.len != parts.len ||
				       memcmp(whole.data, parts.data,
					      whole.len) != 0))))
				abort();
		}
	}
	free(text);
	return 0;
}
