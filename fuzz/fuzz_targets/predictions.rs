//! Predictions file parser of the `predictions:FILE` adapter, JSON Lines records. Properties:
//! a line is accepted only when it is a JSON object; its answer is that object without the key
//! field, and its key is exactly what the `sample` field says (a string, or a number's text).
#![no_main]

use jiebang_core::fuzzing::prediction_line;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for line in text.lines() {
        json_line(line);
    }
});

fn json_line(line: &str) {
    let Ok((key, answer)) = prediction_line(line) else {
        return;
    };
    let Ok(Value::Object(whole)) = serde_json::from_str::<Value>(line) else {
        panic!("a line that is not a JSON object was accepted: {line}");
    };
    let Value::Object(answer) = answer else {
        panic!("an answer that is not an object: {answer}");
    };
    assert!(!answer.contains_key("sample"));
    assert_eq!(answer.len() + 1, whole.len());
    match &whole["sample"] {
        Value::String(s) => assert_eq!(&key, s),
        Value::Number(n) => assert_eq!(key, n.to_string()),
        other => panic!("key `{key}` taken from {other}"),
    }
}
