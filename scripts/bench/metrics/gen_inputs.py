"""Generate the benchmark inputs of scripts/bench/metrics.sh (seeded, deterministic):
10^7 ROC scores + labels, 10^5 twelve-word utterances (reference/hypothesis), 10^5
sentences for BLEU (hypothesis/reference), 10^5 Chinese utterances for CER (reference/
hypothesis: Hanzi only, no spaces, so jiwer's CER, which scores a space as a character, and
jiebang's, which skips white space, count the same characters)."""
import os
import sys

import numpy as np


def words(rng, n_vocab):
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    out = set()
    while len(out) < n_vocab:
        out.add("".join(rng.choice(letters, rng.integers(2, 9))))
    return sorted(out)


def mutate(rng, toks, vocab, rate):
    out = []
    for t in toks:
        r = rng.random()
        if r < rate / 3:
            continue
        out.append(vocab[rng.integers(len(vocab))] if r < 2 * rate / 3 else t)
        if rng.random() < rate / 3:
            out.append(vocab[rng.integers(len(vocab))])
    return out


def hanzi(rng, n_chars):
    """`n_chars` distinct CJK Unified Ideographs from the basic block (U+4E00..U+9FFF)."""
    codes = rng.choice(np.arange(0x4E00, 0xA000), size=n_chars, replace=False)
    return [chr(int(c)) for c in codes]


def chinese(out_dir, n_utts):
    """CER inputs: 8-24 character utterances over a 3 000-character vocabulary, Zipf-drawn,
    15% character edits. Its own seed, so the other inputs stay as they were."""
    rng = np.random.default_rng(2020)
    chars = hanzi(rng, 3000)
    with open(os.path.join(out_dir, "cer_ref.txt"), "w", encoding="utf-8") as r, \
            open(os.path.join(out_dir, "cer_hyp.txt"), "w", encoding="utf-8") as h:
        for _ in range(n_utts):
            n = int(rng.integers(8, 25))
            toks = [chars[i] for i in rng.zipf(1.3, n) % len(chars)]
            r.write("".join(toks) + "\n")
            h.write("".join(mutate(rng, toks, chars, 0.15)) + "\n")


def main(out_dir, n_scores=10**7, n_utts=10**5, n_sents=10**5):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(2018)
    labels = (rng.random(n_scores) < 0.3).astype(np.uint8)
    scores = rng.normal(loc=labels * 0.8, scale=1.0).astype(np.float64)
    scores = np.round(scores, 4)  # some ties, as real detectors produce
    scores.tofile(os.path.join(out_dir, "scores.f64"))
    labels.tofile(os.path.join(out_dir, "labels.u8"))

    vocab = words(rng, 5000)
    zipf = rng.zipf(1.3, size=(n_utts, 12)) % len(vocab)
    with open(os.path.join(out_dir, "wer_ref.txt"), "w") as r, open(os.path.join(out_dir, "wer_hyp.txt"), "w") as h:
        for row in zipf:
            toks = [vocab[i] for i in row]
            r.write(" ".join(toks) + "\n")
            h.write(" ".join(mutate(rng, toks, vocab, 0.15)) + "\n")

    punct = [",", ".", "?", "!", "(", ")", "\"", "'s", "-", "3.5", "1,000"]
    bvocab = vocab[:3000] + punct
    with open(os.path.join(out_dir, "bleu_ref.txt"), "w") as r, open(os.path.join(out_dir, "bleu_hyp.txt"), "w") as h:
        for _ in range(n_sents):
            n = int(rng.integers(10, 40))
            toks = [bvocab[i] for i in rng.zipf(1.2, n) % len(bvocab)]
            toks[0] = toks[0].capitalize()
            ref = " ".join(toks) + "."
            hyp = " ".join(mutate(rng, toks, bvocab, 0.3)) + "."
            r.write(ref + "\n")
            h.write(hyp + "\n")
    chinese(out_dir, n_utts)


if __name__ == "__main__":
    main(sys.argv[1])
