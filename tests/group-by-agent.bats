#!/usr/bin/env bats
# oak-group-by-agent: AgentStats from JoinedInvocations, and --merge.

load test_helper

joined() {   # the larger scenario, joined
	d="$DATA/reference/larger/append"
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl"
}

@test "AgentStats of a small input, state and seed fields" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T10:00:00+02:00", "invocation_id": "1", "agent_name": "a", "duration_seconds": 10.5, "state_features": {"task": {"type": "bug_fix"}}, "outcome": {"status": "success"}, "success_metric": {"quality_rating": 4}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "b", "duration_seconds": 0, "outcome": {"status": "failure", "error_message": "boom"}}
{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "3", "agent_name": "a", "duration_seconds": null, "state_features": {"task": {"type": "testing"}}, "outcome": {"status": "failure", "error_message": "x\ny"}, "success_metric": {"quality_rating": 1}}
{"timestamp": "2025-10-13T11:00:00Z", "invocation_id": "4", "agent_name": "a", "state_features": {"task": {"type": "testing"}}}
J
	run -0 oak-group-by-agent in.jsonl
	assert_output - <<'J'
{"agent_name": "a", "invocation_count": 3, "success_rate": 0.5, "average_quality": 2.5, "average_duration_seconds": 10.5, "common_task_types": ["testing", "bug_fix"], "common_failures": ["x\ny"], "recommended_for": [], "success_rate_ci95": [0.095, 0.905], "decided_count": 2, "rated_count": 2, "duration_p50": 10.45, "duration_p90": 10.45, "duration_p99": 10.45, "would_use_again_rate": null, "would_use_again_count": 0, "alternatives_suggested": [], "tokens_count": 0, "tokens_total": 0, "tokens_median": null, "state": {"first_seq": 1, "successes": 1, "failures": 1, "partials": 0, "unknowns": 1, "duration_count": 1, "duration_sum_micro": 10500000, "quality_count": 2, "quality_sum_micro": 5000000, "task_types": [["bug_fix", 1, 1], ["testing", 2, 3]], "failure_messages": [["x\ny", 1, 3]], "first_timestamp": "2025-10-13T10:00:00+02:00", "last_timestamp": "2025-10-13T11:00:00Z", "duration_hist": [[119, 1]], "would_use_again_yes": 0, "would_use_again_no": 0, "alternatives": [], "tokens_count": 0, "tokens_sum": 0, "tokens_hist": [], "task_outcomes": [["bug_fix", 1, 1, 0], ["testing", 2, 0, 1]], "days": [["2025-10-13", 3, 1, 1, 2, 5000000]]}}
{"agent_name": "b", "invocation_count": 1, "success_rate": 0.0, "average_quality": 0.0, "average_duration_seconds": 0.0, "common_task_types": [], "common_failures": ["boom"], "recommended_for": [], "success_rate_ci95": [0.0, 0.793], "decided_count": 1, "rated_count": 0, "duration_p50": null, "duration_p90": null, "duration_p99": null, "would_use_again_rate": null, "would_use_again_count": 0, "alternatives_suggested": [], "tokens_count": 0, "tokens_total": 0, "tokens_median": null, "state": {"first_seq": 2, "successes": 0, "failures": 1, "partials": 0, "unknowns": 0, "duration_count": 0, "duration_sum_micro": 0, "quality_count": 0, "quality_sum_micro": 0, "task_types": [], "failure_messages": [["boom", 1, 2]], "first_timestamp": "2025-10-13T07:00:00Z", "last_timestamp": "2025-10-13T07:00:00Z", "duration_hist": [], "would_use_again_yes": 0, "would_use_again_no": 0, "alternatives": [], "tokens_count": 0, "tokens_sum": 0, "tokens_hist": [], "task_outcomes": [], "days": [["2025-10-13", 1, 0, 1, 0, 0]]}}
J
}

@test "--merge of shards, in any order, is byte for byte one run over the whole" {
	joined >all.jsonl
	oak-group-by-agent all.jsonl >whole
	split -n l/3 all.jsonl part.
	for p in part.*; do oak-group-by-agent "$p" >"$p.stats"; done
	run -0 sh -c 'cat part.*.stats | oak-group-by-agent --merge'
	assert_output "$(cat whole)"
	run -0 sh -c 'cat part.ac.stats part.aa.stats part.ab.stats | oak-group-by-agent --merge'
	assert_output "$(cat whole)"
}

