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

# Watchdog set-up: wd_on LIMIT_NS [ACTION] [MODE]
wd_on() {
	echo "$1" >/sys/kernel/bpfrt/watchdog/limit_ns
	echo "${2:-terminate}" >/sys/kernel/bpfrt/watchdog/action
	echo "${3:-instance}" >/sys/kernel/bpfrt/watchdog/mode
	echo 1000 >/sys/kernel/bpfrt/watchdog/period_us
	echo 1 >/sys/kernel/bpfrt/watchdog/enabled
}

# A numeric field of `bpfrt -j prog show ID`.
prog_json_field() {
	bpfrt -j prog show "$1" | sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p"
}

# run_terminated OBJ PROG [term_run options...]: runs a runaway program
# under the watchdog and checks it was terminated, returned its normal
# value, and that its images are byte-identical once restored.
run_terminated() {
	_obj=$1 _prog=$2
	shift 2
	rm -f /tmp/tr.id /tmp/tr.go /tmp/tr.end
	term_run -i /tmp/tr.id -w /tmp/tr.go -e /tmp/tr.end "$@" "$_obj" "$_prog" \
		>/tmp/tr.out &
	_pid=$!
	wait_until 60 test -s /tmp/tr.id || fail "$_prog did not load"
	_id=$(cat /tmp/tr.id)
	# Its estimate exceeds the limit, so it was armed at load: restore it
	# to take the JIT's own bytes as the reference; the watchdog arms it
	# again while it runs.
	bpfrt prog restore "$_id" >/dev/null
	_crc=$(prog_json_field "$_id" image_crc32)
	[ -n "$_crc" ] && [ "$_crc" != 0 ] || fail "$_prog: no image crc"
	touch /tmp/tr.go
	_ran() { grep -q "^prog " /tmp/tr.out; }
	wait_until 120 _ran || fail "$_prog: did not return"
	cat /tmp/tr.out
	grep -q "retval 2 " /tmp/tr.out || fail "$_prog: did not return XDP_PASS"
	[ "$(prog_json_field "$_id" term_completed)" -ge 1 ] ||
		fail "$_prog: no completed termination recorded"
	# Armed at load (its estimate exceeds the limit): restored on request,
	# byte for byte.
	bpfrt prog restore "$_id"
	_unarmed() { bpfrt -j prog show "$_id" | grep -q '"term_armed":false'; }
	wait_until 30 _unarmed || fail "$_prog: still armed"
	expect_eq "$(prog_json_field "$_id" image_crc32)" "$_crc" "$_prog image after restore"
	touch /tmp/tr.end
	wait $_pid || fail "$_prog: term_run failed: $(cat /tmp/tr.out)"
}
