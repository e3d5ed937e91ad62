#!/usr/bin/env bats
# oak-export-otlp: its OTLP/JSON decoded by OpenTelemetry's own code (the
# protobuf classes of @opentelemetry/otlp-transformer, installed from npm
# under build/npm by setup_file; tests/otlp-decode.js), compared with
# what tests/export-otlp.py computes from the input (ids by Python's
# uuid5, times by integer arithmetic); --endpoint against a small
# OTLP/HTTP receiver on 127.0.0.1.

load test_helper

OTLP_NPM_VERSION=0.208.0

setup_file() {
	NPM_DIR="$TOP/build/npm"
	local root="$NPM_DIR/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js"
	if [ ! -f "$root" ] || ! grep -q "\"version\": \"$OTLP_NPM_VERSION\"" \
		"$NPM_DIR/node_modules/@opentelemetry/otlp-transformer/package.json"; then
		mkdir -p "$NPM_DIR"
		npm install --prefix "$NPM_DIR" --no-audit --no-fund --silent \
			"@opentelemetry/otlp-transformer@$OTLP_NPM_VERSION" >&2
	fi
	[ -f "$root" ]
	export NPM_DIR
}

teardown() {
	[ -z "${receiver_pid:-}" ] || kill "$receiver_pid" 2>/dev/null || :
}

decode() {
	node "$TOP/tests/otlp-decode.js" "$NPM_DIR"
}

expect() {
	python3 "$TOP/tests/export-otlp.py" expect "$@"
}

joined_examples() {
	local d="$TOP/examples/telemetry"
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl"
}

@test "examples/: every span and evaluation record decodes with OpenTelemetry's protobuf classes and equals what the input says" {
	joined_examples >joined.jsonl
	oak-export-otlp joined.jsonl >otlp.jsonl
	decode <otlp.jsonl | sort >got
	expect joined.jsonl | sort >want
	cmp want got
	run -0 grep -c '^\["span"' got
	assert_output 400
	run -0 grep -c '^\["log"' got
	assert_output 300
}

@test "generated sessions, workflows, parents, tokens and failures: ids, parentage, times and attributes as computed independently" {
	python3 "$TOP/tests/export-otlp.py" generate 300 3 >gen.jsonl
	oak-export-otlp --batch 7 gen.jsonl | decode | sort >got
	expect gen.jsonl | sort >want
	cmp want got
	oak-export-otlp --trace-by workflow --provider openai gen.jsonl | decode | sort >got
	expect gen.jsonl workflow openai | sort >want
	cmp want got
	# every parent is a span of the export
	run -0 python3 -c '
import json, sys
spans = [json.loads(l) for l in open("got") if l.startswith("[\"span\"")]
ids = {s[2] for s in spans}
parents = [s[3] for s in spans if s[3]]
assert parents and all(p in ids for p in parents)
print(len(parents), "parents found")'
	assert_output --regexp '^[0-9]+ parents found$'
}

@test "one span, exactly: the OTLP/JSON encoding (hex ids, 64-bit integers as strings, enums as numbers)" {
	cat >one.jsonl <<'J'
{"timestamp": "2025-10-13T08:00:00.25Z", "session_id": "s1", "invocation_id": "child", "agent_name": "coder", "agent_type": "development", "task_description": "t", "state_features": {}, "parent_invocation_id": "root", "duration_seconds": 1.5, "outcome": {"status": "failure", "error_message": "boom"}, "metadata": {"model": "claude-sonnet-4-5", "usage": {"input_tokens": 1200, "output_tokens": 34}}, "success_metric": {"timestamp": "2025-10-13T08:05:00Z", "invocation_id": "child", "success": false, "quality_rating": 2, "feedback_notes": "meh"}}
J
	run -0 sh -c 'oak-export-otlp one.jsonl | head -n 1 | jq -c ".resourceSpans[0].scopeSpans[0].spans[0] | del(.attributes)"'
	assert_output '{"traceId":"'"$(python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427"), "session:s1").hex)')"'","spanId":"'"$(python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("6ba7b814-9dad-41d1-80b4-00c04fd430c8"), "child").hex[:16])')"'","parentSpanId":"'"$(python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("6ba7b814-9dad-41d1-80b4-00c04fd430c8"), "root").hex[:16])')"'","name":"invoke_agent coder","kind":1,"startTimeUnixNano":"1760342400250000000","endTimeUnixNano":"1760342401750000000","status":{"code":2,"message":"boom"}}'
	run -0 sh -c 'oak-export-otlp one.jsonl | head -n 1 | jq -c ".resourceSpans[0].scopeSpans[0].spans[0].attributes[] | select(.key | startswith(\"gen_ai\") or . == \"error.type\")"'
	assert_output - <<'OUT'
{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}}
{"key":"gen_ai.provider.name","value":{"stringValue":"anthropic"}}
{"key":"gen_ai.agent.name","value":{"stringValue":"coder"}}
{"key":"gen_ai.conversation.id","value":{"stringValue":"s1"}}
{"key":"gen_ai.request.model","value":{"stringValue":"claude-sonnet-4-5"}}
{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1200"}}
{"key":"gen_ai.usage.output_tokens","value":{"intValue":"34"}}
{"key":"error.type","value":{"stringValue":"agent_failure"}}
OUT
	run -0 sh -c 'oak-export-otlp one.jsonl | sed -n 2p | jq -c ".resourceLogs[0].scopeLogs[0].logRecords[0] | del(.traceId, .spanId) | .attributes |= map(.key)"'
	assert_output '{"timeUnixNano":"1760342700000000000","observedTimeUnixNano":"1760342700000000000","severityNumber":9,"severityText":"INFO","eventName":"gen_ai.evaluation.result","attributes":["gen_ai.evaluation.name","gen_ai.evaluation.score.value","gen_ai.evaluation.score.label","gen_ai.evaluation.explanation"]}'
	oak-export-otlp one.jsonl | sed -n 2p | grep -qF '{"key": "gen_ai.evaluation.score.value", "value": {"doubleValue": 2.0}}, {"key": "gen_ai.evaluation.score.label", "value": {"stringValue": "fail"}}, {"key": "gen_ai.evaluation.explanation", "value": {"stringValue": "meh"}}]}'
}