@test "--shard jobs merge into the same bytes" {
	d="$DATA/reference/larger/append"
	joined | oak-group-by-agent >whole
	for k in 1 2 3 4; do
		oak-join-by-invocation --shard "$k/4" --updates "$d/invocation_updates.jsonl" \
			--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" |
			oak-group-by-agent >"shard$k"
	done
	run -0 oak-group-by-agent --merge shard4 shard2 shard3 shard1
	assert_output "$(cat whole)"
}

@test "merged AgentStats merge again (idempotent form)" {
	joined | oak-group-by-agent >whole
	run -0 oak-group-by-agent --merge whole
	assert_output "$(cat whole)"
}

@test "bad lines are reported, skipped, and give exit 1" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "success_metric": {"quality_rating": "4"}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "a", "invocation_seq": -1}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "3", "agent_name": "a", "outcome": "done"}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "4", "agent_name": "a", "duration_seconds": 1e300}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "5", "agent_name": "a"}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "6", "agent_name": "z", "success_metric": 5}
J
	run -1 --separate-stderr oak-group-by-agent in.jsonl
	assert_equal "$(jq -c '[.agent_name, .invocation_count]' <<<"$output")" '["a",1]'
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:1: "success_metric.quality_rating" is not a number
oak-group-by-agent: in.jsonl:2: "invocation_seq" is not a positive integer
oak-group-by-agent: in.jsonl:3: "outcome" is not an object
oak-group-by-agent: in.jsonl:4: "duration_seconds" is out of range
oak-group-by-agent: in.jsonl:6: "success_metric" is not an object
oak-group-by-agent: 5 lines rejected'
}

@test "--merge refuses what is not AgentStats" {
	printf '%s\n' '{"agent_name": "a"}' '{"agent_name": "a", "invocation_count": 1, "state": {}}' >in.jsonl
	run -1 --separate-stderr oak-group-by-agent --merge in.jsonl
	assert_output ''
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:1: missing "state" (not AgentStats from oak-group-by-agent?)
oak-group-by-agent: in.jsonl:2: "state.first_seq" is not a non-negative integer
oak-group-by-agent: 2 lines rejected'
}

@test "no input, no output; usage errors exit 2" {
	run -0 oak-group-by-agent </dev/null
	assert_output ''
	run -2 oak-group-by-agent --nope
}

@test "a negative duration is averaged as the seed does, and its state still merges and ranks" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "duration_seconds": -5}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "a", "duration_seconds": 1}
J
	oak-group-by-agent in.jsonl >stats
	run -0 sh -c 'oak-group-by-agent --merge stats | oak-rank | jq -c "[.average_duration_seconds, .state.duration_sum_micro]"'
	assert_output '[-2,-4000000]'
}

# AgentStats NAME with invocation_count N and the state fields given;
# the seed's other counts are 0 and its lists empty.
stats_line() {   # NAME N STATE-FIELDS
	local state=$3 kv
	for kv in first_seq:1 successes:0 failures:0 partials:0 unknowns:0 \
	    duration_count:0 duration_sum_micro:0 quality_count:0 \
	    quality_sum_micro:0 'task_types:[]' 'failure_messages:[]'; do
		case $state in *"\"${kv%%:*}\":"*) continue ;; esac
		state="${state:+$state, }\"${kv%%:*}\": ${kv#*:}"
	done
	printf '{"agent_name": "%s", "invocation_count": %s, "state": {%s}}\n' \
		"$1" "$2" "$state"
}

