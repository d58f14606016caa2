#!/usr/bin/env bash
# Fuzzes every parser a hostile unit or SUT can feed (the cargo-fuzz targets in fuzz/) for RUNS
# executions each, starting from the committed seeds in fuzz/corpus/<target>/, and prints a table
# of executions, speed and crashes per target. A crash's input is kept in fuzz/artifacts/<target>/.
#
# Usage: scripts/fuzz.sh [RUNS] [TARGET...]     (RUNS defaults to 20000; all targets by default)
# Exit: 0 no crash, 1 a target crashed (a property failed), 2 the fuzzers could not be built or run.
# Needs the nightly toolchain (`cargo +nightly`); installs cargo-fuzz when it is missing.
# FUZZ_SEED=N fixes libFuzzer's random seed (default: a new one per run, printed in the table).
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-20000}"
[ $# -gt 0 ] && shift
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "scripts/fuzz.sh: RUNS = \`$runs\`: expected a positive number of executions" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/fuzz_targets/*.rs; do targets+=("$(basename "$f" .rs)"); done
fi
for t in "${targets[@]}"; do
  if [ ! -f "fuzz/fuzz_targets/$t.rs" ]; then
    echo "scripts/fuzz.sh: no fuzz target \`$t\` (fuzz/fuzz_targets/$t.rs)" >&2
    exit 2
  fi
done

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "scripts/fuzz.sh: cargo-fuzz needs the nightly toolchain and \`cargo +nightly\` does not run here;" >&2
  echo "  install it with: rustup toolchain install nightly --profile minimal" >&2
  exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "scripts/fuzz.sh: installing cargo-fuzz (cargo install cargo-fuzz --locked)" >&2
  cargo install cargo-fuzz --locked
fi

# fuzz/Cargo.lock is committed: refuse to resolve other versions than it pins.
cargo +nightly metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null
# Release code with debug assertions (integer overflow panics); no sanitizer: jiebang has no
# unsafe code, and the fuzzers run about twice as fast without one.
flags=(-O -a -s none)
cargo +nightly fuzz build "${flags[@]}" >&2

# Inputs up to a few times the largest seed: scorecards are the biggest files.
max_len() {
  case "$1" in
    scorecard) echo 32768 ;;
    protocol) echo 16384 ;;
    *) echo 8192 ;;
  esac
}
# Tokens of the input's syntax and awkward values (fuzz/dict/).
dict() {
  case "$1" in
    declaration | round | suite) echo fuzz/dict/toml.dict ;;
    *) echo fuzz/dict/json.dict ;;
  esac
}

logs=fuzz/target/logs
mkdir -p "$logs"
crashed=0
rows=()
for t in "${targets[@]}"; do
  # New inputs go to a scratch corpus; the committed seeds are only read.
  work="fuzz/target/corpus/$t"
  mkdir -p "$work" "fuzz/artifacts/$t"
  seed_flag=()
  [ -n "${FUZZ_SEED:-}" ] && seed_flag=(-seed="$FUZZ_SEED")
  echo "fuzzing $t for $runs executions ..." >&2
  started=$(date +%s.%N)
  set +e
  cargo +nightly fuzz run "${flags[@]}" "$t" "$work" "fuzz/corpus/$t" -- \
    -runs="$runs" -max_len="$(max_len "$t")" -dict="$(dict "$t")" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "${seed_flag[@]}" >"$logs/$t.log" 2>&1
  rc=$?
  set -e
  elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$logs/$t.log" | grep -oE '[0-9]+$' || true)
  # Over the whole run, start-up and the seeds included.
  speed=$(awk -v n="${execs:-0}" -v s="$elapsed" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  seed=$(grep -oE 'Seed: [0-9]+' "$logs/$t.log" | head -1 | grep -oE '[0-9]+$' || true)
  if [ "$rc" -eq 0 ]; then
    crashes=0
    result=ok
  else
    crashes=1
    crashed=1
    artifact=$(grep -oE "(Test unit|artifact) written to [^ ]+" "$logs/$t.log" | tail -1 | awk '{print $NF}' || true)
    result="CRASH ${artifact:-(no input saved; see $logs/$t.log)}"
    echo "--- $t failed (exit $rc); the end of $logs/$t.log:" >&2
    tail -n 40 "$logs/$t.log" >&2
  fi
  rows+=("$(printf '%-12s %12s %8s %8s %8s %12s  %s' "$t" "${execs:-?}" "$elapsed" "$speed" "$crashes" "${seed:-?}" "$result")")
done

printf '%-12s %12s %8s %8s %8s %12s  %s\n' target executions seconds exec/s crashes seed result
for r in "${rows[@]}"; do echo "$r"; done
if [ "$crashed" -ne 0 ]; then
  echo "a fuzz target crashed: reproduce with cargo +nightly fuzz run ${flags[*]} TARGET fuzz/artifacts/TARGET/<file>" >&2
  exit 1
fi
