# Every validation rule of the version ioctl, and -ENOTTY for unknown
# commands (see tests/guest/progs/ioctl_abi.c for the list).
bpfrt_load_module
ioctl_abi
