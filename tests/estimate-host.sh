#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `bpfrt estimate` on the host, on real objects: every program of
# tests/bpf/ and of the real-world set (tests/guest/realworld.txt), compiled
# with clang against a stock kernel's vmlinux.h. Nothing is loaded: the
# command runs as an unprivileged user, and (with strace) makes no bpf()
# system call at all.
#
#   tests/estimate-host.sh [KERNEL]      (default: bookworm)
#
# Checks, each reported as "PASS name" / "FAIL name":
#  - every object: exit status 0, valid JSON, as many programs as the text
#    output, each with a finite estimate (or "unbounded" flagged as such),
#    best <= worst, an explanation, instructions and functions;
#  - our programs: the shapes their sources imply (loop and callback
#    counts, map names by index, flags), as the module's guest case checks;
#  - errors: a missing program, a file that is not an object;
#  - every object again through an ASan and UBSan build of the CLI.
# Writes "PASSED FAILED" to $BPFRT_OUT/estimate-host.counts and the
# real-world estimates to $BPFRT_OUT/estimate-realworld.txt; exit 1 on any
# failure.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-bookworm}
cache=${BPFRT_CACHE:-$repo/tests/.cache}
outroot=${BPFRT_OUT:-$repo/tests/out}
out=$outroot/estimate-host
bpfrt=$repo/build/userspace/bpfrt
passed=0
failed=0

