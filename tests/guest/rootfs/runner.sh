#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs every guest case in order and reports one line per case on ttyS1:
#   RESULT <name> PASS|FAIL <seconds>
# then the kernel log verdict and END. Each case starts with the module
# unloaded; cases from the user's extra directory run with it loaded.
. /guest/lib.sh

results=/dev/ttyS1
case_timeout=$(sed -n 's/.*bpfrt_test.case_timeout=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$case_timeout" ] || case_timeout=300

report() {
	echo "$1" >"$results"
	echo "bpfrt-runner: $1"
}

# $1 = name, $2 = script, $3 = "loaded" to insmod before the case
run_case() {
	name=$1
	script=$2
	start=$(date +%s)
	echo "=== CASE $name ==="
	if [ "$3" = loaded ] && ! bpfrt_load_module; then
		status=1
	else
		# Every command the case runs is echoed (set -x) with a prefix,
		# so a failure log reads like a story.
		PS4="+ [$name] " timeout "$case_timeout" \
			sh -e -c ". /guest/lib.sh; set -x; . '$script'"
		status=$?
	fi
	# The next case starts clean: no processes it left behind, no pinned
	# programs, module unloaded.
	killall -q bpfrt term_run bpf_load_many bpf_load_run 2>/dev/null
	sleep 0.2
	rm -rf /sys/fs/bpf/*
	bpfrt_module_loaded && rmmod bpfrt
	end=$(date +%s)
	if [ "$status" -eq 0 ]; then
		report "RESULT $name PASS $((end - start))"
	else
		echo "=== CASE $name FAILED (exit $status) ==="
		report "RESULT $name FAIL $((end - start))"
	fi
}

# $1: the directory of cases (/guest/cases, or /guest/cases-icount in the
# boot that counts instructions); the user's extra cases run in the first.
cases=${1:-/guest/cases}

report "BEGIN $(uname -r)"
for script in "$cases"/*.sh; do
	[ -e "$script" ] || continue
	name=$(basename "$script" .sh)
	run_case "$name" "$script" unloaded
done
if [ "$cases" = /guest/cases ]; then
	for script in /extra/*.sh; do
		[ -e "$script" ] || continue
		name=extra/$(basename "$script" .sh)
		run_case "$name" "$script" loaded
	done
fi

# A warning that did not panic (it would have: panic_on_warn=1) or any
# other trace in the kernel log fails the run; the host checks the console
# too, this catches what was printed below the console loglevel.
if dmesg | grep -E -q "$BPFRT_KERNEL_BAD_PATTERN"; then
	dmesg | grep -E "$BPFRT_KERNEL_BAD_PATTERN" | head -20
	report "KERNEL_LOG BAD"
else
	report "KERNEL_LOG CLEAN"
fi
report "END"
