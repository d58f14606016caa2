//! Golden tests: alignment counts and corpus WER/CER vs jiwer, normalisation and
//! tokenisation vs the Python reference, matched-pairs statistic vs numpy/scipy
//! (fixtures from scripts/golden/gen_speech.py).

mod common;
use common::{assert_close, cases, num};
use jiebang_metrics::speech::{
    EditCounts, Normalization, Tokenization, error_rate, matched_pairs_test, normalize, tokenize,
    utterance_counts,
};
use serde_json::Value;

fn strings(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

fn counts(v: &Value) -> EditCounts {
    let g = |k: &str| v[k].as_u64().unwrap();
    EditCounts {
        hits: g("hits"),
        substitutions: g("substitutions"),
        deletions: g("deletions"),
        insertions: g("insertions"),
    }
}

fn mode(v: &Value) -> Tokenization {
    match v["tokenization"].as_str().unwrap() {
        "words" => Tokenization::Words,
        "characters" => Tokenization::Characters,
        _ => Tokenization::Mixed,
    }
}

#[test]
fn normalisation_and_tokenisation_match_reference() {
    let n = Normalization::default();
    for c in cases("speech") {
        let refs = strings(&c, "references");
        let normalized = strings(&c, "normalized_references");
        let tokens = c["tokens_references"].as_array().unwrap();
        for (i, r) in refs.iter().enumerate() {
            let got = normalize(r, &n);
            assert_eq!(got, normalized[i], "{} utterance {i}: {r:?}", c["name"]);
            let want: Vec<&str> = tokens[i]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(
                tokenize(&got, mode(&c)),
                want,
                "{} utterance {i}",
                c["name"]
            );
        }
    }
}

#[test]
fn counts_and_rates_match_jiwer() {
    let n = Normalization::default();
    for c in cases("speech") {
        let name = c["name"].as_str().unwrap();
        let refs = strings(&c, "references");
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        for system in ["a", "b"] {
            let hyps = strings(&c, &format!("hypotheses_{system}"));
            let hyps: Vec<&str> = hyps.iter().map(String::as_str).collect();
            let per = utterance_counts(&refs, &hyps, mode(&c), &n).unwrap();
            for (i, want) in c[format!("per_utterance_{system}")]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
            {
                assert_eq!(
                    per[i],
                    counts(want),
                    "{name} system {system} utterance {i}: {:?} | {:?}",
                    refs[i],
                    hyps[i]
                );
            }
            let corpus = error_rate(&refs, &hyps, mode(&c), &n).unwrap();
            let want = &c[format!("corpus_{system}")];
            assert_eq!(corpus.counts, counts(want), "{name} system {system} totals");
            assert_close(
                corpus.rate,
                num(want, "rate"),
                &format!("{name} system {system} rate"),
            );
        }
    }
}

#[test]
fn matched_pairs_statistic_matches_reference() {
    let n = Normalization::default();
    for c in cases("speech") {
        let name = c["name"].as_str().unwrap();
        let refs = strings(&c, "references");
        let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
        let per = |system: &str| {
            let hyps = strings(&c, &format!("hypotheses_{system}"));
            let hyps: Vec<&str> = hyps.iter().map(String::as_str).collect();
            utterance_counts(&refs, &hyps, mode(&c), &n).unwrap()
        };
        let t = matched_pairs_test(&per("a"), &per("b")).unwrap();
        let want = &c["matched_pairs"];
        for (got, key) in [
            (t.mean_difference, "mean_difference"),
            (t.std_dev, "std_dev"),
            (t.z, "z"),
            (t.p_value, "p_value"),
        ] {
            assert_close(got, num(want, key), &format!("{name} {key}"));
        }
    }
}
