#!/usr/bin/env bats
# The report's window, its statistics beyond the seed, and the merge of
# the extended AgentStats state.

load test_helper
load stop_helper

REF="$DATA/reference"

# The pipelines under their installed names (oak-weekly-report, ...).
installed_names() {
	mkdir -p "$TMP/bin"
	for p in "$TOP"/pipelines/*; do
		ln -s "$p" "$TMP/bin/oak-$(basename "$p")"
	done
	PATH="$TMP/bin:$PATH"
}

join_dir() {
	d=$1
	shift
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$@" "$d/agent_invocations.jsonl"
}

@test "group-by-agent --merge of shards equals one run byte for byte (extended state)" {
	d="$REF/larger/append"
	join_dir "$d" | oak-group-by-agent >one
	for k in 1 2 3; do
		join_dir "$d" --shard "$k/3" | oak-group-by-agent >"part$k"
	done
	oak-group-by-agent --merge part1 part2 part3 >merged
	run -0 cmp one merged
	oak-group-by-agent --merge part3 part1 part2 >merged2
	run -0 cmp one merged2
	# and a merge of merges
	oak-group-by-agent --merge part2 part3 >p23
	oak-group-by-agent --merge p23 part1 >merged3
	run -0 cmp one merged3
	run -0 jq -e 'select(.state.duration_hist | length > 0) | .state.days | length > 1' one
}

@test "join: --week selects the ISO week, --week last the last complete one, --previous the one before" {
	d="$REF/larger/append"
	join_dir "$d" --since 2025-10-13 --until 2025-10-20 >a
	join_dir "$d" --week 2025-W42 >b
	join_dir "$d" --week last >c
	run -0 cmp a b
	run -0 cmp a c
	join_dir "$d" --week 2025-W43 --previous >e
	run -0 cmp a e
	run -0 jq -rs 'map(.timestamp) | (min >= "2025-10-13") and (max < "2025-10-20")' a
	assert_output true
	# offsets compare as instants: 00:00+02:00 is 22:00Z the day before
	join_dir "$d" --since 2025-10-13T00:00:00+02:00 --until 2025-10-19T22:00:00-02:00 >f
	join_dir "$d" >all
	run -0 jq -rs 'length' f
	n=$output
	run -0 jq -rs 'map(select(.timestamp >= "2025-10-12T22:00:00Z" and .timestamp < "2025-10-20T00:00:00Z")) | length' all
	assert_equal "$n" "$output"
	run -2 --separate-stderr oak-join-by-invocation --week 2025-W53 /dev/null
	[[ $stderr == *--week* ]]
	run -2 --separate-stderr oak-join-by-invocation --week last --since 2025-10-01 /dev/null
	run -2 --separate-stderr oak-join-by-invocation --previous /dev/null
}

@test "weekly-report: every format on every reference scenario, both forms" {
	for s in basic ties unicode larger empty; do
		for form in reference append; do
			d="$REF/$s/$form"
			run -0 weekly-report "$d" --format markdown
			assert_line '# Agent telemetry report'
			run -0 weekly-report "$d" --format html -o r.html
			run -0 grep -c '</html>' r.html
			weekly-report "$d" --all --format json >r.json
			run -0 oak-validate --schema "$TOP/schemas/weekly_report.json" r.json
			run -0 jq -e --slurpfile p "$REF/$s/expected/performance_stats.json" \
				'.total_invocations == $p[0].total_invocations' r.json
			run -0 weekly-report "$d" --week last --by day --format text
			assert_line 'BEYOND THE SEED'
		done
	done
}

@test "weekly-report: the json's seed fields are performance_stats.json's" {
	d="$REF/larger/append"
	weekly-report "$d" --all --format json >r.json
	run -0 jq -S '.agents | map({key: .agent_name, value: {invocation_count, success_rate, average_quality, average_duration_seconds, common_task_types, recommended_for}}) | from_entries' r.json
	echo "$output" >got
	jq -S '.agents | map_values({invocation_count, success_rate, average_quality, average_duration_seconds, common_task_types, recommended_for})' \
		"$REF/larger/expected/performance_stats.json" >want
	run -0 diff -u want got
}

@test "weekly-report: without a window, the last complete ISO week; --all, everything" {
	d="$REF/larger/append"
	weekly-report "$d" --format json >default.json
	weekly-report "$d" --week last --format json >last.json
	run -0 cmp default.json last.json
	run -0 jq .total_invocations default.json
	assert_output 142
	run -0 sh -c "weekly-report '$d' --all --format json | jq .total_invocations"
	assert_output 2000
	run -2 --separate-stderr weekly-report "$d" --all --week last
	assert_equal "$stderr" "oak-weekly-report: --all and a window exclude each other"
}

@test "weekly-report: --week last is the last complete ISO week before SOURCE_DATE_EPOCH" {
	d="$REF/larger/append"
	weekly-report "$d" --week last --format json >a.json
	weekly-report "$d" --week 2025-W42 --format json >b.json
	weekly-report "$d" --since 2025-10-13 --until 2025-10-20 --format json >c.json
	run -0 cmp a.json b.json
	run -0 cmp a.json c.json
	run -0 jq -c .window a.json
	assert_output '{"since":"2025-10-13T00:00:00Z","until":"2025-10-20T00:00:00Z"}'
	SOURCE_DATE_EPOCH=1761548400 weekly-report "$d" --week last --format json >d.json  # Mon 2025-10-27
	run -0 jq -r .window.since d.json
	assert_output 2025-10-20T00:00:00Z
	# the same count jq finds by start timestamp
	run -0 jq -r .total_invocations a.json
	n=$output
	run -0 jq -s '[.[] | select(.timestamp >= "2025-10-13" and .timestamp < "2025-10-20")] | length' "$REF/larger/reference/agent_invocations.jsonl"
	assert_equal "$n" "$output"
}

@test "weekly-report: --baseline previous and SINCE..UNTIL give the same comparison" {
	d="$REF/larger/append"
	weekly-report "$d" --week 2025-W43 --baseline previous --format json >a.json
	weekly-report "$d" --week 2025-W43 --baseline 2025-10-13..2025-10-20 --format json >b.json
	run -0 cmp a.json b.json
	run -0 jq -e '.baseline.agents | length == 6' a.json
	run -0 weekly-report "$d" --week 2025-W43 --baseline previous --format markdown
	assert_line '## Compared with the baseline'
	assert_line '## New and gone agents'
	run -2 --separate-stderr weekly-report "$d" --all --baseline previous
	[[ $stderr == *"needs a window"* ]]
	run -2 --separate-stderr weekly-report "$d" --week 2025-W43 --baseline lastyear
}

@test "weekly-report: --by day|week|month tables" {
	d="$REF/larger/append"
	run -0 weekly-report "$d" --since 2025-10-01 --until 2026-01-01 --by month --format markdown
	assert_line '## Per month'
	assert_line --regexp '^\| 2025-12 \| frontend-developer \| [0-9]+ \|'
	weekly-report "$d" --since 2025-10-01 --until 2026-01-01 --by week --format json >w.json
	run -0 jq -e '(.periods.rows | map(.invocations) | add) == .total_invocations' w.json
	run -0 jq -e '.periods.rows == .weeks' w.json
	run -2 weekly-report "$d" --by year
}

@test "weekly-report: a failing stage fails the pipeline; -o keeps the old file" {
	mkdir t
	cp "$REF/basic/append/"* t/
	echo 'not json' >>t/agent_invocations.jsonl
	run -1 --separate-stderr weekly-report t --format markdown -o out.md
	[[ $stderr == *"agent_invocations.jsonl:61:"* ]]
	[ -s out.md ]
	echo old >keep.md
	run -2 weekly-report t --week 2025-W99 -o keep.md
	run -0 cat keep.md
	assert_output old
	run -2 weekly-report t --format pdf
}

@test "weekly-report: generated telemetry (tools/gen-telemetry), every format" {
	"$TOP/tools/gen-telemetry" -n 3000 -s 7 -f append g
	for f in text markdown html json; do
		run -0 weekly-report g --format "$f" --by week -o "r.$f"
	done
	run -0 oak-validate --schema "$TOP/schemas/weekly_report.json" r.json
	if [ -d "$TOP/examples" ]; then
		for e in "$TOP"/examples/*/; do
			[ -e "$e/agent_invocations.jsonl" ] || continue
			for f in text markdown html json; do
				run -0 weekly-report "$e" --format "$f" -o "ex.$f"
			done
		done
	fi
}

