#!/usr/bin/env bats
# oak-render-report beyond the seed: markdown, report-json, html, text
# --extended, on the reference fixtures and on examples/.

load test_helper

REF="$DATA/reference"

stats_of() {   # stats_of DIR [JOIN-OPTION...]: ranked AgentStats
	d=$1
	shift
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$@" "$d/agent_invocations.jsonl" |
		oak-group-by-agent | oak-rank
}

@test "text without extra options is exactly the seed's report; --extended appends after it" {
	stats_of "$REF/basic/append" >st
	run -0 oak-render-report --format text st
	assert_output "$(cat "$REF/basic/expected/weekly_report.txt")"
	oak-render-report --format text --extended st >ext
	n=$(wc -l <"$REF/basic/expected/weekly_report.txt")
	head -n "$n" ext >prefix
	run -0 diff -u "$REF/basic/expected/weekly_report.txt" prefix
	run -0 grep -c '^BEYOND THE SEED$' ext
	run -0 grep -E '^backend-architect +11 +50\.0% +21\.5% - 78\.5% +8 +3\.60 +10 ' ext
}

@test "markdown: GitHub tables with the agents' extra statistics" {
	stats_of "$REF/basic/append" >st
	run -0 oak-render-report --format markdown st
	assert_line '# Agent telemetry report'
	assert_line '## Agents'
	assert_line '| Agent | Invocations | Success | 95% CI | Decided | Quality | Rated | Avg duration | p50 | p90 | p99 | Would use again | Tokens | Median tokens |'
	assert_line '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'
	assert_line --partial '| backend-architect | 11 | 50.0% | 21.5% - 78.5% | 8 | 3.60 | 10 | 347.1s |'
	assert_line '## Best agent per task type (success rate)'
}

@test "usage errors exit 2" {
	run -2 oak-render-report --format nope /dev/null
	run -2 oak-render-report --by year /dev/null
	run -2 oak-render-report --week 2025-W99 /dev/null
	run -2 oak-render-report --baseline-previous --baseline x /dev/null
	run -2 oak-render-report --min-sample 0 /dev/null
}