pass() { passed=$((passed + 1)); echo "PASS estimate-host/$1"; }
fail() { failed=$((failed + 1)); echo "FAIL estimate-host/$1${2:+ ($2)}"; }
check() {	# check NAME COMMAND...: PASS when COMMAND succeeds
	local name=$1
	shift
	if "$@" >"$out/check.log" 2>&1; then
		pass "$name"
	else
		fail "$name"
		sed 's/^/    /' "$out/check.log" | tail -n 20
	fi
}
finish() {
	echo "$passed $failed" >"$outroot/estimate-host.counts"
	echo "estimate-host: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

rm -rf "$out"
mkdir -p "$out/bpf" "$out/json"

if ! make -s -C "$repo" userspace >"$out/build.log" 2>&1; then
	tail -n 20 "$out/build.log"
	fail build
	finish
fi
kdir=$cache/$kernel
if [ ! -s "$kdir/vmlinux.h" ] &&
   ! "$repo/tests/guest/kernel.sh" "$kernel" "$kdir" >"$out/kernel.log" 2>&1; then
	tail -n 20 "$out/kernel.log"
	fail "vmlinux.h of $kernel"
	finish
fi

objs=()
for src in "$repo"/tests/bpf/*.bpf.c; do
	name=$(basename "$src" .c)
	if clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I"$kdir" \
		-I"$repo/tests/bpf" -c "$src" -o "$out/bpf/$name.o" \
		>"$out/bpf/$name.log" 2>&1; then
		objs+=("$out/bpf/$name.o")
	else
		fail "compile/$name"
	fi
done
if "$repo/tests/guest/realworld.sh" "$kdir/vmlinux.h" "$out/realworld" \
	>"$out/realworld.log" 2>&1; then
	pass realworld-compile
else
	tail -n 20 "$out/realworld.log"
	fail realworld-compile
fi
for o in "$out"/realworld/*.bpf.o; do
	[ -e "$o" ] && objs+=("$o")
done

# Unprivileged: as nobody when we are root (the usual case under make check).
# nobody may not be able to enter the checkout (a clone below a private
# folder, such as mktemp -d makes): it runs copies of the CLI and of the
# objects from a folder of their own. Root writes the results.
as_user=()
user_bpfrt=$bpfrt
user_out=$out
user_objs=("${objs[@]}")
if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null; then
	stage=$(mktemp -d "${TMPDIR:-/tmp}/bpfrt-estimate.XXXXXX")
	trap 'rm -rf "$stage"' EXIT
	cp "$bpfrt" "$stage/bpfrt"
	cp -r "$out/bpf" "$out/realworld" "$stage/"
	chmod -R a+rX "$stage"
	user_bpfrt=$stage/bpfrt
	user_out=$stage
	user_objs=()
	for o in "${objs[@]}"; do
		user_objs+=("$stage/${o#"$out"/}")
	done
	as_user=(runuser -u nobody --)
fi

# One object: text and JSON, unprivileged, the built-in table.
estimate_obj() {
	local o=$1 j=$out/json/$(basename "$o" .o).json
	"${as_user[@]}" "$user_bpfrt" estimate "$o" costs builtin \
		>"$j.txt" 2>"$j.err" || { cat "$j.err"; return 1; }
	"${as_user[@]}" "$user_bpfrt" -j estimate "$o" costs builtin \
		>"$j" 2>>"$j.err" || { cat "$j.err"; return 1; }
	python3 - "$j" "$j.txt" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
lines = [l for l in text[1:] if not l.startswith("\t")]
progs = doc["programs"]
assert doc["costs"]["table"] == "builtin", doc["costs"]
assert progs and len(progs) == len(lines), (len(progs), len(lines))
for p in progs:
    name = p["name"]
    assert p["est_errno"] == 0 and "est_failed" not in p["flags"], p.get("est_error")
    assert p["insn_cnt"] > 0 and p["func_cnt"] >= 1, name
    assert p["worst_explanation"] and p["contributors"], name
    if p["worst_ns"] is None:
        assert "unbounded" in p["estimate_flags"], name
    else:
        assert 0 <= p["best_ns"] <= p["worst_ns"], name
        assert p["worst_ps"] >= p["worst_insns"] * 100, name  # >= 0.1 ns/insn
    assert any(l.startswith(name + ": ") for l in lines), name
EOF
}

for o in "${user_objs[@]}"; do
	check "object/$(basename "$o" .o)" estimate_obj "$o"
done

# The same objects through a CLI built with ASan and UBSan: the analyzer's
# memory handling on real programs, large ones included (the fuzzer's
# programs are small). Root runs it: this is about memory, not privilege.
asan_all() {
	local o bad=0
	make -s -C "$repo/userspace" -j2 O="$out/asan" \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -std=gnu11 -D_GNU_SOURCE" \
		LDFLAGS="-fsanitize=address,undefined" >"$out/asan.log" 2>&1 ||
		{ tail -n 20 "$out/asan.log"; return 1; }
	for o in "${objs[@]}"; do
		if ! "$out/asan/bpfrt" estimate "$o" costs builtin \
			>/dev/null 2>"$out/asan.err"; then
			echo "$(basename "$o"):"
			grep -E -m 5 'ERROR|SUMMARY|runtime error' "$out/asan.err"
			bad=1
		fi
	done
	return $bad
}
check asan-all-objects asan_all

# No bpf() system call at all: libbpf only prepares the instructions.
if command -v strace >/dev/null && [ ${#objs[@]} -gt 0 ]; then
	no_bpf_syscall() {
		strace -f -e trace=bpf -o "$out/strace.log" "${as_user[@]}" \
			"$user_bpfrt" estimate "$1" costs builtin >/dev/null &&
			! grep -q 'bpf(' "$out/strace.log"
	}
	for o in "$user_out/bpf/for_each.bpf.o" \
		 "$user_out/realworld/pyperf600.bpf.o"; do
		[ -e "$o" ] && check "no-bpf-syscall/$(basename "$o" .o)" \
			no_bpf_syscall "$o"
	done
else
	echo "estimate-host: strace not installed: the no-bpf() check is skipped"
fi

# What our sources imply (as tests/guest/cases/10-capture-programs.sh
# checks on the module's records).
prog_json() {	# prog_json OBJ PROG
	python3 -c '
import json, sys
for p in json.load(open(sys.argv[1]))["programs"]:
    if p["name"] == sys.argv[2]:
        print(json.dumps(p))' "$out/json/$1.bpf.json" "$2"
}
expect() {	# expect OBJ PROG PYTHON-EXPR over p
	local p
	p=$(prog_json "$1" "$2")
	[ -n "$p" ] || { echo "no program $2 in $1"; return 1; }
	python3 -c '
import json, sys
p = json.loads(sys.argv[1])
c = p["contributors"]
ok = eval(sys.argv[2])
if not ok:
    print(json.dumps(p, indent=1)[:3000])
sys.exit(0 if ok else 1)' "$p" "$3"
}
check shape/bounded_loop expect bounded_loop bounded_loop \
	'any(x["kind"] == "loop" and x["multiplier"] == 64 for x in c)'
check shape/branchy expect branchy branchy \
	'p["best_insns"] < p["worst_insns"]'
check shape/loop_const expect loop_helper loop_const \
	'any(x["kind"] == "callback" and x["multiplier"] == 1000 for x in c) and "loop_capped" not in p["estimate_flags"]'
check shape/loop_var expect loop_helper loop_var \
	'"loop_capped" in p["estimate_flags"] and any(x["kind"] == "callback" and x["multiplier"] == 1 << 23 for x in c)'
check shape/loop_flags expect loop_helper loop_flags \
	'any(x["kind"] == "callback" and x["multiplier"] == 500 for x in c)'
# map indices in first-use order, named from the object: arr has 256 entries
check shape/each_array expect for_each each_array \
	'p["maps"][0]["name"] == "arr" and p["maps"][0]["max_entries"] == 256 and any(x["kind"] == "callback" and x["multiplier"] == 256 for x in c)'
check shape/each_hash expect for_each each_hash \
	'p["maps"][0]["name"] == "hash" and any(x["kind"] == "map_op" and x["op"] == "update" and x["map_index"] == 0 for x in c) and "map update on map \x27hash\x27 (hash)" in p["worst_explanation"]'
check shape/subprog expect subprog subprog \
	'p["func_cnt"] == 3 and any(x["kind"] == "helper" and x["func"] == 2 and x["helper"] == "bpf_ktime_get_ns" for x in c)'
check shape/tail_caller expect tail_call tail_caller \
	'"tail_call" in p["estimate_flags"]'
check shape/straight_line expect straight_line straight_line \
	'p["best_insns"] == p["worst_insns"] and p["maps"][0]["type"] == "array"'

# One program in detail; the errors people will meet.
detail() {
	local t
	t=$("$bpfrt" estimate "$out/bpf/for_each.bpf.o" name each_hash) || return 1
	grep -q '^each_hash: xdp  section xdp$' <<<"$t" &&
		grep -q 'largest contributors:' <<<"$t" &&
		grep -q '0: hash  name hash  max_entries 1000' <<<"$t" &&
		! grep -q each_array <<<"$t"
}
check detail detail
missing_prog() {
	local e
	e=$("$bpfrt" estimate "$out/bpf/for_each.bpf.o" nosuch 2>&1) && return 1
	grep -q "no program named 'nosuch' in .*(programs: each_array, each_hash)" <<<"$e"
}
check error/missing-program missing_prog
not_object() {
	local e
	e=$("$bpfrt" estimate "$repo/README.md" 2>&1) && return 1
	grep -q 'is not a BPF object file' <<<"$e"
}
check error/not-an-object not_object

# The real-world estimates, for people.
python3 - "$out"/json/*.json >"$outroot/estimate-realworld.txt" <<'EOF'
import json, os, sys
def d(ns):
    if ns is None: return "unbounded"
    for u, s in (("s", 10**9), ("ms", 10**6), ("us", 10**3)):
        if ns >= s: return "%.3g %s" % (ns / s, u)
    return "%d ns" % ns
print("%-28s %-36s %7s %5s %10s %10s  %s" % ("object", "program", "insns", "funcs", "best", "worst", "flags"))
for f in sys.argv[1:]:
    if not f.endswith(".json"): continue
    doc = json.load(open(f))
    if "/realworld/" not in doc["file"]: continue
    for p in doc["programs"]:
        print("%-28s %-36s %7d %5d %10s %10s  %s" % (
            os.path.basename(doc["file"])[:-6], p["name"][:36], p["insn_cnt"], p["func_cnt"],
            d(p["best_ns"]), d(p["worst_ns"]), ",".join(p["estimate_flags"])))
EOF
finish
