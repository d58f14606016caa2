//! Suite specs: standardized, versioned tests of a direction, written as TOML and embedded in
//! task crates. A suite's canonical hash (sha256 of its canonical JSON) pins it in scorecards.

use crate::{CoreError, error::toml_error};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// A suite spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteSpec {
    /// Schema version of the suite format (1).
    pub schema_version: u32,
    /// Id without version, `direction/name`.
    pub id: String,
    /// Version; a changed protocol is a new version.
    pub version: u32,
    /// Direction id.
    pub direction: String,
    /// One-line title.
    pub title: String,
    /// What the suite tests and how.
    pub description: String,
    /// Metrics the suite computes.
    pub metrics: Vec<String>,
    /// Indicators the suite can decide.
    pub indicators: Vec<String>,
    /// The embedded default dataset: generator parameters (task-specific), including `samples`
    /// and `seed`.
    pub dataset: BTreeMap<String, toml::Value>,
    /// Task-specific protocol settings.
    #[serde(default)]
    pub protocol: BTreeMap<String, toml::Value>,
    /// Default run settings (per-query timeout, scenario parameters).
    #[serde(default)]
    pub settings: BTreeMap<String, toml::Value>,
}

impl SuiteSpec {
    /// Parses a suite from TOML text read from `origin`.
    pub fn from_toml(origin: &Path, text: &str) -> Result<Self, CoreError> {
        let spec: SuiteSpec = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        if spec.schema_version != 1 {
            return Err(CoreError::invalid(
                origin,
                None,
                format!(
                    "field `schema_version`: this jiebang reads suite schema 1, found {}",
                    spec.schema_version
                ),
            ));
        }
        if !spec.id.starts_with(&format!("{}/", spec.direction)) {
            return Err(CoreError::invalid(
                origin,
                None,
                format!(
                    "field `id`: expected `{}/<name>`, found `{}`",
                    spec.direction, spec.id
                ),
            ));
        }
        Ok(spec)
    }

    /// `id@version`.
    pub fn full_id(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// sha256 hex of the suite's canonical JSON: comments and layout do not change it, any
    /// value does.
    pub fn hash(&self) -> String {
        let bytes = jiebang_scorecard::to_canonical_bytes(self).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }

    /// An integer dataset parameter.
    pub fn dataset_u64(&self, key: &str) -> Option<u64> {
        self.dataset
            .get(key)
            .and_then(toml::Value::as_integer)
            .and_then(|v| u64::try_from(v).ok())
    }

    /// A float setting (integers are accepted).
    pub fn setting_f64(&self, key: &str) -> Option<f64> {
        match self.settings.get(key)? {
            toml::Value::Float(f) => Some(*f),
            toml::Value::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }
}

/// A reference to a suite as typed by a user: `direction/name` or `direction/name@version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteRef {
    /// `direction/name`.
    pub id: String,
    /// A pinned version, or the newest.
    pub version: Option<u32>,
}

impl std::str::FromStr for SuiteRef {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (id, version) = match s.split_once('@') {
            Some((id, v)) => (
                id,
                Some(
                    v.parse::<u32>()
                        .map_err(|_| format!("suite `{s}`: version after @ must be a number"))?,
                ),
            ),
            None => (s, None),
        };
        if !id.contains('/') {
            return Err(format!(
                "suite `{s}`: expected `direction/name[@version]`, e.g. `medical-imaging/case-detection@1`"
            ));
        }
        Ok(SuiteRef {
            id: id.to_string(),
            version,
        })
    }
}

impl SuiteRef {
    /// Whether `spec` is what this reference names.
    pub fn matches(&self, spec: &SuiteSpec) -> bool {
        spec.id == self.id && self.version.is_none_or(|v| v == spec.version)
    }
}
