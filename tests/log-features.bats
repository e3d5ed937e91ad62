#!/usr/bin/env bats
# State features inferred by oak-log (start --features auto, and always
# in hook): task type and scope by the rule of oak-telemetry(5), the
# caller's keys kept; the codebase and context of the working directory,
# on repositories built here in a temporary folder, and their cache.

bats_require_minimum_version 1.5.0
load test_helper

setup_file() {
	unset OAK_SESSION_ID OAK_WORKFLOW_ID OAK_PARENT_INVOCATION_ID
	unset OAK_TELEMETRY_DIR OAK_TELEMETRY_ENABLED
	# the rules are tested with time to spare (a loaded machine, a
	# sanitizer build); the budget has a test of its own, at the end
	export OAK_FEATURES_BUDGET_MS=60000
}

# The state_features of the last invocation logged in ./telemetry, but
# codebase and context (tested below).
last_features() {
	tail -n 1 telemetry/agent_invocations.jsonl |
		jq -c '.state_features | del(.codebase, .context)'
}

# A PreToolUse event of the Agent tool: description, prompt, subagent
# type (empty: none) and cwd.
agent_event() {
	jq -nc --arg d "$1" --arg p "$2" --arg s "$3" --arg c "$4" '{
		session_id: "s1", cwd: $c, hook_event_name: "PreToolUse",
		tool_name: "Agent", tool_use_id: ("toolu_" + $d),
		tool_input: ({description: $d, prompt: $p} +
			(if $s == "" then {} else {subagent_type: $s} end))}'
}

@test "start --features auto: the task type inferred from --task" {
	run -0 oak-log start --agent a --type development \
		--task "Fix the crash on login" --features auto
	run -0 last_features
	assert_output '{"task":{"type":"bug_fix","type_source":"inferred"}}'
}

@test "start --features auto: no word of the rule, no type (never a guess)" {
	oak-log start --agent a --type development --task "Run the migration" \
		--features auto
	run -0 last_features
	assert_output '{}'
}

@test "start: given keys are kept, missing ones added, type_source given" {
	oak-log start --agent a --type development --task "Fix the crash" \
		--features '{"task": {"type": "testing", "risk_level": "low"}, "x": [1, 2.50]}' \
		--features auto
	run -0 last_features
	assert_output '{"task":{"type":"testing","risk_level":"low","type_source":"given"},"x":[1,2.5]}'
	# a given type_source stays too; auto may come first
	oak-log start --agent a --type development --task "Fix the crash" \
		--features auto --features '{"task": {"type_source": "human"}}'
	run -0 last_features
	assert_output '{"task":{"type_source":"human","type":"bug_fix"}}'
}

@test "start without --features auto infers nothing, as before" {
	oak-log start --agent a --type development --task "Fix the crash" \
		--features '{"task": {"scope": "small"}}'
	run -0 last_features
	assert_output '{"task":{"scope":"small"}}'
	oak-log start --agent a --type development --task "Fix the crash"
	run -0 last_features
	assert_output '{}'
}

@test "start --features: a bad object is still refused, auto or not" {
	run -2 --separate-stderr oak-log start --agent a --type development \
		--task "Fix" --features auto --features '{"task": {"type": "x"}}'
	assert_output ''
	assert_equal "$stderr" 'oak-log: start: /state_features/task/type: "x" is not one of the allowed values (enum): nothing logged'
	[ ! -e telemetry/agent_invocations.jsonl ]
}

@test "hook: type from the description, else from the prompt; subagent_type" {
	agent_event "Refactor the cart reducer" "Fix it too" frontend-developer /nonexistent |
		oak-log hook
	run -0 last_features
	assert_output '{"task":{"type":"refactoring","type_source":"inferred","scope":"small","subagent_type":"frontend-developer"}}'
	agent_event "Cart work" "Please write unit tests for the reducer" "" /nonexistent |
		oak-log hook
	run -0 last_features
	assert_output '{"task":{"type":"testing","type_source":"inferred","scope":"small"}}'
	agent_event "Cart work" "" "" /nonexistent | oak-log hook
	run -0 last_features
	assert_output '{}'
}

