#!/usr/bin/env bats
# oak-compare: the A/B comparison of two agents, two windows or two
# values of a field. Expected statistics come from SciPy 1.10.1 and
# statsmodels 0.13.5 (Debian python3-scipy, python3-statsmodels), the
# call that gave each written beside it.

load test_helper

joined() {
	d="$DATA/reference/basic/append"
	oak-join-by-invocation --updates "$d/invocation_updates.jsonl" \
		--metrics "$d/success_metrics.jsonl" "$d/agent_invocations.jsonl"
}

# gen AGENT N SUCCESSES DUR0 DURSTEP QLOW QHIGH [DAY]: N JoinedInvocations;
# record i (from 0) succeeds when i < SUCCESSES, else fails; lasts
# DUR0 + i * DURSTEP seconds; is rated QLOW when i < 50, QHIGH when
# i < 80, and not at all after; starts on 2025-10-DAY (default 13).
gen() {
	awk -v agent="$1" -v n="$2" -v s="$3" -v d0="$4" -v ds="$5" \
		-v q1="$6" -v q2="$7" -v day="${8:-13}" 'BEGIN {
		for (i = 0; i < n; i++) {
			q = i < 50 ? q1 : i < 80 ? q2 : 0
			printf "{\"timestamp\": \"2025-10-%02dT%02d:%02d:00Z\", " \
				"\"invocation_id\": \"%s-%d\", \"agent_name\": \"%s\", " \
				"\"state_features\": {\"task\": {\"type\": \"%s\"}, " \
				"\"context\": {\"variant\": \"%s\"}}, " \
				"\"duration_seconds\": %s, \"outcome\": {\"status\": \"%s\"}, " \
				"\"metadata\": {\"total_tokens\": %d, \"cost_usd\": %.3f}%s}\n",
				day, i % 24, i % 60, agent, i, agent,
				i % 2 ? "bug_fix" : "testing", i % 3 ? "new" : "old",
				d0 + i * ds, i < s ? "success" : "failure",
				1000 + 10 * i, 0.01 * (i + 1),
				q ? ", \"success_metric\": {\"quality_rating\": " q "}" : ""
		}
	}'
}

@test "two agents of the reference telemetry: the text report" {
	joined >j.jsonl
	# success rate: 6/6 against 12/14: scipy fisher_exact([[6,0],[12,2]])
	#   p = 1.0; statsmodels confint_proportions_2indep(12, 14, 6, 6,
	#   method="newcomb") = (-0.39941, 0.26078); proportion_confint(...,
	#   method="wilson") = (0.60967, 1.0) and (0.60059, 0.95991)
	# quality, duration: scipy mannwhitneyu(a, b): U = 62, p = 0.24900
	#   (ties: normal); U = 17, p = 0.37096 (5 values, no ties: exact)
	# needed: R's power.prop.test(p1 = 0.9, p2 = 0.8, power = 0.8) n = 199,
	#   around the pooled rate 18/20 (scipy-backed closed form 198.96)
	run -0 oak-compare --a frontend-developer --b security-auditor j.jsonl
	assert_output - <<'OUT'
A: agent_name = frontend-developer
B: agent_name = security-auditor

                        A                       B
invocations             8                       18
success rate            100.0% (6 of 6)         85.7% (12 of 14)
  95% interval          61.0% to 100.0%         60.1% to 96.0%
mean quality            4.67 (6 rated)          4.38 (16 rated)
duration median         224.7 s                 483.8 s
duration p90            563.2 s                 761.5 s
tokens median           -                       -
cost median             -                       -

B - A           difference      95% interval            test                    p        Holm p
success rate    -14.3 points    -39.9 to +26.1          Fisher exact            1.0000   1.0000
quality         -0.29           -0.77 to +0.19          Mann-Whitney normal     0.2490   0.7470
duration        +147.1 s        -141.9 to +436.1        Mann-Whitney exact      0.3710   0.7470

Durations and qualities: difference of means; tests two-sided, p adjusted by Holm's method
across the three metrics; a difference counts when its Holm p is below 0.05.

verdict: too few samples: about 199 per group would detect a 10-point difference at 80 % power
OUT
}

