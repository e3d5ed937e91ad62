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

# gen N: N invocations of agent "gen" with log-uniform durations from
# 0.5 s to 5000 s (a fixed LCG), success 2 in 3, one rated in 2.
gen() {
	awk -v n="$1" 'BEGIN {
		x = 42
		for (i = 1; i <= n; i++) {
			x = (x * 1103515245 + 12345) % 2147483648
			d = sprintf("%.3f", 0.5 * 10 ^ (4 * x / 2147483648))
			s = (i % 3 == 0) ? "failure" : "success"
			day = 13 + (i % 7)
			printf "{\"timestamp\": \"2025-10-%02dT10:00:%02dZ\", \"invocation_id\": \"g%d\", \"agent_name\": \"gen\", \"duration_seconds\": %s, \"outcome\": {\"status\": \"%s\"}, \"metadata\": {\"total_tokens\": %d}}\n", day, i % 60, i, d, s, 1000 + (i * 37) % 5000
		}
	}'
}

@test "duration percentiles are within 1/101 of the exact nearest-rank values (generated data)" {
	gen 5000 >inv.jsonl
	oak-join-by-invocation inv.jsonl | oak-group-by-agent >st
	jq -r '.duration_seconds' inv.jsonl | sort -g >sorted
	for p in 50 90 99; do
		exact=$(awk -v p="$p" '{ v[NR] = $1 } END { r = int(p * NR / 100); if (r < p * NR / 100) r++; print v[r] }' sorted)
		got=$(jq -r ".duration_p$p" st)
		# the bound 1/101 of the histogram, plus 0.005 for the 2-place rounding
		run -0 awk -v g="$got" -v e="$exact" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(d <= e / 101 + 0.005) }'
	done
	# tokens: total exact, median within the bound
	run -0 jq -r '.tokens_total' st
	assert_output "$(jq -s 'map(.metadata.total_tokens) | add' inv.jsonl)"
	med=$(jq -r '.metadata.total_tokens' inv.jsonl | sort -n | awk '{ v[NR] = $1 } END { r = int(NR / 2); if (r < NR / 2) r++; print v[r] }')
	got=$(jq -r '.tokens_median' st)
	run -0 awk -v g="$got" -v e="$med" 'BEGIN { d = g - e; if (d < 0) d = -d; exit !(d <= e / 101 + 0.5) }'
}

@test "report-json: one object with window, agents, task types, weeks, periods and baseline" {
	d="$REF/larger/append"
	stats_of "$d" --week 2025-W43 >cur
	stats_of "$d" --week 2025-W43 --previous >base
	run -0 oak-render-report --format report-json --week 2025-W43 --by day \
		--baseline base --baseline-previous cur
	echo "$output" >r.json
	run -0 jq -c '.window, .baseline.window' r.json
	assert_line --index 0 '{"since":"2025-10-20T00:00:00Z","until":"2025-10-27T00:00:00Z"}'
	assert_line --index 1 '{"since":"2025-10-13T00:00:00Z","until":"2025-10-20T00:00:00Z"}'
	# totals agree with the agents and with the per-day rows
	run -0 jq -e '.total_invocations == (.agents | map(.invocation_count) | add)' r.json
	run -0 jq -e '.total_invocations == (.periods.rows | map(.invocations) | add)' r.json
	run -0 jq -e '.periods.by == "day" and (.periods.rows | map(.period) | unique | length) == 7' r.json
	run -0 jq -e '[.agents[].rank] == [range(1; (.agents | length) + 1)]' r.json
	# the Wilson interval holds the rate
	run -0 jq -e 'all(.agents[]; .success_rate_ci95[0] <= .success_rate and .success_rate <= .success_rate_ci95[1])' r.json
	# the comparison's numbers are those of the two windows
	run -0 jq -e --slurpfile b base '.baseline.agents[] | select(.agent_name == "frontend-developer") | .invocations_before == ($b[] | select(.agent_name == "frontend-developer") | .invocation_count)' r.json
	run -0 jq -e '.task_types | all(.too_few == (.best_agent == null))' r.json
}

