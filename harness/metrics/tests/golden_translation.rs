//! Golden tests: tokenisers, corpus BLEU and chrF vs sacrebleu
//! (fixtures from scripts/golden/gen_translation.py).

mod common;
use common::{assert_close, cases, num, nums};
use jiebang_metrics::translation::{
    BleuSettings, BleuSmoothing, BleuTokenizer, ChrfSettings, corpus_bleu, corpus_chrf,
    tokenize_13a, tokenize_zh,
};
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

/// The signature up to (not including) the version field, which differs by design.
fn without_version(sig: &str) -> &str {
    &sig[..sig.rfind("|version:").expect("version field")]
}

fn corpus(fixture: &Value, name: &str, nrefs: u64) -> (Vec<String>, Vec<Vec<String>>) {
    let c = &fixture["corpora"][name];
    let mut streams = vec![strings(&c["references"])];
    if nrefs == 2 {
        streams.push(strings(&c["references2"]));
    }
    (strings(&c["hypotheses"]), streams)
}

#[test]
fn tokenizers_match_sacrebleu() {
    let fixture = &cases("translation")[0];
    for t in fixture["tokenizers"].as_array().unwrap() {
        let input = t["input"].as_str().unwrap();
        let stripped = input.trim_end_matches(jiebang_metrics::translation::is_python_whitespace);
        assert_eq!(
            tokenize_13a(stripped),
            t["13a"].as_str().unwrap(),
            "13a of {input:?}"
        );
        assert_eq!(
            tokenize_zh(stripped),
            t["zh"].as_str().unwrap(),
            "zh of {input:?}"
        );
    }
}

#[test]
fn bleu_matches_sacrebleu() {
    let fixture = &cases("translation")[0];
    for b in fixture["bleu"].as_array().unwrap() {
        let name = b["name"].as_str().unwrap();
        let s = &b["settings"];
        let settings = BleuSettings {
            tokenizer: match s["tokenize"].as_str() {
                Some("zh") => BleuTokenizer::Zh,
                Some("none") => BleuTokenizer::None,
                _ => BleuTokenizer::Thirteen,
            },
            lowercase: s["lowercase"].as_bool().unwrap_or(false),
            smoothing: match s["smooth_method"].as_str() {
                Some("none") => BleuSmoothing::None,
                Some("floor") => BleuSmoothing::Floor(0.1),
                _ => BleuSmoothing::Exp,
            },
            effective_order: s["effective_order"].as_bool().unwrap_or(false),
        };
        let nrefs = b["nrefs"].as_u64().unwrap();
        let (mut hyps, mut refs) = corpus(fixture, b["corpus"].as_str().unwrap(), nrefs);
        if name == "short_exp_eff" {
            hyps.truncate(1);
            refs.iter_mut().for_each(|r| r.truncate(1));
        }
        let got = corpus_bleu(&hyps, &refs, &settings).unwrap();
        let st = &got.statistics;
        let as_u64 = |key: &str| -> Vec<u64> {
            b[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect()
        };
        assert_eq!(st.correct.to_vec(), as_u64("counts"), "{name} counts");
        assert_eq!(st.total.to_vec(), as_u64("totals"), "{name} totals");
        assert_eq!(st.sys_len, b["sys_len"].as_u64().unwrap(), "{name} sys_len");
        assert_eq!(st.ref_len, b["ref_len"].as_u64().unwrap(), "{name} ref_len");
        for (k, p) in nums(b, "precisions").iter().enumerate() {
            assert_close(got.precisions[k], *p, &format!("{name} precision {k}"));
        }
        assert_close(got.brevity_penalty, num(b, "bp"), &format!("{name} bp"));
        assert_close(got.score, num(b, "score"), &format!("{name} score"));
        assert_eq!(
            without_version(&got.signature),
            without_version(b["signature"].as_str().unwrap()),
            "{name}"
        );
        assert!(
            got.signature
                .ends_with(&format!("|version:jiebang-{}", env!("CARGO_PKG_VERSION")))
        );
    }
}

#[test]
fn chrf_matches_sacrebleu() {
    let fixture = &cases("translation")[0];
    for c in fixture["chrf"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let s = &c["settings"];
        let settings = ChrfSettings {
            word_order: s["word_order"].as_u64().unwrap_or(0) as usize,
            lowercase: s["lowercase"].as_bool().unwrap_or(false),
            whitespace: s["whitespace"].as_bool().unwrap_or(false),
            eps_smoothing: s["eps_smoothing"].as_bool().unwrap_or(false),
            ..Default::default()
        };
        let (hyps, refs) = corpus(
            fixture,
            c["corpus"].as_str().unwrap(),
            c["nrefs"].as_u64().unwrap(),
        );
        let got = corpus_chrf(&hyps, &refs, &settings).unwrap();
        assert_close(got.score, num(c, "score"), &format!("{name} chrF"));
        assert_eq!(
            without_version(&got.signature),
            without_version(c["signature"].as_str().unwrap()),
            "{name}"
        );
    }
}
