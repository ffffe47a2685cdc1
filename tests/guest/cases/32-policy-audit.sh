# Action audit (the default): a program over the limit loads and runs; a
# kernel log line, a prog_over_limit event after its prog_estimated (with
# its id and the limit) and the over_limit flag record it. A program under
# the limit gets none of these.
bpfrt_load_module
P=/sys/kernel/bpfrt/policy
pstat() { sed -n "s/^$1 //p" $P/stats; }
bpfrt -j events >/tmp/events &
evpid=$!
# the reader holds /dev/bpfrt open: it must not outlive the case
trap 'kill $evpid 2>/dev/null || true; wait $evpid 2>/dev/null || true' EXIT
sleep 0.5

echo 10000000 >$P/limit_ns
expect_eq "$(cat $P/action)" "[audit] reject" "audit is the default"

out=$(bpf_load_run -k "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/tmp/err)
echo "$out"
id=$(echo "$out" | sed -n 's/^prog policy_heavy id \([0-9]*\) .*/\1/p')
[ -n "$id" ] || fail "the program over the limit did not load"
case "$(cat /tmp/err)" in *bpfrt*) fail "a reason reached the loader in audit mode" ;; esac
light=$(bpf_load_run -k "$BPFRT_OBJS/straight_line.bpf.o" | sed -n 's/^prog straight_line id \([0-9]*\) .*/\1/p')
[ -n "$light" ] || fail "straight_line did not load"

over_seen() { grep -q "\"type\":\"prog_over_limit\".*\"id\":$id," /tmp/events; }
wait_until 10 over_seen || fail "no prog_over_limit event for $id"
mine=$(grep "\"id\":$id," /tmp/events)
echo "$mine"
echo "$mine" | sed -n 1p | grep -q '"type":"prog_estimated"' || fail "first event is not the estimate"
echo "$mine" | sed -n 2p | grep -q '"type":"prog_over_limit".*"name":"policy_heavy".*"limit_ns":10000000' ||
	fail "second event is not the over-limit one"
if grep "\"id\":$light," /tmp/events | grep -q prog_over_limit; then
	fail "a program under the limit has an over-limit event"
fi
kill $evpid

expect_contains "$(bpfrt prog show $id)" "over_limit" "flag on the program"
case "$(bpfrt prog show $light)" in *over_limit*) fail "flag on a program under the limit" ;; esac
dmesg | grep "bpfrt: over-limit program 'policy_heavy' (xdp, tag [0-9a-f]*) loaded by bpf_load_run\[[0-9]*\]: worst-case estimate .* exceeds the limit of 10.0 ms (10000000 ns, policy limit_ns); largest contributor: .*; loaded anyway (action audit)" ||
	fail "no kernel log line"
expect_eq "$(pstat audited)" "1" "audited count"
expect_eq "$(pstat rejected)" "0" "rejected count"
expect_eq "$(pstat over_limit)" "1" "over_limit count"

# The CLI's event line shows the limit.
bpfrt events >/tmp/ev2 &
evpid=$!
sleep 0.5
bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" >/dev/null
line_seen() { grep -q prog_over_limit /tmp/ev2; }
wait_until 20 line_seen || fail "no prog_over_limit line"
kill $evpid
grep prog_over_limit /tmp/ev2
grep -q 'prog_over_limit  [0-9]*: xdp  name policy_heavy .*  limit 10.0 ms$' /tmp/ev2 ||
	fail "event line of prog_over_limit"
