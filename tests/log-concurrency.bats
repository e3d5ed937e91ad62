#!/usr/bin/env bats
# oak-log under concurrent writers: nothing lost, nothing merged.
# OAK_LOG_ROUNDS scales the 8 x 500 test (the sanitizer build, whose
# programs start slowly, runs 8 x 60 unless told otherwise).

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	unset OAK_SESSION_ID OAK_WORKFLOW_ID OAK_PARENT_INVOCATION_ID
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
}

rounds() {
	case $OAK_BIN in
	*/san/bin) echo "${OAK_LOG_ROUNDS:-60}" ;;
	*) echo "${OAK_LOG_ROUNDS:-500}" ;;
	esac
}

# Every line of the file is one JSON value: prints how many.
valid_lines() {
	jq -R 'fromjson | 1' "$1" | wc -l
}

@test "8 processes x N rounds of start, end, feedback lose nothing" {
	n=$(rounds)
	for w in 1 2 3 4 5 6 7 8; do
		(
			for r in $(seq "$n"); do
				id=$(oak-log start --agent "agent-$w" --type development \
					--task "round $r") || exit 1
				oak-log end "$id" --duration "$r.5" --status success \
					--files-modified "src/$w/$r.ts" || exit 1
				oak-log feedback "$id" --success --quality $((r % 5 + 1)) || exit 1
			done
		) &
		pids="${pids-} $!"
	done
	for p in $pids; do
		wait "$p"
	done
	total=$((8 * n))
	for f in agent_invocations invocation_updates success_metrics; do
		[ "$(wc -l <telemetry/$f.jsonl)" -eq "$total" ]
		[ "$(valid_lines telemetry/$f.jsonl)" -eq "$total" ]
	done
	jq -r .invocation_id telemetry/agent_invocations.jsonl | sort >started
	[ "$(uniq <started | wc -l)" -eq "$total" ]
	for f in invocation_updates success_metrics; do
		jq -r .invocation_id telemetry/$f.jsonl | sort >ids
		cmp started ids
	done
	# each agent's rounds all made it, in its own order
	for w in 1 8; do
		run -0 jq -r "select(.agent_name == \"agent-$w\") | .task_description" telemetry/agent_invocations.jsonl
		[ "${#lines[@]}" -eq "$n" ]
		[ "${lines[0]}" = "round 1" ]
		[ "${lines[$((n - 1))]}" = "round $n" ]
	done
}

@test "a writer killed with SIGKILL in a loop loses or merges no other record" {
	pad=$(head -c 120000 /dev/zero | tr '\0' 'v')
	n=$(( $(rounds) / 5 + 20 ))
	for w in 1 2 3 4; do
		(
			for r in $(seq "$n"); do
				oak-log start --agent keeper --type meta \
					--task "keep-$w-$r" >/dev/null || exit 1
			done
		) &
		pids="${pids-} $!"
	done
	# kills land before, during and after the victims' writes (big
	# records widen the window in which one can cut a write short)
	for k in $(seq 80); do
		oak-log start --agent victim --type meta --task "victim-$k" \
			--metadata "{\"pad\":\"$pad\"}" \
			--features "{\"pad\":\"$pad\"}" >/dev/null 2>&1 &
		victim=$!
		[ $((k % 4)) -eq 0 ] || sleep "0.00$((k % 4))"
		kill -9 "$victim" 2>/dev/null || true
		wait "$victim" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p"
	done
	f=telemetry/agent_invocations.jsonl
	# every keeper record is whole, on a line of its own
	run -0 jq -R -r 'fromjson? | select(.agent_name == "keeper") | .task_description' "$f"
	[ "${#lines[@]}" -eq $((4 * n)) ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -u | wc -l)" -eq $((4 * n)) ]
	# any line that is not JSON is a victim's record cut short, alone
	run -0 jq -R -r 'select((fromjson? | 1) == null) | .[0:300]' "$f"
	for line in "${lines[@]}"; do
		[[ $line == '{"timestamp": '*'"agent_name": "victim"'* ]]
	done
	! grep -v '^{"timestamp": ' "$f"
	# the log still works after it all
	id=$(oak-log start --agent after --type meta --task t)
	oak-log end "$id" --status success
	tail -n 1 "$f" | jq -e .invocation_id >/dev/null
}
