#!/usr/bin/env bash
# CPU f32 GEMM: jiebang-accel (candle-core + gemm with AVX-512 kernels) against numpy
# (OpenBLAS) on the same machine in one run, interleaved per size, plus the fraction of
# the CPU's nominal-clock theoretical peak. Reproduce:
#   scripts/bench/gemm_vs_numpy.sh [SIZES...]      (default: 512 1024 2048)
# Env: ITERATIONS (10), WARMUP (3), CARGO_TARGET_DIR (cargo's default).
# numpy is timed twice: as installed, and with OPENBLAS_CORETYPE=SkylakeX, because
# OpenBLAS's run-time detection may not know a new CPU and fall back to AVX2 kernels.
set -euo pipefail
cd "$(dirname "$0")/../.."
ITERATIONS=${ITERATIONS:-10}
WARMUP=${WARMUP:-3}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(512 1024 2048)
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"

python3 -c 'import numpy' 2>/dev/null || { echo "numpy is not installed (pip install numpy)" >&2; exit 1; }
cargo build --quiet --release -p jiebang-accel --example kernel_rate
TARGET_DIR=${CARGO_TARGET_DIR:-target}
RATE="$TARGET_DIR/release/examples/kernel_rate"
NP=scripts/bench/accel/numpy_gemm.py
AVX512=$(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)

OUT=$(mktemp)
for n in "${SIZES[@]}"; do
  rust=$("$RATE" --backend cpu --kernel gemm_f32 --size "$n" --warmup "$WARMUP" --iterations "$ITERATIONS")
  np=$(python3 "$NP" "$n" "$WARMUP" "$ITERATIONS")
  if [ "$AVX512" = yes ]; then
    np512=$(OPENBLAS_CORETYPE=SkylakeX python3 "$NP" "$n" "$WARMUP" "$ITERATIONS")
  else
    np512=null
  fi
  printf '{"n":%s,"rust":%s,"numpy":%s,"numpy_avx512":%s}\n' "$n" "$rust" "$np" "$np512" >>"$OUT"
done

python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
fp = rows[0]["rust"]["fingerprint"]
peak = rows[0]["rust"]["peak"]
blas = rows[0]["numpy"].get("blas") or {}
print(f"CPU: {fp['cpu_model']} ({fp['threads']} threads), numpy {rows[0]['numpy']['numpy']}, "
      f"BLAS {blas.get('internal_api', '?')} {blas.get('version', '?')} kernel {blas.get('architecture', '?')}")
print(f"peak: {peak['ops_per_second'] and peak['ops_per_second'] / 1e9:.1f} GFLOP/s — {peak['basis']}" if peak["ops_per_second"]
      else f"peak: unknown — {peak['basis']}")
print(f"{'n':>6} {'accel GFLOP/s':>14} {'numpy':>8} {'ratio':>6} {'numpy AVX-512':>14} {'ratio':>6} {'of nominal peak':>16}")
for r in rows:
    a = r["rust"]["ops_per_second"] / 1e9
    b = r["numpy"]["ops_per_second"] / 1e9
    c = r["numpy_avx512"]["ops_per_second"] / 1e9 if r["numpy_avx512"] else float("nan")
    f = r["rust"]["fraction_of_peak"]
    print(f"{r['n']:>6} {a:>14.1f} {b:>8.1f} {a / b:>6.2f} {c:>14.1f} {a / c:>6.2f} "
          f"{(f'{f:.2f}' if f is not None else 'n/a'):>16}")
PY
rm -f "$OUT"
