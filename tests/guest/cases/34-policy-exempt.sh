# Exemptions: by program name prefix and by tag, never over the limit,
# counted, and nothing else.
bpfrt_load_module
P=/sys/kernel/bpfrt/policy
pstat() { sed -n "s/^$1 //p" $P/stats; }
echo 10000000 >$P/limit_ns
echo reject >$P/action

bpfrt -j events >/tmp/events &
evpid=$!
# the reader holds /dev/bpfrt open: it must not outlive the case
trap 'kill $evpid 2>/dev/null || true; wait $evpid 2>/dev/null || true' EXIT
sleep 0.5
if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/dev/null; then fail "loaded without an exemption"; fi
rej_seen() { grep -q '"type":"prog_rejected"' /tmp/events; }
wait_until 10 rej_seen || fail "no prog_rejected event"
kill $evpid
tag=$(grep '"type":"prog_rejected"' /tmp/events | head -n 1 | sed -n 's/.*"tag":"\([0-9a-f]*\)".*/\1/p')
expect_eq "${#tag}" "16" "tag of the rejected program"

# By tag.
echo "tag:$tag" >$P/exempt
e0=$(pstat exempted)
bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o"
expect_eq "$(pstat exempted)" "$((e0 + 1))" "exempted count"
# another tag does not exempt it
echo "tag:0123456789abcdef" >$P/exempt
if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/dev/null; then fail "exempted by another tag"; fi

# By name prefix: the whole name, a prefix; not a longer name or another.
for prefix in policy_heavy policy_h p; do
	echo "name:$prefix" >$P/exempt
	bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o"
done
for prefix in policy_heavy2 policy_x olicy; do
	echo "name:$prefix" >$P/exempt
	if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/dev/null; then
		fail "exempted by name:$prefix"
	fi
done

# One of several items is enough; exempted programs are not flagged.
echo "name:foo,tag:0123456789abcdef,name:policy_" >$P/exempt
id=$(bpf_load_run -k "$BPFRT_OBJS/policy_heavy.bpf.o" | sed -n 's/^prog policy_heavy id \([0-9]*\) .*/\1/p')
[ -n "$id" ] || fail "not exempted by the list"
case "$(bpfrt prog show $id)" in *over_limit*) fail "an exempted program is flagged" ;; esac
# through the CLI
bpfrt policy set exempt del name:policy_
if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/dev/null; then fail "still exempted"; fi
bpfrt policy set exempt add "tag:$tag"
bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o"
