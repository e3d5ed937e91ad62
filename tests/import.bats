#!/usr/bin/env bats
# oak-import claude-code: the sample transcripts of tests/data/claude-code
# (v1: Claude Code 1.0.83, sidechain records in the main file; v2:
# 2.1.70, subagents/ folders with a nested call, a background call and a
# workflow) imported into a telemetry directory.

bats_require_minimum_version 1.5.0
load test_helper

CC="$DATA/claude-code"
V1="$CC/v1/projects"
V2="$CC/v2/projects"
V2S=9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b

setup_file() {
	unset OAK_TELEMETRY_DIR CLAUDE_CONFIG_DIR OAK_PRICING
}

# import ARGS...: oak-import claude-code, which must exit 0 and be silent
import() {
	run -0 --separate-stderr oak-import claude-code "$@"
	assert_output ''
	[ -z "$stderr" ] || { echo "stderr: $stderr"; return 1; }
}

lines() { wc -l <"$1" | tr -d ' '; }

@test "both versions import into the expected, valid records" {
	import --dir t "$V1" "$V2"
	diff -u "$CC/expected/agent_invocations.jsonl" t/agent_invocations.jsonl
	diff -u "$CC/expected/invocation_updates.jsonl" t/invocation_updates.jsonl
	oak-validate --kind invocation -q t/agent_invocations.jsonl
	oak-validate --kind update -q t/invocation_updates.jsonl
}

@test "tokens: each (message.id, requestId) once at its largest usage, <synthetic> skipped" {
	import --dir t "$V1"
	# Worked by hand from the v1 sidechain a1b2c3d: req_sc0101 is written
	# three times (output 5, 40, 120: counted once, 120), req_sc0102
	# (6, 300, 500, 5000), req_sc0103 (8, 60, 0, 5500), and a <synthetic>
	# record: input 3+6+8=17, output 120+300+60=480, cache write
	# 4000+500+0=4500, cache read 1000+5000+5500=11500; total 16497.
	# Cost at claude-sonnet-4's prices (3, 15, 3.75, 0.3 USD/Mtok):
	# (17*3 + 480*15 + 4500*3.75 + 11500*0.3) / 1e6 = 0.027576.
	run -0 jq -c 'select(.metadata.agent_id == "a1b2c3d") | .metadata | [.tokens.input, .tokens.output, .tokens.cache_creation, .tokens.cache_read, .total_tokens, .reported_total_tokens, .cost_usd]' t/invocation_updates.jsonl
	assert_output '[17,480,4500,11500,16497,5568,0.027576]'
}

@test "outcomes: success, failure with its text, unknown when interrupted or in the background" {
	import --dir t "$V1" "$V2"
	run -0 jq -r '[.outcome.status, .outcome.error_message // "-", .metadata.tokens_complete] | @tsv' t/invocation_updates.jsonl
	assert_output "$(printf '%s\n' 'success	-	true' \
		'failure	Agent failed: could not run the test suite (EACCES on node_modules/.cache)	true' \
		'unknown	-	false' 'success	-	true' 'success	-	true' \
		'unknown	-	false' 'success	-	true' 'success	-	true')"
}

@test "a nested call's parent is the calling subagent's invocation" {
	import --dir t "$V2"
	run -0 jq -r 'select(.agent_name == "test-runner") | .parent_invocation_id' t/agent_invocations.jsonl
	run -0 jq -r --arg id "$output" 'select(.invocation_id == $id) | .agent_name' t/agent_invocations.jsonl
	assert_output frontend-developer
}

@test "a model missing from the price table is listed, not priced as free" {
	import --dir t "$V2"
	run -0 jq -c 'select(.metadata.agent_id == "c9a3e2f5d4b6c7e8") | .metadata | [.models, .cost_unpriced_models, .cost_usd]' t/invocation_updates.jsonl
	# only the opus record is priced: (60*5 + 250*25 + 3000*0.5) / 1e6
	assert_output '[["claude-experimental-9","claude-opus-4-5-20251101"],["claude-experimental-9"],0.00805]'
	printf '{"models": {"claude-experimental-9": {"input": 1, "output": 1, "cache_write_5m": 1, "cache_write_1h": 1, "cache_read": 1}}}\n' >p.json
	import --dir u --pricing p.json "$V2"
	run -0 jq -c 'select(.metadata.agent_id == "c9a3e2f5d4b6c7e8") | .metadata | [.cost_unpriced_models, .cost_usd]' u/invocation_updates.jsonl
	# (50 + 200 + 3000) * 1 / 1e6; opus is missing from this table
	assert_output '[["claude-opus-4-5-20251101"],0.00325]'
}

