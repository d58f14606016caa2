//! Reading a system's answer (or a suite section) into a task's own serde type, with errors that
//! name the field and say what was expected and what was found.

use crate::CoreError;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

/// Reads `answer`, a JSON object as every answer is, as a `T`. A wrong shape is refused
/// naming the field: ``field `lesions[0].score`: expected a finite number, found string
/// "high"``. Fields `T` does not name are ignored unless `T` denies them.
pub fn read<T: DeserializeOwned>(answer: &Value) -> Result<T, String> {
    if !answer.is_object() {
        return Err(format!("expected an object, found {}", kind(answer)));
    }
    serde_path_to_error::deserialize(answer).map_err(|e| {
        let path = e.path().to_string();
        let message = plain(&e.inner().to_string());
        at_field(&path, &message)
    })
}

/// Reads JSON Lines `text` (a dataset's index or truth file) as `T`s, each with its 1-based
/// line number for later checks; blank lines are skipped. A line that is not a JSON object of
/// `T`'s shape is refused naming `path`, the line and the field.
pub fn read_lines<T: DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<Vec<(usize, T)>, CoreError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |m: String| CoreError::invalid(path, Some(i + 1), m);
        let value: Value =
            serde_json::from_str(line).map_err(|e| bad(format!("not a JSON object: {e}")))?;
        out.push((i + 1, read::<T>(&value).map_err(bad)?));
    }
    Ok(out)
}

/// What a JSON value is, in serde's words.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// `field `path`: message`, or the message alone at the root; a missing field is named in
/// full (``field `a.b` is missing``).
pub(crate) fn at_field(path: &str, message: &str) -> String {
    let root = path.is_empty() || path == ".";
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return if root {
            format!("field `{name}` is missing")
        } else {
            format!("field `{path}.{name}` is missing")
        };
    }
    if root {
        message.to_string()
    } else {
        format!("field `{path}`: {message}")
    }
}

/// A serde error message in plain words: `invalid type: string "x", expected f64` becomes
/// `expected a finite number, found string "x"`; a position suffix is dropped.
pub(crate) fn plain(message: &str) -> String {
    let message = match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    };
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            return format!(
                "expected {}, found {}",
                expected_words(expected),
                clip(found)
            );
        }
    }
    clip(message)
}

/// Most characters of a SUT's value quoted in a message: an answer may be as long as a
/// protocol line, and every malformed answer's reason is kept in the log.
pub const QUOTE_MAX_CHARS: usize = 120;

/// `text` cut to [`QUOTE_MAX_CHARS`] characters, saying how much was left out.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX_CHARS) {
        None => text.to_string(),
        Some((at, _)) => format!("{}… ({} more bytes)", &text[..at], text.len() - at),
    }
}

/// Serde's names of primitive types as words.
fn expected_words(expected: &str) -> &str {
    match expected {
        "f64" | "f32" => "a finite number",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "an integer ≥ 0",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "an integer",
        "a sequence" => "an array",
        "a map" => "an object",
        e if e.starts_with("struct ") => "an object",
        e => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Mark {
        x: f64,
        score: f64,
        slice: Option<usize>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Answer {
        positive: bool,
        lesions: Vec<Mark>,
    }

    #[test]
    fn a_huge_value_is_quoted_cut() {
        let long = "x".repeat(100_000);
        let e = read::<Mark>(&json!({ "x": 1, "score": long })).unwrap_err();
        assert!(e.len() < 400, "{} bytes", e.len());
        assert!(e.contains("more bytes"), "{e}");
    }

    #[test]
    fn errors_name_the_field_and_what_was_expected() {
        let cases = [
            (
                json!({"positive": true, "lesions": [{"x": 1, "score": "high"}]}),
                "field `lesions[0].score`: expected a finite number, found string \"high\"",
            ),
            (
                json!({"positive": true, "lesions": [{"x": 1}]}),
                "field `lesions[0].score` is missing",
            ),
            (json!({"lesions": []}), "field `positive` is missing"),
            (
                json!({"positive": 1, "lesions": []}),
                "field `positive`: expected a boolean, found integer `1`",
            ),
            (
                json!({"positive": true, "lesions": [{"x": 1, "score": 2, "slice": -1}]}),
                "field `lesions[0].slice`: expected an integer ≥ 0, found integer `-1`",
            ),
            (
                json!({"positive": true, "lesions": {}}),
                "field `lesions`: expected an array, found map",
            ),
            (json!([1]), "expected an object, found sequence"),
        ];
        for (v, want) in cases {
            assert_eq!(read::<Answer>(&v).unwrap_err(), want, "{v}");
        }
        let ok: Answer =
            read(&json!({"positive": false, "lesions": [{"x": 1, "score": 2}], "extra": 1}))
                .unwrap();
        assert!(!ok.positive && ok.lesions[0].slice.is_none());
    }
}
