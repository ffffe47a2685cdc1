#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/guest/kernel.sh - prepare a stock Debian kernel for the guest test harness.
#
# Usage: tests/guest/kernel.sh KERNEL OUTDIR
#
#   KERNEL  bookworm            current ABI of bookworm's linux-image-amd64 /
#                               linux-headers-amd64 (with -updates and -security,
#                               as configured on the machine), e.g. 6.1.0-NN-amd64
#           bookworm-backports  current ABI of bookworm-backports' metapackages (6.12)
#           ABI                 an explicit ABI such as 6.1.0-41-amd64 or
#                               6.12.95+deb12-amd64 (see BPFRT_SUITE)
#
# Produces in OUTDIR:
#   vmlinux      uncompressed kernel ELF (with .BTF) taken from the bzImage; boots via PVH
#   vmlinux.h    bpftool btf dump file vmlinux format c
#   build/       KDIR for out-of-tree modules: make -C OUTDIR/build M=DIR modules
#   modules/     the image package's lib/modules/RELEASE tree
#   release      the kernel release (uname -r in the guest)
#   config       the kernel .config
#   pkgs.txt     the resolved packages, one "name=version" per line
#   root/        the extracted packages that build/ and modules/ point into
#
# Nothing is installed on the host: packages are fetched with `apt-get download` and
# unpacked with `dpkg-deb -x`. A second run with the same resolved versions downloads
# nothing and leaves OUTDIR as it is. OUTDIR/build refers to its -common headers by
# absolute path: after moving OUTDIR, run the script again (it notices and redoes it).
#
# Environment:
#   BPFRT_CACHE         cache for downloaded packages and private apt state
#                       (default: OUTDIR's parent directory; uses kernel-debs/ and kernel-apt/)
#   BPFRT_SUITE         suite for an explicit ABI (default: bookworm-backports if the ABI
#                       contains "+deb", else bookworm)
#   BPFRT_APT_PRIVATE   1: resolve bookworm from a private apt state too, instead of the
#                       machine's apt lists (a suite the machine lacks, like
#                       bookworm-backports, always uses a private state)
#   BPFRT_APT_MIRROR    archive URI for private apt states (default: the URI the machine's
#                       apt configuration uses for the base suite, e.g. bookworm)
#   BPFRT_APT_MAX_AGE   seconds before a private apt state is refreshed (default 86400;
#                       0 refreshes on every run)
#
# Needs (Debian packages; also listed in tests/guest/deps.txt):
#   apt, dpkg (apt-get, apt-cache, dpkg-deb), debian-archive-keyring (private apt states),
#   coreutils, util-linux (flock), xz-utils, zstd, gzip (bzImage payloads), binutils
#   (readelf), bpftool (vmlinux.h), make, gcc-12 (module builds: 6.1 uses gcc-12, 6.12
#   x86_64-linux-gnu-gcc-12), pahole (module BTF on 6.12), libelf1 and zlib1g (run the
#   kbuild package's objtool and resolve_btfids).

set -euo pipefail

PROG=kernel.sh
# Bump when the layout of OUTDIR changes, so that old outputs get rebuilt.
FORMAT=1
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}

say() {
	printf '%s: %s\n' "$PROG" "$*"
}

# Run a command with its output in a log file; on failure, show the log and stop.
# Keeps successful runs quiet (one line per step) without hiding why a step failed.
run_logged() {
	local what=$1
	shift
	if ! "$@" >"$LOG" 2>&1; then
		printf '%s: error: %s failed: %s\n' "$PROG" "$what" "$*" >&2
		tail -n 40 "$LOG" | sed 's/^/    /' >&2
		exit 1
	fi
}

