# 8 loaders loading 50 programs each at the same time: all 400 are
# recorded, and all are dropped once they are freed.
bpfrt_load_module
base=$(bpfrt_stat recorded)
captured=$(bpfrt_stat captured)
i=0
while [ $i -lt 8 ]; do
	bpf_load_many "$BPFRT_OBJS/straight_line.bpf.o" 50 /tmp/go >/tmp/ids.$i &
	i=$((i + 1))
done
all_loaded() { [ "$(cat /tmp/ids.* | wc -l)" -eq 400 ]; }
wait_until 300 all_loaded || fail "loaders did not finish: $(cat /tmp/ids.* | wc -l) ids"
# libbpf also loads feature probes, so at least 400 more.
[ "$(bpfrt_stat captured)" -ge "$((captured + 400))" ] || fail "captured count"
[ "$(bpfrt_stat recorded)" -ge "$((base + 400))" ] || fail "recorded count"
bpfrt_ids >/tmp/listed
missing=0
for id in $(cat /tmp/ids.*); do
	grep -qx "$id" /tmp/listed || missing=$((missing + 1))
done
expect_eq "$missing" 0 "loaded programs missing from the list"

touch /tmp/go
wait
back_to_base() { [ "$(bpfrt_stat recorded)" -eq "$base" ]; }
wait_until 120 back_to_base || fail "records left: $(bpfrt_stat recorded), expected $base"
bpfrt_ids >/tmp/listed
for id in $(cat /tmp/ids.*); do
	! grep -qx "$id" /tmp/listed || fail "freed program $id still listed"
done
