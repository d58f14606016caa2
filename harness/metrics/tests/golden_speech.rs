//! Golden tests: alignment counts and corpus WER/CER vs jiwer, normalisation and
//! tokenisation vs the Python reference, matched-pairs statistic vs numpy/scipy
//! (fixtures from scripts/golden/gen_speech.py); the white-space conventions vs jiwer's
//! transforms and Python's white-space set (speech_conventions.json).

mod common;
use common::{assert_close, cases, num};
use jiebang_metrics::speech::{
    CerSpaces, EditCounts, Normalization, Tokenization, WordSplit, error_rate, is_python_space,
    matched_pairs_test, normalize, tokenize, utterance_counts,
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

/// The settings of speech.json: default steps, its character cases skip white space.
fn speech_json() -> Normalization {
    Normalization::default().with_conventions(WordSplit::AsciiSpace, CerSpaces::Skip)
}

#[test]
fn normalisation_and_tokenisation_match_reference() {
    let n = speech_json();
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
                tokenize(&got, mode(&c), &n),
                want,
                "{} utterance {i}",
                c["name"]
            );
        }
    }
}

#[test]
fn counts_and_rates_match_jiwer() {
    let n = speech_json();
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
    let n = speech_json();
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

/// The convention cases of `speech_conventions.json` (without the white-space table).
fn convention_cases() -> Vec<Value> {
    cases("speech_conventions")
        .into_iter()
        .filter(|c| c["name"] != "python_space")
        .collect()
}

fn base(c: &Value) -> Normalization {
    match c["normalization"].as_str().unwrap() {
        "raw" => Normalization::none(),
        _ => Normalization::default(),
    }
}

/// The case's normalisation under the conventions it names.
fn settings(c: &Value) -> Normalization {
    let split = c["word_split"].as_str().unwrap();
    let spaces = c["cer_spaces"].as_str().unwrap();
    base(c).with_conventions(
        WordSplit::from_name(split).unwrap(),
        CerSpaces::from_name(spaces).unwrap(),
    )
}

/// Normalised text, counts per utterance and the corpus rate under each case's settings
/// against jiwer.
fn check_convention_case(c: &Value, n: &Normalization) {
    let name = c["name"].as_str().unwrap();
    let refs = strings(c, "references");
    let hyps = strings(c, "hypotheses");
    for (texts, key) in [
        (&refs, "normalized_references"),
        (&hyps, "normalized_hypotheses"),
    ] {
        for (i, (t, want)) in texts.iter().zip(strings(c, key)).enumerate() {
            assert_eq!(normalize(t, n), want, "{name} {key} {i}: {t:?}");
        }
    }
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let hyps: Vec<&str> = hyps.iter().map(String::as_str).collect();
    let per = utterance_counts(&refs, &hyps, mode(c), n).unwrap();
    for (i, want) in c["per_utterance"].as_array().unwrap().iter().enumerate() {
        assert_eq!(
            per[i],
            counts(want),
            "{name} utterance {i}: {:?} | {:?}",
            refs[i],
            hyps[i]
        );
    }
    let corpus = error_rate(&refs, &hyps, mode(c), n).unwrap();
    assert_eq!(corpus.counts, counts(&c["corpus"]), "{name} totals");
    assert_close(
        corpus.rate,
        num(&c["corpus"], "rate"),
        &format!("{name} rate"),
    );
}

#[test]
fn default_conventions_match_jiwer_defaults() {
    let mut checked = 0;
    for c in convention_cases() {
        if c["word_split"] == "ascii-space" && c["cer_spaces"] == "count" {
            check_convention_case(&c, &base(&c));
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn every_convention_matches_jiwer() {
    let cases = convention_cases();
    assert_eq!(cases.len(), 12);
    for c in cases {
        let n = settings(&c);
        check_convention_case(&c, &n);
        for (side, key) in [
            ("references", "tokens_references"),
            ("hypotheses", "tokens_hypotheses"),
        ] {
            let want = c[key].as_array().unwrap();
            for (i, t) in strings(&c, &format!("normalized_{side}"))
                .iter()
                .enumerate()
            {
                let want: Vec<&str> = want[i]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap())
                    .collect();
                assert_eq!(
                    tokenize(t, mode(&c), &n),
                    want,
                    "{} {key} {i}: {t:?}",
                    c["name"]
                );
            }
        }
    }
}

#[test]
fn python_white_space_over_every_code_point() {
    let table = cases("speech_conventions")
        .into_iter()
        .find(|c| c["name"] == "python_space")
        .unwrap();
    let want: Vec<u32> = table["code_points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let got: Vec<u32> = (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|&c| is_python_space(c))
        .map(u32::from)
        .collect();
    assert_eq!(got, want);
    assert!(got.contains(&0x1C) && got.contains(&0x3000));
}
