#!/usr/bin/env bats
# oak-render-report with many agents: the HTML charts draw the most
# invoked agents and pool the others in one last row, "and N more"; the
# tables list every agent; the page is rendered in linear time.

load test_helper

# thirty: agent-NN (NN = 1 to 30) has 31 - NN invocations, spread over
# 2025-10-13 to 2025-10-15 (invocation j on day 13 + j mod 3). Agents 1
# to 10 fail their invocations j = 0, 4, 8 ...; the others all succeed.
# Agent NN runs NN seconds each time up to agent 20, the others 10 s.
thirty() {
	awk 'BEGIN {
		for (i = 1; i <= 30; i++)
			for (j = 0; j < 31 - i; j++) {
				st = (i <= 10 && j % 4 == 0) ? "failure" : "success"
				printf "{\"timestamp\": \"2025-10-%02dT10:00:00Z\", \"invocation_id\": \"%d-%d\", \"agent_name\": \"agent-%02d\", \"duration_seconds\": %d, \"outcome\": {\"status\": \"%s\"}}\n", 13 + j % 3, i, j, i, i <= 20 ? i : 10, st
			}
	}' | oak-group-by-agent
}

# rows CAPTION FILE: the rows of the table with that caption.
rows() {
	awk -v cap="<caption>$1</caption>" '
		index($0, cap) { on = 1 }
		on && /^<tr><td>/ { n++ }
		on && /<\/table>/ { on = 0 }
		END { print n + 0 }' "$2"
}

# many N [M]: AgentStats of N agents, each with 2 invocations on two
# days a month apart, one success, one failure, of task type t(i mod M)
# (M 5 unless given).
many() {
	awk -v n="$1" -v m="${2:-5}" 'BEGIN {
		for (i = 1; i <= n; i++) {
			d = 1 + i % 28
			printf "{\"agent_name\": \"agent-%06d\", \"invocation_count\": 2, \"state\": {\"first_seq\": %d, \"successes\": 1, \"failures\": 1, \"partials\": 0, \"unknowns\": 0, \"duration_count\": 2, \"duration_sum_micro\": 20000000, \"quality_count\": 0, \"quality_sum_micro\": 0, \"task_types\": [[\"t%d\", 2, %d]], \"failure_messages\": [], \"first_timestamp\": \"2025-10-%02dT10:00:00Z\", \"last_timestamp\": \"2025-11-%02dT10:00:00Z\", \"duration_hist\": [[%d, 2]], \"task_outcomes\": [[\"t%d\", 2, 1, 1]], \"days\": [[\"2025-10-%02d\", 1, 1, 0, 0, 0], [\"2025-11-%02d\", 1, 0, 1, 0, 0]]}}\n", i, i, i % m, i, d, d, 100 + i % 300, i % m, d, d
		}
	}'
}

@test "html, 30 agents: each chart draws the top agents and one row for the rest; the tables have all 30" {
	thirty >st
	run -0 oak-render-report --format html st
	printf '%s\n' "$output" >r.html
	# success: the 20 most invoked (agent-01 to agent-20) and agents 21
	# to 30 pooled: 55 invocations, all successes. The Wilson interval
	# of 55 of 55 is [n / (n + z^2), 1] = [55 / 58.8415, 1] = [93.47 %, 1]
	# (worked by hand from the Wilson formula with p = 1).
	run -0 grep -c '<rect class="bar" ' r.html
	assert_output 20
	run -0 grep -F '<g><title>and 10 more: ' r.html
	assert_output '<g><title>and 10 more: 100.0% (95% CI 93.5% - 100.0%, 55 decided)</title><text x="182" y="563.0" text-anchor="end">and 10 more</text><rect class="bar rest" x="190" y="551.0" width="506.0" height="16"/><path class="ci" d="M663.0 553.0V565.0M663.0 559.0H696.0M696.0 553.0V565.0"/><text class="muted" x="706" y="563.0">100%</text></g>
<g><title>and 10 more: p50 10.0s, p90 10.0s, p99 10.0s</title><text x="182" y="563.0" text-anchor="end">and 10 more</text><line class="range" x1="527.7" y1="559.0" x2="527.7" y2="559.0"/><circle class="s0" cx="527.7" cy="559.0" r="5"/><circle class="s1" cx="527.7" cy="559.0" r="5"/><circle class="s2" cx="527.7" cy="559.0" r="5"/></g>'
	# durations: 10 s falls in the log bucket (1.02^116, 1.02^117] that
	# answers 2 * 1.02^117 / 2.02 = 10.04 s (record/hist.c's rule)
	run -0 grep -c '<line class="range" ' r.html
	assert_output 21
	# the trend: ten lines, then agents 11 to 30 pooled, 100 % each day
	run -0 grep -c '<path class="line s[0-9]*"' r.html
	assert_output 10
	run -0 grep -F 'and 20 more<' r.html
	assert_output '<g><title>and 20 more</title><path class="line rest" d="M60.0 20.0L388.0 20.0L716.0 20.0"/><circle class="rest" cx="60.0" cy="20.0" r="3"/><circle class="rest" cx="388.0" cy="20.0" r="3"/><circle class="rest" cx="716.0" cy="20.0" r="3"/></g>
<rect class="rest" x="410" y="306" width="12" height="12"/><text x="428" y="316">and 20 more</text>'
	# the tables are complete: 30 agents; 3 days each for agents 1 to
	# 28, 2 for agent 29, 1 for agent 30
	run -0 rows Agents r.html
	assert_output 30
	run -0 rows 'Duration per agent (seconds)' r.html
	assert_output 30
	run -0 rows 'Success per day and agent' r.html
	assert_output 87
}

