#!/usr/bin/env bats
# oak-workflows: grouping, per-workflow figures, critical path,
# bottleneck, conflicts, outcome, sequences and handoffs; bad input.
#
# tests/data/workflows/known.jsonl holds five hand-written workflows; the
# figures below were worked out by hand from it (times in seconds from
# each workflow's first start):
#
# 1. "o1", tied by delegation (no workflow id; o1 delegates):
#    orchestrator o1 [0,600), its children planner p1 [10,110),
#    coder c1 [120,480) (failed), tester t1 [180,240); c1's child
#    linter l1 [300,390).
#    wall 600; agent time 600+100+360+60+90 = 1210; parallelism
#    1210/600 = 2.0167.
#    Critical path, walking back from 600: o1 ends last; in o1's span the
#    child ending last is c1 (480), so o1 holds [480,600) = 120; in c1's
#    span [120,480) its child l1 holds [300,390) = 90, c1 holds
#    [390,480) + [120,300) = 270; back in o1 from 120, the child started
#    before 120 and ending last is p1 (t1 starts at 180): o1 holds
#    [110,120) = 10, p1 [10,110) = 100, then o1 [0,10) = 10. So
#    orchestrator 140 > planner 100 > coder 270 > linter 90, sum 600.
#    Bottleneck coder: 270/600 = 45 % > 40 %.
#    Conflicts: src/a.c (planner, coder), src/b.c (coder, linter).
#    Outcome failed (c1).
# 2. "wf-A", tied by workflow_id: planner [0,60), coder [60,180),
#    reviewer [210,240). wall 240, agent 210, parallelism 0.875; path
#    reviewer 30, coder 120, planner 60 = 210 (the gap [180,210) is idle);
#    bottleneck coder 120/240 = 50 %. Succeeded.
# 3. "wf-B", tied by workflow_id, written out of order: planner [0,10),
#    coder [10,30), reviewer [30,60) failed. wall 60, agent 60,
#    parallelism 1; path 10 + 20 + 30; bottleneck reviewer 30/60 = 50 %;
#    x.c modified by coder and reviewer. Failed.
# 4. "s3", tied by session: analyst [0,100), writer [20,70) partial,
#    helper at 30 without a duration, unknown. wall 100, agent 150,
#    parallelism 1.5; writer runs inside analyst, so the path is analyst
#    alone, 100 = 100 %: the bottleneck. Outcome unknown (unknown before
#    partial).
# 5. "gone", tied by delegation to a parent not in the input: worker-a
#    [0,10), worker-b [5,15). wall 15, agent 20, parallelism 1.333; path
#    worker-b [5,15) = 10, worker-a [0,5) = 5; bottleneck worker-b 10/15 =
#    66.7 %. Succeeded.
# Across: planner > coder > reviewer in wf-A (succeeded) and wf-B
# (failed): 2 workflows, 50 %. Handoffs planner>coder and coder>reviewer
# twice each; coder>reviewer and orchestrator>coder once each before a
# failure.

load test_helper

KNOWN="$DATA/workflows/known.jsonl"

@test "per workflow: how it was tied, wall and agent time, parallelism (worked by hand)" {
	run -0 sh -c 'oak-workflows --format json "$1" | jq -c ".workflow_count, .tied_by, (.workflows[] | [.workflow, .tied_by, .structure, .invocations, .start, .end, .wall_seconds, .agent_seconds, .parallelism, .untimed])"' _ "$KNOWN"
	assert_output - <<'OUT'
5
{"workflow_id":2,"delegation":2,"session":1}
["o1","delegation","delegation tree",5,"2025-10-13T09:00:00Z","2025-10-13T09:10:00Z",600,1210,2.017,0]
["wf-A","workflow_id","handoff chain",3,"2025-10-13T10:00:00Z","2025-10-13T10:04:00Z",240,210,0.875,0]
["wf-B","workflow_id","handoff chain",3,"2025-10-13T11:00:00Z","2025-10-13T11:01:00Z",60,60,1,0]
["s3","session","handoff chain",3,"2025-10-13T12:00:00Z","2025-10-13T12:01:40Z",100,150,1.5,1]
["gone","delegation","handoff chain",2,"2025-10-13T13:00:00Z","2025-10-13T13:00:15Z",15,20,1.333,0]
OUT
}

