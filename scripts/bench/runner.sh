#!/usr/bin/env bash
# Harness overhead vs MLPerf LoadGen, measured back to back on this machine:
#   - null in-process SUT: queries issued and completed per second (offline) and time per
#     query (single-stream), jiebang's load generator vs LoadGen's Python null SUT;
#   - null process SUT: round trip per query over pipes vs a bare pipe echo of the same lines
#     by the same child program.
# Prints a Markdown table and writes the raw figures to ${OUT:-target/bench-runner}/runner.json.
# `--criterion` also runs the criterion benchmarks (reports under target/criterion/).
# Needs python3 with mlcommons-loadgen (`pip install mlcommons-loadgen`).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-target/bench-runner}"
mkdir -p "$OUT"

echo "jiebang: null SUTs (release build, medians of 7 passes)..." >&2
cargo bench -q -p jiebang-core --bench runner -- --summary > "$OUT/jiebang.json"
echo "MLPerf LoadGen: null SUT, offline and single-stream (about 25 s)..." >&2
python3 scripts/bench/runner/loadgen_null.py "$OUT/loadgen" > "$OUT/loadgen.json"
if [ "${1:-}" = "--criterion" ]; then
  cargo bench -p jiebang-core --bench runner
fi
python3 scripts/bench/runner/report.py "$OUT/jiebang.json" "$OUT/loadgen.json" "$OUT/runner.json"
