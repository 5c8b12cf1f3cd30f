#!/bin/sh
# Interleaved rounds of raw MPI (p2p_bandwidth.c: 64 MiB messages, a window of 4) and Tessera's
# path (`tessera-bench mpi-bandwidth --mpi 2`: four 64 MiB NDArray blocks from rank 1 to rank 0
# per run), with the same mpirun flags (TCP over loopback), and the load average before each
# round. Prints one line per round and the distribution of the ratio Tessera/raw at the end.
#
#   Benchmarks/mpi/bandwidth-rounds.sh [ROUNDS] [TESSERA_BENCH]
#
# ROUNDS: default 10; TESSERA_BENCH: default .build-rel/release/tessera-bench.
set -eu
rounds=${1:-10}
bench=${2:-.build-rel/release/tessera-bench}
raw=${TMPDIR:-/tmp}/p2p_bandwidth.$$
json=${TMPDIR:-/tmp}/bandwidth-rounds.$$.json
mpicc -O2 -o "$raw" "$(dirname "$0")/p2p_bandwidth.c"
trap 'rm -f "$raw" "$json"' EXIT
root=""; [ "$(id -u)" = 0 ] && root="--allow-run-as-root"
mpirun_flags="$root --oversubscribe -np 2 --mca pml ob1 --mca btl tcp,self --mca btl_tcp_if_include lo"
block=67108864
ratios=""
i=1
while [ "$i" -le "$rounds" ]; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086
    raw_mbps=$(timeout 300 mpirun $mpirun_flags "$raw" $block 8 | sed -n 's/.*"MBps": \([0-9.]*\).*/\1/p')
    timeout 300 "$bench" mpi-bandwidth --mpi 2 --runs 3 --json "$json" >/dev/null
    seconds=$(sed -n 's/.*"seconds" : \([0-9.]*\).*/\1/p' "$json" | head -1)
    tessera_mbps=$(echo "4 * $block / $seconds / 1000000" | bc -l)
    ratio=$(echo "$tessera_mbps / $raw_mbps" | bc -l)
    printf 'round %d  load %s  raw %.0f MB/s  tessera %.0f MB/s (%.3f s per 4 blocks)  ratio %.2f\n' \
        "$i" "$load" "$raw_mbps" "$tessera_mbps" "$seconds" "$ratio"
    ratios="$ratios $ratio"
    i=$((i + 1))
done
echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ r[NR] = $1 } END {
    printf "ratio tessera/raw over %d rounds: min %.2f, median %.2f, max %.2f\n", NR, r[1], (NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2), r[NR] }'
