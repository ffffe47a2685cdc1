# Runaway instances on both vCPUs at once are both terminated.
bpfrt_load_module
wd_on 20000000
term_run -c 0 "$BPFRT_OBJS/runaway.bpf.o" nested_loop >/tmp/c0 &
term_run -c 1 "$BPFRT_OBJS/runaway.bpf.o" nested_loop >/tmp/c1 &
wait %1 || fail "cpu 0 run failed"
wait %2 || fail "cpu 1 run failed"
cat /tmp/c0 /tmp/c1
grep -q "retval 2 " /tmp/c0 || fail "cpu 0 instance"
grep -q "retval 2 " /tmp/c1 || fail "cpu 1 instance"
