#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for guest cases. A case is a shell script run with `sh -e`:
# any failing command fails the case; `fail MESSAGE` fails it explicitly.

BPFRT_KO=/guest/bpfrt.ko
BPFRT_OBJS=/guest/bpf
# Keep in sync with tests/guest/run.sh (host side).
BPFRT_KERNEL_BAD_PATTERN='WARNING:|BUG:|Oops|Kernel panic|Call Trace:|general protection|UBSAN:|KASAN:|possible (circular|recursive) locking|lockdep|RCU stall|soft lockup|hung_task'

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "$3: '$2' not found in: $1" ;;
	esac
}

bpfrt_module_loaded() {
	grep -q '^bpfrt ' /proc/modules
}

bpfrt_load_module() {
	insmod "$BPFRT_KO" "$@"
}

# Slab usage in KiB, to compare before and after repeated work.
slab_kib() {
	sed -n 's/^Slab: *\([0-9]*\) kB/\1/p' /proc/meminfo
}

# A bpfrt stats counter (/sys/kernel/bpfrt/stats).
bpfrt_stat() {
	sed -n "s/^$1 //p" /sys/kernel/bpfrt/stats
}

# Ids the module lists, one per line.
bpfrt_ids() {
	bpfrt prog list | sed -n 's/^\([0-9]*\):.*/\1/p'
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s.
wait_until() {
	_t=$(($1 * 10))
	shift
	while ! "$@"; do
		_t=$((_t - 1))
		[ "$_t" -gt 0 ] || return 1
		sleep 0.1
	done
}

# The text of `bpfrt prog show` for the program named NAME.
prog_show_by_name() {
	_id=$(bpfrt prog list | sed -n "s/^\([0-9]*\): .* name $1 .*/\1/p" | head -n 1)
	[ -n "$_id" ] || fail "program $1 not recorded"
	bpfrt prog show "$_id"
}
