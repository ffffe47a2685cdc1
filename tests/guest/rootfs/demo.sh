#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run as the guest's whole job; everything it prints goes to the
# host: the module loaded with modprobe, estimates of sample programs as
# they load, and a runaway program stopped by the watchdog.
. /guest/lib.sh

say() { echo; echo "### $*"; }
show() { echo "\$ $*"; "$@"; }

say "bpfrt demo on $(uname -r)"
show modprobe bpfrt || { echo "modprobe failed"; exit 1; }
show bpfrt version

say "sample programs are estimated when they load"
for o in straight_line branchy bounded_loop loop_helper for_each subprog; do
	bpf_load_run -k "$BPFRT_OBJS/$o.bpf.o" >/dev/null
done
show bpfrt prog list
id=$(bpfrt prog list | sed -n 's/^\([0-9]*\): .* name each_hash .*/\1/p')
show bpfrt prog show "$id"

say "the same estimate offline, from the object file"
show bpfrt estimate "$BPFRT_OBJS/loop_helper.bpf.o" loop_var

say "a runaway program (bpf_loop nested twice: 2^46 callbacks) meets the watchdog"
show sh -c 'echo 20000000 >/sys/kernel/bpfrt/watchdog/limit_ns'
show sh -c 'echo terminate >/sys/kernel/bpfrt/watchdog/action'
show sh -c 'echo 1 >/sys/kernel/bpfrt/watchdog/enabled'
bpfrt events >/tmp/demo-events &
sleep 0.5
show term_run "$BPFRT_OBJS/runaway.bpf.o" nested_loop
ended() { grep -q " terminated " /tmp/demo-events; }
wait_until 10 ended || echo "(no terminated event within 10 s)"
kill %1
wait %1 2>/dev/null || true
echo "\$ bpfrt events   # what the watchdog reported meanwhile"
grep -E "runtime_exceeded|terminating|terminated" /tmp/demo-events
show cat /sys/kernel/bpfrt/watchdog/stats
show sh -c 'echo 0 >/sys/kernel/bpfrt/watchdog/enabled'
rm -rf /sys/fs/bpf/*
show rmmod bpfrt
echo "DEMO DONE"
