#!/usr/bin/env bats
# Tokens by kind, cost, unpriced models, models and task type sources in
# AgentStats (oak-group-by-agent) and in the reports (oak-render-report,
# oak-weekly-report --by model). tests/data/tokens/calls.jsonl is eight
# hand-written JoinedInvocations; the expected figures are worked by hand
# in the comments, and on the imported sample transcripts of
# tests/data/claude-code they are summed by jq from the updates.

bats_require_minimum_version 1.5.0
load test_helper

CALLS="$DATA/tokens/calls.jsonl"
CC="$DATA/claude-code"

# state FILE: the state members beyond "days" of each AgentStats line
state() { sed 's/.*"days": \[\[[^]]*\]\(, \[[^]]*\]\)*\]//; s/^, //; s/}}$//' "$1"; }

@test "AgentStats: tokens by kind, cost, unpriced models, models and inferred task types" {
	run -0 oak-group-by-agent "$CALLS"
	printf '%s\n' "$output" >out
	# By hand, agent a (calls 1 2 4 5 7): tokens of calls 1000, 100, 10,
	# total_tokens 50 (call 5: no metadata.tokens) and 20000 (call 7,
	# whose kinds sum to it): count 5, total 21160, nearest-rank median
	# 100. Kinds over calls 1 2 4 7: input 100+10+1+1000 = 1111, output
	# 200+20+2+3000 = 3222, cache write 300+30+0+5000 = 5330, cache read
	# 400+40+7+11000 = 11447. Cost: only calls 1 and 2 are priced in full
	# (0.5 + 0.25 = 750000 micro-dollars); calls 4 and 7 name m-new as
	# unpriced (2 calls, first at 4). Inferred task types: calls 1 and 7.
	# Agent b (3 6 8): call 6's tokens object is malformed (input -1),
	# so its totalTokens 7 counts: total 10+7+100 = 117, median 10;
	# kinds of calls 3 and 8: input 45, output 65; cost 0.000001 + 0.002
	# = 2001 micro-dollars; call 8 has metadata.model, not models.
	assert_equal "$(jq -c '[.agent_name, .tokens_count, .tokens_total, .tokens_median]' out)" \
'["a",5,21160,100]
["b",3,117,10]'
	run -0 state out
	assert_output - <<'J'
"tokens_kind_count": 4, "tokens_input": 1111, "tokens_output": 3222, "tokens_cache_write": 5330, "tokens_cache_read": 11447, "cost_count": 2, "cost_sum_micro": 750000, "cost_hist": [[-70, 1], [-35, 1]], "cost_unpriced": [["m-new", 2, 4]], "models": [["m-new", 1, 1, 2, 0, 7], ["m-priced", 2, 110, 220, 330, 440], ["m-priced+m-new", 1, 1000, 3000, 5000, 11000]], "model_costs": [["m-new", 0, 0, 1], ["m-priced", 2, 750000, 0], ["m-priced+m-new", 0, 0, 1]], "task_type_inferred": 2
"tokens_kind_count": 2, "tokens_input": 45, "tokens_output": 65, "cost_count": 2, "cost_sum_micro": 2001, "cost_hist": [[-697, 1], [-313, 1]], "models": [["m-other", 1, 40, 60, 0, 0], ["m-priced", 1, 5, 5, 0, 0]], "model_costs": [["m-other", 1, 2000, 0], ["m-priced", 1, 1, 0]]
J
}

@test "AgentStats without token kinds, cost or inferred types is written as before" {
	printf '%s\n' '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "metadata": {"total_tokens": 5}, "state_features": {"task": {"type": "t"}}}' >in.jsonl
	run -0 oak-group-by-agent in.jsonl
	assert_output --partial '"tokens_count": 1, "tokens_sum": 5, "tokens_hist": [[82, 1]], "task_outcomes": [["t", 1, 0, 0]], "days": [["2025-10-13", 1, 0, 0, 0, 0]]}}'
}

@test "--merge of shards of token data, in any order, is byte for byte one run" {
	oak-group-by-agent "$CALLS" >one
	for k in 1 2 3; do
		awk -v k=$k 'NR % 3 == k % 3' "$CALLS" >in.$k
		oak-group-by-agent in.$k >s.$k
	done
	oak-group-by-agent --merge s.1 s.2 s.3 >m.123
	oak-group-by-agent --merge s.3 s.1 s.2 >m.312
	cmp one m.123
	cmp one m.312
	oak-group-by-agent --merge one >again
	cmp one again
}

