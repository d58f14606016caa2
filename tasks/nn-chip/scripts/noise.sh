#!/usr/bin/env bash
# Measures the run-to-run spread of `jiebang run --suite SUITE --sut builtin:kernels` on one
# backend: RUNS unchanged runs, each compared with the first by `jiebang compare --noise 0`.
# Prints, per metric kind, the largest |ratio - 1| seen and the noise threshold that would
# have let every unchanged comparison pass. Usage (from the repository root, release build):
#   tasks/nn-chip/scripts/noise.sh cpu 10 [nn-chip/kernels]
set -euo pipefail
backend=${1:-cpu}
runs=${2:-10}
suite=${3:-nn-chip/kernels}
jiebang=${JIEBANG:-target/release/jiebang}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export JIEBANG_DATA="$work/data"
for i in $(seq 1 "$runs"); do
  "$jiebang" run --suite "$suite" --sut builtin:kernels --backend "$backend" --out "$work/r$i" -q >/dev/null
done
first=$(ls "$work"/r1/*.scorecard.json)
for i in $(seq 2 "$runs"); do
  "$jiebang" compare "$first" "$work"/r$i/*.scorecard.json --noise 0 --format json --out "$work/c$i.json" >/dev/null || true
done
python3 - "$work" "$runs" <<'PY'
import glob, json, sys
work, runs = sys.argv[1], int(sys.argv[2])
worst = {}      # metric -> largest |ratio-1| among significant changes
spread = []     # every latency |ratio-1|
for f in sorted(glob.glob(f"{work}/c*.json")):
    c = json.load(open(f))["comparison"]
    for m in c["metrics"]:
        if not m["id"].endswith(".latency") or m["ratio"] is None:
            continue
        d = abs(m["ratio"] - 1)
        spread.append(d)
        lo, hi = m["ci"] or (None, None)
        significant = lo is not None and (lo > 1 or hi < 1)
        if significant:
            worst[m["id"]] = max(worst.get(m["id"], 0), d)
    digests = [d for d in c["digests"] if d["status"] != "same"]
    if digests:
        print(f"{f}: {len(digests)} digest(s) differ between unchanged runs!")
spread.sort()
q = lambda p: spread[min(len(spread) - 1, int(p * len(spread)))]
print(f"{runs} runs, {len(spread)} latency ratios vs run 1: median |r-1| {q(0.5):.3f}, p90 {q(0.9):.3f}, max {spread[-1]:.3f}")
print("significant changes between unchanged runs (the noise threshold must exceed these):")
for k, v in sorted(worst.items(), key=lambda kv: -kv[1]):
    print(f"  {k:40s} {v:.3f}")
print(f"smallest passing noise threshold: {max(worst.values(), default=0):.3f}")
PY
