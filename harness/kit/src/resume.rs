//! The interruption the resume check makes: a copy of a complete per-query log cut right
//! after half of its query records, as if the run had been killed there.

use std::path::Path;

/// Copies the log `from` to `to`, keeping the lines up to and including the `k`-th query
/// record, `k` = half the query records (rounded down), and nothing after. Returns how many
/// query records were kept and how many the log held.
pub fn truncated_copy(from: &Path, to: &Path) -> std::io::Result<(usize, usize)> {
    let text = std::fs::read_to_string(from)?;
    let is_query = |line: &str| {
        serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .is_some_and(|v| v.get("type").and_then(|t| t.as_str()) == Some("query"))
    };
    let total = text.lines().filter(|l| is_query(l)).count();
    let keep = total / 2;
    let mut out = String::new();
    let mut kept = 0;
    for line in text.lines() {
        if is_query(line) {
            if kept == keep {
                break;
            }
            kept += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    std::fs::write(to, out)?;
    Ok((kept, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_the_query_records_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("a.log.jsonl");
        let lines = [
            r#"{"type":"header"}"#,
            r#"{"type":"session"}"#,
            r#"{"type":"query","index":0}"#,
            r#"{"type":"stderr"}"#,
            r#"{"type":"query","index":1}"#,
            r#"{"type":"query","index":2}"#,
            r#"{"type":"query","index":3}"#,
            r#"{"type":"end"}"#,
        ];
        std::fs::write(&from, lines.join("\n") + "\n").unwrap();
        let to = dir.path().join("b.log.jsonl");
        assert_eq!(truncated_copy(&from, &to).unwrap(), (2, 4));
        let cut = std::fs::read_to_string(&to).unwrap();
        assert_eq!(cut, lines[..5].join("\n") + "\n");
    }
}
