# 1000 rejected loads leave slab usage where it was: the module keeps
# nothing of a rejected program (no record, no pending data) and the
# kernel frees it. Also: the kernel log line is rate-limited.
#
# Slab is compared with the module unloaded, before and after: a leak of
# the module's or the kernel's stays, and what the kernel only caches goes.
# (A rejected program is vmalloc()ed; vfree() frees its vmap_area lazily,
# and 6.12 keeps ~300 bytes of slab per program until a purge. Unloading a
# module purges: its memory is VM_FLUSH_RESET_PERMS, whose vfree() flushes
# the lazy areas, mm/vmalloc.c: vm_remove_mappings, vm_unmap_aliases.)
P=/sys/kernel/bpfrt/policy
pstat() { sed -n "s/^$1 //p" $P/stats; }
log_lines() { dmesg | grep -c "bpfrt: rejected program" || true; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; sleep 1; }
policy_reject_sched_cls() {
	echo reject >$P/action
	echo sched_cls:1 >$P/type_limits_ns
}

# Warm the caches up, then measure without the module.
bpfrt_load_module
policy_reject_sched_cls
policy_load -n 100 -e EDQUOT -s 65536
rmmod bpfrt
settle
before=$(slab_kib)

bpfrt_load_module
policy_reject_sched_cls
recorded=$(bpfrt_stat recorded)
lines0=$(log_lines)
start=$(date +%s)
# Half with a verifier log (the reason is appended), half without.
policy_load -n 500 -e EDQUOT -s 65536
policy_load -n 500 -e EDQUOT
secs=$(($(date +%s) - start))
expect_eq "$(pstat rejected)" "1000" "rejected count"
expect_eq "$(bpfrt_stat recorded)" "$recorded" "records after 1000 rejections"
settle
echo "slab with the module loaded: $before -> $(slab_kib) KiB"

# The kernel log line is rate-limited: at most 10 per 5 s, and lines come
# again once the interval is over, with the count of those suppressed.
added=$(($(log_lines) - lines0))
echo "kernel log lines for 1000 rejections in ${secs}s: $added"
[ "$added" -ge 1 ] || fail "no kernel log line"
[ "$added" -le $((10 * (secs / 5 + 2))) ] || fail "the kernel log line is not rate-limited ($added lines)"
sleep 6
policy_load -e EDQUOT
expect_eq "$(($(log_lines) - lines0))" "$((added + 1))" "a line again after the interval"
dmesg | grep -q "bpfrt_policy_judge: [0-9]* callbacks suppressed" || fail "no count of the suppressed lines"

rmmod bpfrt
slab_back() { settle; after=$(slab_kib); echo "slab $before -> $after KiB"; [ "$after" -le $((before + 256)) ]; }
wait_until 6 slab_back || fail "slab grew from $before to $(slab_kib) KiB after 1000 rejected loads"
