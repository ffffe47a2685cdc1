# Classic BPF is skipped explicitly (counted, not recorded); interpreted
# programs are estimated but not terminable; constant-blinded programs
# are recorded with exact call sites from the blinded image.
bpfrt_load_module
rec=$(bpfrt_stat recorded)
skipped=$(bpfrt_stat classic_skipped)
expect_eq "$(cbpf_attach)" "ok" "classic socket filter"
expect_eq "$(bpfrt_stat classic_skipped)" "$((skipped + 1))" "classic counted"
expect_eq "$(bpfrt_stat recorded)" "$rec" "classic not recorded"

sysctl -w net.core.bpf_jit_enable=0
bpf_load_run -k "$BPFRT_OBJS/subprog.bpf.o"
sysctl -w net.core.bpf_jit_enable=1
s=$(prog_show_by_name subprog)
case "$s" in *jited:*|*terminable:*) fail "interpreted program shown as jited/terminable" ;; esac
case "$s" in *est_failed*) fail "interpreted program not estimated" ;; esac
expect_contains "$s" "funcs 3" "interpreted program split into functions"
rm /sys/fs/bpf/subprog

sysctl -w net.core.bpf_jit_harden=2
bpf_load_run -k "$BPFRT_OBJS/loop_helper.bpf.o"
sysctl -w net.core.bpf_jit_harden=0
s=$(prog_show_by_name loop_flags)
expect_contains "$s" "blinded:" "blinding recorded"
expect_contains "$s" "terminable:" "blinded program call sites identified"
echo "$s" | grep -Eq 'helper +bpf_loop +bpf_loop' || fail "blinded: bpf_loop call site"
