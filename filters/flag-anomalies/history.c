/*
 * history.c: each agent's weeks, in an array indexed by week that grows
 * either way as records of earlier or later weeks arrive, so the order
 * of the input never matters; and the error messages of each agent's
 * failures with the week each was first seen (the earliest wins).
 */
#include <stdlib.h>
#include <string.h>

#include "record/instant.h"
#include "anomalies.h"

int64_t
week_of_day(int64_t day)
{
	/* 1970-01-05 (day 4) was a Monday */
	int64_t d = day - 4;

	return d / 7 - (d % 7 < 0);
}

void
week_key(struct buf *out, int64_t week)
{
	oak_period_key(out, week * 7 + 4, OAK_BY_WEEK);
}

void
history_init(struct history *h)
{
	memset(h, 0, sizeof(*h));
	h->by_name = ht_create();
	h->by_error = ht_create();
	h->first = INT64_MAX;
}

void
history_release(struct history *h)
{
	size_t i, k;

	for (i = 0; i < h->nagents; i++) {
		for (k = 0; k < h->agents[i]->nweeks; k++)
			hist_release(&h->agents[i]->weeks[k].durations);
		free(h->agents[i]->weeks);
		free(h->agents[i]->name);
		free(h->agents[i]);
	}
	for (i = 0; i < h->nerrors; i++) {
		free(h->errors[i]->message);
		free(h->errors[i]);
	}
	free(h->agents);
	free(h->errors);
	ht_release(h->by_name);
	ht_release(h->by_error);
}

static struct agent *
agent_for(struct history *h, const char *name, size_t len)
{
	bool created;
	void **slot = ht_put(h->by_name, name, len, &created);
	struct agent *a;

	if (!created)
		return *slot;
	a = oak_calloc(1, sizeof(*a));
	a->name = oak_strndup(name, len);
	a->first = INT64_MAX;
	a->last = INT64_MIN;
	if (h->nagents == h->cap_agents) {
		h->cap_agents = h->cap_agents ? h->cap_agents * 2 : 16;
		h->agents = oak_realloc(h->agents,
					h->cap_agents * sizeof(*h->agents));
	}
	h->agents[h->nagents++] = a;
	*slot = a;
	return a;
}

/* Makes weeks[] cover week. */
static void
agent_cover(struct agent *a, int64_t week)
{
	size_t lead, n;

	if (a->nweeks == 0) {
		a->weeks = oak_calloc(1, sizeof(*a->weeks));
		a->base = week;
		a->nweeks = 1;
	} else if (week < a->base) {
		lead = (size_t)(a->base - week);
		n = a->nweeks + lead;
		a->weeks = oak_realloc(a->weeks, n * sizeof(*a->weeks));
		memmove(a->weeks + lead, a->weeks, a->nweeks * sizeof(*a->weeks));
		memset(a->weeks, 0, lead * sizeof(*a->weeks));
		a->base = week;
		a->nweeks = n;
	} else if (week >= a->base + (int64_t)a->nweeks) {
		n = (size_t)(week - a->base) + 1;
		a->weeks = oak_realloc(a->weeks, n * sizeof(*a->weeks));
		memset(a->weeks + a->nweeks, 0,
		       (n - a->nweeks) * sizeof(*a->weeks));
		a->nweeks = n;
	}
}

struct week *
history_week(struct history *h, const char *name, size_t len, int64_t week)
{
	struct agent *a = agent_for(h, name, len);

	agent_cover(a, week);
	if (week < a->first)
		a->first = week;
	if (week > a->last)
		a->last = week;
	if (week < h->first)
		h->first = week;
	return &a->weeks[week - a->base];
}

const struct week *
agent_week(const struct agent *a, int64_t week)
{
	if (a->nweeks == 0 || week < a->base ||
	    week >= a->base + (int64_t)a->nweeks)
		return NULL;
	return &a->weeks[week - a->base];
}

void
history_error(struct history *h, const char *name, size_t nlen,
	      const char *message, size_t mlen, int64_t week)
{
	struct buf key;
	struct error_seen *e;
	bool created;
	void **slot;

	buf_init(&key);
	buf_add(&key, name, nlen);
	buf_addc(&key, '\n');
	buf_add(&key, message, mlen);
	slot = ht_put(h->by_error, key.data, key.len, &created);
	buf_release(&key);
	if (!created) {
		e = *slot;
		if (week < e->first) {
			e->first = week;
			e->count = 0;
		}
		if (week == e->first)
			e->count++;
		return;
	}
	e = oak_calloc(1, sizeof(*e));
	e->agent = agent_for(h, name, nlen);
	e->message = oak_strndup(message, mlen);
	e->first = week;
	e->count = 1;
	if (h->nerrors == h->cap_errors) {
		h->cap_errors = h->cap_errors ? h->cap_errors * 2 : 16;
		h->errors = oak_realloc(h->errors,
					h->cap_errors * sizeof(*h->errors));
	}
	h->errors[h->nerrors++] = e;
	*slot = e;
}

static int
agent_cmp(const void *pa, const void *pb)
{
	const struct agent *a = *(struct agent *const *)pa;
	const struct agent *b = *(struct agent *const *)pb;

	return strcmp(a->name, b->name);
}

static int
error_cmp(const void *pa, const void *pb)
{
	const struct error_seen *a = *(struct error_seen *const *)pa;
	const struct error_seen *b = *(struct error_seen *const *)pb;
	int c = strcmp(a->agent->name, b->agent->name);

	return c ? c : strcmp(a->message, b->message);
}

void
history_sort(struct history *h)
{
	size_t i;
	struct agent *a;

	if (h->nagents > 1)
		qsort(h->agents, h->nagents, sizeof(*h->agents), agent_cmp);
	if (h->nerrors > 1)
		qsort(h->errors, h->nerrors, sizeof(*h->errors), error_cmp);
	for (i = 0; i < h->nerrors; i++) {
		a = h->errors[i]->agent;
		if (a->error_hi == 0)
			a->error_lo = i;
		a->error_hi = i + 1;
	}
}
