#!/usr/bin/env bats
# The reports' tokens by kind, cost, unpriced models, per-model table
# (--by model) and task type sources, on tests/data/tokens/calls.jsonl
# (worked by hand in tests/tokens.bats: agent a 1111/3222/5330/11447
# tokens by kind, 21160 in all, median 100, cost 0.75 over two calls,
# m-new unpriced in 2 calls; agent b 45/65/0/0, 117, median 10, cost
# 0.002001) and on the imported sample transcripts of tests/data/claude-code
# (figures summed by jq from tests/data/claude-code/expected).

bats_require_minimum_version 1.5.0
load test_helper

CALLS="$DATA/tokens/calls.jsonl"
CC="$DATA/claude-code"

setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
	oak-group-by-agent "$CALLS" >stats
}

# section TITLE: the lines of the report in out from TITLE to a blank line
section() { sed -n "/^$1\$/,/^\$/p" out; }

@test "text --extended: tokens and cost per agent, Task Types line, notes" {
	oak-render-report --format text --extended stats >out
	# By hand: Task Types inferred in calls 1 and 7; given: 4 typed calls
	# (1 2 4 7) minus 2 inferred; none: 8 calls minus 4 typed.
	run -0 grep '^Task Types' out
	assert_output 'Task Types: 2 inferred, 2 given, 4 without a type'
	run -0 section 'Tokens and cost per agent'
	# Median cost: nearest rank of {0.25, 0.5} is 0.25; the histogram's
	# bucket value 0.2476 is within its 1 %. b's {0.000001, 0.002}: 1e-06.
	assert_output - <<'T'
Tokens and cost per agent
-------------------------
Agent  With tokens  Input  Output  Cache write  Cache read  Total tokens  Median tokens  Cost (USD)  Median cost  Cost unknown for
----------------------------------------------------------------------------------------------------------------------------------
a                4   1111    3222         5330       11447         21160            100      0.7500       0.2476  m-new (2 calls)
b                2     45      65            0           0           117             10      0.0020       0.0000  
T
	run -0 tail -1 out
	assert_output --partial 'never counted as free. Median tokens and median cost are nearest-rank, from log-bucket histograms, within 1%.'
	run -1 grep 'per model' out
}

@test "--by model: tokens by kind and cost per model, summed over agents" {
	oak-render-report --format text --by model stats >out
	# By hand: m-priced in calls 1 2 (a) and 3 (b): input 100+10+5, output
	# 200+20+5, cache write 330, cache read 440, cost 0.5+0.25+0.000001;
	# m-new (call 4) and m-priced+m-new (call 7) are unpriced.
	run -0 section 'Tokens and cost per model'
	assert_output - <<'T'
Tokens and cost per model
-------------------------
Model           Calls  Input  Output  Cache write  Cache read        Cost (USD)
-------------------------------------------------------------------------------
m-priced            3    115     225          330         440            0.7500
m-new               1      1       2            0           7  unknown (1 call)
m-other             1     40      60            0           0            0.0020
m-priced+m-new      1   1000    3000         5000       11000  unknown (1 call)
T
	oak-render-report --format report-json --by model stats >out.json
	run -0 jq -c '.models[]' out.json
	assert_output - <<'J'
{"model":"m-priced","calls":3,"tokens_by_kind":{"input":115,"output":225,"cache_write":330,"cache_read":440},"cost_usd":0.750001,"priced_calls":3,"unpriced_calls":0}
{"model":"m-new","calls":1,"tokens_by_kind":{"input":1,"output":2,"cache_write":0,"cache_read":7},"cost_usd":null,"priced_calls":0,"unpriced_calls":1}
{"model":"m-other","calls":1,"tokens_by_kind":{"input":40,"output":60,"cache_write":0,"cache_read":0},"cost_usd":0.002,"priced_calls":1,"unpriced_calls":0}
{"model":"m-priced+m-new","calls":1,"tokens_by_kind":{"input":1000,"output":3000,"cache_write":5000,"cache_read":11000},"cost_usd":null,"priced_calls":0,"unpriced_calls":1}
J
}

@test "JSON: tokens_by_kind, cost_usd_total, cost_usd_median, cost_unpriced_models, task_type_sources" {
	oak-render-report --format report-json stats >out.json
	run -0 jq -c '.task_type_sources, (.agents[] | [.agent_name, .tokens_total, .tokens_median, .tokens_by_kind, .cost_usd_total, .cost_usd_median, .cost_unpriced_models]), has("models")' out.json
	assert_output - <<'J'
{"inferred":2,"given":2,"none":4}
["b",117,10,{"input":45,"output":65,"cache_write":0,"cache_read":0},0.002001,1e-06,[]]
["a",21160,100,{"input":1111,"output":3222,"cache_write":5330,"cache_read":11447},0.75,0.247552,[{"model":"m-new","calls":2}]]
false
J
	oak-validate --schema "$TOP/schemas/weekly_report.json" -q out.json
	oak-render-report --format report-json --by model stats >model.json
	oak-validate --schema "$TOP/schemas/weekly_report.json" -q model.json
}

