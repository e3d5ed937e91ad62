/*
 * project.c: --project group. Of each JoinedInvocation only what
 * oak-group-by-agent reads, each value as written (so group finds the
 * same values and refuses the same records with the same words): the id,
 * start, agent, duration, metadata, the task of the state features, the
 * outcome's status and error message, the seq and the success metric's
 * rating, would-use-again and alternative.
 */
#include "join.h"

static struct json_doc proj_doc;
static struct buf proj_out;

const char *const metric_keys[SPAN_KEYS + 1] = { "quality_rating",
	"would_use_again", "alternative_agent_suggested", NULL };

/* Writes object i of d with only its members named in keys (NULL-ended),
 * each value as written. */
static void
project_object(struct buf *o, const struct json_doc *d, int i,
	       const char *const *keys)
{
	size_t vlen;
	const char *val;
	int m;

	buf_addc(o, '{');
	for (; *keys != NULL; keys++) {
		if ((m = json_get(d, i, *keys)) < 0)
			continue;
		val = json_span(d, m, &vlen);
		jw_key(o, *keys);
		buf_add(o, val, vlen);
	}
	buf_addc(o, '}');
}

/* Writes key of d's root: its value as written, or, for an object, only
 * its members named in keys (NULL: the whole value). */
static void
project_key(struct buf *o, const struct json_doc *d, const char *key,
	    const char *const *keys)
{
	size_t vlen;
	const char *val;
	int i = json_get(d, 0, key);

	if (i < 0)
		return;
	jw_key(o, key);
	if (keys != NULL && json_is_object(d, i)) {
		project_object(o, d, i, keys);
	} else {
		val = json_span(d, i, &vlen);
		buf_add(o, val, vlen);
	}
}

/* The members of d that group reads, without the final '}'. */
void
project_doc(struct buf *o, const struct json_doc *d)
{
	static const char *const whole[] = { "timestamp", "invocation_id",
		"agent_name", "duration_seconds", "metadata", "invocation_seq",
		NULL };
	static const char *const outcome[] = { "status", "error_message",
		NULL };
	static const char *const features[] = { "task", NULL };
	size_t k;

	buf_addc(o, '{');
	for (k = 0; whole[k] != NULL; k++)
		project_key(o, d, whole[k], NULL);
	project_key(o, d, "outcome", outcome);
	project_key(o, d, "state_features", features);
	project_key(o, d, "success_metric", metric_keys);
}

/* "success_metric": the metric record's values of metric_keys, as
 * written, found where indexing located them (its line was checked then,
 * so it is not parsed again). */
void
project_metric(struct buf *o, const struct side_index *metrics, uint32_t e)
{
	const struct side_spans *sp = &metrics->spans[e];
	const char *line = metrics->map + metrics->entry[e].offset;
	int k;

	jw_key(o, "success_metric");
	buf_addc(o, '{');
	for (k = 0; k < SPAN_KEYS; k++) {
		if (sp->len[k] == 0)
			continue;
		jw_key(o, metric_keys[k]);
		buf_add(o, line + sp->off[k], sp->len[k]);
	}
	buf_addc(o, '}');
}

/* --project of a record with updates: the JoinedInvocation written in
 * out, parsed again (it is valid JSON with unique keys) and projected. */
void
project_joined(struct buf *out)
{
	const char *why;

	buf_reset(&proj_out);
	buf_add(&proj_out, out->data, out->len);
	if (json_parse(&proj_doc, proj_out.data, proj_out.len - 1, &why) < 0)
		oak_die(OAK_EXIT_IO, "--project: %s", why);   /* not reached */
	buf_reset(out);
	project_doc(out, &proj_doc);
	buf_add(out, "}\n", 2);
}
