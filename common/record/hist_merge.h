/*
 * record/hist_merge.h: histograms merged in linear time with checked
 * sums (hist_merge.c), for AgentStats' read and merge.
 */
#ifndef OAK_RECORD_HIST_MERGE_H
#define OAK_RECORD_HIST_MERGE_H

#include "record/hist.h"

struct hist_bucket {
	int32_t key;
	int64_t count;   /* >= 0 */
};
/* Fills the empty h with n buckets in any order, keys repeated or not
 * (sorted in place when they are not in order): true, or false when a
 * count or the total leaves the int64 range, and h stays empty. */
bool hist_from_buckets(struct hist *h, struct hist_bucket *b, size_t n);
/* Whether merging src into dst keeps every count and the total in range
 * (one pass over both), and the merge itself (one pass, from the end),
 * which must fit. */
bool hist_merge_fits(const struct hist *dst, const struct hist *src);
void hist_merge_linear(struct hist *dst, const struct hist *src);

#endif
