# Programs we did not write (the kernel's BPF selftests, tests/guest/
# realworld.txt) load with the module present; each is recorded with a
# finite, plausible estimate and an explanation (or "unbounded" with the
# reason flagged), and the module's estimate relates to `bpfrt estimate` on
# the same object as in 20-estimate-matches.sh (estimate-lib.sh,
# realworld_object). The two largest are in 22-realworld-large.sh.
. /guest/estimate-lib.sh
bpfrt_load_module
objs=0
progs=0
for o in "$BPFRT_OBJS"/realworld/*.bpf.o; do
	case "$(basename "$o")" in
	pyperf180.bpf.o|pyperf600.bpf.o) continue ;;
	esac
	realworld_object "$o"
	objs=$((objs + 1))
	progs=$((progs + rw_progs))
done
# every object of the list but the two large ones
listed=$(grep -c '^[a-z]' "$BPFRT_OBJS/realworld/list.txt")
expect_eq "$objs" "$((listed - 2))" "real-world objects"
echo "real-world: $objs objects, $progs programs"
