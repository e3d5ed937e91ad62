/*
 * pricing.c: the dated table of per-model prices (data/pricing.json, in
 * USD per million tokens) and the metadata members a subagent's tokens
 * become. A model is priced by the longest table name that is a prefix
 * of it (claude-sonnet-4-5 prices claude-sonnet-4-5-20250929); a model
 * the table lacks is listed as unpriced, never counted as free.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claude/claude.h"

/* Price columns, in USD per million tokens. */
enum { P_INPUT, P_OUTPUT, P_WRITE_5M, P_WRITE_1H, P_READ, P_N };
static const char *const price_keys[P_N] = {
	"input", "output", "cache_write_5m", "cache_write_1h", "cache_read",
};

struct price {
	char *name;
	double usd[P_N];
};

struct claude_pricing {
	struct price *price;
	size_t nprice;
};

/* Where the table is when no path is given: $OAK_PRICING, the build
 * tree's data/ (the program is TOP/build[/san]/bin/oak-*), else the
 * installed copy. */
static void
default_path(struct buf *out)
{
	const char *env = getenv("OAK_PRICING");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *cut;

	if (env != NULL && *env != '\0') {
		buf_adds(out, env);
		return;
	}
	if (n > 0) {
		exe[n] = '\0';
		cut = strstr(exe, "/build/");
		if (cut != NULL) {
			buf_add(out, exe, (size_t)(cut - exe));
			buf_adds(out, "/data/pricing.json");
			if (access(out->data, R_OK) == 0)
				return;
			buf_reset(out);
		}
	}
	buf_adds(out, OAK_DATADIR "/pricing.json");
}

/* Reads all of path into b. 0, or -1 with errno set. */
static int
slurp(const char *path, struct buf *b)
{
	FILE *fp = fopen(path, "r");
	size_t n;
	int saved;

	if (fp == NULL)
		return -1;
	do {
		buf_grow(b, 65536);
		n = fread(b->data + b->len, 1, 65536, fp);
		b->len += n;
	} while (n > 0);
	b->data[b->len] = '\0';
	saved = errno;
	if (ferror(fp)) {
		fclose(fp);
		errno = saved;
		return -1;
	}
	fclose(fp);
	return 0;
}

/* Reads the table's "models" object into p. NULL or a reason. */
static const char *
read_models(struct claude_pricing *p, const struct json_doc *d)
{
	int models = json_get(d, 0, "models"), i, v, k;
	struct buf name;

	if (!json_is_object(d, models))
		return "no \"models\" object";
	p->price = oak_calloc((size_t)d->tok[models].size + 1,
			      sizeof(*p->price));
	for (i = models + 1; i < d->next[models]; i = d->next[i + 1]) {
		struct price *pr = &p->price[p->nprice];

		if (!json_is_object(d, i + 1))
			return "a model's prices are not an object";
		for (k = 0; k < P_N; k++) {
			v = json_get(d, i + 1, price_keys[k]);
			if (!json_is_number(d, v) || json_number(d, v) < 0)
				return "a model lacks a price, or one is "
				       "negative";
			pr->usd[k] = json_number(d, v);
		}
		buf_init(&name);
		json_unescape(d, i, &name);
		pr->name = name.data != NULL ? name.data : oak_strdup("");
		p->nprice++;
	}
	return NULL;
}

struct claude_pricing *
claude_pricing_load(const char *path)
{
	struct claude_pricing *p = oak_calloc(1, sizeof(*p));
	struct json_doc doc;
	struct buf where, text;
	const char *why = NULL;

	buf_init(&where);
	buf_init(&text);
	json_doc_init(&doc);
	if (path != NULL)
		buf_adds(&where, path);
	else
		default_path(&where);
	if (slurp(where.data, &text) < 0)
		why = strerror(errno);
	else if (json_parse(&doc, text.data, text.len, &why) == 0)
		why = json_is_object(&doc, 0) ? read_models(p, &doc) :
						"not a JSON object";
	if (why != NULL) {
		oak_warn("%s: %s", where.data, why);
		claude_pricing_release(p);
		p = NULL;
	}
	json_doc_release(&doc);
	buf_release(&text);
	buf_release(&where);
	return p;
}

void
claude_pricing_release(struct claude_pricing *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nprice; i++)
		free(p->price[i].name);
	free(p->price);
	free(p);
}

/* The prices of model, or NULL when the table lacks it. */
static const struct price *
price_of(const struct claude_pricing *p, const char *model)
{
	const struct price *best = NULL;
	size_t i, len, best_len = 0;

	for (i = 0; i < p->nprice; i++) {
		len = strlen(p->price[i].name);
		if (len > best_len && strncmp(model, p->price[i].name, len) == 0 &&
		    (model[len] == '\0' || model[len] == '-' ||
		     model[len] == '@')) {
			best = &p->price[i];
			best_len = len;
		}
	}
	return best;
}

static double
model_cost(const struct price *pr, const int64_t *tok)
{
	int64_t write_5m = tok[CLAUDE_CACHE_CREATION] - tok[CLAUDE_CACHE_1H];

	return ((double)tok[CLAUDE_INPUT] * pr->usd[P_INPUT] +
		(double)tok[CLAUDE_OUTPUT] * pr->usd[P_OUTPUT] +
		(double)write_5m * pr->usd[P_WRITE_5M] +
		(double)tok[CLAUDE_CACHE_1H] * pr->usd[P_WRITE_1H] +
		(double)tok[CLAUDE_CACHE_READ] * pr->usd[P_READ]) / 1e6;
}

/* "cost_usd" and "cost_unpriced_models" of u's models. */
static void
write_cost(struct buf *b, const struct claude_usage *u,
	   const struct claude_pricing *p)
{
	const struct price *pr;
	double cost = 0;
	size_t i;

	for (i = 0; i < u->nmodel; i++)
		if ((pr = price_of(p, u->model[i].name)) != NULL)
			cost += model_cost(pr, u->model[i].tok);
	jw_key(b, "cost_usd");
	jw_double(b, py_round(cost, 6));
	jw_key(b, "cost_unpriced_models");
	buf_addc(b, '[');
	for (i = 0; i < u->nmodel; i++)
		if (price_of(p, u->model[i].name) == NULL) {
			jw_sep(b);
			jw_cstring(b, u->model[i].name);
		}
	buf_addc(b, ']');
}

void
claude_usage_write(struct buf *b, const struct claude_usage *u,
		   const struct claude_pricing *p)
{
	static const char *const names[] = {
		"input", "output", "cache_creation", "cache_read",
	};
	size_t i;
	int k;

	jw_key(b, "tokens");
	buf_addc(b, '{');
	for (k = 0; k < CLAUDE_CACHE_1H; k++) {
		jw_key(b, names[k]);
		jw_int(b, claude_usage_kind(u, k));
	}
	jw_key(b, "cache_creation_1h");
	jw_int(b, claude_usage_kind(u, CLAUDE_CACHE_1H));
	buf_addc(b, '}');
	jw_key(b, "total_tokens");
	jw_int(b, claude_usage_total(u));
	jw_key(b, "models");
	buf_addc(b, '[');
	for (i = 0; i < u->nmodel; i++) {
		jw_sep(b);
		jw_cstring(b, u->model[i].name);
	}
	buf_addc(b, ']');
	if (p != NULL)
		write_cost(b, u, p);
}
