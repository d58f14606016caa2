"""Golden alignment counts (H, S, D, I) from jiwer 4 for token pairs short and long, including
pairs long enough that RapidFuzz aligns them with Hirschberg's algorithm.

The token sequences are not stored: each case records the parameters of a seeded generator
(a 64-bit LCG, implemented identically in harness/metrics/tests/golden_speech_alignment.rs),
and the expected counts. Tokens are integers below a small vocabulary, so ties abound;
jiwer.process_words gets them as words "w<id>" joined by spaces, and the counts of
rapidfuzz.distance.Levenshtein.opcodes on the integer lists are checked to agree.
"""
import jiwer
from rapidfuzz.distance import Levenshtein

from common import write_fixture

MASK = (1 << 64) - 1


class Lcg:
    """state <- state * 6364136223846793005 + 1442695040888963407 (mod 2^64); draws state >> 33."""

    def __init__(self, seed):
        self.state = seed & MASK

    def below(self, k):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 33) % k


def edited_pair(c):
    """A reference and a hypothesis made from it by substitutions, deletions and insertions
    (per mille rates), with bursts of `burst_len` edits starting with probability burst_pm/1000."""
    g = Lcg(c["seed"])
    v = c["vocabulary"]
    ref = [g.below(v) for _ in range(c["n"])]
    hyp = []
    burst = 0
    sub, dele, ins = c["sub_pm"], c["del_pm"], c["ins_pm"]
    for t in ref:
        if burst == 0 and c["burst_pm"] > 0 and g.below(1000) < c["burst_pm"]:
            burst = c["burst_len"]
        if burst > 0:
            burst -= 1
            op = g.below(3)
        else:
            r = g.below(1000)
            op = 0 if r < sub else 1 if r < sub + dele else 2 if r < sub + dele + ins else 3
        if op == 0:
            hyp.append(g.below(v))
        elif op == 2:
            hyp.append(g.below(v))
            hyp.append(t)
        elif op == 3:
            hyp.append(t)
    return ref, hyp


def independent_pair(c):
    """Two unrelated sequences of lengths n and m."""
    g = Lcg(c["seed"])
    v = c["vocabulary"]
    ref = [g.below(v) for _ in range(c["n"])]
    hyp = [g.below(v) for _ in range(c["m"])]
    return ref, hyp


def head_pair(c):
    """B + [v] against [v + 1] * m + B + [v + 2], B of n tokens below v: the only optimal split
    of the hypothesis's first half (when m = (m + n + 1) // 2) puts no reference token there,
    the case RapidFuzz's find_hirschberg_pos takes into account at the boundary."""
    g = Lcg(c["seed"])
    v = c["vocabulary"]
    body = [g.below(v) for _ in range(c["n"])]
    return body + [v], [v + 1] * c["m"] + body + [v + 2]


def make_pair(c):
    kind = c["kind"]
    return edited_pair(c) if kind == "edited" else head_pair(c) if kind == "head" else independent_pair(c)


def rapidfuzz_splits(ref, hyp):
    """Whether RapidFuzz 3.14 aligns this pair with Hirschberg's algorithm (top level)."""
    p = 0
    while p < min(len(ref), len(hyp)) and ref[p] == hyp[p]:
        p += 1
    a, b = ref[p:], hyp[p:]
    s = 0
    while s < min(len(a), len(b)) and a[-1 - s] == b[-1 - s]:
        s += 1
    n1, n2 = len(a) - s, len(b) - s
    band = min(n1, 2 * max(n1, n2) + 1)
    return not (2 * band * n2 // 8 < 1024 * 1024 or n1 < 65 or n2 < 10)


def counts(ref, hyp):
    words = lambda xs: " ".join(f"w{x}" for x in xs)
    out = jiwer.process_words(words(ref), words(hyp))
    got = {
        "hits": out.hits,
        "substitutions": out.substitutions,
        "deletions": out.deletions,
        "insertions": out.insertions,
    }
    h = s = d = i = 0
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ref, hyp):
        if tag == "equal":
            h += i2 - i1
        elif tag == "replace":
            s += i2 - i1
        elif tag == "delete":
            d += i2 - i1
        else:
            i += j2 - j1
    direct = {"hits": h, "substitutions": s, "deletions": d, "insertions": i}
    assert got == direct, (got, direct)
    return got