@test "--merge: a sum past 2^63-1 is a bad line, and no wrong number is written" {
	max=9223372036854775807   # 2^63-1, the largest int64
	{
		stats_line a $max "\"successes\": $max"
		stats_line a $max "\"successes\": $max"
		stats_line b 1 '"task_types": [["x", 9223372036854775807, 1]]'
		stats_line b 1 '"task_types": [["x", 1, 2]]'
		stats_line c 1 "\"quality_count\": 1, \"quality_sum_micro\": $max"
		stats_line c 1 '"quality_count": 1, "quality_sum_micro": 1'
		stats_line d 1 '"duration_sum_micro": -9223372036854775808'
		stats_line d 1 '"duration_sum_micro": -1'
		stats_line e 1 '"days": [["2025-10-13", 1, 0, 0, 0, 9223372036854775807]]'
		stats_line e 1 '"days": [["2025-10-13", 1, 0, 0, 0, 1]]'
		# within one record
		stats_line f 1 '"task_types": [["x", 9223372036854775807, 1], ["x", 1, 2]]'
		stats_line g 3 '"duration_count": 3, "duration_hist": [[5, 9223372036854775807], [4, 1]]'
		stats_line h $max "\"unknowns\": $max, \"duration_count\": $max, \"duration_hist\": [[5, $max]]"
		stats_line h $max ''
	} >in.jsonl
	run -1 --separate-stderr oak-group-by-agent --merge in.jsonl
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:2: sum of "state.successes" out of range
oak-group-by-agent: in.jsonl:4: sum of "state.task_types" out of range
oak-group-by-agent: in.jsonl:6: sum of "state.quality_sum_micro" out of range
oak-group-by-agent: in.jsonl:8: sum of "state.duration_sum_micro" out of range
oak-group-by-agent: in.jsonl:10: sum of "state.days" out of range
oak-group-by-agent: in.jsonl:11: sum of "state.task_types" out of range
oak-group-by-agent: in.jsonl:12: sum of "state.duration_hist" out of range
oak-group-by-agent: in.jsonl:14: sum of "invocation_count" out of range
oak-group-by-agent: 8 lines rejected'
	# each agent is its first line alone, as a merge of that line writes it
	oak-group-by-agent --merge <(sed -n '1p;3p;5p;7p;9p;13p' in.jsonl) >alone
	assert_output "$(cat alone)"
	# (jq 1.6 reads numbers as doubles: the large ones are checked as text)
	assert_output --partial '{"agent_name": "a", "invocation_count": 9223372036854775807,'
	assert_output --partial '"first_seq": 1, "successes": 9223372036854775807, "failures": 0,'
	assert_output --partial '"task_types": [["x", 9223372036854775807, 1]]'
	assert_output --partial '"quality_count": 1, "quality_sum_micro": 9223372036854775807,'
	assert_output --partial '"duration_sum_micro": -9223372036854775808,'
	assert_output --partial '"days": [["2025-10-13", 1, 0, 0, 0, 9223372036854775807]]'
	assert_output --partial '"duration_count": 9223372036854775807, "duration_sum_micro": 0,'
	assert_output --partial '"duration_hist": [[5, 9223372036854775807]],'
	assert_equal "$(jq -r .agent_name alone | paste -sd ' ')" 'a b c d e h'
}

@test "--merge rejects a record whose counts contradict one another" {
	{
		stats_line a 2 '"successes": 2, "failures": 1'
		stats_line a 1 '"quality_count": 2, "quality_sum_micro": 8000000'
		stats_line a 1 '"duration_count": 1, "duration_sum_micro": 3000000, "duration_hist": [[56, 2]]'
		stats_line a 2 '"tokens_count": 2, "tokens_sum": 10, "tokens_hist": [[82, 1]]'
		stats_line a 1 '"tokens_count": 2, "tokens_sum": 10, "tokens_hist": [[82, 2]]'
		stats_line a 2 '"successes": 1, "failures": 1, "quality_count": 2, "quality_sum_micro": 8000000, "duration_count": 1, "duration_sum_micro": -3000000, "tokens_count": 1, "tokens_sum": 10, "tokens_hist": [[117, 1]]'
	} >in.jsonl
	run -1 --separate-stderr oak-group-by-agent --merge in.jsonl
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:1: "state.successes" and "state.failures" add up to more than "invocation_count"
oak-group-by-agent: in.jsonl:2: "state.quality_count" is more than "invocation_count"
oak-group-by-agent: in.jsonl:3: "state.duration_hist" counts more than "state.duration_count"
oak-group-by-agent: in.jsonl:4: "state.tokens_hist" does not count "state.tokens_count"
oak-group-by-agent: in.jsonl:5: a count of "state" is more than "invocation_count"
oak-group-by-agent: 5 lines rejected'
	assert_output --partial '{"agent_name": "a", "invocation_count": 2, "success_rate": 0.5, "average_quality": 4.0, "average_duration_seconds": -3.0,'
	assert_output --partial '"tokens_count": 1, "tokens_total": 10,'
}

