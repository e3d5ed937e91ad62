#!/usr/bin/env bats
# -j N on oak-weekly-report and oak-performance-stats: N shards of
# join | group at once, merged by oak-group-by-agent --merge. The oracle
# is the same pipeline at -j 1: stdout byte for byte, the exit status,
# and the standard error once sorted (the pieces run concurrently).

load test_helper
load stop_helper

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
	stopped TERM 143 3 weekly-report --all
}

@test "-j N: imported transcripts with tokens by kind and cost, the same bytes for every N" {
	unset OAK_TELEMETRY_DIR CLAUDE_CONFIG_DIR OAK_PRICING
	oak-import claude-code --dir tok "$DATA/claude-code/v1/projects" \
		"$DATA/claude-code/v2/projects"
	same tok --all
	same tok --all --format json
	same tok --all --format markdown --extended
	same tok --all --by model --format json
	grep -q '"cost_unpriced"' <(oak-join-by-invocation --updates tok/invocation_updates.jsonl tok/agent_invocations.jsonl | oak-group-by-agent)
}
