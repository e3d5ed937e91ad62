#!/usr/bin/env bats
# oak-log start / end / feedback: records as the reference logger writes
# them, refusals (exit 2, nothing written), unknown ids (exit 1), the
# directory and file modes, and OAK_TELEMETRY_ENABLED.

bats_require_minimum_version 1.5.0
load test_helper

REF="$DATA/reference/basic"

setup_file() {
	# the session id is derived from the process when not given
	unset OAK_SESSION_ID OAK_WORKFLOW_ID OAK_PARENT_INVOCATION_ID
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
}

# A record's keys and its outcome's keys, in order, as one line.
shape() {
	jq -c '[keys_unsorted, (.outcome // {} | keys_unsorted)]'
}

# Logs one start and prints the id.
start() {
	oak-log start --agent frontend-developer --type development \
		--task "Add dark mode toggle" "$@"
}

@test "start prints a v4 uuid and writes the reference's keys in order" {
	run -0 --separate-stderr start
	assert_output --regexp '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	[ -z "$stderr" ]
	id=$output
	[ "$(wc -l <telemetry/agent_invocations.jsonl)" -eq 1 ]
	want=$(head -n 1 "$REF/append/agent_invocations.jsonl" | shape)
	got=$(shape <telemetry/agent_invocations.jsonl)
	assert_equal "$got" "$want"
	run -0 jq -r '.invocation_id' telemetry/agent_invocations.jsonl
	assert_output "$id"
}

@test "start writes the reference's defaults with its separators" {
	run -0 start
	id=$output
	line=$(cat telemetry/agent_invocations.jsonl)
	sid=$(jq -r .session_id <<<"$line")
	want="{\"timestamp\": \"2025-10-20T07:00:00Z\", \"session_id\": \"$sid\", \"invocation_id\": \"$id\", \"agent_name\": \"frontend-developer\", \"agent_type\": \"development\", \"task_description\": \"Add dark mode toggle\", \"state_features\": {}, \"parent_invocation_id\": null, \"tools_used\": [], \"duration_seconds\": null, \"outcome\": {\"status\": \"unknown\", \"error_message\": null, \"files_modified\": [], \"files_created\": [], \"tests_passed\": null, \"build_succeeded\": null}, \"metadata\": {}}"
	assert_equal "$line" "$want"
}

@test "start copies --features and --metadata as json.dumps writes them" {
	run -0 start --features '{"task":{"type":"feature_development","scope":"small"},"codebase":{"languages":["C","TypeScript"],"loc":170911,"x":1.50,"y":-0,"z":1E2},"s":"\u00e9\n"}' \
		--metadata '{"ticket":"OAK-1","n":[1,2.5,true,null]}'
	run -0 jq -c '.state_features, .metadata' telemetry/agent_invocations.jsonl
	line=$(cat telemetry/agent_invocations.jsonl)
	[[ $line == *'"state_features": {"task": {"type": "feature_development", "scope": "small"}, "codebase": {"languages": ["C", "TypeScript"], "loc": 170911, "x": 1.5, "y": 0, "z": 100.0}, "s": "é\n"}'* ]]
	[[ $line == *'"metadata": {"ticket": "OAK-1", "n": [1, 2.5, true, null]}}' ]]
}

@test "start: OAK_SESSION_ID, OAK_WORKFLOW_ID, OAK_PARENT_INVOCATION_ID and --parent" {
	OAK_SESSION_ID=s-1 OAK_WORKFLOW_ID=wf-9 OAK_PARENT_INVOCATION_ID=p-1 start
	OAK_PARENT_INVOCATION_ID=p-1 start --parent p-2 --metadata '{"workflow_id":"mine"}'
	run -0 jq -c '[.session_id, .parent_invocation_id, .metadata]' telemetry/agent_invocations.jsonl
	assert_line --index 0 '["s-1","p-1",{"workflow_id":"wf-9"}]'
	assert_line --index 1 --regexp '^\["[0-9a-f-]{36}","p-2",\{"workflow_id":"mine"\}\]$'
}

