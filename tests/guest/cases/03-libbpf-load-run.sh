# A real BPF program loads with libbpf and runs (BPF_PROG_TEST_RUN) while
# the module is loaded, and returns what it computes.
bpfrt_load_module
out=$(bpf_load_run -r 2 -n 100 "$BPFRT_OBJS/straight_line.bpf.o")
echo "$out"
expect_contains "$out" "prog straight_line id" "program ran"
