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
