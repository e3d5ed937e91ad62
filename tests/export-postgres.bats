#!/usr/bin/env bats
# oak-export-postgres against a real PostgreSQL server (Debian's
# postgresql, started on a Unix socket by setup_file): the view
# agent_performance equals performance_stats.json value by value on the
# reference fixtures and examples/; loads are idempotent and incremental;
# text survives COPY; a NUL is refused with file:line; a failed load
# leaves the database as it was.

load test_helper
load pg_helper

setup_file() {
	pg_start
}

teardown_file() {
	pg_stop
}

# The view as one JSON object, agent -> the seed's fields.
view_json() {
	psql -X -At -d "$1" -c "SELECT coalesce(json_object_agg(agent_name,
	    json_build_object('invocation_count', invocation_count,
	      'success_rate', success_rate, 'average_quality', average_quality,
	      'average_duration_seconds', average_duration_seconds,
	      'common_task_types', common_task_types,
	      'common_failures', common_failures,
	      'recommended_for', recommended_for)), '{}') FROM agent_performance"
}

# same_values VIEW.json performance_stats.json: every field of every agent
# equal as a value (numbers as doubles, arrays element by element).
same_values() {
	python3 - "$1" "$2" <<'PY'
import json, sys
view = json.load(open(sys.argv[1]))
stats = json.load(open(sys.argv[2]))["agents"]
if set(view) != set(stats):
    sys.exit("agents: view %r, stats %r" % (sorted(view), sorted(stats)))
n = 0
for agent, fields in stats.items():
    for key, want in fields.items():
        got = view[agent][key]
        if got != want or type(got) != type(want) and not (
                isinstance(got, (int, float)) and isinstance(want, (int, float))):
            sys.exit("%s.%s: view %r, performance_stats.json %r"
                     % (agent, key, got, want))
        n += 1
print("%d agents, %d values equal" % (len(stats), n))
PY
}

counts() {
	psql -X -At -d "$1" -c "SELECT (SELECT count(*) FROM invocations) || ' '
	    || (SELECT count(*) FROM success_metrics) || ' '
	    || (SELECT count(*) FROM invocation_updates)"
}

# check_dir DIR DB: loads DIR into a fresh DB, compares with
# oak-performance-stats of DIR.
check_dir() {
	pg_newdb "$2"
	export-postgres "$1" -d "$2"
	performance-stats "$1" -o stats.json
	view_json "$2" >view.json
	same_values view.json stats.json
}

@test "reference fixtures, both forms: agent_performance equals performance_stats.json value by value" {
	for s in basic ties unicode larger empty; do
		for form in append reference; do
			run -0 check_dir "$DATA/reference/$s/$form" "ref_${s}_$form"
			case $s in
			empty) assert_output "0 agents, 0 values equal" ;;
			ties) assert_output "3 agents, 21 values equal" ;;
			*) assert_output "6 agents, 42 values equal" ;;
			esac
		done
	done
}

@test "examples/: the view equals performance_stats.json; rows as in the logs" {
	run -0 check_dir "$TOP/examples/telemetry" examples
	assert_output "10 agents, 70 values equal"
	run -0 counts examples
	assert_output "400 300 400"
	run -0 check_dir "$TOP/examples/telemetry-reference" examples_reference
	assert_output "10 agents, 70 values equal"
}

@test "a second load changes nothing: no row doubled, the tables hash the same" {
	pg_newdb twice
	export-postgres "$TOP/examples/telemetry" -d twice
	digest() {
		psql -X -At -d twice -c "SELECT md5(string_agg(record::text, '' ORDER BY invocation_id)) FROM invocations" \
			-c "SELECT md5(string_agg(digest, '' ORDER BY digest)) FROM success_metrics" \
			-c "SELECT md5(string_agg(digest, '' ORDER BY digest)) FROM invocation_updates" \
			-c "SELECT md5(string_agg(invocation_id || seq, ',' ORDER BY seq)) FROM invocations"
	}
	digest >before
	run -0 export-postgres "$TOP/examples/telemetry" -d twice
	assert_output ""
	digest >after
	cmp before after
	run -0 counts twice
	assert_output "400 300 400"
}

