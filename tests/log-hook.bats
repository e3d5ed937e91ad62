#!/usr/bin/env bats
# oak-log hook: recorded Claude Code hook payloads (tests/data/hooks/)
# replayed into a telemetry directory. The hook exits 0 whatever happens
# and never writes on stdout.

bats_require_minimum_version 1.5.0
load test_helper

HOOKS="$DATA/hooks"

setup_file() {
	unset OAK_SESSION_ID OAK_WORKFLOW_ID OAK_PARENT_INVOCATION_ID
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
}

# Replays the named payloads in order; each must exit 0 with no stdout
# and no stderr.
replay() {
	local name
	for name in "$@"; do
		run -0 --separate-stderr oak-log hook <"$HOOKS/$name.json"
		assert_output ''
		[ -z "$stderr" ] || { echo "$name: $stderr"; return 1; }
	done
}

@test "a session of calls replays into the expected records" {
	replay agent-pre agent-stop agent-post task-pre task-post \
		failure-pre failure-post interrupt-pre interrupt-post \
		background-pre background-post nested-pre bash-pre bash-post \
		prompt-submit
	SOURCE_DATE_EPOCH=1760943642 replay background-stop
	diff -u "$HOOKS/expected/agent_invocations.jsonl" telemetry/agent_invocations.jsonl
	diff -u "$HOOKS/expected/invocation_updates.jsonl" telemetry/invocation_updates.jsonl
	[ ! -e telemetry/success_metrics.jsonl ]
}

@test "the invocation id is the v5 uuid of tool_use_id under the namespace" {
	replay agent-pre
	# python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID(
	#   "58b9f696-3cba-408d-a249-a727ff27d37b"), "toolu_01HX4bT8dJqVvW2nR5sYcKpE"))'
	run -0 jq -r .invocation_id telemetry/agent_invocations.jsonl
	assert_output cf00f97d-7a1c-54ee-9a4d-5846a752a4fe
	# and oak-log end / feedback accept it
	oak-log end cf00f97d-7a1c-54ee-9a4d-5846a752a4fe --tools Edit
	oak-log feedback cf00f97d-7a1c-54ee-9a4d-5846a752a4fe --success --quality 5
}

@test "a foreground call: PostToolUse ends it with duration, counts and tokens" {
	replay agent-pre agent-post
	run -0 jq -c '[.duration_seconds, .outcome, .metadata.agent_id, .metadata.total_tool_use_count, .metadata.reported_total_tokens, .metadata.usage.output_tokens]' telemetry/invocation_updates.jsonl
	assert_output '[48.377,{"status":"success"},"a3f9c2e1d4b5a6c7",12,18342,1308]'
}

@test "the old tool name Task is accepted; no subagent_type is general-purpose" {
	replay task-pre task-post
	run -0 jq -c '[.agent_name, .task_description]' telemetry/agent_invocations.jsonl
	assert_output '["general-purpose","Find where sessions expire"]'
	run -0 jq -c '[.duration_seconds, .outcome.status]' telemetry/invocation_updates.jsonl
	assert_output '[15.25,"success"]'
}

@test "PostToolUseFailure: failure with the error; interrupted: partial" {
	replay failure-pre failure-post interrupt-pre interrupt-post
	run -0 jq -c '.outcome' telemetry/invocation_updates.jsonl
	assert_line --index 0 '{"status":"failure","error_message":"Agent failed: Permission denied writing config/db.yml"}'
	assert_line --index 1 '{"status":"partial","error_message":"[Request interrupted by user for tool use]"}'
}

@test "a background call: launch records the agent_id, SubagentStop ends it" {
	replay background-pre background-post
	run -0 cat telemetry/invocation_updates.jsonl
	assert_output '{"timestamp": "2025-10-20T07:00:00Z", "invocation_id": "93a63dca-658c-54b0-a20c-786d39f8973e", "metadata": {"agent_id": "b71d04c9e2f3a5b6"}}'
	SOURCE_DATE_EPOCH=$((SOURCE_DATE_EPOCH + 95)) replay background-stop
	run -0 tail -n 1 telemetry/invocation_updates.jsonl
	assert_output '{"timestamp": "2025-10-20T07:01:35Z", "invocation_id": "93a63dca-658c-54b0-a20c-786d39f8973e", "duration_seconds": 95.0, "outcome": {"status": "success"}, "metadata": {"agent_id": "b71d04c9e2f3a5b6"}}'
	# a repeated SubagentStop finds the call ended: nothing more
	replay background-stop
	[ "$(wc -l <telemetry/invocation_updates.jsonl)" -eq 2 ]
}

@test "a background call's end is found behind many later updates" {
	replay background-pre background-post
	id=93a63dca-658c-54b0-a20c-786d39f8973e
	for i in $(seq 2000); do
		printf '{"timestamp": "2025-10-20T07:00:00Z", "invocation_id": "x-%d", "metadata": {"agent_id": "other-%d"}}\n' "$i" "$i"
	done >>telemetry/invocation_updates.jsonl
	replay background-stop
	run -0 tail -n 1 telemetry/invocation_updates.jsonl
	assert_output --partial "\"invocation_id\": \"$id\", \"duration_seconds\": 0.0, \"outcome\": {\"status\": \"success\"}"
}

