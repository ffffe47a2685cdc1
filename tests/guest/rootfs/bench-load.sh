#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bench: what the module costs a program load (its memory per record is
# bench-mem.sh's). Run by the guest's init in bench mode (tests/guest/run.sh
# --bench); everything it prints is the report
# (tests/out/bench-load-KERNEL.txt).
#
# Load time: the wall time of each program's BPF_PROG_LOAD command
#    (bpf_load_time measures the syscall alone) in three settings: without
#    the module; with it as loaded by default, estimates deferred to its
#    worker thread when nothing judges the load (module/defer.c); and with
#    every estimate made in the load (defer_estimates=0, as under a policy
#    limit). Over our test programs and the real-world set, in
#    BENCH_ROUNDS rounds whose order reverses each round so drift cancels.
#    Per program: medians and their ratio; overall: the median ratio and
#    the added time for the largest program. Goals (issue 4): median
#    overhead <= 5%, <= 10 ms for the largest program. run.sh --bench
#    boots with -icount and one vCPU: a guest "ns" is one guest
#    instruction, so the ratios do not depend on the host's load;
#    absolute values are instructions, not time on real hardware. The
#    guest waits between objects until the module's background work is
#    done (quiesce, below), so a load's time is the loader's latency; the
#    CPU the module spends, in the loader or not, is its own account of
#    its analyses (stats analysis_ns), printed per setting.
. /guest/lib.sh

