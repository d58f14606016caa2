//! Inputs the fuzz targets (fuzz/fuzz_targets/scorecard.rs) found, kept as regular tests: a
//! scorecard verifies only when it is exactly what the schema writes, not merely canonical JSON.

use jiebang_scorecard::*;
use serde_json::{Value, json};

/// The golden scorecard without its signature (edits change the id it signs).
fn golden() -> Value {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/sample.scorecard.json"
    ))
    .unwrap();
    let mut v: Value = serde_json::from_slice(&bytes).unwrap();
    v.as_object_mut().unwrap().remove("signature");
    v
}

/// `v` sealed by hand with its own id: canonical bytes whose id matches, as a unit could write.
fn sealed_by_hand(mut v: Value) -> Vec<u8> {
    let map = v.as_object_mut().unwrap();
    map.remove("id");
    let id = compute_id(&v).unwrap();
    v.as_object_mut().unwrap().insert("id".into(), json!(id));
    let mut bytes = to_canonical_bytes(&v).unwrap();
    bytes.push(b'\n');
    bytes
}

#[test]
fn the_golden_scorecard_sealed_by_hand_still_verifies() {
    verify_bytes("golden", &sealed_by_hand(golden()), None).unwrap();
}

#[test]
fn another_spelling_of_the_same_content_is_refused() {
    type Edit = fn(&mut Value);
    let variants: [(&str, Edit); 3] = [
        ("an integer where a float belongs", |v| {
            v["run"]["duration_s"] = json!(6)
        }),
        ("an explicit null where the writer omits the field", |v| {
            v["signature"] = Value::Null
        }),
        ("an empty map where the writer omits the field", |v| {
            v["samples"] = json!({})
        }),
    ];
    for (what, edit) in variants {
        let mut v = golden();
        edit(&mut v);
        let bytes = sealed_by_hand(v);
        match verify_bytes("edited", &bytes, None) {
            Err(ScorecardError::NotCanonical { offset }) => assert!(offset < bytes.len()),
            other => panic!("{what}: expected NotCanonical, got {other:?}"),
        }
    }
}
