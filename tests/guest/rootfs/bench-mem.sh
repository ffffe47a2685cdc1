#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Bench: what a record costs in memory. Run by the guest's init in bench
# mode (tests/guest/run.sh --bench); everything it prints is the report
# (tests/out/bench-mem-KERNEL.txt).
#
# Slab + VmallocUsed of /proc/meminfo before and after N copies of a
# program are loaded and kept, without and with the module; the
# difference of the two deltas over N is the module's memory per record,
# for a small and a large program (the slope is per instruction). Beside
# it, the module's own account of the record (stats record_bytes).
#
# With the module, the copies are listed (`bpfrt prog list`) while they
# are still pinned, before memory is read: that counts the records, and
# listing makes every estimate still deferred (PROG_LIST settles them), so
# no analysis holds its working memory (a few hundred KiB for a large
# program) when memory is read.
. /guest/lib.sh

tmp=/tmp/bench-mem
mkdir -p "$tmp"
rm -f "$tmp"/*
bpfrt_module_loaded && rmmod bpfrt

mem_kib() {
	awk '/^Slab:/ { s = $2 } /^VmallocUsed:/ { v = $2 } END { print s + v }' /proc/meminfo
}

# mem_phase OBJ PROG COPIES: KiB that COPIES loaded copies add; with the
# module, the number of them it recorded goes to $tmp/recorded.
mem_phase() {
	rm -rf /sys/fs/bpf/bench
	mkdir -p /sys/fs/bpf/bench
	sleep 1
	before=$(mem_kib)
	bpf_load_time -p "$2" -c "$3" -k /sys/fs/bpf/bench "$1" >/dev/null ||
		echo "load of $2 failed" >&2
	if bpfrt_module_loaded; then
		bpfrt prog list | grep -c " name $(echo "$2" | cut -c1-15) " \
			>"$tmp/recorded"
	fi
	after=$(mem_kib)
	rm -rf /sys/fs/bpf/bench
	echo $((after - before))
}

# "RECORDS BYTES" now: one read of the stats, so both describe the same
# records (libbpf's probe programs come and go between two reads).
records_now() {
	awk '/^recorded / { n = $2 } /^record_bytes / { b = $2 }
	     END { print n, b }' /sys/kernel/bpfrt/stats
}

# mem_record OBJ PROG COPIES
mem_record() {
	d0=$(mem_phase "$@")
	bpfrt_load_module
	# Programs of the last phase are freed after a grace period, and the
	# module adopts whatever still lives when it loads: let that settle.
	sleep 2
	rec0=$(records_now)
	mkdir -p /sys/fs/bpf/bench1
	bpf_load_time -p "$2" -k /sys/fs/bpf/bench1 "$1" >/dev/null
	rec1=$(records_now)
	rm -rf /sys/fs/bpf/bench1
	echo "$2 $rec0 $rec1" | awk '{
		n = $4 - $2; b = $5 - $3
		printf "%s: %d record(s) added holding %d bytes, %d each (the module'"'"'s accounting: record, images, call sites, maps)\n",
		       $1, n, b, n ? b / n : 0 }'
	d1=$(mem_phase "$@")
	n=$(cat "$tmp/recorded")
	rmmod bpfrt
	insns=$(bpf_load_time -p "$2" "$1" | sed -n 's/.* insns \([0-9]*\) .*/\1/p')
	echo "$2 $insns $3 $d0 $d1 $n" | awk '{
		printf "%-24s insns %6d copies %4d: +%d KiB without, +%d KiB with (%d recorded): %.2f KiB per record\n",
		       $1, $2, $3, $4, $5, $6, ($5 - $4) / $3 }'
	echo "$insns $(( (d1 - d0) * 1024 / $3 ))" >>"$tmp/mem"
}

echo "memory per recorded program (Slab + VmallocUsed deltas):"
: >"$tmp/mem"
mem_record "$BPFRT_OBJS/straight_line.bpf.o" straight_line 200
mem_record "$BPFRT_OBJS/subprog.bpf.o" subprog 200
mem_record "$BPFRT_OBJS/realworld/test_verif_scale2.bpf.o" balancer_ingress 20
awk 'NR == 1 { i0 = $1; b0 = $2 } { i1 = $1; b1 = $2 } END {
	if (i1 > i0)
		printf "per instruction: %.2f bytes (from the smallest and the largest program); fixed: %.2f KiB\n",
		       (b1 - b0) / (i1 - i0), (b0 - i0 * (b1 - b0) / (i1 - i0)) / 1024
}' "$tmp/mem"
