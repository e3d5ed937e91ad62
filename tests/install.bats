#!/usr/bin/env bats
# make install: programs, pipelines under their oak- names, man pages,
# schemas, all under DESTDIR and PREFIX.

load test_helper

@test "make install puts every program, pipeline, page and schema in place" {
	san=0
	case $OAK_BIN in */san/bin) san=1 ;; esac
	run -0 make -s -C "$TOP" install SAN="$san" DESTDIR="$TMP/root"
	cd "$TMP/root/usr/local"
	for f in "$TOP"/filters/*; do
		n=$(basename "$f" .c)
		run -0 test -x "bin/oak-$n"
	done
	for p in "$TOP"/pipelines/*; do
		run -0 test -x "bin/oak-$(basename "$p")"
	done
	for m in "$TOP"/man/*.1; do run -0 test -f "share/man/man1/$(basename "$m")"; done
	for m in "$TOP"/man/*.5; do run -0 test -f "share/man/man5/$(basename "$m")"; done
	for s in "$TOP"/schemas/*.json; do
		run -0 cmp "$s" "share/oak-telemetry/schemas/$(basename "$s")"
	done
	OAK_SCHEMA_DIR="$PWD/share/oak-telemetry/schemas" run -0 bin/oak-validate --kind metric \
		"$DATA/reference/basic/reference/success_metrics.jsonl"
	assert_equal "${#lines[@]}" 68
}
