#!/usr/bin/env bats
# pipelines/dashboard: the HTML report, written again when the logs change.

load test_helper

REF="$DATA/reference"

@test "dashboard: one run writes the page with its meta refresh" {
	run -0 dashboard "$REF/basic/append" -o d.html --every 5 --runs 1
	run -0 grep -c '<meta http-equiv="refresh" content="5">' d.html
	run -0 grep -c '<svg ' d.html
	assert_output 3
	run -0 dashboard "$REF/basic/append" -o w.html --runs 1 --week 2025-W42 --by day
	run -0 grep -c '<caption>Per day</caption>' w.html
}

@test "dashboard: a change in the logs makes a new page; no change, none" {
	mkdir t
	cp "$REF/basic/append/"* t/
	dashboard t -o d.html --every 1 --runs 2 3>&- &
	pid=$!
	# wait for the first page (bounded), then change the logs
	for _ in $(seq 100); do
		[ -s d.html ] && break
		sleep 0.1
	done
	run -0 grep -c '<b>60</b><span>invocations</span>' d.html
	cp d.html first.html
	tail -n 1 t/agent_invocations.jsonl | sed 's/"invocation_id": "[^"]*"/"invocation_id": "new-one"/' >>t/agent_invocations.jsonl
	wait "$pid"
	run -0 grep -c '<b>61</b><span>invocations</span>' d.html
}

@test "dashboard: usage errors" {
	run -2 dashboard
	run -2 dashboard "$REF/basic/append"
	run -2 dashboard nowhere -o x.html
	run -2 dashboard "$REF/basic/append" -o x.html --every soon
	run -2 dashboard "$REF/basic/append" -o x.html --bogus
}
