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

/* A key and its length (the projection looks up and writes a dozen keys
 * a line: no strlen of each). */
struct pkey {
	const char *name;
	size_t len;
};
#define PKEY(s) { s, sizeof(s) - 1 }
#define NAME(s) s
#define METRIC_KEYS(X) X("quality_rating"), X("would_use_again"), \
	X("alternative_agent_suggested")

const char *const metric_keys[SPAN_KEYS + 1] = { METRIC_KEYS(NAME), NULL };
static const struct pkey metric_pkeys[] = { METRIC_KEYS(PKEY), { NULL, 0 } };

/* Writes object i of d with only its members named in keys (ended by a
 * NULL name), each value as written. */
static void
project_object(struct buf *o, const struct json_doc *d, int i,
	       const struct pkey *keys)
{
	size_t vlen;
	const char *val;
	int m;

	buf_addc(o, '{');
	for (; keys->name != NULL; keys++) {
		if ((m = json_getn(d, i, keys->name, keys->len)) < 0)
			continue;
		val = json_span(d, m, &vlen);
		jw_key_raw(o, keys->name, keys->len);
		buf_add(o, val, vlen);
	}
	buf_addc(o, '}');
}

/* Writes key of d's root: its value as written, or, for an object, only
 * its members named in keys (NULL: the whole value). */
static void
project_key(struct buf *o, const struct json_doc *d, const struct pkey *key,
	    const struct pkey *keys)
{
	size_t vlen;
	const char *val;
	int i = json_getn(d, 0, key->name, key->len);

	if (i < 0)
		return;
	jw_key_raw(o, key->name, key->len);
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
	static const struct pkey whole[] = { PKEY("timestamp"),
		PKEY("invocation_id"), PKEY("agent_name"),
		PKEY("duration_seconds"), PKEY("metadata"),
		PKEY("invocation_seq"), { NULL, 0 } };
	static const struct pkey outcome = PKEY("outcome"),
		features = PKEY("state_features"),
		metric = PKEY("success_metric");
	static const struct pkey outcome_keys[] = { PKEY("status"),
		PKEY("error_message"), { NULL, 0 } };
	static const struct pkey feature_keys[] = { PKEY("task"), { NULL, 0 } };
	const struct pkey *k;

	buf_addc(o, '{');
	for (k = whole; k->name != NULL; k++)
		project_key(o, d, k, NULL);
	project_key(o, d, &outcome, outcome_keys);
	project_key(o, d, &features, feature_keys);
	project_key(o, d, &metric, metric_pkeys);
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
		jw_key_raw(o, metric_pkeys[k].name, metric_pkeys[k].len);
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
