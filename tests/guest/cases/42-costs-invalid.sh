# Every rule BPFRT_IOC_COSTS_SET checks, one at a time: the table is
# refused with its errno (and, for a bad table, the fault and where), and
# nothing changes. Then the CLI refuses a bad file before the module sees
# it, and a valid table is taken.
bpfrt_load_module

unchanged() {
	expect_eq "$(cat /sys/kernel/bpfrt/costs_generation)" "0" "$1: generation"
	expect_eq "$(cat /sys/kernel/bpfrt/costs_source)" "builtin" "$1: source"
}

# RULE EXPECTED-PREFIX
check() {
	_out=$(costs_set "$1")
	echo "$1: $_out"
	case "$_out" in
	"$2"*) ;;
	*) fail "$1: got '$_out', expected '$2...'" ;;
	esac
	unchanged "$1"
}

# the table (fault codes and parts: uapi BPFRT_COSTS_FAULT_*, _PART_*)
check size       "errno EINVAL fault 1 part 0 index 0 op 0"
check version    "errno EINVAL fault 1 part 0 index 0 op 0"
check reserved   "errno EINVAL fault 1 part 0 index 0 op 0"
check missing    "errno EINVAL fault 2 part 1 index 2 op 0"
check order      "errno EINVAL fault 3 part 2 index 5 op 0"
check range      "errno ERANGE fault 4 part 3 index 1 op 0"
check measured   "errno EINVAL fault 5 part 2 index 3 op 0"
check unused     "errno EINVAL fault 6 part 1 index 29 op 0"
# the argument
check bufsize     "errno EMSGSIZE"
check nobuf       "errno EINVAL"
check fault       "errno EFAULT"
check nodesc      "errno EINVAL"
check ctrldesc    "errno EINVAL"
check longdesc    "errno EINVAL"
check reserved0   "errno EINVAL"
check argreserved "errno EINVAL"
check outputs     "errno EINVAL"
check flags       "errno EINVAL"
check builtin-buf "errno EINVAL"
check argsize     "errno EINVAL"
check bigarg      "errno E2BIG"
check nosysadmin  "errno EPERM"

# The CLI validates a file itself.
printf '{ "format": "bpfrt-costs", "format_version": 1, "cost_model_version": 1,\n  "insns": { "div": { "best_ps": 9, "typical_ps": 5, "worst_ps": 10 } } }\n' >/tmp/bad.json
if bpfrt costs load /tmp/bad.json 2>/tmp/err; then fail "bad file loaded"; fi
expect_contains "$(cat /tmp/err)" "insns.div: best, typical and worst are not in order" "CLI message"
echo '{ "format": "other" }' >/tmp/bad2.json
if bpfrt costs load /tmp/bad2.json 2>/tmp/err; then fail "not a table loaded"; fi
expect_contains "$(cat /tmp/err)" "not a cost table" "CLI message, wrong format"
unchanged "CLI"

out=$(costs_set valid)
echo "valid: $out"
expect_contains "$out" "errno 0 fault 0" "valid table"
expect_eq "$(cat /sys/kernel/bpfrt/costs_generation)" "1" "generation after a valid table"
expect_eq "$(cat /sys/kernel/bpfrt/costs_description)" "costs_set valid" "description"