@test "examples/cron: each job runs as cron would run it" {
	installed_names
	mkdir reports
	grep -E '^[0-9]' "$TOP/examples/cron" | sed -E 's/^([^ ]+ +){5}//; s/\\%/%/g' >jobs
	run -0 wc -l <jobs
	assert_output 2
	while IFS= read -r job; do
		HOME=$TMP OAK_TELEMETRY_DIR="$REF/larger/append" sh -c "$job" >>mail
	done <jobs
	run -0 grep -c '^# Agent telemetry report$' mail
	run -0 ls reports
	assert_output --regexp '^[0-9]{4}-W[0-9]{2}\.html'
}

@test "examples/oak-weekly.service and .timer: Monday 07:00, and the service's command runs" {
	installed_names
	run -0 grep -Fx 'OnCalendar=Mon *-*-* 07:00:00' "$TOP/examples/oak-weekly.timer"
	if command -v systemd-analyze >/dev/null; then
		run -0 systemd-analyze calendar 'Mon *-*-* 07:00:00'
	fi
	cmd=$(sed -n 's/^ExecStart=//p' "$TOP/examples/oak-weekly.service")
	# systemd's %% is a %; the command is /bin/sh -c '...'
	script=$(printf '%s\n' "$cmd" | sed "s/%%/%/g; s/^\/bin\/sh -c '//; s/'\$//")
	OAK_TELEMETRY_DIR="$REF/larger/append" OAK_REPORTS="$TMP/out" sh -c "$script"
	run -0 ls out
	assert_line --regexp '^[0-9]{4}-W[0-9]{2}\.html$'
	assert_line --regexp '^[0-9]{4}-W[0-9]{2}\.md$'
}

# The stop tests (stopped, tests/stop_helper.bash). Each signal has a
# test and a FIFO of its own: a feeder of an earlier run, still dying,
# would hold the FIFO open with a part line in it.
@test "SIGTERM stops the whole pipeline at once: 143, no partial file" {
	stopped TERM 143 1 weekly-report --all
}

@test "SIGINT stops the whole pipeline at once: 130, no partial file" {
	stopped INT 130 1 weekly-report --all
}
