# 200 runaway instances in a row (one test run, repeat 200), each
# terminated; slab usage is where it was once the program is gone.
bpfrt_load_module
wd_on 2000000
before=$(slab_kib)
rm -f /tmp/go /tmp/end /tmp/id
term_run -n 200 -i /tmp/id -e /tmp/end "$BPFRT_OBJS/runaway.bpf.o" nested_loop >/tmp/out &
done_run() { grep -q "^prog " /tmp/out; }
if ! wait_until 300 done_run; then
	cat /sys/kernel/bpfrt/watchdog/stats
	bpfrt prog show "$(cat /tmp/id)" | grep termination
	fail "200 instances did not finish"
fi
cat /tmp/out
id=$(cat /tmp/id)
n=$(prog_json_field "$id" term_completed)
echo "completed terminations: $n"
[ "$n" -ge 200 ] || fail "only $n terminations completed"
touch /tmp/end
wait
echo 0 >/sys/kernel/bpfrt/watchdog/enabled
sleep 1
after=$(slab_kib)
echo "slab before ${before} KiB, after ${after} KiB"
[ $((after - before)) -lt 1024 ] || fail "slab grew by $((after - before)) KiB"
