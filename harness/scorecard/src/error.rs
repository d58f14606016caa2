//! Errors of the scorecard crate. Each says what was expected so that a reader can act
//! on it without reading the code.

use thiserror::Error;

/// Everything that can go wrong reading, writing, sealing or verifying a scorecard or a key.
#[derive(Debug, Error)]
pub enum ScorecardError {
    /// The bytes are not JSON, or not the shape of a scorecard.
    ///
    /// The parser's message is part of this error's text and is deliberately not also its
    /// `source()`, so that an error chain printed in full (`{:#}`) says it once.
    #[error("{what}: not a valid {kind}: {cause}")]
    Json {
        /// Which file or input.
        what: String,
        /// What it should have been ("scorecard", "public key", ...).
        kind: &'static str,
        /// The parser's message (with line and column).
        cause: serde_json::Error,
    },
    /// A `schema_version` field is missing or outside the range this build reads.
    #[error("{what}: {message}")]
    SchemaVersion {
        /// Which file or input.
        what: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A float that cannot be written to JSON (NaN or infinite).
    #[error("cannot write non-finite number {value} at {path}: use null with a reason instead")]
    NonFinite {
        /// The JSON path of the value.
        path: String,
        /// The offending value.
        value: f64,
    },
    /// The file is valid JSON but not in jiebang's canonical form: it was edited.
    #[error(
        "not in canonical form: byte {offset} differs from the canonical re-encoding (the file was edited after it was written)"
    )]
    NotCanonical {
        /// Offset of the first differing byte.
        offset: usize,
    },
    /// The stored id does not match the content.
    #[error(
        "scorecard id mismatch: the file says {stored} but its content hashes to {computed} (content changed after sealing)"
    )]
    IdMismatch {
        /// The id written in the file.
        stored: String,
        /// The sha256 of the canonical content.
        computed: String,
    },
    /// The file has no `id` field.
    #[error("the scorecard has no `id` field: it was never sealed")]
    MissingId,
    /// The signature does not verify.
    #[error("signature by key {public_key} does not verify against scorecard id {id}: {reason}")]
    BadSignature {
        /// Hex public key named by the signature block.
        public_key: String,
        /// The scorecard id.
        id: String,
        /// Why verification failed.
        reason: String,
    },
    /// Trusted keys were given but the scorecard carries no signature.
    #[error("unsigned; a signature by one of the trusted keys is required: {trusted}")]
    Unsigned {
        /// The trusted keys, comma separated.
        trusted: String,
    },
    /// The signature verifies but the key is not among the trusted keys.
    #[error("signed by untrusted key {public_key} ({signer}); trusted keys: {trusted}")]
    UntrustedKey {
        /// Hex public key named by the signature block.
        public_key: String,
        /// The signer's name as written in the block.
        signer: String,
        /// The trusted keys, comma separated.
        trusted: String,
    },
    /// A key file or key field is malformed.
    #[error("{what}: {message}")]
    Key {
        /// Which file or field.
        what: String,
        /// What was expected.
        message: String,
    },
    /// Randomness for a new key could not be obtained.
    #[error("cannot obtain randomness for a new key: {0}")]
    Random(String),
}
