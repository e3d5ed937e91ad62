#!/usr/bin/env bats
# oak-join-by-invocation: both directory forms, updates and metrics,
# every kind of bad input, shards and time windows.

load test_helper

inv() {   # inv ID AGENT [TIMESTAMP]: a minimal AgentInvocation line
	printf '{"timestamp": "%s", "invocation_id": "%s", "agent_name": "%s", "outcome": {"status": "unknown"}}\n' \
		"${3:-2025-10-13T08:00:00Z}" "$1" "$2"
}

@test "reference form: each invocation gets its seq and its last metric" {
	inv a x >inv.jsonl
	inv b y >>inv.jsonl
	cat >m.jsonl <<'J'
{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a", "success": true, "quality_rating": 3}
{"timestamp": "2025-10-13T09:01:00Z", "invocation_id": "a", "success": true, "quality_rating": 5}
J
	run -0 --separate-stderr oak-join-by-invocation --metrics m.jsonl inv.jsonl
	assert_output - <<'J'
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "outcome": {"status": "unknown"}, "invocation_seq": 1, "success_metric": {"timestamp": "2025-10-13T09:01:00Z", "invocation_id": "a", "success": true, "quality_rating": 5}}
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "b", "agent_name": "y", "outcome": {"status": "unknown"}, "invocation_seq": 2}
J
	assert_equal "$stderr" ""
}

@test "append form: updates apply in file order; outcome and metadata merge key by key" {
	cat >inv.jsonl <<'J'
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "duration_seconds": null, "outcome": {"status": "unknown", "error_message": null}, "metadata": {"k": 1}}
J
	cat >u.jsonl <<'J'
{"timestamp": "2025-10-13T08:05:00Z", "invocation_id": "a", "duration_seconds": 12.5, "outcome": {"status": "failure", "error_message": "boom"}}
{"timestamp": "2025-10-13T08:06:00Z", "invocation_id": "a", "tools_used": ["Edit"], "outcome": {"status": "success", "tests_passed": true}, "metadata": {"agent_id": "z"}}
J
	run -0 oak-join-by-invocation --updates u.jsonl inv.jsonl
	assert_output '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "duration_seconds": 12.5, "outcome": {"status": "success", "error_message": "boom", "tests_passed": true}, "metadata": {"k": 1, "agent_id": "z"}, "tools_used": ["Edit"], "invocation_seq": 1}'
}

@test "both forms of every reference scenario join to the same records" {
	for s in basic ties unicode larger; do
		d="$DATA/reference/$s"
		oak-join-by-invocation --metrics "$d/reference/success_metrics.jsonl" \
			"$d/reference/agent_invocations.jsonl" | jq -cS . >ref
		oak-join-by-invocation --updates "$d/append/invocation_updates.jsonl" \
			--metrics "$d/append/success_metrics.jsonl" \
			"$d/append/agent_invocations.jsonl" | jq -cS . >app
		run -0 cmp ref app
	done
}

@test "missing side files mean none; stdin is read when no file is named" {
	inv a x | oak-join-by-invocation --updates nope.jsonl --metrics nope2.jsonl >out
	run -0 cat out
	assert_output '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "outcome": {"status": "unknown"}, "invocation_seq": 1}'
}

@test "side files may be pipes" {
	inv a x >inv.jsonl
	run -0 oak-join-by-invocation --metrics <(echo '{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a", "success": true, "quality_rating": 4}') inv.jsonl
	assert_output --partial '"success_metric": {"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a", "success": true, "quality_rating": 4}}'
}

