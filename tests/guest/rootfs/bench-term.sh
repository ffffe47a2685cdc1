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
# 3. The stubs' cost while they do not act: loop_flags (one bpf_loop
#    helper call, 500 callback invocations) run 20,000 times by one test
#    run, armed at load (its worst estimate is over the limit: every
#    callback entry goes through the thunk, the helper call through the
#    site stub, both forwarding) and not armed (limit above its estimate),
#    the watchdog on in both, alternated in ABBA rounds. The difference
#    over the 501 patched calls per run is the cost of one stub that
#    forwards.
. /guest/lib.sh

runs=${BENCH_TERM_RUNS:-100}
limit_ns=10000000
period_us=1000
tmp=/tmp/bench-term
mkdir -p "$tmp"
rm -f "$tmp"/*

ncpu=$(nproc)
echo "bench-term on $(uname -r), $ncpu CPUs"

# --- 1. latency ---------------------------------------------------------
bpfrt_load_module || { echo "insmod failed"; exit 1; }
wd_on "$limit_ns"
echo "$period_us" >/sys/kernel/bpfrt/watchdog/period_us
i=0
while [ "$i" -lt "$runs" ]; do
	term_run -c $((i % ncpu)) "$BPFRT_OBJS/runaway.bpf.o" nested_loop |
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

# --- 3. the stubs' cost when they forward -------------------------------
# stub_run LIMIT_NS: "ARMED NS_PER_RUN" for loop_flags under that limit.
stub_run() {
	echo "$1" >/sys/kernel/bpfrt/watchdog/limit_ns
	rm -f "$tmp/id" "$tmp/end" "$tmp/out"
	term_run -n 20000 -i "$tmp/id" -e "$tmp/end" \
		"$BPFRT_OBJS/loop_helper.bpf.o" loop_flags >"$tmp/out" &
	wait_until 600 grep -qs '^prog ' "$tmp/out" || echo "loop_flags did not run" >&2
	armed=$(bpfrt -j prog show "$(cat "$tmp/id")" |
		sed -n 's/.*"term_armed":\([a-z]*\).*/\1/p')
	touch "$tmp/end"
	wait
	echo "$armed $(sed -n 's/.* duration_ns \([0-9]*\).*/\1/p' "$tmp/out")"
}
echo
echo "stubs that forward: loop_flags, ns per run (20,000 runs per sample):"
bpfrt_load_module
wd_on 10000000000
for r in 1 2 3; do
	u1=$(stub_run 10000000000)
	a1=$(stub_run 1000)
	a2=$(stub_run 1000)
	u2=$(stub_run 10000000000)
	echo "  round $r: not armed ${u1#* } (armed: ${u1% *}), armed ${a1#* } (armed: ${a1% *}), armed ${a2#* }, not armed ${u2#* }"
	echo "${u1#* } ${a1#* } ${a2#* } ${u2#* }" >>"$tmp/stub"
done
echo 0 >/sys/kernel/bpfrt/watchdog/enabled
rmmod bpfrt
awk '{ u += $1 + $4; a += $2 + $3 } END {
	u /= 2 * NR; a /= 2 * NR
	printf "  mean: not armed %.0f ns, armed %.0f ns (ratio %.3f); per forwarding stub %.1f ns (501 per run)\n",
	       u, a, a / u, (a - u) / 501 }' "$tmp/stub"
