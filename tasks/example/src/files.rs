//! The dataset's two files, one JSON object per line: `inputs/numbers.jsonl` (what a SUT may
//! see) and `truth/parity.jsonl` (the labels), with a reader that names the file and line.

use jiebang_core::CoreError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The numbers, relative to `inputs/`.
pub const NUMBERS_FILE: &str = "numbers.jsonl";
/// The labels, relative to `truth/`.
pub const LABELS_FILE: &str = "parity.jsonl";

/// A line of the numbers file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberLine {
    /// Sample id.
    pub id: String,
    /// The integer a system is asked about.
    pub number: u64,
}

/// A line of the labels file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelLine {
    /// Sample id.
    pub id: String,
    /// Whether the sample's number is even.
    pub even: bool,
}

/// Reads JSON Lines text as `T`s; an error names `path`, the line and the field.
pub fn parse_lines<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<Vec<T>, CoreError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| CoreError::invalid(path, None, format!("not UTF-8 text: {e}")))?;
    Ok(jiebang_core::answer::read_lines(path, text)?
        .into_iter()
        .map(|(_, v)| v)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_is_named() {
        let text = b"{\"id\":\"n0\",\"number\":4}\n{\"id\":\"n1\",\"number\":\"x\"}\n";
        let e = parse_lines::<NumberLine>(Path::new("numbers.jsonl"), text)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("numbers.jsonl:2: field `number`: expected"),
            "{e}"
        );
    }
}
