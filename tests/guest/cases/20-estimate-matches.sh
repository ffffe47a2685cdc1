# The module's estimate of every test program matches `bpfrt estimate` on
# the object it was loaded from, both with the built-in cost table: exactly
# where the kernel's final program is the object's program, in the expected
# direction where the verifier rewrote it (estimate-lib.sh,
# estimate_relation; README.md, "bpfrt estimate and the module's estimate").
# The real-world programs are compared in 21-realworld.sh.
. /guest/estimate-lib.sh
bpfrt_load_module
expect_eq "$(bpfrt -j estimate "$BPFRT_OBJS/straight_line.bpf.o" costs auto |
	sed -n 's/.*"costs":{"table":"\([a-z]*\)".*/\1/p')" module "auto uses the module's table"

# What our sources make the verifier do (tests/bpf/*.bpf.c): the two
# bpf_loop calls with a constant callback and flags 0 are inlined
# (verifier.c: optimize_bpf_loop); map_ops's array lookups are inlined and
# its division by a register gets a zero check; nothing else changes the
# cost.
expected_relation() {
	case "$1" in
	loop_const|loop_var) echo loop ;;
	map_ops) echo rewritten ;;
	straight_line|branchy|bounded_loop|loop_flags|each_array|each_hash|\
	subprog|tail_target|tail_caller) echo equal ;;
	*) echo "" ;;	# another engineer's program: whatever is observed
	esac
}

seen=0
for o in "$BPFRT_OBJS"/*.bpf.o; do
	n=$(basename "$o" .bpf.o)
	mkdir -p "/sys/fs/bpf/est/$n"
	bpf_load_time -k "/sys/fs/bpf/est/$n" "$o" >/tmp/loaded ||
		fail "$n does not load"
	while read -r _ prog _ id _; do
		estimate_compare "$o" "$prog" "$id" "$(expected_relation "$prog")"
		seen=$((seen + 1))
	done </tmp/loaded
done
[ "$seen" -ge 11 ] || fail "only $seen programs compared"
