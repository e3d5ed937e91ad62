#!/usr/bin/env bats
# A report whose window holds no invocation says why, once on stderr and
# in every format, and where the logs' invocations are (join --summary,
# read by render --logs-summary). The text format names its window under
# the title, except with --all (the seed's layout, tests/golden.bats).
# 2026-11-30 is a Monday: ISO week 2026-W49 begins, W48 is the last
# complete week (GNU date: date -d 2026-11-30 +%G-W%V).

bats_require_minimum_version 1.5.0
load test_helper

NOTE='no invocations in 2026-W48 (2026-11-23 to 2026-11-30); the logs hold 3, from 2026-11-30 to 2026-11-30: try --week 2026-W49 or --all'

setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
	# three calls logged today, 2026-11-30, at 09:00, 10:00 and 11:00
	for h in 09 10 11; do
		export SOURCE_DATE_EPOCH=$(date -u -d "2026-11-30T$h:00:00Z" +%s)
		id=$(oak-log --dir t start --agent tester --type quality --task "run $h")
		oak-log --dir t end "$id" --status success --duration 12
	done
	export SOURCE_DATE_EPOCH=$(date -u -d 2026-11-30T12:00:00Z +%s)
}

@test "text: the window under the title, the note under it, and once on stderr" {
	run -0 --separate-stderr weekly-report t
	assert_equal "$stderr" "oak-render-report: $NOTE"
	assert_line --index 0 '======================================================================'
	assert_line --index 1 'CLAUDE OAK AGENTS - TELEMETRY SUMMARY'
	assert_line --index 3 'Window: 2026-W48 (2026-11-23 to 2026-11-30)'
	assert_line --index 4 "Note: $NOTE"
	assert_line --index 5 'Generated: 2026-11-30T12:00:00Z'
	# the rest is the seed's empty report (tests/golden.bats)
	printf '%s\n' "$output" | sed '/^Window: /d; /^Note: /d' >got
	mkdir empty
	weekly-report --all empty >want
	diff -u want got
}

@test "markdown, html and json carry the note; the json still fits its schema" {
	run -0 --separate-stderr weekly-report t --format markdown
	assert_equal "$stderr" "oak-render-report: $NOTE"
	assert_line "- Note: $NOTE"
	run -0 --separate-stderr weekly-report t --format html
	assert_line "<p class=\"note\">$NOTE</p>"
	run -0 --separate-stderr weekly-report t --format json
	printf '%s\n' "$output" >r.json
	run -0 jq -r .note r.json
	assert_output "$NOTE"
	run -0 oak-validate --schema "$TOP/schemas/weekly_report.json" r.json
}

@test "text with --extended: the note once, under the title" {
	run -0 --separate-stderr weekly-report t --extended
	run -0 grep -c 'no invocations' <<<"$output"
	assert_output 1
}

@test "the week the note suggests holds the calls; no note there" {
	run -0 --separate-stderr weekly-report t --week 2026-W49
	assert_equal "$stderr" ''
	assert_line 'Window: 2026-W49 (2026-11-30 to 2026-12-07)'
	assert_line 'Total Invocations: 3'
	refute_line --partial 'Note:'
	run -0 --separate-stderr weekly-report t --format json --week 2026-W49
	run -1 jq -e 'has("note")' <<<"$output"
}

@test "--all keeps the seed's layout: no window line, no note" {
	run -0 --separate-stderr weekly-report t --all
	assert_equal "$stderr" ''
	assert_line --index 1 'CLAUDE OAK AGENTS - TELEMETRY SUMMARY'
	assert_line --index 3 'Generated: 2026-11-30T12:00:00Z'
	refute_line --partial 'Window:'
}

@test "a window of dates is named by its dates" {
	run -0 --separate-stderr weekly-report t --since 2026-11-01 --until 2026-11-15
	assert_line 'Window: 2026-11-01 to 2026-11-15'
	assert_equal "$stderr" 'oak-render-report: no invocations in 2026-11-01 to 2026-11-15; the logs hold 3, from 2026-11-30 to 2026-11-30: try --week 2026-W49 or --all'
	run -0 --separate-stderr weekly-report t --since 2026-12-01T08:30:00Z
	assert_line 'Window: 2026-12-01T08:30:00Z to now'
}

@test "an empty telemetry directory: the logs hold none yet" {
	mkdir empty
	run -0 --separate-stderr weekly-report empty --format markdown
	assert_equal "$stderr" 'oak-render-report: no invocations in 2026-W48 (2026-11-23 to 2026-11-30); the logs hold none yet'
	assert_line '- Note: no invocations in 2026-W48 (2026-11-23 to 2026-11-30); the logs hold none yet'
}

@test "join --summary counts the logs in and out of the window" {
	run -0 oak-join-by-invocation --week 2026-W48 --summary s.json t/agent_invocations.jsonl
	assert_output ''
	run -0 cat s.json
	assert_output '{"invocations": 3, "in_window": 0, "rejected": 0, "never_started": 0, "first": "2026-11-30T09:00:00Z", "last": "2026-11-30T11:00:00Z"}'
	run -0 oak-join-by-invocation --summary s.json </dev/null
	run -0 cat s.json
	assert_output '{"invocations": 0, "in_window": 0, "rejected": 0, "never_started": 0}'
}

@test "render --logs-summary: a missing or unreadable summary is no note" {
	echo '{"invocations": 5, "in_window": 0, "first": "2026-01-01T00:00:00Z", "last": "2026-02-03T10:00:00Z"}' >s.json
	run -0 --separate-stderr oak-render-report --format report-json --week 2026-W10 --logs-summary s.json </dev/null
	assert_equal "$stderr" 'oak-render-report: no invocations in 2026-W10 (2026-03-02 to 2026-03-09); the logs hold 5, from 2026-01-01 to 2026-02-03: try --week 2026-W06 or --all'
	echo 'not json' >bad.json
	run -0 --separate-stderr oak-render-report --format report-json --week 2026-W10 --logs-summary bad.json </dev/null
	assert_equal "$stderr" ''
	run -0 --separate-stderr oak-render-report --format report-json --week 2026-W10 --logs-summary absent.json </dev/null
	assert_equal "$stderr" ''
}
