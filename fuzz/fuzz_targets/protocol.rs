//! SUT protocol v1 line reader and answer parser (the process adapter's stdout side).
//! Properties: lines are bounded (a line over the limit keeps at most a short prefix of itself
//! and reports its true length), lines within it come back whole, whatever the read chunks;
//! an accepted answer is a JSON object of type `result` with that id and without the protocol
//! keys; an id found in a broken line is written there; messages stay short.
#![no_main]

use jiebang_core::fuzzing::{Answer, PREFIX_KEPT, parse_answer, read_lines, scan_id};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    // The first two bytes choose the read chunk and the line limit, small enough to be hit.
    let capacity = usize::from(*a) + 1;
    let max = usize::from(*b) * 32;
    let lines = read_lines(rest, capacity, max);
    let mut expected: Vec<&[u8]> = rest.split(|&c| c == b'\n').collect();
    if rest.last() == Some(&b'\n') || rest.is_empty() {
        expected.pop();
    }
    assert_eq!(lines.len(), expected.len(), "line count");
    for (got, want) in lines.iter().zip(&expected) {
        match got.too_long {
            None => {
                assert!(want.len() <= max);
                assert_eq!(&got.kept, want);
            }
            Some(total) => {
                assert_eq!(total, want.len());
                assert!(total > max);
                assert!(got.kept.len() <= PREFIX_KEPT.max(max));
                assert!(
                    want.starts_with(&got.kept),
                    "kept bytes are not the line's start"
                );
            }
        }
        answer(&got.kept, got.too_long, max);
    }
});

fn answer(line: &[u8], too_long: Option<usize>, max: usize) {
    match parse_answer(line, too_long, max) {
        Answer::Result(id, fields) => {
            assert!(too_long.is_none());
            let whole: Value = serde_json::from_slice(line).expect("an accepted line is JSON");
            assert_eq!(whole["type"], "result");
            assert_eq!(whole["id"].as_u64(), Some(id));
            let Value::Object(fields) = fields else {
                panic!("fields are not an object");
            };
            assert!(!fields.contains_key("id") && !fields.contains_key("type"));
        }
        Answer::Bad(id, why) => {
            assert!(!why.is_empty());
            assert!(why.len() <= 1024, "a message of {} bytes", why.len());
            match serde_json::from_slice::<Value>(line) {
                // Well-formed JSON: attributed only by its own integer `id`.
                Ok(v) if too_long.is_none() => assert_eq!(id, v.get("id").and_then(Value::as_u64)),
                // Broken or too long: attributed by the id written in its first bytes.
                _ => {
                    assert_eq!(id, scan_id(line));
                    if let Some(id) = id {
                        let digits = id.to_string();
                        assert!(
                            line.windows(digits.len()).any(|w| w == digits.as_bytes()),
                            "id {id} is not in the line"
                        );
                    }
                }
            }
        }
    }
}
