# 20 insmod/rmmod cycles in a row, each one queried, leave the kernel clean
# and slab usage where it was (within noise; a leak of the device, kobject
# or kprobe per cycle would show as steady growth).
before=$(slab_kib)
i=0
while [ $i -lt 20 ]; do
	bpfrt_load_module
	bpfrt version >/dev/null
	cat /sys/kernel/bpfrt/version >/dev/null
	rmmod bpfrt
	i=$((i + 1))
done
! bpfrt_module_loaded || fail "module still loaded"
after=$(slab_kib)
echo "slab before ${before} KiB, after ${after} KiB"
[ $((after - before)) -lt 512 ] || fail "slab grew by $((after - before)) KiB over 20 cycles"
