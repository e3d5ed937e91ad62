#!/usr/bin/env bats
# oak-group-by-agent --piece K/N and --merge's checks (issue 13, "merging
# is safe"): AgentStats of a piece say which piece they are and carry a
# fingerprint of their invocation ids; --merge refuses a piece given
# twice or the same invocations under another label, warns about pieces
# missing, and writes the same bytes in any order.

load test_helper

EX="$TOP/examples/telemetry"

# pieces N: pieces 1..N of the examples (p.K), and the whole run (whole).
pieces() {
	for k in $(seq "$1"); do
		oak-join-by-invocation --shard "$k/$1" \
			--updates "$EX/invocation_updates.jsonl" \
			--metrics "$EX/success_metrics.jsonl" \
			"$EX/agent_invocations.jsonl" |
			oak-group-by-agent --piece "$k/$1" >"p.$k"
	done
	oak-join-by-invocation --updates "$EX/invocation_updates.jsonl" \
		--metrics "$EX/success_metrics.jsonl" \
		"$EX/agent_invocations.jsonl" >joined
	oak-group-by-agent joined >whole
}

@test "--piece: every line says its piece and carries its fingerprint; the AgentStats are those of the piece" {
	pieces 3
	run -0 jq -r '"\(.piece) \(.fingerprint | length)"' p.2
	assert_output "$(yes '2/3 16' | head -n "$(wc -l <p.2)")"
	jq -c 'del(.piece, .fingerprint)' p.2 >plain
	oak-join-by-invocation --shard 2/3 --updates "$EX/invocation_updates.jsonl" \
		--metrics "$EX/success_metrics.jsonl" "$EX/agent_invocations.jsonl" |
		oak-group-by-agent | jq -c . >unlabelled
	cmp plain unlabelled
	run -0 oak-validate -q --kind agent-stats p.2
	oak-group-by-agent --merge p.1 p.2 >partial 2>/dev/null
	run -0 oak-validate -q --kind agent-stats partial
}

@test "--piece: the fingerprint is the sum mod 2^64 of fmix64(FNV-1a 64) of each invocation id" {
	pieces 3
	# the oracle: an independent Python version of the two published
	# hashes (FNV-1a 64: Fowler, Noll, Vo; fmix64: MurmurHash3's
	# finalizer), over the ids of piece 1's joined invocations, per agent
	oak-join-by-invocation --shard 1/3 --updates "$EX/invocation_updates.jsonl" \
		--metrics "$EX/success_metrics.jsonl" "$EX/agent_invocations.jsonl" |
		jq -r '"\(.agent_name)\t\(.invocation_id)"' >ids
	run -0 python3 -c '
import sys
M = 2**64
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) % M
    return h
def fmix(h):
    h ^= h >> 33; h = h * 0xff51afd7ed558ccd % M
    h ^= h >> 33; h = h * 0xc4ceb9fe1a85ec53 % M
    return h ^ (h >> 33)
fp = {}
for line in open("ids"):
    a, i = line.rstrip("\n").split("\t")
    fp[a] = (fp.get(a, 0) + fmix(fnv(i.encode()))) % M
for a in sorted(fp):
    print(a, "%016x" % fp[a])'
	expected=$output
	run -0 sh -c 'jq -r "\"\(.agent_name) \(.fingerprint)\"" p.1 | sort'
	assert_output "$expected"
}