@test "hook: scope from the prompt's words and paths (thresholds of oak-telemetry(5))" {
	# 79 words: small; 80: medium; 400: large
	words() { printf 'w%.0s ' $(seq "$1"); }
	agent_event "x" "$(words 79)" "" /nonexistent | oak-log hook
	agent_event "y" "$(words 80)" "" /nonexistent | oak-log hook
	agent_event "z" "$(words 399)" "" /nonexistent | oak-log hook
	agent_event "v" "$(words 400)" "" /nonexistent | oak-log hook
	# 2 paths: small; 3: medium; 8: large (URLs and versions are not paths)
	agent_event "p" "Edit src/a.c and lib/b.go, see https://x.org/a/b v2.4" "" /nonexistent | oak-log hook
	agent_event "q" "Edit src/a.c, lib/b.go and README.md." "" /nonexistent | oak-log hook
	agent_event "r" "a/1 b/2 c/3 d/4 e/5 f/6 g/7 h/8" "" /nonexistent | oak-log hook
	run -0 jq -r .state_features.task.scope telemetry/agent_invocations.jsonl
	assert_output "$(printf '%s\n' small medium medium large small medium large)"
}

# A repository in ./repo: C, Python and JavaScript files, vendored and
# generated files, tests, docs, a CI workflow, every kind of manifest,
# a remote with credentials; one commit on branch main.
make_repo() {
	mkdir -p repo && cd repo || return 1
	git init -q -b main
	git config user.email t@example.org
	git config user.name tester
	mkdir -p src lib tests docs .github/workflows node_modules/left-pad \
		dist web
	printf 'int\nmain(void)\n{\n\treturn 0;\n}\n' >src/main.c
	printf '#define X 1\n' >src/x.h
	printf 'a = 1\nb = 2\nc = 3' >lib/util.py   # no last newline: 3 lines
	printf 'x\n' >web/a.js
	printf 'y\n' >web/b.js
	printf 'z\n' >web/c.jsx
	printf 'module.exports = 1\n' >node_modules/left-pad/index.js
	printf 'bundle\n' >dist/app.js
	printf 'def test_a():\n    pass\n' >tests/test_util.py
	printf '# Guide\n' >docs/guide.md
	printf 'on: push\n' >.github/workflows/ci.yml
	cat >package.json <<'JSON'
{"name": "shop", "dependencies": {"react": "^18", "express": "4"},
 "devDependencies": {"jest": "29"}, "scripts": {"vue": "not a dependency"}}
JSON
	printf 'Django>=4.2\nnumpy==1.26  # numbers\npytest-cov\n' >requirements-dev.txt
	printf '[project]\nname = "flask-app"\ndependencies = ["fastapi>=0.1"]\n' >pyproject.toml
	printf 'module x\nrequire github.com/gin-gonic/gin v1.9.1\n' >go.mod
	printf '[dependencies]\nserde_json = "1"\ntokio = { version = "1" }\n' >Cargo.toml
	printf '<artifactId>spring-boot-starter-web</artifactId>\n' >pom.xml
	printf "gem 'rails', '~> 7'\n" >Gemfile
	git add -A
	git commit -qm init
	git remote add origin 'https://deploy:s3cret@git.example.org/acme/shop.git?x=1'
	cd ..
}

# The codebase and context inferred for directory $1, through the hook.
features_of() {
	agent_event "Review it" "" "" "$1" |
		oak-log hook --dir "${2:-$TMP/tel}"
	tail -n 1 "${2:-$TMP/tel}/agent_invocations.jsonl" |
		jq -c '.state_features | {codebase, context}'
}