@test "grouping: a sum past the range is a bad line, counted nowhere" {
	# 999999999999 s is 999999999999000000 millionths (json_micro takes
	# 18 digits); nine of them fit in 2^63-1 (9.22e18), ten do not
	for i in 1 2 3 4 5 6 7 8 9; do
		printf '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "%s", "agent_name": "a", "duration_seconds": 999999999999, "success_metric": {"quality_rating": 999999999999}}\n' $i
	done >in.jsonl
	cat >>in.jsonl <<'J'
{"timestamp": "2025-10-14T07:00:00Z", "invocation_id": "10", "agent_name": "a", "duration_seconds": 999999999999, "state_features": {"task": {"type": "t"}}}
{"timestamp": "2025-10-14T07:00:00Z", "invocation_id": "11", "agent_name": "a", "success_metric": {"quality_rating": 999999999999}}
{"timestamp": "2025-10-15T07:00:00Z", "invocation_id": "12", "agent_name": "a", "duration_seconds": 1}
J
	run -1 --separate-stderr oak-group-by-agent in.jsonl
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:10: sum of "state.duration_sum_micro" out of range
oak-group-by-agent: in.jsonl:11: sum of "state.quality_sum_micro" out of range
oak-group-by-agent: 2 lines rejected'
	assert_output --partial '{"agent_name": "a", "invocation_count": 10,'
	assert_output --partial '"duration_count": 10, "duration_sum_micro": 8999999999992000000, "quality_count": 9, "quality_sum_micro": 8999999999991000000, "task_types": [],'
	assert_output --partial '"days": [["2025-10-13", 9, 0, 0, 9, 8999999999991000000], ["2025-10-15", 1, 0, 0, 0, 0]]}}'
}

# CPU seconds (user + system, whole) that "$@" takes, its output in out:
# unlike wall time, not stretched by other jobs on a shared machine.
cpu_secs() {
	local TIMEFORMAT='%U %S'
	{ time "$@" >out; } 2>cpu
	awk 'END { printf "%d\n", $1 + $2 }' cpu
}

@test "--merge is linear: 300 000 task types in one record (19 MB)" {
	# It took 137 s when closing each bracket rescanned the line's
	# tokens; about 1 s now, a bound of 30 s leaves room for ASan.
	awk 'BEGIN {
		n = 300000
		printf "{\"agent_name\": \"a\", \"invocation_count\": %d, \"state\": {\"first_seq\": 1, \"successes\": %d, \"failures\": 0, \"partials\": 0, \"unknowns\": 0, \"duration_count\": 0, \"duration_sum_micro\": 0, \"quality_count\": 0, \"quality_sum_micro\": 0, \"task_types\": [", n, n
		for (i = 0; i < n; i++) printf "%s[\"task_%d\", 1, %d]", i ? ", " : "", i, i + 1
		printf "], \"failure_messages\": [], \"task_outcomes\": ["
		for (i = 0; i < n; i++) printf "%s[\"task_%d\", 1, 1, 0]", i ? ", " : "", i
		printf "]}}\n"
	}' >big.jsonl
	secs=$(cpu_secs oak-group-by-agent --merge big.jsonl big.jsonl)
	echo "# merged in $secs s of CPU" >&3
	[ "$secs" -lt 30 ]
	run -0 jq -c '[.invocation_count, (.state.task_types | length), .state.task_types[299999], .state.task_outcomes[0], .common_task_types]' out
	assert_output '[600000,300000,["task_299999",2,300000],["task_0",2,2,0],["task_0","task_1","task_2"]]'
}

@test "--merge is linear: 2 million histogram buckets in any order in one record (25 MB)" {
	# Over 10 minutes when each bucket was inserted in place, about 1 s
	# now (30 s with room for ASan); keys repeat
	# (there are 200 001 of them, HIST_KEY_LIMIT), so the record counts
	# each key about ten times.
	awk 'BEGIN {
		n = 2000000; srand(1)
		printf "{\"agent_name\": \"a\", \"invocation_count\": %d, \"state\": {\"first_seq\": 1, \"successes\": 0, \"failures\": 0, \"partials\": 0, \"unknowns\": %d, \"duration_count\": %d, \"duration_sum_micro\": %d, \"quality_count\": 0, \"quality_sum_micro\": 0, \"task_types\": [], \"failure_messages\": [], \"duration_hist\": [", n, n, n, n
		for (i = 0; i < n; i++) printf "%s[%d, 1]", i ? ", " : "", int(rand() * 200001) - 100000
		printf "]}}\n"
	}' >big.jsonl
	secs=$(cpu_secs oak-group-by-agent --merge big.jsonl)
	echo "# merged in $secs s of CPU" >&3
	[ "$secs" -lt 30 ]
	# the buckets come out sorted, each key once, counting all 2 million
	run -0 jq -r '.state.duration_hist | [length, (map(.[1]) | add), (map(.[0]) | . == unique)] | @tsv' out
	assert_output "$(printf '%s\t2000000\ttrue' "$(jq -r '[.state.duration_hist[][0]] | unique | length' big.jsonl)")"
}