@test "bad lines: each reported with file and line, skipped, exit 1 at the end" {
	{
		inv a x
		echo 'not json'
		echo '[1, 2]'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "agent_name": "x"}'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "c"}'
		echo '{"invocation_id": "d", "agent_name": "x"}'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": 5, "agent_name": "x"}'
		printf '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "e", "agent_name": "\xff"}\n'
		printf '\xef\xbb\xbf{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "f", "agent_name": "x"}\n'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "g", "agent_name": "x", "duration_seconds": NaN}'
		echo ''
		echo '{"timestamp": "yesterday", "invocation_id": "h", "agent_name": "x"}'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "i", "agent_name": "x", "duration_seconds": "12"}'
		inv a x
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "j", "agent_name": "x"}'
		printf '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "k", "agent'
	} >inv.jsonl
	run -1 --separate-stderr oak-join-by-invocation inv.jsonl
	assert_output - <<'J'
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "outcome": {"status": "unknown"}, "invocation_seq": 1}
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "j", "agent_name": "x", "invocation_seq": 2}
J
	assert_equal "$stderr" 'oak-join-by-invocation: inv.jsonl:2: invalid JSON: unexpected character at column 1
oak-join-by-invocation: inv.jsonl:3: not a JSON object
oak-join-by-invocation: inv.jsonl:4: missing "invocation_id"
oak-join-by-invocation: inv.jsonl:5: missing "agent_name"
oak-join-by-invocation: inv.jsonl:6: missing "timestamp"
oak-join-by-invocation: inv.jsonl:7: "invocation_id" is not a string
oak-join-by-invocation: inv.jsonl:8: invalid UTF-8 at column 76
oak-join-by-invocation: inv.jsonl:9: UTF-8 byte order mark
oak-join-by-invocation: inv.jsonl:10: invalid JSON: unexpected character at column 100
oak-join-by-invocation: inv.jsonl:12: "timestamp" is not an ISO-8601 date-time
oak-join-by-invocation: inv.jsonl:13: "duration_seconds" is not a number
oak-join-by-invocation: inv.jsonl:14: invocation_id a already started
oak-join-by-invocation: inv.jsonl:16: invalid JSON: unterminated string at column 67 (truncated last line)
oak-join-by-invocation: 13 lines rejected'
}

@test "a timestamp whose instant leaves the years 0000 to 9999 (UTC) is rejected, with why" {
	# fuzz_time found it: the summary wrote year -1, which no reader takes
	{
		echo '{"timestamp": "0000-01-01T01:00:00+01:00", "invocation_id": "a", "agent_name": "x"}'
		echo '{"timestamp": "0000-01-01T00:30:00+01:00", "invocation_id": "b", "agent_name": "x"}'
		echo '{"timestamp": "9999-12-31T23:30:00-01:00", "invocation_id": "c", "agent_name": "x"}'
	} >inv.jsonl
	run -1 --separate-stderr oak-join-by-invocation --summary sum.json inv.jsonl
	assert_output '{"timestamp": "0000-01-01T01:00:00+01:00", "invocation_id": "a", "agent_name": "x", "invocation_seq": 1}'
	assert_equal "$stderr" 'oak-join-by-invocation: inv.jsonl:2: "timestamp" is not in the years 0000 to 9999 in UTC
oak-join-by-invocation: inv.jsonl:3: "timestamp" is not in the years 0000 to 9999 in UTC
oak-join-by-invocation: 2 lines rejected'
	run -0 cat sum.json
	assert_output '{"invocations": 1, "in_window": 1, "rejected": 2, "never_started": 0, "first": "0000-01-01T00:00:00Z", "last": "0000-01-01T00:00:00Z"}'
}

@test "--rejects gets each bad line verbatim; --strict stops at the first" {
	{ inv a x; echo 'oops'; inv b x; printf '{"x": 1}\r\n'; } >inv.jsonl
	run -1 --separate-stderr oak-join-by-invocation --rejects bad.jsonl inv.jsonl
	assert_equal "${#lines[@]}" 2
	run -0 cat bad.jsonl
	assert_output $'oops\n{"x": 1}'
	run -1 --separate-stderr oak-join-by-invocation --strict inv.jsonl
	assert_output --partial '"invocation_id": "a"'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" 'oak-join-by-invocation: inv.jsonl:2: invalid JSON: unexpected character at column 1'
}