rounds=${BENCH_ROUNDS:-3}
tmp=/tmp/bench-load
mkdir -p "$tmp"
rm -f "$tmp"/*

objs=$(ls "$BPFRT_OBJS"/*.bpf.o "$BPFRT_OBJS"/realworld/*.bpf.o 2>/dev/null)

# Between two objects: the programs of the one before are freed and, with
# the module, every estimate it deferred is made, before the next loads
# are timed. With one vCPU, work left in the background by one object
# would otherwise land inside the timed loads of the next (pyperf600's
# 22 s load took the estimates of the pyperf objects before it); this way
# each load's time is its own, and what the background work costs is the
# module's account of its analyses, printed below. The same pause in
# every setting; with -icount,sleep=off an idle guest costs no host time.
quiesce() {
	sleep 0.2
	[ -e /sys/kernel/bpfrt/stats ] || return 0
	_t=1200
	while [ "$(bpfrt_stat estimates_pending)" != 0 ] ||
	      [ "$(bpfrt_stat recorded)" != "$base_rec" ]; do
		_t=$((_t - 1))
		[ "$_t" -gt 0 ] || { echo "bench: not quiet after $o" >&2; return 1; }
		sleep 0.1
	done
}

# One pass over every object: "OBJ PROG INSNS NS" lines into $1.
load_pass() {
	base_rec=0
	[ -e /sys/kernel/bpfrt/stats ] && base_rec=$(bpfrt_stat recorded)
	for o in $objs; do
		bpf_load_time "$o" 2>>"$tmp/errors" |
			while read -r _ prog _ _ _ insns _ ns; do
				echo "$(basename "$o" .bpf.o) $prog $insns $ns"
			done >>"$1"
		quiesce 2>>"$tmp/errors"
	done
}

# The module's deferred estimates are all made (or the programs freed).
settled() {
	_t=600
	while [ "$(bpfrt_stat estimates_pending)" != 0 ]; do
		_t=$((_t - 1))
		[ "$_t" -gt 0 ] || { echo "estimates still pending"; return 1; }
		sleep 0.1
	done
}

echo "bench-load on $(uname -r), $(nproc) CPUs, $rounds rounds"
echo "objects: $(echo "$objs" | wc -w)"
echo "settings: without (no module), with (the module's defaults: estimates deferred), atload (defer_estimates=0)"
r=1
while [ "$r" -le "$rounds" ]; do
	# Odd rounds in one order, even rounds in the reverse one.
	for m in $( [ $((r % 2)) -eq 1 ] && echo "without with atload" || echo "atload with without"); do
		case $m in
		with) bpfrt_load_module || { echo "insmod failed"; exit 1; } ;;
		atload) bpfrt_load_module defer_estimates=0 || { echo "insmod failed"; exit 1; } ;;
		esac
		load_pass "$tmp/$m.$r"
		if [ "$m" != without ]; then
			settled
			# the module's own account of its analyses in this pass
			echo "$m $(bpfrt_stat analysis_ns) $(bpfrt_stat analysis_max_ns) $(bpfrt_stat captured) $(bpfrt_stat estimates_deferred) $(bpfrt_stat estimated_by_worker) $(bpfrt_stat estimated_by_caller)" \
				>>"$tmp/analysis"
			rmmod bpfrt
		fi
	done
	echo "round $r: $(wc -l <"$tmp/without.$r") loads without, $(wc -l <"$tmp/with.$r") with, $(wc -l <"$tmp/atload.$r") atload"
	r=$((r + 1))
done
if [ -s "$tmp/errors" ]; then
	echo "load errors:"
	sort -u "$tmp/errors" | head -20
fi

# Medians per program over the rounds, then the summary. A program is
# "OBJ/PROG" (names repeat across objects).
for m in without with atload; do
	cat "$tmp"/$m.* | sed "s/^/$m /"
done >"$tmp/all"
awk '
function median(s,    n, a, i, j, t) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	if (n % 2)
		return a[(n + 1) / 2]
	return (a[n / 2] + a[n / 2 + 1]) / 2
}
$5 >= 0 {
	k = $2 "/" $3
	if (!(k in insns)) { order[++nk] = k; insns[k] = $4 }
	v[$1, k] = v[$1, k] " " $5
}
# summary(M): the overhead of setting M over "without"
function summary(m,    i, k, a, b, nr, s, tw, tm, big, bigadd, bigw) {
	nr = 0; s = ""; tw = 0; tm = 0; big = ""
	for (i = 1; i <= nk; i++) {
		k = order[i]
		if (!(("without", k) in v) || !((m, k) in v))
			continue
		a = median(v["without", k]); b = median(v[m, k])
		if (a <= 0)
			continue
		s = s " " b / a; nr++
		tw += a; tm += b
		if (big == "" || insns[k] + 0 > insns[big] + 0) {
			big = k; bigadd = (b - a) / 1e6; bigw = a / 1e6
		}
	}
	printf "\n%s: programs: %d\n", m, nr
	printf "%s: median overhead: %.2f%% (median of %s/without per program; goal <= 5%%)\n",
	       m, (median(s) - 1) * 100, m
	printf "%s: total overhead: %.2f%% (sum of medians: %.1f ms without, %.1f ms %s)\n",
	       m, (tm / tw - 1) * 100, tw / 1e6, tm / 1e6, m
	printf "%s: largest program: %s, %d insns: %.3f ms added to %.1f ms (goal <= 10 ms)\n",
	       m, big, insns[big], bigadd, bigw
}
END {
	printf "\n%-44s %7s %11s %11s %7s %11s %7s\n", "program", "insns",
	       "without_ms", "with_ms", "ratio", "atload_ms", "ratio"
	for (i = 1; i <= nk; i++) {
		k = order[i]
		if (!(("without", k) in v) || !(("with", k) in v) ||
		    !(("atload", k) in v))
			continue
		a = median(v["without", k]); b = median(v["with", k])
		c = median(v["atload", k])
		if (a <= 0)
			continue
		printf "%-44s %7d %11.3f %11.3f %7.4f %11.3f %7.4f\n", k,
		       insns[k], a / 1e6, b / 1e6, b / a, c / 1e6, c / a
	}
	summary("with")
	summary("atload")
}' "$tmp/all"

# What the module says its analyses took (/sys/kernel/bpfrt/stats), per
# round and setting, against the time its loads took more than without.
echo
for m in with atload; do
	added=$(awk -v m="$m" '$1 == m { w += $5 } $1 == "without" { wo += $5 }
		END { printf "%.0f", w - wo }' "$tmp/all")
	awk -v m="$m" -v added="$added" '
	$1 == m { a += $2; if ($3 > mx) mx = $3; n += $4; d += $5; bw += $6; bc += $7; r++ }
	END {
		if (r)
			printf "%s: analysis (stats analysis_ns): %.3f ms per round over %d captured programs (libbpf feature probes included), longest %.3f ms; %d deferred (%d estimated by the worker, %d by a reader or at free); the loads took %.3f ms more per round\n",
			       m, a / r / 1e6, n / r, mx / 1e6, d / r, bw / r, bc / r, added / r / 1e6
	}' "$tmp/analysis"
done
