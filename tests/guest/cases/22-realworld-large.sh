# The largest real-world programs (pyperf180, 48k instructions; pyperf600,
# 82k: verifying it takes over a minute under TCG), checked as in
# 21-realworld.sh.
. /guest/estimate-lib.sh
bpfrt_load_module
for n in pyperf180 pyperf600; do
	realworld_object "$BPFRT_OBJS/realworld/$n.bpf.o"
done
