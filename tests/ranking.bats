#!/usr/bin/env bats
# oak-ranking -j N (issue 13): the pieces of weekly-report's -j N, ranked;
# the oracle is the same ranking at -j 1 (itself checked against the
# seed's layout in tests/rank.bats): stdout byte for byte, the status,
# and the standard error once sorted (the pieces run at once).

load test_helper
load stop_helper

EX="$TOP/examples"
REF="$DATA/reference"

# same DIR ARGS...: the ranking's output, status and sorted standard
# error at -j 2 and 3 are those at -j 1 (its status left in rc1).
same() {
	for j in 1 2 3; do
		rc=0
		ranking "$@" -j "$j" >"out.$j" 2>"err.$j" || rc=$?
		echo "$rc" >"rc.$j"
		sort -o "err.$j" "err.$j"
	done
	for j in 2 3; do
		cmp rc.1 "rc.$j" && cmp out.1 "out.$j" && cmp err.1 "err.$j"
	done
	rc1=$(cat rc.1)
}

@test "oak-ranking -j N: the same bytes for N = 1, 2, 3, text and JSON, with --task-type and --top" {
	for d in "$EX/telemetry" "$EX/telemetry-reference" "$REF/basic/reference"; do
		same "$d"
		[ -s out.1 ]
		same "$d" --json
		same "$d" --task-type analysis --top 2
		same "$d" --json --task-type testing
	done
	# the seed's layout (tests/rank.bats has it whole), from 3 pieces
	run -0 ranking "$REF/basic/reference" --top 1 -j3
	assert_line -n 1 'AGENT RANKING (Overall Performance)'
	assert_line -n 3 '1. frontend-developer (Score: 0.974)'
	assert_line -n 4 '   Success: 100.0% | Quality: 4.67/5 | Uses: 8'
}

@test "oak-ranking -j N: bad lines reported once each, the same status" {
	mkdir logs
	cp "$EX/telemetry"/*.jsonl logs/
	{
		echo 'not json'
		for i in 1 2 3 4 5 6; do
			echo "{\"invocation_id\": \"bad-$i\", \"timestamp\": 7}"
		done
	} >>logs/agent_invocations.jsonl
	same logs
	[ "$rc1" -eq 1 ]
	# each bad line once, in any piece: the same sorted stderr as -j 1
	[ "$(grep -c 'invalid JSON' err.3)" -eq 1 ]
	[ "$(grep -cF 'lines rejected' err.3)" -eq 1 ]
	grep -qxF 'oak-join-by-invocation: 7 lines rejected' err.3
}

@test "oak-ranking: -o writes the file; usage errors" {
	ranking "$EX/telemetry" -j 2 -o r.txt
	ranking "$EX/telemetry" >r1.txt
	cmp r.txt r1.txt
	for j in 0 x -1; do
		run -2 ranking "$EX/telemetry" -j "$j"
		assert_output --partial 'oak-ranking: -j: want a number from 1'
	done
	run -2 ranking "$EX/telemetry" -j
	run -2 ranking "$EX/telemetry" --top
	run -2 ranking "$EX/telemetry" --bogus
	assert_line -n 0 'oak-ranking: unknown option: --bogus'
	run -2 ranking /no/such/dir
	assert_output 'oak-ranking: /no/such/dir: no such telemetry directory'
	run -0 ranking -h
	assert_output 'usage: oak-ranking [DIR] [--task-type T] [--top N] [--json] [-o FILE] [-j N]'
}

@test "oak-ranking -j 3: SIGTERM stops every piece at once: 143, no partial file" {
	stopped TERM 143 3 ranking
}

@test "oak-ranking: SIGINT stops every stage: 130, no partial file" {
	stopped INT 130 1 ranking
}
