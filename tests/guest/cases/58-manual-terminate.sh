# bpfrt prog terminate / restore: program-wide, byte-exact restore;
# a program whose call sites are unknown is refused.
bpfrt_load_module
rm -f /tmp/go /tmp/end /tmp/id
term_run -i /tmp/id -w /tmp/go -e /tmp/end "$BPFRT_OBJS/runaway.bpf.o" nested_loop >/tmp/out &
wait_until 60 test -s /tmp/id || fail "not loaded"
id=$(cat /tmp/id)
crc=$(prog_json_field "$id" image_crc32)
out=$(bpfrt prog terminate "$id")
echo "$out"
expect_contains "$out" "terminated on every CPU" "terminate output"
bpfrt -j prog show "$id" | grep -q '"term_all_cpus":true' || fail "not program-wide"
# Started after the termination: finishes at once.
touch /tmp/go
done_run() { grep -q "^prog " /tmp/out; }
wait_until 60 done_run || fail "terminated program still running"
bpfrt prog restore "$id"
expect_eq "$(prog_json_field "$id" image_crc32)" "$crc" "image after restore"
touch /tmp/end
wait
# Adopted program with calls: call sites unknown.
bpf_load_run -k "$BPFRT_OBJS/subprog.bpf.o"
rmmod bpfrt
bpfrt_load_module
sid=$(bpfrt prog list | sed -n 's/^\([0-9]*\): .* name subprog .*/\1/p')
if bpfrt prog terminate "$sid" 2>/tmp/err; then fail "terminated an unterminable program"; fi
expect_contains "$(cat /tmp/err)" "cannot be terminated" "refusal message"
