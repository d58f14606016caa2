//! Scorecard reader (`verify_bytes`: bytes → schema version → canonical check → id → typed
//! scorecard → signature). Properties: what verifies is exactly the canonical encoding of the
//! typed scorecard it reads to (one content, one spelling, one id); canonical JSON is stable
//! under re-reading; any JSON object sealed with its own id passes the id check, and the byte
//! check unless its typed form writes other bytes; errors name the file.
#![no_main]

use jiebang_scorecard::{Scorecard, ScorecardError, compute_id, to_canonical_bytes, verify_bytes};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const WHAT: &str = "fuzz/input.scorecard.json";

fuzz_target!(|data: &[u8]| {
    let _ = check(data);
    // The same JSON sealed with its own id, so that mutations reach the typed reader and the
    // signature check instead of stopping at the id.
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    map.remove("id");
    let value = Value::Object(map);
    let id = compute_id(&value).expect("a parsed value has canonical bytes");
    let Value::Object(mut map) = value else {
        unreachable!()
    };
    map.insert("id".into(), Value::String(id));
    let mut sealed = to_canonical_bytes(&Value::Object(map)).expect("a parsed value encodes");
    sealed.push(b'\n');
    // Canonical JSON is stable under re-reading.
    let reread: Value = serde_json::from_slice(&sealed).expect("canonical JSON reads");
    let mut again = to_canonical_bytes(&reread).expect("a parsed value encodes");
    again.push(b'\n');
    assert!(
        again == sealed,
        "canonical JSON changed on re-reading:\n{}\n{}",
        String::from_utf8_lossy(&sealed),
        String::from_utf8_lossy(&again)
    );
    match check(&sealed) {
        Err(e @ (ScorecardError::IdMismatch { .. } | ScorecardError::MissingId)) => {
            panic!("a scorecard sealed with its own id was refused: {e}")
        }
        // Then only because the typed scorecard writes other bytes than these.
        Err(ScorecardError::NotCanonical { .. }) => {
            let typed: Scorecard = serde_json::from_slice(&sealed).expect("read as a scorecard");
            let mut written = to_canonical_bytes(&typed).expect("a scorecard encodes");
            written.push(b'\n');
            assert!(
                written != sealed,
                "sealed canonical bytes refused as not canonical"
            );
        }
        _ => {}
    }
});

fn check(data: &[u8]) -> Result<(), ScorecardError> {
    match verify_bytes(WHAT, data, None) {
        Ok(v) => {
            let mut again = to_canonical_bytes(&v.scorecard).expect("a verified scorecard encodes");
            again.push(b'\n');
            if again != data {
                let at = again.iter().zip(data).position(|(a, b)| a != b);
                panic!(
                    "a verified scorecard re-encodes to other bytes (first difference at {at:?}):\nread:    {}\nwritten: {}",
                    String::from_utf8_lossy(data),
                    String::from_utf8_lossy(&again)
                );
            }
            assert_eq!(v.scorecard.id.as_deref(), Some(v.id.as_str()));
            Ok(())
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.trim().is_empty());
            match &e {
                ScorecardError::Json { .. } | ScorecardError::SchemaVersion { .. } => {
                    assert!(
                        shown.starts_with(WHAT),
                        "the error does not name the file: {shown}"
                    )
                }
                ScorecardError::NotCanonical { offset } => assert!(*offset <= data.len()),
                _ => {}
            }
            Err(e)
        }
    }
}