@test "the imported sample transcripts: per-agent token kinds and cost are the updates' (jq)" {
	oak-join-by-invocation --updates "$CC/expected/invocation_updates.jsonl" \
		"$CC/expected/agent_invocations.jsonl" | oak-group-by-agent >stats
	# jq sums the imported updates' metadata over all calls, independently
	# of oak-group-by-agent
	want=$(jq -s -c '[(map(.metadata.tokens.input) | add),
		(map(.metadata.tokens.output) | add),
		(map(.metadata.tokens.cache_creation) | add),
		(map(.metadata.tokens.cache_read) | add),
		(map(.metadata.total_tokens) | add),
		(map(select(.metadata.cost_unpriced_models == []) | .metadata.cost_usd * 1e6 | round) | add),
		(map(select(.metadata.cost_unpriced_models != [])) | length)]' \
		"$CC/expected/invocation_updates.jsonl")
	got=$(jq -s -c '[(map(.state.tokens_input // 0) | add),
		(map(.state.tokens_output // 0) | add),
		(map(.state.tokens_cache_write // 0) | add),
		(map(.state.tokens_cache_read // 0) | add),
		(map(.tokens_total) | add),
		(map(.state.cost_sum_micro // 0) | add),
		(map(.state.cost_unpriced // [] | map(.[1]) | add // 0) | add)]' stats)
	assert_equal "$got" "$want"
	assert_equal "$want" '[311,4494,39400,77000,121205,280421,1]'
}

@test "grouping: a token or cost sum past the range is a bad line, counted nowhere" {
	M=9223372036854775807
	cat >in.jsonl <<J
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "metadata": {"tokens": {"input": $M, "output": 1}}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "a", "metadata": {"tokens": {"cache_read": $M}}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "3", "agent_name": "a", "metadata": {"tokens": {"cache_read": 1}}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "4", "agent_name": "a", "metadata": {"cost_usd": 1e20}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "4b", "agent_name": "a", "metadata": {"tokens": {"output": 1e30}}}
J
	# 999999999999 dollars are 999999999999000000 micro-dollars: nine fit
	# in 2^63-1 (9.22e18), ten do not
	for i in 5 6 7 8 9 10 11 12 13 14; do
		printf '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "%s", "agent_name": "a", "metadata": {"cost_usd": 999999999999}}\n' $i
	done >>in.jsonl
	run -1 --separate-stderr oak-group-by-agent in.jsonl
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:1: sum of "metadata.tokens" out of range
oak-group-by-agent: in.jsonl:3: sum of "state.tokens_sum" out of range
oak-group-by-agent: in.jsonl:4: "metadata.cost_usd" is out of range
oak-group-by-agent: in.jsonl:5: "metadata.tokens.output" is out of range
oak-group-by-agent: in.jsonl:15: sum of "state.cost_sum_micro" out of range
oak-group-by-agent: 5 lines rejected'
	assert_output --partial '"invocation_count": 10,'
	assert_output --partial '"tokens_kind_count": 1, "tokens_cache_read": 9223372036854775807, "cost_count": 9, "cost_sum_micro": 8999999999991000000,'
}

@test "--merge: a token or cost sum past the range is a bad line" {
	printf '%s\n' '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "metadata": {"tokens": {"output": 9223372036854775807}}}' >in.jsonl
	oak-group-by-agent in.jsonl >s
	for i in 1 2 3 4 5 6 7 8 9; do
		printf '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "%s", "agent_name": "a", "metadata": {"cost_usd": 999999999999}}\n' $i
	done >cost.jsonl
	oak-group-by-agent cost.jsonl >c
	run -1 --separate-stderr oak-group-by-agent --merge s s c c
	assert_equal "$stderr" 'oak-group-by-agent: s:1: sum of "state.tokens_sum" out of range
oak-group-by-agent: c:1: sum of "state.cost_sum_micro" out of range
oak-group-by-agent: 2 lines rejected'
	assert_output --partial '"tokens_output": 9223372036854775807, "cost_count": 9, "cost_sum_micro": 8999999999991000000,'
}

@test "--merge rejects token and cost counts that contradict one another" {
	base='"agent_name": "a", "invocation_count": 1, "state": {"first_seq": 1, "successes": 0, "failures": 0, "partials": 0, "unknowns": 0, "duration_count": 0, "duration_sum_micro": 0, "quality_count": 0, "quality_sum_micro": 0, "task_types": [], "failure_messages": []'
	{
		printf '{%s, "tokens_kind_count": 1}}\n' "$base"
		printf '{%s, "cost_count": 1}}\n' "$base"
		printf '{%s, "task_type_inferred": 2}}\n' "$base"
		printf '{%s, "models": [["m", 1, 2]]}}\n' "$base"
	} >in.jsonl
	run -1 --separate-stderr oak-group-by-agent --merge in.jsonl
	assert_equal "$stderr" 'oak-group-by-agent: in.jsonl:1: "state.tokens_kind_count" is more than "state.tokens_count"
oak-group-by-agent: in.jsonl:2: "state.cost_hist" does not count "state.cost_count"
oak-group-by-agent: in.jsonl:3: a count of "state" is more than "invocation_count"
oak-group-by-agent: in.jsonl:4: "state.models" is not a list of [text, 5 counts]
oak-group-by-agent: 4 lines rejected'
}