@test "critical path and bottleneck (worked by hand)" {
	run -0 sh -c 'oak-workflows --format json "$1" | jq -c ".workflows[] | [[.critical_path[] | [.agent, .seconds]], .critical_path_seconds, .bottleneck]"' _ "$KNOWN"
	assert_output - <<'OUT'
[[["orchestrator",140],["planner",100],["coder",270],["linter",90]],600,{"agent":"coder","seconds":270,"share":0.45}]
[[["planner",60],["coder",120],["reviewer",30]],210,{"agent":"coder","seconds":120,"share":0.5}]
[[["planner",10],["coder",20],["reviewer",30]],60,{"agent":"reviewer","seconds":30,"share":0.5}]
[[["analyst",100]],100,{"agent":"analyst","seconds":100,"share":1}]
[[["worker-a",5],["worker-b",10]],15,{"agent":"worker-b","seconds":10,"share":0.667}]
OUT
}

@test "delegation tree order, conflicts and outcome (worked by hand)" {
	run -0 sh -c 'oak-workflows --format json "$1" | jq -c ".workflows[] | [[.agents[] | [.agent, .depth, .seconds, .status]], .conflicts, .outcome, .statuses]"' _ "$KNOWN"
	assert_output - <<'OUT'
[[["orchestrator",0,600,"success"],["planner",1,100,"success"],["coder",1,360,"failure"],["linter",2,90,"success"],["tester",1,60,"success"]],[{"file":"src/a.c","agents":["planner","coder"]},{"file":"src/b.c","agents":["coder","linter"]}],"failed",{"success":4,"failure":1,"partial":0,"unknown":0}]
[[["planner",0,60,"success"],["coder",0,120,"success"],["reviewer",0,30,"success"]],[],"succeeded",{"success":3,"failure":0,"partial":0,"unknown":0}]
[[["planner",0,10,"success"],["coder",0,20,"success"],["reviewer",0,30,"failure"]],[{"file":"x.c","agents":["coder","reviewer"]}],"failed",{"success":2,"failure":1,"partial":0,"unknown":0}]
[[["analyst",0,100,"success"],["writer",0,50,"partial"],["helper",0,null,"unknown"]],[],"unknown",{"success":1,"failure":0,"partial":1,"unknown":1}]
[[["worker-a",0,10,"success"],["worker-b",0,10,"success"]],[],"succeeded",{"success":2,"failure":0,"partial":0,"unknown":0}]
OUT
}

@test "across workflows: sequences, handoffs, handoffs before failures (worked by hand)" {
	run -0 sh -c 'oak-workflows --format json "$1" | jq -c "(.sequences[] | [(.agents | join(\">\")), .workflows, .success_rate]), \"-\", (.handoffs[] | [.from, .to, .handoffs, .workflows, .success_rate, .failures_after]), \"-\", (.handoffs_before_failures[] | [.from, .to, .failures_after])"' _ "$KNOWN"
	assert_output - <<'OUT'
["planner>coder>reviewer",2,0.5]
["orchestrator>planner>coder>tester>linter",1,0]
["analyst>writer>helper",1,null]
["worker-a>worker-b",1,1]
"-"
["planner","coder",2,2,0.5,0]
["coder","reviewer",2,2,0.5,1]
["orchestrator","planner",1,1,0,0]
["orchestrator","coder",1,1,0,1]
["orchestrator","tester",1,1,0,0]
["coder","linter",1,1,0,0]
["analyst","writer",1,1,null,0]
["writer","helper",1,1,null,0]
["worker-a","worker-b",1,1,1,0]
"-"
["coder","reviewer",1]
["orchestrator","coder",1]
OUT
	run -0 sh -c 'oak-workflows --top 1 --format json "$1" | jq -c "[.sequences, .handoffs, .handoffs_before_failures | length]"' _ "$KNOWN"
	assert_output '[1,1,1]'
}

@test "text is the default format; the whole report" {
	run -0 oak-workflows "$KNOWN"
	assert_output "$(cat "$DATA/workflows/known.txt")"
}

