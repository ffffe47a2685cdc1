# The policy's knobs: defaults, modes, round trips, every validation
# failure on its own (EINVAL and no change at all), root only, the same
# knobs as module parameters, and the CLI's show and set.
bpfrt_load_module
P=/sys/kernel/bpfrt/policy

# Defaults: nothing is judged.
expect_eq "$(cat $P/limit_ns)" "0" "default limit_ns"
expect_eq "$(cat $P/action)" "[audit] reject" "default action"
expect_eq "$(cat $P/type_limits_ns)" "none" "default type_limits_ns"
expect_eq "$(cat $P/exempt)" "none" "default exempt"
expect_eq "$(cat $P/uncertain)" "[estimate] over under" "default uncertain"
expect_contains "$(cat $P/stats)" "rejected 0" "stats"
for k in limit_ns action type_limits_ns exempt uncertain; do
	expect_eq "$(stat -c %a $P/$k)" "644" "mode of $k"
done
expect_eq "$(stat -c %a $P/stats)" "444" "mode of stats"

# Round trips, with and without the newline echo adds.
expect_eq "$(knob_write $P/limit_ns 1000000)" "ok" "limit_ns write"
expect_eq "$(cat $P/limit_ns)" "1000000" "limit_ns"
echo 18446744073709551615 >$P/limit_ns
expect_eq "$(cat $P/limit_ns)" "18446744073709551615" "limit_ns U64_MAX"
echo reject >$P/action
expect_eq "$(cat $P/action)" "audit [reject]" "action reject"
echo under >$P/uncertain
expect_eq "$(cat $P/uncertain)" "estimate over [under]" "uncertain under"
echo "xdp:50000, sched_cls:0 kprobe:7" >$P/type_limits_ns
expect_eq "$(cat $P/type_limits_ns)" "xdp:50000,sched_cls:0,kprobe:7" "type_limits_ns"
echo "name:cilium_,tag:0123456789ABCDEF name:a.b" >$P/exempt
expect_eq "$(cat $P/exempt)" "name:cilium_,tag:0123456789abcdef,name:a.b" "exempt"
echo none >$P/exempt
expect_eq "$(cat $P/exempt)" "none" "exempt cleared by none"
echo >$P/type_limits_ns
expect_eq "$(cat $P/type_limits_ns)" "none" "type_limits_ns cleared by an empty write"

# A known state; every refused write below must leave all of it as is.
echo 5000 >$P/limit_ns
echo audit >$P/action
echo over >$P/uncertain
echo xdp:100,lsm:0 >$P/type_limits_ns
echo name:keep,tag:00112233445566ff >$P/exempt
snapshot() {
	for k in limit_ns action type_limits_ns exempt uncertain; do
		echo "$k=$(cat $P/$k)"
	done
}
before=$(snapshot)
# (an empty write() never reaches a sysfs file: a lone newline is "empty")
nl='
'
refused() {	# refused KNOB VALUE: EINVAL, nothing changed
	expect_eq "$(knob_write "$P/$1" "$2" || true)" "EINVAL" "$1 <- '$2'"
	expect_eq "$(snapshot)" "$before" "state after $1 <- '$2'"
}
refused limit_ns abc
refused limit_ns -1
refused limit_ns 18446744073709551616
refused limit_ns 99999999999999999999999
refused limit_ns 1.5
refused limit_ns 0x10
refused limit_ns 1e6
refused limit_ns +5
refused limit_ns " 5"
refused limit_ns "5 6"
refused limit_ns "$nl"
refused action deny
refused action AUDIT
refused action "audit reject"
refused action "$nl"
refused uncertain maybe
refused uncertain "$nl"
refused type_limits_ns xdpp:5
refused type_limits_ns unspec:5
refused type_limits_ns xdp
refused type_limits_ns xdp:
refused type_limits_ns :5
refused type_limits_ns xdp:-1
refused type_limits_ns xdp:abc
refused type_limits_ns xdp:18446744073709551616
refused type_limits_ns xdp:5,xdp:6
refused type_limits_ns xdp:5,bogus:1
refused type_limits_ns sched_cls:1,none
refused exempt foo
refused exempt name:
refused exempt name:0123456789abcdef
refused exempt name:a-b
refused exempt tag:0123
refused exempt tag:0123456789abcdeg
refused exempt tag:0123456789abcdef0
refused exempt name:a,name:a
refused exempt name:ok,bogus
many=$(i=0; while [ $i -lt 65 ]; do printf 'name:p%d,' $i; i=$((i + 1)); done)
refused exempt "$many"
sixty_four=$(i=0; while [ $i -lt 64 ]; do printf 'name:p%d,' $i; i=$((i + 1)); done)
expect_eq "$(knob_write $P/exempt "$sixty_four")" "ok" "64 exemptions"
expect_eq "$(cat $P/exempt | tr ',' '\n' | wc -l)" "64" "64 exemptions kept"

