//! The JSON Schema of the scorecard, generated from the types with schemars. The committed
//! copy in `schema/scorecard.schema.json` is checked against this by a test.

use crate::Scorecard;

/// The scorecard JSON Schema, pretty-printed, with a trailing newline.
pub fn scorecard_schema_json() -> String {
    let schema = schemars::schema_for!(Scorecard);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