def case_list():
    cases = []
    meta = Lcg(20261130)

    def edited(name, n, vocab, sub, dele, ins, burst_pm=0, burst_len=0):
        cases.append({
            "name": name, "kind": "edited", "seed": meta.below(1 << 31), "n": n,
            "vocabulary": vocab, "sub_pm": sub, "del_pm": dele, "ins_pm": ins,
            "burst_pm": burst_pm, "burst_len": burst_len,
        })

    def independent(name, n, m, vocab):
        cases.append({
            "name": name, "kind": "independent", "seed": meta.below(1 << 31), "n": n, "m": m,
            "vocabulary": vocab,
        })

    for k in range(120):
        n = 1 + meta.below(60)
        edited(f"short-{k}", n, 2 + meta.below(5), meta.below(300), meta.below(200),
               meta.below(200), meta.below(100), 1 + meta.below(6))
    for k in range(40):
        independent(f"short-independent-{k}", meta.below(40), meta.below(40), 2 + meta.below(4))
    for k in range(30):
        n = 200 + meta.below(2000)
        edited(f"medium-{k}", n, 2 + meta.below(20), meta.below(200), meta.below(150),
               meta.below(150), meta.below(30), 1 + meta.below(40))
    # Long enough for Hirschberg: spread edits, clustered edits, tiny and larger vocabularies.
    long = [
        (3000, 3, 100, 50, 50, 0, 0), (4000, 2, 60, 40, 40, 0, 0), (5000, 5, 0, 0, 0, 5, 40),
        (6000, 4, 30, 30, 30, 3, 100), (8000, 3, 150, 100, 100, 0, 0), (8000, 50, 50, 20, 20, 0, 0),
        (10000, 2, 20, 20, 20, 2, 200), (12000, 6, 80, 40, 40, 1, 500), (16000, 3, 100, 60, 30, 0, 0),
        (20000, 4, 40, 40, 40, 2, 60), (20000, 1000, 60, 20, 20, 1, 300), (3500, 2, 300, 200, 200, 0, 0),
    ]
    for k, (n, vocab, sub, dele, ins, bpm, blen) in enumerate(long):
        edited(f"long-{k}", n, vocab, sub, dele, ins, bpm, blen)
    for k, (n, m, vocab) in enumerate([
        (2500, 2300, 2), (3000, 2000, 3), (2200, 2600, 4), (100, 42000, 3), (70, 30000, 2),
        (30000, 40, 3), (4000, 1200, 2),
    ]):
        independent(f"long-independent-{k}", n, m, vocab)
    for k, n in enumerate([3000, 5001]):
        cases.append({"name": f"long-head-{k}", "kind": "head", "seed": meta.below(1 << 31),
                      "n": n, "m": n + 1, "vocabulary": 3})
    return cases


def main():
    cases = case_list()
    splits = 0
    for c in cases:
        ref, hyp = make_pair(c)
        c.update(counts(ref, hyp))
        c["rapidfuzz_hirschberg"] = rapidfuzz_splits(ref, hyp)
        splits += c["rapidfuzz_hirschberg"]
    assert splits >= 15, splits
    write_fixture(
        "speech_alignment",
        "jiwer.process_words (RapidFuzz Levenshtein.opcodes underneath; its counts on the "
        "integer lists checked equal)",
        ["jiwer", "rapidfuzz"],
        "Hits, substitutions, deletions and insertions of jiwer's alignment of token sequences "
        "regenerated from each case's parameters by the 64-bit LCG of gen_speech_alignment.py "
        "(kind 'edited': reference plus per-mille substitutions/deletions/insertions and bursts; "
        "'independent': two unrelated sequences; 'head': see head_pair). rapidfuzz_hirschberg: whether RapidFuzz splits "
        "the pair with Hirschberg's algorithm at the top level.",
        cases,
    )


if __name__ == "__main__":
    main()
