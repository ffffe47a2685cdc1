#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the guest test suite (or the demo) inside a stock Debian kernel under
# QEMU, with the bpfrt module built against exactly that kernel's headers.
#
#   tests/guest/run.sh [--demo | --bench] KERNEL
#
# KERNEL is what tests/guest/kernel.sh accepts: bookworm (6.1),
# bookworm-backports (6.12), or an explicit ABI such as 6.1.0-41-amd64.
#
# Environment:
#   BPFRT_CACHE         downloaded kernels          (default tests/.cache)
#   BPFRT_OUT           build outputs and logs      (default tests/out)
#   BPFRT_EXTRA_TESTS   a directory of the user's own guest cases (*.sh) and
#                       BPF programs (*.bpf.c, *.bpf.o), run in the same
#                       guest with the module loaded (see README.md)
#   BPFRT_BOOT_TIMEOUT  seconds before the whole boot is killed (default 900)
#   BPFRT_CASE_TIMEOUT  seconds before one case is killed (default 300)
#   BPFRT_TCG           single (default) or multi: QEMU's TCG threads
#   BPFRT_CASES         run only the cases matching this regex (development)
#   BPFRT_BENCHES       with --bench, run only the benchmarks (bench-NAME)
#                       matching this regex
#
# Results come back on the guest's second serial port (ttyS1), never from
# the console. A case with no result, a WARN/BUG/Oops on the console or in
# dmesg, or a boot that does not reach the end fails the run. The console
# log is kept in $BPFRT_OUT/KERNEL/console.log.
#
# Cases in tests/guest/cases-icount/ run in a second boot that counts
# instructions (-icount, one vCPU): a guest nanosecond is one guest
# instruction, so a case that compares times (the cost model's soundness)
# gets the same answer however busy the host is. They are reported as
# icount/NAME; their console log is console-icount.log.
#
# Prints one line per check ("PASS name" / "FAIL name") and finally
#   guest[KERNEL]: N passed, N failed
# and writes the counts to $BPFRT_OUT/KERNEL/counts. Exit 1 on any failure.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
guest_src=$repo/tests/guest

mode=test
if [ "${1:-}" = "--demo" ]; then
	mode=demo
	shift
elif [ "${1:-}" = "--bench" ]; then
	# every tests/guest/rootfs/bench-NAME.sh; reports in
	# $BPFRT_OUT/bench-NAME-KERNEL.txt
	mode=bench
	shift
fi
kernel=${1:?usage: run.sh [--demo | --bench] KERNEL}

cache=${BPFRT_CACHE:-$repo/tests/.cache}
outroot=${BPFRT_OUT:-$repo/tests/out}
out=$outroot/$kernel
if [ "$mode" = demo ]; then out=$outroot/$kernel-demo; fi
if [ "$mode" = bench ]; then out=$outroot/$kernel-bench; fi
kdir=$cache/$kernel
boot_timeout=${BPFRT_BOOT_TIMEOUT:-900}
# benchmarks load the largest programs many times
if [ "$mode" = bench ]; then boot_timeout=${BPFRT_BOOT_TIMEOUT:-5400}; fi
case_timeout=${BPFRT_CASE_TIMEOUT:-300}
# How QEMU runs the two vCPUs: "single" (default) takes turns on one host
# thread; "multi" gives each its own. Multi-threaded TCG is faster when
# both vCPUs are busy, but we saw it break guest code it had to keep
# coherent across vCPUs: an int3 run after its patch completed (6.12:
# "Oops: int3", see tests/guest/tcg/tcg_int3.c) and a double fault with
# the flags of a per-CPU cmpxchg16b in the slab allocator replaced by a
# pointer. One thread takes both away; tests/check.sh runs the kernels
# side by side instead, one host CPU each.
tcg_thread=${BPFRT_TCG:-single}
case "$tcg_thread" in
single | multi) ;;
*) echo "run.sh: BPFRT_TCG must be single or multi" >&2; exit 2 ;;
esac
extra=${BPFRT_EXTRA_TESTS:-}

# Keep in sync with tests/guest/rootfs/lib.sh (guest side).
bad_pattern='WARNING:|BUG:|Oops|Kernel panic|Call Trace:|general protection|UBSAN:|KASAN:|possible (circular|recursive) locking|lockdep|RCU stall|soft lockup|hung_task'

log() { echo "guest[$kernel]: $*"; }
die() { echo "guest[$kernel]: error: $*" >&2; exit 1; }

