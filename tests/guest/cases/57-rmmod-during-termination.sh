# rmmod while a program is armed and being terminated: every patch is
# restored on the way out, the instance finishes, the kernel log is clean.
bpfrt_load_module
wd_on 20000000
bpfrt -j events >/tmp/events &
term_run "$BPFRT_OBJS/runaway.bpf.o" bounded_slow >/tmp/out &
seen() { grep -q '"type":"terminating"' /tmp/events; }
wait_until 60 seen || fail "no termination started"
# The reader holds /dev/bpfrt, hence the module, until it has exited:
# rmmod right after kill raced with its exit (EAGAIN) on a loaded host.
kill %1
wait %1 || true
rmmod bpfrt
wait %2 || fail "the instance did not finish"
cat /tmp/out
grep -q "retval 2 " /tmp/out || fail "bounded_slow result"
