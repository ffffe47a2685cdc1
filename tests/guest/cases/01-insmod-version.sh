# insmod succeeds; /dev/bpfrt and /sys/kernel/bpfrt/version exist; the CLI
# run in the guest reports the module's version and this kernel.
bpfrt_load_module
bpfrt_module_loaded || fail "bpfrt not in /proc/modules after insmod"
dmesg | grep -q 'bpfrt: version 0.1.0 loaded' || fail "no load message"

# misc device, mode 0600, owned by root
expect_eq "$(stat -c '%F %a %u' /dev/bpfrt)" "character special file 600 0" "/dev/bpfrt"
expect_eq "$(cat /sys/kernel/bpfrt/version)" "0.1.0 abi 1" "sysfs version"

out=$(bpfrt version)
echo "$out"
expect_contains "$out" "module: v0.1.0 (ABI 1) on kernel $(uname -r)" "bpfrt version"
# every bit the module sets has a name (no "unknown(...)"): the whole line
expect_eq "$(echo "$out" | sed -n 's/^ *features: //p')" \
	"version, capture, events, costs, costs_set, watchdog" "bpfrt version features"

json=$(bpfrt -j version)
echo "$json"
expect_contains "$json" "\"kernel_release\":\"$(uname -r)\"" "bpfrt -j version"
expect_contains "$json" '"module":{"version":"0.1.0","abi_version":1' "bpfrt -j version"