@test "markdown: headings, lists and tables" {
	run -0 oak-workflows --format markdown "$KNOWN"
	assert_line --index 0 '## Workflows'
	assert_line '### Workflow 1 of 5: o1'
	assert_line '- **Bottleneck:** coder, 270.0 s on the critical path (45.0 % of the wall time)'
	assert_line '      - linter (success, 90.0 s)'
	assert_line '| 2 | 50.0 % | planner > coder > reviewer |'
	assert_line '|---:|---:|---|'
}

@test "the output does not depend on the order of the input" {
	oak-workflows --format json "$KNOWN" >forward.json
	tac "$KNOWN" | oak-workflows --format json >backward.json
	run -0 cmp forward.json backward.json
}

@test "a member without a workflow id joins its parent's; another id is another workflow" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T09:00:00Z", "session_id": "s", "invocation_id": "r", "agent_name": "lead", "duration_seconds": 100, "metadata": {"workflow_id": "W"}}
{"timestamp": "2025-10-13T09:00:10Z", "session_id": "s", "invocation_id": "k", "agent_name": "kid", "parent_invocation_id": "r", "duration_seconds": 10}
{"timestamp": "2025-10-13T09:00:20Z", "session_id": "s", "invocation_id": "o", "agent_name": "other", "parent_invocation_id": "r", "duration_seconds": 10, "metadata": {"workflow_id": "V"}}
{"timestamp": "2025-10-13T09:00:30Z", "session_id": "s", "invocation_id": "g", "agent_name": "grandkid", "parent_invocation_id": "o", "duration_seconds": 5}
{"timestamp": "2025-10-13T09:00:40Z", "session_id": "s", "invocation_id": "x", "agent_name": "alone", "duration_seconds": 1}
J
	run -0 sh -c 'oak-workflows --format json in.jsonl | jq -c ".workflows[] | [.workflow, .tied_by, .structure, [.agents[] | .agent]]"'
	assert_output - <<'OUT'
["W","workflow_id","delegation tree",["lead","kid"]]
["V","workflow_id","delegation tree",["other","grandkid"]]
["s","session","handoff chain",["alone"]]
OUT
}

@test "a cycle of parents is cut with a warning; its own parent is a root" {
	cat >in.jsonl <<'J'
{"timestamp": "2025-10-13T09:00:00Z", "session_id": "s", "invocation_id": "x", "agent_name": "a", "parent_invocation_id": "y", "duration_seconds": 5}
{"timestamp": "2025-10-13T09:00:01Z", "session_id": "s", "invocation_id": "y", "agent_name": "b", "parent_invocation_id": "x", "duration_seconds": 2}
{"timestamp": "2025-10-13T09:00:02Z", "session_id": "s", "invocation_id": "z", "agent_name": "c", "parent_invocation_id": "z"}
J
	run -0 --separate-stderr sh -c 'oak-workflows --format json in.jsonl | jq -c ".workflows[] | [.workflow, .tied_by, [.agents[] | [.agent, .depth]]]"'
	assert_output - <<'OUT'
["y","delegation",[["b",0],["a",1]]]
["s","session",[["c",0]]]
OUT
	assert_equal "$stderr" "oak-workflows: in.jsonl:3: invocation z is its own parent; taken as a root
oak-workflows: in.jsonl:2: parent_invocation_id cycle; cut above invocation y"
}

