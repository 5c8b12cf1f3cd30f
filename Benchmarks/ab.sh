#!/usr/bin/env bash
# Interleaved A/B of two tessera-bench builds, as README's tables are measured:
#   Benchmarks/ab.sh A_BIN B_BIN ROUNDS OUTDIR WORKLOAD...
# Each round runs every workload with A, then with B (`--runs 3 --workers 2`), so drifts in the
# machine's load hit both sides alike; the summary prints each side's per-invocation medians and
# the ratio of their medians. DATA (default .build/bench-data) is passed as --data-directory.
set -u
A=$1; B=$2; R=$3; OUT=$4; shift 4
DATA=${DATA:-.build/bench-data}
mkdir -p "$OUT"
for r in $(seq 1 "$R"); do
  for w in "$@"; do
    for side in A B; do
      bin=$A; [ "$side" = B ] && bin=$B
      "$bin" "$w" --runs 3 --workers 2 --data-directory "$DATA" --json "$OUT/$w-$side-$r.json" > "$OUT/$w-$side-$r.txt" 2>&1
    done
  done
done
python3 - "$OUT" "$@" <<'PY'
import glob, json, statistics, sys
out = sys.argv[1]
for w in sys.argv[2:]:
    side = {}
    for s in "AB":
        side[s] = [m["seconds"] for f in sorted(glob.glob(f"{out}/{w}-{s}-*.json"))
                   for m in json.load(open(f)) if m.get("engine", "tessera").startswith("tessera")]
    a, b = side["A"], side["B"]
    if a and b:
        print(f"{w}: A {a} B {b} B/A {statistics.median(b) / statistics.median(a):.3f}")
    else:
        print(f"{w}: no result (see {out}/{w}-*.txt)")
PY