@test "a log that grew: the new rows are added, updated outcomes brought up to date, the view equals the whole" {
	src="$TOP/examples/telemetry"
	mkdir grow
	head -n 250 "$src/agent_invocations.jsonl" >grow/agent_invocations.jsonl
	head -n 120 "$src/invocation_updates.jsonl" >grow/invocation_updates.jsonl
	head -n 100 "$src/success_metrics.jsonl" >grow/success_metrics.jsonl
	pg_newdb grow
	export-postgres grow -d grow
	run -0 counts grow
	assert_output "250 100 120"
	# an invocation whose end is still to come
	id=$(sed -n 130p "$src/invocation_updates.jsonl" | jq -r .invocation_id)
	want=$(jq -r "select(.invocation_id == \"$id\") | .outcome.status" "$src/invocation_updates.jsonl" | tail -n 1)
	run -0 psql -X -At -d grow -c "SELECT coalesce(status, '(none)') FROM invocations WHERE invocation_id = '$id'"
	before=$output

	cp "$src"/*.jsonl grow/
	run -0 export-postgres grow -d grow
	run -0 counts grow
	assert_output "400 300 400"
	run -0 psql -X -At -d grow -c "SELECT status FROM invocations WHERE invocation_id = '$id'"
	assert_output "$want"
	[ "$before" != "$want" ] || [ "$before" = "(none)" ]
	performance-stats grow -o stats.json
	view_json grow >view.json
	run -0 same_values view.json stats.json
	assert_output "10 agents, 70 values equal"
	# the same rows as one load of the whole
	pg_newdb whole
	export-postgres "$src" -d whole
	q="SELECT md5(string_agg(invocation_id || record::text, '' ORDER BY seq)) FROM invocations"
	[ "$(psql -X -At -d grow -c "$q")" = "$(psql -X -At -d whole -c "$q")" ]
}

@test "text survives COPY: tabs, newlines, backslashes, quotes, non-ASCII and emoji, as typed columns and jsonb" {
	mkdir t
	python3 - >t/agent_invocations.jsonl <<'PY'
import json
texts = ["tab\there", "new\nline", "back\\slash \\N \\.", 'a "quote" \'single\'',
         "caf\u00e9 \u6f22\u5b57 \u0394", "emoji \U0001F600\U0001F680", "cr\r\n", "\\", "\t"]
for i, t in enumerate(texts):
    print(json.dumps({"timestamp": "2025-10-13T08:00:0%dZ" % i, "session_id": t,
        "invocation_id": "id-%d" % i, "agent_name": "agent " + t, "agent_type": "utility",
        "task_description": t, "state_features": {"task": {"type": "bug_fix"}, "note": t},
        "metadata": {"note": t}}, ensure_ascii=(i % 2 == 0)))
PY
	pg_newdb texts
	run -0 export-postgres t -d texts
	psql -X -At -d texts -c "SELECT json_agg(json_build_object('d', task_description, 'a', agent_name, 's', session_id, 't', state_features->>'note', 'n', metadata->>'note', 'r', record) ORDER BY seq) FROM invocations" >got.json
	run -0 python3 - t/agent_invocations.jsonl got.json <<'PY'
import json, sys
want = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
got = json.load(open(sys.argv[2], encoding="utf-8"))
assert len(got) == len(want), (len(got), len(want))
for w, g in zip(want, got):
    t = w["task_description"]
    assert (g["d"], g["s"], g["t"], g["n"]) == (t, t, t, t), (g, t)
    assert g["a"] == "agent " + t
    for k in w:
        assert g["r"][k] == w[k], (k, g["r"][k], w[k])
print("%d records equal" % len(got))
PY
	assert_output "9 records equal"
}

@test "typed columns: times, duration, tokens, cost and the last metric" {
	mkdir ty
	cat >ty/agent_invocations.jsonl <<'J'
{"timestamp": "2025-10-13T08:00:00.250000Z", "session_id": "s", "invocation_id": "a", "agent_name": "x", "agent_type": "utility", "task_description": "t", "state_features": {"task": {"type": "bug_fix"}}, "parent_invocation_id": "p", "metadata": {"workflow_id": "w", "usage": {"input_tokens": 1200, "output_tokens": 34}, "total_tokens": 1234, "cost_usd": 0.0123}}
J
	cat >ty/invocation_updates.jsonl <<'J'
{"timestamp": "2025-10-13T08:02:00Z", "invocation_id": "a", "duration_seconds": 90.5, "outcome": {"status": "failure", "error_message": "boom"}}
J
	cat >ty/success_metrics.jsonl <<'J'
{"timestamp": "2025-10-13T08:03:00Z", "invocation_id": "a", "success": true, "quality_rating": 2, "would_use_again": true}
{"timestamp": "2025-10-13T08:04:00Z", "invocation_id": "a", "success": false, "quality_rating": 4, "would_use_again": false}
J
	pg_newdb typed
	export-postgres ty -d typed
	run -0 psql -X -At -d typed -c "SELECT started_at, ended_at, session_id, workflow_id, parent_invocation_id, agent_name, agent_type, task_type, status, error_message, duration_seconds, duration_micro, input_tokens, output_tokens, total_tokens, cost_usd, success, quality_rating, would_use_again FROM invocations" \
		-c "SELECT recorded_at, success, quality_rating FROM success_metrics ORDER BY recorded_at"
	assert_output - <<'OUT'
2025-10-13 08:00:00.25+00|2025-10-13 08:01:30.75+00|s|w|p|x|utility|bug_fix|failure|boom|90.5|90500000|1200|34|1234|0.0123|f|4|f
2025-10-13 08:03:00+00|t|2
2025-10-13 08:04:00+00|f|4
OUT
}

@test "a NUL in any log is refused with file:line; the rest loads" {
	mkdir nul
	src="$TOP/examples/telemetry"
	cp "$src"/*.jsonl nul/
	id=$(sed -n 5p nul/agent_invocations.jsonl | jq -r .invocation_id)
	# line 5 of the invocations, an update and a metric of others
	sed -i '5s/"task_description": "/"task_description": "nul \\u0000 /' nul/agent_invocations.jsonl
	sed -i '7s/"invocation_id"/"note": "\\u0000", "invocation_id"/' nul/invocation_updates.jsonl
	sed -i '9s/"feedback_notes": [^,]*,/"feedback_notes": "a\\u0000b",/' nul/success_metrics.jsonl
	uid=$(sed -n 7p nul/invocation_updates.jsonl | jq -r .invocation_id)
	pg_newdb nul
	run -1 --separate-stderr export-postgres nul -d nul
	assert_equal "$stderr" "oak-pg-copy: nul/agent_invocations.jsonl:5: a NUL character (\\u0000), which PostgreSQL text cannot hold: not loaded, nor its invocation
oak-pg-copy: 1 line rejected
oak-pg-copy: nul/invocation_updates.jsonl:7: a NUL character (\\u0000), which PostgreSQL text cannot hold: not loaded, nor its invocation
oak-pg-copy: 1 line rejected
oak-pg-copy: nul/success_metrics.jsonl:9: a NUL character (\\u0000), which PostgreSQL text cannot hold: not loaded, nor its invocation
oak-pg-copy: 1 line rejected"
	run -0 counts nul
	assert_output "397 299 399"
	run -0 psql -X -At -d nul -c "SELECT count(*) FROM invocations WHERE invocation_id IN ('$id', '$uid')"
	assert_output "0"
}

@test "a failed load leaves the database as it was, with status 3 and the reason" {
	pg_newdb fail
	export-postgres "$DATA/reference/basic/append" -d fail
	before=$(counts fail)
	id=$(head -n 1 "$TOP/examples/telemetry/invocation_updates.jsonl" | jq -r .invocation_id)
	psql -X -q -d fail -c "ALTER TABLE invocation_updates ADD CONSTRAINT refuse CHECK (invocation_id <> '$id')"
	run -3 --separate-stderr export-postgres "$TOP/examples/telemetry" -d fail
	[[ $stderr == *'violates check constraint "refuse"'* ]]
	[ "${stderr##*$'\n'}" = "oak-export-postgres: the load failed; the database is as it was" ]
	run -0 counts fail
	assert_output "$before"
	run -3 --separate-stderr export-postgres "$TOP/examples/telemetry" -d no_such_database
	assert_equal "${stderr##*$'\n'}" "oak-export-postgres: the load failed; the database is as it was"
}

@test "oak_py_round is Python's round() on doubles: ties, binary near-ties, tiny and large values" {
	pg_newdb rounding
	psql -X -q -d rounding -f "$TOP/sql/schema.sql"
	python3 - >cases <<'PY'
import random
rnd = random.Random(5)
xs = [0.125, 0.375, 2.675, 0.0005, 1/2000, 0.845, 1.005, 2.5, 0.5, 347.065,
      4.385, 1e-320, 5e-324, 1e300, 123456.785, -0.0005, -2.675, 0.8565,
      0.857142857142857, 2/3, 1/3, 0.99949999, 0.9995]
xs += [rnd.randrange(0, 10**6) / rnd.choice([8, 16, 1000, 2000, 7, 3])
       for _ in range(600)]
xs += [rnd.random() for _ in range(300)]
for x in xs:
    for p in (0, 2, 3):
        print("%r\t%d\t%r" % (x, p, round(x, p)))
PY
	cut -f 1,2 cases | psql -X -q -d rounding \
		-c "CREATE TEMP TABLE c (x float8, p int)" \
		-c "\\copy c FROM pstdin" \
		-c "\\copy (SELECT oak_py_round(x, p) FROM c) TO 'got'"
	run -0 python3 - <<'PY'
bad = 0
for case, got in zip(open("cases"), open("got")):
    x, p, want = case.split("\t")
    if float(got) != float(want):
        bad += 1
        print("round(%s, %s): python %s, sql %s" % (x, p, want.strip(), got.strip()))
print("%d cases, %d differ" % (sum(1 for _ in open("cases")), bad))
PY
	assert_output "2769 cases, 0 differ"
}

@test "installed: oak-export-postgres finds share/oak-telemetry/sql and its programs" {
	san=0
	case $OAK_BIN in */san/bin) san=1 ;; esac
	make -s -C "$TOP" install SAN="$san" DESTDIR="$TMP/root" >/dev/null
	root=$TMP/root/usr/local
	cmp "$TOP/sql/schema.sql" "$root/share/oak-telemetry/sql/schema.sql"
	pg_newdb installed
	PATH="$root/bin:/usr/bin:/bin" OAK_SCHEMA_DIR="$root/share/oak-telemetry/schemas" \
		run -0 "$root/bin/oak-export-postgres" "$DATA/reference/basic/append" -d installed
	performance-stats "$DATA/reference/basic/append" -o stats.json
	view_json installed >view.json
	run -0 same_values view.json stats.json
	assert_output "6 agents, 42 values equal"
}

@test "usage: --help on stdout; no directory is a usage error" {
	run -0 export-postgres --help
	assert_output "usage: oak-export-postgres [DIR] [psql-option ...]"
	run -2 --separate-stderr export-postgres no-such-dir -d x
	assert_equal "$stderr" "oak-export-postgres: no-such-dir: no such telemetry directory"
}
