//! A scorecard's report for `show` and `run`: the format a reader picks, each written by its
//! exporter ([`crate::export`]); and telling a file that is not a scorecard at all.

use crate::export::{Exporter, Json, Markdown, Text};
use jiebang_scorecard::Scorecard;

pub use crate::export::shown_unit;

/// Output format of a report.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    /// Aligned plain text.
    Text,
    /// Markdown tables.
    Markdown,
    /// The scorecard JSON itself, pretty-printed.
    Json,
}

impl Format {
    /// The exporter of this format.
    pub fn exporter(self) -> &'static dyn Exporter<Scorecard> {
        match self {
            Format::Text => &Text,
            Format::Markdown => &Markdown,
            Format::Json => &Json,
        }
    }
}

/// Renders a report (for `run`'s own output; text and Markdown cannot fail, and a scorecard
/// read or written by jiebang always serializes).
pub fn render(sc: &Scorecard, format: Format) -> String {
    format.exporter().export(sc).unwrap_or_default()
}

/// Why `bytes` are not a scorecard at all, when that is plain: a per-query log (its first line
/// is a log header), or a file that is not a JSON object. `None` when the bytes may be a
/// scorecard (a damaged one is left to the integrity check to describe).
pub fn not_a_scorecard(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(1 << 16)]);
    let first = text.lines().next().unwrap_or("");
    let is_log = serde_json::from_str::<serde_json::Value>(first)
        .ok()
        .and_then(|v| {
            v.get("type")
                .and_then(|t| t.as_str())
                .map(|t| t == "header")
        })
        .unwrap_or(false);
    if is_log {
        return Some(
            "this is a per-query log, not a scorecard; `jiebang merge` and `jiebang run --resume` \
             read logs, `verify` and `show` read the `.scorecard.json` written beside it"
                .into(),
        );
    }
    if !text.trim_start().starts_with('{') {
        return Some(
            "not a scorecard (a scorecard is the JSON file `jiebang run` writes, \
             `NAME.scorecard.json`)"
                .into(),
        );
    }
    None
}
