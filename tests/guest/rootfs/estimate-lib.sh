#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest helpers comparing the module's estimate of a loaded program with
# `bpfrt estimate` on the object it came from (cases 20-29). Sourced after
# lib.sh. JSON documents stay in files: the cases trace every command on
# the serial console (set -x), and a large program's JSON would crawl
# through it.

# The value of field NAME in FILE, one line of bpfrt's JSON: a number,
# null, true or false (the last occurrence; the fields used here occur
# once).
json_num() {	# json_num FILE NAME
	sed -n "s/.*\"$2\":\([^,}\"]*\).*/\1/p" "$1"
}

# The strings of array field NAME in FILE, comma-separated, no quotes.
json_list() {	# json_list FILE NAME
	sed -n "s/.*\"$2\":\[\([^]]*\)\].*/\1/p" "$1" | tr -d '"'
}

# The names of the maps in a program's JSON, in index order: every "name"
# after the program's own (contributors and call sites have none).
map_names() {	# map_names FILE
	grep -o '"name":"[^"]*"' "$1" | sed '1d; s/"name":"\(.*\)"/\1/' |
		tr '\n' ' '
}

# A flag list without the names given after it.
flags_without() {
	_f=$1
	shift
	for _x in "$@"; do
		_f=$(echo ",$_f," | sed "s/,$_x,/,/g; s/^,//; s/,$//")
	done
	echo "$_f"
}

# awk's verdict on an expression over m and c (numbers; null is infinity).
num_rel() {	# num_rel M C EXPR
	awk -v m="$1" -v c="$2" "BEGIN {
		if (m == \"null\") m = 1e300
		if (c == \"null\") c = 1e300
		m += 0; c += 0
		exit !($3)
	}"
}

# How the kernel's final program relates to the object's (README.md,
# "bpfrt estimate and the module's estimate"), from what can be seen:
#   equal     same instruction and function counts: nothing was rewritten
#             that changes the cost, the estimates must be identical;
#   loop      the object calls bpf_loop and the module's record has no
#             such call left: the verifier inlined it;
#   rewritten other rewrites (context accesses, dead code, inlined
#             helpers and map lookups).
estimate_relation() {	# estimate_relation MODULE_JSON_FILE CLI_JSON_FILE
	if [ "$(json_num "$1" insn_cnt)" = "$(json_num "$2" insn_cnt)" ] &&
	   [ "$(json_num "$1" func_cnt)" = "$(json_num "$2" func_cnt)" ]; then
		echo equal
	elif grep -q '"helper":"bpf_loop"' "$2" &&
	     ! grep -q '"helper":"bpf_loop"' "$1"; then
		echo loop
	else
		echo rewritten
	fi
}

# estimate_compare OBJ PROG ID [EXPECTED_RELATION]: compares the module's
# record of program ID with `bpfrt estimate OBJ PROG` (both with the
# built-in table), prints one line and fails on a mismatch.
estimate_compare() {
	_m=/tmp/estimate-module.json _c=/tmp/estimate-cli.json
	bpfrt -j prog show "$3" >"$_m" || fail "$2: no record for id $3"
	bpfrt -j estimate "$1" name "$2" costs builtin >"$_c" ||
		fail "$2: bpfrt estimate failed: $(cut -c1-300 "$_c")"
	_rel=$(estimate_relation "$_m" "$_c")
	_mb=$(json_num "$_m" best_ns) _cb=$(json_num "$_c" best_ns)
	_mw=$(json_num "$_m" worst_ns) _cw=$(json_num "$_c" worst_ns)
	_mf=$(json_list "$_m" estimate_flags)
	_cf=$(json_list "$_c" estimate_flags)
	echo "COMPARE $(basename "$1" .bpf.o)/$2 $_rel" \
		"insns $(json_num "$_m" insn_cnt)/$(json_num "$_c" insn_cnt)" \
		"funcs $(json_num "$_m" func_cnt)/$(json_num "$_c" func_cnt)" \
		"best $_mb/$_cb worst $_mw/$_cw flags $_mf/$_cf"
	[ -z "$4" ] || expect_eq "$_rel" "$4" "$2: relation"
	# The maps by index: the kernel's used_maps order, which the CLI
	# reproduces from the object (first reference). Rewrites keep them.
	expect_eq "$(map_names "$_m")" "$(map_names "$_c")" "$2: maps by index"
	case "$_rel" in
	equal)
		expect_eq "$_mb" "$_cb" "$2: best_ns"
		expect_eq "$_mw" "$_cw" "$2: worst_ns"
		expect_eq "$_mf" "$_cf" "$2: estimate flags"
		;;
	loop)
		# The inlined loop runs the same callback the same number of
		# times plus its own instructions; its -E2BIG exit makes a
		# shorter best path. A saturated worst case is "unbounded".
		num_rel "$_mw" "$_cw" "m >= c" ||
			fail "$2: inlined bpf_loop: module worst $_mw < $_cw"
		num_rel "$_mb" "$_cb" "m <= c" ||
			fail "$2: inlined bpf_loop: module best $_mb > $_cb"
		expect_eq "$(flags_without "$_mf" unbounded)" \
			"$(flags_without "$_cf" unbounded)" "$2: estimate flags"
		;;
	rewritten)
		# Rewrites add or remove a few instructions per site: the
		# worst cases stay within 15%, the bound's dependencies equal.
		num_rel "$_mw" "$_cw" "m <= c * 1.15 && c <= m * 1.15" ||
			fail "$2: rewritten: worst $_mw vs $_cw differ by more than 15%"
		expect_eq "$_mf" "$_cf" "$2: estimate flags"
		;;
	esac
}

