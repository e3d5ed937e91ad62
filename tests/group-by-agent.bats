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
