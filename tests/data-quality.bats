#!/usr/bin/env bats
# The reports' data quality line: the lines join rejected, the updates
# and metrics for ids never started (notes, which leave the exit status
# alone), and how many of the invocations logged the window holds; from
# join's --summary, read by render --logs-summary. The seed's text
# report (no --extended) has no such line (tests/golden.bats).

load test_helper

# inv TIMESTAMP ID AGENT: one invocation as oak-log writes it.
inv() {
	printf '{"timestamp": "%s", "session_id": "s", "invocation_id": "%s", "agent_name": "%s", "agent_type": "quality", "task_description": "t", "state_features": {}, "parent_invocation_id": null, "tools_used": [], "duration_seconds": null, "outcome": {"status": "unknown", "error_message": null, "files_modified": [], "files_created": [], "tests_passed": null, "build_succeeded": null}, "metadata": {}}\n' "$@"
}

# t/: four invocations, three of them in 2025-W42 (2025-10-13 to
# 2025-10-20), and a line that is no JSON; two updates and a metric for
# ids never started (ghost1 to ghost3) and an update without its
# timestamp. So: 2 lines rejected, 3 notes, 3 of 4 invocations.
setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
	mkdir t
	{
		inv 2025-10-13T09:00:00Z a1 alpha
		inv 2025-10-14T09:00:00Z a2 alpha
		echo 'not json'
		inv 2025-10-15T09:00:00Z a3 beta
		inv 2025-10-21T09:00:00Z a4 beta
	} >t/agent_invocations.jsonl
	cat >t/invocation_updates.jsonl <<'J'
{"timestamp": "2025-10-13T09:01:00Z", "invocation_id": "a1", "duration_seconds": 60.0, "outcome": {"status": "success"}}
{"timestamp": "2025-10-14T09:01:00Z", "invocation_id": "a2", "duration_seconds": 30.0, "outcome": {"status": "failure", "error_message": "boom"}}
{"timestamp": "2025-10-14T09:02:00Z", "invocation_id": "ghost1", "duration_seconds": 5.0, "outcome": {"status": "success"}}
{"invocation_id": "a3", "duration_seconds": 5.0}
{"timestamp": "2025-10-16T09:02:00Z", "invocation_id": "ghost2", "duration_seconds": 5.0, "outcome": {"status": "success"}}
J
	cat >t/success_metrics.jsonl <<'J'
{"timestamp": "2025-10-13T10:00:00Z", "invocation_id": "a1", "success": true, "quality_rating": 4}
{"timestamp": "2025-10-13T10:00:00Z", "invocation_id": "ghost3", "success": true, "quality_rating": 2}
J
}

LINE='Data quality: 2 lines rejected, 3 notes (updates or metrics for ids never started); the window holds 3 of the 4 invocations logged'
JOIN_ERR='oak-join-by-invocation: t/invocation_updates.jsonl:4: missing required property "timestamp" (required)
oak-join-by-invocation: t/agent_invocations.jsonl:3: invalid JSON: unexpected character at column 1
oak-join-by-invocation: t/invocation_updates.jsonl:3: note: 2 updates for invocation ids never started (first here)
oak-join-by-invocation: t/success_metrics.jsonl:2: note: 1 metric for invocation ids never started (first here)
oak-join-by-invocation: 2 lines rejected'

@test "join --summary counts the lines rejected and the updates and metrics for ids never started" {
	run -1 --separate-stderr oak-join-by-invocation --validate --week 2025-W42 \
		--summary s.json --updates t/invocation_updates.jsonl \
		--metrics t/success_metrics.jsonl t/agent_invocations.jsonl
	assert_equal "$stderr" "$JOIN_ERR"
	run -0 cat s.json
	assert_output '{"invocations": 4, "in_window": 3, "rejected": 2, "never_started": 3, "first": "2025-10-13T09:00:00Z", "last": "2025-10-21T09:00:00Z"}'
}