@test "start: the derived session id is shared by one session, not by another" {
	start >/dev/null
	start >/dev/null
	setsid oak-log start --agent a --type meta --task t >/dev/null
	run -0 jq -r .session_id telemetry/agent_invocations.jsonl
	[ "${lines[0]}" = "${lines[1]}" ]
	[ "${lines[0]}" != "${lines[2]}" ]
	[[ ${lines[0]} =~ ^[0-9a-f]{8}-[0-9a-f]{4}-5 ]]
}

@test "end appends an InvocationUpdate with only the keys given" {
	id=$(start)
	run -0 --separate-stderr oak-log end "$id" --duration 120.5 --status failure \
		--error "Permission denied" --files-modified src/a.ts \
		--files-modified src/b.ts --files-created src/c.ts --tools Edit \
		--tools Bash --tests-passed --build-failed --metadata '{"k":1}'
	assert_output ''
	[ -z "$stderr" ]
	run -0 cat telemetry/invocation_updates.jsonl
	assert_output "{\"timestamp\": \"2025-10-20T07:00:00Z\", \"invocation_id\": \"$id\", \"duration_seconds\": 120.5, \"tools_used\": [\"Edit\", \"Bash\"], \"outcome\": {\"status\": \"failure\", \"error_message\": \"Permission denied\", \"files_modified\": [\"src/a.ts\", \"src/b.ts\"], \"files_created\": [\"src/c.ts\"], \"tests_passed\": true, \"build_succeeded\": false}, \"metadata\": {\"k\": 1}}"
	oak-log end "$id" --status partial
	oak-log end "$id" --duration 0
	oak-log end "$id"
	run -0 tail -n 3 telemetry/invocation_updates.jsonl
	assert_line --index 0 "{\"timestamp\": \"2025-10-20T07:00:00Z\", \"invocation_id\": \"$id\", \"outcome\": {\"status\": \"partial\"}}"
	assert_line --index 1 "{\"timestamp\": \"2025-10-20T07:00:00Z\", \"invocation_id\": \"$id\", \"duration_seconds\": 0.0}"
	assert_line --index 2 "{\"timestamp\": \"2025-10-20T07:00:00Z\", \"invocation_id\": \"$id\"}"
}

@test "end: the update keys are in the order of the append fixtures" {
	id=$(start)
	oak-log end "$id" --duration 1 --tools Grep --status failure --error e \
		--files-modified a
	got=$(shape <telemetry/invocation_updates.jsonl)
	# a fixture update with the same keys has them in the same order
	want=$(shape <"$DATA/reference/larger/append/invocation_updates.jsonl" |
		jq -c --argjson got "$got" 'select(sort == ($got | sort))' |
		head -n 1)
	[ -n "$want" ]
	assert_equal "$got" "$want"
}

@test "feedback appends a SuccessMetric with the reference's defaults" {
	id=$(start)
	run -0 --separate-stderr oak-log feedback "$id" --success --quality 4
	assert_output ''
	oak-log feedback "$id" --failure --quality 1 --source linter \
		--notes "Lint errors" --would-not-use-again --alternative code-reviewer
	oak-log feedback --would-use-again --quality 5 --success "$id"
	run -0 cat telemetry/success_metrics.jsonl
	assert_line --index 0 "{\"timestamp\": \"2025-10-20T07:00:00Z\", \"invocation_id\": \"$id\", \"success\": true, \"quality_rating\": 4, \"feedback_source\": \"human\", \"feedback_notes\": null, \"would_use_again\": null, \"alternative_agent_suggested\": null}"
	assert_line --index 1 "{\"timestamp\": \"2025-10-20T07:00:00Z\", \"invocation_id\": \"$id\", \"success\": false, \"quality_rating\": 1, \"feedback_source\": \"linter\", \"feedback_notes\": \"Lint errors\", \"would_use_again\": false, \"alternative_agent_suggested\": \"code-reviewer\"}"
	assert_line --index 2 --partial '"success": true, "quality_rating": 5, "feedback_source": "human", "feedback_notes": null, "would_use_again": true,'
	want=$(head -n 1 "$REF/append/success_metrics.jsonl" | shape)
	assert_equal "$(head -n 1 telemetry/success_metrics.jsonl | shape)" "$want"
}

