# rmmod while a program is armed and being terminated: every patch is
# restored on the way out, the instance finishes, the kernel log is clean.
bpfrt_load_module
wd_on 20000000
bpfrt -j events >/tmp/events &
term_run "$BPFRT_OBJS/runaway.bpf.o" bounded_slow >/tmp/out &
seen() { grep -q '"type":"terminating"' /tmp/events; }
wait_until 60 seen || fail "no termination started"
kill %1
rmmod bpfrt
wait %2 || fail "the instance did not finish"
cat /tmp/out
grep -q "retval 2 " /tmp/out || fail "bounded_slow result"
