#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole test suite, as `make check` runs it:
#   1. host unit tests (cmocka): CLI, analyzer;
#   2. the analyzer fuzzer for a bounded time;
#   3. the guest suite in QEMU on every kernel of $KERNELS, and a DKMS
#      build (and refusal of kernels lacking required options) for each;
#   4. `bpfrt estimate` on the host on every test and real-world BPF object
#      (tests/estimate-host.sh, with the first kernel's vmlinux.h).
# Every stage runs even when an earlier one failed, so one run shows all
# failures. Ends with per-stage lines and the line
#   N passed, N failed
# and exits non-zero if anything failed.
#
# Environment: KERNELS (default "bookworm bookworm-backports"), FUZZ_SECONDS
# (default 60; 0 skips the fuzz stage and says so), plus run.sh's variables.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
kernels=${KERNELS:-bookworm bookworm-backports}
out=${BPFRT_OUT:-$repo/tests/out}
mkdir -p "$out"

total_pass=0
total_fail=0
summary=()

tally() {	# tally STAGE PASSED FAILED
	total_pass=$((total_pass + $2))
	total_fail=$((total_fail + $3))
	summary+=("$1: $2 passed, $3 failed")
}

# Runs a cmocka binary and counts its tests from its own report; a binary
# that crashes before reporting counts as one failure.
run_cmocka() {	# run_cmocka STAGE BINARY
	local stage=$1 bin=$2 logf run failed
	logf=$out/$(basename "$bin").log
	"$bin" >"$logf" 2>&1
	local status=$?
	cat "$logf"
	run=$(sed -n 's/.*\[==========\] \([0-9]*\) test(s) run\..*/\1/p' "$logf" | tail -n 1)
	failed=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test(s), listed below.*/\1/p' "$logf" | tail -n 1)
	failed=${failed:-0}
	if [ -z "$run" ]; then
		tally "$stage" 0 1
	elif [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
		tally "$stage" "$run" 1
	else
		tally "$stage" $((run - failed)) "$failed"
	fi
}

echo "== dependencies"
if ! "$repo/tests/install-deps.sh"; then
	echo "dependency installation failed"
	echo "0 passed, 1 failed"
	exit 1
fi

echo "== unit tests (host)"
if make -s unit-build >"$out/unit-build.log" 2>&1; then
	for bin in "$out"/unit/test_*; do
		[ -x "$bin" ] && run_cmocka "unit/$(basename "$bin")" "$bin"
	done
else
	cat "$out/unit-build.log"
	tally "unit build" 0 1
fi

if [ -f "$repo/tests/analyzer.mk" ]; then
	echo "== analyzer fuzzing (${FUZZ_SECONDS:-60} s)"
	if [ "${FUZZ_SECONDS:-60}" = 0 ]; then
		echo "fuzzing skipped: FUZZ_SECONDS=0 (not counted as a pass)"
	elif make -s -f tests/analyzer.mk analyzer-fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-60}"; then
		tally "fuzz" 1 0
	else
		tally "fuzz" 0 1
	fi
fi

# The kernels' guest suites run side by side: each QEMU runs its vCPUs on
# one host thread (tests/guest/run.sh, BPFRT_TCG), so two kernels keep
# two host CPUs busy. Each one's output is shown when both are done.
# With BPFRT_TCG=multi each QEMU wants two CPUs: one kernel at a time.
if [ "${BPFRT_TCG:-single}" = single ]; then
	echo "== guest suites on $kernels, side by side"
	for k in $kernels; do
		rm -f "$out/$k/counts"
		"$repo/tests/guest/run.sh" "$k" >"$out/guest-$k.log" 2>&1 &
	done
	wait
fi

for k in $kernels; do
	echo "== guest suite on $k"
	if [ "${BPFRT_TCG:-single}" = single ]; then
		cat "$out/guest-$k.log"
	else
		rm -f "$out/$k/counts"
		"$repo/tests/guest/run.sh" "$k"
	fi
	if [ -f "$out/$k/counts" ]; then
		read -r p f <"$out/$k/counts"
		tally "guest/$k" "$p" "$f"
	else
		# run.sh stopped before the guest ran (download or build error).
		tally "guest/$k" 0 1
	fi

	echo "== DKMS build on $k"
	kdir=${BPFRT_CACHE:-$repo/tests/.cache}/$k
	rm -f "$out/dkms-$k.counts"
	if [ -f "$kdir/release" ]; then
		BPFRT_COUNTS=$out/dkms-$k.counts "$repo/tests/dkms/dkms-build.sh" \
			"$kdir/build" "$(cat "$kdir/release")"
	fi
	if [ -f "$out/dkms-$k.counts" ]; then
		read -r p f <"$out/dkms-$k.counts"
		tally "dkms/$k" "$p" "$f"
	else
		tally "dkms/$k" 0 1
	fi
done

echo "== bpfrt estimate on the host"
rm -f "$out/estimate-host.counts"
"$repo/tests/estimate-host.sh" "${kernels%% *}"
if [ -f "$out/estimate-host.counts" ]; then
	read -r p f <"$out/estimate-host.counts"
	tally "estimate-host" "$p" "$f"
else
	tally "estimate-host" 0 1
fi

echo
echo "== summary"
for line in "${summary[@]}"; do
	echo "$line"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
