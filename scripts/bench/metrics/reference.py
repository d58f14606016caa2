"""Reference side of scripts/bench/metrics.sh: compute one metric with the reference tool
(scikit-learn, jiwer for WER and CER, sacrebleu) on the generated inputs and print JSON with the value,
the load time and the compute time (time.perf_counter around the metric call only)."""
import json
import sys
import time


def main():
    metric, a, b = sys.argv[1:4]
    # Imports are not timed: load_seconds covers reading the inputs only.
    if metric == "auc":
        import numpy as np
        from sklearn.metrics import roc_auc_score
    elif metric in ("wer", "cer"):
        import jiwer
    elif metric == "bleu":
        import sacrebleu
    t0 = time.perf_counter()
    if metric == "auc":
        scores = np.fromfile(a, dtype=np.float64)
        labels = np.fromfile(b, dtype=np.uint8)
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        value = roc_auc_score(labels, scores)
    elif metric == "wer":
        refs = open(a).read().splitlines()
        hyps = open(b).read().splitlines()
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        value = jiwer.wer(refs, hyps)
    elif metric == "cer":
        # Hanzi without spaces: jiwer.cer's default transform (strip, then characters) and
        # jiebang's Characters tokenisation (white space not scored) see the same tokens.
        refs = open(a, encoding="utf-8").read().splitlines()
        hyps = open(b, encoding="utf-8").read().splitlines()
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        value = jiwer.cer(refs, hyps)
    elif metric == "bleu":
        hyps = open(a).read().splitlines()
        refs = open(b).read().splitlines()
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        value = sacrebleu.corpus_bleu(hyps, [refs]).score
    else:
        raise SystemExit(f"unknown metric {metric}")
    compute = time.perf_counter() - t1
    print(json.dumps({"metric": metric, "value": float(value), "load_seconds": load, "compute_seconds": compute}))


if __name__ == "__main__":
    main()
