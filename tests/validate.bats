#!/usr/bin/env bats
# oak-validate: each bad-input kind of DESIGN.md with its exact message,
# the options, the exit statuses, and the reference records.

bats_require_minimum_version 1.5.0
load test_helper

GOOD='{"timestamp": "2025-10-13T08:53:55Z", "session_id": "s1", "invocation_id": "i1", "agent_name": "frontend-developer", "agent_type": "development", "task_description": "Add dark mode", "state_features": {}, "duration_seconds": null, "outcome": {"status": "success"}}'

@test "valid lines pass through byte for byte" {
	printf '%s\n%s\n' "$GOOD" "$GOOD" >in.jsonl
	run -0 --separate-stderr oak-validate in.jsonl
	assert_output "$(cat in.jsonl)"
	assert_equal "$stderr" ""
}

@test "a valid last line without a newline is passed with one" {
	printf '%s' "$GOOD" | oak-validate >out.jsonl
	printf '%s\n' "$GOOD" | cmp - out.jsonl
}

@test "not JSON" {
	printf '%s\nhello\n' "$GOOD" >in.jsonl
	run -1 --separate-stderr oak-validate in.jsonl
	assert_output "$GOOD"
	assert_equal "$stderr" "oak-validate: in.jsonl:2: invalid JSON: unexpected character at column 1
oak-validate: 1 line rejected"
}

@test "not an object" {
	run -1 --separate-stderr oak-validate <<<'[1, 2]'
	assert_output ""
	assert_equal "$stderr" "oak-validate: -:1: array is not of type object (type)
oak-validate: 1 line rejected"
}

@test "missing required field" {
	run -1 --separate-stderr oak-validate --kind metric <<<'{"timestamp": "2025-10-13T09:30:01Z", "invocation_id": "i1", "success": true}'
	assert_equal "$stderr" 'oak-validate: -:1: missing required property "quality_rating" (required)
oak-validate: 1 line rejected'
}

# Both schema walks keep the required properties among a schema's first
# 64 as bits of a word; one past them is looked for by name. Were its
# index shifted in anyway, the 70th (p69) would take the bit of the 6th
# (p5), and {"p5": 1} would pass.
@test "a required property past the 64th is still required" {
	awk 'BEGIN { printf "{\"required\": [\"p69\"], \"properties\": {"
		     for (i = 0; i < 70; i++) printf "%s\"p%d\": {}", i ? ", " : "", i
		     print "}}" }' >s.json
	run -1 --separate-stderr oak-validate --schema s.json <<<'{"p5": 1}'
	assert_equal "$stderr" 'oak-validate: -:1: missing required property "p69" (required)
oak-validate: 1 line rejected'
	run -0 oak-validate --schema s.json <<<'{"p5": 1, "p69": 2}'
	assert_output '{"p5": 1, "p69": 2}'
}

@test "wrong type" {
	run -1 --separate-stderr oak-validate --kind update <<<'{"timestamp": "2025-10-13T09:30:01Z", "invocation_id": "i1", "duration_seconds": "5"}'
	assert_equal "$stderr" 'oak-validate: -:1: /duration_seconds: "5" is not of type number or null (type)
oak-validate: 1 line rejected'
}

@test "enum violation" {
	run -1 --separate-stderr oak-validate <<<"${GOOD/\"success\"/\"sucess\"}"
	assert_equal "$stderr" 'oak-validate: -:1: /outcome/status: "sucess" is not one of the allowed values (enum)
oak-validate: 1 line rejected'
}

@test "out of range and bad format" {
	printf '%s\n' \
	  '{"timestamp": "2025-10-13T09:30:01Z", "invocation_id": "i1", "success": true, "quality_rating": 6}' \
	  '{"timestamp": "2025-02-30T09:30:01Z", "invocation_id": "i1", "success": true, "quality_rating": 5}' >in.jsonl
	run -1 --separate-stderr oak-validate --kind metric in.jsonl
	assert_equal "$stderr" 'oak-validate: in.jsonl:1: /quality_rating: 6 is greater than the maximum of 5 (maximum)
oak-validate: in.jsonl:2: /timestamp: "2025-02-30T09:30:01Z" is not a valid date-time (format)
oak-validate: 2 lines rejected'
}

@test "invalid UTF-8" {
	printf '{"a": "\xff"}\n' >in.jsonl
	run -1 --separate-stderr oak-validate in.jsonl
	assert_equal "$stderr" "oak-validate: in.jsonl:1: invalid UTF-8 at column 8
oak-validate: 1 line rejected"
}

@test "byte order mark" {
	printf '\xef\xbb\xbf%s\n' "$GOOD" >in.jsonl
	run -1 --separate-stderr oak-validate in.jsonl
	assert_equal "$stderr" "oak-validate: in.jsonl:1: UTF-8 byte order mark
oak-validate: 1 line rejected"
}

