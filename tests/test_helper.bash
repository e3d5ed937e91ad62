# Loaded by every bats file: bats-support and bats-assert, the built
# programs first on PATH, a private temp directory per test, and paths to
# the fixtures kept in tests/data.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
DATA="$TOP/tests/data"
: "${OAK_BIN:=$TOP/build/bin}"
PATH="$OAK_BIN:$TOP/pipelines:$PATH"
export PATH TOP DATA
export SOURCE_DATE_EPOCH=1760943600   # 2025-10-20T07:00:00Z, the fixtures' clock
export LC_ALL=C

setup() {
	TMP="$BATS_TEST_TMPDIR"
	cd "$TMP" || return 1
}

# gone PATTERN: no process whose command line matches PATTERN is left,
# within 5 s (a process killed on a loaded machine takes a moment to go).
gone() {
	for _ in $(seq 100); do
		pgrep -f "$1" >/dev/null || return 0
		sleep 0.05
	done
	echo "still running: $(pgrep -af "$1")" >&2
	return 1
}