@test "codebase and context of a repository: every rule" {
	make_repo
	run -0 --separate-stderr features_of "$TMP/repo"
	[ -z "$stderr" ]
	# languages: JavaScript 3 files, C 2, Python 2 (a tie: the table's
	# order); node_modules and dist are skipped. loc of source files:
	# 5 + 1 + 3 + 1 + 1 + 1 + 2. file_count: all tracked files but the
	# skipped ones. Frameworks in the table's order; vue is a script,
	# flask-app the project's name, serde_json not serde, pytest-cov
	# not pytest.
	assert_output '{"codebase":{"languages":["JavaScript","C","Python"],"frameworks":["React","Express","Jest","Django","FastAPI","NumPy","Gin","Tokio","Spring Boot","Rails"],"loc":14,"file_count":16,"repository":"git.example.org/acme/shop"},"context":{"tests_exist":true,"docs_exist":true,"ci_exists":true,"git_clean":true,"git_branch":"main"}}'
}

@test "context: dirty and clean, branch, detached; telemetry inside the tree is not a change" {
	make_repo
	cd repo
	run -0 features_of . "$PWD/telemetry"
	assert_output --partial '"git_clean":true,"git_branch":"main"'
	echo change >>src/main.c
	run -0 features_of . "$PWD/telemetry"
	assert_output --partial '"git_clean":false,"git_branch":"main"'
	git checkout -q -- src/main.c
	echo new >untracked.txt
	run -0 features_of . "$PWD/telemetry"
	assert_output --partial '"git_clean":false'
	rm untracked.txt
	git checkout -q -b feature/x
	run -0 features_of src "$PWD/telemetry"
	assert_output --partial '"git_clean":true,"git_branch":"feature/x"}'
	git checkout -q --detach
	run -0 features_of . "$PWD/telemetry"
	assert_output --partial '"ci_exists":true,"git_clean":true}}'
}

@test "no tests, no docs, no CI, no remote: false and left out" {
	mkdir repo && cd repo
	git init -q -b trunk
	printf 'fn main() {}\n' >main.rs
	printf 'testing notes\n' >contest.txt
	git add -A
	git -c user.email=t@e -c user.name=t commit -qm one
	run -0 features_of .
	assert_output '{"codebase":{"languages":["Rust"],"frameworks":[],"loc":1,"file_count":2},"context":{"tests_exist":false,"docs_exist":false,"ci_exists":false,"git_clean":true,"git_branch":"trunk"}}'
}

@test "outside git: a walk that skips hidden, vendored and generated folders" {
	mkdir -p plain/src plain/.hidden plain/vendor/x plain/build plain/spec
	printf 'puts 1\nputs 2\n' >plain/src/app.rb
	printf 'x\n' >plain/.hidden/h.rb
	printf 'x\n' >plain/vendor/x/v.rb
	printf 'x\n' >plain/build/b.rb
	printf 'x\n' >plain/spec/app_spec.rb
	printf 'README\n' >plain/README
	ln -s /etc plain/etc-link
	run -0 features_of "$TMP/plain"
	assert_output '{"codebase":{"languages":["Ruby"],"frameworks":[],"loc":3,"file_count":3},"context":{"tests_exist":true,"docs_exist":true,"ci_exists":false}}'
	# nothing cached outside git
	[ -z "$(ls "$TMP/tel" | grep codebase)" ]
}

@test "a cwd that is not a folder: task features only; the hook stays silent" {
	run -0 --separate-stderr bash -c "agent_event() { :; }; jq -nc '{hook_event_name: \"PreToolUse\", tool_name: \"Agent\", tool_use_id: \"t1\", cwd: \"/nonexistent/x\", tool_input: {description: \"Fix it\"}}' | oak-log hook"
	assert_output ''
	[ -z "$stderr" ]
	run -0 last_features
	assert_output '{"task":{"type":"bug_fix","type_source":"inferred"}}'
}

