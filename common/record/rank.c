/*
 * rank.c: the one tie rule of the ranking (see rank.h).
 */
#include <string.h>

#include "record/rank.h"

int
agent_rank_cmp(const struct agent_stats *a, double score_a,
	       const struct agent_stats *b, double score_b)
{
	size_t n;
	int c;

	if (score_a != score_b)
		return score_a > score_b ? -1 : 1;
	if (a->first_seq != b->first_seq)
		return a->first_seq < b->first_seq ? -1 : 1;
	n = a->name_len < b->name_len ? a->name_len : b->name_len;
	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	return (a->name_len > b->name_len) - (a->name_len < b->name_len);
}
