/*
 * joined_shape.c: the keys of a JoinedInvocation that oak-group-by-agent
 * reads, as a shape (json/shape.h) in the order join --project group
 * writes them. The shape allows any value anywhere and checks nothing:
 * it only tells the tokenizer which key to expect next, so that a key
 * written as expected is matched where it stands, with no string scan
 * (strict.c). The tokens and every verdict are json_parse's.
 */
#include <string.h>

#include "json/shape.h"
#include "record/invocation.h"

/* A shape's keys: name, and the shape of its value (NULL: any). */
struct key_def {
	const char *name;
	const struct json_shape *shape;
};

static struct json_shape outcome, task, features, metric, root;

/* Each object's keys, in the order join --project group writes them. */
static const struct key_def o[] = { { "status", NULL },
	{ "error_message", NULL } };
static const struct key_def t[] = { { "type", NULL },
	{ "type_source", NULL } };
static const struct key_def f[] = { { "task", &task } };
static const struct key_def m[] = { { "quality_rating", NULL },
	{ "would_use_again", NULL }, { "alternative_agent_suggested", NULL } };
static const struct key_def r[] = { { "timestamp", NULL },
	{ "invocation_id", NULL }, { "agent_name", NULL },
	{ "duration_seconds", NULL }, { "metadata", NULL },
	{ "outcome", &outcome }, { "state_features", &features },
	{ "invocation_seq", NULL }, { "success_metric", &metric } };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
static struct json_shape_key outcome_keys[COUNT(o)], task_keys[COUNT(t)],
	features_keys[COUNT(f)], metric_keys[COUNT(m)], root_keys[COUNT(r)];
#define DEFS(a) (a), (int)COUNT(a)

/* Fills sh as an object shape of the n keys in defs, in keys. */
static void
object_shape(struct json_shape *sh, struct json_shape_key *keys,
	     const struct key_def *defs, int n)
{
	int k;

	for (k = 0; k < n; k++)
		json_shape_key_set(&keys[k], defs[k].name, strlen(defs[k].name),
				   defs[k].shape);
	sh->keys = keys;
	sh->nkeys = n;
}

const struct json_shape *
joined_shape(void)
{
	if (root.nkeys == 0) {
		object_shape(&outcome, outcome_keys, DEFS(o));
		object_shape(&task, task_keys, DEFS(t));
		object_shape(&features, features_keys, DEFS(f));
		object_shape(&metric, metric_keys, DEFS(m));
		object_shape(&root, root_keys, DEFS(r));
	}
	return &root;
}
