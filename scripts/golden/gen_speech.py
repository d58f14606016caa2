"""Golden vectors for speech: alignment counts and corpus WER/CER from jiwer 4
(process_words on pre-tokenised text), the normalisation and tokenisation rules written in
Python from their documented definition (unicodedata), and the matched-pairs statistic
(numpy + scipy.stats.norm)."""
import unicodedata

import jiwer
import numpy as np
from scipy import stats

from common import f, write_fixture

CJK = [(0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2A6DF),
       (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F), (0x30000, 0x3134F)]


def is_cjk(c):
    cp = ord(c)
    return any(a <= cp <= b for a, b in CJK)


def normalize(text):
    out = []
    for c in text:
        cp = ord(c)
        if 0xFF01 <= cp <= 0xFF5E:
            c = chr(cp - 0xFEE0)
        elif cp == 0x3000:
            c = " "
        out.append(c)
    s = "".join(out).lower()
    s = "".join(c for c in s if not unicodedata.category(c).startswith("P"))
    return " ".join(s.split())


def tokenize(text, mode):
    if mode == "words":
        return text.split()
    if mode == "characters":
        return [c for c in text if not c.isspace()]
    toks = []
    for word in text.split():
        run = ""
        for c in word:
            if is_cjk(c):
                if run:
                    toks.append(run)
                    run = ""
                toks.append(c)
            else:
                run += c
        if run:
            toks.append(run)
    return toks


EN = ["the", "a", "cat", "sat", "on", "mat", "dog", "ran", "to", "park", "and", "it"]
ZH = list("今天天气很好我们去公园散步吧明后要下雨带伞的")
DECOR = [",", ".", "!", "?", "，", "。", "、", "“", "”", "'", "-"]


def mutate(rng, words, vocab, rate):
    out = []
    for w in words:
        r = rng.random()
        if r < rate / 3:
            continue  # deletion
        if r < 2 * rate / 3:
            out.append(vocab[rng.integers(len(vocab))])  # substitution (may equal)
        else:
            out.append(w)
        if rng.random() < rate / 3:
            out.append(vocab[rng.integers(len(vocab))])  # insertion
    return out


def decorate(rng, words, joiner):
    text = joiner.join(words)
    chars = []
    for c in text:
        if rng.random() < 0.1:
            c = c.upper()
        if rng.random() < 0.05 and "!" <= c <= "~":
            c = chr(ord(c) + 0xFEE0)  # full-width form
        chars.append(c)
        if rng.random() < 0.06:
            chars.append(DECOR[rng.integers(len(DECOR))])
    return "".join(chars)


def corpus(rng, lang, n, rate):
    refs, hyps_a, hyps_b = [], [], []
    for _ in range(n):
        if lang == "en":
            words = [EN[i] for i in rng.integers(0, len(EN), rng.integers(1, 14))]
            joiner = " "
            vocab = EN
        elif lang == "zh":
            words = [ZH[i] for i in rng.integers(0, len(ZH), rng.integers(1, 20))]
            joiner = ""
            vocab = ZH
        else:  # mixed Chinese with Latin words
            words = [(EN if rng.random() < 0.2 else ZH)[0] for _ in range(0)]
            words = [EN[rng.integers(len(EN))] if rng.random() < 0.2 else ZH[rng.integers(len(ZH))]
                     for _ in range(rng.integers(1, 16))]
            joiner = " " if rng.random() < 0.5 else ""
            vocab = ZH + EN
        refs.append(decorate(rng, words, joiner))
        hyps_a.append(decorate(rng, mutate(rng, words, vocab, rate), joiner))
        hyps_b.append(decorate(rng, mutate(rng, words, vocab, rate * 0.6), joiner))
    return refs, hyps_a, hyps_b


def counts(ref_tokens, hyp_tokens):
    out = jiwer.process_words(" ".join(ref_tokens), " ".join(hyp_tokens)) if ref_tokens else None
    if out is None:
        raise AssertionError("empty reference")
    return {"hits": out.hits, "substitutions": out.substitutions, "deletions": out.deletions,
            "insertions": out.insertions}


def score(refs, hyps, mode):
    per = []
    for r, h in zip(refs, hyps):
        rt, ht = tokenize(normalize(r), mode), tokenize(normalize(h), mode)
        if not ht:
            # jiwer rejects empty strings only for references; an empty hypothesis is fine
            pass
        per.append(counts(rt, ht))
    ref_tok = [" ".join(tokenize(normalize(r), mode)) for r in refs]
    hyp_tok = [" ".join(tokenize(normalize(h), mode)) for h in hyps]
    corpus_out = jiwer.process_words(ref_tok, hyp_tok)
    return per, {"hits": corpus_out.hits, "substitutions": corpus_out.substitutions,
                 "deletions": corpus_out.deletions, "insertions": corpus_out.insertions,
                 "rate": f(corpus_out.wer)}


def matched_pairs(per_a, per_b):
    ea = np.array([c["substitutions"] + c["deletions"] + c["insertions"] for c in per_a], float)
    eb = np.array([c["substitutions"] + c["deletions"] + c["insertions"] for c in per_b], float)
    d = ea - eb
    mean = d.mean()
    sd = d.std(ddof=1)
    z = mean / (sd / np.sqrt(len(d)))
    return {"mean_difference": f(mean), "std_dev": f(sd), "z": f(z), "p_value": f(2 * stats.norm.sf(abs(z)))}


def main():
    rng = np.random.default_rng(2020)
    cases = []
    for lang, mode, n, rate in [("en", "words", 150, 0.3), ("zh", "characters", 150, 0.25),
                                ("mixed", "mixed", 120, 0.3), ("en", "characters", 60, 0.2),
                                ("en", "words", 80, 0.8)]:
        refs, ha, hb = corpus(rng, lang, n, rate)
        keep = [i for i, r in enumerate(refs) if tokenize(normalize(r), mode)]
        refs = [refs[i] for i in keep]
        ha = [ha[i] for i in keep]
        hb = [hb[i] for i in keep]
        per_a, tot_a = score(refs, ha, mode)
        per_b, tot_b = score(refs, hb, mode)
        cases.append({"name": f"{lang}_{mode}_{n}_{rate}", "tokenization": mode, "references": refs,
                      "hypotheses_a": ha, "hypotheses_b": hb,
                      "normalized_references": [normalize(r) for r in refs],
                      "tokens_references": [tokenize(normalize(r), mode) for r in refs],
                      "per_utterance_a": per_a, "corpus_a": tot_a,
                      "per_utterance_b": per_b, "corpus_b": tot_b,
                      "matched_pairs": matched_pairs(per_a, per_b)})
    write_fixture("speech", "jiwer process_words (counts, corpus WER); Python reference of the "
                  "normalisation/tokenisation rules (unicodedata); numpy+scipy (matched pairs)",
                  ["jiwer", "rapidfuzz", "numpy", "scipy"],
                  "normalise: full-width U+FF01-FF5E and U+3000 to half-width, str.lower, delete "
                  "category P*, collapse white space; tokenise: words | characters (no spaces) | "
                  "mixed (CJK ideograph per token); counts from jiwer on the space-joined tokens; "
                  "matched pairs: per-utterance error differences, z = mean/(sd/sqrt n), ddof=1, "
                  "two-sided normal p", cases)


if __name__ == "__main__":
    main()