@test "--merge of all pieces in shuffled orders is the whole run, byte for byte, and so is a merge of merges" {
	pieces 5
	for order in "1 2 3 4 5" "5 4 3 2 1" "3 1 5 2 4" "2 5 1 4 3"; do
		set -- $order
		oak-group-by-agent --merge "p.$1" "p.$2" "p.$3" "p.$4" "p.$5" >merged
		cmp merged whole
		cat "p.$4" "p.$2" "p.$5" "p.$1" "p.$3" | oak-group-by-agent --merge >merged
		cmp merged whole
	done
	# partial merges carry their pieces and fingerprints; they merge on
	oak-group-by-agent --merge p.4 p.1 >a 2>err.a
	oak-group-by-agent --merge p.1 p.4 >b 2>err.b
	cmp a b
	run -0 jq -r .pieces a
	assert_output "$(yes '1,4/5' | head -n "$(wc -l <a)")"
	oak-group-by-agent --merge p.2 p.3 >c 2>/dev/null
	run -0 jq -r .pieces c
	assert_line '2-3/5'
	oak-group-by-agent --merge c p.5 a >merged
	cmp merged whole
	oak-group-by-agent --merge a p.5 c >merged
	cmp merged whole
}

@test "--merge: a partial merge's fingerprint is the sum of its parts'" {
	pieces 3
	oak-group-by-agent --merge p.1 p.3 >m 2>/dev/null
	run -0 python3 -c '
import json
fp = {}
for f in ("p.1", "p.3"):
    for line in open(f):
        r = json.loads(line)
        fp[r["agent_name"]] = (fp.get(r["agent_name"], 0) + int(r["fingerprint"], 16)) % 2**64
for line in open("m"):
    r = json.loads(line)
    assert int(r["fingerprint"], 16) == fp[r["agent_name"]], r["agent_name"]
print(len(fp))'
	assert_output 10
}

@test "--merge refuses a piece given twice: exit 1, each line said, counted once" {
	pieces 3
	run -1 --separate-stderr oak-group-by-agent --merge p.1 p.2 p.3 p.2
	[ "$output" = "$(cat whole)" ]
	run -0 head -n 1 <<<"$stderr"
	assert_output 'oak-group-by-agent: p.2:1: piece 2/3 given twice, first at p.2:1'
	run -0 tail -n 1 <<<"$stderr"
	assert_output "oak-group-by-agent: $(wc -l <p.2) lines rejected"
	# a merge holding piece 2 and piece 2 again
	oak-group-by-agent --merge p.1 p.2 >m12 2>/dev/null
	run -1 --separate-stderr oak-group-by-agent --merge m12 p.2 p.3
	[ "$output" = "$(cat whole)" ]
	run -0 head -n 1 <<<"$stderr"
	assert_output --regexp '^oak-group-by-agent: p\.2:1: piece 2/3 given twice, first at m12:[0-9]+$'
}

@test "--merge refuses the same invocations under another piece's label" {
	pieces 3
	sed 's,"piece": "2/3","piece": "3/3",' p.2 >p.2as3
	run -1 --separate-stderr oak-group-by-agent --merge p.1 p.2 p.2as3
	run -0 head -n 1 <<<"$stderr"
	assert_output 'oak-group-by-agent: p.2as3:1: holds the same invocations as p.2:1'
	run -0 grep -c 'holds the same invocations' <<<"$stderr"
	assert_output "$(wc -l <p.2)"
	# the refused lines are not merged, so piece 3 is missing
	run -0 grep -F 'missing' <<<"$stderr"
	assert_output 'oak-group-by-agent: piece 3/3 missing: the merge covers 2 of 3'
}

@test "--merge warns when pieces of a split are missing, exits 0, and labels what it wrote" {
	pieces 4
	run -0 --separate-stderr oak-group-by-agent --merge p.3 p.1
	[ "$stderr" = 'oak-group-by-agent: pieces 2,4/4 missing: the merge covers 2 of 4' ]
	run -0 --separate-stderr oak-group-by-agent --merge p.3
	[ "$stderr" = 'oak-group-by-agent: pieces 1-2,4/4 missing: the merge covers 1 of 4' ]
}