@test "a second run appends nothing, with or without the state file" {
	import --dir t "$V1" "$V2"
	cp t/agent_invocations.jsonl a; cp t/invocation_updates.jsonl u
	import --dir t "$V1" "$V2"
	rm t/oak-import.state
	import --dir t "$V1" "$V2"
	cmp a t/agent_invocations.jsonl
	cmp u t/invocation_updates.jsonl
	[ -s t/oak-import.state ]
}

@test "a grown session: only what is new is appended" {
	cp -R "$V2" p
	main=p/-home-dev-app/$V2S.jsonl
	# the session as it was before the Plan call ended
	head -n 6 "$CC/v2/projects/-home-dev-app/$V2S.jsonl" >"$main"
	import --dir t p
	run -0 jq -r 'select(.metadata.agent_id == "d0b4f3a6e5c7d8f9") | [.outcome.status, .metadata.tokens_complete] | @tsv' t/invocation_updates.jsonl
	assert_output 'unknown	false'
	n=$(lines t/invocation_updates.jsonl)
	cp "$CC/v2/projects/-home-dev-app/$V2S.jsonl" "$main"
	import --dir t p
	[ "$(lines t/invocation_updates.jsonl)" -eq $((n + 1)) ]
	run -0 tail -n 1 t/invocation_updates.jsonl
	assert_output --partial '"outcome": {"status": "success"'
	[ "$(lines t/agent_invocations.jsonl)" -eq 5 ]
}

