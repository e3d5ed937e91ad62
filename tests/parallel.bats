#!/usr/bin/env bats
# -j N on oak-weekly-report and oak-performance-stats: N shards of
# join | group at once, merged by oak-group-by-agent --merge. The oracle
# is the same pipeline at -j 1: stdout byte for byte, the exit status,
# and the standard error once sorted (the pieces run concurrently).

load test_helper

EX="$TOP/examples"
REF="$DATA/reference"

# same DIR ARGS...: the report at -j 2, 3, 7 and 16 is the -j 1 report.
same() {
	d=$1
	shift
	rc1=0
	weekly-report "$d" "$@" -j 1 >out.1 2>err.1 || rc1=$?
	sort err.1 >serr.1
	for j in 2 3 7 16; do
		rc=0
		weekly-report "$d" "$@" -j "$j" >"out.$j" 2>"err.$j" || rc=$?
		sort "err.$j" >"serr.$j"
		[ "$rc" -eq "$rc1" ] || { echo "-j $j: status $rc, not $rc1"; return 1; }
		cmp out.1 "out.$j"
		cmp serr.1 "serr.$j"
	done
}

@test "-j N: the examples' reports, --all and --week 2025-W42, are the same bytes for every N" {
	for d in "$EX/telemetry" "$EX/telemetry-reference"; do
		same "$d" --all
		[ -s out.1 ]
		same "$d" --week 2025-W42
		same "$d" --week 2025-W42 --format json
		same "$d" --week 2025-W42 --format html --baseline 2025-10-01..2025-10-13
	done
}

@test "-j N: the reference fixtures, every format and a baseline, the same bytes for every N" {
	for d in "$REF"/*/reference "$REF"/*/append; do
		same "$d" --all
		same "$d" --week 2025-W42
		same "$d" --week 2025-W43 --baseline previous --format json
		same "$d" --week 2025-W42 --format markdown --extended
	done
}

@test "-j N: a window found empty says where the logs are, as one join says it" {
	same "$REF/basic/reference" --week 2025-W43
	run -0 cat err.16
	assert_output --partial 'no invocations in 2025-W43'
	assert_output --partial 'the logs hold'
}

# bad DIR: the example logs with invalid JSON and schema-invalid lines
# appended to each, some with ids (of every shard), and metrics for ids
# never started.
bad() {
	mkdir -p "$1"
	cp "$EX/telemetry"/*.jsonl "$1/"
	{
		echo 'not json'
		echo '{"invocation_id": 5}'
		for i in 1 2 3 4 5 6 7 8; do
			echo "{\"invocation_id\": \"bad-$i\", \"timestamp\": 7}"
		done
	} >>"$1/agent_invocations.jsonl"
	echo '{bad' >>"$1/invocation_updates.jsonl"
	for i in 1 2 3 4 5 6 7 8; do
		echo "{\"timestamp\": \"2025-10-14T00:00:00Z\", \"invocation_id\": \"orphan-$i\", \"success\": true, \"quality_rating\": 3, \"feedback_source\": \"human\", \"feedback_notes\": null, \"would_use_again\": false, \"alternative_agent_suggested\": null}"
	done >>"$1/success_metrics.jsonl"
	echo '{"invocation_id": "x", "timestamp": "2025-10-14T00:00:00Z"}' \
		>>"$1/success_metrics.jsonl"
}

@test "-j N: bad lines are reported once each, the counts and notes summed, the same status" {
	bad logs
	same logs --all
	[ "$rc1" -eq 1 ]
	same logs --week 2025-W42 --baseline 2025-10-01..2025-10-13
	# each bad line once (the baseline run reports them again, as at -j 1)
	same logs --week 2025-W42
	run -0 grep -c 'agent_invocations.jsonl:401: invalid JSON' err.16
	assert_output 1
	run -0 grep -c 'agent_invocations.jsonl:40[3-9]\|agent_invocations.jsonl:410' err.7
	assert_output 8
	run -0 grep -F 'lines rejected' err.7
	assert_output 'oak-join-by-invocation: 12 lines rejected'
	run -0 grep -F 'never started' err.7
	assert_output "oak-join-by-invocation: logs/success_metrics.jsonl:301: note: 8 metrics for invocation ids never started (first here)"
}

@test "-j N: --workflows runs one join (its stream in one join's order): the same bytes" {
	same "$EX/telemetry" --all --workflows
	same "$EX/telemetry" --week 2025-W42 --workflows --format json
}

@test "oak-performance-stats -j N writes the same file" {
	for j in 1 2 7; do
		performance-stats "$REF/larger/append" -j "$j" -o "stats.$j"
	done
	cmp stats.1 stats.2
	cmp stats.1 stats.7
}

@test "-j: not a number from 1 is a usage error" {
	for j in 0 x -1 ''; do
		run -2 weekly-report "$EX/telemetry" --all -j "$j"
		assert_output --partial '-j: want a number from 1'
	done
	run -2 weekly-report "$EX/telemetry" --all -j
	run -2 performance-stats "$EX/telemetry" -j
}

@test "-j 3: SIGTERM stops every piece at once: 143, no partial file" {
	# The invocation log is a FIFO fed without end by a generator, so
	# the stages are busy and still running when the signal comes, on a
	# fast machine or a slow one; the generator ends on the broken pipe.
	mkdir big
	mkfifo big/agent_invocations.jsonl
	awk 'BEGIN { for (i = 0; ; i++) printf "{\"timestamp\": \"2025-10-13T08:00:00Z\", \"session_id\": \"s\", \"invocation_id\": \"id-%d\", \"agent_name\": \"a%d\", \"agent_type\": \"development\", \"task_description\": \"t\", \"state_features\": {}, \"parent_invocation_id\": null, \"tools_used\": [], \"duration_seconds\": 12.5, \"outcome\": {\"status\": \"success\", \"error_message\": null, \"files_modified\": [], \"files_created\": [], \"tests_passed\": null, \"build_succeeded\": null}, \"metadata\": {}}\n", i, i % 7 }' >big/agent_invocations.jsonl &
	"$TOP/pipelines/weekly-report" big --all -j 3 -o out.txt 2>err &
	pid=$!
	for _ in $(seq 200); do
		[ "$(pgrep -fc "oak-join-by-invocation.*big/agent_invocations")" -ge 3 ] && break
		sleep 0.05
	done
	run pgrep -fc "oak-join-by-invocation.*big/agent_invocations"
	assert_output 3
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]
	# a stage killed on a loaded machine may take a moment to go
	gone "big/agent_invocations"
	run ! pgrep -f "oak-group-by-agent --merge"
	run -0 ls
	assert_output $'big\nerr'
	# nothing goes on after the signal: no merge of missing pieces
	run -0 cat err
	assert_output ''
}