@test "timestamps are utcnow().isoformat() + Z: microseconds unless zero" {
	unset SOURCE_DATE_EPOCH
	id=$(start)
	run -0 jq -r .timestamp telemetry/agent_invocations.jsonl
	assert_output --regexp '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?Z$'
}

@test "end and feedback on an id never started: exit 1, nothing written" {
	start >/dev/null
	run -1 --separate-stderr oak-log end 0b220c26-e553-4c5a-bcc3-b9e9f662bf21 --status success
	assert_equal "$stderr" "oak-log: invocation 0b220c26-e553-4c5a-bcc3-b9e9f662bf21 not found in telemetry/agent_invocations.jsonl: nothing logged"
	run -1 oak-log feedback nope --success --quality 3
	run -1 oak-log --dir elsewhere end nope
	[ ! -e telemetry/invocation_updates.jsonl ]
	[ ! -e telemetry/success_metrics.jsonl ]
	[ ! -e elsewhere/invocation_updates.jsonl ]
}

@test "an id is found only as an invocation_id, not inside other text" {
	id=$(start)
	oak-log start --agent a --type meta --task "\"x\"" >/dev/null
	oak-log start --agent a --type meta --task "see $id" >/dev/null
	run -1 oak-log end "x"
	run -1 oak-log end "see"
	run -0 oak-log end "$id"
}

@test "the lookup finds ids written by the Python reference logger" {
	mkdir telemetry
	cp "$REF/reference/agent_invocations.jsonl" telemetry/
	first=$(head -n 1 telemetry/agent_invocations.jsonl | jq -r .invocation_id)
	last=$(tail -n 1 telemetry/agent_invocations.jsonl | jq -r .invocation_id)
	oak-log end "$first" --status success
	oak-log feedback "$last" --success --quality 5
	[ "$(wc -l <telemetry/invocation_updates.jsonl)" -eq 1 ]
}

@test "the lookup reads back across blocks and long lines" {
	mkdir telemetry
	long=$(head -c 100000 /dev/zero | tr '\0' 'x')
	id=$(start --metadata "{\"pad\":\"$long\"}")
	for i in $(seq 300); do
		printf '{"invocation_id": "other-%d", "pad": "%s"}\n' "$i" "${long:0:1000}"
	done >>telemetry/agent_invocations.jsonl
	run -0 oak-log end "$id"
	run -1 oak-log end "other-0"
	run -0 oak-log end "other-1"
}

refused() {
	run -2 --separate-stderr "$@"
	[ -n "$stderr" ]
	[[ $stderr == oak-log:* ]]
	assert_output ''
}

@test "refusals exit 2 and write nothing" {
	id=$(start)
	cp telemetry/agent_invocations.jsonl before
	refused oak-log start --agent a --type nope --task t
	refused oak-log start --agent a --type meta
	refused oak-log start --type meta --task t
	refused oak-log start --agent a --type meta --task t --features '[1]'
	refused oak-log start --agent a --type meta --task t --features '{"a":1,}'
	refused oak-log start --agent a --type meta --task t --features '{"a":1,"a":2}'
	refused oak-log start --agent a --type meta --task t --features '{"task":{"type":"nope"}}'
	refused oak-log start --agent a --type meta --task t --features '{"task":{"scope":"huge"}}'
	refused oak-log start --agent a --type meta --task t --features '{"codebase":{"loc":1.5}}'
	refused oak-log start --agent a --type meta --task t --features '{"codebase":{"languages":[1]}}'
	refused oak-log start --agent a --type meta --task t --features '{"context":{"git_clean":"yes"}}'
	refused oak-log start --agent a --type meta --task t --metadata 'null'
	refused oak-log start --agent a --type meta --task t --metadata '{'
	refused oak-log start --agent a --type meta --task t extra
	refused oak-log end "$id" --status done
	refused oak-log end "$id" --duration -1
	refused oak-log end "$id" --duration -0
	refused oak-log end "$id" --duration abc
	refused oak-log end "$id" --duration nan
	refused oak-log end "$id" --duration inf
	refused oak-log end "$id" --duration 0x10
	refused oak-log end "$id" --duration ''
	refused oak-log end "$id" --duration 1e999
	refused oak-log end "$id" --tests-passed --tests-failed
	refused oak-log end "$id" --build-succeeded --build-failed
	refused oak-log end "$id" --metadata '"x"'
	refused oak-log end
	refused oak-log end "$id" "$id"
	refused oak-log end ''
	refused oak-log end "$id" --bogus
	refused oak-log end "$id" --status
	refused oak-log feedback "$id" --success --quality 0
	refused oak-log feedback "$id" --success --quality 6
	refused oak-log feedback "$id" --success --quality 4.5
	refused oak-log feedback "$id" --success --quality x
	refused oak-log feedback "$id" --success
	refused oak-log feedback "$id" --quality 3
	refused oak-log feedback "$id" --success --failure --quality 3
	refused oak-log feedback "$id" --success --quality 3 --source friend
	refused oak-log feedback "$id" --success --quality 3 --would-use-again --would-not-use-again
	refused oak-log
	refused oak-log frobnicate
	refused oak-log --dir
	refused oak-log --bogus start
	cmp before telemetry/agent_invocations.jsonl
	[ ! -e telemetry/invocation_updates.jsonl ]
	[ ! -e telemetry/success_metrics.jsonl ]
}