@test "NaN" {
	run -1 --separate-stderr oak-validate <<<'{"duration_seconds": NaN}'
	assert_equal "$stderr" "oak-validate: -:1: invalid JSON: unexpected character at column 22
oak-validate: 1 line rejected"
}

@test "truncated last line" {
	printf '%s\n%s' "$GOOD" "${GOOD:0:40}" >in.jsonl
	run -1 --separate-stderr oak-validate in.jsonl
	assert_output "$GOOD"
	assert_equal "$stderr" "oak-validate: in.jsonl:2: invalid JSON: unterminated string at column 41 (truncated last line)
oak-validate: 1 line rejected"
}

@test "empty and blank lines are skipped" {
	printf '\n%s\n\n  \n%s\n' "$GOOD" "$GOOD" >in.jsonl
	run -0 --separate-stderr oak-validate in.jsonl
	assert_output "$(printf '%s\n%s' "$GOOD" "$GOOD")"
	assert_equal "$stderr" ""
}

@test "duplicate key" {
	run -1 --separate-stderr oak-validate <<<'{"agent_name": "a", "agent_name": "b"}'
	assert_equal "$stderr" "oak-validate: -:1: invalid JSON: duplicate key at column 21
oak-validate: 1 line rejected"
}

@test "nesting too deep" {
	printf '%0.s[' $(seq 513) >in.jsonl
	printf '%0.s]' $(seq 513) >>in.jsonl
	echo >>in.jsonl
	run -1 --separate-stderr oak-validate --schema /dev/stdin in.jsonl <<<'true'
	assert_equal "$stderr" "oak-validate: in.jsonl:1: invalid JSON: nesting deeper than 512 at column 513
oak-validate: 1 line rejected"
}

@test "512 levels of nesting are fine" {
	{ printf '%0.s[' $(seq 512); printf '%0.s]' $(seq 512); echo; } >in.jsonl
	run -0 oak-validate --schema /dev/stdin in.jsonl <<<'true'
}

@test "--rejects copies bad lines verbatim" {
	printf '%s\nhello\n%s\n[1]\n' "$GOOD" "$GOOD" >in.jsonl
	run -1 --separate-stderr oak-validate --rejects bad.jsonl in.jsonl
	assert_output "$(printf '%s\n%s' "$GOOD" "$GOOD")"
	assert_equal "$(cat bad.jsonl)" "$(printf 'hello\n[1]')"
	assert_line --partial ""
}

@test "--strict stops at the first bad line" {
	printf '%s\nhello\n%s\n' "$GOOD" "$GOOD" >in.jsonl
	run -1 --separate-stderr oak-validate --strict in.jsonl
	assert_output "$GOOD"
	assert_equal "$stderr" "oak-validate: in.jsonl:2: invalid JSON: unexpected character at column 1"
}

@test "-q writes nothing to stdout" {
	printf '%s\nhello\n' "$GOOD" >in.jsonl
	run -1 --separate-stderr oak-validate -q in.jsonl
	assert_output ""
	assert_equal "$stderr" "oak-validate: in.jsonl:2: invalid JSON: unexpected character at column 1
oak-validate: 1 line rejected"
}

@test "several files, stdin as -" {
	printf '%s\n' "$GOOD" >a.jsonl
	run -1 --separate-stderr oak-validate a.jsonl - a.jsonl <<<'{}'
	assert_output "$(printf '%s\n%s' "$GOOD" "$GOOD")"
	assert_equal "$stderr" 'oak-validate: -:1: missing required property "timestamp" (required)
oak-validate: 1 line rejected'
}

@test "usage errors exit 2" {
	run -2 --separate-stderr oak-validate --kind nope
	assert_equal "$stderr" 'oak-validate: unknown kind "nope"
usage: oak-validate [--kind invocation|update|metric|joined|agent-stats|performance-stats
                    | --schema FILE] [--rejects FILE] [--strict] [-q] [FILE ...]'
	run -2 oak-validate --bogus
	run -2 oak-validate --kind metric --schema x.json
	run -0 oak-validate -h
	assert_line --index 0 --partial "usage: oak-validate"
}

@test "--version" {
	run -0 oak-validate --version
	assert_output --regexp '^oak-validate [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "an invalid schema is a usage error with its own pointer" {
	echo '{"properties": {"a": {"type": "strin"}}}' >s.json
	run -2 --separate-stderr oak-validate --schema s.json </dev/null
	assert_equal "$stderr" 'oak-validate: s.json: invalid schema: /properties/a: unknown type "strin"'
	echo '{"items": {"$ref": "#/definitions/nope"}}' >s.json
	run -2 --separate-stderr oak-validate --schema s.json </dev/null
	assert_equal "$stderr" 'oak-validate: s.json: invalid schema: /items/$ref: $ref "#/definitions/nope" cannot be resolved (only refs within the schema file and to schema files beside it are supported)'
}

