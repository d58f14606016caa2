"""Golden vectors for speech: alignment counts and corpus WER/CER from jiwer 4
(process_words on pre-tokenised text), the normalisation and tokenisation rules written in
Python from their documented definition (unicodedata), and the matched-pairs statistic
(numpy + scipy.stats.norm); its character cases skip white space (the `skip` convention).
Then speech_conventions.json: the white-space conventions (word splitting, CER spaces) against
jiwer's own default transforms and explicit jiwer transforms for the other conventions, and
Python's white-space set over every code point."""
import re
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


# Unicode's White_Space property (PropList.txt), the set of Rust's `char::is_whitespace`:
# Python's `str.isspace` set less the separators U+001C-U+001F (checked in `conventions`).
WHITE_SPACE = [0x9, 0xA, 0xB, 0xC, 0xD, 0x20, 0x85, 0xA0, 0x1680] + list(range(0x2000, 0x200B)) + [
    0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
WS = "".join(re.escape(chr(c)) for c in WHITE_SPACE)
SEPARATORS = [" ", " ", " ", "  ", "\t", "\u00a0", "\u3000", "\u2028", "\u001c", "\t\t", " \t",
              "\u3000\u3000", "\u00a0 ", "\u2003", "\u001f\u001c"]
EDGES = ["", "", " ", "\t", "\u3000", "\u001c", "  ", "\u00a0\n"]


def our_steps(text, raw):
    """The crate's own steps before the conventions (none in raw mode)."""
    if raw:
        return text
    out = []
    for c in text:
        cp = ord(c)
        if 0xFF01 <= cp <= 0xFF5E:
            c = chr(cp - 0xFEE0)
        elif cp == 0x3000:
            c = " "
        out.append(c)
    s = "".join(out).lower()
    return "".join(c for c in s if not unicodedata.category(c).startswith("P"))


def collapse(text, split):
    """The crate's step 4 under each word-split convention (not applied in raw mode)."""
    if split == "ascii-space":
        return jiwer.Compose([jiwer.RemoveMultipleSpaces(), jiwer.Strip()])(text)
    return jiwer.Compose([jiwer.SubstituteRegexes({f"[{WS}]+": " "}),
                          jiwer.SubstituteRegexes({"^ | $": ""})])(text)


def transform(tokenization, split, spaces):
    """jiwer's transform implementing a convention: its own defaults for the jiwer
    conventions, explicit compositions of jiwer transforms for the others."""
    if tokenization == "words":
        if split == "ascii-space":
            return jiwer.transformations.wer_default
        return jiwer.Compose([jiwer.SubstituteRegexes({f"[{WS}]+": " "}),
                              jiwer.SubstituteRegexes({"^ | $": ""}),
                              jiwer.ReduceToListOfListOfWords()])
    if split == "ascii-space" and spaces == "count":
        return jiwer.transformations.cer_default
    if split == "ascii-space":
        return jiwer.Compose([jiwer.SubstituteRegexes({r"\s": ""}), jiwer.ReduceToListOfListOfChars()])
    if spaces == "count":
        return jiwer.Compose([jiwer.SubstituteRegexes({f"^[{WS}]+|[{WS}]+$": ""}),
                              jiwer.ReduceToListOfListOfChars()])
    return jiwer.Compose([jiwer.SubstituteRegexes({f"[{WS}]": ""}), jiwer.ReduceToListOfListOfChars()])


def spaced(rng, words):
    text = EDGES[rng.integers(len(EDGES))]
    for i, w in enumerate(words):
        if i:
            text += SEPARATORS[rng.integers(len(SEPARATORS))]
        text += w
    return text + EDGES[rng.integers(len(EDGES))]


def convention_case(rng, raw, tokenization, split, spaces, n):
    vocab = EN + ["Cat,", "ＤＯＧ", "你好", "天气"]
    refs, hyps = [], []
    t = transform(tokenization, split, spaces)
    while len(refs) < n:
        words = [vocab[i] for i in rng.integers(0, len(vocab), rng.integers(1, 7))]
        ref = spaced(rng, words)
        hyp = spaced(rng, mutate(rng, words, vocab, 0.3))
        if not t(our_steps(ref, raw) if raw else collapse(our_steps(ref, raw), split))[0]:
            continue
        refs.append(ref)
        hyps.append(hyp)
    norm = (lambda s: s) if raw else (lambda s: collapse(our_steps(s, raw), split))
    nr, nh = [norm(r) for r in refs], [norm(h) for h in hyps]
    process = jiwer.process_words if tokenization == "words" else jiwer.process_characters
    per = []
    for r, h in zip(nr, nh):
        o = process(r, h, reference_transform=t, hypothesis_transform=t)
        per.append({"hits": o.hits, "substitutions": o.substitutions, "deletions": o.deletions,
                    "insertions": o.insertions})
    o = process(nr, nh, reference_transform=t, hypothesis_transform=t)
    rate = o.wer if tokenization == "words" else o.cer
    return {"name": f"{'raw' if raw else 'default'}_{tokenization}_split:{split}_spaces:{spaces}",
            "normalization": "raw" if raw else "default", "tokenization": tokenization,
            "word_split": split, "cer_spaces": spaces, "references": refs, "hypotheses": hyps,
            "normalized_references": nr, "normalized_hypotheses": nh,
            "tokens_references": [t(r)[0] for r in nr], "tokens_hypotheses": [t(h)[0] for h in nh],
            "per_utterance": per,
            "corpus": {"hits": o.hits, "substitutions": o.substitutions, "deletions": o.deletions,
                       "insertions": o.insertions, "rate": f(rate)}}


def conventions():
    """The white-space conventions against jiwer: Python's white-space set over every code
    point, then cases for each convention in raw and default normalisation."""
    python_space = [c for c in range(0x110000) if chr(c).isspace()]
    assert python_space == [c for c in range(0x110000) if re.fullmatch(r"\s", chr(c))]
    assert sorted(set(python_space) - set(range(0x1C, 0x20))) == WHITE_SPACE
    rng = np.random.default_rng(14)
    cases = []
    for raw in [True, False]:
        for split in ["ascii-space", "unicode-whitespace"]:
            cases.append(convention_case(rng, raw, "words", split, "count", 30))
            for spaces in ["count", "skip"]:
                cases.append(convention_case(rng, raw, "characters", split, spaces, 30))
    write_fixture("speech_conventions",
                  "jiwer 4 process_words / process_characters: default transforms (wer_default, "
                  "cer_default) for the default conventions, explicit jiwer.Compose transforms for "
                  "the others; Python str.isspace over every code point",
                  ["jiwer", "rapidfuzz", "numpy"],
                  "python_space: every code point c with chr(c).isspace() (= re \\s). Each case: "
                  "normalised text = raw text (normalization raw) or the crate's steps (full-width "
                  "to half-width, str.lower, delete P*) then the word-split convention's collapse "
                  "(ascii-space: RemoveMultipleSpaces+Strip; unicode-whitespace: runs of Unicode "
                  "White_Space to one space, ends trimmed); tokens and counts from jiwer with the "
                  "convention's transform (words/ascii-space: wer_default; words/unicode-whitespace: "
                  "White_Space runs to a space, trim, ReduceToListOfListOfWords; characters/"
                  "ascii-space/count: cer_default; characters/ascii-space/skip: delete \\s, "
                  "ReduceToListOfListOfChars; characters/unicode-whitespace/count: trim White_Space, "
                  "ReduceToListOfListOfChars; characters/unicode-whitespace/skip: delete White_Space, "
                  "ReduceToListOfListOfChars)",
                  [{"name": "python_space", "code_points": python_space}] + cases)


def main():
    conventions()
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
