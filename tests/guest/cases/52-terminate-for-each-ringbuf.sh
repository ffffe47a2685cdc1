# for_each over a large array and a large hash, and bpf_user_ringbuf_drain
# over a full ring, each callback a runaway: the callbacks ask to stop.
bpfrt_load_module
wd_on 20000000
run_terminated "$BPFRT_OBJS/runaway.bpf.o" each_big_array
run_terminated "$BPFRT_OBJS/runaway.bpf.o" each_big_hash -f big_hash:4096
run_terminated "$BPFRT_OBJS/runaway.bpf.o" drain_user_rb -u user_rb:100000
