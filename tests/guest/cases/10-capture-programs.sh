# Every test program is recorded when it loads, with an estimate whose
# shape matches the program: loops bounded, loop helpers counted, flags
# where the bound depends on something unknown, exact JIT call sites.
bpfrt_load_module
for o in "$BPFRT_OBJS"/*.bpf.o; do
	# The watchdog's runaway programs would run for hours: not here.
	case "$o" in */runaway.bpf.o) continue ;; esac
	bpf_load_run -k "$o"
done
list=$(bpfrt prog list)
echo "$list"
for n in straight_line branchy bounded_loop loop_const loop_var loop_flags \
	 each_array each_hash subprog tail_target tail_caller; do
	expect_contains "$list" " name $n " "program $n recorded"
done
# All JIT-compiled, and every call site matched the JIT's offset map.
[ "$(echo "$list" | grep -c 'flags jited,terminable ')" -ge 11 ] ||
	fail "not every program is jited and terminable"

s=$(prog_show_by_name bounded_loop)
expect_contains "$s" "64 iterations" "bounded loop trip count"

s=$(prog_show_by_name branchy)
echo "$s" | grep -q 'best .* insns 7 ' || fail "branchy: best path is the early drop"

# Inlined bpf_loop (constant count, flags 0): a BPF loop of 1000 callbacks,
# no helper call left, no cap.
s=$(prog_show_by_name loop_const)
case "$s" in *loop_capped*) fail "loop_const: count is constant, must not be capped" ;; esac
case "$s" in *"helper   bpf_loop"*) fail "loop_const: bpf_loop should be inlined" ;; esac
echo "$s" | grep -Eq 'func 1, run 100[01] times' || fail "loop_const: callback count"

# A count the verifier cannot know: capped at 2^23 and flagged.
s=$(prog_show_by_name loop_var)
expect_contains "$s" "loop_capped" "loop_var flag"
echo "$s" | grep -Eq 'run 838860[89] times' || fail "loop_var: 2^23 cap"

# Non-constant flags keep the real helper call, identified by address.
s=$(prog_show_by_name loop_flags)
echo "$s" | grep -Eq 'helper +bpf_loop +bpf_loop' || fail "loop_flags: bpf_loop call site"
expect_contains "$s" "run 500 times" "loop_flags: 500 callbacks"

# for_each: array walks max_entries, hash one callback per element.
s=$(prog_show_by_name each_array)
expect_contains "$s" "run 256 times" "each_array: 256 callbacks"
s=$(prog_show_by_name each_hash)
expect_contains "$s" "run 1000 times" "each_hash: 1000 callbacks"
echo "$s" | grep -Eq 'map_op +update hash +htab_map_update_elem' ||
	fail "each_hash: map update call site"

# Three functions, four call sites (mix twice, stamp, the helper in stamp).
s=$(prog_show_by_name subprog)
expect_contains "$s" "funcs 3" "subprog functions"
expect_contains "$s" "call sites: 4" "subprog call sites"
echo "$s" | grep -Eq '^[[:space:]]+2[[:space:]]+1[[:space:]]+0x[0-9a-f]+[[:space:]]+helper[[:space:]]+bpf_ktime_get_ns' ||
	fail "subprog: helper call site in func 2"

s=$(prog_show_by_name tail_caller)
expect_contains "$s" "tail_call" "tail call flagged"

# Verifier statistics were captured on the load path.
s=$(prog_show_by_name straight_line)
echo "$s" | grep -Eq 'verified_insns [1-9][0-9]* +verify_time [0-9.]+ [mun]?s' ||
	fail "straight_line: verifier statistics"