# Runs a build step quietly; on failure shows the end of its log.
step() {
	local what=$1 logf=$2
	shift 2
	if ! "$@" >"$logf" 2>&1; then
		tail -n 40 "$logf" >&2
		die "$what failed (full log: $logf)"
	fi
}

prepare_kernel() {
	log "preparing kernel $kernel"
	"$guest_src/kernel.sh" "$kernel" "$kdir"
	[ -f "$kdir/vmlinux" ] && [ -d "$kdir/build" ] && [ -f "$kdir/vmlinux.h" ] ||
		die "kernel.sh did not produce vmlinux, build/ and vmlinux.h in $kdir"
	release=$(cat "$kdir/release")
}

# The module is built from a copy of the sources so that builds for
# different kernels never share object files.
build_module() {
	log "building bpfrt.ko against $release headers"
	rm -rf "$out/module-src"
	mkdir -p "$out/module-src"
	cp -r "$repo/Kbuild" "$repo/module" "$repo/uapi" "$out/module-src/"
	step "module build" "$out/module-build.log" \
		make -C "$kdir/build" M="$out/module-src" BPFRT_WERROR=y modules
	ko=$out/module-src/bpfrt.ko
	[ -f "$ko" ] || die "no bpfrt.ko after the build"
	# The test guests' int3 retry for QEMU TCG (tests/guest/tcg/tcg_int3.c)
	rm -rf "$out/tcg-src"
	cp -r "$guest_src/tcg" "$out/tcg-src"
	step "tcg_int3 build" "$out/tcg-build.log" \
		make -C "$kdir/build" M="$out/tcg-src" modules
	[ -f "$out/tcg-src/tcg_int3.ko" ] || die "no tcg_int3.ko after the build"
}

# Userspace is kernel-independent: static binaries, built once per run dir
# (under a lock: tests/check.sh runs the kernels side by side; the second
# make finds everything up to date). The guest programs are built per
# kernel, so one run never copies a binary the other is writing.
build_userspace() {
	log "building static userspace"
	(
		flock 9
		step "userspace build" "$outroot/userspace-build.log" \
			make -C "$repo/userspace" STATIC=1 \
			O="$outroot/userspace-static"
	) 9>"$outroot/.userspace.lock" || exit 1
	rm -rf "$out/guest-bin"
	mkdir -p "$out/guest-bin"
	local src name
	for src in "$guest_src"/progs/*.c; do
		name=$(basename "$src" .c)
		# A program may ask for link flags: /* guest-ldflags: ... */
		# shellcheck disable=SC2046
		step "guest program $name" "$out/guest-bin/$name.log" \
			cc -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE \
			-I"$repo/uapi" -static -o "$out/guest-bin/$name" \
			"$src" -lbpf -lelf -lz \
			$(sed -n 's|^/\* guest-ldflags: \(.*\) \*/$|\1|p' "$src")
	done
}

