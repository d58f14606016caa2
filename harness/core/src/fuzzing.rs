//! Entry points for the cargo-fuzz targets in `fuzz/`: the parsers of SUT protocol lines and of
//! predictions records, which are private to their adapters. Not an API: it may change any time.
#![doc(hidden)]

use crate::run::sut::{predictions, process};
use serde_json::Value;
use std::io::BufReader;

/// Bytes of an over-long protocol line that the reader keeps (to find its id).
#[doc(hidden)]
pub const PREFIX_KEPT: usize = process::PREFIX_KEPT;

/// One line of a SUT's stdout as the process adapter reads it.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The bytes kept: the whole line without its newline, or only its first bytes when too long.
    pub kept: Vec<u8>,
    /// The line's full length when it exceeded the limit.
    pub too_long: Option<usize>,
}

/// Reads `data` as a SUT's stdout, through a buffer of `capacity` bytes, into lines of at most
/// `max` bytes, as the process adapter's reader does.
#[doc(hidden)]
pub fn read_lines(data: &[u8], capacity: usize, max: usize) -> Vec<Line> {
    let mut r = BufReader::with_capacity(capacity.max(1), data);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Ok(Some(too_long)) = process::read_line_limited(&mut r, &mut buf, max) {
        out.push(Line {
            kept: buf.clone(),
            too_long,
        });
    }
    out
}

/// An answer line as the process adapter judged it.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A well-formed result for query `id` with the task's fields.
    Result(u64, Value),
    /// A malformed line, attributed to a query when an id could be found, with the reason.
    Bad(Option<u64>, String),
}

/// Parses one answer line (see [`read_lines`] for `too_long`) with line limit `max`.
#[doc(hidden)]
pub fn parse_answer(line: &[u8], too_long: Option<usize>, max: usize) -> Answer {
    match process::parse_answer(line, too_long, max) {
        process::Parsed::Answer(id, v) => Answer::Result(id, v),
        process::Parsed::Bad(id, why) => Answer::Bad(id, why),
    }
}

/// The query id found in the first bytes of a line that could not be parsed.
#[doc(hidden)]
pub fn scan_id(bytes: &[u8]) -> Option<u64> {
    process::scan_id(bytes)
}

/// Parses one line of a JSON Lines predictions file into its sample key and answer.
#[doc(hidden)]
pub fn prediction_line(line: &str) -> Result<(String, Value), String> {
    predictions::json_record(line)
}