@test "the refusal names what is wrong" {
	run -2 --separate-stderr oak-log feedback x --success --quality 7
	assert_equal "$stderr" "oak-log: feedback: --quality 7: not an integer from 1 to 5"
	run -2 --separate-stderr oak-log end x --duration -3
	assert_equal "$stderr" "oak-log: end: --duration -3: negative"
	run -2 --separate-stderr oak-log start --agent a --type meta --task t --features '{"task":{"type":"x"}}'
	assert_equal "$stderr" 'oak-log: start: /state_features/task/type: "x" is not one of the allowed values (enum): nothing logged'
	# the enums are the schemas' (schemas/), not a list of oak-log's own
	run -2 --separate-stderr oak-log start --agent a --type bogus --task t
	assert_equal "$stderr" 'oak-log: start: /agent_type: "bogus" is not one of the allowed values (enum): nothing logged'
	run -2 --separate-stderr oak-log end x --status done
	assert_equal "$stderr" 'oak-log: end: /outcome/status: "done" is not one of the allowed values (enum): nothing logged'
	run -2 --separate-stderr oak-log feedback x --success --quality 3 --source robot
	assert_equal "$stderr" 'oak-log: feedback: /feedback_source: "robot" is not one of the allowed values (enum): nothing logged'
	[ ! -e telemetry/agent_invocations.jsonl ]
}

@test "-h, --version, usage" {
	run -0 oak-log -h
	assert_line --index 0 --partial 'usage: oak-log [--dir DIR] start'
	run -0 oak-log end --help
	assert_line --index 0 --partial 'usage: oak-log'
	run -0 oak-log --version
	assert_output --regexp '^oak-log [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "the directory: --dir, else OAK_TELEMETRY_DIR, else ./telemetry" {
	start >/dev/null
	OAK_TELEMETRY_DIR=env/dir start >/dev/null
	OAK_TELEMETRY_DIR=env/dir start --dir opt/dir >/dev/null
	oak-log --dir opt2 start --agent a --type meta --task t >/dev/null
	[ "$(wc -l <telemetry/agent_invocations.jsonl)" -eq 1 ]
	[ "$(wc -l <env/dir/agent_invocations.jsonl)" -eq 1 ]
	[ "$(wc -l <opt/dir/agent_invocations.jsonl)" -eq 1 ]
	[ "$(wc -l <opt2/agent_invocations.jsonl)" -eq 1 ]
}

@test "modes: directory 0700 and files 0600 when new; existing modes stay" {
	umask 022
	id=$(start --dir new/tel)
	oak-log end "$id" --dir new/tel
	oak-log feedback "$id" --dir new/tel --success --quality 3
	[ "$(stat -c %a new)" = 700 ]
	[ "$(stat -c %a new/tel)" = 700 ]
	[ "$(stat -c '%a' new/tel/agent_invocations.jsonl new/tel/invocation_updates.jsonl new/tel/success_metrics.jsonl | sort -u)" = 600 ]
	mkdir -m 755 old
	touch old/agent_invocations.jsonl
	chmod 644 old/agent_invocations.jsonl
	start --dir old >/dev/null
	[ "$(stat -c %a old)" = 755 ]
	[ "$(stat -c %a old/agent_invocations.jsonl)" = 644 ]
}