@test "the cache: one small file per repository, read while the commit stays" {
	make_repo
	run -0 features_of "$TMP/repo"
	run -0 find "$TMP/tel" -name 'codebase-*.json'
	cache=$output
	[ "$(wc -l <<<"$cache")" -eq 1 ] && [ "$(wc -c <"$cache")" -lt 2048 ]
	run -0 jq -r '.commit' "$cache"
	assert_output "$(git -C repo rev-parse HEAD)"
	# a new file staged but not committed: same commit, the cache answers
	printf 'int y;\n' >repo/src/y.c
	git -C repo add src/y.c
	run -0 features_of "$TMP/repo"
	assert_output --partial '"loc":14,"file_count":16,'
	assert_output --partial '"git_clean":false'
	# a new commit: scanned again
	git -C repo commit -qm two
	run -0 features_of "$TMP/repo"
	assert_output --partial '"loc":15,"file_count":17,'
	# the cache is safe to delete, and a broken one is scanned over
	rm "$cache"
	run -0 features_of "$TMP/repo"
	assert_output --partial '"file_count":17,'
	printf '{"commit": ' >"$cache"
	run -0 features_of "$TMP/repo"
	assert_output --partial '"file_count":17,'
	run -0 jq -r .codebase.file_count "$cache"
	assert_output 17
}

# Milliseconds that running "$@" takes.
elapsed_ms() {
	local start end
	start=$(date +%s%N)
	"$@" >/dev/null
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

@test "timing: past its budget the first call returns partial at once; the cache is finished in the background and then read" {
	mkdir big && cd big
	git init -q -b main
	mkdir d
	seq 3000 | sed 's|.*|d/f&.c|' | xargs touch
	printf 'int x;\n' >d/f1.c
	git add -A
	git -c user.email=t@e -c user.name=t commit -qm many
	cd ..
	# budget 0: the listing is cut at once
	ms=$(OAK_FEATURES_BUDGET_MS=0 elapsed_ms features_of "$TMP/big")
	echo "first call: $ms ms"
	# generous bounds: CI runs this under ASan, maybe on a busy machine;
	# the budget itself is held by the hook (tools/bench-features: 92 ms)
	[ "$ms" -lt 5000 ]
	run -0 jq -c .state_features.codebase.partial tel/agent_invocations.jsonl
	assert_output true
	# a detached child finishes the scan and writes the cache
	for i in $(seq 1200); do
		cache=$(find tel -name 'codebase-*.json')
		[ -n "$cache" ] && break
		sleep 0.1
	done
	# (the finisher once opened its lock before oak-log had made the
	# telemetry folder, and left without a cache: 9 runs in 40 under
	# load; it makes the folder first now)
	[ -n "$cache" ] || {
		echo "no cache after 120 s; tel: $(ls -la tel)"
		echo "oak-log processes: $(pgrep -af oak-log)"
		false
	}
	ms=$(OAK_FEATURES_BUDGET_MS=120 elapsed_ms features_of "$TMP/big")
	echo "cached call: $ms ms"
	[ "$ms" -lt 3000 ]
	# complete now; git_clean only where git status was seen to be quick
	run -0 features_of "$TMP/big"
	run -0 jq -c 'del(.context.git_clean)' <<<"$output"
	assert_output '{"codebase":{"languages":["C"],"frameworks":[],"loc":1,"file_count":3000},"context":{"tests_exist":false,"docs_exist":false,"ci_exists":false,"git_branch":"main"}}'
}

@test "the index read as git ls-files lists it: versions 2, 3, 4; a split index through git" {
	make_repo
	cd repo
	# intent-to-add sets an extended flag: the index becomes version 3
	printf 'x\n' >src/new.c
	git add -N src/new.c
	want=$(git ls-files | grep -cvE '^(node_modules|dist)/')
	[ "$want" -eq 17 ]
	for version in 3 4; do
		git update-index --index-version $version
		rm -rf "$TMP/tel"
		run -0 features_of .
		assert_output --partial '"loc":15,"file_count":17,'
	done
	git update-index --split-index
	rm -rf "$TMP/tel"
	run -0 features_of .
	assert_output --partial '"loc":15,"file_count":17,'
}

@test "repository: scp-like and local remotes, origin first" {
	mkdir repo && cd repo
	git init -q
	git remote add backup 'ssh://git@backup.example.org:2222/acme/shop.git'
	run -0 features_of .
	assert_output --partial '"repository":"backup.example.org:2222/acme/shop"'
	git remote add origin 'alice@git.example.org:acme/shop.git/'
	run -0 features_of .
	assert_output --partial '"repository":"git.example.org/acme/shop"'
}
