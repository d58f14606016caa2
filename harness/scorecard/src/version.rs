//! Schema versions: every file jiebang writes and reads back carries `schema_version`,
//! and a reader says clearly when a file is too old or too new for this build.

use crate::ScorecardError;

/// The scorecard schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Checks the `schema_version` field of a parsed JSON/TOML document of kind `kind`
/// (e.g. "scorecard") read from `what`, accepting `min..=max`.
pub fn check_schema_version(
    found: Option<i64>,
    kind: &str,
    what: &str,
    min: u32,
    max: u32,
) -> Result<u32, ScorecardError> {
    let err = |message: String| ScorecardError::SchemaVersion {
        what: what.to_string(),
        message,
    };
    let v = found.ok_or_else(|| {
        err(format!(
            "field `schema_version` is missing: expected a {kind} with schema_version {min}..={max}"
        ))
    })?;
    if v < i64::from(min) {
        return Err(err(format!(
            "{kind} schema_version {v} is too old: this jiebang reads {min}..={max}; re-create it with this version"
        )));
    }
    if v > i64::from(max) {
        return Err(err(format!(
            "{kind} schema_version {v} is too new: this jiebang reads {min}..={max}; upgrade jiebang to read it"
        )));
    }
    Ok(v as u32)
}
