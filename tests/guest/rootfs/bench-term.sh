#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bench: the watchdog and fast-path termination (issue 7). Run by the
# guest's init in bench mode; what it prints is the report
# (tests/out/bench-term-KERNEL.txt).
#
# 1. Termination latency: a runaway program (bpf_loop nested twice) is run
#    BENCH_TERM_RUNS times under the watchdog (period 1 ms, limit 10 ms,
#    action terminate, mode instance). BPF_PROG_TEST_RUN reports how long
#    the instance ran; minus the limit, that is the time from the limit
#    being crossed to the instance returning. Reported as p50/p99 in
#    watchdog periods. Goal: p99 <= 2 periods + the fast path.
# 2. Per-run cost: a short program (straight_line) run 1,000,000 times by
#    one test run; the kernel's average per run without the module, with
#    it, and with the watchdog on (which turns on the kernel's run
#    statistics, the identity mechanism), alternated in ABBA rounds.
#    Ratios against "without" in the same guest run.
. /guest/lib.sh

runs=${BENCH_TERM_RUNS:-40}
limit_ns=10000000
period_us=1000
tmp=/tmp/bench-term
mkdir -p "$tmp"
rm -f "$tmp"/*

echo "bench-term on $(uname -r), $(nproc) CPUs"

# --- 1. latency ---------------------------------------------------------
bpfrt_load_module || { echo "insmod failed"; exit 1; }
wd_on "$limit_ns"
echo "$period_us" >/sys/kernel/bpfrt/watchdog/period_us
i=0
while [ "$i" -lt "$runs" ]; do
	term_run -c $((i % 2)) "$BPFRT_OBJS/runaway.bpf.o" nested_loop |
		sed -n 's/.* duration_ns \([0-9]*\).*/\1/p' >>"$tmp/durations"
	i=$((i + 1))
done
echo 0 >/sys/kernel/bpfrt/watchdog/enabled
rmmod bpfrt
n=$(wc -l <"$tmp/durations")
sort -n "$tmp/durations" >"$tmp/sorted"
pct() {	# pct P: the P-th percentile of the sorted durations
	idx=$(( (n * $1 + 99) / 100 ))
	[ "$idx" -ge 1 ] || idx=1
	sed -n "${idx}p" "$tmp/sorted"
}
p50=$(pct 50)
p99=$(pct 99)
period_ns=$((period_us * 1000))
show() {	# show NAME DURATION_NS
	lat=$(($2 - limit_ns))
	echo "  $1: instance ran $2 ns; after the limit $lat ns = $((lat * 100 / period_ns / 100)).$(( (lat * 100 / period_ns) % 100 )) periods"
}
echo
echo "termination latency: $n runaway instances, limit $limit_ns ns, period $period_us us"
show p50 "$p50"
show p99 "$p99"
show max "$(tail -n 1 "$tmp/sorted")"

# --- 2. per-run cost ------------------------------------------------------
avg() {	# one test run of 1M repeats: the kernel's average ns per run
	term_run -n 1000000 "$BPFRT_OBJS/straight_line.bpf.o" straight_line |
		sed -n 's/.* duration_ns \([0-9]*\).*/\1/p'
}
echo
echo "per-run cost of straight_line (ns per run, 1M runs per sample):"
for r in 1 2 3; do
	a=$(avg)
	bpfrt_load_module
	b=$(avg)
	echo 1 >/sys/kernel/bpfrt/watchdog/enabled
	c=$(avg)
	echo 0 >/sys/kernel/bpfrt/watchdog/enabled
	rmmod bpfrt
	d=$(avg)
	echo "  round $r: without $a, module $b, module+watchdog $c, without $d"
	echo "$(( (a + d) / 2 )) $b $c" >>"$tmp/cost"
done
sort -n -k1 "$tmp/cost" >/dev/null
awk '{ w += $1; m += $2; wd += $3 } END {
	printf "  mean: without %d ns, module %d ns (ratio %.3f), module+watchdog %d ns (ratio %.3f)\n",
	       w / NR, m / NR, m / w, wd / NR, wd / w }' "$tmp/cost"