@test "html, 20 agents: every one has its bar, the trend pools 10" {
	thirty | head -n 20 >st
	run -0 oak-render-report --format html st
	printf '%s\n' "$output" >r.html
	run -0 grep -c '<rect class="bar" ' r.html
	assert_output 20
	run -0 grep -c '<line class="range" ' r.html
	assert_output 20
	run -0 grep -o '>and [0-9]* more<' r.html
	assert_output '>and 10 more<
>and 10 more<'
}

@test "html, 100 000 agents: linear, the page written as it is made" {
	# Each agent: 2 invocations on two days a month apart, one success,
	# one failure. It took 51 s of CPU and 776 MB when the trend chart
	# scanned every period row for each agent; about 3 s now (30 s
	# leaves room for ASan).
	many 100000 >big.jsonl
	# CPU seconds, user + system: not stretched by other jobs on a
	# shared machine as wall time is
	TIMEFORMAT='%U %S'
	{ time oak-render-report --format html big.jsonl >out; } 2>cpu
	secs=$(awk '{ printf "%d", $1 + $2 }' cpu)
	echo "# rendered in $secs s of CPU" >&3
	[ "$secs" -lt 30 ]
	run -0 grep -c '>and 99980 more<' out
	assert_output 2
	run -0 grep -c '>and 99990 more<' out
	assert_output 2
	run -0 rows Agents out
	assert_output 100000
	run -0 tail -n 1 out
	assert_output '</html>'
}

@test "a baseline of 50 000 agents: each agent found by name, not by a scan" {
	# report-json compares the windows agent by agent: 53 s of CPU when
	# each agent scanned the other window, about 3 s now (30 s leaves
	# room for ASan).
	many 50000 >big.jsonl
	TIMEFORMAT='%U %S'
	{ time oak-render-report --format report-json --baseline big.jsonl big.jsonl >out; } 2>cpu
	secs=$(awk '{ printf "%d", $1 + $2 }' cpu)
	echo "# compared in $secs s of CPU" >&3
	[ "$secs" -lt 30 ]
	run -0 jq -c '[(.baseline.agents | length), .baseline.new_agents, .baseline.gone_agents, .baseline.agents[-1].agent_name]' out
	assert_output '[50000,[],[],"agent-050000"]'
}

@test "30 000 task types: the best agent of each found in one pass" {
	# 31 s of CPU for 20 000 types when each agent's types were looked
	# for in a list of all the types seen; well under 1 s now (30 s
	# leaves room for ASan). Every agent has a task type of its own.
	many 30000 30001 >big.jsonl
	TIMEFORMAT='%U %S'
	{ time oak-render-report --format report-json --min-sample 1 big.jsonl >out; } 2>cpu
	secs=$(awk '{ printf "%d", $1 + $2 }' cpu)
	echo "# best per task type in $secs s of CPU" >&3
	[ "$secs" -lt 30 ]
	run -0 jq -c '[(.task_types | length), .task_types[0], .task_types[-1].best_agent]' out
	# equal counts sort by name: t1 first, t9999 last; the Wilson interval
	# of 1 in 2 is [0.0945, 0.9055] (R: prop.test(1, 2, correct = FALSE))
	assert_output '[30000,{"task_type":"t1","invocations":2,"best_agent":"agent-000001","success_rate":0.5,"success_rate_ci95":[0.095,0.905],"decided_count":2,"too_few":false},"agent-009999"]'
}
