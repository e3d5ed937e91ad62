#!/usr/bin/env bats
# oak-features: the feature table, checked cell by cell by Python's csv
# module against the JSONL (tests/features.py computes every expected
# value from the JSON itself), the exact layout on a small input, the
# column set, and bad input.

load test_helper

SMALL="$DATA/features/small.jsonl"

@test "generated records with nested, missing and odd-texted features: CSV read by Python's csv module equals the JSONL, cell by cell" {
	python3 "$TOP/tests/features.py" generate 400 11 >gen.jsonl
	oak-features gen.jsonl >gen.csv
	run -0 python3 "$TOP/tests/features.py" check gen.jsonl gen.csv csv
	assert_output --regexp '^400 rows, [0-9]+ columns, [0-9]+ cells checked$'
}

@test "the same records as TSV, unescaped, equal the JSONL cell by cell" {
	python3 "$TOP/tests/features.py" generate 400 12 >gen.jsonl
	oak-features --format tsv gen.jsonl >gen.tsv
	run -0 python3 "$TOP/tests/features.py" check gen.jsonl gen.tsv tsv
	assert_output --regexp '^400 rows, [0-9]+ columns, [0-9]+ cells checked$'
}

@test "CSV: RFC 4180 quoting, CRLF, \"\" for an empty string, arrays joined with escapes and counted, numbers as written" {
	oak-features "$SMALL" >got.csv
	cmp got.csv "$DATA/features/small.csv"
	run -0 sh -c 'tr "\r" "|" <got.csv | tail -n 3'
	assert_output - <<'OUT'
1,2025-10-13T07:00:00Z,,,,a,,"say ""hi"", then
leave","","x\;y;back\\slash;3;{""k"": 1}",4,,bug_fix,success,1e-07,,,1200,,,,|
2,2025-10-13T08:00:00Z,,,,b,,,,,0,small,,,,,,,,false,2,true|
OUT
}

@test "TSV: backslash escapes, LF, header" {
	run -0 oak-features --format tsv "$SMALL"
	assert_output "$(cat "$DATA/features/small.tsv")"
	run -0 sh -c "oak-features --format tsv '$SMALL' | sed -n 2p | cut -f 8,10"
	assert_output 'say "hi", then\nleave	x\\;y;back\\\\slash;3;{"k": 1}'
}

@test "columns: identity, state features sorted by name, labels" {
	run -0 oak-features --list-columns "$SMALL"
	assert_output - <<'OUT'
invocation_id
timestamp
session_id
metadata.workflow_id
parent_invocation_id
agent_name
agent_type
task_description
state_features.empty
state_features.tags
state_features.tags.count
state_features.task.scope
state_features.task.type
outcome.status
duration_seconds
metadata.usage.input_tokens
metadata.usage.output_tokens
metadata.total_tokens
metadata.cost_usd
success_metric.success
success_metric.quality_rating
success_metric.would_use_again
OUT
	# the order does not hang on the input's order
	tac "$SMALL" | oak-features --list-columns >reversed
	oak-features --list-columns "$SMALL" | cmp - reversed
}

@test "standard input is read twice through a temporary file: same bytes as the file" {
	oak-features "$SMALL" >file.csv
	oak-features <"$SMALL" >stdin.csv
	cmp file.csv stdin.csv
	oak-features - <"$SMALL" | cmp - file.csv
}

@test "--columns fixes the set: missing columns empty, features not listed noted once and left out" {
	printf '%s\n' agent_name state_features.task.type state_features.nope \
		success_metric.quality_rating >cols
	run -0 --separate-stderr sh -c \
		"oak-features --columns cols '$SMALL' '$SMALL' | tr '\\r' '|'"
	assert_output - <<'OUT'
agent_name,state_features.task.type,state_features.nope,success_metric.quality_rating|
a,bug_fix,,|
b,,,2|
a,bug_fix,,|
b,,,2|
OUT
	assert_equal "$stderr" "oak-features: state_features.tags: not among the columns: left out
oak-features: state_features.empty: not among the columns: left out
oak-features: state_features.task.scope: not among the columns: left out"
	# an array's count alone may be listed
	printf '%s\n' state_features.tags.count >cols
	run -0 --separate-stderr sh -c "oak-features --columns cols '$SMALL' | tr -d '\\r'"
	assert_output $'state_features.tags.count\n4\n0'
}

@test "--columns: a name that is no column, or one named twice, is a usage error" {
	printf '%s\n' agent_name colour >cols
	run -2 --separate-stderr oak-features --columns cols "$SMALL"
	assert_equal "$stderr" "oak-features: cols:2: not a column: colour"
	printf '%s\n' agent_name agent_name >cols
	run -2 --separate-stderr oak-features --columns cols "$SMALL"
	assert_equal "$stderr" "oak-features: cols:2: column named twice: agent_name"
	run -3 --separate-stderr oak-features --columns no-such-file "$SMALL"
}

@test "bad lines are reported with file:line, counted, copied to --rejects; the other rows are written" {
	{
		echo 'not json'
		echo '{"invocation_id": "3"}'
		echo '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "4", "agent_name": "c", "task_description": "nul\u0000"}'
		echo '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "5", "agent_name": "c", "state_features": {"a.b": 1, "a": {"b": 2}}}'
		cat "$SMALL"
	} >bad.jsonl
	run -1 --separate-stderr oak-features --rejects rejects bad.jsonl
	assert_equal "$stderr" 'oak-features: bad.jsonl:1: invalid JSON: unexpected character at column 1
oak-features: bad.jsonl:2: missing "timestamp"
oak-features: bad.jsonl:3: a NUL character (\u0000) in column task_description
oak-features: bad.jsonl:4: two values for column state_features.a.b
oak-features: 4 lines rejected'
	[ "${#lines[@]}" -eq 4 ]    # header, two rows (one spans two lines)
	head -n 4 bad.jsonl | cmp - rejects
	run -1 --separate-stderr oak-features --strict bad.jsonl
	assert_equal "$stderr" 'oak-features: bad.jsonl:1: invalid JSON: unexpected character at column 1'
}

@test "-h on stdout with status 0; a wrong option or format is a usage error" {
	run -0 oak-features -h
	assert_line --index 0 --regexp '^usage: oak-features '
	run -2 --separate-stderr oak-features --colour
	run -2 --separate-stderr oak-features --format xlsx "$SMALL"
	assert_equal "$stderr" "oak-features: --format: want csv or tsv: xlsx"
	run -2 --separate-stderr oak-features --columns x --list-columns
	run -0 oak-features --version
	assert_output --regexp '^oak-features [0-9.]+$'
}

@test "an unreadable input is an I/O error" {
	run -3 --separate-stderr oak-features no-such.jsonl
	assert_equal "$stderr" "oak-features: no-such.jsonl: No such file or directory"
}