# realworld_object OBJ: loads every program of OBJ (kept pinned) with the
# module present; each must be recorded with a finite, plausible estimate
# and an explanation, or "unbounded" with its reason flagged, and relate to
# `bpfrt estimate` as estimate_compare checks. Prints one REALWORLD line
# per program. Sets $rw_progs to the number of programs.
realworld_object() {
	_n=$(basename "$1" .bpf.o)
	mkdir -p "/sys/fs/bpf/rw/$_n"
	bpf_load_time -k "/sys/fs/bpf/rw/$_n" "$1" >/tmp/loaded ||
		fail "$_n does not load"
	rw_progs=0
	while read -r _ _p _ _id _ _ _ _ns; do
		_r=/tmp/record.json
		bpfrt -j prog show "$_id" >"$_r"
		_f=$(json_list "$_r" estimate_flags)
		_w=$(json_num "$_r" worst_ns)
		_b=$(json_num "$_r" best_ns)
		echo "REALWORLD $_n/$_p insns $(json_num "$_r" insn_cnt) best_ns $_b worst_ns $_w flags $_f load_ms $((_ns / 1000000))"
		case "$(json_list "$_r" flags)" in
		*est_failed*) fail "$_n/$_p: estimate failed: errno $(json_num "$_r" est_errno)" ;;
		esac
		if [ "$_w" = null ]; then
			case ",$_f," in
			*,unbounded,*) ;;
			*) fail "$_n/$_p: no worst case and no unbounded flag" ;;
			esac
			case ",$_f," in
			*,loop_capped,*|*,loop_unbounded,*|*,recursion,*) ;;
			*) fail "$_n/$_p: unbounded without a reason: $_f" ;;
			esac
		else
			# plausible: at least the best case, at least 0.1 ns per
			# instruction on the worst path
			num_rel "$_w" "$_b" "m >= c" ||
				fail "$_n/$_p: worst $_w < best $_b"
			num_rel "$(json_num "$_r" worst_ps)" \
				"$(json_num "$_r" worst_insns)" "m >= c * 100" ||
				fail "$_n/$_p: worst case below 0.1 ns per instruction"
		fi
		grep -q '"worst_explanation":"worst case ' "$_r" ||
			fail "$_n/$_p: no explanation"
		estimate_compare "$1" "$_p" "$_id"
		rw_progs=$((rw_progs + 1))
	done </tmp/loaded
	[ "$rw_progs" -gt 0 ] || fail "$_n: no program loaded"
}