@test "large groups: the z test, Mann-Whitney's normal approximation, Holm, B better" {
	{ gen one 100 60 100 1 3 4; gen two 100 80 100 0.5 4 5; } >g.jsonl
	run -0 oak-compare --a one --b two g.jsonl
	assert_output - <<'OUT'
A: agent_name = one
B: agent_name = two

                        A                       B
invocations             100                     100
success rate            60.0% (60 of 100)       80.0% (80 of 100)
  95% interval          50.2% to 69.1%          71.1% to 86.7%
mean quality            3.38 (80 rated)         4.38 (80 rated)
duration median         149.5 s                 124.8 s
duration p90            189.1 s                 144.6 s
tokens median           ~1476                   ~1476
cost median             ~$0.4951                ~$0.4951

B - A           difference      95% interval            test                    p        Holm p
success rate    +20.0 points    +7.3 to +31.9           two-proportion z        0.0020   0.0020
quality         +1.00           +0.85 to +1.15          Mann-Whitney normal     <0.0001  <0.0001
duration        -24.8 s         -31.1 to -18.4          Mann-Whitney normal     <0.0001  <0.0001

Durations and qualities: difference of means; tests two-sided, p adjusted by Holm's method
across the three metrics; a difference counts when its Holm p is below 0.05.

verdict: B better
OUT
	# statsmodels proportions_ztest([80, 60], [100, 100]) = (3.086067, 0.0020282);
	#   confint_proportions_2indep(80, 100, 60, 100, method="newcomb")
	#   = (0.0731192, 0.3185051)
	# scipy mannwhitneyu(qa, qb): U = 750, p = 6.7283331e-20; durations:
	#   U = 7475, p = 1.4822916e-09; Holm by hand: 3p, 2p, p made monotone
	run -0 sh -c 'oak-compare --a one --b two --format json g.jsonl |
		jq -c ".comparisons[] | [.metric, .test, .statistic, .p, .p_holm, .better, .difference_ci95]"'
	assert_output - <<'OUT'
["success_rate","z",3.086066999241839,0.0020282311484520776,0.0020282311484520776,"B",[0.07311915999619883,0.3185050993390346]]
["quality","mann-whitney",750,6.728333129050466e-20,2.0184999387151398e-19,"B",[0.8490249487372097,1.1509750512627903]]
["duration","mann-whitney",7475,1.4822916159293007e-09,2.9645832318586015e-09,"B",[-31.107306663154304,-18.392693336845696]]
OUT
}

@test "JSON: one object, both groups, the verdict and the samples needed" {
	joined >j.jsonl
	run -0 sh -c 'oak-compare --a frontend-developer --b security-auditor --format json j.jsonl | wc -l'
	assert_output 1
	run -0 sh -c 'oak-compare --a frontend-developer --b security-auditor --format json j.jsonl |
		jq -c "[.by, .a.label, .a.invocations, .a.success_rate_ci95, .b.quality_count, .b.duration_median, .b.tokens_median, .adjustment, .samples_needed, .verdict]"'
	assert_output '["agent_name","frontend-developer",8,[0.6096657120978346,1],16,483.79999999999995,null,"holm",199,"too few samples: about 199 per group would detect a 10-point difference at 80 % power"]'
}

@test "a mixed result names each metric; no difference with enough samples" {
	{ gen one 400 240 100 0.1 3 3; gen two 400 320 200 0.1 3 3; } >g.jsonl
	run -0 sh -c 'oak-compare --a one --b two g.jsonl | tail -1'
	assert_output 'verdict: mixed: A better on duration, B better on success_rate'
	{ gen one 400 240 100 0.1 3 4; gen two 400 240 100 0.1 3 4; } >g.jsonl
	run -0 sh -c 'oak-compare --a one --b two g.jsonl | tail -1'
	assert_output 'verdict: no detectable difference'
}

@test "--by a field path with two values; --agent and --task-type restrict" {
	{ gen one 100 60 100 1 3 4; gen two 100 80 100 0.5 4 5; } >g.jsonl
	run -0 sh -c 'oak-compare --by state_features.context.variant --a old --b new g.jsonl |
		sed -n "1,2p;5p"'
	assert_output - <<'OUT'
A: state_features.context.variant = old
B: state_features.context.variant = new
invocations             68                      132
OUT
	run -0 sh -c 'oak-compare --by state_features.context.variant --a old --b new \
		--agent one --task-type bug_fix g.jsonl | sed -n 5p'
	assert_output 'invocations             17                      33'
	# a number or boolean is compared as written
	run -0 sh -c 'oak-compare --by metadata.total_tokens --a 1000 --b 1010 --format json g.jsonl |
		jq -c "[.a.invocations, .b.invocations]"'
	assert_output '[2,2]'
}

