# A runaway program we did not write: the kernel's own selftest
# bpf_loop_bench (tools/testing/selftests/bpf/progs/bpf_loop_bench.c,
# compiled from linux-source-6.1 by realworld.sh), an fentry program on
# getpgid(2) that runs bpf_loop(1000, ...) around bpf_loop(nr_loops, ...).
# With nr_loops = 2^23 one getpgid() makes 8.4e9 callback calls: minutes
# under TCG, as its estimate says. Attached for real and triggered by the
# syscall, not by BPF_PROG_TEST_RUN: the watchdog finds it under the fentry
# trampoline in the task's syscall and terminates that instance.
bpfrt_load_module
wd_on 20000000
bpfrt -j events >/tmp/events &
obj=$BPFRT_OBJS/realworld/bpf_loop_bench.bpf.o
rm -f /tmp/id /tmp/end
attach_getpgid -g nr_loops=8388608 -i /tmp/id -e /tmp/end "$obj" benchmark \
	>/tmp/out &
pid=$!
returned() { grep -q "^prog " /tmp/out; }
wait_until 120 returned || fail "getpgid() did not return"
cat /tmp/out
id=$(cat /tmp/id)
bpfrt prog show "$id"
worst=$(prog_json_field "$id" worst_ns)
# at least 10 s: 11 digits (an unbounded estimate is 2^64 - 1, beyond the
# shell's arithmetic)
[ "${#worst}" -ge 11 ] || fail "worst estimate '$worst' ns: not a runaway"
ns=$(sed -n 's/.* duration_ns \([0-9]*\)$/\1/p' /tmp/out)
[ -n "$ns" ] || fail "no duration"
# Left alone it runs for minutes; terminated, the call returns within
# seconds even on a loaded host.
[ "$ns" -lt 10000000000 ] || fail "getpgid() took $ns ns: not terminated"
touch /tmp/end
wait "$pid" || fail "attach_getpgid failed"
sleep 0.5
kill %1
wait %1 || true
for t in runtime_exceeded terminating terminated; do
	grep -q "\"type\":\"$t\".*\"name\":\"benchmark\"" /tmp/events ||
		fail "no $t event for benchmark"
done