@test "bad lines are reported, counted and left out; the rest is analysed" {
	ok='"timestamp": "2025-10-13T09:00:02Z", "session_id": "s", "agent_name": "c"'
	cat >in.jsonl <<J
{$ok, "invocation_id": "q"}
{$ok, "invocation_id": "q"}
nope
{"timestamp": "2025-10-13T09:00:02Z", "invocation_id": "r", "agent_name": "c"}
{$ok, "invocation_id": "r", "duration_seconds": -1}
{$ok, "invocation_id": "r", "duration_seconds": 1e10}
{$ok, "invocation_id": "r", "parent_invocation_id": 3}
{$ok, "invocation_id": "r", "outcome": {"files_modified": "a"}}
{$ok, "invocation_id": "r", "outcome": {"files_modified": [1]}}
{$ok, "invocation_id": "r", "metadata": {"workflow_id": 7}}
{$ok, "invocation_id": "r", "invocation_seq": 0}
{"timestamp": "yesterday", "session_id": "s", "invocation_id": "r", "agent_name": "c"}
J
	run -1 --separate-stderr oak-workflows --rejects rej.jsonl --format json in.jsonl
	run -0 jq -c '[.invocations, .workflow_count]' <<<"$output"
	assert_output '[1,1]'
	assert_equal "$stderr" 'oak-workflows: in.jsonl:2: duplicate "invocation_id"
oak-workflows: in.jsonl:3: invalid JSON: unexpected character at column 1
oak-workflows: in.jsonl:4: missing "session_id"
oak-workflows: in.jsonl:5: "duration_seconds" is negative or above 1e9
oak-workflows: in.jsonl:6: "duration_seconds" is negative or above 1e9
oak-workflows: in.jsonl:7: "parent_invocation_id" is not a string
oak-workflows: in.jsonl:8: "outcome.files_modified" is not an array
oak-workflows: in.jsonl:9: "outcome.files_modified" holds a non-string
oak-workflows: in.jsonl:10: "metadata.workflow_id" is not a string
oak-workflows: in.jsonl:11: "invocation_seq" is not a positive integer
oak-workflows: in.jsonl:12: "timestamp" is not an ISO-8601 date-time
oak-workflows: 11 lines rejected'
	run -0 cmp rej.jsonl <(sed 1d in.jsonl)
	run -1 --separate-stderr oak-workflows --strict --format json in.jsonl
	assert_output ''
	assert_equal "$stderr" 'oak-workflows: in.jsonl:2: duplicate "invocation_id"'
}

@test "no input: no workflows, in every format" {
	run -0 oak-workflows --format json /dev/null
	assert_output '{"workflow_count": 0, "invocations": 0, "tied_by": {"workflow_id": 0, "delegation": 0, "session": 0}, "workflows": [], "sequences": [], "handoffs": [], "handoffs_before_failures": []}'
	run -0 oak-workflows /dev/null
	assert_line --index 1 '0 workflows of 0 invocations; tied by workflow_id: 0, by delegation: 0, by session: 0.'
	run -0 oak-workflows --format markdown /dev/null
	assert_line 'None.'
}

@test "reference fixtures: one session, one workflow; the same from either form (Python-computed values)" {
	# Expected values computed independently with Python from the
	# reference logger's records: wall = max(start + duration) - min(start),
	# agent time = sum of durations, statuses counted, files with more
	# than one agent by first modification.
	for form in reference append; do
		d="$DATA/reference/basic/$form"
		oak-join-by-invocation --metrics "$d/success_metrics.jsonl" \
			$( [ -e "$d/invocation_updates.jsonl" ] && echo --updates "$d/invocation_updates.jsonl") \
			"$d/agent_invocations.jsonl" | oak-workflows --format json >"$form.json"
	done
	run -0 cmp reference.json append.json
	run -0 jq -c '.workflows[] | [.workflow, .tied_by, .invocations, .wall_seconds, .agent_seconds, .parallelism, .untimed, .statuses, .outcome, [.conflicts[] | [.file, (.agents | join(","))]]]' reference.json
	assert_output '["2e8373b1-91bb-453d-a36d-267fd32e1f49","session",60,256686.520533,15099.9,0.059,14,{"success":28,"failure":15,"partial":10,"unknown":7},"failed",[["src/file5.ts","backend-architect,frontend-developer"],["src/file15.ts","backend-architect,debug-specialist,technical-writer"],["src/file6.ts","debug-specialist,security-auditor"],["src/file10.ts","technical-writer,debug-specialist"],["src/file33.ts","qa-specialist,frontend-developer"],["src/file40.ts","security-auditor,qa-specialist,frontend-developer"]]]'
	d="$DATA/reference/unicode/reference"
	run -0 sh -c 'oak-join-by-invocation --metrics "$1/success_metrics.jsonl" "$1/agent_invocations.jsonl" | oak-workflows --format json | jq -c ".workflows[] | [.wall_seconds, .agent_seconds, .parallelism, .untimed, .statuses, [.conflicts[] | .file]]"' _ "$d"
	assert_output '[114141.768633,6875.6,0.06,6,{"success":18,"failure":6,"partial":3,"unknown":3},["src/file39.ts","src/file35.ts"]]'
}