@test "SubagentStop of a foreground call (before its PostToolUse) writes nothing" {
	replay agent-pre agent-stop
	[ ! -e telemetry/invocation_updates.jsonl ]
	replay agent-post agent-stop
	[ "$(wc -l <telemetry/invocation_updates.jsonl)" -eq 1 ]
}

@test "two parallel calls of the same agent stay apart" {
	oak-log hook <"$HOOKS/parallel1-pre.json" &
	oak-log hook <"$HOOKS/parallel2-pre.json" &
	wait
	oak-log hook <"$HOOKS/parallel2-post.json" &
	oak-log hook <"$HOOKS/parallel1-post.json" &
	wait
	run -0 jq -r '[.invocation_id, .agent_name, .task_description] | @tsv' telemetry/agent_invocations.jsonl
	[ "${#lines[@]}" -eq 2 ]
	run -0 jq -rs 'map(.invocation_id) | unique | length' telemetry/agent_invocations.jsonl
	assert_output 2
	# each end carries its own call's agent and counts
	run -0 jq -rs --slurpfile inv telemetry/agent_invocations.jsonl '
		map(. as $u | ($inv[] | select(.invocation_id == $u.invocation_id)
		  | .task_description) + " " + $u.metadata.agent_id + " " +
		  ($u.duration_seconds | tostring)) | sort | .[]' telemetry/invocation_updates.jsonl
	assert_line --index 0 'Review src/cart c1d2e3f4a5b6c7d8 31.111'
	assert_line --index 1 'Review src/checkout d9e8f7a6b5c4d3e2 32.222'
}

@test "other tools and events: exit 0, nothing written" {
	replay bash-pre bash-post prompt-submit
	[ ! -e telemetry ]
}

@test "a call made inside a subagent records its caller" {
	OAK_WORKFLOW_ID=wf-7 replay nested-pre
	run -0 jq -c '.metadata' telemetry/agent_invocations.jsonl
	assert_output '{"tool_use_id":"toolu_01Ns3Ww9Ee2Rr7Tt4Yy1Uu6I","parent_agent_id":"a3f9c2e1d4b5a6c7","parent_agent_type":"frontend-developer","workflow_id":"wf-7"}'
}

# Runs the hook on stdin; it must exit 0, print nothing and warn.
warns() {
	run -0 --separate-stderr oak-log hook "$@"
	assert_output ''
	[[ $stderr == oak-log:* ]]
}

@test "bad events never fail the hook: exit 0, no stdout, a warning" {
	warns <<<'{'
	warns <<<'[1]'
	warns </dev/null
	warns <<<'{"hook_event_name": "PreToolUse", "tool_name": "Agent"}'
	warns <<<'{"hook_event_name": "SubagentStop"}'
	warns <"$HOOKS/agent-post.json"        # no start logged
	warns <"$HOOKS/failure-post.json"
	warns extra <"$HOOKS/bash-pre.json"
	[ ! -e telemetry/invocation_updates.jsonl ]
	touch plain
	warns --dir plain/sub <"$HOOKS/agent-pre.json"
	run -0 --separate-stderr oak-log hook --bogus <"$HOOKS/agent-pre.json"
	assert_output ''
}

@test "examples/claude-settings.json installs the hook for the four events" {
	settings="$TOP/examples/claude-settings.json"
	run -0 jq -r '.hooks | to_entries[] | .key + " " + (.value[0].matcher // "") + " " + .value[0].hooks[0].command' "$settings"
	assert_line 'PreToolUse Agent|Task oak-log hook'
	assert_line 'PostToolUse Agent|Task oak-log hook'
	assert_line 'PostToolUseFailure Agent|Task oak-log hook'
	assert_line 'SubagentStop  oak-log hook'
	[ "${#lines[@]}" -eq 4 ]
}

@test "every record oak-log writes passes oak-validate for its kind" {
	[ -x "$OAK_BIN/oak-validate" ] || skip "oak-validate is not built yet"
	replay agent-pre agent-stop agent-post task-pre task-post \
		failure-pre failure-post interrupt-pre interrupt-post \
		background-pre background-post nested-pre background-stop
	id=$(oak-log start --agent a --type meta --task t --parent p \
		--features '{"task":{"type":"bug_fix","scope":"small","risk_level":"low"},"codebase":{"languages":["C"],"frameworks":[],"loc":10,"file_count":2},"context":{"tests_exist":true},"historical":{"similar_tasks_count":1,"similar_tasks_success_rate":0.5,"agent_previous_uses":3}}' \
		--metadata '{"x":[1]}')
	oak-log end "$id" --duration 3 --status failure --error e \
		--files-modified a --files-created b --tools T --tests-failed \
		--build-succeeded --metadata '{"k":{"a":null}}'
	oak-log feedback "$id" --failure --quality 1 --source linter --notes n \
		--would-not-use-again --alternative z
	oak-log feedback "$id" --success --quality 5
	run -0 oak-validate --kind invocation telemetry/agent_invocations.jsonl
	run -0 oak-validate --kind update telemetry/invocation_updates.jsonl
	run -0 oak-validate --kind metric telemetry/success_metrics.jsonl
}