@test "CRLF endings and a last line without newline are read" {
	printf '%s\r\n' "$(inv a x)" >inv.jsonl
	printf '%s' "$(inv b x)" >>inv.jsonl
	run -0 oak-join-by-invocation inv.jsonl
	assert_equal "${#lines[@]}" 2
}

@test "a missing outcome is joined as is (grouped as unknown downstream)" {
	echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x"}' >inv.jsonl
	run -0 oak-join-by-invocation inv.jsonl
	assert_output '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "invocation_seq": 1}'
}

@test "updates and metrics never started: a note, once per file with the first line" {
	inv a x >inv.jsonl
	cat >u.jsonl <<'J'
{"timestamp": "2025-10-13T08:05:00Z", "invocation_id": "a", "duration_seconds": 1}
{"timestamp": "2025-10-13T08:05:00Z", "invocation_id": "ghost", "duration_seconds": 1}
{"timestamp": "2025-10-13T08:05:00Z", "invocation_id": "ghost2", "duration_seconds": 1}
not json
J
	echo '{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "nobody", "success": true, "quality_rating": 4}' >m.jsonl
	run -1 --separate-stderr oak-join-by-invocation --updates u.jsonl --metrics m.jsonl inv.jsonl
	assert_output --partial '"duration_seconds": 1,'
	assert_equal "$stderr" 'oak-join-by-invocation: u.jsonl:4: invalid JSON: unexpected character at column 1
oak-join-by-invocation: u.jsonl:2: note: 2 updates for invocation ids never started (first here)
oak-join-by-invocation: m.jsonl:1: note: 1 metric for invocation ids never started (first here)
oak-join-by-invocation: 1 line rejected'
	# notes alone leave the exit status at 0
	sed -i '$d' u.jsonl
	run -0 --separate-stderr oak-join-by-invocation --updates u.jsonl --metrics m.jsonl inv.jsonl
	assert_equal "$stderr" 'oak-join-by-invocation: u.jsonl:2: note: 2 updates for invocation ids never started (first here)
oak-join-by-invocation: m.jsonl:1: note: 1 metric for invocation ids never started (first here)'
}

@test "--since and --until select by start instant, any offset" {
	{
		inv a x 2025-10-12T23:59:59Z
		inv b x 2025-10-13T00:30:00+01:00
		inv c x 2025-10-13T00:00:00Z
		inv d x 2025-10-19T23:59:59.999999Z
		inv e x 2025-10-20T00:00:00Z
	} >inv.jsonl
	run -0 oak-join-by-invocation --since 2025-10-13 --until 2025-10-20T00:00:00Z inv.jsonl
	assert_equal "$(jq -r .invocation_id <<<"$output" | tr -d '\n')" "cd"
	run -2 --separate-stderr oak-join-by-invocation --since lastweek inv.jsonl
	assert_equal "$stderr" 'oak-join-by-invocation: --since: not an ISO-8601 date or date-time: lastweek'
}

@test "--shard K/N: the shards partition the invocations and keep the global seq" {
	d="$DATA/reference/larger/append"
	for k in 1 2 3; do
		oak-join-by-invocation --shard "$k/3" --updates "$d/invocation_updates.jsonl" \
			--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" >"s$k"
	done
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl" >all
	sort s1 s2 s3 >shards
	sort all >whole
	run -0 cmp shards whole
	run -0 test -s s1 -a -s s2 -a -s s3
	run -2 oak-join-by-invocation --shard 4/3
}

@test "usage and I/O errors" {
	run -2 --separate-stderr oak-join-by-invocation --bogus
	assert_equal "${stderr_lines[1]}" 'usage: oak-join-by-invocation [--updates FILE] [--metrics FILE]'
	run -3 --separate-stderr oak-join-by-invocation missing.jsonl
	assert_equal "$stderr" 'oak-join-by-invocation: missing.jsonl: No such file or directory'
	run -0 oak-join-by-invocation --version
	assert_output 'oak-join-by-invocation 0.1.0'
}

