# Soundness of the estimates with a calibrated table: every test program
# with a worst-path driver (tests/guest/progs/bpfrt_sound.c says how each
# is driven and how the harness is subtracted) runs along its worst path,
# and no observed maximum exceeds the worst estimate or falls below the
# best one beyond the documented tolerance. It runs in the boot that counts
# instructions (cases-icount/): calibration and observation share one
# clock that host load cannot stretch, so the comparison is the cost
# model's, not the host's. `make bench` reports the same with a full
# calibration and more batches.
bpfrt_load_module
bpfrt calibrate --quick --upload -o /tmp/c.json 2>&1 | tail -n 3
bpfrt_sound -n 30 -q 1 "$BPFRT_OBJS"/*.bpf.o >/tmp/sound.txt 2>&1 || true
cat /tmp/sound.txt
grep -q '^SOUND SUMMARY PASS ' /tmp/sound.txt || fail "soundness: see the table above"
for p in straight_line bounded_loop branchy loop_const loop_var loop_flags \
	 each_array each_hash subprog tail_target tail_caller map_ops; do
	grep -Eq "^SOUND $p PASS " /tmp/sound.txt || fail "$p: no PASS"
done
