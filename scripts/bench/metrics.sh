#!/usr/bin/env bash
# Benchmark jiebang-metrics against the reference Python tools on the same inputs, in one run:
#   ROC AUC on 10^7 scores (scikit-learn roc_auc_score), WER on 10^5 utterances (jiwer.wer),
#   corpus BLEU on 10^5 sentences (sacrebleu.corpus_bleu), CER on 10^5 Chinese utterances
#   (jiwer.cer; Hanzi without spaces, where jiwer's and jiebang's character conventions agree).
# Prints compute time (the metric call only), process wall time and peak RSS (GNU time -v)
# of both sides, the ratios, and both values.
#
# Usage: scripts/bench/metrics.sh [auc] [wer] [bleu] [cer]      (default: all four)
# Env:   WORK (default /tmp/jiebang-metrics-bench) holds the generated inputs and outputs;
#        CARGO_TARGET_DIR as usual. Needs python3 with numpy, scikit-learn, jiwer, sacrebleu,
#        and GNU time at /usr/bin/time (apt-get install -y time).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="${WORK:-/tmp/jiebang-metrics-bench}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
METRICS=("$@")
[ ${#METRICS[@]} -eq 0 ] && METRICS=(auc wer bleu cer)
[ -x /usr/bin/time ] || { echo "GNU time not found at /usr/bin/time (apt-get install -y time)" >&2; exit 1; }

mkdir -p "$WORK"
if [ ! -f "$WORK/inputs-v2.done" ]; then # v2: with the CER inputs
  echo "generating inputs in $WORK ..." >&2
  python3 "$ROOT/scripts/bench/metrics/gen_inputs.py" "$WORK"
  touch "$WORK/inputs-v2.done"
fi
(cd "$ROOT" && cargo build --release -q -p jiebang-metrics --example metric_bench)
BIN="$TARGET/release/examples/metric_bench"

args_for() {
  case "$1" in
    auc) echo "$WORK/scores.f64 $WORK/labels.u8" ;;
    wer) echo "$WORK/wer_ref.txt $WORK/wer_hyp.txt" ;;
    bleu) echo "$WORK/bleu_hyp.txt $WORK/bleu_ref.txt" ;;
    cer) echo "$WORK/cer_ref.txt $WORK/cer_hyp.txt" ;;
  esac
}

for m in "${METRICS[@]}"; do
  # shellcheck disable=SC2046
  /usr/bin/time -v -o "$WORK/$m.jiebang.time" "$BIN" "$m" $(args_for "$m") > "$WORK/$m.jiebang.json"
  # shellcheck disable=SC2046
  /usr/bin/time -v -o "$WORK/$m.reference.time" python3 "$ROOT/scripts/bench/metrics/reference.py" "$m" $(args_for "$m") > "$WORK/$m.reference.json"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
python3 "$ROOT/scripts/bench/metrics/report.py" "$WORK" "${METRICS[@]}"