@test "--shard: each bad line is reported by one shard only" {
	{
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x"}'
		echo 'broken'
		echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x"}'
	} >inv.jsonl
	echo 'also broken' >m.jsonl
	for k in 1 2 3; do
		oak-join-by-invocation --shard "$k/3" --metrics m.jsonl inv.jsonl 2>>err >/dev/null || true
	done
	run -0 sort err
	assert_output 'oak-join-by-invocation: 1 line rejected
oak-join-by-invocation: 2 lines rejected
oak-join-by-invocation: inv.jsonl:2: invalid JSON: unexpected character at column 1
oak-join-by-invocation: inv.jsonl:3: invocation_id a already started
oak-join-by-invocation: m.jsonl:1: invalid JSON: unexpected character at column 1'
}

@test "--validate: each file's lines checked against its kind's schema, as oak-validate says" {
	d="$DATA/reference/basic/append"
	{ cat "$d/agent_invocations.jsonl"; echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "z", "agent_name": "x", "outcome": {"status": "sucess"}}'; } >inv.jsonl
	{ cat "$d/invocation_updates.jsonl"; echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "f5489084-bdc5-45af-b4fb-12f1065a24a8", "duration_seconds": "long"}'; } >u.jsonl
	{ cat "$d/success_metrics.jsonl"; echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "f5489084-bdc5-45af-b4fb-12f1065a24a8", "success": true, "quality_rating": 9}'; } >m.jsonl
	run -1 --separate-stderr oak-join-by-invocation --validate --updates u.jsonl --metrics m.jsonl inv.jsonl
	assert_equal "${#lines[@]}" 60
	assert_equal "$stderr" 'oak-join-by-invocation: u.jsonl:58: /duration_seconds: "long" is not of type number or null (type)
oak-join-by-invocation: m.jsonl:69: /quality_rating: 9 is greater than the maximum of 5 (maximum)
oak-join-by-invocation: inv.jsonl:61: missing required property "session_id" (required)
oak-join-by-invocation: 3 lines rejected'
	for f in inv.jsonl u.jsonl m.jsonl; do
		k=invocation; [ $f = u.jsonl ] && k=update; [ $f = m.jsonl ] && k=metric
		run -1 --separate-stderr oak-validate --kind "$k" "$f"
		assert_equal "${stderr_lines[0]#oak-validate: }" "$(grep "^oak-join-by-invocation: $f:" <<<"$(oak-join-by-invocation --validate --updates u.jsonl --metrics m.jsonl inv.jsonl 2>&1 >/dev/null)" | sed 's/^oak-join-by-invocation: //')"
	done
}

@test "lines of only whitespace are skipped without a word, as the reference skips them" {
	{ printf '   \n\t\r\n'; inv a x; printf ' \n'; } >inv.jsonl
	printf '  \n{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a", "success": true, "quality_rating": 4}\n\t\n' >m.jsonl
	run -0 --separate-stderr oak-join-by-invocation --metrics m.jsonl inv.jsonl
	assert_output --partial '"invocation_seq": 1, "success_metric": {"timestamp": "2025-10-13T09:00:00Z"'
	assert_equal "$stderr" ''
	run -0 --separate-stderr oak-validate --schema <(echo true) inv.jsonl
	assert_equal "${#lines[@]}" 1
}

