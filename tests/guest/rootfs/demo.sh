#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run as the guest's whole job; everything it prints goes to the
# host. It grows as features land: estimates of sample programs, then a
# runaway program being terminated.
. /guest/lib.sh

say() { echo; echo "### $*"; }
show() { echo "\$ $*"; "$@"; }

say "bpfrt demo on $(uname -r)"
show modprobe bpfrt || { echo "modprobe failed"; exit 1; }
show lsmod
show bpfrt version
show cat /sys/kernel/bpfrt/version
say "a BPF program loads and runs with the module present"
show bpf_load_run -r 2 "$BPFRT_OBJS/straight_line.bpf.o"
show rmmod bpfrt
echo "DEMO DONE"
