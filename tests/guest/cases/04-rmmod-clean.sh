# rmmod leaves nothing behind: no module, device, sysfs directory, symbols
# or kprobes of ours.
bpfrt_load_module
bpfrt version >/dev/null
rmmod bpfrt
! bpfrt_module_loaded || fail "still in /proc/modules"
[ ! -e /dev/bpfrt ] || fail "/dev/bpfrt still exists"
[ ! -e /sys/kernel/bpfrt ] || fail "/sys/kernel/bpfrt still exists"
[ ! -e /sys/module/bpfrt ] || fail "/sys/module/bpfrt still exists"
! grep -q '\[bpfrt\]' /proc/kallsyms || fail "bpfrt symbols still in kallsyms"
if [ -r /sys/kernel/debug/kprobes/list ]; then
	! grep -q bpfrt /sys/kernel/debug/kprobes/list || fail "kprobes left registered"
fi
dmesg | grep -q 'bpfrt: unloaded' || fail "no unload message"
# Without the module, the CLI says how to load it.
if bpfrt version 2>/tmp/err; then fail "bpfrt version succeeded without the module"; fi
expect_contains "$(cat /tmp/err)" "modprobe bpfrt" "hint without module"
