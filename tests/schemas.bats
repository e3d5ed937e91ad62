#!/usr/bin/env bats
# Every program's output is valid against the schema of its record kind
# (schemas/ is the single source of truth), on every reference scenario,
# both forms, and on the sample telemetry.

load test_helper

dirs() {
	for s in basic ties unicode larger empty; do
		echo "$DATA/reference/$s/reference"
		echo "$DATA/reference/$s/append"
	done
	echo "$TOP/examples/telemetry"
	echo "$TOP/examples/telemetry-reference"
}

@test "join writes JoinedInvocations, group-by and rank AgentStats, render PerformanceStats" {
	for d in $(dirs); do
		oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
			--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" >joined
		run -0 oak-validate -q --kind joined joined
		oak-group-by-agent joined >stats
		run -0 oak-validate -q --kind agent-stats stats
		oak-rank stats >ranked
		run -0 oak-validate -q --kind agent-stats ranked
		oak-group-by-agent --merge stats >merged
		run -0 oak-validate -q --kind agent-stats merged
		oak-render-report --format json ranked | jq -c . >perf
		run -0 oak-validate -q --kind performance-stats perf
	done
}

@test "the schemas refuse what the programs never write" {
	d="$DATA/reference/basic/append"
	oak-join-by-invocation --metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" |
		oak-group-by-agent | head -1 >stats
	jq -c 'del(.state)' stats >no-state
	run -1 --separate-stderr oak-validate --kind agent-stats no-state
	assert_equal "$stderr" 'oak-validate: no-state:1: missing required property "state" (required)
oak-validate: 1 line rejected'
	jq -c '.state.task_types[0][1] = -1' stats >negative
	run -1 --separate-stderr oak-validate --kind agent-stats negative
	assert_equal "${stderr_lines[0]}" 'oak-validate: negative:1: /state/task_types/0/1: -1 is less than the minimum of 0 (minimum)'
}
