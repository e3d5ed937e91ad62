#!/usr/bin/env bats
# tools/deps on a simulated fresh machine: dpkg-query says no package is
# installed, and apt-get (a stand-in on PATH, as chatty as the real one:
# 300 lines per install) records what it was asked. The user sees a few
# lines, never apt's; its output is shown, from a log, only on failure.

bats_require_minimum_version 1.5.0
load test_helper

setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
	mkdir fake
	cat >fake/dpkg-query <<'SH'
#!/bin/sh
exit 1
SH
	cat >fake/apt-get <<'SH'
#!/bin/sh
echo "apt-get $*" >>"$TMP/calls"
i=0
while [ $i -lt 300 ]; do echo "Unpacking package $i ..."; i=$((i + 1)); done
case " $* " in *" ${FAIL_ON:-none} "*) echo "E: Unable to locate package $FAIL_ON" >&2; exit 100 ;; esac
SH
	chmod +x fake/*
	export TMP TMPDIR="$TMP"
	# the lists as the script has them (other changes add packages)
	required=$(sed -n 's/^required="\(.*\)"$/\1/p' "$TOP/tools/deps")
	optional=$(sed -n 's/^optional="\(.*\)"$/\1/p' "$TOP/tools/deps")
	[ -n "$required" ] && [ "$optional" = chromium ]
	nrequired=$(echo $required | wc -w)
}

deps() {
	PATH="$TMP/fake:$PATH" run --separate-stderr "$TOP/tools/deps" "$@"
}

@test "a machine lacking every package: one line per step, under 10 lines, no apt output" {
	deps
	assert_success
	assert_output ''
	printf '%s\n' "$stderr" >said
	[ "$(wc -l <said)" -lt 10 ]
	sed -E "s|$TMP/oak-deps\.[A-Za-z0-9]+|LOG|g" said >said.t
	run -0 cat said.t
	assert_output - <<OUT
tools/deps: missing: $required chromium (apt's output goes to LOG)
tools/deps: updating the package lists...
tools/deps: installing $nrequired packages...
tools/deps: installing chromium (optional)...
tools/deps: done
OUT
	run -0 cat calls
	assert_line --index 0 'apt-get update'
	assert_line --index 1 "apt-get install -y $required"
	assert_line --index 2 'apt-get install -y chromium'
	# the log is gone once all went well
	run -0 find . -name 'oak-deps.*'
	assert_output ''
}

@test "a failed install shows the end of apt's output and keeps the log" {
	[ "$nrequired" -ge 13 ]
	FAIL_ON=libjsmn-dev deps
	assert_failure 100
	run -0 grep -c . <<<"$stderr"
	[ "$output" -le 30 ]
	assert_equal "$(sed -n 4p <<<"$stderr")" \
		"tools/deps: failed (exit status 100); the end of $(ls "$TMP"/oak-deps.*):"
	assert_equal "${stderr##*$'\n'}" 'E: Unable to locate package libjsmn-dev'
	[ "$(wc -l <"$(ls "$TMP"/oak-deps.*)")" -eq 601 ]
}

@test "chromium that cannot be installed is only a note" {
	FAIL_ON=chromium deps
	assert_success
	assert_equal "${stderr##*$'\n'}" "tools/deps: could not install chromium; the HTML rendering test will be skipped (see $(ls "$TMP"/oak-deps.*))"
}

@test "nothing missing: one line, apt never run" {
	printf '#!/bin/sh\necho "install ok installed"\n' >fake/dpkg-query
	deps
	assert_success
	assert_equal "$stderr" 'tools/deps: every package is installed'
	[ ! -e calls ]
}