@test "reference fixtures: a chain without overlaps has every member on the critical path" {
	d="$DATA/reference/basic/reference"
	run -0 sh -c 'oak-join-by-invocation "$1/agent_invocations.jsonl" | oak-workflows --format json | jq -c ".workflows[] | [.critical_path_seconds == .agent_seconds, (.critical_path | length), ([.agents[] | select(.seconds != null and .seconds > 0)] | length)]"' _ "$d"
	assert_output '[true,34,34]'
}

@test "a delegation chain 100000 deep and a session of 100000: linear, no deep recursion" {
	awk 'BEGIN { for (i = 1; i <= 100000; i++)
		printf "{\"timestamp\": \"2025-10-13T09:00:00Z\", \"session_id\": \"s\", \"invocation_id\": \"i%d\", \"agent_name\": \"a%d\", \"parent_invocation_id\": %s, \"duration_seconds\": %d}\n", i, i % 7, (i > 1 ? "\"i" (i - 1) "\"" : "null"), 100001 - i }' >deep.jsonl
	run -0 sh -c 'oak-workflows --format json deep.jsonl | jq -c ".workflows[] | [.workflow, .invocations, .wall_seconds, .critical_path_seconds, (.critical_path | length), .agents[-1].depth]"'
	assert_output '["i1",100000,100000,100000,100000,99999]'
	sed 's/"parent_invocation_id": "i[0-9]*"/"parent_invocation_id": null/' deep.jsonl >wide.jsonl
	run -0 sh -c 'oak-workflows --format json wide.jsonl | jq -c ".workflows[] | [.workflow, .tied_by, .invocations, .agent_seconds, .parallelism, .critical_path]"'
	assert_output '["s","session",100000,5000050000,50000.5,[{"invocation_id":"i1","agent":"a1","seconds":100000}]]'
}

@test "agent time that overflows is refused, not wrapped" {
	awk 'BEGIN { for (i = 1; i <= 9300; i++)
		printf "{\"timestamp\": \"2025-10-13T09:00:00Z\", \"session_id\": \"s\", \"invocation_id\": \"i%d\", \"agent_name\": \"a\", \"duration_seconds\": 1e9}\n", i }' >big.jsonl
	run -1 --separate-stderr oak-workflows big.jsonl
	assert_equal "$stderr" 'oak-workflows: workflow s: agent time overflows'
}

@test "usage: -h on stdout, a wrong option or format on stderr with status 2, --version" {
	run -0 oak-workflows -h
	assert_line --index 0 --partial 'usage: oak-workflows [--format text|markdown|json|html-fragment]'
	run -2 --separate-stderr oak-workflows --nope
	assert_output ''
	run -2 --separate-stderr oak-workflows --format yaml
	assert_equal "${stderr_lines[0]}" 'oak-workflows: --format: want text, markdown, json or html-fragment: yaml'
	run -2 --separate-stderr oak-workflows --top many
	assert_output ''
	run -0 oak-workflows --version
	assert_output 'oak-workflows 0.1.0'
	run -3 --separate-stderr oak-workflows no-such-file
	assert_output ''
}