@test "two windows: --a-window and --b-window, ISO weeks or SINCE..UNTIL" {
	{ gen one 100 60 100 1 3 4 13; gen one 100 80 100 1 3 4 21; } >g.jsonl
	run -0 sh -c 'oak-compare --a-window 2025-W42 --b-window 2025-W43 g.jsonl | sed -n "1,2p;5,6p"'
	assert_output - <<'OUT'
A: timestamp = 2025-W42
B: timestamp = 2025-W43
invocations             100                     100
success rate            60.0% (60 of 100)       80.0% (80 of 100)
OUT
	run -0 sh -c 'oak-compare --a-window ..2025-10-14 --b-window 2025-10-20.. --format json g.jsonl |
		jq -c "[.by, .a.label, .a.invocations, .b.invocations]"'
	assert_output '["timestamp","..2025-10-14",100,100]'
	# the last complete week before the fixtures' clock (2025-10-20) is W42
	run -0 sh -c 'oak-compare --a-window last --b-window 2025-W43 --format json g.jsonl |
		jq -c "[.a.invocations, .b.invocations]"'
	assert_output '[100,100]'
}

@test "an empty group: no rate, no tests, too few samples" {
	gen one 10 5 100 1 3 4 >g.jsonl
	run -0 sh -c 'oak-compare --a one --b nobody --format json g.jsonl |
		jq -c "[.b.invocations, .b.success_rate, [.comparisons[].p], .verdict]"'
	# R: power.prop.test(p1 = 0.5, p2 = 0.4, power = 0.8): n = 387.3
	assert_output '[0,null,[null,null,null],"too few samples: about 388 per group would detect a 10-point difference at 80 % power"]'
	run -0 sh -c 'oak-compare --a one --b nobody </dev/null | sed -n "5,6p;15p"'
	assert_output - <<'OUT'
invocations             0                       0
success rate            - (0 decided)           - (0 decided)
success rate    -               -                       not tested              -        -
OUT
}

@test "bad lines are reported, left out, and exit 1" {
	gen one 3 2 100 1 3 4 >g.jsonl
	printf '%s\n' '{"agent_name": "one"}' 'not json' >>g.jsonl
	run -1 --separate-stderr oak-compare --a one --b two --format json g.jsonl
	assert_equal "$(jq -c '.a.invocations' <<<"$output")" 3
	assert_equal "${stderr_lines[0]}" 'oak-compare: g.jsonl:4: missing "invocation_id"'
	assert_equal "${stderr_lines[1]}" "oak-compare: g.jsonl:5: invalid JSON: unexpected character at column 1"
	assert_equal "${stderr_lines[2]}" "oak-compare: 2 lines rejected"
	run -1 --separate-stderr oak-compare --strict --a one --b two g.jsonl
	assert_output ''
}

@test "usage errors exit 2; -h prints the usage on stdout and exits 0" {
	run -0 oak-compare -h
	assert_line --index 0 --partial 'usage: oak-compare --a AGENT --b AGENT'
	run -2 --separate-stderr oak-compare --a x
	assert_equal "$stderr" 'oak-compare: want --a and --b, or --a-window and --b-window'
	run -2 --separate-stderr oak-compare --a x --b x
	assert_equal "$stderr" 'oak-compare: --a and --b are the same: x'
	run -2 --separate-stderr oak-compare --a x --b y --agent z
	assert_equal "$stderr" 'oak-compare: --agent goes with --by or the windows'
	run -2 --separate-stderr oak-compare --a-window 2025-W42 --b-window 2025-10-15..2025-10-30
	assert_equal "$stderr" 'oak-compare: the two windows overlap'
	run -2 --separate-stderr oak-compare --a-window 2025-W99 --b-window last
	assert_equal "$stderr" 'oak-compare: --a-window: want YYYY-Www, last or SINCE..UNTIL (ISO-8601 dates or date-times): 2025-W99'
	run -2 --separate-stderr oak-compare --a-window 2025-10-20..2025-10-01 --b-window last
	assert_equal "$stderr" 'oak-compare: --a-window: the window ends before it starts'
	run -2 --separate-stderr oak-compare --a-window last --b-window 2025-W40 --a x
	assert_equal "$stderr" 'oak-compare: --a-window and --b-window go together, without --a, --b or --by'
	run -2 --separate-stderr oak-compare --by a..b --a 1 --b 2
	assert_equal "$stderr" 'oak-compare: --by: an empty key in the path'
	run -2 --separate-stderr oak-compare --a x --b y --format xml
	assert_equal "$stderr" 'oak-compare: --format: want text or json: xml'
	run -2 --separate-stderr oak-compare --bogus
	assert_equal "${stderr_lines[1]:0:25}" 'usage: oak-compare --a AG'
}
