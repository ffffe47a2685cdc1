#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh KDIR RELEASE: checks dkms.conf with the real dkms, in a
# private DKMS tree (the host's /var/lib/dkms is not touched):
#   1. `dkms build` succeeds against the given kernel headers and yields
#      bpfrt.ko;
#   2. `dkms build` refuses a kernel whose .config lacks each required
#      option (CONFIG_KPROBES, ...), one at a time.
# Prints PASS/FAIL lines and "dkms[RELEASE]: N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$(readlink -f "${1:?usage: dkms-build.sh KDIR RELEASE}")
release=${2:?usage: dkms-build.sh KDIR RELEASE}
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$repo/dkms.conf")
required=$(sed -n 's/^BUILD_EXCLUSIVE_CONFIG="\(.*\)"/\1/p' "$repo/dkms.conf")
work=$(mktemp -d /tmp/bpfrt-dkms.XXXXXX)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
result() {	# result PASS|FAIL NAME
	echo "$1 dkms/$release/$2"
	if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

# A fresh private DKMS tree with the source registered, as dkms-install does.
new_tree() {
	rm -rf "$work/src" "$work/tree"
	mkdir -p "$work/src/bpfrt-$version" "$work/tree"
	cp -r "$repo"/{Kbuild,Makefile,dkms.conf,LICENSE,module,uapi} \
		"$work/src/bpfrt-$version/"
	dkms add -m bpfrt -v "$version" --sourcetree "$work/src" \
		--dkmstree "$work/tree" >/dev/null
}

dkms_build() {	# dkms_build KERNEL_SOURCE_DIR LOG
	dkms build -m bpfrt -v "$version" -k "$release" --kernelsourcedir "$1" \
		--sourcetree "$work/src" --dkmstree "$work/tree" >"$2" 2>&1
}

new_tree
if dkms_build "$kdir" "$work/build.log" &&
   [ -n "$(find "$work/tree/bpfrt/$version/$release" -name bpfrt.ko 2>/dev/null)" ]; then
	result PASS build
else
	tail -n 30 "$work/build.log"
	result FAIL build
fi

# A kernel source dir identical but for one option switched off. Only
# meaningful when the real headers build: otherwise every refusal is moot.
[ "$failed" -eq 0 ] || required=
for opt in $required; do
	fake=$work/kernel-without-$opt
	mkdir -p "$fake"
	for f in "$kdir"/* "$kdir"/.[!.]*; do
		[ "$(basename "$f")" = .config ] || ln -s "$f" "$fake/"
	done
	sed "s/^$opt=.*/# $opt is not set/" "$kdir/.config" >"$fake/.config"
	if cmp -s "$kdir/.config" "$fake/.config"; then
		result FAIL "refuses-without-$opt (not set in .config to begin with)"
		continue
	fi
	new_tree
	if dkms_build "$fake" "$work/refuse.log"; then
		result FAIL "refuses-without-$opt"
	elif grep -q "BUILD_EXCLUSIVE" "$work/refuse.log" &&
	     [ -z "$(find "$work/tree" -name bpfrt.ko)" ]; then
		result PASS "refuses-without-$opt"
	else
		tail -n 10 "$work/refuse.log"
		result FAIL "refuses-without-$opt"
	fi
done

echo "dkms[$release]: $passed passed, $failed failed"
[ -z "${BPFRT_COUNTS:-}" ] || echo "$passed $failed" >"$BPFRT_COUNTS"
[ "$failed" -eq 0 ]
