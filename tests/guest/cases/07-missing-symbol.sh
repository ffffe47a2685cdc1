# A required kernel symbol that does not resolve refuses the load and the
# kernel log names it.
if bpfrt_load_module require_symbol=bpfrt_no_such_symbol; then
	fail "insmod succeeded with an unresolvable required symbol"
fi
! bpfrt_module_loaded || fail "module loaded anyway"
dmesg | grep -q "required kernel symbol 'bpfrt_no_such_symbol' not found" ||
	fail "the kernel log does not name the missing symbol"
[ ! -e /sys/kernel/bpfrt ] || fail "sysfs left behind by the failed load"
