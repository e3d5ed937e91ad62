#!/usr/bin/env bats
# oak-anomalies (pipelines/anomalies) and oak-flag-anomalies: generated
# histories (tools/gen-history) with planted anomalies of each kind, a
# steady history, input order, options and bad input. The clock
# (SOURCE_DATE_EPOCH, 2025-10-20) makes 2025-W42 the last complete week,
# the last week gen-history writes.

load test_helper

PLANTS="-p rate:beta -p slow:gamma -p busy:alpha -p tokens:delta -p error:delta -p stop:epsilon -p new:zeta"

@test "planted anomalies of each kind are all found, and nothing else in 26 weeks" {
	# shellcheck disable=SC2086
	"$TOP/tools/gen-history" -s 1 $PLANTS t
	run -0 sh -c 'anomalies t --since 2025-04-21 | jq -r "[.week, .agent, .metric, .rule] | join(\" \")"'
	# busy:alpha brings 4 times the failures too; rate:beta, more failures
	assert_output - <<'OUT'
2025-W42 alpha failure_count median-mad
2025-W42 alpha invocation_count median-mad
2025-W42 beta success_rate median-mad
2025-W42 beta failure_count median-mad
2025-W42 delta tokens_per_call median-mad
2025-W42 delta error_message new-error
2025-W42 epsilon invocation_count stopped
2025-W42 gamma p90_duration median-mad
2025-W42 zeta invocation_count new-agent
OUT
	run -1 anomalies t
	assert_equal "${#lines[@]}" 9
	run -0 sh -c 'anomalies t | sed -n "3p;6,7p;9p"'
	assert_output - <<'OUT'
{"agent": "beta", "week": "2025-W42", "metric": "success_rate", "value": 0.20833333333333334, "expected": [0.4526615521347123, 1.0], "rule": "median-mad", "reason": "success rate 20.8% is below the expected 45.3% to 100.0% (median 75.8% of 8 weeks before)"}
{"agent": "delta", "week": "2025-W42", "metric": "error_message", "value": 1.0, "expected": null, "rule": "new-error", "reason": "a new error message, 1 failure: Sandbox crashed: SIGSEGV"}
{"agent": "epsilon", "week": "2025-W42", "metric": "invocation_count", "value": 0.0, "expected": null, "rule": "stopped", "reason": "no invocations, after epsilon was used in the week before"}
{"agent": "zeta", "week": "2025-W42", "metric": "invocation_count", "value": 11.0, "expected": null, "rule": "new-agent", "reason": "a new agent: 11 invocations, none before"}
OUT
}

@test "a steady history of 26 weeks: nothing flagged, exit 0" {
	"$TOP/tools/gen-history" -s 7 t
	run -0 anomalies t --since 2025-04-21
	assert_output ''
	run -0 anomalies t --since 2025-04-21 --format text
	assert_output 'no anomalies in 5 agents in 2025-W17 to 2025-W42'
}

@test "the flags do not depend on the order of the input" {
	# shellcheck disable=SC2086
	"$TOP/tools/gen-history" -s 1 $PLANTS t
	oak-join-by-invocation t/agent_invocations.jsonl >joined.jsonl
	run -1 oak-flag-anomalies --since 2025-04-21 joined.jsonl
	want=$output
	[ "$(echo "$want" | wc -l)" -eq 9 ]
	run -1 sh -c 'tac joined.jsonl | oak-flag-anomalies --since 2025-04-21'
	assert_output "$want"
	run -1 sh -c 'sort -t"\"" -k8 joined.jsonl | oak-flag-anomalies --since 2025-04-21'
	assert_output "$want"
	run -1 sh -c 'awk "NR % 2" joined.jsonl >odd; awk "NR % 2 == 0" joined.jsonl >even;
		oak-flag-anomalies --since 2025-04-21 even odd'
	assert_output "$want"
}

@test "--format text: one line per anomaly and a summary" {
	# shellcheck disable=SC2086
	"$TOP/tools/gen-history" -s 1 $PLANTS t
	run -1 anomalies t --week 2025-W42 --format text
	assert_line --index 0 '2025-W42 alpha: failures 15 is above the expected 0 to 13 (median 5 of 8 weeks before)'
	assert_line --index 7 '2025-W42 gamma: p90 duration 4052.8 s is above the expected 576.2 s to 1070.0 s (median 823.1 s of 8 weeks before)'
	assert_line --index 9 '9 anomalies in 2025-W42'
}

@test "the minimum sample: quiet weeks are not judged; --weeks sets the history" {
	# shellcheck disable=SC2086
	"$TOP/tools/gen-history" -s 1 $PLANTS t
	# no week has 1000 calls: only the counts and the events remain
	run -0 sh -c 'anomalies t --min-sample 1000 | jq -r .metric | sort | uniq -c | tr -s " "'
	assert_output - <<'OUT'
 1 error_message
 2 failure_count
 3 invocation_count
OUT
	# 4 trailing weeks is the least history a range is drawn from
	run -1 anomalies t --weeks 4 --format text
	assert_line --index 2 '2025-W42 beta: success rate 20.8% is below the expected 38.1% to 100.0% (median 77.0% of 4 weeks before)'
	run -2 --separate-stderr oak-flag-anomalies --weeks 3
	assert_equal "$stderr" 'oak-flag-anomalies: --weeks: want a whole number from 4 to 52: 3'
}

@test "bad lines are reported and counted; exit 1 even when nothing is flagged" {
	"$TOP/tools/gen-history" -s 7 -w 10 t
	oak-join-by-invocation t/agent_invocations.jsonl >joined.jsonl
	echo '{"agent_name": "x"}' >>joined.jsonl
	run -1 --separate-stderr oak-flag-anomalies joined.jsonl
	assert_output ''
	assert_equal "${stderr_lines[0]}" "oak-flag-anomalies: joined.jsonl:$(wc -l <joined.jsonl): missing \"invocation_id\""
	assert_equal "${stderr_lines[1]}" 'oak-flag-anomalies: 1 line rejected'
}

@test "usage: -h on stdout, wrong options exit 2, a missing directory exits 2" {
	run -0 oak-flag-anomalies -h
	assert_line --index 0 --partial 'usage: oak-flag-anomalies'
	run -2 --separate-stderr oak-flag-anomalies --format xml
	assert_equal "$stderr" 'oak-flag-anomalies: --format: want json or text: xml'
	run -2 --separate-stderr oak-flag-anomalies --until 2025-10-01
	assert_equal "$stderr" 'oak-flag-anomalies: --until goes with --since'
	run -2 --separate-stderr oak-flag-anomalies --week 2025-W60
	assert_equal "$stderr" 'oak-flag-anomalies: --week: want YYYY-Www (an ISO week) or last: 2025-W60'
	run -2 --separate-stderr anomalies no-such-dir
	assert_equal "$stderr" 'oak-anomalies: no-such-dir: no such telemetry directory'
	run -2 --separate-stderr anomalies --bogus
	assert_equal "${stderr_lines[0]}" 'oak-anomalies: unknown option: --bogus'
	mkdir empty
	run -0 anomalies empty --format text
	assert_output 'no anomalies in 0 agents in 2025-W42'
}
