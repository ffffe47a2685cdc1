# Per-program-type limits: a type's own limit replaces limit_ns for that
# type only, and 0 lifts the limit for it.
bpfrt_load_module
P=/sys/kernel/bpfrt/policy
echo reject >$P/action

# No global limit; XDP programs may not take more than 1 ns.
echo xdp:1 >$P/type_limits_ns
if bpf_load_run "$BPFRT_OBJS/straight_line.bpf.o" 2>/tmp/err; then
	fail "xdp program over its type's limit loaded"
fi
expect_contains "$(cat /tmp/err)" "exceeds the limit for xdp programs of 1 ns (policy type_limits_ns)" "reason names the type limit"
bpf_load_run -r 0 "$BPFRT_OBJS/policy_tc.bpf.o"

# The other way round.
echo sched_cls:1 >$P/type_limits_ns
if bpf_load_run "$BPFRT_OBJS/policy_tc.bpf.o" 2>/tmp/err; then
	fail "sched_cls program over its type's limit loaded"
fi
expect_contains "$(cat /tmp/err)" "the limit for sched_cls programs of 1 ns" "reason names sched_cls"
bpf_load_run -r 2 "$BPFRT_OBJS/straight_line.bpf.o"

# A global limit with a type lifted out of it (0) and another tightened.
echo 10000000 >$P/limit_ns
echo xdp:0,sched_cls:1 >$P/type_limits_ns
bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o"
if bpf_load_run "$BPFRT_OBJS/policy_tc.bpf.o" 2>/dev/null; then fail "sched_cls loaded"; fi
echo none >$P/type_limits_ns
if bpf_load_run "$BPFRT_OBJS/policy_heavy.bpf.o" 2>/tmp/err; then
	fail "xdp program over the global limit loaded once its type limit was gone"
fi
expect_contains "$(cat /tmp/err)" "(10000000 ns, policy limit_ns)" "global limit again"
bpf_load_run -r 0 "$BPFRT_OBJS/policy_tc.bpf.o"

# The same through the CLI.
bpfrt policy set limit off type sched_cls 1ns
if bpf_load_run "$BPFRT_OBJS/policy_tc.bpf.o" 2>/dev/null; then fail "CLI type limit ignored"; fi
bpfrt policy set type sched_cls default
bpf_load_run -r 0 "$BPFRT_OBJS/policy_tc.bpf.o"
