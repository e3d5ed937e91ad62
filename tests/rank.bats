#!/usr/bin/env bats
# oak-rank: the seed's score and order, --task-type, --top.

load test_helper

stats() {
	d="$DATA/reference/basic/reference"
	oak-join-by-invocation --metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" |
		oak-group-by-agent
}

@test "agents by score, best first, with score and rank added (scores as Python computes them)" {
	stats >stats.jsonl
	run -0 sh -c 'oak-rank stats.jsonl | jq -c "[.rank, .agent_name, .score]"'
	assert_output - <<'OUT'
[1,"frontend-developer",0.9736]
[2,"security-auditor",0.8646]
[3,"technical-writer",0.6402]
[4,"backend-architect",0.588]
[5,"qa-specialist",0.42999999999999994]
[6,"debug-specialist",0.30000000000000004]
OUT
}

@test "equal scores keep first appearance" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "late", "outcome": {"status": "success"}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "early", "outcome": {"status": "success"}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "3", "agent_name": "best", "outcome": {"status": "success"}, "success_metric": {"quality_rating": 5}}
J
	oak-group-by-agent in.jsonl >stats.jsonl
	run -0 sh -c 'tac stats.jsonl | oak-rank | jq -r .agent_name'
	assert_output $'best\nlate\nearly'
}

@test "--task-type keeps agents with T among their common task types; --top N" {
	stats >stats.jsonl
	run -0 sh -c 'oak-rank --task-type documentation stats.jsonl | jq -r .agent_name'
	assert_output 'debug-specialist'
	run -0 sh -c 'oak-rank --top 2 stats.jsonl | jq -r .agent_name'
	assert_output $'frontend-developer\nsecurity-auditor'
	run -0 oak-rank --task-type no_such_type stats.jsonl
	assert_output ''
}

@test "ranking pipeline: the seed's layout, or JSON lines" {
	run -0 ranking "$DATA/reference/basic/reference" --top 2
	assert_output - <<'OUT'

======================================================================
AGENT RANKING (Overall Performance)
======================================================================

1. frontend-developer (Score: 0.974)
   Success: 100.0% | Quality: 4.67/5 | Uses: 8

2. security-auditor (Score: 0.865)
   Success: 85.7% | Quality: 4.38/5 | Uses: 18
OUT
	run -0 sh -c 'ranking "$DATA/reference/basic/reference" --task-type analysis --json | jq -r .agent_name'
	assert_output $'frontend-developer\ntechnical-writer\nqa-specialist\ndebug-specialist'
}

@test "bad input and usage" {
	printf '%s\n' '{"agent_name": "a"}' 'nope' >in.jsonl
	run -1 --separate-stderr oak-rank in.jsonl
	assert_equal "$stderr" 'oak-rank: in.jsonl:1: missing "state" (not AgentStats from oak-group-by-agent?)
oak-rank: in.jsonl:2: invalid JSON: unexpected character at column 1
oak-rank: 2 lines rejected'
	run -2 --separate-stderr oak-rank --top -1
	assert_equal "$stderr" 'oak-rank: --top: not a count: -1'
	run -2 ranking /no/such/dir
}
