#!/usr/bin/env bats
# Man pages: every page passes mandoc's lint, has the sections STYLE.md
# asks for, and the EXAMPLES of the pipeline and filter pages run as
# written. An example is a literal display (.Bd -literal ... .Ed) in
# EXAMPLES: a line "$ command" (continued while it ends in a backslash or
# is inside single quotes) is run with sh in a directory holding
# "telemetry", a copy of a reference telemetry directory; the lines after
# it, up to the next "$ ", are its output (stdout and stderr), compared
# exactly. A command exits 0, or 1 when its output ends "N line(s)
# rejected".

load test_helper

FIXTURE="$DATA/reference/basic/append"

# examples_split PAGE DIR: writes DIR/N.cmd and DIR/N.want for each
# command of PAGE's EXAMPLES; fails on anything it cannot run faithfully.
examples_split() {
	awk -v dir="$2" '
	function flush() {
		if (n > 0) { printf "%s", want > (dir "/" n ".want"); close(dir "/" n ".want") }
	}
	function unescape(s,   t) {
		t = s
		gsub(/\\e/, "\001", t); gsub(/\\&/, "", t)
		if (t ~ /\\/) { print "unsupported escape: " s > "/dev/stderr"; bad = 1 }
		gsub(/\001/, "\\", t)
		return t
	}
	function quotes(s,   t) { t = s; return gsub(/\047/, "", t) }
	/^\.Sh / { in_ex = ($0 == ".Sh EXAMPLES"); next }
	!in_ex { next }
	/^\.Bd -literal/ { lit = 1; next }
	/^\.Ed/ { lit = 0; cont = 0; next }
	!lit && /^\.Dl/ { print "unrun .Dl in EXAMPLES: " $0 > "/dev/stderr"; bad = 1; next }
	!lit { next }
	/^[.\047]/ { print "macro in a literal example: " $0 > "/dev/stderr"; bad = 1; next }
	{
		line = unescape($0)
		if (cont) {
			cmd = cmd "\n" line
		} else if (substr(line, 1, 2) == "$ ") {
			flush(); n++; want = ""
			cmd = substr(line, 3)
		} else {
			if (n == 0) { print "output before any command: " $0 > "/dev/stderr"; bad = 1 }
			want = want line "\n"
			next
		}
		cont = cmd ~ /\\$/ || quotes(cmd) % 2 == 1
		if (!cont) { printf "%s\n", cmd > (dir "/" n ".cmd"); close(dir "/" n ".cmd") }
	}
	END {
		flush()
		if (cont) { print "unfinished command: " cmd > "/dev/stderr"; bad = 1 }
		if (n == 0) { print "no example commands" > "/dev/stderr"; bad = 1 }
		exit bad
	}' "$1"
}

# run_examples PAGE: runs PAGE's examples in a fresh directory; prints a
# diff and fails at the first command whose output or status is wrong.
run_examples() {
	local page=$1 ex="$TMP/ex.$(basename "$1")" work="$TMP/work.$(basename "$1")"
	local bin="$TMP/bin" i status want_status
	mkdir -p "$ex" "$work" "$bin" || return 1
	examples_split "$page" "$ex" || return 1
	cp -R "$FIXTURE" "$work/telemetry" || return 1
	# the pipelines under their installed names, as the pages call them
	for p in ranking performance-stats weekly-report; do
		ln -sf "$TOP/pipelines/$p" "$bin/oak-$p"
	done
	for ((i = 1; ; i++)); do
		[ -e "$ex/$i.cmd" ] || break
		[ -e "$ex/$i.want" ] || : >"$ex/$i.want"
		status=0
		(cd "$work" && unset SOURCE_DATE_EPOCH OAK_TELEMETRY_DIR &&
			PATH="$bin:$PATH" sh -c "$(cat "$ex/$i.cmd")") >"$ex/$i.got" 2>&1 || status=$?
		want_status=0
		grep -Eq '^oak-[a-z-]+: [0-9]+ lines? rejected$' "$ex/$i.want" && want_status=1
		if ! diff -u "$ex/$i.want" "$ex/$i.got" || [ "$status" -ne "$want_status" ]; then
			echo "$(basename "$page"): example command $i (exit $status, want $want_status):"
			cat "$ex/$i.cmd"
			return 1
		fi
	done
	[ "$i" -gt 1 ]
}

@test "every man page passes mandoc -Tlint (warnings and up)" {
	pages=("$TOP"/man/*.1 "$TOP"/man/*.5)
	[ "${#pages[@]}" -ge 7 ]
	run -0 mandoc -Tlint -W warning "${pages[@]}"
	assert_output ""
}

@test "every man page has the sections STYLE.md asks for" {
	for page in "$TOP"/man/*.1; do
		for sh in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES "SEE ALSO"; do
			grep -qx ".Sh $sh" "$page" || { echo "$page: no $sh"; return 1; }
		done
	done
	for page in "$TOP"/man/*.5; do
		for sh in NAME DESCRIPTION EXAMPLES "SEE ALSO"; do
			grep -qx ".Sh $sh" "$page" || { echo "$page: no $sh"; return 1; }
		done
	done
}

@test "oak-join-by-invocation(1) examples" {
	run_examples "$TOP/man/oak-join-by-invocation.1"
}

@test "oak-group-by-agent(1) examples" {
	run_examples "$TOP/man/oak-group-by-agent.1"
}

@test "oak-rank(1) examples" {
	run_examples "$TOP/man/oak-rank.1"
}

@test "oak-performance-stats(1) examples" {
	run_examples "$TOP/man/oak-performance-stats.1"
}

@test "oak-ranking(1) examples" {
	run_examples "$TOP/man/oak-ranking.1"
}

@test "oak-workflows(1) examples" {
	run_examples "$TOP/man/oak-workflows.1"
}

@test "the example runner fails on a wrong output, a wrong status, or no example" {
	page() {   # page OUTPUT...: a page whose one example runs oak-rank --version
		printf '%s\n' '.Sh EXAMPLES' '.Bd -literal' '$ oak-rank --version \e' \
			'    | cat' "$@" .Ed
	}
	page 'oak-rank 0.1.0' >good.1
	run_examples good.1
	page 'oak-rank 9.9.9' >wrong.1
	run ! run_examples wrong.1
	printf '%s\n' '.Sh EXAMPLES' '.Bd -literal' '$ false' .Ed >status.1
	run ! run_examples status.1
	printf '%s\n' '.Sh EXAMPLES' ".Dl \$ true" >none.1
	run ! run_examples none.1
}

@test "oak-features(1) examples" {
	run_examples "$TOP/man/oak-features.1"
}

@test "oak-pg-copy(1) examples" {
	run_examples "$TOP/man/oak-pg-copy.1"
}

@test "oak-export-otlp(1) examples" {
	run_examples "$TOP/man/oak-export-otlp.1"
}

@test "oak-compare(1) examples" {
	run_examples "$TOP/man/oak-compare.1"
}

@test "oak-anomalies(1) and oak-flag-anomalies(1) examples" {
	mkdir -p "$TMP/bin"
	ln -sf "$TOP/pipelines/anomalies" "$TMP/bin/oak-anomalies"
	run_examples "$TOP/man/oak-anomalies.1"
	run_examples "$TOP/man/oak-flag-anomalies.1"
}
