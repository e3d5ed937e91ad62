/*
 * record/rank.h: the seed's ranking, in one place for oak-rank and
 * oak-render-report (rank.c). The score (agent_view's score) is
 * 0.6 x success_rate + 0.4 x average_quality / 5 on the rounded values.
 */
#ifndef OAK_RECORD_RANK_H
#define OAK_RECORD_RANK_H

#include "record/agent_stats.h"

/*
 * The one order: higher score first; on equal scores, the agent that
 * appeared first in the input (first_seq); then by name, bytewise.
 * A qsort-style result.
 */
int agent_rank_cmp(const struct agent_stats *a, double score_a,
		   const struct agent_stats *b, double score_b);

#endif
