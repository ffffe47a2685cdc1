# A new table re-estimates every recorded program: with every instruction
# class at exactly 1 ns, a program without calls costs 1 ns per instruction
# on its worst path; programs loaded afterwards use the new table too; and
# `bpfrt costs reset` brings back the built-in estimates exactly.
bpfrt_load_module
bpf_load_run -k "$BPFRT_OBJS/straight_line.bpf.o"
bpf_load_run -k "$BPFRT_OBJS/bounded_loop.bpf.o"

# worst_ps and worst_insns of the program named $1 (the first one)
field() {
	_id=$(bpfrt prog list | sed -n "s/^\([0-9]*\): .* name $1 .*/\1/p" | head -n 1)
	[ -n "$_id" ] || fail "program $1 not recorded"
	bpfrt -j prog show "$_id" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}
w0=$(field straight_line worst_ps)
b0=$(field bounded_loop worst_ps)
[ -n "$w0" ] && [ -n "$b0" ] || fail "no estimates"

# every instruction class 1 ns, measured: the rest stays built-in
{
	echo '{ "format": "bpfrt-costs", "format_version": 1,'
	echo '  "cost_model_version": 1, "description": "flat 1 ns", "insns": {'
	sep=
	for c in alu32 alu64 mul div endian ldx_b ldx_h ldx_w ldx_dw st_b st_h \
		 st_w st_dw atomic atomic_fetch ld_imm64 ld_abs jmp_taken \
		 jmp_not_taken ja call_func exit callback tail_call kfunc \
		 unknown_call helper_default map_op_default nospec; do
		printf '%s"%s": { "best_ps": 1000, "typical_ps": 1000, "worst_ps": 1000, "measured": true }\n' "$sep" "$c"
		sep=,
	done
	echo '} }'
} >/tmp/flat.json
out=$(bpfrt costs load /tmp/flat.json)
echo "$out"
n=$(echo "$out" | sed -n 's/.*: \([0-9]*\) programs estimated again.*/\1/p')
[ "$n" -ge 2 ] || fail "only '$n' programs estimated again"
expect_eq "$(cat /sys/kernel/bpfrt/costs_description)" "flat 1 ns" "description"

w1=$(field straight_line worst_ps)
i1=$(field straight_line worst_insns)
expect_eq "$w1" "$((i1 * 1000))" "straight_line: 1 ns per instruction"
b1=$(field bounded_loop worst_ps)
bi=$(field bounded_loop worst_insns)
expect_eq "$b1" "$((bi * 1000))" "bounded_loop: 1 ns per instruction"
[ "$w1" != "$w0" ] || fail "straight_line's estimate did not change"
s=$(bpfrt prog list | grep ' name straight_line ')
case "$s" in *default_cost*) fail "measured table still flagged default_cost: $s" ;; esac

# A program loaded now is estimated with the new table.
bpf_load_run -k "$BPFRT_OBJS/branchy.bpf.o"
w=$(field branchy worst_ps)
i=$(field branchy worst_insns)
expect_eq "$w" "$((i * 1000))" "branchy, loaded after the upload"

out=$(bpfrt costs reset)
expect_contains "$out" "built-in" "reset output"
expect_eq "$(cat /sys/kernel/bpfrt/costs_source)" "builtin" "source after reset"
expect_eq "$(cat /sys/kernel/bpfrt/costs_generation)" "2" "generation after reset"
expect_eq "$(field straight_line worst_ps)" "$w0" "straight_line back to built-in"
expect_eq "$(field bounded_loop worst_ps)" "$b0" "bounded_loop back to built-in"