@test "--piece: a piece with no agent says so in one line, and a merge counts it" {
	: >empty
	run -0 oak-group-by-agent --piece 2/2 empty
	assert_output '{"piece": "2/2"}'
	echo "$output" >p2
	pieces 1
	oak-join-by-invocation --updates "$EX/invocation_updates.jsonl" \
		--metrics "$EX/success_metrics.jsonl" "$EX/agent_invocations.jsonl" |
		oak-group-by-agent --piece 1/2 >p1
	run -0 --separate-stderr oak-group-by-agent --merge p2 p1
	[ "$stderr" = '' ]
	[ "$output" = "$(cat whole)" ]
	run -1 --separate-stderr oak-group-by-agent --merge p2 p2
	[ "$stderr" = $'oak-group-by-agent: p2:1: piece 2/2 given twice, first at p2:1\noak-group-by-agent: piece 1/2 missing: the merge covers 1 of 2\noak-group-by-agent: 1 line rejected' ]
	assert_output '{"pieces": "2/2"}'
}

@test "--merge refuses pieces of two splits, and pieces mixed with AgentStats of no piece" {
	pieces 3
	oak-group-by-agent --piece 1/2 /dev/null >other
	run -1 --separate-stderr oak-group-by-agent --merge p.1 other
	[ "$stderr" = $'oak-group-by-agent: other:1: a piece of a split into 2, merged with pieces of a split into 3 at p.1:1\noak-group-by-agent: pieces 2-3/3 missing: the merge covers 1 of 3\noak-group-by-agent: 1 line rejected' ]
	run -1 --separate-stderr oak-group-by-agent --merge whole p.1
	run -0 head -n 1 <<<"$stderr"
	assert_output 'oak-group-by-agent: p.1:1: a piece of a split, merged with AgentStats of no piece at whole:1'
	run -1 --separate-stderr oak-group-by-agent --merge p.1 whole
	run -0 head -n 1 <<<"$stderr"
	assert_output 'oak-group-by-agent: whole:1: AgentStats of no piece, merged with pieces of a split at p.1:1'
}

@test "--merge refuses bad piece keys; --piece wants K/N; not with --merge" {
	pieces 2
	head -n 1 p.1 | jq -c '.piece = "1-2/2"' >bad
	head -n 1 p.1 | jq -c '.piece = "3/2"' >>bad
	head -n 1 p.1 | jq -c '.piece = "2,1/2"' >>bad
	head -n 1 p.1 | jq -c '.piece = 1' >>bad
	head -n 1 p.1 | jq -c '.fingerprint = "xyz"' >>bad
	head -n 1 p.1 | jq -c 'del(.fingerprint)' >>bad
	run -1 --separate-stderr oak-group-by-agent --merge bad
	assert_output ''
	[ "$(grep -c 'bad:[1-4]: "piece" is not K/N' <<<"$stderr")" -eq 4 ]
	[ "$(grep -c 'bad:[56]: "fingerprint" is not 16 hexadecimal digits' <<<"$stderr")" -eq 2 ]
	for spec in 0/3 4/3 1/0 1-2/3 1,2/3 x 1/65537 /3; do
		run -2 oak-group-by-agent --piece "$spec" /dev/null
		assert_line -n 0 "oak-group-by-agent: --piece: want K/N with 1 <= K <= N <= 65536: $spec"
	done
	run -2 oak-group-by-agent --merge --piece 1/2 /dev/null
	assert_line -n 0 'oak-group-by-agent: --merge and --piece exclude each other'
}

@test "-j 3: a piece that fails fails the pipeline with its own message and status" {
	# oak-join-by-invocation as piece 2 fails (a stand-in for a full
	# disk): the wrapper runs the real program for every other call.
	mkdir bin
	real=$(command -v oak-join-by-invocation)
	cat >bin/oak-join-by-invocation <<-EOF
	#!/bin/sh
	case " \$* " in
	*" --shard 2/3 "*) echo "oak-join-by-invocation: write error: No space left on device" >&2; exit 3 ;;
	esac
	exec "$real" "\$@"
	EOF
	chmod +x bin/oak-join-by-invocation
	PATH=$PWD/bin:$PATH run -3 --separate-stderr \
		weekly-report "$EX" --all -j 3 -o report
	[ "$stderr" = 'oak-join-by-invocation: write error: No space left on device' ]
	[ ! -e report ]
}
