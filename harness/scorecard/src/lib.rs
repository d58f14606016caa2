//! The stable scorecard schema of jiebang: types, canonical JSON, scorecard ids and signatures.
//! Outside tools (leaderboards, dashboards, agencies' archives) depend on this crate alone.

mod canonical;
mod error;
mod identity;
mod schema;
mod signature;
mod types;
mod version;

pub use canonical::{canonical_float, to_canonical_bytes, to_canonical_string};
pub use error::ScorecardError;
pub use identity::{SignatureCheck, VerifiedScorecard, compute_id, seal, verify_bytes};
pub use schema::scorecard_schema_json;
pub use signature::{KeyPair, PublicKey, SIGNING_CONTEXT};
pub use types::*;
pub use version::{SCHEMA_VERSION, check_schema_version};