@test "html-fragment: a section with the Gantt chart of the longest workflow, its table, then every table; no script" {
	run -0 oak-workflows --format html-fragment "$KNOWN"
	assert_line --index 0 '<section id="workflows">'
	assert_line --index 3 '<h3>Timeline of workflow o1</h3>'
	# bars at 190 + 540 x (start / 600 s), 540 x (duration / 600 s) wide
	# (worked by hand): solid on the critical path, pale (tester) off it
	assert_line --partial '<text x="8" y="42.0">orchestrator</text><rect class="s0" x="190.0" y="31.0" width="540.0" height="14"/>'
	assert_line --partial '<text x="18" y="86.0">coder</text><rect class="s2" x="298.0" y="75.0" width="324.0" height="14"/>'
	assert_line --partial '<text x="28" y="108.0">linter</text><rect class="s3" x="460.0" y="97.0" width="81.0" height="14"/>'
	assert_line --partial '<rect class="s4" x="352.0" y="119.0" width="54.0" height="14" opacity=".35"/>'
	assert_line '<tr><td>coder</td><td>orchestrator</td><td class="num">120.0</td><td class="num">360.0</td><td>failure</td><td class="num">270.0</td></tr>'
	assert_line '<tr><td>wf-B</td><td>workflow_id</td><td class="num">3</td><td class="num">60.0</td><td class="num">60.0</td><td class="num">1.00</td><td>reviewer</td><td class="num">1</td><td>failed</td></tr>'
	assert_line '<caption>Handoffs before failures</caption>'
	assert_line --index $((${#lines[@]} - 1)) '</section>'
	refute_output --partial '<script'
	run -0 oak-workflows --format html-fragment --gantt wf-B "$KNOWN"
	assert_line '<h3>Timeline of workflow wf-B</h3>'
	run -0 --separate-stderr oak-workflows --format html-fragment --gantt nothing "$KNOWN"
	assert_line '<h3>Timeline of workflow o1</h3>'
	assert_equal "$stderr" 'oak-workflows: --gantt: no workflow nothing; charting the longest'
}

@test "html-fragment: a long workflow draws its first 60 bars and lists every member" {
	awk 'BEGIN { for (i = 1; i <= 61; i++)
		printf "{\"timestamp\": \"2025-10-13T09:%02d:%02dZ\", \"session_id\": \"s\", \"invocation_id\": \"i%d\", \"agent_name\": \"a\", \"duration_seconds\": 1}\n", int((i - 1) / 60), (i - 1) % 60, i }' >long.jsonl
	run -0 sh -c 'oak-workflows --format html-fragment long.jsonl | grep -c "<rect "'
	assert_output 60
	run -0 oak-workflows --format html-fragment long.jsonl
	assert_line '<p class="notes">The first 60 of 61 invocations are drawn; the table lists them all.</p>'
}

# A telemetry directory holding the hand-worked workflows (week 2025-W42).
known_dir() {
	mkdir -p tel
	cp "$KNOWN" tel/agent_invocations.jsonl
	: >tel/invocation_updates.jsonl
	: >tel/success_metrics.jsonl
}

@test "weekly-report --workflows: the workflows section follows the text and Markdown reports" {
	known_dir
	weekly-report tel --week 2025-W42 >plain.txt
	oak-join-by-invocation --week 2025-W42 tel/agent_invocations.jsonl | oak-workflows >wf.txt
	run -0 weekly-report tel --week 2025-W42 --workflows
	assert_output "$(cat plain.txt; echo; cat wf.txt)"
	run -0 weekly-report tel --week 2025-W42 --workflows --format markdown
	assert_line '## Workflows'
	assert_line '- **Bottleneck:** coder, 270.0 s on the critical path (45.0 % of the wall time)'
}

@test "weekly-report --workflows: the JSON report's key workflows, valid against its schema" {
	known_dir
	run -0 weekly-report tel --week 2025-W42 --workflows --format json
	echo "$output" >r.json
	run -0 oak-validate --schema "$TOP/schemas/weekly_report.json" r.json
	oak-join-by-invocation --week 2025-W42 tel/agent_invocations.jsonl |
		oak-workflows --format json | jq -c . >wf.json
	run -0 sh -c 'jq -c .workflows r.json | cmp - wf.json'
	run -0 jq -r '.total_invocations' r.json
	assert_output 16
}

@test "weekly-report --workflows: the HTML page links the section, which comes before the footer, with its chart" {
	known_dir
	run -0 weekly-report tel --week 2025-W42 --workflows --format html -o r.html
	run -0 grep -n -e '^<nav><p class="meta"><a href="#workflows">Workflows</a></p></nav>$' \
		-e '^<section id="workflows">$' -e '^<h3>Timeline of workflow o1</h3>$' -e '^<footer>' r.html
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --regexp '^[0-9]+:<nav>'
	assert_line --index 1 --regexp '^[0-9]+:<section id="workflows">$'
	assert_line --index 3 --regexp '^[0-9]+:<footer>'
	run -1 grep -c '<script' r.html
	run -2 --separate-stderr weekly-report tel --workflows --format performance-stats
	assert_equal "$stderr" 'oak-weekly-report: --workflows: not with --format performance-stats'
}