@test "every report format says it: markdown, text --extended, html, json (which fits its schema)" {
	run -1 --separate-stderr weekly-report t --week 2025-W42 --format markdown
	assert_equal "$stderr" "$JOIN_ERR"
	assert_line --index 5 "- $LINE"
	run -1 weekly-report t --week 2025-W42 --extended
	assert_line "$LINE"
	run -1 weekly-report t --week 2025-W42 --format html
	assert_line "<p class=\"meta\">$LINE</p>"
	run -1 --separate-stderr weekly-report t --week 2025-W42 --format json
	printf '%s\n' "$output" >r.json
	run -0 jq -c .data_quality r.json
	assert_output '{"rejected_lines":2,"never_started":3,"invocations_logged":4,"in_window":3}'
	run -0 oak-validate --schema "$TOP/schemas/weekly_report.json" r.json
}

@test "the seed's text report has no data quality line" {
	run -1 weekly-report t --all
	refute_line --partial 'Data quality'
	# the default window, last week (2025-W42 by SOURCE_DATE_EPOCH):
	# the seed's layout, with its window under the title
	run -1 weekly-report t
	assert_line 'Window: 2025-W42 (2025-10-13 to 2025-10-20)'
	refute_line --partial 'Data quality'
}

@test "-j 3: the shards' counts add up to one join's" {
	run -1 --separate-stderr weekly-report t --week 2025-W42 --format markdown -j 3
	assert_line --index 5 "- $LINE"
}

@test "notes alone leave the exit status alone; one of each is singular" {
	sed -i '3d' t/agent_invocations.jsonl       # the line that is no JSON
	sed -i '/ghost2/d; /"a3"/d' t/invocation_updates.jsonl
	sed -i '/ghost3/d' t/success_metrics.jsonl
	run -0 --separate-stderr weekly-report t --all --format markdown
	assert_equal "$stderr" 'oak-join-by-invocation: t/invocation_updates.jsonl:3: note: 1 update for invocation ids never started (first here)'
	assert_line '- Data quality: 0 lines rejected, 1 note (update or metric for an id never started); the window holds 4 of the 4 invocations logged'
	echo '{"timestamp": "2025-10-13T09:01:00Z"}' >>t/success_metrics.jsonl
	run -1 weekly-report t --all --format markdown
	assert_line '- Data quality: 1 line rejected, 1 note (update or metric for an id never started); the window holds 4 of the 4 invocations logged'
}

@test "render: no summary, or one without the counts (an older join), is no line" {
	oak-join-by-invocation t/agent_invocations.jsonl 2>/dev/null |
		oak-group-by-agent | oak-rank >st
	run -0 oak-render-report --format markdown st
	refute_line --partial 'Data quality'
	echo '{"invocations": 4, "in_window": 4, "first": "2025-10-13T09:00:00Z", "last": "2025-10-21T09:00:00Z"}' >old.json
	run -0 oak-render-report --format markdown --logs-summary old.json st
	refute_line --partial 'Data quality'
	echo '{"invocations": 4, "in_window": 4, "rejected": -1, "never_started": 0, "first": "2025-10-13T09:00:00Z", "last": "2025-10-21T09:00:00Z"}' >neg.json
	run -0 oak-render-report --format markdown --logs-summary neg.json st
	refute_line --partial 'Data quality'
	echo '{"invocations": 4, "in_window": 4, "rejected": 0, "never_started": 0, "first": "2025-10-13T09:00:00Z", "last": "2025-10-21T09:00:00Z"}' >s.json
	run -0 oak-render-report --format markdown --logs-summary s.json st
	assert_line '- Data quality: 0 lines rejected, 0 notes (updates or metrics for ids never started); the window holds 4 of the 4 invocations logged'
}

# A line whose numbers do not fit AgentStats passes join's checks and is
# refused as it is counted (join --group): a rejected line, still one of
# the invocations logged in the window (join's counts are of the lines it
# took), and the report has the three others.
@test "a line group would refuse is rejected by join at its own line, and counted, for every -j" {
	inv 2025-10-15T10:00:00Z a5 beta |
		sed 's/"metadata": {}/"metadata": {"tokens": {"input": 9223372036854775807, "output": 1}}/' \
		>>t/agent_invocations.jsonl
	for j in 1 2; do
		run -1 --separate-stderr weekly-report t --week 2025-W42 --format markdown -j "$j"
		assert_line '- Data quality: 3 lines rejected, 3 notes (updates or metrics for ids never started); the window holds 4 of the 5 invocations logged'
		assert_line '- Invocations: 3 by 2 agents'
		assert_equal "$(printf '%s\n' "$stderr" | grep -c 'agent_invocations.jsonl:6: sum of "metadata.tokens" out of range$')" 1
	done
}
