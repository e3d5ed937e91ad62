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

const struct key_name metric_keys[SPAN_KEYS] = { KEY_NAME("quality_rating"),
	KEY_NAME("would_use_again"), KEY_NAME("alternative_agent_suggested") };

/* Writes object i of d with only its members named in the n keys, each
 * value as written. */
static void
project_object(struct buf *o, const struct json_doc *d, int i,
	       const struct key_name *keys, int n)
{
	size_t vlen;
	const char *val;
	int k, m;

	buf_addc(o, '{');
	for (k = 0; k < n; k++) {
		if ((m = json_getn(d, i, keys[k].name, keys[k].len)) < 0)
			continue;
		val = json_span(d, m, &vlen);
		jw_key_raw(o, keys[k].name, keys[k].len);
		buf_add(o, val, vlen);
	}
	buf_addc(o, '}');
}

/* Writes key of d's root: its value as written, or, for an object, only
 * its members named in the n keys (none: the whole value). */
static void
project_key(struct buf *o, const struct json_doc *d,
	    const struct key_name *key, const struct key_name *keys, int n)
{
	size_t vlen;
	const char *val;
	int i = json_getn(d, 0, key->name, key->len);

	if (i < 0)
		return;
	jw_key_raw(o, key->name, key->len);
	if (n > 0 && json_is_object(d, i)) {
		project_object(o, d, i, keys, n);
	} else {
		val = json_span(d, i, &vlen);
		buf_add(o, val, vlen);
	}
}

/* The members of d that group reads, without the final '}'. */
void
project_doc(struct buf *o, const struct json_doc *d)
{
	static const struct key_name whole[] = { KEY_NAME("timestamp"),
		KEY_NAME("invocation_id"), KEY_NAME("agent_name"),
		KEY_NAME("duration_seconds"), KEY_NAME("metadata"),
		KEY_NAME("invocation_seq") };
	static const struct key_name outcome = KEY_NAME("outcome"),
		features = KEY_NAME("state_features"),
		metric = KEY_NAME("success_metric");
	static const struct key_name outcome_keys[] = { KEY_NAME("status"),
		KEY_NAME("error_message") };
	static const struct key_name task = KEY_NAME("task");
	size_t k;

	buf_addc(o, '{');
	for (k = 0; k < sizeof(whole) / sizeof(whole[0]); k++)
		project_key(o, d, &whole[k], NULL, 0);
	project_key(o, d, &outcome, outcome_keys, 2);
	project_key(o, d, &features, &task, 1);
	project_key(o, d, &metric, metric_keys, SPAN_KEYS);
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

	jw_key_raw(o, "success_metric", sizeof "success_metric" - 1);
	buf_addc(o, '{');
	for (k = 0; k < SPAN_KEYS; k++) {
		if (sp->len[k] == 0)
			continue;
		jw_key_raw(o, metric_keys[k].name, metric_keys[k].len);
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