# Issue 14 point 5: a number that does not fit (oak-telemetry(5),
# NUMBERS) is a bad line, reported, counted nowhere, exit 1. The limits
# are IEEE 754 binary64's: DBL_MAX 1.7976931348623157e308, DBL_MIN (the
# smallest normal) 2.2250738585072014e-308; int64 ends at 2^63-1.
# rating_line N RATING: invocation N of agent a rated RATING.
rating_line() {
	printf '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "%s", "agent_name": "a", "success_metric": {"quality_rating": %s}}\n' "$1" "$2"
}

# rated_only RATING: the one bad line of in.jsonl rejected with reason
# "$2", the good rating 4 of line 1 the only one counted.
rated_only() {
	{ rating_line 1 4; rating_line 2 "$1"; } >in.jsonl
	run -1 --separate-stderr oak-group-by-agent in.jsonl
	assert_equal "$stderr" "oak-group-by-agent: in.jsonl:2: $2
oak-group-by-agent: 1 line rejected"
	assert_equal "$(jq -c '[.invocation_count, .rated_count, .average_quality]' <<<"$output")" '[1,1,4]'
}

@test "numbers: a quality_rating of 1e400 (past DBL_MAX) is out of range" {
	rated_only 1e400 '"success_metric.quality_rating" is out of range'
}

@test "numbers: a 30-digit integer quality_rating (past int64 millionths) is out of range" {
	rated_only 123456789012345678901234567890 \
		'"success_metric.quality_rating" is out of range'
}

@test "numbers: a quality_rating of -1e309 (past -DBL_MAX) is out of range" {
	rated_only -1e309 '"success_metric.quality_rating" is out of range'
}

@test "numbers: a quality_rating of 1E-400 (below DBL_MIN, not 0) is out of range" {
	rated_only 1E-400 '"success_metric.quality_rating" is out of range'
}

@test "numbers: a quality_rating of -0 is a rating of 0, 0e-400 too" {
	{ rating_line 1 4; rating_line 2 -0; rating_line 3 0e-400; } >in.jsonl
	run -0 --separate-stderr oak-group-by-agent in.jsonl
	assert_equal "$stderr" ''
	assert_equal "$(jq -c '[.invocation_count, .rated_count, .average_quality, .state.quality_sum_micro]' <<<"$output")" '[3,3,1.33,4000000]'
}

@test "numbers: duration_seconds and total_tokens follow the same rule" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "duration_seconds": 2, "metadata": {"total_tokens": 9223372036854775807}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "a", "duration_seconds": 1E-400}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "3", "agent_name": "a", "duration_seconds": -1e309}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "4", "agent_name": "a", "metadata": {"total_tokens": 9223372036854775808}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "5", "agent_name": "a", "metadata": {"totalTokens": 1e400}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "6", "agent_name": "a", "duration_seconds": -0, "metadata": {"total_tokens": 1.5}}
J
	run -1 --separate-stderr oak-group-by-agent in.jsonl
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:2: "duration_seconds" is out of range
oak-group-by-agent: in.jsonl:3: "duration_seconds" is out of range
oak-group-by-agent: in.jsonl:4: "metadata.total_tokens" is out of range
oak-group-by-agent: in.jsonl:5: "metadata.totalTokens" is out of range
oak-group-by-agent: 4 lines rejected'
	assert_output --partial '"invocation_count": 2,'
	assert_output --partial '"duration_count": 1, "duration_sum_micro": 2000000,'
	assert_output --partial '"tokens_count": 1, "tokens_sum": 9223372036854775807,'
}
