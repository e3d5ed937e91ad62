#!/usr/bin/env bats
# pipelines/performance-stats: where it writes, and how stages fail.

load test_helper

@test "writes DIR/performance_stats.json by default, as the reference does" {
	cp -r "$DATA/reference/basic/append" tele
	run -0 performance-stats tele
	assert_output ''
	{ cat "$DATA/reference/basic/expected/performance_stats.json"; echo; } >want
	run -0 cmp want tele/performance_stats.json
}

@test "OAK_TELEMETRY_DIR, then ./telemetry, are the default directory" {
	cp -r "$DATA/reference/basic/append" telemetry
	run -0 performance-stats -o -
	assert_line --index 2 '  "total_invocations": 60,'
	OAK_TELEMETRY_DIR="$DATA/reference/ties/reference" run -0 performance-stats -o -
	assert_line --index 2 '  "total_invocations": 24,'
}

@test "rejected lines are reported, the stats still written, exit 1" {
	cp -r "$DATA/reference/basic/reference" tele
	echo 'garbage' >>tele/agent_invocations.jsonl
	run -1 --separate-stderr performance-stats tele -o out.json
	assert_equal "$stderr" "oak-join-by-invocation: tele/agent_invocations.jsonl:61: invalid JSON: unexpected character at column 1
oak-join-by-invocation: 1 line rejected"
	run -0 jq .total_invocations out.json
	assert_output 60
}

@test "a failing stage fails the pipeline with its message; the old file stays" {
	cp -r "$DATA/reference/basic/reference" tele
	echo '{"old": true}' >out.json
	rm tele/agent_invocations.jsonl
	mkdir tele/agent_invocations.jsonl   # unreadable as a file, even by root
	run -3 --separate-stderr performance-stats tele -o out.json
	assert_equal "$stderr" "oak-join-by-invocation: tele/agent_invocations.jsonl: Is a directory"
	run -0 cat out.json
	assert_output '{"old": true}'
}

@test "a stage killed by a fault still fails the pipeline" {
	mkdir bin tele
	printf '#!/bin/sh\ncat >/dev/null\nkill -SEGV $$\n' >bin/oak-rank
	chmod +x bin/oak-rank
	: >tele/agent_invocations.jsonl
	PATH="$PWD/bin:$PATH" run -139 performance-stats tele -o out.json
	run -1 test -e out.json
}

@test "an empty or missing log gives the reference's empty stats" {
	mkdir tele
	run -0 performance-stats tele -o -
	assert_output '{
  "generated_at": "2025-10-20T07:00:00Z",
  "total_invocations": 0,
  "agents": {}
}'
}

@test "-o to a pipe or device writes through it, never renames over it" {
	mkfifo fifo
	cat fifo >got &
	run -0 performance-stats "$DATA/reference/ties/reference" -o fifo
	wait
	run -0 test -p fifo
	run -0 jq .total_invocations got
	assert_output 24
}

@test "usage errors exit 2" {
	run -2 --separate-stderr performance-stats --frobnicate
	assert_equal "${stderr_lines[0]}" "oak-performance-stats: unknown option: --frobnicate"
	run -2 --separate-stderr performance-stats /no/such/dir -o -
	assert_equal "$stderr" "oak-performance-stats: /no/such/dir: no such telemetry directory"
}

@test "an output that cannot be written is an I/O error (3), and nothing is left behind" {
	run -3 --separate-stderr performance-stats "$DATA/reference/ties/reference" -o no/such/dir/out.json
	assert_equal "$stderr" "oak-performance-stats: no/such/dir/out.json: cannot write"
	mkdir out.json
	run -3 --separate-stderr performance-stats "$DATA/reference/ties/reference" -o out.json
	assert_equal "$stderr" "oak-performance-stats: out.json: cannot write: a directory"
	run sh -c 'ls -d out.json* no* 2>/dev/null'
	assert_output 'out.json'
}

@test "an interrupted run leaves no partial file" {
	mkdir bin tele
	# the pipeline script is the parent of the stage's subshell
	printf '#!/bin/sh\ncat >/dev/null\nkill -TERM "$(cut -d" " -f4 /proc/$PPID/stat)"\nsleep 5\n' >bin/oak-render-report
	chmod +x bin/oak-render-report
	: >tele/agent_invocations.jsonl
	PATH="$PWD/bin:$PATH" run performance-stats tele -o out.json
	assert_equal "$status" 3
	run -0 ls -A
	assert_output $'bin\ntele'
}
