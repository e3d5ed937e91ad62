#!/usr/bin/env bats
# oak-flag-anomalies on its own (tests/anomalies.bats runs it through the
# oak-anomalies pipeline on generated histories): empty input, usage.

bats_require_minimum_version 1.5.0
load test_helper

@test "no input: nothing flagged, exit 0" {
	run -0 --separate-stderr oak-flag-anomalies </dev/null
	assert_output ''
}

@test "-h on stdout exits 0; a wrong option or value exits 2" {
	run -0 oak-flag-anomalies -h
	assert_line --index 0 --partial 'usage: oak-flag-anomalies'
	run -2 oak-flag-anomalies --bogus
	run -2 oak-flag-anomalies --weeks 1 /dev/null
}
