# Loaded by the bats files that stop a pipeline with a signal while its
# stages are busy (parallel.bats, ranking.bats, weekly-report.bats).

# The invocation log is a FIFO fed without end, so every stage is busy
# when the signal comes, on a fast machine or a slow one. The test holds
# it open both ways (fd 4): with -j N, N joins open it one after another,
# and none may end the feeder (a broken pipe) or leave the others an end
# of input. The feeder leaves fd 3 alone (bats waits on it) and ends
# with the test's process, on its broken pipe, if not killed first.
busy_logs() {
	mkdir big
	mkfifo big/agent_invocations.jsonl
	exec 4<>big/agent_invocations.jsonl
	awk 'BEGIN { for (i = 0; ; i++) printf "{\"timestamp\": \"2025-10-13T08:00:00Z\", \"session_id\": \"s\", \"invocation_id\": \"id-%d\", \"agent_name\": \"a%d\", \"agent_type\": \"development\", \"task_description\": \"t\", \"state_features\": {}, \"parent_invocation_id\": null, \"tools_used\": [], \"duration_seconds\": 12.5, \"outcome\": {\"status\": \"success\", \"error_message\": null, \"files_modified\": [], \"files_created\": [], \"tests_passed\": null, \"build_succeeded\": null}, \"metadata\": {}}\n", i, i % 7 }' >big/agent_invocations.jsonl 3>&- &
	feeder=$!
}

# stopped SIGNAL STATUS J PIPELINE [ARG...]: pipelines/PIPELINE over the
# busy logs with -j J, stopped by SIGNAL once its J joins run, exits
# with STATUS at once (within a second), every stage gone, no partial
# file, nothing said after it (no merge of missing pieces).
stopped() {
	sig=$1
	want=$2
	j=$3
	pipeline=$4
	shift 4
	busy_logs
	# env --default-signal: a job a script starts in the background has
	# SIGINT ignored, which a user's Ctrl-C never has. The logs and the
	# temporary files under this test's directory: pgrep sees its own.
	mkdir t
	TMPDIR=$PWD/t env --default-signal=INT "$TOP/pipelines/$pipeline" \
		"$PWD/big" "$@" -j "$j" -o out.txt 2>err 4>&- &
	pid=$!
	for _ in $(seq 200); do
		[ "$(pgrep -fc "oak-join-by-invocation.*$PWD/big/agent_invocations")" -ge "$j" ] && break
		sleep 0.05
	done
	run pgrep -fc "oak-join-by-invocation.*$PWD/big/agent_invocations"
	assert_output "$j"
	start=$(date +%s%N)
	kill -"$sig" "$pid"
	rc=0
	wait "$pid" || rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	echo "# signal $sig, -j $j: status $rc after $took ms" >&3
	[ "$rc" -eq "$want" ] || { echo "status $rc; err: $(cat err)"; false; }
	[ "$took" -lt 1000 ]
	# a stage killed on a loaded machine may take a moment to go
	gone "$PWD/big/agent_invocations"
	kill "$feeder"
	wait "$feeder" || :
	exec 4>&-
	run ! pgrep -f "oak-group-by-agent --merge $PWD/t"
	run -0 ls
	assert_output $'big\nerr\nt'
	# the status folder gone too, though stopped stages wrote into it
	run -0 ls t
	assert_output ''
	run -0 cat err
	assert_output ''
}
