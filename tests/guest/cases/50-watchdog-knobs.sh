# The watchdog's knobs: defaults, and every invalid write refused with
# EINVAL and no change.
bpfrt_load_module
d=/sys/kernel/bpfrt/watchdog
expect_eq "$(cat $d/enabled)" 0 "enabled default"
expect_eq "$(cat $d/period_us)" 1000 "period default"
expect_eq "$(cat $d/limit_ns)" 100000000 "limit default"
expect_eq "$(cat $d/action)" "[report] terminate" "action default"
expect_eq "$(cat $d/mode)" "[instance] program" "mode default"
refused() {	# refused FILE VALUE
	before=$(cat "$1")
	if echo "$2" >"$1" 2>/dev/null; then fail "$1 accepted '$2'"; fi
	expect_eq "$(cat "$1")" "$before" "$1 after refusing '$2'"
}
refused $d/period_us 99
refused $d/period_us 1000001
refused $d/period_us abc
refused $d/period_us -5
refused $d/limit_ns 18446744073709551616
refused $d/limit_ns 12x
refused $d/action kill
refused $d/mode everything
refused $d/enabled maybe
echo terminate >$d/action
expect_eq "$(cat $d/action)" "report [terminate]" "action set"
# Only root writes.
if runas 65534 sh -c "echo 5 >$d/limit_ns" 2>/dev/null; then fail "nobody wrote limit_ns"; fi
# Module parameters, and a bad one refuses the load.
rmmod bpfrt
if insmod "$BPFRT_KO" watchdog_action=explode 2>/dev/null; then fail "bad watchdog_action accepted"; fi
bpfrt_load_module watchdog_enabled=1 watchdog_limit_ns=5000000 watchdog_mode=program
expect_eq "$(cat $d/enabled)" 1 "enabled by parameter"
expect_eq "$(cat $d/limit_ns)" 5000000 "limit by parameter"
expect_eq "$(cat $d/mode)" "instance [program]" "mode by parameter"
echo 0 >$d/enabled
expect_eq "$(cat $d/enabled)" 0 "disabled"

# A program over the limit is armed when it loads; switching the watchdog
# off restores it (its stubs could only forward from then on).
echo terminate >$d/action
echo 1 >$d/enabled
rm -rf /sys/fs/bpf/wk
mkdir -p /sys/fs/bpf/wk
bpf_load_time -k /sys/fs/bpf/wk "$BPFRT_OBJS/policy_heavy.bpf.o" >/tmp/wk ||
	fail "policy_heavy did not load"
id=$(sed -n 's/^prog policy_heavy id \([0-9]*\) .*/\1/p' /tmp/wk)
[ -n "$id" ] || fail "no id for policy_heavy"
armed() { bpfrt -j prog show "$id" | grep -q '"term_armed":true'; }
armed || fail "policy_heavy (estimate over 5 ms) not armed at load"
crc=$(prog_json_field "$id" image_crc32)
echo 0 >$d/enabled
restored() { ! armed; }
wait_until 30 restored || fail "policy_heavy still armed with the watchdog off"
[ "$(prog_json_field "$id" image_crc32)" != "$crc" ] ||
	fail "image_crc32 did not change on restore"
rm -rf /sys/fs/bpf/wk
