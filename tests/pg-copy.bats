#!/usr/bin/env bats
# oak-pg-copy on its own (tests/export-postgres.bats loads its output into
# a real PostgreSQL): COPY text escaping, usage.

bats_require_minimum_version 1.5.0
load test_helper

@test "a record becomes one COPY text line: line number, the record with backslashes doubled" {
	printf '%s\n' '{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a\tb", "success": true, "quality_rating": 4}' >m.jsonl
	run -0 oak-pg-copy --kind metric m.jsonl
	assert_output $'1\t{"timestamp": "2025-10-13T09:00:00Z", "invocation_id": "a\\\\tb", "success": true, "quality_rating": 4}'
}

@test "-h on stdout exits 0; a wrong option exits 2" {
	run -0 oak-pg-copy -h
	assert_line --index 0 --partial 'usage: oak-pg-copy --kind'
	run -2 oak-pg-copy --bogus
}