usage() {
	sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

check_tools() {
	local t missing=()
	for t in apt-get apt-cache dpkg-deb od dd sha256sum flock xz zstd gzip readelf \
		bpftool make gcc-12 x86_64-linux-gnu-gcc-12 pahole; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	((${#missing[@]} == 0)) ||
		die "missing tools: ${missing[*]} (install the packages in tests/guest/deps.txt)"
}

# ---------------------------------------------------------------------------
# apt: which package index to resolve from
# ---------------------------------------------------------------------------

# The archive URI the machine's own apt configuration uses for SUITE (e.g.
# "http://.../debian/" for bookworm). Read from apt, never hard-coded: the repo must not
# name a mirror.
machine_repo_uri() {
	# shellcheck disable=SC2016 # $(REPO_URI) is apt's format syntax, not the shell's
	apt-get indextargets --format '$(REPO_URI)' "Release: $1" 'Target-Of: deb' \
		'Identifier: Packages' 2>/dev/null | awk 'NR == 1'
}

# Set APT_OPTS so that apt-get/apt-cache see the package index for SUITE.
# A suite the machine already has (bookworm) is read from the machine's lists, which
# this script never updates. Any other suite (bookworm-backports) gets a private apt
# state under the cache: own sources list, lists and archive cache, so the machine's
# apt state stays exactly as it was.
setup_apt() {
	local suite=$1 base=${1%%-*} mirror security dir max_age stamp age
	APT_OPTS=()
	if [[ ${BPFRT_APT_PRIVATE:-0} != 1 && -n $(machine_repo_uri "$suite") ]]; then
		APT_DESC="machine apt lists"
		return
	fi

	mirror=${BPFRT_APT_MIRROR:-$(machine_repo_uri "$base")}
	[[ -n $mirror ]] ||
		die "cannot find the Debian archive URI for '$base' in apt's configuration" \
			"(apt-get indextargets); set BPFRT_APT_MIRROR"
	[[ -r $KEYRING ]] || die "$KEYRING missing (install debian-archive-keyring)"

	dir=$CACHE/kernel-apt/$suite
	mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/sources.list.d"
	{
		echo "deb [signed-by=$KEYRING] $mirror $suite main"
		# The base suite alone would miss point-release and security kernels.
		if [[ $suite == "$base" ]]; then
			echo "deb [signed-by=$KEYRING] $mirror $base-updates main"
			security=$(machine_repo_uri "$base-security")
			[[ -z $security ]] ||
				echo "deb [signed-by=$KEYRING] $security $base-security main"
		fi
	} >"$dir/sources.list.new"
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$dir/sources.list"
		-o "Dir::Etc::SourceParts=$dir/sources.list.d"
		-o "Dir::State=$dir"
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir"
		-o "Dir::Cache::Archives=$dir/archives"
		# The cache belongs to whoever runs the script; apt's _apt user may not be
		# able to write there, and the files are checked against signed indexes anyway.
		-o "APT::Sandbox::User=$(id -un)"
	)
	APT_DESC="private apt state $dir"

	# Refresh the private lists when missing, stale or pointing somewhere else; a warm run
	# within BPFRT_APT_MAX_AGE stays off the network.
	max_age=${BPFRT_APT_MAX_AGE:-86400}
	stamp=$dir/updated
	age=$max_age
	if [[ -e $stamp ]]; then
		age=$(($(date +%s) - $(stat -c %Y "$stamp")))
	fi
	if ! cmp -s "$dir/sources.list.new" "$dir/sources.list" || ((age >= max_age)); then
		mv "$dir/sources.list.new" "$dir/sources.list"
		rm -f "$stamp"
		run_logged "apt-get update ($suite, $APT_DESC)" \
			apt-get "${APT_OPTS[@]}" -q update
		touch "$stamp"
		say "apt: updated $suite lists in $dir"
	else
		rm -f "$dir/sources.list.new"
	fi
}

# apt-cache records of the candidate versions of PKG... into RECORDS. Each apt-cache
# run parses the whole index (about half a second here), so callers ask for several
# packages at once. An unknown package is not an error here: callers check for empty
# fields and say what is missing.
apt_show() {
	RECORDS=$(apt-cache "${APT_OPTS[@]}" show --no-all-versions "$@" 2>/dev/null) || true
}

# Value of FIELD in PKG's record in RECORDS (continuation lines joined).
field() {
	awk -v p="$1" -v f="$2:" '
		/^$/ { pkg = ""; next }
		$1 == "Package:" { pkg = $2 }
		pkg != p || found { next }
		$1 == f { sub(/^[^:]*: */, ""); v = $0; grab = 1; next }
		grab && /^[ \t]/ { v = v $0; next }
		grab { found = 1 }
		END { if (v != "") print v }' <<<"$RECORDS"
}

# First package name in a Depends value ($1) that matches an ERE ($2, anchored).
# A single awk on a here-string: no pipeline that could die of SIGPIPE under pipefail.
dep_name() {
	awk -v re="^($2)\$" 'BEGIN { RS = "[,|]" }
		{ sub(/^[ \t\n]+/, ""); split($0, w, /[ \t\n(]/) }
		w[1] ~ re { print w[1]; exit }' <<<"$1"
}

# ---------------------------------------------------------------------------
# Resolve KERNEL into ABI, version and the four package names
# ---------------------------------------------------------------------------

resolve() {
	local kernel=$1 meta_img meta_hdr abi_hdr hdr_deps
	case $kernel in
	bookworm | bookworm-backports)
		SUITE=$kernel
		setup_apt "$SUITE"
		apt_show linux-image-amd64 linux-headers-amd64
		meta_img=$(field linux-image-amd64 Depends)
		meta_hdr=$(field linux-headers-amd64 Depends)
		[[ -n $meta_img && -n $meta_hdr ]] ||
			die "linux-image-amd64/linux-headers-amd64 not found in $SUITE ($APT_DESC)"
		IMAGE=$(dep_name "$meta_img" 'linux-image-[^ ]+-amd64')
		abi_hdr=$(dep_name "$meta_hdr" 'linux-headers-[^ ]+-amd64')
		[[ -n $IMAGE && -n $abi_hdr ]] ||
			die "cannot read the ABI from the metapackages' Depends: '$meta_img' / '$meta_hdr'"
		ABI=${IMAGE#linux-image-}
		[[ ${abi_hdr#linux-headers-} == "$ABI" ]] ||
			die "linux-image-amd64 ($ABI) and linux-headers-amd64 (${abi_hdr#linux-headers-})" \
				"disagree in $SUITE: the mirror is mid-update, try again later"
		;;
	*)
		ABI=$kernel
		if [[ $ABI == *+deb* ]]; then
			SUITE=${BPFRT_SUITE:-bookworm-backports}
		else
			SUITE=${BPFRT_SUITE:-bookworm}
		fi
		setup_apt "$SUITE"
		IMAGE=linux-image-$ABI
		;;
	esac

	# The signed image package is what linux-image-amd64 installs; it and its -unsigned
	# twin both carry boot/vmlinuz-ABI (the signed one merely has an Authenticode
	# signature appended, which PVH boot of the extracted vmlinux ignores).
	HEADERS=linux-headers-$ABI
	apt_show "$IMAGE" "$HEADERS"
	VERSION=$(field "$IMAGE" Version)
	[[ -n $VERSION ]] ||
		die "$IMAGE not found in $SUITE ($APT_DESC); the archive keeps only current" \
			"ABIs (older ones are only in Debian's snapshot archive), or the lists are stale"
	[[ $(field "$HEADERS" Version) == "$VERSION" ]] ||
		die "$HEADERS in $SUITE is '$(field "$HEADERS" Version)', not $VERSION like $IMAGE"
	hdr_deps=$(field "$HEADERS" Depends)
	# 6.1: linux-headers-6.1.0-NN-common, linux-kbuild-6.1 (>= V);
	# 6.12: linux-headers-6.12.X+deb12-common, linux-kbuild-6.12.X+deb12.
	# All come from the same source package, hence the same version.
	COMMON=$(dep_name "$hdr_deps" 'linux-headers-[^ ]+-common')
	KBUILD=$(dep_name "$hdr_deps" 'linux-kbuild-[^ ]+')
	[[ -n $COMMON && -n $KBUILD ]] ||
		die "cannot find the -common headers and kbuild packages in $HEADERS's Depends: $hdr_deps"

	PKGS=("$IMAGE=$VERSION" "$HEADERS=$VERSION" "$COMMON=$VERSION" "$KBUILD=$VERSION")
	say "resolve: $KERNEL -> $ABI ($VERSION, $SUITE, $APT_DESC)"
}

# ---------------------------------------------------------------------------
# Download into the shared cache (no install)
# ---------------------------------------------------------------------------

# Is FILE complete and intact? HASH is apt's "SHA256:hex" (or another algorithm).
deb_ok() {
	local file=$1 size=$2 hash=$3 algo sum
	[[ -f $file && $(stat -c %s "$file") == "$size" ]] || return 1
	algo=${hash%%:*}
	algo=${algo,,}
	command -v "${algo}sum" >/dev/null 2>&1 || return 0
	sum=$("${algo}sum" "$file")
	[[ ${sum%% *} == "${hash#*:}" ]]
}

download() {
	local uris line file size hash want=() fetch=() tmp f
	mkdir -p "$DEBS"
	# --print-uris resolves the exact file names, sizes and hashes without fetching.
	uris=$(apt-get "${APT_OPTS[@]}" download --print-uris "${PKGS[@]}" 2>"$LOG") || {
		cat "$LOG" >&2
		die "apt-get download --print-uris ${PKGS[*]} failed ($APT_DESC)"
	}
	DEB_FILES=()
	while read -r line; do
		[[ -n $line ]] || continue
		read -r _ file size hash <<<"$line"
		DEB_FILES+=("$DEBS/$file")
		deb_ok "$DEBS/$file" "$size" "$hash" || fetch+=("$file $size $hash")
	done <<<"$uris"
	((${#DEB_FILES[@]} == ${#PKGS[@]})) ||
		die "apt resolved ${#DEB_FILES[@]} files for ${#PKGS[@]} packages: $uris"

	if ((${#fetch[@]} == 0)); then
		say "download: ${#PKGS[@]} packages already cached in $DEBS"
		return
	fi
	# Fetch into a private temporary directory, then move into place: a file under its
	# final name is always complete, even with concurrent or interrupted runs.
	tmp=$(mktemp -d "$DEBS/.tmp.XXXXXX")
	want=()
	for f in "${fetch[@]}"; do
		read -r file _ _ <<<"$f"
		for line in "${PKGS[@]}"; do
			if [[ $file == "${line%%=*}_"* ]]; then
				want+=("$line")
			fi
		done
	done
	if ! (cd "$tmp" && apt-get "${APT_OPTS[@]}" -q \
		-o "APT::Sandbox::User=$(id -un)" download "${want[@]}") >"$LOG" 2>&1; then
		rm -rf "$tmp"
		tail -n 20 "$LOG" | sed 's/^/    /' >&2
		die "apt-get download ${want[*]} failed ($APT_DESC); if the lists are stale:" \
			"apt-get update (machine lists) or BPFRT_APT_MAX_AGE=0 (private state)"
	fi
	for f in "${fetch[@]}"; do
		read -r file size hash <<<"$f"
		deb_ok "$tmp/$file" "$size" "$hash" ||
			{ rm -rf "$tmp"; die "downloaded $file does not match its index entry"; }
		mv -f "$tmp/$file" "$DEBS/$file"
	done
	rm -rf "$tmp"
	say "download: ${#fetch[@]} of ${#PKGS[@]} packages into $DEBS"
}

# ---------------------------------------------------------------------------
# Build OUTDIR
# ---------------------------------------------------------------------------

# Remove what this script creates in OUTDIR (and nothing else).
clean_outdir() {
	rm -f "$OUT/.stamp" "$OUT/build" "$OUT/modules" "$OUT/vmlinux" "$OUT/vmlinux.h" \
		"$OUT/release" "$OUT/config" "$OUT/pkgs.txt" "$OUT"/*.tmp
	rm -rf "$OUT/root"
}

extract() {
	local f
	mkdir -p "$OUT/root"
	for f in "${DEB_FILES[@]}"; do
		run_logged "dpkg-deb -x $(basename "$f")" dpkg-deb -x "$f" "$OUT/root"
	done
	say "extract: ${#DEB_FILES[@]} packages into $OUT/root"
}

# Unsigned little-endian integer of WIDTH bytes at OFFSET in FILE.
read_le() {
	local v
	v=$(od -An -t "u$3" -j "$2" -N "$3" "$1") || return 1
	echo $((v))
}

# The bzImage holds the compressed ELF as its payload: the setup header (boot protocol
# >= 2.08) gives payload_offset (0x248) and payload_length (0x24c), counted from the
# start of the protected-mode code, which follows the (setup_sects + 1) 512-byte
# sectors of real-mode setup. Compressors other than gzip get the uncompressed size
# appended as 4 little-endian bytes ("_with_size" in arch/x86/boot/compressed/Makefile):
# they are stripped before decompressing and used to check the result.
extract_vmlinux() {
	local bz=$OUT/root/boot/vmlinuz-$ABI out=$OUT/vmlinux.tmp
	local proto setup_sects pm_start off len magic size expect kind
	[[ -f $bz ]] || die "$bz missing from $IMAGE"
	[[ $(dd if="$bz" bs=1 skip=$((0x202)) count=4 status=none) == HdrS ]] ||
		die "$bz has no Linux boot setup header (HdrS)"
	proto=$(read_le "$bz" $((0x206)) 2)
	((proto >= 0x208)) || die "$bz: boot protocol $(printf %x "$proto") has no payload fields"
	setup_sects=$(read_le "$bz" $((0x1f1)) 1)
	((setup_sects != 0)) || setup_sects=4
	pm_start=$(((setup_sects + 1) * 512))
	off=$((pm_start + $(read_le "$bz" $((0x248)) 4)))
	len=$(read_le "$bz" $((0x24c)) 4)
	((len > 4 && off + len <= $(stat -c %s "$bz"))) ||
		die "$bz: payload offset $off / length $len out of range"
	expect=$(read_le "$bz" $((off + len - 4)) 4)
	magic=$(od -An -tx1 -j "$off" -N 6 "$bz" | tr -d ' \n')

	# dd, not tail|head: head closing the pipe early would be a SIGPIPE failure under
	# pipefail.
	case $magic in
	fd377a585a00*)
		kind=xz
		dd if="$bz" iflag=skip_bytes,count_bytes skip="$off" count=$((len - 4)) \
			status=none | xz -dc >"$out" || die "xz payload of $bz failed to decompress"
		;;
	28b52ffd*)
		kind=zstd
		dd if="$bz" iflag=skip_bytes,count_bytes skip="$off" count=$((len - 4)) \
			status=none | zstd -qdc >"$out" || die "zstd payload of $bz failed to decompress"
		;;
	1f8b*)
		kind=gzip
		dd if="$bz" iflag=skip_bytes,count_bytes skip="$off" count="$len" \
			status=none | gzip -dc >"$out" || die "gzip payload of $bz failed to decompress"
		;;
	*)
		die "$bz: unsupported payload compression (magic $magic); handles xz, zstd, gzip"
		;;
	esac

	size=$(stat -c %s "$out")
	((size % 4294967296 == expect)) ||
		die "$bz: decompressed $size bytes, the payload trailer says $expect"
	[[ $(od -An -tx1 -N 4 "$out" | tr -d ' \n') == 7f454c46 ]] ||
		die "$bz: decompressed payload is not an ELF file"
	# vmlinux.h, BPF CO-RE and module BTF all need the kernel's BTF.
	# No `grep -q` on a pipe: it exits at the first match, readelf then dies
	# of SIGPIPE and pipefail turns the match into a failure.
	local sections
	sections=$(readelf -S -W "$out")
	grep -q ' \.BTF ' <<<"$sections" || die "$bz: vmlinux has no .BTF section"
	mv -f "$out" "$OUT/vmlinux"
	say "vmlinux: $kind payload at $off+$len of $(basename "$bz") -> $size bytes, .BTF present"
}

# The release string the guest's uname -r prints, read from the bzImage's version
# string (setup header kernel_version at 0x20e, relative to 0x200), so that the file
# name we trust is checked against the kernel itself.
check_release() {
	local bz=$OUT/root/boot/vmlinuz-$ABI ptr release
	ptr=$(read_le "$bz" $((0x20e)) 2)
	release=$(dd if="$bz" iflag=skip_bytes,count_bytes skip=$((ptr + 0x200)) count=256 \
		status=none | tr '\0' '\n' | awk 'NR == 1 { print $1 }')
	[[ $release == "$ABI" ]] ||
		die "$bz reports release '$release', expected '$ABI'"
	echo "$ABI" >"$OUT/release"
}

# Point the headers package at the extracted copies of what it expects under /usr/src
# and /usr/lib: its Makefile includes the -common Makefile by absolute path. (scripts/
# and tools/ are relative symlinks into linux-kbuild and resolve inside root/ as they
# are.) Then make sure the kbuild host binaries run and build a throwaway module.
setup_build() {
	local root hdr common mod sub bin rc smoke btf
	root=$(cd "$OUT/root" && pwd -P)
	hdr=$root/usr/src/linux-headers-$ABI
	common=$root/usr/src/$COMMON
	[[ -f $hdr/Makefile && -f $common/Makefile ]] ||
		die "headers missing: $hdr/Makefile or $common/Makefile"
	grep -qx "include /usr/src/$COMMON/Makefile" "$hdr/Makefile" ||
		die "$hdr/Makefile does not include /usr/src/$COMMON/Makefile; layout changed?"
	sed -i "s|^include /usr/src/$COMMON/Makefile\$|include $common/Makefile|" "$hdr/Makefile"
	ln -sfn "root/usr/src/linux-headers-$ABI" "$OUT/build"

	# modules/: the image's lib/modules/RELEASE (usr/lib/modules on merged-/usr
	# packages). Its build/source links are absolute into the host's /usr/src:
	# re-point them at the extracted headers.
	mod=
	for sub in lib/modules usr/lib/modules; do
		if [[ -d $root/$sub/$ABI ]]; then
			mod=$sub/$ABI
			break
		fi
	done
	[[ -n $mod ]] || die "$IMAGE has no lib/modules/$ABI"
	ln -sfn "$hdr" "$root/$mod/build"
	ln -sfn "$common" "$root/$mod/source"
	ln -sfn "root/$mod" "$OUT/modules"
	cp "$root/boot/config-$ABI" "$OUT/config"

	# Run without arguments they print usage (exit 1 or 129); a binary that cannot
	# run at all (missing shared library, wrong format) exits 126 or 127.
	for bin in scripts/basic/fixdep scripts/mod/modpost tools/objtool/objtool; do
		[[ -x $hdr/$bin ]] || die "$hdr/$bin missing (from $KBUILD)"
		rc=0
		SRCARCH=x86 "$hdr/$bin" </dev/null >/dev/null 2>&1 || rc=$?
		((rc != 126 && rc != 127)) || die "$hdr/$bin does not run (exit $rc): missing libelf1/zlib1g?"
	done

	smoke=$(mktemp -d "${TMPDIR:-/tmp}/kernel-sh-smoke.XXXXXX")
	printf '%s\n' '#include <linux/module.h>' 'MODULE_LICENSE("GPL");' >"$smoke/smoke.c"
	echo 'obj-m := smoke.o' >"$smoke/Kbuild"
	if ! make -C "$OUT/build" M="$smoke" modules >"$LOG" 2>&1 || [[ ! -f $smoke/smoke.ko ]]; then
		rm -rf "$smoke"
		tail -n 30 "$LOG" | sed 's/^/    /' >&2
		die "test module build against $OUT/build failed"
	fi
	rm -rf "$smoke"
	# 6.1's headers ship no vmlinux, so kbuild skips module BTF; 6.12's ship a
	# BTF-only vmlinux and get module BTF via pahole.
	btf="module BTF: yes"
	! grep -q 'Skipping BTF generation' "$LOG" || btf="module BTF: no, the headers ship no vmlinux"
	say "build: KDIR $OUT/build ok: kbuild tools run, test module builds ($btf)"
}

make_vmlinux_h() {
	# shellcheck disable=SC2016 # expanded by the inner bash
	run_logged "bpftool btf dump" \
		bash -c 'bpftool btf dump file "$1" format c >"$2"' _ "$OUT/vmlinux" "$OUT/vmlinux.h.tmp"
	mv -f "$OUT/vmlinux.h.tmp" "$OUT/vmlinux.h"
	say "vmlinux.h: $(wc -l <"$OUT/vmlinux.h") lines"
}

# Everything a previous run must have left for OUTDIR to count as done.
outputs_present() {
	[[ -f $OUT/vmlinux && -s $OUT/vmlinux.h && -f $OUT/release && -f $OUT/config &&
		-f $OUT/pkgs.txt && -f $OUT/build/Makefile && -d $OUT/modules/kernel ]]
}

main() {
	(($# == 2)) || usage
	KERNEL=$1
	# Checked before anything is created, so a typo leaves no directories behind.
	[[ $KERNEL == bookworm || $KERNEL == bookworm-backports ||
		$KERNEL =~ ^[0-9]+\.[0-9]+[^/\ ]*-amd64$ ]] ||
		die "unknown KERNEL '$KERNEL': use bookworm, bookworm-backports or an ABI" \
			"like 6.1.0-41-amd64"
	check_tools
	[[ -n $2 && $2 != / ]] || die "OUTDIR must be a directory other than /"
	mkdir -p "$2" || die "cannot create OUTDIR $2"
	OUT=$(cd "$2" && pwd -P)
	CACHE=${BPFRT_CACHE:-$(dirname "$OUT")}
	mkdir -p "$CACHE" || die "cannot create cache dir $CACHE"
	CACHE=$(cd "$CACHE" && pwd -P)
	DEBS=$CACHE/kernel-debs

	# One run per OUTDIR at a time; apt state and downloads are shared through CACHE.
	exec 8>"$OUT/.lock"
	flock -w 900 8 || die "timed out waiting for another kernel.sh on $OUT"
	mkdir -p "$CACHE/kernel-apt"
	exec 9>"$CACHE/kernel-apt/.lock"
	flock -w 900 9 || die "timed out waiting for another kernel.sh on $CACHE"

	LOG=$(mktemp "${TMPDIR:-/tmp}/kernel-sh-log.XXXXXX")
	trap 'rm -f "$LOG"' EXIT

	resolve "$KERNEL"
	local want
	want=$(printf '%s\n' "format=$FORMAT" "outdir=$OUT" "${PKGS[@]}")
	if [[ -f $OUT/.stamp && $(<"$OUT/.stamp") == "$want" ]] && outputs_present; then
		say "up to date: $OUT ($ABI)"
		return
	fi

	download
	flock -u 9
	clean_outdir
	extract
	extract_vmlinux
	check_release
	setup_build
	make_vmlinux_h
	printf '%s\n' "${PKGS[@]}" >"$OUT/pkgs.txt"
	# Written last: only a run that got through every step marks OUTDIR as done.
	echo "$want" >"$OUT/.stamp"
	say "done: $OUT ($ABI)"
}

main "$@"
