#!/usr/bin/env bats
# man/oak-log.1: lint-clean, and its EXAMPLES work as written.

bats_require_minimum_version 1.5.0
load test_helper

MAN="$TOP/man/oak-log.1"

# The Nth literal display of the man page, as text.
example() {
	awk -v n="$1" '/^\.Bd -literal/ { k++; next } /^\.Ed/ { if (k == n) exit }
		k == n { gsub(/\\e/, "\\"); print }' "$MAN"
}

@test "man/oak-log.1 passes mandoc -Tlint (warnings and up)" {
	run -0 mandoc -Tlint -W warning "$MAN"
	assert_output ''
}

@test "the man page's shell example logs a start, an end and feedback" {
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
	example 1 >example.sh
	[ -s example.sh ]
	sh -eu example.sh
	for f in agent_invocations invocation_updates success_metrics; do
		[ "$(wc -l <telemetry/$f.jsonl)" -eq 1 ]
	done
	run -0 jq -r '.outcome.files_modified[0]' telemetry/invocation_updates.jsonl
	assert_output src/Settings.tsx
}

@test "the man page's install-hook examples run: a report before the first call, a dry run" {
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED XDG_DATA_HOME CLAUDE_CONFIG_DIR
	export HOME="$TMP/home"
	mkdir -p bin home/src/shop
	ln -s "$TOP/pipelines/weekly-report" bin/oak-weekly-report
	example 2 >install.sh
	PATH="$TMP/bin:$PATH" run -0 sh -eu install.sh
	assert_line 'Total Invocations: 0'
	run -0 jq -r '.hooks.PreToolUse[0].hooks[0].command' home/.claude/settings.json
	assert_output "oak-log hook --dir $HOME/.local/share/oak-telemetry"
	example 3 >project.sh
	run -0 sh -eu project.sh
	run -0 jq -r '.hooks.SubagentStop[0].hooks[0].command' <<<"$output"
	assert_output 'oak-log hook --dir "$CLAUDE_PROJECT_DIR"/.claude/oak-telemetry'
	[ ! -e home/src/shop/.claude ]
}

@test "the man page's hook entries are examples/claude-settings.json" {
	example 4 | jq -S . >man.json
	jq -S . "$TOP/examples/claude-settings.json" >file.json
	diff -u file.json man.json
}

@test "the man page names the namespace the code uses" {
	grep -q '^\.Dl 58b9f696-3cba-408d-a249-a727ff27d37b$' "$MAN"
	grep -q '"58b9f696-3cba-408d-a249-a727ff27d37b"' "$TOP/filters/log/log.h"
}
