#!/usr/bin/env bats
# oak-validate on JSONTestSuite (tests/data/json-parsing): each y_ and n_
# file without a raw newline is one JSONL line; a schema of `true` accepts
# any JSON text, so only strict parsing decides. The y_ files with
# duplicate keys are rejected on purpose (I-JSON), and the two n_ files
# that are a blank line are skipped as JSONL skips blank lines (OAK.md).

bats_require_minimum_version 1.5.0
load test_helper

# Runs oak-validate once per file; prints "NAME STATUS" where STATUS is
# accepted (exit 0 and the line written), skipped (exit 0, nothing
# written), rejected (exit 1) or "exit N".
verdicts() {
	local f rc
	echo true >any.json
	for f in "$DATA"/json-parsing/"$1"_*.json; do
		[ "$(tr -cd '\n' <"$f" | wc -c)" -eq 0 ] || continue
		rc=0
		oak-validate --schema any.json "$f" >out.json 2>/dev/null || rc=$?
		case $rc in
		0) if [ -s out.json ]; then rc=accepted; else rc=skipped; fi ;;
		1) rc=rejected ;;
		*) rc="exit $rc" ;;
		esac
		echo "$(basename "$f") $rc"
	done
}

@test "oak-validate accepts every y_ file without a raw newline" {
	verdicts y >verdicts
	echo "# $(grep -c ' accepted$' verdicts) of $(grep -c . verdicts) y_ lines accepted" >&3
	run grep -v ' accepted$' verdicts
	assert_output "y_object_duplicated_key.json rejected
y_object_duplicated_key_and_value.json rejected"
}

@test "oak-validate rejects every n_ file without a raw newline" {
	verdicts n >verdicts
	echo "# $(grep -c ' rejected$' verdicts) of $(grep -c . verdicts) n_ lines rejected" >&3
	run grep -v ' rejected$' verdicts
	assert_output "n_single_space.json skipped
n_structure_no_data.json skipped"
}
