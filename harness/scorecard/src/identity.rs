//! Sealing and verifying scorecards: the id is the sha256 of the canonical JSON without the
//! `id` and `signature` fields; the file on disk is the canonical JSON of the whole scorecard.

use crate::{
    KeyPair, PublicKey, SCHEMA_VERSION, Scorecard, ScorecardError, Signature, check_schema_version,
    to_canonical_bytes,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// What `verify_bytes` found about the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The scorecard carries no signature.
    Unsigned,
    /// Valid signature by a key in the trusted list.
    Trusted {
        /// The signer's name from the trusted key.
        signer: String,
        /// Hex public key.
        public_key: String,
    },
    /// Valid signature, but no trusted list was given to check the key against.
    ValidUnchecked {
        /// The signer's name as written in the block.
        signer: String,
        /// Hex public key.
        public_key: String,
    },
}

/// A scorecard whose bytes, id and signature were checked.
#[derive(Debug, Clone)]
pub struct VerifiedScorecard {
    /// The parsed scorecard.
    pub scorecard: Scorecard,
    /// Its id.
    pub id: String,
    /// The signature outcome.
    pub signature: SignatureCheck,
}

/// Computes the id of a scorecard value: sha256 hex of the canonical JSON without `id` and
/// `signature`.
pub fn compute_id(value: &Value) -> Result<String, ScorecardError> {
    let mut v = value.clone();
    if let Value::Object(map) = &mut v {
        map.remove("id");
        map.remove("signature");
    }
    let bytes = to_canonical_bytes(&v)?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Seals a scorecard: checks it, sets its id, signs it when a key is given, and returns the
/// bytes to write (canonical JSON followed by one newline).
pub fn seal(sc: &mut Scorecard, key: Option<&KeyPair>) -> Result<Vec<u8>, ScorecardError> {
    sc.check_finite()?;
    sc.schema_version = SCHEMA_VERSION;
    sc.id = None;
    sc.signature = None;
    let value = to_value(sc)?;
    // Round-trip through the canonical form so that the in-memory scorecard holds exactly the
    // numbers a reader will see.
    let canonical = to_canonical_bytes(&value)?;
    let reread: Value = serde_json::from_slice(&canonical)
        .map_err(|source| json_err("sealed scorecard", source))?;
    *sc = serde_json::from_value(reread.clone())
        .map_err(|source| json_err("sealed scorecard", source))?;
    let id = compute_id(&reread)?;
    sc.id = Some(id.clone());
    if let Some(k) = key {
        sc.signature = Some(Signature {
            algorithm: "ed25519".into(),
            signer: k.name.clone(),
            public_key: k.public().to_hex(),
            signature: k.sign_id(&id),
        });
    }
    let mut bytes = to_canonical_bytes(sc)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn to_value(sc: &Scorecard) -> Result<Value, ScorecardError> {
    serde_json::to_value(sc).map_err(|source| json_err("scorecard", source))
}

fn json_err(what: &str, source: serde_json::Error) -> ScorecardError {
    ScorecardError::Json {
        what: what.to_string(),
        kind: "scorecard",
        cause: source,
    }
}

/// Verifies scorecard file bytes read from `what`: schema version, canonical form (so that
/// one changed byte anywhere is caught), id, and signature. With `trusted` given, a signature
/// must come from one of those keys; an unsigned scorecard is then rejected too.
pub fn verify_bytes(
    what: &str,
    bytes: &[u8],
    trusted: Option<&[PublicKey]>,
) -> Result<VerifiedScorecard, ScorecardError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|source| ScorecardError::Json {
        what: what.to_string(),
        kind: "scorecard",
        cause: source,
    })?;
    check_schema_version(
        value.get("schema_version").and_then(Value::as_i64),
        "scorecard",
        what,
        SCHEMA_VERSION,
        SCHEMA_VERSION,
    )?;
    let mut canonical = to_canonical_bytes(&value)?;
    canonical.push(b'\n');
    if canonical != bytes {
        let offset = canonical
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(canonical.len().min(bytes.len()));
        return Err(ScorecardError::NotCanonical { offset });
    }
    let stored = value
        .get("id")
        .and_then(Value::as_str)
        .ok_or(ScorecardError::MissingId)?
        .to_string();
    let computed = compute_id(&value)?;
    if stored != computed {
        return Err(ScorecardError::IdMismatch { stored, computed });
    }
    let scorecard: Scorecard =
        serde_json::from_value(value).map_err(|source| ScorecardError::Json {
            what: what.to_string(),
            kind: "scorecard",
            cause: source,
        })?;
    // Canonical JSON is not enough: what the schema reads must also be what it writes (`6`
    // where a float belongs, an explicit `null` or `{}` where the writer omits the field), or
    // the content has two spellings and two ids, and re-sealing it changes its id.
    let mut written = to_canonical_bytes(&scorecard)?;
    written.push(b'\n');
    if written != bytes {
        let offset = written
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(written.len().min(bytes.len()));
        return Err(ScorecardError::NotCanonical { offset });
    }
    let signature = check_signature(&scorecard, &computed, trusted)?;
    Ok(VerifiedScorecard {
        scorecard,
        id: computed,
        signature,
    })
}

fn check_signature(
    sc: &Scorecard,
    id: &str,
    trusted: Option<&[PublicKey]>,
) -> Result<SignatureCheck, ScorecardError> {
    let Some(sig) = &sc.signature else {
        if let Some(t) = trusted {
            return Err(ScorecardError::Unsigned { trusted: list(t) });
        }
        return Ok(SignatureCheck::Unsigned);
    };
    let bad = |reason: String| ScorecardError::BadSignature {
        public_key: sig.public_key.clone(),
        id: id.to_string(),
        reason,
    };
    let lower_hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    if !lower_hex(&sig.public_key) || !lower_hex(&sig.signature) {
        return Err(bad("public_key and signature must be lowercase hex".into()));
    }
    if sig.algorithm != "ed25519" {
        return Err(bad(format!("unknown algorithm `{}`", sig.algorithm)));
    }
    let key = PublicKey::from_hex(&sig.signer, &sig.public_key).map_err(|e| bad(e.to_string()))?;
    key.verify_id(id, &sig.signer, &sig.signature)
        .map_err(bad)?;
    match trusted {
        None => Ok(SignatureCheck::ValidUnchecked {
            signer: sig.signer.clone(),
            public_key: sig.public_key.clone(),
        }),
        Some(t) => match t.iter().find(|k| k.to_hex() == sig.public_key) {
            Some(k) => Ok(SignatureCheck::Trusted {
                signer: k.name.clone(),
                public_key: sig.public_key.clone(),
            }),
            None => Err(ScorecardError::UntrustedKey {
                public_key: sig.public_key.clone(),
                signer: sig.signer.clone(),
                trusted: list(t),
            }),
        },
    }
}

fn list(keys: &[PublicKey]) -> String {
    if keys.is_empty() {
        return "(none)".into();
    }
    keys.iter()
        .map(|k| format!("{} ({})", k.to_hex(), k.name))
        .collect::<Vec<_>>()
        .join(", ")
}
