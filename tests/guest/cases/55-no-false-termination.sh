# A short program run back to back for seconds is never taken for one
# long instance: no event, no termination, nothing armed.
bpfrt_load_module
wd_on 1000000
bpfrt -j events >/tmp/events &
out=$(term_run -n 3000000 "$BPFRT_OBJS/straight_line.bpf.o" straight_line)
echo "$out"
kill %1
if grep -Eq '"type":"(runtime_exceeded|terminating|terminated)"' /tmp/events; then
	cat /tmp/events
	fail "a back-to-back short program was flagged"
fi
