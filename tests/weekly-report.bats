#!/usr/bin/env bats
# The report's window, its statistics beyond the seed, and the merge of
# the extended AgentStats state.

load test_helper

REF="$DATA/reference"

join_dir() {
	d=$1
	shift
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$@" "$d/agent_invocations.jsonl"
}

@test "group-by-agent --merge of shards equals one run byte for byte (extended state)" {
	d="$REF/larger/append"
	join_dir "$d" | oak-group-by-agent >one
	for k in 1 2 3; do
		join_dir "$d" --shard "$k/3" | oak-group-by-agent >"part$k"
	done
	oak-group-by-agent --merge part1 part2 part3 >merged
	run -0 cmp one merged
	oak-group-by-agent --merge part3 part1 part2 >merged2
	run -0 cmp one merged2
	# and a merge of merges
	oak-group-by-agent --merge part2 part3 >p23
	oak-group-by-agent --merge p23 part1 >merged3
	run -0 cmp one merged3
	run -0 jq -e 'select(.state.duration_hist | length > 0) | .state.days | length > 1' one
}

@test "join: --week selects the ISO week, --week last the last complete one, --previous the one before" {
	d="$REF/larger/append"
	join_dir "$d" --since 2025-10-13 --until 2025-10-20 >a
	join_dir "$d" --week 2025-W42 >b
	join_dir "$d" --week last >c
	run -0 cmp a b
	run -0 cmp a c
	join_dir "$d" --week 2025-W43 --previous >e
	run -0 cmp a e
	run -0 jq -rs 'map(.timestamp) | (min >= "2025-10-13") and (max < "2025-10-20")' a
	assert_output true
	# offsets compare as instants: 00:00+02:00 is 22:00Z the day before
	join_dir "$d" --since 2025-10-13T00:00:00+02:00 --until 2025-10-19T22:00:00-02:00 >f
	join_dir "$d" >all
	run -0 jq -rs 'length' f
	n=$output
	run -0 jq -rs 'map(select(.timestamp >= "2025-10-12T22:00:00Z" and .timestamp < "2025-10-20T00:00:00Z")) | length' all
	assert_equal "$n" "$output"
	run -2 --separate-stderr oak-join-by-invocation --week 2025-W53 /dev/null
	[[ $stderr == *--week* ]]
	run -2 --separate-stderr oak-join-by-invocation --week last --since 2025-10-01 /dev/null
	run -2 --separate-stderr oak-join-by-invocation --previous /dev/null
}