@test "report-json: significance and flags of the comparison" {
	# before: a 10 of 20, b 19 of 20; now: a 19 of 20, b 18 of 20
	awk 'BEGIN {
		for (i = 1; i <= 20; i++) {
			printf "{\"timestamp\": \"2025-10-08T10:00:00Z\", \"invocation_id\": \"a%d\", \"agent_name\": \"a\", \"outcome\": {\"status\": \"%s\"}}\n", i, i <= 10 ? "success" : "failure"
			printf "{\"timestamp\": \"2025-10-08T11:00:00Z\", \"invocation_id\": \"b%d\", \"agent_name\": \"b\", \"outcome\": {\"status\": \"%s\"}}\n", i, i <= 19 ? "success" : "failure"
			printf "{\"timestamp\": \"2025-10-15T10:00:00Z\", \"invocation_id\": \"c%d\", \"agent_name\": \"a\", \"outcome\": {\"status\": \"%s\"}}\n", i, i <= 19 ? "success" : "failure"
			printf "{\"timestamp\": \"2025-10-15T11:00:00Z\", \"invocation_id\": \"d%d\", \"agent_name\": \"b\", \"outcome\": {\"status\": \"%s\"}}\n", i, i <= 18 ? "success" : "failure"
		}
		printf "{\"timestamp\": \"2025-10-15T12:00:00Z\", \"invocation_id\": \"n1\", \"agent_name\": \"newcomer\"}\n"
		printf "{\"timestamp\": \"2025-10-08T12:00:00Z\", \"invocation_id\": \"o1\", \"agent_name\": \"oldtimer\"}\n"
	}' >inv.jsonl
	oak-join-by-invocation --week 2025-W42 inv.jsonl | oak-group-by-agent | oak-rank >cur
	oak-join-by-invocation --week 2025-W41 inv.jsonl | oak-group-by-agent | oak-rank >base
	run -0 oak-render-report --format report-json --week 2025-W42 --baseline base --baseline-previous cur
	echo "$output" >r.json
	# a: 0.5 -> 0.95, pooled p = 29/40, z = 0.45 / sqrt(p (1 - p) / 10) = 3.187;
	# b: 0.95 -> 0.9, pooled p = 37/40, z = -0.05 / 0.08329 = -0.600, and a
	# change of exactly 0.05 is not flagged
	run -0 jq -c '.baseline.agents[] | [.agent_name, .z, .significant, .success_rate_marked]' r.json
	assert_line --index 0 '["a",3.187,true,true]'
	assert_line --index 1 '["b",-0.6,false,false]'
	run -0 jq -c '[.baseline.new_agents, .baseline.gone_agents]' r.json
	assert_output '[["newcomer"],["oldtimer"]]'
	run -0 oak-render-report --format text --baseline base --baseline-previous --week 2025-W42 cur
	assert_line --regexp '^a +20 +\+0 +95\.0% +\+45\.0 pts +3\.19 +yes .*success up \(significant\)$'
}

@test "html: self-contained (no script, no external reference), charts each with a table" {
	stats_of "$REF/larger/append" >st
	run -0 oak-render-report --format html --by week --refresh 30 st
	echo "$output" >r.html
	run -1 grep -Eio '<script|https?://|src=|href=|url\(|@import' r.html
	run -0 grep -c '<svg ' r.html
	assert_output 3
	run -0 grep -c '<meta http-equiv="refresh" content="30">' r.html
	run -0 grep -c 'prefers-color-scheme:dark' r.html
	run -0 grep -c '@media print' r.html
	run -0 grep -c '<caption>Agents</caption>' r.html
	run -0 grep -c '<caption>Success per ISO week and agent</caption>' r.html
	run -0 grep -c '<caption>Duration per agent (seconds)</caption>' r.html
	run -0 grep -c '<caption>Per ISO week</caption>' r.html
	# agent names are escaped
	printf '%s\n' '{"timestamp": "2025-10-13T10:00:00Z", "invocation_id": "x", "agent_name": "<b>&\"x\"", "outcome": {"status": "success"}}' |
		oak-join-by-invocation | oak-group-by-agent | oak-rank >evil
	run -0 oak-render-report --format html evil
	refute_output --partial '<b>&'
	assert_output --partial '&lt;b&gt;&amp;&quot;x&quot;'
}

@test "html: headless Chromium renders it with no failed request and takes a screenshot" {
	[ -x /usr/bin/chromium ] || skip "chromium is not installed (Debian package chromium)"
	stats_of "$REF/larger/append" >st
	oak-render-report --format html --by week st >report.html
	mkdir profile
	run -0 timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$TMP/profile" \
		--enable-logging=stderr --v=0 --window-size=1200,1600 \
		--screenshot="$TMP/shot.png" "file://$TMP/report.html"
	[ -s shot.png ]
	run -0 od -An -c -N4 shot.png
	assert_output --partial 'P   N   G'
	run -1 grep -E 'net::ERR_|Failed to load resource|ERR_BLOCKED' <<<"$output"
	# the DOM Chromium built holds the three charts and every table
	run -0 timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$TMP/profile" \
		--dump-dom "file://$TMP/report.html"
	run -0 grep -c '<svg' <<<"$output"
	assert_output 3
	if [ -n "${OAK_KEEP_SCREENSHOT:-}" ]; then cp shot.png "$OAK_KEEP_SCREENSHOT"; fi
}

@test "man pages: mandoc -Tlint is clean and every EXAMPLES command runs" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run -0 mandoc -Tlint -W warning "$TOP/man/oak-render-report.1" \
		"$TOP/man/oak-weekly-report.1" "$TOP/man/oak-dashboard.1"
	mkdir bin
	for p in "$TOP"/pipelines/*; do ln -s "$p" "bin/oak-$(basename "$p")"; done
	cp -r "$REF/larger/append" telemetry
	for page in oak-render-report oak-weekly-report oak-dashboard; do
		sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$TOP/man/$page.1" |
			sed -n 's/^\(\.Dl \)\{0,1\}\$ //p' >"$page.sh"
		[ -s "$page.sh" ]
		run -0 env PATH="$TMP/bin:$PATH" sh -eu "$page.sh"
	done
	[ -s report.md ] && [ -s q4.html ] && [ -s agents.html ]
	run -0 grep -c '^## Compared with the baseline$' report.md
}
