# Programs loaded before insmod are adopted and estimated (flagged:
# no verifier time, no offset maps, so not terminable); rmmod with
# programs loaded is clean and leaves them running.
bpf_load_run -k "$BPFRT_OBJS/bounded_loop.bpf.o"
bpf_load_run -k "$BPFRT_OBJS/subprog.bpf.o"
bpfrt_load_module
list=$(bpfrt prog list)
echo "$list"
# bounded_loop has no call to identify, so it stays (vacuously) terminable;
# subprog's calls cannot be located without the offset maps.
echo "$list" | grep -Eq 'name bounded_loop .*flags jited,terminable,adopted ' ||
	fail "bounded_loop not adopted"
echo "$list" | grep -Eq 'name subprog .*flags jited,adopted ' || fail "subprog not adopted"
s=$(prog_show_by_name bounded_loop)
expect_contains "$s" "64 iterations" "adopted program estimated"
[ "$(bpfrt_stat adopted)" -ge 2 ] || fail "adopted counter"

rmmod bpfrt
! grep -q bpfrt /sys/kernel/tracing/enabled_functions || fail "ftrace hooks left behind"
[ -e /sys/fs/bpf/bounded_loop ] || fail "pinned program gone"
# The module comes back and adopts them again.
bpfrt_load_module
bpfrt prog list | grep -q 'name subprog ' || fail "not adopted again"
