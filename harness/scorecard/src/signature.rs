//! ed25519 keys and signatures over scorecard ids. Key files are small JSON documents with a
//! `schema_version`, so an agency's archive stays readable.

use crate::{ScorecardError, check_schema_version};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// Prefix of every signed message: the signature covers `SIGNING_CONTEXT`, the scorecard id in
/// lowercase hex, a newline and the signer's name, so a key used here cannot be tricked into
/// signing other data and the name in the signature block cannot be changed.
pub const SIGNING_CONTEXT: &str = "jiebang-scorecard-v1:";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    schema_version: i64,
    kind: String,
    name: String,
    public_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret_key: Option<String>,
}

/// A verifying key with the name of its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// Holder's name (e.g. the agency).
    pub name: String,
    key: VerifyingKey,
}

/// A signing key with its name.
pub struct KeyPair {
    /// Holder's name.
    pub name: String,
    key: SigningKey,
}

fn key_err(what: &str, message: impl Into<String>) -> ScorecardError {
    ScorecardError::Key {
        what: what.to_string(),
        message: message.into(),
    }
}

fn decode32(what: &str, field: &str, hex_str: &str) -> Result<[u8; 32], ScorecardError> {
    let bytes = hex::decode(hex_str.trim()).map_err(|e| {
        key_err(
            what,
            format!("field `{field}`: expected 64 hex digits ({e})"),
        )
    })?;
    bytes.try_into().map_err(|b: Vec<u8>| {
        key_err(
            what,
            format!(
                "field `{field}`: expected 32 bytes (64 hex digits), found {} bytes",
                b.len()
            ),
        )
    })
}

fn parse_key_file(what: &str, text: &str) -> Result<KeyFile, ScorecardError> {
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|source| ScorecardError::Json {
            what: what.to_string(),
            kind: "key file",
            cause: source,
        })?;
    check_schema_version(
        raw.get("schema_version").and_then(|v| v.as_i64()),
        "key file",
        what,
        1,
        1,
    )?;
    serde_json::from_value(raw).map_err(|source| ScorecardError::Json {
        what: what.to_string(),
        kind: "key file",
        cause: source,
    })
}

impl PublicKey {
    /// Parses a public key from 64 hex digits.
    pub fn from_hex(name: &str, hex_str: &str) -> Result<Self, ScorecardError> {
        let bytes = decode32(name, "public_key", hex_str)?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|e| key_err(name, format!("not a valid ed25519 public key: {e}")))?;
        Ok(Self {
            name: name.to_string(),
            key,
        })
    }

    /// Reads a public key file (or a secret key file, of which only the public half is used).
    pub fn from_file_text(what: &str, text: &str) -> Result<Self, ScorecardError> {
        let f = parse_key_file(what, text)?;
        let mut k = Self::from_hex(what, &f.public_key)?;
        k.name = f.name;
        Ok(k)
    }

    /// The key in lowercase hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.key.as_bytes())
    }

    /// The public key file's text.
    pub fn to_file_text(&self) -> String {
        let f = KeyFile {
            schema_version: 1,
            kind: "jiebang-ed25519-public".into(),
            name: self.name.clone(),
            public_key: self.to_hex(),
            secret_key: None,
        };
        serde_json::to_string_pretty(&f).unwrap_or_default() + "\n"
    }

    /// Verifies `signature_hex` over the scorecard id and the signer name.
    pub fn verify_id(&self, id: &str, signer: &str, signature_hex: &str) -> Result<(), String> {
        let sig = hex::decode(signature_hex).map_err(|e| format!("signature is not hex: {e}"))?;
        let sig = ed25519_dalek::Signature::from_slice(&sig)
            .map_err(|e| format!("signature is not 64 bytes: {e}"))?;
        let msg = format!("{SIGNING_CONTEXT}{id}\n{signer}");
        self.key
            .verify(msg.as_bytes(), &sig)
            .map_err(|e| format!("{e}"))
    }
}

impl KeyPair {
    /// Makes a new key from the operating system's random source.
    pub fn generate(name: &str) -> Result<Self, ScorecardError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| ScorecardError::Random(e.to_string()))?;
        Ok(Self {
            name: name.to_string(),
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// A key from a fixed 32-byte seed (tests, golden files).
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Self {
        Self {
            name: name.to_string(),
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// Reads a secret key file.
    pub fn from_file_text(what: &str, text: &str) -> Result<Self, ScorecardError> {
        let f = parse_key_file(what, text)?;
        let secret = f.secret_key.ok_or_else(|| {
            key_err(
                what,
                "this is a public key file; signing needs the secret key file",
            )
        })?;
        let key = SigningKey::from_bytes(&decode32(what, "secret_key", &secret)?);
        if hex::encode(key.verifying_key().as_bytes()) != f.public_key.trim() {
            return Err(key_err(
                what,
                "field `public_key` does not belong to `secret_key`",
            ));
        }
        Ok(Self { name: f.name, key })
    }

    /// The secret key file's text (keep it private).
    pub fn to_file_text(&self) -> String {
        let f = KeyFile {
            schema_version: 1,
            kind: "jiebang-ed25519-secret".into(),
            name: self.name.clone(),
            public_key: hex::encode(self.key.verifying_key().as_bytes()),
            secret_key: Some(hex::encode(self.key.to_bytes())),
        };
        serde_json::to_string_pretty(&f).unwrap_or_default() + "\n"
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// Signs a scorecard id under this key's name, returning the signature in hex.
    pub fn sign_id(&self, id: &str) -> String {
        let msg = format!("{SIGNING_CONTEXT}{id}\n{}", self.name);
        hex::encode(self.key.sign(msg.as_bytes()).to_bytes())
    }
}
