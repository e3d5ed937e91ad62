/*
 * columns.c: oak-features' column set. Fixed columns come from a table of
 * paths into the JoinedInvocation; state feature columns are the dotted
 * names of the leaves under state_features, found in a first pass (and
 * sorted by name, so the order does not hang on the order of the input)
 * or read from --columns FILE. An array leaf also has NAME.count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "features.h"

static const struct fixed_column leading[] = {
	{ "invocation_id", { "invocation_id" }, { NULL } },
	{ "timestamp", { "timestamp" }, { NULL } },
	{ "session_id", { "session_id" }, { NULL } },
	{ "metadata.workflow_id", { "metadata", "workflow_id" }, { NULL } },
	{ "parent_invocation_id", { "parent_invocation_id" }, { NULL } },
	{ "agent_name", { "agent_name" }, { NULL } },
	{ "agent_type", { "agent_type" }, { NULL } },
	{ "task_description", { "task_description" }, { NULL } },
};

static const struct fixed_column labels[] = {
	{ "outcome.status", { "outcome", "status" }, { NULL } },
	{ "duration_seconds", { "duration_seconds" }, { NULL } },
	{ "metadata.usage.input_tokens",
	  { "metadata", "usage", "input_tokens" }, { NULL } },
	{ "metadata.usage.output_tokens",
	  { "metadata", "usage", "output_tokens" }, { NULL } },
	{ "metadata.total_tokens", { "metadata", "total_tokens" },
	  { "metadata", "totalTokens" } },
	{ "metadata.cost_usd", { "metadata", "cost_usd" },
	  { "metadata", "total_cost_usd" } },
	{ "success_metric.success", { "success_metric", "success" }, { NULL } },
	{ "success_metric.quality_rating",
	  { "success_metric", "quality_rating" }, { NULL } },
	{ "success_metric.would_use_again",
	  { "success_metric", "would_use_again" }, { NULL } },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define FEATURE_PREFIX "state_features."

void
table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
	t->index = ht_create();
	t->left_out = ht_create();
}

void
table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->col[i].name);
	free(t->col);
	ht_release(t->index);
	ht_release(t->left_out);
}

long
table_find(const struct table *t, const char *name, size_t len)
{
	void **slot = ht_find(t->index, name, len);

	return slot == NULL ? -1 : (long)(uintptr_t)*slot - 1;
}

/* Adds a column unless one of that name is there; false when it was. */
static bool
table_add(struct table *t, const char *name, size_t len,
	  const struct fixed_column *fixed)
{
	bool created;
	void **slot = ht_put(t->index, name, len, &created);

	if (!created)
		return false;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->col = oak_realloc(t->col, sizeof(*t->col) * t->cap);
	}
	t->col[t->n].name = oak_strndup(name, len);
	t->col[t->n].len = len;
	t->col[t->n].fixed = fixed;
	t->n++;
	*slot = (void *)(uintptr_t)t->n;
	return true;
}

static void
add_fixed(struct table *t, const struct fixed_column *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		table_add(t, f[i].name, strlen(f[i].name), &f[i]);
}

void
table_add_leading(struct table *t)
{
	add_fixed(t, leading, NELEM(leading));
}

void
table_add_labels(struct table *t)
{
	add_fixed(t, labels, NELEM(labels));
}

static void
walk(const struct json_doc *d, int obj, struct buf *name,
     void (*fn)(void *arg, const struct json_doc *d, const struct buf *name,
	       int tok), void *arg)
{
	size_t at = name->len;
	int k = obj + 1, end = json_skip(d, obj);

	while (k < end) {
		int v = k + 1;

		name->len = at;
		buf_addc(name, '.');
		json_unescape(d, k, name);
		name->data[name->len] = '\0';
		if (json_is_object(d, v))
			walk(d, v, name, fn, arg);
		else
			fn(arg, d, name, v);
		k = json_skip(d, v);
	}
	name->len = at;
	name->data[at] = '\0';
}

void
features_walk(const struct json_doc *d, struct buf *name,
	      void (*fn)(void *arg, const struct json_doc *d,
			 const struct buf *name, int tok), void *arg)
{
	int sf = json_get(d, 0, "state_features");

	buf_reset(name);
	buf_adds(name, "state_features");
	if (json_is_object(d, sf))
		walk(d, sf, name, fn, arg);
}

static void
discover_leaf(void *arg, const struct json_doc *d, const struct buf *name,
	      int tok)
{
	struct table *t = arg;
	static struct buf count;

	table_add(t, name->data, name->len, NULL);
	if (json_is_array(d, tok)) {
		buf_reset(&count);
		buf_add(&count, name->data, name->len);
		buf_adds(&count, ".count");
		table_add(t, count.data, count.len, NULL);
	}
}

void
table_discover(struct table *t, const struct json_doc *d)
{
	static struct buf name;

	features_walk(d, &name, discover_leaf, t);
}

static int
column_cmp(const void *pa, const void *pb)
{
	const struct column *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);

	if (c != 0)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

void
table_sort(struct table *t, size_t first, size_t last)
{
	size_t i;

	if (last > first + 1)
		qsort(t->col + first, last - first, sizeof(*t->col),
		      column_cmp);
	for (i = first; i < last; i++)
		*ht_find(t->index, t->col[i].name, t->col[i].len) =
			(void *)(uintptr_t)(i + 1);
}

static const struct fixed_column *
fixed_named(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(leading); i++)
		if (strcmp(leading[i].name, name) == 0)
			return &leading[i];
	for (i = 0; i < NELEM(labels); i++)
		if (strcmp(labels[i].name, name) == 0)
			return &labels[i];
	return NULL;
}

void
table_read_columns(struct table *t, const char *path)
{
	struct line_reader *r = line_open(path);
	const struct fixed_column *f;
	struct line ln;
	int got;

	if (r == NULL)
		oak_die(OAK_EXIT_IO, "%s: %s", path, strerror(errno));
	while ((got = line_next(r, &ln)) > 0) {
		if (line_blank(ln.text, ln.len))
			continue;
		f = fixed_named(ln.text);
		if (f == NULL && (strncmp(ln.text, FEATURE_PREFIX,
					  strlen(FEATURE_PREFIX)) != 0 ||
				  ln.len == strlen(FEATURE_PREFIX)))
			oak_die(OAK_EXIT_USAGE, "%s:%ld: not a column: %s",
				path, ln.no, ln.text);
		if (!table_add(t, ln.text, ln.len, f))
			oak_die(OAK_EXIT_USAGE, "%s:%ld: column named twice: %s",
				path, ln.no, ln.text);
	}
	if (got < 0)
		oak_die(OAK_EXIT_IO, "%s: %s", path, strerror(errno));
	line_close(r);
	t->frozen = true;
}
