# A program that is freed leaves no record, and the event stream says it
# was estimated, then freed, under its id (JSON lines from bpfrt events).
bpfrt_load_module
bpfrt -j events >/tmp/events &
evpid=$!
sleep 0.5
out=$(bpf_load_run "$BPFRT_OBJS/branchy.bpf.o")
id=$(echo "$out" | sed -n 's/.* id \([0-9]*\) .*/\1/p')
[ -n "$id" ] || fail "no id from bpf_load_run"
freed_seen() { grep -q "\"type\":\"prog_freed\".*\"id\":$id," /tmp/events; }
wait_until 60 freed_seen || fail "no freed event for $id"
kill $evpid
mine=$(grep "\"id\":$id," /tmp/events)
echo "$mine"
expect_eq "$(echo "$mine" | wc -l)" 2 "events of program $id"
echo "$mine" | sed -n 1p | grep -q '"type":"prog_estimated".*"name":"branchy"' ||
	fail "first event is not the estimate"
echo "$mine" | sed -n 2p | grep -q '"type":"prog_freed"' || fail "second event is not the free"
if bpfrt prog show "$id" 2>/tmp/err; then fail "freed program $id still recorded"; fi
expect_contains "$(cat /tmp/err)" "no program with id $id" "error for a freed id"

# The module's own memory accounting follows: a record of branchy holds
# some bytes while the program lives, and exactly as many go when it is
# freed (/sys/kernel/bpfrt/stats, record_bytes).
bytes() { sed -n 's/^record_bytes //p' /sys/kernel/bpfrt/stats; }
b0=$(bytes)
rm -f /sys/fs/bpf/branchy
bpf_load_run -k "$BPFRT_OBJS/branchy.bpf.o" >/dev/null
b1=$(bytes)
[ "$b1" -gt "$b0" ] || fail "record_bytes did not grow ($b0 -> $b1)"
# A record is a few KiB at most for a small program (issue: "a few KiB").
[ $((b1 - b0)) -le 8192 ] || fail "one branchy record holds $((b1 - b0)) bytes"
rm -f /sys/fs/bpf/branchy
back() { [ "$(bytes)" = "$b0" ]; }
wait_until 60 back || fail "record_bytes $(bytes) after the free, $b0 before"
echo "one branchy record: $((b1 - b0)) bytes"
