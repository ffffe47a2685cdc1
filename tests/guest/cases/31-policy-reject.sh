# Action reject: a program over the limit fails to load with EDQUOT, and
# libbpf (and bpftool) print the reason the module appended to the
# verifier log; a program under the limit loads. The rejection is in the
# kernel log and is a prog_rejected event; the program leaves no record
# and no prog_freed event. The log is appended to without ever writing
# past log_size, whatever room is left.
bpfrt_load_module
P=/sys/kernel/bpfrt/policy
pstat() { sed -n "s/^$1 //p" $P/stats; }
bpfrt -j events >/tmp/events &
evpid=$!
# the reader holds /dev/bpfrt open: it must not outlive the case
trap 'kill $evpid 2>/dev/null || true; wait $evpid 2>/dev/null || true' EXIT
sleep 0.5
base=$(bpfrt_stat recorded)

echo 10000000 >$P/limit_ns	# 10 ms
echo reject >$P/action

# Under the limit (a few hundred ns): loads and runs.
bpf_load_run -r 2 "$BPFRT_OBJS/straight_line.bpf.o"
expect_eq "$(pstat rejected)" "0" "nothing rejected yet"

# Over it (2^20 callbacks): libbpf's load fails, and what it prints says why.
if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" >/tmp/out 2>/tmp/err; then
	fail "a program over the limit was loaded"
fi
echo "--- what libbpf printed ---"
cat /tmp/err
echo "---"
err=$(cat /tmp/err)
expect_contains "$err" "libbpf: prog 'policy_heavy': BPF program load failed: Disk quota exceeded" "libbpf's error"
expect_contains "$err" "-- BEGIN PROG LOAD LOG --" "libbpf printed the verifier log"
expect_contains "$err" "bpfrt: load rejected by the runtime policy (error EDQUOT): worst-case estimate " "the reason"
expect_contains "$err" "exceeds the limit of 10.0 ms (10000000 ns, policy limit_ns); largest contributor: " "estimate, limit, knob"
# the callback, 2^20 times (the analyzer may count one more iteration)
echo "$err" | grep -Eq "largest contributor: .* run 104857[67] times" ||
	fail "the contributor: 2^20 callbacks"
expect_contains "$err" ". Policy: /sys/kernel/bpfrt/policy" "where the policy is"
# the reason comes after the verifier's own text, before the end marker
echo "$err" | sed -n '/BEGIN PROG LOAD LOG/,/END PROG LOAD LOG/p' | grep -q '^bpfrt: load rejected' ||
	fail "the reason is not a line of the verifier log"
# libbpf loads once without a log, then again with one: two rejections.
expect_eq "$(pstat rejected)" "2" "rejected count"
# (libbpf's feature probes are judged too, and pass)
[ "$(pstat judged)" -ge 3 ] || fail "judged count"

# The kernel log says it, once per rejection (rate-limited).
dmesg | grep "bpfrt: rejected program 'policy_heavy' (xdp, tag [0-9a-f]*) loaded by bpf_load_run\[[0-9]*\]: worst-case estimate .* exceeds the limit of 10.0 ms" ||
	fail "no kernel log line"

# The event stream says it, with the limit, and no id.
rej_seen() { grep -q '"type":"prog_rejected"' /tmp/events; }
wait_until 10 rej_seen || fail "no prog_rejected event"
grep '"type":"prog_rejected"' /tmp/events | head -n 1 >/tmp/rej
cat /tmp/rej
grep -q '"id":0,"type":"xdp","name":"policy_heavy"' /tmp/rej || fail "rejected event's program"
grep -q '"limit_ns":10000000' /tmp/rej || fail "rejected event's limit"
grep -q '"over_limit"' /tmp/rej || fail "rejected event's flag"

# No record is left and no freed event follows for it.
back_to_base() { [ "$(bpfrt_stat recorded)" -eq "$base" ]; }
wait_until 30 back_to_base || fail "records left: $(bpfrt_stat recorded), expected $base"
sleep 1
if grep '"type":"prog_freed"' /tmp/events | grep -q '"name":"policy_heavy"'; then
	fail "a rejected program has a prog_freed event"
