#!/usr/bin/env bats
# oak-log install-hook and uninstall-hook on Claude Code settings files
# (tests/data/claude-settings/): other settings and hooks kept byte for
# byte, not-JSON refused untouched, an absent file created, a second run
# a no-op, a backup beside the file, --dry-run, --project's .gitignore.

bats_require_minimum_version 1.5.0
load test_helper

SET="$DATA/claude-settings"

# The fixture NAME as install-hook writes it here: the fixtures were
# made with XDG_DATA_HOME=/srv/data.
want() {
	sed "s|/srv/data|$XDG_DATA_HOME|g" "$SET/$1"
}

setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
	export HOME="$TMP/home" XDG_DATA_HOME="$TMP/data"
	unset CLAUDE_CONFIG_DIR OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
	mkdir -p home/.claude
	S=home/.claude/settings.json
}

@test "install keeps every other setting and hook; uninstall gives the file back byte for byte" {
	cp "$SET/others.json" "$S"
	run -0 --separate-stderr oak-log install-hook
	assert_output - <<OUT
$HOME/.claude/settings.json: oak-log hook installed; the previous file is $HOME/.claude/settings.json.bak
subagent calls will be logged to $XDG_DATA_HOME/oak-telemetry
then: oak-import claude-code --dir $XDG_DATA_HOME/oak-telemetry (once, for the history), oak-weekly-report $XDG_DATA_HOME/oak-telemetry
OUT
	run -0 diff -u <(want others.installed.json) "$S"
	run -0 cmp "$SET/others.json" "$S.bak"
	run -0 jq -c '[.hooks | to_entries[] | [.key, (.value | length)]]' "$S"
	assert_output '[["PreToolUse",2],["Stop",1],["PostToolUse",1],["PostToolUseFailure",1],["SubagentStop",1]]'
	run -0 oak-log uninstall-hook
	assert_output "$HOME/.claude/settings.json: oak-log hook removed; the previous file is $HOME/.claude/settings.json.bak"
	run -0 cmp "$SET/others.json" "$S"
	run -0 cmp <(want others.installed.json) "$S.bak"
}

@test "a second run changes nothing: same bytes, same file, no new backup" {
	cp "$SET/others.json" "$S"
	oak-log install-hook >/dev/null
	rm "$S.bak"
	inode=$(stat -c %i "$S")
	run -0 oak-log install-hook
	assert_output "$HOME/.claude/settings.json: the oak-log hook is already installed, nothing changed"
	run -0 cmp <(want others.installed.json) "$S"
	[ "$(stat -c %i "$S")" = "$inode" ]
	[ ! -e "$S.bak" ]
	oak-log uninstall-hook >/dev/null
	rm "$S.bak"
	run -0 oak-log uninstall-hook
	assert_output "$HOME/.claude/settings.json: no oak-log hook there, nothing changed"
	[ ! -e "$S.bak" ]
}

@test "a settings file on one line stays on one line; an old bare oak-log hook is replaced" {
	cp "$SET/compact.json" "$S"
	run -0 oak-log install-hook
	assert_line --index 0 --partial 'oak-log hook installed (replacing the old one)'
	run -0 diff -u <(want compact.installed.json) "$S"
	[ "$(wc -l <"$S")" -eq 1 ]
	run -0 oak-log uninstall-hook
	# the bare "oak-log hook" went with the one installed
	run -0 jq -c . "$S"
	assert_output '{"model":"sonnet","hooks":{"SubagentStop":[{"hooks":[{"type":"command","command":"say done"}]}]},"cleanupPeriodDays":60}'
}

@test "the example settings' bare commands become commands naming the folder" {
	cp "$TOP/examples/claude-settings.json" "$S"
	run -0 oak-log install-hook
	run -0 jq -r '[.hooks[][].hooks[].command] | unique[]' "$S"
	assert_output "oak-log hook --dir $XDG_DATA_HOME/oak-telemetry"
	run -0 jq -r '[.hooks[][]] | length' "$S"
	assert_output 4
}

@test "a settings file that is not JSON is refused and left untouched" {
	printf '{\n  "model": "opus",\n  "hooks": {,}\n}\n' >"$S"
	cp "$S" before
	run -1 --separate-stderr oak-log install-hook
	assert_output ''
	[ "$stderr" = "oak-log: $HOME/.claude/settings.json:3: invalid JSON: object key must be a string at column 13; left untouched" ]
	run -0 cmp before "$S"
	run -0 ls -A home/.claude
	assert_output settings.json
	run -1 oak-log uninstall-hook
	run -0 cmp before "$S"
}

@test "settings whose hooks are not an object are refused and left untouched" {
	echo '{"hooks": []}' >"$S"
	run -1 --separate-stderr oak-log install-hook
	[ "$stderr" = "oak-log: $HOME/.claude/settings.json:1: \"hooks\" is not an object; left untouched" ]
	echo '[1]' >"$S"
	run -1 --separate-stderr oak-log install-hook
	[ "$stderr" = "oak-log: $HOME/.claude/settings.json:1: not a JSON object; left untouched" ]
	run -0 cat "$S"
	assert_output '[1]'
}

