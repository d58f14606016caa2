//! Shared helpers of the golden-vector tests: fixture loading (with the FROC cases' lesions and
//! candidates) and the 12-significant-digit comparison.
#![allow(dead_code)]

use jiebang_metrics::froc::{Candidate, Lesion, LesionKind};
use serde_json::Value;

/// Load `tests/golden/<name>.json` and return its `cases` array.
pub fn cases(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/golden/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert!(
        doc["tool"].is_string() && doc["versions"].is_object(),
        "{path}: missing provenance"
    );
    doc["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{path}: no cases"))
        .clone()
}

/// Relative tolerance of the golden comparisons: 12 significant digits.
pub const REL: f64 = 1e-12;

/// Assert `got` matches `want` to 12 significant digits. A reference value of exactly zero
/// must be matched to 1e-15 absolute (a relative test is meaningless there).
pub fn assert_close(got: f64, want: f64, context: &str) {
    let ok = if want == 0.0 {
        got.abs() <= 1e-15
    } else if want.is_infinite() {
        got == want
    } else {
        (got - want).abs() <= REL * want.abs()
    };
    assert!(
        ok,
        "{context}: got {got:e}, want {want:e} (rel err {:e})",
        ((got - want) / want).abs()
    );
}

/// Number field `key` of `v` as f64.
pub fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("field {key} missing in {v}"))
}

/// Array field `key` of `v` as Vec<f64>.
pub fn nums(v: &Value, key: &str) -> Vec<f64> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("field {key} missing"))
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

/// Integer field `key` of `v`.
pub fn int(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("integer field {key} missing in {v}"))
}

fn center(v: &Value) -> [f64; 3] {
    let c = nums(v, "center");
    [c[0], c[1], c[2]]
}

/// A FROC case's `(cases, lesions, candidates)` (fields `cases`, `lesions`, `candidates`).
pub fn froc_input(c: &Value) -> (usize, Vec<Lesion>, Vec<Candidate>) {
    let lesions = c["lesions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| Lesion {
            case: l["case"].as_u64().unwrap() as usize,
            center: center(l),
            diameter_mm: l["diameter"].as_f64().unwrap(),
            kind: if l["kind"] == "included" {
                LesionKind::Included
            } else {
                LesionKind::Excluded
            },
        })
        .collect();
    let candidates = c["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| Candidate {
            case: k["case"].as_u64().unwrap() as usize,
            center: center(k),
            probability: k["p"].as_f64().unwrap(),
        })
        .collect();
    (c["cases"].as_u64().unwrap() as usize, lesions, candidates)
}
