"""Golden vectors for translation metrics from sacrebleu: the 13a and zh tokenisers on
tricky strings, corpus BLEU (several settings, one and two references) and chrF / chrF++."""
import numpy as np
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

from common import f, write_fixture

EN_WORDS = ["the", "The", "cat", "sat", "on", "mat", "3.5", "1,000", "U.S.", "don't", "e-mail",
            "(see", "below)", "$20", "&amp;", "&quot;hi&quot;", "50%", "well-known", "2020-05",
            "A.", "end.", "yes,", "no!", "what?", "<skipped>", "x/y", "a+b", "it's", "10-20", "...",
            "Ünïcödé", "naïve", "“quoted”", "—dash", "tab\tin", "trailing  "]
ZH_CHARS = list("我们今天去北京天安门广场看升旗仪式很多人都来了") + ["。", "，", "、", "“", "”", "（", "）",
                                                          "！", "？", "ABC", "2020年", "5G", " ", "《书》", "…", "——"]

TRICKY = ["Hello, world!", "It costs $3.50, or 1,000-2,000.", "a &amp;quot; b", "don't stop",
          "x.y,z", "1.5.6", ",.,", "line-\nbreak", "two\nlines", "<skipped> gone", "A-1 b-2 3-c",
          "ends with period.", ".starts", "9.", "e.g. i.e.", "  spaced   out  ", "tab\there",
          "“smart quotes” – dash … ellipsis", "我爱北京天安门。Hello, world", "２０２０年５月", "𠀀 ext B",
          "\u2002en space\u3000ideographic", "〈angle〉【bracket】", "\x1cunit separator\x1f", "数字3.14和1,000"]


def mutate(rng, toks, vocab, rate):
    out = []
    for t in toks:
        r = rng.random()
        if r < rate / 3:
            continue
        out.append(vocab[rng.integers(len(vocab))] if r < 2 * rate / 3 else t)
        if rng.random() < rate / 4:
            out.append(vocab[rng.integers(len(vocab))])
    return out


def corpus(rng, lang, n, rate):
    refs, refs2, hyps = [], [], []
    for _ in range(n):
        if lang == "en":
            toks = [EN_WORDS[i] for i in rng.integers(0, len(EN_WORDS), rng.integers(1, 25))]
            join = " "
            vocab = EN_WORDS
        else:
            toks = [ZH_CHARS[i] for i in rng.integers(0, len(ZH_CHARS), rng.integers(1, 30))]
            join = ""
            vocab = ZH_CHARS
        refs.append(join.join(toks))
        refs2.append(join.join(mutate(rng, toks, vocab, 0.2)))
        hyps.append(join.join(mutate(rng, toks, vocab, rate)))
    return hyps, refs, refs2


def bleu_entry(name, hyps, streams, **kw):
    m = BLEU(**kw)
    s = m.corpus_score(hyps, streams)
    return {"name": name, "settings": {k: (v if not isinstance(v, float) else f(v)) for k, v in kw.items()},
            "nrefs": len(streams), "score": f(s.score), "counts": list(map(int, s.counts)),
            "totals": list(map(int, s.totals)), "precisions": [f(p) for p in s.precisions],
            "bp": f(s.bp), "sys_len": int(s.sys_len), "ref_len": int(s.ref_len),
            "signature": str(m.get_signature())}


def chrf_entry(name, hyps, streams, **kw):
    m = CHRF(**kw)
    s = m.corpus_score(hyps, streams)
    return {"name": name, "settings": kw, "nrefs": len(streams), "score": f(s.score),
            "signature": str(m.get_signature())}


def main():
    rng = np.random.default_rng(315)
    t13, tzh = Tokenizer13a(), TokenizerZh()
    tokenizer_cases = [{"input": s, "13a": t13(s.rstrip()), "zh": tzh(s.rstrip())} for s in TRICKY]
    en_h, en_r, en_r2 = corpus(rng, "en", 300, 0.35)
    zh_h, zh_r, zh_r2 = corpus(rng, "zh", 300, 0.35)
    short_h = ["a", "", "the cat", "x y z w"]
    short_r = ["a b c d e", "nothing here", "the cat", "p q r s"]
    corpora = {"en": [en_h, en_r, en_r2], "zh": [zh_h, zh_r, zh_r2], "short": [short_h, short_r, short_r]}
    bleu = [
        bleu_entry("en_13a", en_h, [en_r]),
        bleu_entry("en_13a_2refs", en_h, [en_r, en_r2]),
        bleu_entry("en_13a_lc", en_h, [en_r], lowercase=True),
        bleu_entry("en_none_smoothing", en_h, [en_r], smooth_method="none"),
        bleu_entry("en_floor_eff", en_h, [en_r], smooth_method="floor", effective_order=True),
        bleu_entry("en_tok_none", en_h, [en_r], tokenize="none"),
        bleu_entry("zh_zh", zh_h, [zh_r], tokenize="zh"),
        bleu_entry("zh_zh_2refs", zh_h, [zh_r, zh_r2], tokenize="zh"),
        bleu_entry("zh_13a", zh_h, [zh_r]),
        bleu_entry("short_13a", short_h, [short_r]),
        bleu_entry("short_exp_eff", short_h[:1], [short_r[:1]], effective_order=True),
    ]
    for e, corpus_name in zip(bleu, ["en"] * 6 + ["zh"] * 3 + ["short"] * 2):
        e["corpus"] = corpus_name
    chrf = [
        chrf_entry("en_chrf", en_h, [en_r]), chrf_entry("en_chrf_2refs", en_h, [en_r, en_r2]),
        chrf_entry("en_chrfpp", en_h, [en_r], word_order=2), chrf_entry("zh_chrf", zh_h, [zh_r]),
        chrf_entry("en_chrf_lc_ws", en_h, [en_r], lowercase=True, whitespace=True),
        chrf_entry("en_chrf_eps", en_h, [en_r], eps_smoothing=True), chrf_entry("short_chrf", short_h, [short_r]),
    ]
    for e, corpus_name in zip(chrf, ["en", "en", "en", "zh", "en", "en", "short"]):
        e["corpus"] = corpus_name
    write_fixture("translation", "sacrebleu (BLEU, CHRF, Tokenizer13a, TokenizerZh)", ["sacrebleu"],
                  "corpus_score with the listed settings; references are streams (refs[k][i]); the "
                  "signature's version field is sacrebleu's, jiebang writes its own marker there",
                  [{"tokenizers": tokenizer_cases, "corpora": {k: {"hypotheses": v[0], "references": v[1],
                                                                   "references2": v[2]} for k, v in corpora.items()},
                    "bleu": bleu, "chrf": chrf}])


if __name__ == "__main__":
    main()