@test "an absent settings file (and folder) is created; uninstall leaves {}" {
	rm -r home/.claude
	run -0 oak-log install-hook
	assert_line --index 0 "$HOME/.claude/settings.json: oak-log hook installed"
	run -0 diff -u <(want absent.installed.json) "$S"
	[ ! -e "$S.bak" ]
	# the telemetry folder is there for a report before the first call
	run -0 stat -c %a data/oak-telemetry
	assert_output 700
	run -0 weekly-report --all data/oak-telemetry
	run -0 stat -c %a "$S"
	assert_output 644
	oak-log uninstall-hook >/dev/null
	run -0 cat "$S"
	assert_output '{}'
	run -0 cmp <(want absent.installed.json) "$S.bak"
}

@test "--dry-run prints the file it would write and writes nothing" {
	cp "$SET/others.json" "$S"
	run -0 --separate-stderr oak-log install-hook --dry-run
	diff -u <(want others.installed.json) <(printf '%s\n' "$output")
	[ ! -e data ]
	run -0 cmp "$SET/others.json" "$S"
	[ ! -e "$S.bak" ]
	want others.installed.json >"$S"
	run -0 --separate-stderr oak-log uninstall-hook --dry-run
	diff -u "$SET/others.json" <(printf '%s\n' "$output")
	run -0 cmp <(want others.installed.json) "$S"
}

@test "--project: .claude/settings.json, a folder under the project, and .gitignore" {
	mkdir proj && cd proj
	printf 'node_modules\n*.log' >.gitignore
	run -0 oak-log install-hook --project
	assert_output - <<'OUT'
.claude/settings.json: oak-log hook installed
subagent calls will be logged to .claude/oak-telemetry (under the project)
then: oak-import claude-code --dir .claude/oak-telemetry (once, for the history), oak-weekly-report .claude/oak-telemetry
.gitignore: added /.claude/oak-telemetry/
OUT
	run -0 cat .gitignore
	assert_output $'node_modules\n*.log\n/.claude/oak-telemetry/'
	run -0 jq -r '.hooks.SubagentStop[0].hooks[0].command' .claude/settings.json
	assert_output 'oak-log hook --dir "$CLAUDE_PROJECT_DIR"/.claude/oak-telemetry'
	# the installed command, run as Claude Code runs it from elsewhere
	cmd=$output
	cd "$TMP"
	CLAUDE_PROJECT_DIR="$TMP/proj" sh -c "$cmd" <"$DATA/hooks/agent-pre.json"
	[ "$(wc -l <proj/.claude/oak-telemetry/agent_invocations.jsonl)" -eq 1 ]
	cd proj
	run -0 oak-log install-hook --project
	assert_output '.claude/settings.json: the oak-log hook is already installed, nothing changed'
	run -0 grep -c oak-telemetry .gitignore
	assert_output 1
	[ ! -e "$HOME/.claude/settings.json" ]
}

@test "--project keeps a .gitignore that already ignores the folder, however written" {
	mkdir proj && cd proj
	echo '.claude/oak-telemetry' >.gitignore
	run -0 oak-log install-hook --project --dir ./.claude/oak-telemetry
	refute_output --partial .gitignore
	run -0 cat .gitignore
	assert_output '.claude/oak-telemetry'
}

@test "--dir names the folder, made absolute; CLAUDE_CONFIG_DIR moves the settings" {
	export CLAUDE_CONFIG_DIR="$TMP/conf"
	run -0 oak-log install-hook --dir "my logs"
	run -0 jq -r '.hooks.PreToolUse[0].hooks[0].command' conf/settings.json
	assert_output "oak-log hook --dir '$TMP/my logs'"
	[ ! -e "$S" ]
}

@test "a settings file reached by a symbolic link: the link stays, its target changes" {
	cp "$SET/others.json" real.json
	ln -s "$TMP/real.json" "$S"
	oak-log install-hook >/dev/null
	[ -L "$S" ]
	run -0 cmp <(want others.installed.json) real.json
	run -0 cmp "$SET/others.json" real.json.bak
}

@test "install works with logging turned off; bad options are usage errors" {
	OAK_TELEMETRY_ENABLED=false run -0 oak-log install-hook
	[ -s "$S" ]
	run -2 --separate-stderr oak-log install-hook --user --project
	assert_equal "${stderr_lines[0]}" "oak-log: install-hook: --user and --project exclude each other"
	run -2 --separate-stderr oak-log install-hook --frobnicate
	assert_equal "${stderr_lines[0]}" "oak-log: unknown option: --frobnicate"
	run -2 oak-log uninstall-hook extra
	run -0 oak-log install-hook -h
	assert_line --index 0 --partial 'usage: oak-log install-hook'
}
