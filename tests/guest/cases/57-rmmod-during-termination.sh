# rmmod while armed runaway instances run: every patch is restored on the
# way out, each instance returns, and rmmod returns without waiting for a
# runaway to end by itself (module/watchdog.c: bpfrt_wd_drain).
#
# 1. A termination in progress: the watchdog's 20 ms limit was crossed.
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

# 2. Before the limit: nested_loop (2^46 callbacks: it would run for days)
#    under a 60 s limit, armed at load (its estimate is over the limit).
#    Restoring its image and leaving it running would make rmmod wait for
#    it; the unload terminates it first. A hang here ends in the case
#    timeout.
bpfrt_load_module
wd_on 60000000000
rm -f /tmp/nl.id
term_run -i /tmp/nl.id "$BPFRT_OBJS/runaway.bpf.o" nested_loop >/tmp/out &
pid=$!
wait_until 60 test -s /tmp/nl.id || fail "nested_loop did not load"
id=$(cat /tmp/nl.id)
armed() { bpfrt -j prog show "$id" | grep -q '"term_armed":true'; }
armed || fail "nested_loop not armed at load"
suspected() {
	[ "$(sed -n 's/^suspects //p' /sys/kernel/bpfrt/watchdog/stats)" -ge 1 ]
}
wait_until 60 suspected || fail "the watchdog never saw nested_loop running"
rmmod bpfrt
ran() { grep -q "^prog " /tmp/out; }
wait_until 30 ran || fail "nested_loop still running after rmmod"
wait "$pid" || fail "term_run failed"
cat /tmp/out
grep -q "retval 2 " /tmp/out || fail "nested_loop did not return XDP_PASS"