@test "a half-written last line is left for the next run" {
	cp -R "$V1" p
	main=$(echo p/-home-dev-shop/*.jsonl)
	sed -i '$d' "$main"   # the interrupt; the docs-writer call is open
	printf '{"parentUuid":"x","type":"user","message":{"role":"us' >>"$main"
	import --dir t p
	[ "$(lines t/agent_invocations.jsonl)" -eq 3 ]
	run -0 cat t/oak-import.state
	assert_output ''
}

@test "a malformed line and an unknown record type: file:line, then go on" {
	cp -R "$V1" p
	main=$(echo p/-home-dev-shop/*.jsonl)
	sed -i '3s/^/{"broken": /' "$main"
	sed -i '4a {"type":"hologram","x":1}\n{"type":"hologram","x":2}' "$main"
	run -1 --separate-stderr oak-import claude-code --dir t p
	assert_output ''
	[ "$(printf '%s\n' "$stderr" | grep -c .)" -eq 3 ]
	[[ "$stderr" == *"oak-import: 1 line rejected" ]]
	[[ "$stderr" == *"$main:3: invalid JSON"* ]]
	[[ "$stderr" == *"$main:5: unknown record type \"hologram\""* ]]
	[ "$(lines t/agent_invocations.jsonl)" -eq 3 ]
}

@test "the hook's call gets only its tokens from the importer" {
	mkdir t
	# what oak-log hook wrote for the Explore call, without tokens
	printf '%s\n' '{"timestamp": "2025-10-15T14:00:02Z", "session_id": "s", "invocation_id": "e67a445f-1d7c-5d8b-aa0e-e2356144def9", "agent_name": "Explore", "agent_type": "analysis", "task_description": "Find theme code", "state_features": {}, "parent_invocation_id": null, "tools_used": [], "duration_seconds": null, "outcome": {"status": "unknown", "error_message": null, "files_modified": [], "files_created": [], "tests_passed": null, "build_succeeded": null}, "metadata": {}}' >t/agent_invocations.jsonl
	printf '%s\n' '{"timestamp": "2025-10-15T14:00:40Z", "invocation_id": "e67a445f-1d7c-5d8b-aa0e-e2356144def9", "duration_seconds": 38.0, "outcome": {"status": "success"}, "metadata": {"total_tokens": 9150}}' >t/invocation_updates.jsonl
	import --dir t "$V2"
	[ "$(grep -c e67a445f t/agent_invocations.jsonl)" -eq 1 ]
	run -0 jq -c 'select(.invocation_id == "e67a445f-1d7c-5d8b-aa0e-e2356144def9") | [has("outcome"), .metadata.total_tokens]' t/invocation_updates.jsonl
	assert_output "$(printf '%s\n' '[true,9150]' '[false,22790]')"
}

@test "--since keeps the calls made from then on" {
	import --dir x/y/t --since 2025-10-15 "$V1" "$V2"
	run -0 jq -r .agent_name x/y/t/agent_invocations.jsonl
	assert_output "$(printf '%s\n' Explore frontend-developer security-auditor Plan test-runner)"
}

@test "a session file, a project, CLAUDE_CONFIG_DIR: the same calls" {
	import --dir a "$V2/-home-dev-app/$V2S.jsonl"
	import --dir b "$V2/-home-dev-app"
	mkdir -p c1 c2
	CLAUDE_CONFIG_DIR="$CC/v1,$CC/v2" import --dir c
	[ "$(lines a/agent_invocations.jsonl)" -eq 5 ]
	cmp a/agent_invocations.jsonl b/agent_invocations.jsonl
	[ "$(lines c/agent_invocations.jsonl)" -eq 8 ]
}

@test "Claude Code's folders are only read" {
	cp -R "$CC" ro
	chmod -R a-w ro
	import --dir t ro/v1/projects ro/v2/projects
	run -0 find ro -newer t/agent_invocations.jsonl
	assert_output ''
	chmod -R u+w ro
}

@test "usage: -h, --version, a wrong option, no source, a missing path" {
	run -0 oak-import -h
	assert_output --partial 'usage: oak-import claude-code'
	run -0 oak-import --version
	assert_output 'oak-import 0.1.0'
	run -2 --separate-stderr oak-import claude-code --bogus
	assert_output ''
	run -2 oak-import
	run -2 oak-import codex
	run -3 --separate-stderr oak-import claude-code --dir t nowhere
	assert_equal "$stderr" 'oak-import: nowhere: No such file or directory'
	HOME=$PWD run -3 --separate-stderr oak-import claude-code --dir t
	assert_equal "$stderr" 'oak-import: no Claude Code projects folder found (CLAUDE_CONFIG_DIR, ~/.claude/projects)'
	run -2 oak-import claude-code --since yesterday
}

@test "hook then import: each call once, with the transcript's token sums" {
	cp -R "$V2" p
	main=$PWD/p/-home-dev-app/$V2S.jsonl
	pre() {
		jq -nc --arg t "$main" '{session_id: "'$V2S'", transcript_path: $t, hook_event_name: "PreToolUse", tool_name: "Agent", tool_use_id: "toolu_01ExploreCode00000000001", tool_input: {subagent_type: "Explore", description: "Find theme code", model: "haiku"}}'
	}
	post() {
		jq -nc --arg t "$main" '{session_id: "'$V2S'", transcript_path: $t, hook_event_name: "PostToolUse", tool_name: "Agent", tool_use_id: "toolu_01ExploreCode00000000001", duration_ms: 38000, tool_response: {status: "completed", agentId: "a7e1c0f3d2b4a5c6", totalTokens: 9150}}'
	}
	pre | OAK_TELEMETRY_DIR=t oak-log hook
	post >post.json
	run -0 --separate-stderr env OAK_TELEMETRY_DIR=t oak-log hook <post.json
	assert_output ''
	[ -z "$stderr" ]
	# the hook summed the subagent's transcript: the importer's figures
	run -0 jq -c '.metadata | [.total_tokens, .reported_total_tokens, .tokens, .cost_usd, .tokens_complete]' t/invocation_updates.jsonl
	assert_output '[22790,9150,{"input":16,"output":274,"cache_creation":7500,"cache_read":15000,"cache_creation_1h":0},0.012261,true]'
	import --dir t p
	# five calls, each once; the hook's call gets no second update
	[ "$(lines t/agent_invocations.jsonl)" -eq 5 ]
	[ "$(jq -r .invocation_id t/agent_invocations.jsonl | sort -u | wc -l)" -eq 5 ]
	[ "$(grep -c e67a445f-1d7c-5d8b-aa0e-e2356144def9 t/invocation_updates.jsonl)" -eq 1 ]
	[ "$(lines t/invocation_updates.jsonl)" -eq 5 ]
	# and the joined totals are those of the importer alone (v2 rows of
	# expected/: 22790 + 61253 + 6560 + 3100 + 5038)
	run -0 sh -c 'oak-join-by-invocation --updates t/invocation_updates.jsonl t/agent_invocations.jsonl | jq -s "map(.metadata.total_tokens) | add"'
	assert_output 98741
}

@test "a background call: the hook's SubagentStop sums its tokens; the importer adds nothing" {
	cp -R "$V2" p
	main=$PWD/p/-home-dev-app/$V2S.jsonl
	sub=$PWD/p/-home-dev-app/$V2S/subagents/agent-c9a3e2f5d4b6c7e8.jsonl
	jq -nc --arg t "$main" '{session_id: "s", transcript_path: $t, hook_event_name: "PreToolUse", tool_name: "Agent", tool_use_id: "toolu_01Background00000000003", tool_input: {subagent_type: "security-auditor", description: "Audit dependencies", run_in_background: true}}' >pre.json
	jq -nc --arg t "$main" '{session_id: "s", transcript_path: $t, hook_event_name: "PostToolUse", tool_name: "Agent", tool_use_id: "toolu_01Background00000000003", tool_response: {status: "async_launched", agentId: "c9a3e2f5d4b6c7e8"}}' >post.json
	jq -nc --arg t "$main" --arg a "$sub" '{session_id: "s", transcript_path: $t, hook_event_name: "SubagentStop", agent_id: "c9a3e2f5d4b6c7e8", agent_type: "security-auditor", agent_transcript_path: $a}' >stop.json
	for e in pre post stop; do
		OAK_TELEMETRY_DIR=t oak-log hook <$e.json
	done
	run -0 jq -c 'select(.outcome) | .metadata | [.total_tokens, .cost_unpriced_models, .tokens_complete]' t/invocation_updates.jsonl
	assert_output '[6560,["claude-experimental-9"],true]'
	import --dir t p
	[ "$(grep -c 2ad1c756-7c23-5b9d-816b-f78c02fc138f t/invocation_updates.jsonl)" -eq 2 ]
}

@test "a subagent transcript that is gone when read is reported, and read again next run" {
	cp -R "$V2" p
	sub=p/-home-dev-app/$V2S/subagents
	ln -s nowhere.jsonl "$sub/agent-ffff000011112222.jsonl"
	run -3 --separate-stderr oak-import claude-code --dir t p
	assert_equal "$stderr" "oak-import: $sub/agent-ffff000011112222.jsonl: No such file or directory (it disappeared while being read)"
	# what was read is logged; the session is not marked as read
	[ "$(lines t/agent_invocations.jsonl)" -eq 5 ]
	[ ! -s t/oak-import.state ]
	rm "$sub/agent-ffff000011112222.jsonl"
	import --dir t p
	[ "$(lines t/agent_invocations.jsonl)" -eq 5 ]
}

@test "a torn last record in a log (a writer that died) never swallows the next" {
	mkdir t
	printf '{"timestamp": "2025-10-01T00:00:00Z", "invoc' >t/agent_invocations.jsonl
	run -0 --separate-stderr oak-import claude-code --dir t "$V1"
	[ "$stderr" = "oak-import: t/agent_invocations.jsonl:1: invalid JSON: unterminated string at column 45: not indexed" ]
	run -0 sed -n 1p t/agent_invocations.jsonl
	assert_output '{"timestamp": "2025-10-01T00:00:00Z", "invoc'
	tail -n +2 t/agent_invocations.jsonl | oak-validate --kind invocation -q
	[ "$(lines t/agent_invocations.jsonl)" -eq 4 ]
}
