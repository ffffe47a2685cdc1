# Terminated while holding a ring-buffer reservation and a socket
# reference, the program still submits the one record and releases the
# socket (term_run -s checks both, the socket by its reference count); a spin-locked loop does not deadlock
# and leaves the lock free for the next run; a tail-call chain ends.
bpfrt_load_module
wd_on 20000000
run_terminated "$BPFRT_OBJS/runaway.bpf.o" hold_and_spin -s
grep -q "ringbuf_samples 1 socket_found 1" /tmp/tr.out || fail "release check"
# The socket's reference count (/proc/net/tcp) is back where it was: the
# program's bpf_sk_release() ran although the instance was terminated.
ref0=$(sed -n 's/^socket_refcnt before \([0-9]*\) after [0-9]*$/\1/p' /tmp/tr.out)
ref1=$(sed -n 's/^socket_refcnt before [0-9]* after \([0-9]*\)$/\1/p' /tmp/tr.out)
[ -n "$ref0" ] || fail "no socket reference count"
expect_eq "$ref1" "$ref0" "client socket reference count after the run"
run_terminated "$BPFRT_OBJS/runaway.bpf.o" spin_lock_loop
run_terminated "$BPFRT_OBJS/runaway.bpf.o" spin_lock_loop
# The chain: the runaway runs in tail_entry's frame, and is what the
# watchdog finds and terminates; the chain then ends through it.
rm -f /tmp/tc.end
term_run -t -e /tmp/tc.end "$BPFRT_OBJS/runaway.bpf.o" tail_entry >/tmp/tc.out &
tc_ran() { grep -q "^prog " /tmp/tc.out; }
wait_until 120 tc_ran || fail "tail-call chain not terminated"
cat /tmp/tc.out
grep -q "retval 2 " /tmp/tc.out || fail "the chain did not end in tail_runaway"
rid=$(bpfrt prog list | sed -n 's/^\([0-9]*\): .* name tail_runaway .*/\1/p' | tail -n 1)
[ "$(prog_json_field "$rid" term_completed)" -ge 1 ] || fail "tail_runaway not terminated"
touch /tmp/tc.end
wait