@test "--project group: only what group reads, each value as written" {
	cat >inv.jsonl <<'J'
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "agent_type": "t", "task_description": "long", "state_features": {"codebase": {"loc": 5}, "task": {"scope": "small", "type_source": "inferred", "type": "bug_fix"}}, "tools_used": ["Edit"], "duration_seconds": 1.50, "outcome": {"status": "failure", "error_message": "b\u00e9", "files_modified": ["f"]}, "metadata": {"k": 1}}
{"timestamp": "2025-10-13T08:01:00Z", "invocation_id": "b", "agent_name": "y", "outcome": null, "state_features": null}
{"timestamp": "2025-10-13T08:02:00Z", "invocation_id": "c", "agent_name": "x"}
J
	cat >u.jsonl <<'J'
{"timestamp": "2025-10-13T08:05:00Z", "invocation_id": "b", "duration_seconds": 2, "outcome": {"status": "success", "tests_passed": true}}
J
	cat >m.jsonl <<'J'
{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a", "success": false, "quality_rating": 2.0, "feedback_notes": "n", "would_use_again": false, "alternative_agent_suggested": "z"}
J
	# c's metric: one of the three values only, an escape in a string
	# before it, a CRLF line end (each value is found where it stands)
	printf '{"timestamp": "2025-10-13T09:01:00Z", "feedback_notes": "\\"q\\"", "invocation_id": "c", "quality_rating":5}\r\n' >>m.jsonl
	for t in 1 2; do
		run -0 oak-join-by-invocation --project group --threads "$t" \
			--updates u.jsonl --metrics m.jsonl inv.jsonl
		assert_output - <<'J'
{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "a", "agent_name": "x", "duration_seconds": 1.50, "metadata": {"k": 1}, "outcome": {"status": "failure", "error_message": "b\u00e9"}, "state_features": {"task": {"type": "bug_fix", "type_source": "inferred"}}, "invocation_seq": 1, "success_metric": {"quality_rating": 2.0, "would_use_again": false, "alternative_agent_suggested": "z"}}
{"timestamp": "2025-10-13T08:01:00Z", "invocation_id": "b", "agent_name": "y", "duration_seconds": 2, "invocation_seq": 2, "outcome": {"status": "success"}, "state_features": null}
{"timestamp": "2025-10-13T08:02:00Z", "invocation_id": "c", "agent_name": "x", "invocation_seq": 3, "success_metric": {"quality_rating": 5}}
J
	done
	run -2 --separate-stderr oak-join-by-invocation --project all inv.jsonl
	assert_equal "$stderr" 'oak-join-by-invocation: --project: want group: all'
}

# group over the projection must say what group over the whole joined
# stream says, on every fixture (both forms) and on lines group refuses
@test "ids started: a uuid kept in its 16 bytes is the same id only as itself" {
	u=6ba7b810-9dad-41d1-80b4-00c04fd430c8
	U=6BA7B810-9DAD-41D1-80B4-00C04FD430C8
	for id in "$u" "$U" "$u" "${u%8}g" "${u%8}g" "$U" "${u}0" "x$u" \
		  "${u%8}9" "$u"; do
		printf '{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "%s", "agent_name": "a"}\n' "$id"
	done >inv.jsonl
	run -1 --separate-stderr oak-join-by-invocation inv.jsonl
	assert_equal "$stderr" "oak-join-by-invocation: inv.jsonl:3: invocation_id $u already started
oak-join-by-invocation: inv.jsonl:5: invocation_id ${u%8}g already started
oak-join-by-invocation: inv.jsonl:6: invocation_id $U already started
oak-join-by-invocation: inv.jsonl:10: invocation_id $u already started
oak-join-by-invocation: 4 lines rejected"
	run -0 jq -r .invocation_id <<<"$output"
	assert_output "$u
$U
${u%8}g
${u}0
x$u
${u%8}9"
}

# Invocations that join takes and group refuses (2 and 4, with m.jsonl
# below: 4's metric has a rating that is a string) or takes as they are.
group_refuses() {
	cat <<'J'
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "1", "agent_name": "a", "outcome": null}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "2", "agent_name": "a", "duration_seconds": 1e300}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "3", "agent_name": "a", "success_metric": 5}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "4", "agent_name": "b", "duration_seconds": 3}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "5", "agent_name": "a", "state_features": {"task": null}}
J
}

