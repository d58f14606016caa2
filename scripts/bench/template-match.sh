#!/usr/bin/env bash
# 1:N template matching: jiebang-accel's Device::top_k (cpu, wgpu) against numpy's matrix
# product + argpartition on the same machine in one run: time of the matching and peak RSS
# (VmHWM of each process, and /usr/bin/time's maxrss when present). Reproduce:
#   scripts/bench/template-match.sh [GALLERY PROBES DIM K]   (default: 100000 10000 512 10)
# Env: BACKENDS ("cpu wgpu"), NUMPY_BLOCK (probes per numpy block, 1024), CARGO_TARGET_DIR.
# numpy is timed as installed and, on AVX-512 hosts, with OPENBLAS_CORETYPE=SkylakeX (see
# gemm_vs_numpy.sh: OpenBLAS may not detect a new CPU and fall back to AVX2 kernels).
set -euo pipefail
cd "$(dirname "$0")/../.."
GALLERY=${1:-100000}
PROBES=${2:-10000}
DIM=${3:-512}
K=${4:-10}
BACKENDS=${BACKENDS:-cpu wgpu}
NUMPY_BLOCK=${NUMPY_BLOCK:-1024}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
chmod 700 "$XDG_RUNTIME_DIR"

python3 -c 'import numpy' 2>/dev/null || { echo "numpy is not installed (pip install numpy)" >&2; exit 1; }
cargo build --quiet --release -p jiebang-accel --example template_match
TARGET_DIR=${CARGO_TARGET_DIR:-target}
BIN="$TARGET_DIR/release/examples/template_match"
NP=scripts/bench/templates/numpy_top_k.py
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f '%M')

OUT=$(mktemp)
ERR=$(mktemp)
# One measured process: its JSON line plus /usr/bin/time's maxrss (KiB) on the last stderr line.
measure() {
  local label=$1
  shift
  if line=$("${TIME[@]}" "$@" 2>"$ERR"); then
    maxrss=$([ ${#TIME[@]} -gt 0 ] && tail -n1 "$ERR" || echo null)
    printf '{"label":"%s","maxrss_kib":%s,"result":%s}\n' "$label" "$maxrss" "$line" >>"$OUT"
  else
    echo "$label failed:" >&2
    cat "$ERR" >&2
  fi
}
for backend in $BACKENDS; do
  measure "jiebang-accel $backend" "$BIN" --backend "$backend" --gallery "$GALLERY" \
    --probes "$PROBES" --dim "$DIM" --k "$K"
done
measure "numpy" python3 "$NP" "$GALLERY" "$PROBES" "$DIM" "$K" "$NUMPY_BLOCK"
if grep -qw avx512f /proc/cpuinfo; then
  OPENBLAS_CORETYPE=SkylakeX measure "numpy (OpenBLAS forced AVX-512)" \
    python3 "$NP" "$GALLERY" "$PROBES" "$DIM" "$K" "$NUMPY_BLOCK"
fi

python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
cpu = open("/proc/cpuinfo").read()
model = next((l.split(":", 1)[1].strip() for l in cpu.splitlines() if l.startswith("model name")), "?")
print(f"CPU: {model}, {sum(l.startswith('processor') for l in cpu.splitlines())} logical CPUs")
r0 = rows[0]["result"]
print(f"gallery {r0['gallery']} x {r0['dim']}, probes {r0['probes']}, top-{r0['k']}")
base = next((r for r in rows if r["label"] == "numpy"), None)
print(f"{'system':<34} {'match s':>8} {'vs numpy':>8} {'setup s':>8} {'peak RSS MiB':>13} {'maxrss MiB':>11} {'rank-1':>7}")
for r in rows:
    x = r["result"]
    ratio = x["match_seconds"] / base["result"]["match_seconds"] if base else float("nan")
    mx = f"{r['maxrss_kib'] / 1024:.0f}" if r["maxrss_kib"] is not None else "n/a"
    print(f"{r['label']:<34} {x['match_seconds']:>8.2f} {ratio:>8.2f} {x['setup_seconds']:>8.2f} "
          f"{x['peak_rss_bytes'] / 2**20:>13.0f} {mx:>11} {x['rank1']:>7.3f}")
for r in rows:
    if "of_which_matmul_seconds" in r["result"]:
        x = r["result"]
        print(f"{r['label']}: matrix product {x['of_which_matmul_seconds']:.2f} s of {x['match_seconds']:.2f} s "
              f"(numpy {x['numpy']}, BLAS {x['blas']}, {x['block']} probes per block)")
PY
rm -f "$OUT" "$ERR"
