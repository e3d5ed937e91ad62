#!/usr/bin/env bats
# The HTML report fits its window: a trend over fewer than three weeks
# is drawn by day, a trend of one day is left out with the reason, and
# headless Chromium renders a one-week report (as tests/render-report.bats
# renders the all-time one): no failed request, the charts in its DOM.

bats_require_minimum_version 1.5.0
load test_helper

REF="$DATA/reference"

# chromium ARGS... URL: headless, no network, a private profile.
chromium_run() {
	mkdir -p "$TMP/profile"
	timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync \
		--user-data-dir="$TMP/profile" "$@"
}

@test "one week: the trend is daily, one point per day that holds invocations" {
	# larger/append has invocations on every day of 2025-W43 (Oct 20-26)
	run -0 weekly-report "$REF/larger/append" --week 2025-W43 --format html
	printf '%s\n' "$output" >week.html
	assert_line '<h2>Daily trend</h2>'
	refute_line --partial 'Weekly trend'
	run -0 grep -o 'text-anchor="middle">2025-10-2[0-6]<' week.html
	assert_equal "${#lines[@]}" 7
	run -0 grep -c '<caption>Success per day and agent</caption>' week.html
	run -0 grep -c '<th scope="col">Day</th>' week.html
}

@test "three weeks or more: the trend stays weekly" {
	run -0 weekly-report "$REF/larger/append" --all --format html
	assert_line '<h2>Weekly trend</h2>'
	assert_line --partial 'aria-label="Weekly success rate per agent"'
}

@test "one day: no trend chart, and the page says why" {
	run -0 weekly-report "$REF/larger/append" --since 2025-10-21 --until 2025-10-22 --format html
	assert_line '<p class="empty">No trend chart: every invocation here falls on one day, 2025-10-21, and one point per agent is no trend. A longer window shows one.</p>'
	run -0 grep -c '<svg ' <<<"$output"
	assert_output 2
}

@test "headless Chromium renders a one-week report: no failed request, three charts" {
	[ -x /usr/bin/chromium ] || skip "chromium is not installed (Debian package chromium)"
	weekly-report "$REF/larger/append" --week 2025-W43 --format html -o week.html
	run -0 chromium_run --enable-logging=stderr --v=0 --window-size=1200,1600 \
		--screenshot="$TMP/shot.png" "file://$TMP/week.html"
	run -1 grep -E 'net::ERR_|Failed to load resource|ERR_BLOCKED' <<<"$output"
	[ -s shot.png ]
	run -0 od -An -c -N4 shot.png
	assert_output --partial 'P   N   G'
	run -0 chromium_run --dump-dom "file://$TMP/week.html"
	printf '%s\n' "$output" >dom.html
	run -0 grep -c '<svg' dom.html
	assert_output 3
	run -0 grep -c 'aria-label="Daily success rate per agent"' dom.html
	assert_output 1
	if [ -n "${OAK_KEEP_SCREENSHOT:-}" ]; then cp shot.png "$OAK_KEEP_SCREENSHOT"; fi
}
