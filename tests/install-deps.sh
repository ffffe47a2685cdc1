#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs every Debian package the build, the unit tests and the guest
# harness need. Idempotent and quick when all are present: apt is only
# called for what is missing. Needs root (as `make check` on a fresh
# machine is run).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

# Build of the module and userspace; unit tests; fuzzing (clang's libFuzzer
# runtime comes with libclang-rt-*-dev).
pkgs=(make gcc libc6-dev pkg-config clang llvm libclang-rt-14-dev
      libbpf-dev libelf-dev zlib1g-dev libcmocka-dev dkms)
# Cost table files (bpfrt calibrate, bpfrt costs): json-c, with the static
# library the guest's static binaries link.
pkgs+=(libjson-c-dev)
# The guest harness: QEMU, the initramfs userland, BPF object generation.
pkgs+=(qemu-system-x86 busybox-static cpio bpftool python3 kmod)
# Real-world BPF programs (the kernel's selftests, tests/guest/realworld.sh)
# and the check that `bpfrt estimate` makes no bpf() call.
pkgs+=(linux-source-6.1 strace)
# What tests/guest/kernel.sh needs to fetch and unpack stock kernels.
if [ -f "$here/guest/deps.txt" ]; then
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		pkgs+=("$p")
	done <"$here/guest/deps.txt"
fi

# kernel.sh resolves the bookworm kernel from the machine's apt lists: a
# machine that never ran `apt-get update` has none.
if ! ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "install-deps: no apt package lists yet; running apt-get update"
		apt-get update -qq
	else
		echo "install-deps: no apt package lists; run 'apt-get update' as root" >&2
		exit 1
	fi
fi

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$st" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#pkgs[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run as root (or: apt-get install ${missing[*]})" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
