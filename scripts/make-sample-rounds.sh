#!/usr/bin/env bash
# Regenerates the sample rounds under results/rounds/ (2019-demo, 2020-demo): the rounds that
# `jiebang demo` builds — synthetic units on public generated data, declarations frozen, one
# unit per direction certified by the demo agency's fixed-seed key — copied without their
# per-query logs. `jiebang round check` passes on each, and `jiebang board` publishes them.
#
#   scripts/make-sample-rounds.sh            (uses target/release/jiebang, or $JIEBANG)
set -euo pipefail
cd "$(dirname "$0")/.."
jiebang="${JIEBANG:-target/release/jiebang}"
[ -x "$jiebang" ] || { echo "error: $jiebang not found; build it: cargo build --release -p jiebang" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The frozen declarations' dates are the rounds' opening days; the data is generated in $work.
JIEBANG_DATA="$work/data" "$jiebang" -q demo --out "$work/demo" >/dev/null
for r in 2019-demo 2020-demo; do
  rm -rf "results/rounds/$r"
  cp -r "$work/demo/rounds/$r" "results/rounds/$r"
  find "results/rounds/$r" -name '*.log.jsonl' -delete
  "$jiebang" -q round check "results/rounds/$r"
done
echo "wrote results/rounds/2019-demo and results/rounds/2020-demo"
