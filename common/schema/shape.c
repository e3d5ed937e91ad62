/*
 * shape.c: a compiled schema's nodes as the shapes (json/shape.h) a
 * parse checks while it tokenizes (schema_parse, validate.c). A plain
 * node (node.h) becomes its types, its properties' shapes, its
 * additionalProperties' and items' shapes, the bits of its required
 * properties, and a check of its enum, format and numeric keywords
 * (schema_shape_check); any other node, and a property name with an
 * escape, is "not sure", and the line is walked again. The shapes live
 * in the nodes, and point at each other as the nodes do ($refs
 * followed): a recursive schema makes a recursive shape.
 */
#include "schema/node.h"

const struct json_shape *
schema_shape_of(const struct node *n)
{
	while (n->ref != NULL)
		n = n->ref;
	return n->boolean == 1 ? NULL : &n->shape;
}

/* Does plain node n have a property name with an escape? */
static bool
escaped_names(const struct node *n)
{
	int j;

	for (j = 0; j < n->nprops; j++)
		if (n->props[j].escaped)
			return true;
	return false;
}

static void
shape_build(struct node *n)
{
	struct json_shape *sh = &n->shape;
	int j;

	if (n->boolean >= 0 || !n->plain || escaped_names(n)) {
		sh->unsure = true;   /* false; or a node accepts cannot take */
		return;
	}
	sh->types = n->types;
	n->shape_keys = oak_calloc((size_t)n->nprops, sizeof(*n->shape_keys));
	for (j = 0; j < n->nprops; j++)
		json_shape_key_set(&n->shape_keys[j], n->props[j].raw,
				   n->props[j].len,
				   schema_shape_of(n->props[j].schema));
	sh->keys = n->shape_keys;
	sh->nkeys = n->nprops;
	if (n->additional_props != NULL)
		sh->other = schema_shape_of(n->additional_props);
	sh->required = n->required_mask;
	if (n->items != NULL)
		sh->items = schema_shape_of(n->items);
	if (n->enum_tok >= 0 || n->format != FORMAT_NONE || n->numflags != 0) {
		sh->check = schema_shape_check;
		sh->arg = n;
	}
}

void
schema_shapes_build(struct schema *s)
{
	int i;

	for (i = 0; i < s->nnodes; i++)
		shape_build(s->nodes[i]);
}
