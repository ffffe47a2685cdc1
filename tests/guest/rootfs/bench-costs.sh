#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bench: the cost model (issue 5). Run by the guest's init in bench mode
# (tests/guest/run.sh --bench); everything it prints is the report
# (tests/out/bench-costs-KERNEL.txt).
#
# 1. `bpfrt calibrate` (full, not --quick) measures this guest and uploads
#    the table; its run time and the table are part of the report.
# 2. bpfrt_sound drives every test program along its worst path with
#    BPF_PROG_TEST_RUN (BENCH_SOUND_BATCHES batches) and compares the
#    observed maximum with the module's estimate: the overestimation ratio
#    (worst estimate / observed max) per program, and the medians.
#
# run.sh --bench boots with -icount: a guest nanosecond is one guest
# instruction, so calibration and observation are not disturbed by the
# host's load, and both are measured in the same guest run.
. /guest/lib.sh

batches=${BENCH_SOUND_BATCHES:-100}

bpfrt_load_module || { echo "insmod failed"; exit 1; }
echo "kernel $(uname -r)"
echo
echo "## calibration (full)"
start=$(date +%s)
bpfrt calibrate --upload -o /tmp/bench-costs.json 2>&1 |
	tr '\r' '\n' | grep -v 'round [0-9]*/[0-9]* *$'
end=$(date +%s)
echo "calibrate wall time: $((end - start)) s (guest clock)"
echo "costs_source $(cat /sys/kernel/bpfrt/costs_source): $(cat /sys/kernel/bpfrt/costs_description)"
echo
bpfrt costs show
echo
echo "## soundness and tightness ($batches batches per program)"
bpfrt_sound -n "$batches" -q 1 "$BPFRT_OBJS"/*.bpf.o
echo "bpfrt_sound exit status $?"
rmmod bpfrt
