"""Reference side of scripts/bench/alignment.sh: builds the utterance pair of
harness/metrics/examples/align_bench.rs (same 64-bit LCG) and times jiwer.process_words on it,
and RapidFuzz's Levenshtein.opcodes alone on the word ids. Prints JSON like align_bench.

Usage: python3 alignment_jiwer.py <reference words> <seed>
"""
import json
import sys
import time

import jiwer
from rapidfuzz.distance import Levenshtein

MASK = (1 << 64) - 1


class Lcg:
    def __init__(self, seed):
        self.state = seed & MASK

    def below(self, k):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 33) % k


def pair(words, seed):
    g = Lcg(seed)
    word = lambda: f"w{g.below(5000)}"
    ref = [word() for _ in range(words)]
    hyp = []
    for t in ref:
        r = g.below(100)
        if r < 4:
            hyp.append(word())
        elif r < 7:
            pass
        elif r < 10:
            hyp.append(word())
            hyp.append(t)
        else:
            hyp.append(t)
    return ref, hyp


def main():
    words, seed = int(sys.argv[1]), int(sys.argv[2])
    ref, hyp = pair(words, seed)
    ref_text, hyp_text = " ".join(ref), " ".join(hyp)
    start = time.perf_counter()
    out = jiwer.process_words(ref_text, hyp_text)
    seconds = time.perf_counter() - start
    ids = {}
    r = [ids.setdefault(w, len(ids)) for w in ref]
    h = [ids.setdefault(w, len(ids)) for w in hyp]
    start = time.perf_counter()
    Levenshtein.opcodes(r, h)
    opcodes_seconds = time.perf_counter() - start
    print(json.dumps({
        "words": words, "seconds": round(seconds, 4),
        "opcodes_seconds": round(opcodes_seconds, 4), "hits": out.hits,
        "substitutions": out.substitutions, "deletions": out.deletions,
        "insertions": out.insertions,
    }))


if __name__ == "__main__":
    main()