fi
kill $evpid

# bpftool prints it too (it loads through libbpf).
if bpftool prog load "$BPFRT_OBJS/policy_heavy.bpf.o" /sys/fs/bpf/heavy 2>/tmp/err; then
	fail "bpftool loaded a program over the limit"
fi
echo "--- what bpftool printed ---"
cat /tmp/err
echo "---"
expect_contains "$(cat /tmp/err)" "bpfrt: load rejected by the runtime policy (error EDQUOT)" "bpftool shows the reason"
[ ! -e /sys/fs/bpf/heavy ] || fail "bpftool pinned a rejected program"

# The raw syscall: one load, one rejection, EDQUOT; the reason fits in
# the room the verifier left, or replaces the end of its text, or is cut,
# and never a byte beyond log_size (64 guard bytes after it are checked).
echo 0 >$P/limit_ns
echo sched_cls:1 >$P/type_limits_ns
echo audit >$P/action
len=$(policy_load -i 0 -s 65536 -L | sed -n 's/^log_len //p')
[ "$len" -gt 0 ] || fail "no verifier text to measure"
echo reject >$P/action
r0=$(pstat rejected)
out=$(policy_load -i 0 -s 65536 -e EDQUOT -p)
echo "$out"
expect_contains "$out" "processed 3 insns" "the verifier's text is kept"
expect_contains "$out" "bpfrt: load rejected by the runtime policy (error EDQUOT): worst-case estimate" "appended reason"
expect_contains "$out" "the limit for sched_cls programs of 1 ns (policy type_limits_ns)" "type limit in the reason"
# The reason's length (its line, without the newlines around it).
reason=$(echo "$out" | grep '^bpfrt: load rejected')
rlen=${#reason}
# Exactly enough room after the verifier's text (and its NUL): appended.
size=$((len + rlen + 2))
out=$(policy_load -i 0 -s $size -e EDQUOT -p -L)
echo "$out"
expect_contains "$out" "processed 3 insns" "exact fit: the verifier's text"
expect_contains "$out" "$reason" "exact fit: the whole reason"
expect_contains "$out" "log_len $((size - 1))" "exact fit: log length"
# Room for the reason but not after the text: it replaces the text's end.
size=$((rlen + 3 + len / 2))
out=$(policy_load -i 0 -s $size -e EDQUOT -p -L)
echo "$out"
expect_contains "$out" "$reason" "tail: the whole reason"
case "$out" in *"mark_read 0"*) fail "tail: the end of the verifier's text is still there" ;; esac
expect_contains "$out" "log_len $((size - 1))" "tail: log length"
# Less room than the reason: it is cut (but starts the log, NUL-terminated).
# The verifier needs more room while it works than its final text takes
# (and 6.1 refuses logs under 128 bytes): the smallest size it accepts.
size=$((len + 2))
[ "$size" -ge 128 ] || size=128
rc=1
while [ "$size" -lt $((rlen + 3)) ]; do
	rc=0
	out=$(policy_load -i 0 -s $size -e EDQUOT -p -L) || rc=$?
	[ "$rc" -ne 3 ] || fail "a log of $size bytes was written past its end or not terminated"
	[ "$rc" -ne 0 ] || break
	size=$((size + 16))
done
[ "$rc" -eq 0 ] || fail "no log size between what the verifier needs and the reason's length"
echo "$out"
echo "$out" | sed -n 2p | grep -q '^bpfrt: load rejected by the runtime policy' || fail "cut: the reason's start"
expect_contains "$out" "log_len $((size - 1))" "cut: log length"
expect_eq "$(pstat rejected)" "$((r0 + 4))" "one rejection per raw load"
# Without a log the load fails the same way.
policy_load -e EDQUOT
# A load the policy lets through gets the verifier's log only.
echo none >$P/type_limits_ns
out=$(policy_load -i 0 -s 65536 -p)
expect_contains "$out" "processed 3 insns" "log of a load let through"
case "$out" in *bpfrt:*) fail "a reason in the log of a load let through" ;; esac
