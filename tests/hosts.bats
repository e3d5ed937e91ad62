#!/usr/bin/env bats
# Across hosts (issue 13): GNU parallel runs the pieces of a split on
# other machines over ssh, their AgentStats come back on its standard
# output, and oak-group-by-agent --merge makes the whole. The "other
# machines" are a real sshd of the test's own on 127.0.0.1: a port of its
# own, a throwaway host key and user key made here, stopped at the end.
# The logs are at the same path on every host (here: the same machine).
# Also the Hadoop Streaming mapper and reducer commands, run as shell
# commands the way Streaming runs them.

load test_helper

EX="$TOP/examples/telemetry"

# free_port: a TCP port nothing listens on now, chosen by the kernel.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_sshd: sshd on 127.0.0.1:$port for the current user, keys and
# configuration under $S; the client's configuration in $S/ssh_config
# names the host "oak1" and "oak2". Fails with sshd's log when it does
# not answer.
start_sshd() {
	S=$TMP/ssh
	mkdir -p "$S"
	chmod 700 "$S"
	user=$(id -un)
	ssh-keygen -q -t ed25519 -N '' -C host -f "$S/host_key"
	ssh-keygen -q -t ed25519 -N '' -C user -f "$S/user_key"
	cp "$S/user_key.pub" "$S/authorized_keys"
	# privilege separation needs its directory when sshd runs as root
	[ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
	for _ in 1 2 3 4 5; do
		port=$(free_port)
		cat >"$S/sshd_config" <<-EOF
		ListenAddress 127.0.0.1
		Port $port
		HostKey $S/host_key
		PidFile $S/sshd.pid
		AuthorizedKeysFile $S/authorized_keys
		AllowUsers $user
		PermitRootLogin prohibit-password
		PubkeyAuthentication yes
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		StrictModes no
		UsePAM no
		MaxStartups 30
		EOF
		"$(command -v sshd || echo /usr/sbin/sshd)" -D -f "$S/sshd_config" -E "$S/sshd.log" &
		sshd_pid=$!
		echo "[127.0.0.1]:$port $(cat "$S/host_key.pub")" >"$S/known_hosts"
		cat >"$S/ssh_config" <<-EOF
		Host oak1 oak2
		HostName 127.0.0.1
		Port $port
		User $user
		IdentityFile $S/user_key
		IdentitiesOnly yes
		UserKnownHostsFile $S/known_hosts
		StrictHostKeyChecking yes
		BatchMode yes
		ConnectTimeout 5
		EOF
		for _ in $(seq 50); do
			ssh -F "$S/ssh_config" oak1 true 2>/dev/null && return 0
			kill -0 "$sshd_pid" 2>/dev/null || break
			sleep 0.1
		done
		stop_sshd
	done
	echo "sshd did not start; its log:" >&2
	cat "$S/sshd.log" >&2
	return 1
}

stop_sshd() {
	[ -n "${sshd_pid:-}" ] || return 0
	kill "$sshd_pid" 2>/dev/null || :
	wait "$sshd_pid" 2>/dev/null || :
	sshd_pid=
}

teardown() {
	stop_sshd
}

# The whole, in one process: AgentStats and the report.
single() {
	oak-join-by-invocation --updates "$EX/invocation_updates.jsonl" \
		--metrics "$EX/success_metrics.jsonl" "$EX/agent_invocations.jsonl" |
		oak-group-by-agent >whole
	oak-rank whole | oak-render-report --format json >whole.report
}

@test "GNU parallel: a 3-way split, two pieces over ssh and one here, merges into the single run's bytes" {
	start_sshd
	single
	# one job slot on each of two ssh logins and on this machine (":"):
	# three pieces, one per slot. Each says where it ran ($SSH_CONNECTION
	# is set only over ssh) into a file beside the test.
	HOME=$TMP parallel --will-cite --halt now,fail=1 \
		--ssh "ssh -F $S/ssh_config" -S 1/oak1 -S 1/oak2 -S 1/: \
		"PATH=$OAK_BIN:\$PATH; w=local; [ -z \"\${SSH_CONNECTION:-}\" ] || w=ssh; echo \$w >$TMP/where.{};" \
		"oak-join-by-invocation --shard {}/3 --updates $EX/invocation_updates.jsonl" \
		"--metrics $EX/success_metrics.jsonl $EX/agent_invocations.jsonl |" \
		"oak-group-by-agent --piece {}/3" ::: 1 2 3 >pieces 2>err
	run -0 cat err
	assert_output ''
	run -0 sh -c 'cat where.* | sort | uniq -c | awk "{ print \$1, \$2 }"'
	assert_output $'1 local\n2 ssh'
	run -0 sh -c 'jq -r .piece pieces | sort -u'
	assert_output $'1/3\n2/3\n3/3'
	oak-group-by-agent --merge pieces >merged
	cmp merged whole
	oak-rank merged | oak-render-report --format json >merged.report
	cmp merged.report whole.report
	# shuffled: the last piece first
	tac pieces | oak-group-by-agent --merge >merged
	cmp merged whole
	stop_sshd
	run ! kill -0 "$(cat "$S/sshd.pid" 2>/dev/null || echo 999999)"
}

@test "GNU parallel: a piece that fails on a host fails the run" {
	start_sshd
	run ! env HOME="$TMP" parallel --will-cite --halt now,fail=1 \
		--ssh "ssh -F $S/ssh_config" -S 1/oak1 -S 1/: \
		"PATH=$OAK_BIN:\$PATH; oak-join-by-invocation --shard {}/2 $TMP/none-{}.jsonl" ::: 1 2
	assert_output --regexp 'oak-join-by-invocation: .*none-[12]\.jsonl'
}

# Hadoop Streaming, run here as Streaming runs it: the input is a file of
# piece numbers, one line per map task (NLineInputFormat, which hands the
# mapper "OFFSET<tab>K"; cut -f 2- takes K with or without the offset);
# each mapper runs its piece over the whole logs, at the same path on
# every node; Streaming sorts the map output (a line without a tab is a
# key with an empty value: cut -f 1 takes it whether a tab follows it or
# not); one reducer merges.
MAPPER='k=$(cut -f 2-) && oak-join-by-invocation --shard "$k/$N" --updates "$LOGS/invocation_updates.jsonl" --metrics "$LOGS/success_metrics.jsonl" "$LOGS/agent_invocations.jsonl" | oak-group-by-agent --piece "$k/$N"'
REDUCER='cut -f 1 | oak-group-by-agent --merge'

@test "Hadoop Streaming: the mapper and reducer commands of the README give the single run's bytes" {
	single
	export N=4 LOGS=$EX
	for k in 1 2 3 4; do
		printf '%d\t%d\n' $((k * 2 - 2)) "$k" | sh -c "$MAPPER" >"map.$k"
	done
	echo 2 | sh -c "$MAPPER" | cmp - map.2
	cat map.* | LC_ALL=C sort | sed 's/$/\t/' | sh -c "$REDUCER" >merged
	cmp merged whole
	cat map.* | LC_ALL=C sort | sh -c "$REDUCER" >merged
	cmp merged whole
	# a map task lost: the reducer says which piece is missing
	cat map.1 map.2 map.4 | sh -c "$REDUCER" >partial 2>err
	run -0 cat err
	assert_output 'oak-group-by-agent: piece 3/4 missing: the merge covers 3 of 4'
	# a map task run twice (speculative execution, both outputs kept)
	run -1 sh -c "cat map.1 map.2 map.3 map.4 map.2 | $REDUCER"
	assert_output --partial 'piece 2/4 given twice'
}

@test "the README gives the same mapper and reducer" {
	run -0 grep -cF -- "-mapper '$MAPPER'" "$TOP/README.md"
	run -0 grep -cF -- "-reducer '$REDUCER'" "$TOP/README.md"
}