@test "an unwritable directory is an I/O error: exit 3" {
	[ "$(id -u)" -ne 0 ] || skip "root writes anywhere"
	mkdir -m 500 ro
	run -3 --separate-stderr start --dir ro
	assert_output ''
	[[ $stderr == "oak-log: ro/agent_invocations.jsonl: Permission denied" ]]
}

@test "a directory path that is a file is an I/O error: exit 3" {
	touch plain
	run -3 --separate-stderr start --dir plain/sub
	assert_output ''
	[[ $stderr == oak-log:* ]]
}

@test "a torn last line gets its newline before the next record" {
	id=$(start)
	printf '{"timestamp": "2025-10-20T07:00:00Z", "invoc' >>telemetry/agent_invocations.jsonl
	id2=$(start)
	run -0 tail -n 1 telemetry/agent_invocations.jsonl
	run -0 jq -r .invocation_id <<<"$output"
	assert_output "$id2"
	[ "$(wc -l <telemetry/agent_invocations.jsonl)" -eq 3 ]
	printf 'torn' >>telemetry/invocation_updates.jsonl
	oak-log end "$id2" --status success
	run -0 cat telemetry/invocation_updates.jsonl
	assert_line --index 0 'torn'
	assert_line --index 1 --partial "\"invocation_id\": \"$id2\""
}

@test "OAK_TELEMETRY_ENABLED=false/0/no: no-ops exiting 0; start still prints an id" {
	for v in false 0 no FALSE No; do
		run -0 --separate-stderr env OAK_TELEMETRY_ENABLED=$v oak-log start --agent a --type meta --task t
		assert_output --regexp '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-'
		[ -z "$stderr" ]
		run -0 env OAK_TELEMETRY_ENABLED=$v oak-log end nope --status success
		assert_output ''
		run -0 env OAK_TELEMETRY_ENABLED=$v oak-log feedback nope --success --quality 9
		run -0 env OAK_TELEMETRY_ENABLED=$v oak-log hook </dev/null
		assert_output ''
	done
	[ ! -e telemetry ]
	OAK_TELEMETRY_ENABLED=true start >/dev/null
	OAK_TELEMETRY_ENABLED=1 start >/dev/null
	[ "$(wc -l <telemetry/agent_invocations.jsonl)" -eq 2 ]
}

@test "a short write is exit 3, and the next record starts on a new line" {
	id=$(start)
	size=$(stat -c %s telemetry/agent_invocations.jsonl)
	pad=$(head -c 4000 /dev/zero | tr '\0' 'p')
	# a file size limit cuts the next write short (SIGXFSZ ignored)
	run -3 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f $(('"$size"' / 1024 + 1)) && exec "$@"' sh \
		oak-log start --agent a --type meta --task "$pad"
	assert_output ''
	[[ $stderr == *"short write"* ]]
	[ "$(stat -c %s telemetry/agent_invocations.jsonl)" -gt "$size" ]
	id2=$(start)
	run -0 jq -R -r 'fromjson? | .invocation_id' telemetry/agent_invocations.jsonl
	assert_equal "$output" "$id"$'\n'"$id2"
	[ "$(wc -l <telemetry/agent_invocations.jsonl)" -eq 3 ]
}

@test "options may stand before or after the id, POSIXLY_CORRECT or not" {
	id=$(start)
	oak-log end --status partial "$id" --tools X
	POSIXLY_CORRECT=1 oak-log end "$id" --status success
	POSIXLY_CORRECT=1 oak-log feedback "$id" --success --quality 2
	run -0 jq -c '[.outcome.status, .tools_used]' telemetry/invocation_updates.jsonl
	assert_line --index 0 '["partial",["X"]]'
	assert_line --index 1 '["success",null]'
}
