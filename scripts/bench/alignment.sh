#!/usr/bin/env bash
# Time jiebang's word alignment (speech::Aligner) against jiwer.process_words (RapidFuzz
# Levenshtein.opcodes underneath) on the same utterance pairs, in one run: one utterance of
# N reference words at about 10% WER (4% S, 3% D, 3% I), for each N given.
# Prints, per N, both JSON lines (seconds, H/S/D/I) and whether the counts agree.
#
# Usage: scripts/bench/alignment.sh [N ...]        (default: 10000 30000 100000)
# Env:   PYTHON (default python3) must have jiwer and rapidfuzz; CARGO_TARGET_DIR as usual.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PYTHON="${PYTHON:-python3}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10000 30000 100000)
(cd "$ROOT" && cargo build --release -q -p jiebang-metrics --example align_bench)
BIN="$TARGET/release/examples/align_bench"
echo "CPU: $(lscpu | grep 'Model name' | sed 's/.*: *//')"
for n in "${SIZES[@]}"; do
  ours="$("$BIN" "$n" 14)"
  theirs="$("$PYTHON" "$ROOT/scripts/bench/alignment_jiwer.py" "$n" 14)"
  echo "jiebang: $ours"
  echo "jiwer:   $theirs"
  "$PYTHON" - "$ours" "$theirs" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
keys = ("hits", "substitutions", "deletions", "insertions")
same = all(a[k] == b[k] for k in keys)
print(f"  counts {'agree' if same else 'DIFFER'}; jiwer/jiebang time {b['seconds'] / a['seconds']:.2f}x"
      f" (opcodes alone {b['opcodes_seconds'] / a['seconds']:.2f}x)")
PY
done
