#!/usr/bin/env bats
# Golden tests: the reference analyzer's output for the fixtures in
# tests/data/reference, through the pipelines and through the filters.

load test_helper

REF="$DATA/reference"

# performance_stats.json without the common_failures lists, which differ
# on purpose (DESIGN.md: most frequent, not first seen).
no_failures() {
	jq -S 'del(.agents[].common_failures)' "$1"
}

@test "performance-stats: basic, ties, empty match the reference byte for byte (both forms)" {
	for s in basic ties empty; do
		for form in reference append; do
			run -0 performance-stats "$REF/$s/$form" -o out.json
			{ cat "$REF/$s/expected/performance_stats.json"; echo; } >want.json
			run -0 diff -u want.json out.json
		done
	done
}

@test "performance-stats: larger matches except common_failures" {
	for form in reference append; do
		run -0 performance-stats "$REF/larger/$form" -o out.json
		no_failures out.json >got
		no_failures "$REF/larger/expected/performance_stats.json" >want
		run -0 diff -u want got
	done
}

@test "performance-stats: common_failures are the 5 most frequent messages, ties by first appearance" {
	run -0 performance-stats "$REF/larger/reference" -o out.json
	jq -c '.agents | to_entries[] | [.key, .value.common_failures]' out.json >got
	jq -sc 'to_entries | map(.value + {pos: .key}) | map(select(.outcome.status == "failure" and (.outcome.error_message // "") != ""))
		| group_by(.agent_name)[] | [.[0].agent_name,
		  (group_by(.outcome.error_message) | map({m: .[0].outcome.error_message, n: length, first: (map(.pos) | min)})
		   | sort_by(-.n, .first) | .[:5] | map(.m))]' \
		"$REF/larger/reference/agent_invocations.jsonl" | sort >want
	sort got >got.sorted
	run -0 diff -u want got.sorted
}

@test "performance-stats: unicode matches by value" {
	for form in reference append; do
		run -0 performance-stats "$REF/unicode/$form" -o out.json
		jq -S . out.json >got
		jq -S . "$REF/unicode/expected/performance_stats.json" >want
		run -0 diff -u want got
	done
}

@test "weekly-report: text matches the reference's printout in every scenario" {
	for s in basic ties unicode larger; do
		for form in reference append; do
			weekly-report --all "$REF/$s/$form" >got.txt
			run -0 diff -u "$REF/$s/expected/weekly_report.txt" got.txt
		done
	done
}

@test "weekly-report: empty directory gives the summary the reference crashed on" {
	run -0 weekly-report --all "$REF/empty/reference"
	assert_output - <<'OUT'

======================================================================
CLAUDE OAK AGENTS - TELEMETRY SUMMARY
======================================================================

Generated: 2025-10-20T07:00:00Z
Total Invocations: 0

----------------------------------------------------------------------
AGENT PERFORMANCE
----------------------------------------------------------------------

======================================================================

======================================================================
TOP 5 AGENTS (Overall Performance)
======================================================================
OUT
}

@test "the filters one by one give what the pipeline gives" {
	d="$REF/basic/append"
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" >joined
	oak-group-by-agent joined >stats
	oak-rank stats >ranked
	oak-render-report --format json ranked >out.json
	{ cat "$REF/basic/expected/performance_stats.json"; echo; } >want.json
	run -0 diff -u want.json out.json
}