@test "unreadable input exits 3 after the other files" {
	printf '%s\n' "$GOOD" >a.jsonl
	run -3 --separate-stderr oak-validate missing.jsonl a.jsonl
	assert_output "$GOOD"
	assert_equal "$stderr" "oak-validate: missing.jsonl: No such file or directory"
}

@test "a missing schema file exits 3" {
	run -3 --separate-stderr oak-validate --schema missing.json </dev/null
	assert_equal "$stderr" "oak-validate: missing.json: No such file or directory"
}

@test "OAK_SCHEMA_DIR chooses the schemas" {
	mkdir dir
	echo '{"type": "array"}' >dir/agent_invocation.json
	OAK_SCHEMA_DIR=$TMP/dir run -0 oak-validate <<<'[1]'
	assert_output '[1]'
}

@test "every reference record validates against its kind" {
	local s
	for s in basic unicode; do
		run -0 --separate-stderr oak-validate "$DATA/validate/$s/reference_invocations.jsonl" "$DATA/validate/$s/agent_invocations.jsonl"
		run -0 --separate-stderr oak-validate --kind update "$DATA/validate/$s/invocation_updates.jsonl"
		run -0 --separate-stderr oak-validate --kind metric "$DATA/validate/$s/success_metrics.jsonl"
		run -0 --separate-stderr oak-validate --kind performance-stats "$DATA/validate/$s/performance_stats.jsonl"
	done
}

@test "the seed's schema would refuse the reference's own records" {
	# duration_seconds null, feedback_notes null, would_use_again null
	grep -q '"duration_seconds": null' "$DATA/validate/basic/reference_invocations.jsonl"
	grep -q '"would_use_again": null' "$DATA/validate/basic/success_metrics.jsonl"
	grep -q '"feedback_notes": null' "$DATA/validate/basic/success_metrics.jsonl"
}

@test "joined and agent-stats records" {
	run -0 oak-validate --kind joined <<<"${GOOD%\}}, \"invocation_seq\": 1, \"success_metric\": {\"timestamp\": \"2025-10-13T09:30:01Z\", \"invocation_id\": \"i1\", \"success\": true, \"quality_rating\": 4}}"
	run -1 --separate-stderr oak-validate --kind joined <<<"${GOOD%\}}, \"invocation_seq\": 0}"
	assert_equal "$stderr" "oak-validate: -:1: /invocation_seq: 0 is less than the minimum of 1 (minimum)
oak-validate: 1 line rejected"
	stats='{"agent_name": "a", "invocation_count": 3, "success_rate": 0.5, "average_quality": 4.0, "average_duration_seconds": 0, "common_task_types": [], "common_failures": [], "recommended_for": [], "state": {"first_seq": 1, "successes": 1, "failures": 1, "partials": 0, "unknowns": 1, "duration_count": 0, "duration_sum_micro": 0, "quality_count": 1, "quality_sum_micro": 4000000, "task_types": [], "failure_messages": []}}'
	run -0 oak-validate --kind agent-stats <<<"$stats"
	run -1 --separate-stderr oak-validate --kind agent-stats <<<"${stats/\"first_seq\": 1, /}"
	assert_equal "$stderr" 'oak-validate: -:1: /state: missing required property "first_seq" (required)
oak-validate: 1 line rejected'
}

@test "man pages pass mandoc -Tlint (warnings and up)" {
	run -0 mandoc -Tlint -W warning "$TOP/man/oak-validate.1" "$TOP/man/oak-telemetry.5"
	assert_output ""
}

@test "man page examples" {
	# oak-validate(1): keep the good records and the bad ones aside
	printf '%s\n' "$GOOD" "$GOOD" "$GOOD" "$GOOD" "$GOOD" "$GOOD" "${GOOD/\"success\"/\"sucess\"}" >agent_invocations.jsonl
	run -1 --separate-stderr oak-validate --rejects bad.jsonl agent_invocations.jsonl
	assert_equal "$stderr" 'oak-validate: agent_invocations.jsonl:7: /outcome/status: "sucess" is not one of the allowed values (enum)
oak-validate: 1 line rejected'
	assert_equal "$(wc -l <bad.jsonl)" 1
	# a schema of one's own
	echo '{"required": ["id"]}' >id.json
	run -1 --separate-stderr oak-validate --schema id.json <<<'{"name": "x"}'
	assert_equal "$stderr" 'oak-validate: -:1: missing required property "id" (required)
oak-validate: 1 line rejected'
	# checking the feedback log for cron
	run -0 oak-validate -q --kind metric "$DATA/validate/basic/success_metrics.jsonl"
	assert_output ""
}