@test "--project group: group writes the same bytes and refuses the same lines" {
	joined() { # joined DIR [OPTION...]
		d=$1
		shift
		oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
			--metrics "$d/success_metrics.jsonl" "$@" "$d/agent_invocations.jsonl"
	}
	for d in "$DATA"/reference/*/append "$DATA"/reference/*/reference "$BATS_TEST_DIRNAME/../examples/telemetry"; do
		joined "$d" | oak-group-by-agent >whole
		joined "$d" --project group | oak-group-by-agent >projected
		run -0 cmp whole projected
	done
	# a window and a shard: what is projected is what is written
	d=$BATS_TEST_DIRNAME/../examples/telemetry
	for opts in "--since 2025-10-15T00:00:00Z --until 2025-10-17T00:00:00Z" \
		    "--shard 2/3" "--shard 1/2 --until 2025-10-16T00:00:00Z"; do
		for t in 1 2; do
			# shellcheck disable=SC2086
			joined "$d" $opts --threads "$t" | oak-group-by-agent >whole
			# shellcheck disable=SC2086
			joined "$d" $opts --threads "$t" --project group |
				oak-group-by-agent >projected
			run -0 cmp whole projected
			run -0 grep -c '"invocation_count"' projected
			[ "$output" -gt 3 ]
		done
	done
	group_refuses >inv.jsonl
	echo '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "4", "quality_rating": "4"}' >m.jsonl
	oak-join-by-invocation --metrics m.jsonl inv.jsonl | oak-group-by-agent >whole 2>whole.err || true
	oak-join-by-invocation --project group --metrics m.jsonl inv.jsonl | oak-group-by-agent >projected 2>projected.err || true
	run -0 cmp whole projected
	run -0 cmp whole.err projected.err
	run -0 cat projected.err
	assert_output 'oak-group-by-agent: -:2: "duration_seconds" is out of range
oak-group-by-agent: -:4: "success_metric.quality_rating" is not a number
oak-group-by-agent: 2 lines rejected'
}

@test "--group: the AgentStats of --project group | oak-group-by-agent, the same bytes" {
	joined() { # joined DIR [OPTION...]
		d=$1
		shift
		oak-join-by-invocation --validate --updates "$d/invocation_updates.jsonl" \
			--metrics "$d/success_metrics.jsonl" "$@" "$d/agent_invocations.jsonl"
	}
	"$BATS_TEST_DIRNAME/../tools/gen-telemetry" -n 2000 -f append gen >/dev/null
	n=0
	for d in "$DATA"/reference/*/append "$DATA"/reference/*/reference \
		 "$BATS_TEST_DIRNAME/../examples/telemetry" gen; do
		for t in 1 2; do
			joined "$d" --project group | oak-group-by-agent >piped
			joined "$d" --group --threads "$t" >grouped
			run -0 cmp piped grouped
			n=$((n + 1))
		done
	done
	[ "$n" -gt 6 ]
	# a window; shards, which are pieces (group --piece K/N)
	d=gen
	for opts in "--since 2025-10-15T00:00:00Z --until 2025-10-17T00:00:00Z" \
		    "--shard 2/3" "--shard 1/2 --until 2025-10-16T00:00:00Z"; do
		# shellcheck disable=SC2086
		joined "$d" $opts --project group |
			oak-group-by-agent ${opts:+$(echo "$opts" |
				sed -n 's/.*--shard \([0-9/]*\).*/--piece \1/p')} >piped
		# shellcheck disable=SC2086
		joined "$d" $opts --group --threads 2 >grouped
		run -0 cmp piped grouped
		run -0 grep -c '"invocation_count"' grouped
		[ "$output" -gt 3 ]
	done
	run -0 grep -c '"piece": "1/2"' grouped
	[ "$output" -gt 3 ]
	run -2 --separate-stderr oak-join-by-invocation --group --shard 1/65537 gen/agent_invocations.jsonl
	assert_equal "$stderr" 'oak-join-by-invocation: --group --shard: want K/N with 1 <= K <= N <= 65536: 1/65537'
}

