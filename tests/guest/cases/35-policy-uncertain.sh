# Uncertain estimates (here: a bpf_loop count capped at 2^23, loop_capped):
# judged by their value (estimate), always over (over), never over (under).
bpfrt_load_module
P=/sys/kernel/bpfrt/policy
echo 10000000 >$P/limit_ns	# 10 ms
echo reject >$P/action

# estimate: the capped value (seconds) is over 10 ms.
if bpf_load_run "$BPFRT_OBJS/policy_capped.bpf.o" 2>/tmp/err; then
	fail "capped estimate over the limit loaded (uncertain=estimate)"
fi
expect_contains "$(cat /tmp/err)" "; the estimate is uncertain (loop_capped)" "uncertainty in the reason"

# under: uncertain estimates are let through, certain ones still judged.
echo under >$P/uncertain
bpf_load_run -r 2 "$BPFRT_OBJS/policy_capped.bpf.o"
if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/dev/null; then
	fail "a certain estimate over the limit loaded (uncertain=under)"
fi

# over: with a limit far above every value, only the uncertain one is over.
echo over >$P/uncertain
echo 1000000000000 >$P/limit_ns	# 1000 s
if bpf_load_run "$BPFRT_OBJS/policy_capped.bpf.o" 2>/tmp/err; then
	fail "uncertain estimate loaded (uncertain=over)"
fi
expect_contains "$(cat /tmp/err)" "is within the limit of 1000 s (1000000000000 ns, policy limit_ns) but uncertain (loop_capped), and uncertain estimates count as over the limit (policy uncertain=over)" "reason for uncertain=over"
bpf_load_run -r 2 "$BPFRT_OBJS/policy_heavy.bpf.o"
# default_cost (built-in costs) does not make an estimate uncertain
bpf_load_run -r 2 "$BPFRT_OBJS/straight_line.bpf.o"

echo estimate >$P/uncertain
bpf_load_run -r 2 "$BPFRT_OBJS/policy_capped.bpf.o"
