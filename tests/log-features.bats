#!/usr/bin/env bats
# State features inferred by oak-log (start --features auto, and always
# in hook): task type and scope by the rule of oak-telemetry(5), the
# caller's keys kept; the codebase and context of the working directory,
# on repositories built here in a temporary folder, and their cache.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	unset OAK_SESSION_ID OAK_WORKFLOW_ID OAK_PARENT_INVOCATION_ID
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
}

# The state_features of the last invocation logged in ./telemetry.
last_features() {
	tail -n 1 telemetry/agent_invocations.jsonl | jq -c .state_features
}

# A PreToolUse event of the Agent tool: description, prompt, subagent
# type (empty: none) and cwd.
agent_event() {
	jq -nc --arg d "$1" --arg p "$2" --arg s "$3" --arg c "$4" '{
		session_id: "s1", cwd: $c, hook_event_name: "PreToolUse",
		tool_name: "Agent", tool_use_id: ("toolu_" + $d),
		tool_input: ({description: $d, prompt: $p} +
			(if $s == "" then {} else {subagent_type: $s} end))}'
}

@test "start --features auto: the task type inferred from --task" {
	run -0 oak-log start --agent a --type development \
		--task "Fix the crash on login" --features auto
	run -0 last_features
	assert_output '{"task":{"type":"bug_fix","type_source":"inferred"}}'
}

@test "start --features auto: no word of the rule, no type (never a guess)" {
	oak-log start --agent a --type development --task "Run the migration" \
		--features auto
	run -0 last_features
	assert_output '{}'
}

@test "start: given keys are kept, missing ones added, type_source given" {
	oak-log start --agent a --type development --task "Fix the crash" \
		--features '{"task": {"type": "testing", "risk_level": "low"}, "x": [1, 2.50]}' \
		--features auto
	run -0 last_features
	assert_output '{"task":{"type":"testing","risk_level":"low","type_source":"given"},"x":[1,2.5]}'
	# a given type_source stays too; auto may come first
	oak-log start --agent a --type development --task "Fix the crash" \
		--features auto --features '{"task": {"type_source": "human"}}'
	run -0 last_features
	assert_output '{"task":{"type_source":"human","type":"bug_fix"}}'
}

@test "start without --features auto infers nothing, as before" {
	oak-log start --agent a --type development --task "Fix the crash" \
		--features '{"task": {"scope": "small"}}'
	run -0 last_features
	assert_output '{"task":{"scope":"small"}}'
	oak-log start --agent a --type development --task "Fix the crash"
	run -0 last_features
	assert_output '{}'
}

@test "start --features: a bad object is still refused, auto or not" {
	run -2 --separate-stderr oak-log start --agent a --type development \
		--task "Fix" --features auto --features '{"task": {"type": "x"}}'
	assert_output ''
	assert_equal "$stderr" 'oak-log: start: /state_features/task/type: "x" is not one of the allowed values (enum): nothing logged'
	[ ! -e telemetry/agent_invocations.jsonl ]
}

@test "hook: type from the description, else from the prompt; subagent_type" {
	agent_event "Refactor the cart reducer" "Fix it too" frontend-developer /nonexistent |
		oak-log hook
	run -0 last_features
	assert_output '{"task":{"type":"refactoring","type_source":"inferred","scope":"small","subagent_type":"frontend-developer"}}'
	agent_event "Cart work" "Please write unit tests for the reducer" "" /nonexistent |
		oak-log hook
	run -0 last_features
	assert_output '{"task":{"type":"testing","type_source":"inferred","scope":"small"}}'
	agent_event "Cart work" "" "" /nonexistent | oak-log hook
	run -0 last_features
	assert_output '{}'
}

@test "hook: scope from the prompt's words and paths (thresholds of oak-telemetry(5))" {
	# 79 words: small; 80: medium; 400: large
	words() { printf 'w%.0s ' $(seq "$1"); }
	agent_event "x" "$(words 79)" "" /nonexistent | oak-log hook
	agent_event "y" "$(words 80)" "" /nonexistent | oak-log hook
	agent_event "z" "$(words 399)" "" /nonexistent | oak-log hook
	agent_event "v" "$(words 400)" "" /nonexistent | oak-log hook
	# 2 paths: small; 3: medium; 8: large (URLs and versions are not paths)
	agent_event "p" "Edit src/a.c and lib/b.go, see https://x.org/a/b v2.4" "" /nonexistent | oak-log hook
	agent_event "q" "Edit src/a.c, lib/b.go and README.md." "" /nonexistent | oak-log hook
	agent_event "r" "a/1 b/2 c/3 d/4 e/5 f/6 g/7 h/8" "" /nonexistent | oak-log hook
	run -0 jq -r .state_features.task.scope telemetry/agent_invocations.jsonl
	assert_output "$(printf '%s\n' small medium medium large small medium large)"
}