@test "--group: a record group refuses is refused at its own line, and counted" {
	group_refuses >inv.jsonl
	cat >>inv.jsonl <<'J'
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "6", "agent_name": "c\u0041", "metadata": {"tokens": {"input": 9223372036854775807, "output": 1}}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "7", "agent_name": "c\u0041", "metadata": {"total_tokens": 5}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "8", "agent_name": "e", "duration_seconds": 1e400}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "9", "agent_name": "e", "duration_seconds": 1e400}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "10", "agent_name": "e", "metadata": {"total_tokens": 1e400}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "11", "agent_name": "e", "state_features": {"task": {"type": "bug\u005ffix", "type_source": "inferred"}}, "outcome": {"status": "failure", "error_message": "a\tb"}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "12", "agent_name": "e", "metadata": {"models": ["m1", "m2"], "tokens": {"input": 1}}}
{"timestamp": "2025-10-13T07:00:00Z", "invocation_id": "13", "agent_name": "e", "metadata": {"models": ["m1"], "tokens": {"input": 2}, "cost_unpriced_models": ["m1"]}}
J
	# the metrics' reasons come first (8), then the duration's (9), then
	# the rating's (10), then the tokens'; 11 and 12 have texts to unescape
	# or join, 7 an alternative to unescape
	printf '%s\n' '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "4", "quality_rating": "4"}' \
		'{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "7", "quality_rating": 2, "would_use_again": true, "alternative_agent_suggested": "d\"e"}' \
		'{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "8", "quality_rating": null}' \
		'{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "9", "quality_rating": 1e400}' \
		'{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "10", "quality_rating": 1e400}' \
		'{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "11", "quality_rating": 1, "would_use_again": false, "alternative_agent_suggested": "f"}' >m.jsonl
	printf '%s\n' '{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "5", "outcome": {"status": "failure", "error_message": "x"}}' >u.jsonl
	oak-join-by-invocation --project group --updates u.jsonl --metrics m.jsonl inv.jsonl |
		oak-group-by-agent >piped 2>piped.err || true
	for t in 1 2; do
		run -1 --separate-stderr oak-join-by-invocation --group --threads "$t" \
			--updates u.jsonl --metrics m.jsonl --summary sum inv.jsonl
		assert_equal "$stderr" 'oak-join-by-invocation: inv.jsonl:2: "duration_seconds" is out of range
oak-join-by-invocation: inv.jsonl:4: "success_metric.quality_rating" is not a number
oak-join-by-invocation: inv.jsonl:6: sum of "metadata.tokens" out of range
oak-join-by-invocation: inv.jsonl:8: "success_metric.quality_rating" is not a number
oak-join-by-invocation: inv.jsonl:9: "duration_seconds" is out of range
oak-join-by-invocation: inv.jsonl:10: "success_metric.quality_rating" is out of range
oak-join-by-invocation: 6 lines rejected'
		echo "$output" >grouped
		run -0 cmp piped grouped
		run -0 cat sum
		assert_output '{"invocations": 13, "in_window": 13, "rejected": 6, "never_started": 0, "first": "2025-10-13T07:00:00Z", "last": "2025-10-13T07:00:00Z"}'
	done
	run -0 cat piped.err
	assert_output 'oak-group-by-agent: -:2: "duration_seconds" is out of range
oak-group-by-agent: -:4: "success_metric.quality_rating" is not a number
oak-group-by-agent: -:6: sum of "metadata.tokens" out of range
oak-group-by-agent: -:8: "success_metric.quality_rating" is not a number
oak-group-by-agent: -:9: "duration_seconds" is out of range
oak-group-by-agent: -:10: "success_metric.quality_rating" is out of range
oak-group-by-agent: 6 lines rejected'
	run -0 jq -c '[.agent_name, .invocation_count, .state.failures, .alternatives_suggested, .average_quality, .state.task_types, .state.models, .state.cost_unpriced]' grouped
	assert_output '["a",3,1,[],0,[],null,null]
