#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the "real-world" BPF programs: the kernel's BPF selftests listed in
# tests/guest/realworld.txt, taken from Debian's linux-source-6.1 package at
# test time (they are inputs, never part of this repository).
#
#   tests/guest/realworld.sh VMLINUX_H OUTDIR
#
# Extracts tools/testing/selftests/bpf/{progs/,*.h} from the source tarball
# once into the cache (keyed by the package version), then compiles each
# listed program against VMLINUX_H (the guest kernel's) into
# OUTDIR/NAME.bpf.o, the way the selftests build them (clang -O2 -g
# -mcpu=v3), and copies the list to OUTDIR/list.txt. Exit 1 if anything
# fails.
#
# Environment:
#   BPFRT_CACHE          cache directory (default tests/.cache)
#   BPFRT_LINUX_SOURCE   the tarball (default /usr/src/linux-source-6.1.tar.xz)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
vmlinux_h=${1:?usage: realworld.sh VMLINUX_H OUTDIR}
outdir=${2:?usage: realworld.sh VMLINUX_H OUTDIR}
cache=${BPFRT_CACHE:-$repo/tests/.cache}
tarball=${BPFRT_LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
list=$repo/tests/guest/realworld.txt

die() { echo "realworld.sh: error: $*" >&2; exit 1; }

[ -f "$vmlinux_h" ] || die "no $vmlinux_h"
[ -f "$tarball" ] ||
	die "no $tarball (apt-get install linux-source-6.1; tests/install-deps.sh does)"

# The package version names the extraction, so an updated package is
# extracted again; the size and time of the tarball stand in without dpkg.
version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
	  stat -c '%s-%Y' "$tarball")
src=$cache/selftests-6.1/$version

extract() {
	local tmp=$src.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp"
	echo "realworld.sh: extracting the BPF selftests from $tarball"
	# One pass over the archive; only the selftests' BPF sources.
	tar -xJf "$tarball" -C "$tmp" --wildcards \
		"$top/tools/testing/selftests/bpf/progs/*" \
		"$top/tools/testing/selftests/bpf/*.h"
	mv "$tmp/$top/tools/testing/selftests/bpf" "$src.new"
	rm -rf "$tmp"
	mv "$src.new" "$src"
}

mkdir -p "$cache/selftests-6.1"
# Concurrent guest runs (one per kernel) share the extraction.
exec 9>"$cache/selftests-6.1/.lock"
flock 9
if [ ! -d "$src/progs" ]; then
	# The archive's top directory (linux-source-6.1).
	top=$(set +o pipefail; tar -tJf "$tarball" | head -n 1 | cut -d/ -f1)
	[ -n "$top" ] || die "cannot list $tarball"
	rm -rf "$src.new"
	extract
fi
flock -u 9

multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
mkdir -p "$outdir"
failed=0
n=0
while read -r name _; do
	case "$name" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	obj=$outdir/$name.bpf.o
	# up to date: newer than its source, the kernel's types and this script
	if [ "$obj" -nt "$src/progs/$name.c" ] && [ "$obj" -nt "$vmlinux_h" ] &&
	   [ "$obj" -nt "$0" ]; then
		continue
	fi
	if ! clang -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
		-I"$(dirname "$vmlinux_h")" -I"$src" -I"$src/progs" \
		-idirafter "/usr/include/$multiarch" \
		-c "$src/progs/$name.c" -o "$obj" \
		>"$outdir/$name.log" 2>&1; then
		echo "realworld.sh: $name does not compile:" >&2
		tail -n 20 "$outdir/$name.log" >&2
		rm -f "$obj"
		failed=1
	fi
done <"$list"
# objects of programs no longer listed go; the list goes along, so the
# guest knows how many objects to expect
for obj in "$outdir"/*.bpf.o; do
	[ -e "$obj" ] || continue
	grep -Eq "^$(basename "$obj" .bpf.o)([[:space:]]|$)" "$list" ||
		rm -f "$obj" "${obj%.bpf.o}.log"
done
cp "$list" "$outdir/list.txt"
echo "realworld.sh: $n programs from the selftests of linux-source-6.1 $version in $outdir"
exit $failed
