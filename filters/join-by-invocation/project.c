/*
 * project.c: --project group. Of each JoinedInvocation only what
 * oak-group-by-agent reads, each value as written (so group finds the
 * same values and refuses the same records with the same words): the id,
 * start, agent, duration, metadata, the type of the task of the state
 * features and how it was found, the outcome's status and error message,
 * the seq and the success metric's rating, would-use-again and
 * alternative.
 */
#include "join.h"

static struct json_doc proj_doc;
static struct buf proj_out;

const struct json_key metric_keys[SPAN_KEYS] = { JSON_KEY("quality_rating"),
	JSON_KEY("would_use_again"), JSON_KEY("alternative_agent_suggested") };

/* Writes object i of d with only its members named in the n keys, each
 * value as written. */
static void
project_object(struct buf *o, const struct json_doc *d, int i,
	       const struct json_key *keys, int n)
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

/* Writes key (value token i of d, -1: absent): its value as written, or,
 * for an object, only its members named in the n keys (none: the whole
 * value). */
static void
project_key(struct buf *o, const struct json_doc *d,
	    const struct json_key *key, int i, const struct json_key *keys,
	    int n)
{
	size_t vlen;
	const char *val;

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

/* "state_features" (token i, -1: absent): of its task only the type and
 * how it was found; a task that is not an object, as written. */
static void
project_features(struct buf *o, const struct json_doc *d, int i)
{
	static const struct json_key task = JSON_KEY("task");
	static const struct json_key task_keys[] = { JSON_KEY("type"),
		JSON_KEY("type_source") };

	if (i < 0)
		return;
	if (!json_is_object(d, i)) {
		project_key(o, d, &invocation_keys[INV_FEATURES], i, NULL, 0);
		return;
	}
	jw_key_raw(o, invocation_keys[INV_FEATURES].name,
		   invocation_keys[INV_FEATURES].len);
	buf_addc(o, '{');
	project_key(o, d, &task, json_getn(d, i, task.name, task.len),
		    task_keys, 2);
	buf_addc(o, '}');
}

void
project_found(struct buf *o, const struct json_doc *d, const int *at)
{
	static const struct json_key outcome_keys[] = { JSON_KEY("status"),
		JSON_KEY("error_message") };
	int k;

	buf_addc(o, '{');
	for (k = 0; k < INV_OUTCOME; k++)
		project_key(o, d, &invocation_keys[k], at[k], NULL, 0);
	project_key(o, d, &invocation_keys[INV_OUTCOME], at[INV_OUTCOME],
		    outcome_keys, 2);
	project_features(o, d, at[INV_FEATURES]);
	project_key(o, d, &invocation_keys[INV_METRIC], at[INV_METRIC],
		    metric_keys, SPAN_KEYS);
}

void
project_doc(struct buf *o, const struct json_doc *d)
{
	int at[INV_KEYS];

	json_get_keys(d, 0, invocation_keys, INV_KEYS, at);
	project_found(o, d, at);
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
