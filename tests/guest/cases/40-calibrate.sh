# bpfrt calibrate --quick measures this guest, writes a cost table file and
# uploads it: the module says it uses the uploaded table, the file and the
# module's table show the same values, the file lists the helpers it could
# not measure with the reason, and a table saved from the module loads back.
bpfrt_load_module
expect_eq "$(cat /sys/kernel/bpfrt/costs_source)" "builtin" "source before"
expect_eq "$(cat /sys/kernel/bpfrt/costs_generation)" "0" "generation before"

bpfrt calibrate --quick --upload -o /tmp/c.json 2>/tmp/cal.err
cat /tmp/cal.err
err=$(cat /tmp/cal.err)
expect_contains "$err" "calibrate: [1/3] instructions" "progress: instructions"
expect_contains "$err" "calibrate: [2/3] helpers" "progress: helpers"
expect_contains "$err" "calibrate: [3/3] map operations" "progress: maps"
expect_contains "$err" "calibrate: uploaded:" "uploaded"

# What was measured: most instruction classes, helpers and map operations.
sum=$(grep '^calibrate: [0-9.]* s:' /tmp/cal.err)
ins=$(echo "$sum" | sed -n 's/.* s: \([0-9]*\) of [0-9]* instruction classes.*/\1/p')
hm=$(echo "$sum" | sed -n 's/.*, \([0-9]*\) helpers measured.*/\1/p')
hn=$(echo "$sum" | sed -n 's/.*helpers measured, \([0-9]*\) not.*/\1/p')
mo=$(echo "$sum" | sed -n 's/.*, \([0-9]*\) map operations.*/\1/p')
[ "$ins" -ge 20 ] || fail "only $ins instruction classes measured"
[ "$hm" -ge 40 ] || fail "only $hm helpers measured"
[ "$hn" -ge 1 ] || fail "no helper listed as not measured"
[ "$mo" -ge 20 ] || fail "only $mo map operations measured"

expect_eq "$(cat /sys/kernel/bpfrt/costs_source)" "uploaded" "source after"
expect_eq "$(cat /sys/kernel/bpfrt/costs_generation)" "1" "generation after"
desc=$(sed -n 's/.*"description": *"\([^"]*\)".*/\1/p' /tmp/c.json | head -n 1)
expect_contains "$desc" "calibrated" "description in the file"
expect_eq "$(cat /sys/kernel/bpfrt/costs_description)" "$desc" "description in sysfs"

show=$(bpfrt costs show)
echo "$show" | head -n 40
expect_contains "$show" "costs: module, uploaded table (generation 1): $desc" "costs show header"
expect_contains "$show" "alu64" "costs show lists instruction classes"

file=$(bpfrt costs show /tmp/c.json)
expect_contains "$file" "measured: " "the file records where it was measured"
expect_contains "$file" "$(uname -r)" "the file records the kernel"
expect_contains "$file" "helpers not measured:" "unmeasured helpers listed"
echo "$file" | grep -Eq '^ +36 bpf_probe_write_user +writes user memory' ||
	fail "bpf_probe_write_user listed with its reason"

# The module holds the file's values: the instruction classes agree.
insns() {
	tr -d '\n ' | sed -n 's/.*"insns":\(.*\),"helpers":.*/\1/p' |
		grep -o '"[a-z_0-9]*":{"best_ps":[0-9]*,"typical_ps":[0-9]*,"worst_ps":[0-9]*,"measured":[a-z]*'
}
mod=$(bpfrt -j costs show | insns)
fil=$(bpfrt -j costs show /tmp/c.json | insns)
[ "$(echo "$mod" | wc -l)" -ge 29 ] || fail "instruction classes missing in the module's JSON"
expect_eq "$mod" "$fil" "module and file instruction classes"

# save, then load what was saved: same values, next generation.
bpfrt costs save /tmp/saved.json
out=$(bpfrt costs load /tmp/saved.json)
expect_contains "$out" "programs estimated again" "load output"
expect_eq "$(cat /sys/kernel/bpfrt/costs_generation)" "2" "generation after load"
again=$(bpfrt -j costs show | insns)
saved=$(bpfrt -j costs show /tmp/saved.json | insns)
expect_eq "$again" "$saved" "saved table loads back unchanged"