# Root only: the mode keeps others out, the capability check the rest.
expect_eq "$(runas 65534 knob_write $P/limit_ns 7 || true)" "EACCES" "write as nobody"
chmod 0666 $P/limit_ns
expect_eq "$(runas 65534 knob_write $P/limit_ns 7 || true)" "EPERM" "write as nobody, mode 0666"
chmod 0644 $P/limit_ns
expect_eq "$(cat $P/limit_ns)" "5000" "unchanged by nobody"
expect_contains "$(runas 65534 cat $P/limit_ns)" "5000" "anyone reads"

# The CLI reads and writes the same files.
out=$(bpfrt policy show)
echo "$out"
expect_contains "$out" "limit_ns        5000 (5.00 us)" "policy show: limit"
expect_contains "$out" "action          audit" "policy show: action"
expect_contains "$out" "type_limits_ns  xdp:100 (100 ns), lsm:0 (no limit)" "policy show: types"
expect_contains "$(bpfrt -j policy)" '"limit_ns":5000,"action":"audit","type_limits_ns":{"xdp":100,"lsm":0}' "policy JSON"
bpfrt policy set limit 1.5ms action reject type xdp 50us type lsm default \
	exempt none exempt add name:foo uncertain estimate
expect_eq "$(cat $P/limit_ns)" "1500000" "set limit"
expect_eq "$(cat $P/action)" "audit [reject]" "set action"
expect_eq "$(cat $P/type_limits_ns)" "xdp:50000" "set type"
expect_eq "$(cat $P/exempt)" "name:foo" "set exempt"
expect_eq "$(cat $P/uncertain)" "[estimate] over under" "set uncertain"
if bpfrt policy set limit 1.5xs 2>/tmp/err; then fail "bad duration accepted"; fi
expect_contains "$(cat /tmp/err)" "invalid duration '1.5xs'" "CLI duration error"
if bpfrt policy set types bogus:1 2>/tmp/err; then fail "bad type accepted"; fi
expect_contains "$(cat /tmp/err)" "cannot set type_limits_ns to 'bogus:1': the module refused it" "CLI EINVAL"
if runas 65534 bpfrt policy set limit 1 2>/tmp/err; then fail "nobody set a knob"; fi
expect_contains "$(cat /tmp/err)" "cannot set limit_ns: permission denied" "CLI EACCES"
expect_eq "$(cat $P/limit_ns)" "1500000" "unchanged by the failed sets"

# Module parameters: the same knobs at load, shown read-only in
# /sys/module; an invalid one makes the load fail.
rmmod bpfrt
bpfrt_load_module policy_limit_ns=2000000 policy_action=reject \
	policy_type_limits_ns=xdp:5000,sched_cls:0 policy_exempt=name:foo \
	policy_uncertain=over
expect_eq "$(cat $P/limit_ns)" "2000000" "policy_limit_ns"
expect_eq "$(cat $P/action)" "audit [reject]" "policy_action"
expect_eq "$(cat $P/type_limits_ns)" "xdp:5000,sched_cls:0" "policy_type_limits_ns"
expect_eq "$(cat $P/exempt)" "name:foo" "policy_exempt"
expect_eq "$(cat $P/uncertain)" "estimate [over] under" "policy_uncertain"
expect_eq "$(cat /sys/module/bpfrt/parameters/policy_limit_ns)" "2000000" "parameter shows the value"
echo 3000 >$P/limit_ns
expect_eq "$(cat /sys/module/bpfrt/parameters/policy_limit_ns)" "3000" "parameter follows sysfs"
expect_eq "$(stat -c %a /sys/module/bpfrt/parameters/policy_limit_ns)" "444" "parameter read-only"
rmmod bpfrt
for bad in policy_limit_ns=-1 policy_limit_ns=abc policy_action=deny \
	   policy_type_limits_ns=bogus:1 policy_exempt=name:a-b \
	   policy_uncertain=maybe; do
	if bpfrt_load_module "$bad" 2>/tmp/err; then
		fail "loaded with $bad"
	fi
	! bpfrt_module_loaded || fail "module loaded with $bad"
done
dmesg | grep -q "invalid for parameter .policy_action" || fail "no kernel message for a bad parameter"
# /etc/modprobe.d, as the README says
mkdir -p /etc/modprobe.d
echo "options bpfrt policy_limit_ns=4000000 policy_action=reject" >/etc/modprobe.d/bpfrt.conf
modprobe bpfrt
expect_eq "$(cat $P/limit_ns)" "4000000" "modprobe.d limit"
expect_eq "$(cat $P/action)" "audit [reject]" "modprobe.d action"
rm /etc/modprobe.d/bpfrt.conf
# modinfo states every parameter's unit and default
info=$(modinfo "$BPFRT_KO")
echo "$info" | grep parm
for p in policy_limit_ns policy_action policy_type_limits_ns policy_exempt policy_uncertain; do
	echo "$info" | grep "parm:.*$p:" | grep -q "default" || fail "$p: no default in modinfo"
done
echo "$info" | grep "parm:.*policy_limit_ns:" | grep -q "nanoseconds" || fail "policy_limit_ns: no unit"