# BPF objects use this kernel's vmlinux.h, so they are built per kernel.
build_bpf() {
	local src name dir
	mkdir -p "$out/bpf"
	for dir in "$repo/tests/bpf" ${extra:+"$extra"}; do
		for src in "$dir"/*.bpf.c; do
			[ -e "$src" ] || continue
			name=$(basename "$src" .c)
			step "BPF object $name" "$out/bpf/$name.log" \
				clang -O2 -g -target bpf -D__TARGET_ARCH_x86 \
				-I"$kdir" -I"$repo/tests/bpf" \
				-c "$src" -o "$out/bpf/$name.o"
		done
	done
	if [ -n "$extra" ]; then
		for src in "$extra"/*.bpf.o; do
			[ -e "$src" ] && cp "$src" "$out/bpf/"
		done
	fi
	log "built $(ls "$out/bpf"/*.o 2>/dev/null | wc -l) BPF objects"
	# Programs we did not write (the kernel's selftests): /guest/bpf/realworld/
	step "real-world BPF objects" "$out/realworld.log" \
		"$guest_src/realworld.sh" "$kdir/vmlinux.h" "$out/bpf/realworld"
}

# The cases to run: all, or those whose name matches $BPFRT_CASES (an
# extended regular expression), to iterate on a few while developing.
selected_cases() {	# selected_cases DIR (cases or cases-icount)
	local script
	for script in "$guest_src/$1"/*.sh; do
		[ -e "$script" ] || continue
		if [ -z "${BPFRT_CASES:-}" ] ||
		   basename "$script" .sh | grep -Eq "$BPFRT_CASES"; then
			echo "$script"
		fi
	done
}

build_initramfs() {
	local root=$out/rootfs
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc,guest/bin,extra}
	cp /bin/busybox "$root/bin/busybox"
	cp "$guest_src/rootfs/init" "$root/init"
	cp "$guest_src/rootfs/runner.sh" "$guest_src/rootfs/lib.sh" \
		"$guest_src/rootfs/demo.sh" "$guest_src/rootfs/estimate-lib.sh" \
		"$root/guest/"
	# Benchmarks: all, or those whose name matches $BPFRT_BENCHES.
	local bench
	for bench in "$guest_src"/rootfs/bench-*.sh; do
		if [ -z "${BPFRT_BENCHES:-}" ] ||
		   basename "$bench" .sh | grep -Eq "$BPFRT_BENCHES"; then
			cp "$bench" "$root/guest/"
		fi
	done
	local dir
	for dir in cases cases-icount; do
		mkdir -p "$root/guest/$dir"
		for script in $(selected_cases "$dir"); do
			cp "$script" "$root/guest/$dir/"
		done
	done
	cp -r "$out/bpf" "$root/guest/bpf"
	cp "$outroot/userspace-static/bpfrt" "$root/guest/bin/"
	find "$out/guest-bin" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$root/guest/bin/" \;
	cp "$ko" "$root/guest/bpfrt.ko"
	cp "$out/tcg-src/tcg_int3.ko" "$root/guest/tcg_int3.ko"
	# The host's bpftool (Debian's, dynamically linked) and the shared
	# libraries it needs, so cases can show what bpftool prints.
	local bpftool lib
	bpftool=$(command -v bpftool) || die "bpftool not found on the host"
	cp "$bpftool" "$root/guest/bin/bpftool"
	for lib in $(ldd "$bpftool" | sed -n 's|.*=> \(/[^ ]*\) .*|\1|p; s|^[[:space:]]*\(/[^ ]*\) .*|\1|p'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	# Also install it where modprobe looks, as DKMS would.
	mkdir -p "$root/lib/modules/$release/updates/dkms"
	cp "$ko" "$root/lib/modules/$release/updates/dkms/"
	depmod -b "$root" "$release" 2>/dev/null ||
		die "depmod failed for the guest's module tree"
	# As on a Debian host: libbpf reads CONFIG_* externs from here.
	mkdir -p "$root/boot"
	cp "$kdir/config" "$root/boot/config-$release"
	if [ -n "$extra" ]; then
		find "$extra" -maxdepth 1 -name '*.sh' -exec cp {} "$root/extra/" \;
	fi
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
		>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet) >"$out/initramfs.cpio"
}

# boot MODE SUFFIX: one guest run; its logs are console$SUFFIX.log and
# results$SUFFIX.txt.
boot() {
	local boot_mode=$1 sfx=$2
	log "booting $release under QEMU TCG ($boot_mode)"
	rm -f "$out/console$sfx.log" "$out/results$sfx.txt"
	local status=0
	# no_timer_check: under TCG on a loaded host the kernel's IO-APIC
	# timer check can miss its window and panic at boot. maxcpus=1: the
	# kernel boots on one CPU and init brings the others online after it
	# loaded tcg_int3.ko (see tests/guest/rootfs/init).
	local accel=(-accel "tcg,thread=$tcg_thread" -smp 2)
	# Benchmarks and icount cases count guest instructions (-icount): a
	# guest nanosecond is one instruction, so times measured in the guest
	# do not depend on how busy the host is (BPFRT_BENCH_ICOUNT=0: bench
	# in wall-clock time). One vCPU: with icount a second one does not
	# come up.
	if [ "$boot_mode" = icount ] ||
	   { [ "$boot_mode" = bench ] && [ "${BPFRT_BENCH_ICOUNT:-1}" != 0 ]; }; then
		accel=(-accel tcg,thread=single -icount shift=0,sleep=off -smp 1)
	fi
	timeout --foreground -k 10 "$boot_timeout" qemu-system-x86_64 \
		"${accel[@]}" -cpu max -m 1G \
		-display none -no-reboot -monitor none \
		-kernel "$kdir/vmlinux" -initrd "$out/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic no_timer_check \
maxcpus=1 bpfrt_test.mode=$boot_mode bpfrt_test.case_timeout=$case_timeout" \
		-serial "file:$out/console$sfx.log" -serial "file:$out/results$sfx.txt" \
		</dev/null || status=$?
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		log "boot timed out after ${boot_timeout}s"
	fi
	# The serial line adds carriage returns.
	sed -i 's/\r$//' "$out/results$sfx.txt" "$out/console$sfx.log" 2>/dev/null || true
}

passed=0
failed=0
record() {	# record PASS|FAIL NAME [WHY]
	if [ "$1" = PASS ]; then
		passed=$((passed + 1))
		echo "PASS $kernel/$2"
	else
		failed=$((failed + 1))
		echo "FAIL $kernel/$2${3:+ ($3)}"
	fi
}

# evaluate SUFFIX PREFIX DIR: the checks of one boot (cases of DIR, reported
# as PREFIXNAME; the user's extra cases run in the main boot).
evaluate() {
	local sfx=$1 pfx=$2 dir=$3 script name line expected=() f0=$failed
	local results=$out/results$sfx.txt console=$out/console$sfx.log
	for script in $(selected_cases "$dir"); do
		expected+=("$(basename "$script" .sh)")
	done
	if [ -n "$extra" ] && [ -z "$sfx" ]; then
		for script in "$extra"/*.sh; do
			[ -e "$script" ] && expected+=("extra/$(basename "$script" .sh)")
		done
	fi
	for name in "${expected[@]}"; do
		line=$(grep -E "^RESULT $name (PASS|FAIL) " "$results" | tail -n 1 || true)
		case "$line" in
		"RESULT $name PASS "*) record PASS "$pfx$name" ;;
		"RESULT $name FAIL "*) record FAIL "$pfx$name" "case failed" ;;
		*) record FAIL "$pfx$name" "no result: the guest died or timed out" ;;
		esac
	done
	if grep -q '^END$' "$results"; then
		record PASS "${pfx}boot-completed"
	else
		record FAIL "${pfx}boot-completed" "the guest never reported END"
	fi
	if grep -E -q "$bad_pattern" "$console" ||
	   ! grep -q '^KERNEL_LOG CLEAN$' "$results"; then
		record FAIL "${pfx}kernel-log" "WARN/BUG/Oops or other trace in the kernel log"
		# The whole first report (RIP, registers, call trace), not
		# only the lines that matched.
		grep -E -m 1 -A 60 "$bad_pattern" "$console" >&2 || true
	else
		record PASS "${pfx}kernel-log"
	fi
	# How often the guest retried an int3 QEMU ran after its patch
	# (tests/guest/tcg/tcg_int3.c): information, not a verdict.
	grep -a -o 'tcg_int3: [0-9?]* stale int3 traps retried' "$console" |
		sed "s/^/guest[$kernel]: /" || true
	if [ "$failed" -ne "$f0" ]; then
		log "console log kept: $console; last lines:"
		tail -n 30 "$console" | sed 's/^/    /'
	fi
}

mkdir -p "$out"
prepare_kernel
build_module
build_userspace
build_bpf
build_initramfs
boot "$mode" ""

if [ "$mode" = bench ]; then
	# Each bench script's output, between its BEGIN and END lines.
	for name in $(sed -n 's/^BENCH BEGIN //p' "$out/results.txt"); do
		sed -n "/^BENCH BEGIN $name\$/,/^BENCH END $name\$/p" \
			"$out/results.txt" | sed '1d;$d' \
			>"$outroot/$name-$kernel.txt"
		log "report: $outroot/$name-$kernel.txt"
		cat "$outroot/$name-$kernel.txt"
	done
	if grep -E -q "$bad_pattern" "$out/console.log"; then
		grep -E -m 20 "$bad_pattern" "$out/console.log" >&2
		die "the kernel log shows a warning or crash: $out/console.log"
	fi
	grep -q '^BENCH DONE$' "$out/results.txt" ||
		die "the benchmarks did not finish: $out/console.log"
	exit 0
fi

if [ "$mode" = demo ]; then
	cat "$out/results.txt"
	if grep -E -q "$bad_pattern" "$out/console.log"; then
		grep -E -m 20 "$bad_pattern" "$out/console.log" >&2
		die "the kernel log shows a warning or crash: $out/console.log"
	fi
	grep -q '^DEMO DONE$' "$out/results.txt" ||
		die "the demo did not finish: $out/console.log"
	exit 0
fi

evaluate "" "" cases
if [ -n "$(selected_cases cases-icount)" ]; then
	boot icount -icount
	evaluate -icount icount/ cases-icount
fi
echo "$passed $failed" >"$out/counts"
echo "guest[$kernel]: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
