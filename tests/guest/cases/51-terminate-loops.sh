# Runaway bpf_loop nested twice (2^46 callbacks): terminated in instance
# mode, returns its normal value, and is restored byte for byte. Both the
# real helper (kernel-called callbacks: entry made to return 1) and the
# verifier's inlined form (the callback call site returns 1).
bpfrt_load_module
wd_on 20000000
bpfrt -j events >/tmp/events &
run_terminated "$BPFRT_OBJS/runaway.bpf.o" nested_loop
run_terminated "$BPFRT_OBJS/runaway.bpf.o" nested_inlined
sleep 0.5
kill %1
for t in runtime_exceeded terminating terminated; do
	grep -q "\"type\":\"$t\".*\"name\":\"nested_loop\"" /tmp/events ||
		fail "no $t event for nested_loop"
done