["cA",1,0,[["d\"e",1]],2,[],null,null]
["e",3,1,[["f",1]],1,[["bug_fix",1,11]],[["m1",1,2,0,0,0],["m1+m2",1,1,0,0,0]],[["m1",1,13]]]'
}

# --threads N: the same bytes on stdout and stderr as one thread, for
# every N, on 3000 generated invocations (three batches of lines and
# more) with bad lines of every kind between them: not JSON, failing the
# schema, failing the record check, a duplicate id, blank and CRLF
# lines, a last line without its newline (in the invocations and in the
# side files); two files, and stdin.
@test "--threads N: the same output, rejects and line numbers as one thread" {
	"$BATS_TEST_DIRNAME/../tools/gen-telemetry" -n 3000 -f append gen >/dev/null
	awk 'NR == 5 { print "broken" } NR == 1500 { print "{\"timestamp\": \"x\"}" }
	     NR == 2100 { print; print "" ; printf "%s\r\n", $0; next }
	     NR == 2500 { sub(/"session_id": "[^"]*", /, "") } { print }' \
		gen/agent_invocations.jsonl >inv.jsonl
	printf '{"timestamp": "2025-10-13T08:00:00Z", "invocation_id": "t", "agent_name": 7}\n{"timestamp": "2025' >tail.jsonl
	awk 'NR == 7 { print "[1]" } NR == 1200 { sub(/"quality_rating": [0-9]/, "\"quality_rating\": 9") }
	     NR == 1300 { printf "%s\r\n\n", $0; next } { print }' gen/success_metrics.jsonl >m.jsonl
	awk 'NR == 9 { print "{" } NR == 1500 { sub(/"invocation_id"/, "\"id\"") } { print }' \
		gen/invocation_updates.jsonl >u.jsonl
	for opts in "" "--validate" "--validate --project group" "--validate --shard 2/3" \
		    "--validate --group" "--validate --group --shard 3/7"; do
		# shellcheck disable=SC2086
		oak-join-by-invocation $opts --updates u.jsonl --metrics m.jsonl \
			inv.jsonl tail.jsonl >one 2>one.err || true
		for n in 2 3 7 16; do
			# shellcheck disable=SC2086
			oak-join-by-invocation --threads "$n" $opts --updates u.jsonl \
				--metrics m.jsonl inv.jsonl tail.jsonl >many 2>many.err || true
			run -0 cmp one many
			run -0 cmp one.err many.err
		done
	done
	run -1 --separate-stderr oak-join-by-invocation --validate --threads 2 inv.jsonl tail.jsonl
	assert_equal "$stderr" 'oak-join-by-invocation: inv.jsonl:5: invalid JSON: unexpected character at column 1
oak-join-by-invocation: inv.jsonl:1501: missing required property "session_id" (required)
oak-join-by-invocation: inv.jsonl:2104: invocation_id af917899-d638-4e94-a0f4-2d6901e0f90f already started
oak-join-by-invocation: inv.jsonl:2504: missing required property "session_id" (required)
oak-join-by-invocation: tail.jsonl:1: missing required property "session_id" (required)
oak-join-by-invocation: tail.jsonl:2: invalid JSON: unterminated string at column 20 (truncated last line)
oak-join-by-invocation: 6 lines rejected'
	oak-join-by-invocation --validate <inv.jsonl >one 2>one.err || true
	oak-join-by-invocation --validate --threads 2 <inv.jsonl >many 2>many.err || true
	run -0 cmp one many
	run -0 cmp one.err many.err
	run -2 --separate-stderr oak-join-by-invocation --threads 0 inv.jsonl
	assert_equal "${stderr_lines[0]}" "oak-join-by-invocation: --threads: want a whole number from 1 to 64: 0"
}