@test "Markdown and HTML: the same tables and the Task Types line" {
	oak-render-report --format markdown stats >out
	run -0 grep -F -e '- Task Types:' -e '| a | 4 |' -e '| Agent | With tokens |' out
	assert_output - <<'T'
- Task Types: 2 inferred, 2 given, 4 without a type
| Agent | With tokens | Input | Output | Cache write | Cache read | Total tokens | Median tokens | Cost (USD) | Median cost | Cost unknown for |
| a | 4 | 1111 | 3222 | 5330 | 11447 | 21160 | 100 | 0.7500 | 0.2476 | m-new (2 calls) |
T
	oak-render-report --format html --by model stats >out.html
	run -0 grep -c -e '<h2>Tokens and cost per agent</h2>' -e '<h2>Tokens and cost per model</h2>' -e '<p class="note">Task Types: 2 inferred, 2 given, 4 without a type</p>' out.html
	assert_output 3
	run -0 grep -F '<td>m-new (2 calls)</td>' out.html
}

@test "without token kinds or inferred types, the reports are as before" {
	printf '%s\n' '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "metadata": {"total_tokens": 5}, "state_features": {"task": {"type": "t"}}}' |
		oak-group-by-agent >old
	oak-render-report --format text --extended old >out
	run -1 grep -e 'Task Types' -e 'Tokens and cost' -e 'never counted as free' out
	oak-render-report --format report-json old >out.json
	run -0 jq -c '[has("task_type_sources"), (.agents[0] | has("tokens_by_kind"), .tokens_total)]' out.json
	assert_output '[false,false,5]'
	# the seed's text has none of it either
	oak-render-report --format text stats >out
	run -1 grep -e 'Task Types' -e 'Tokens and cost' -e 'Cache' out
}

@test "--by: a bad value names model among the choices" {
	run -2 --separate-stderr oak-render-report --by year stats
	assert_equal "$stderr" 'oak-render-report: --by: want day, week, month or model: year'
	run -2 --separate-stderr weekly-report . --by year
	assert_equal "$stderr" 'oak-weekly-report: --by: want day, week, month or model: year'
}

@test "oak-weekly-report --by model on the imported sample transcripts (jq sums)" {
	unset OAK_TELEMETRY_DIR CLAUDE_CONFIG_DIR OAK_PRICING
	oak-import claude-code --dir t "$CC/v1/projects" "$CC/v2/projects"
	weekly-report t --all --by model >out
	# jq over the imported updates, grouped by the models joined by "+":
	# jq -s 'group_by(.metadata.models|join("+")) | map({calls: length,
	#   input: (map(.metadata.tokens.input)|add), ..., cost: (map(select(
	#   .metadata.cost_unpriced_models == []) | .metadata.cost_usd)|add)})'
	# gives sonnet 3 calls 34/930/10000/11500 0.055002, haiku 2 calls
	# 34/394/9900/17500 0.016129, opus 2 calls 133/2720/16500/45000
	# 0.20929, experimental-9+opus 1 call 110/450/3000/3000 unpriced.
	run -0 section 'Tokens and cost per model'
	assert_output - <<'T'
Tokens and cost per model
-------------------------
Model                                           Calls  Input  Output  Cache write  Cache read        Cost (USD)
---------------------------------------------------------------------------------------------------------------
claude-sonnet-4-20250514                            3     34     930        10000       11500            0.0550
claude-haiku-4-5-20251001                           2     34     394         9900       17500            0.0161
claude-opus-4-5-20251101                            2    133    2720        16500       45000            0.2093
claude-experimental-9+claude-opus-4-5-20251101      1    110     450         3000        3000  unknown (1 call)
T
	run -0 grep '^Task Types' out
	assert_output 'Task Types: 8 inferred, 0 given, 0 without a type'
	# one call per agent: its median is its own value, exactly
	run -0 sh -c "weekly-report t --all --format json | jq -c '.agents[] | select(.agent_name == \"security-auditor\" or .agent_name == \"code-reviewer\") | [.agent_name, .tokens_total, .tokens_median, .tokens_by_kind, .cost_usd_total, .cost_usd_median, .cost_unpriced_models]'"
	assert_output - <<'J'
["code-reviewer",16497,16497,{"input":17,"output":480,"cache_write":4500,"cache_read":11500},0.027576,0.027576,[]]
["security-auditor",6560,6560,{"input":110,"output":450,"cache_write":3000,"cache_read":3000},null,null,[{"model":"claude-experimental-9","calls":1}]]
J
}