@test "the same input gives the same bytes; batches of --batch invocations, one TracesData and one LogsData line each" {
	joined_examples >joined.jsonl
	oak-export-otlp joined.jsonl >a
	oak-export-otlp joined.jsonl >b
	cmp a b
	oak-export-otlp --batch 150 joined.jsonl >batched
	run -0 sh -c 'jq -r "keys[0]" batched | uniq -c | tr -s " "'
	assert_output " 1 resourceSpans
 1 resourceLogs
 1 resourceSpans
 1 resourceLogs
 1 resourceSpans
 1 resourceLogs"
	run -0 sh -c 'jq "select(.resourceSpans) | .resourceSpans[0].scopeSpans[0].spans | length" batched'
	assert_output $'150\n150\n100'
	decode <batched | sort >got
	decode <a | sort | cmp - got
}

@test "--endpoint posts each batch to URL/v1/traces and URL/v1/logs with the headers; what arrives is what the file holds" {
	joined_examples >joined.jsonl
	oak-export-otlp --batch 150 joined.jsonl >file.jsonl
	mkdir rx
	python3 "$TOP/tests/export-otlp.py" receiver rx &
	receiver_pid=$!
	while [ ! -s rx/port ]; do kill -0 "$receiver_pid"; sleep 0.05; done
	run -0 --separate-stderr oak-export-otlp --batch 150 \
		--endpoint "http://127.0.0.1:$(cat rx/port)/" \
		--header "Authorization=Bearer t0ken" --header X-Scope=a=b joined.jsonl
	assert_output ""
	assert_equal "$stderr" ""
	grep resourceSpans file.jsonl | cmp - rx/v1_traces.jsonl
	grep resourceLogs file.jsonl | cmp - rx/v1_logs.jsonl
	run -0 sort -u rx/headers
	assert_output $'Authorization: Bearer t0ken\nContent-Type: application/json\nX-Scope: a=b'
}

@test "a refused batch is reported with its lines, the others still go, exit 3; an unreachable receiver too" {
	joined_examples >joined.jsonl
	mkdir rx
	python3 "$TOP/tests/export-otlp.py" receiver rx 3 &
	receiver_pid=$!
	while [ ! -s rx/port ]; do kill -0 "$receiver_pid"; sleep 0.05; done
	url=http://127.0.0.1:$(cat rx/port)
	run -3 --separate-stderr oak-export-otlp --batch 150 --endpoint "$url" joined.jsonl
	assert_equal "$stderr" "oak-export-otlp: $url/v1/traces: batch 2 (joined.jsonl:151-300): refused: HTTP 400
oak-export-otlp: 1 batch not accepted"
	run -0 grep -c . rx/v1_traces.jsonl
	assert_output 3
	kill "$receiver_pid"
	wait "$receiver_pid" || :
	receiver_pid=
	run -3 --separate-stderr oak-export-otlp --batch 400 --endpoint "$url" joined.jsonl
	assert_equal "$(printf '%s\n' "$stderr" | sed 's/ after [0-9]* ms//')" "oak-export-otlp: $url/v1/traces: batch 1 (joined.jsonl:1-400): not sent: curl: Failed to connect to 127.0.0.1 port ${url##*:}: Couldn't connect to server
oak-export-otlp: $url/v1/logs: batch 1 (joined.jsonl:1-400): not sent: curl: Failed to connect to 127.0.0.1 port ${url##*:}: Couldn't connect to server
oak-export-otlp: 2 batches not accepted"
}

@test "bad lines are reported with file:line and left out; the rest is exported" {
	joined_examples | head -n 3 >in.jsonl
	{
		echo 'nope'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "x", "agent_name": "a", "duration_seconds": -1}'
		echo '{"timestamp": "1969-12-31T23:59:59Z", "invocation_id": "y", "agent_name": "a"}'
		cat in.jsonl
	} >bad.jsonl
	run -1 --separate-stderr oak-export-otlp bad.jsonl
	assert_equal "$stderr" 'oak-export-otlp: bad.jsonl:1: invalid JSON: unexpected character at column 1
oak-export-otlp: bad.jsonl:2: "duration_seconds" is negative or out of range
oak-export-otlp: bad.jsonl:3: "timestamp" is outside OTLP'"'"'s range
oak-export-otlp: 3 lines rejected'
	printf '%s\n' "$output" | decode | sort >got
	expect in.jsonl | sort | cmp - got
}

@test "usage: -h on stdout; wrong options are usage errors" {
	run -0 oak-export-otlp -h
	assert_line --index 0 --regexp '^usage: oak-export-otlp '
	run -2 --separate-stderr oak-export-otlp --trace-by user
	assert_equal "$stderr" "oak-export-otlp: --trace-by: want session or workflow: user"
	run -2 --separate-stderr oak-export-otlp --batch 0
	run -2 --separate-stderr oak-export-otlp --header A=b
	assert_equal "$stderr" "oak-export-otlp: --header needs --endpoint"
	run -2 --separate-stderr oak-export-otlp --endpoint http://x --header nokey
}
