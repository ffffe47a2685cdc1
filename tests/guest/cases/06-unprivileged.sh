# An unprivileged user gets EACCES from the device mode, and EPERM from the
# capability check even when the mode would let it in.
bpfrt_load_module
expect_eq "$(runas 65534 devopen /dev/bpfrt || true)" "EACCES" "open as nobody"
if runas 65534 bpfrt version 2>/tmp/err; then fail "bpfrt version worked as nobody"; fi
expect_contains "$(cat /tmp/err)" "permission denied" "CLI as nobody"
chmod 0666 /dev/bpfrt
expect_eq "$(runas 65534 devopen /dev/bpfrt || true)" "EPERM" "open as nobody, mode 0666"
chmod 0600 /dev/bpfrt
expect_eq "$(devopen /dev/bpfrt)" "ok" "open as root"
