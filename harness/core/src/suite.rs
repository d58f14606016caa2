//! Suite specs: standardized, versioned tests of a direction, written as TOML and embedded in
//! task crates. A suite's canonical hash (sha256 of its canonical JSON) pins it in scorecards.

use crate::{
    CoreError,
    error::{line_of, toml_error},
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Display;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// The file and text the suite was read from, so that errors about its fields name the
    /// file and line. Not part of the hash or of equality.
    #[serde(skip)]
    origin: Origin,
}

/// Where a suite came from: its file and text (absent for a suite not read by
/// [`SuiteSpec::from_toml`]). Every origin compares equal.
#[derive(Clone, Default)]
struct Origin(Option<Arc<(PathBuf, String)>>);

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
    }
}

impl std::fmt::Debug for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(o) => write!(f, "Origin({})", o.0.display()),
            None => f.write_str("Origin(none)"),
        }
    }
}

impl SuiteSpec {
    /// Parses a suite from TOML text read from `origin`.
    pub fn from_toml(origin: &Path, text: &str) -> Result<Self, CoreError> {
        let mut spec: SuiteSpec = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        spec.origin = Origin(Some(Arc::new((origin.to_path_buf(), text.to_string()))));
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
        // The hash is taken over JSON, which has no nan or inf: such a value would be erased
        // from it, and suites differing there would share one hash.
        for (table, map) in [
            ("dataset", &spec.dataset),
            ("protocol", &spec.protocol),
            ("settings", &spec.settings),
        ] {
            for (key, value) in map {
                if let Some((at, x)) = non_finite(value) {
                    let path = format!("{table}.{key}{at}");
                    return Err(CoreError::invalid(
                        origin,
                        field_line(text, &path),
                        format!("{path} = {x}: expected a finite number"),
                    ));
                }
            }
        }
        Ok(spec)
    }

    /// `id@version`.
    pub fn full_id(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The file the suite was read from (for an embedded suite, its path in the repository).
    pub fn file(&self) -> PathBuf {
        match &self.origin.0 {
            Some(o) => o.0.clone(),
            None => PathBuf::from(format!("suite {}", self.full_id())),
        }
    }

    /// An input error about the field `path` (`protocol.iterations`, `dataset.workloads[2].m`):
    /// names the suite file and the field's line (or the line of the table it belongs in), and
    /// starts the message with the field.
    pub fn field_error(&self, path: &str, message: String) -> CoreError {
        let line = self.origin.0.as_ref().and_then(|o| field_line(&o.1, path));
        CoreError::invalid(self.file(), line, format!("{path}: {message}"))
    }

    /// The `[protocol]` table read as the task's own type; a wrong or missing field is named
    /// with the suite file and line.
    pub fn protocol<T: DeserializeOwned>(&self) -> Result<T, CoreError> {
        self.section("protocol", &self.protocol)
    }

    /// The `[dataset]` table read as the task's own type (see [`Self::protocol`]).
    pub fn dataset<T: DeserializeOwned>(&self) -> Result<T, CoreError> {
        self.section("dataset", &self.dataset)
    }

    fn section<T: DeserializeOwned>(
        &self,
        name: &str,
        table: &BTreeMap<String, toml::Value>,
    ) -> Result<T, CoreError> {
        let value = toml::Value::Table(table.clone().into_iter().collect());
        serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = crate::answer::plain(e.inner().message());
            let at = e.path().to_string();
            let (path, message) = match inner
                .strip_prefix("missing field `")
                .and_then(|m| m.strip_suffix('`'))
            {
                Some(field) if at == "." => (format!("{name}.{field}"), "missing".to_string()),
                Some(field) => (format!("{name}.{at}.{field}"), "missing".to_string()),
                None if at == "." => (name.to_string(), inner),
                None => (format!("{name}.{at}"), inner),
            };
            self.field_error(&path, message)
        })
    }

    /// `value` of the field `path` when it lies in `range`; otherwise an error naming the
    /// suite file, the field's line, the range and the value found.
    pub fn in_range<T: PartialOrd + Display + Copy>(
        &self,
        path: &str,
        value: T,
        range: RangeInclusive<T>,
    ) -> Result<T, CoreError> {
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(self.field_error(
                path,
                format!(
                    "expected a value in {}..={}, found {value}",
                    range.start(),
                    range.end()
                ),
            ))
        }
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

    /// Where the suite's dataset comes from when it is supplied rather than generated: its
    /// `[dataset]` table names the script that fetches and imports it (`supplied`) and may pin
    /// the dataset id that script gives (`dataset_id`). `None` for a generated suite.
    pub fn supplied(&self) -> Option<SuppliedDataset> {
        let script = self.dataset.get("supplied")?.as_str()?.to_string();
        let dataset_id = self
            .dataset
            .get("dataset_id")
            .and_then(toml::Value::as_str)
            .map(str::to_string);
        Some(SuppliedDataset { script, dataset_id })
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

/// A supplied dataset as its suite declares it (see [`SuiteSpec::supplied`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppliedDataset {
    /// The script that fetches and imports the data, relative to the repository.
    pub script: String,
    /// The dataset id (`sha256:...` or the bare hex of the manifest hash) the suite pins, if any.
    pub dataset_id: Option<String>,
}

impl SuppliedDataset {
    /// Whether `id` (a manifest hash) is the pinned dataset, or nothing is pinned.
    pub fn accepts(&self, id: &str) -> bool {
        self.dataset_id.as_deref().is_none_or(|pin| {
            pin.strip_prefix("sha256:").unwrap_or(pin) == id.strip_prefix("sha256:").unwrap_or(id)
        })
    }

    /// What to do to get the data, for messages.
    pub fn how(&self) -> String {
        format!(
            "its dataset is supplied, not generated: fetch and import it with {}, then pass --data DIR",
            self.script
        )
    }
}

/// The first non-finite float in `v`, with its path below `v` (`[2].m`).
fn non_finite(v: &toml::Value) -> Option<(String, f64)> {
    match v {
        toml::Value::Float(x) if !x.is_finite() => Some((String::new(), *x)),
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| non_finite(item).map(|(at, x)| (format!("[{i}]{at}"), x))),
        toml::Value::Table(t) => t
            .iter()
            .find_map(|(k, item)| non_finite(item).map(|(at, x)| (format!(".{k}{at}"), x))),
        _ => None,
    }
}

/// The 1-based line of the field `path` in the TOML `text`: a dotted path with array indices
/// such as `protocol.iterations` or `dataset.workloads[3].m`, located with the parser's
/// spans. When the last part is missing, the line of the deepest part that exists (the table
/// the field belongs in). `None` when the text does not parse or nothing of the path exists.
pub fn field_line(text: &str, path: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let doc = DeTable::parse(text).ok()?;
    let root = DeValue::Table(doc.into_inner());
    let mut cur = &root;
    let mut found = None;
    'parts: for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        let Some(v) = cur.get(key) else { break };
        found = Some(v.span().start);
        cur = v.get_ref();
        for index in rest.split('[') {
            let Some(i) = index
                .strip_suffix(']')
                .and_then(|i| i.parse::<usize>().ok())
            else {
                continue;
            };
            let Some(v) = cur.get(i) else { break 'parts };
            found = Some(v.span().start);
            cur = v.get_ref();
        }
    }
    found.map(|offset| line_of(text, offset))
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

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "schema_version = 1\nid = \"d/x\"\n\n[protocol]\nwarmup = 1\niterations = \"x\"\n\n[[dataset.workloads]]\nid = \"a\"\n\n[[dataset.workloads]]\nid = \"b\"\nm = 0\n";

    #[test]
    fn non_finite_numbers_are_refused_at_their_line() {
        // Found by fuzz/fuzz_targets/suite.rs: `nan` and `inf` hashed alike (as JSON null).
        let head = "schema_version = 1\nid = \"d/x\"\nversion = 1\ndirection = \"d\"\ntitle = \"t\"\ndescription = \"\"\nmetrics = []\nindicators = []\n";
        for (tail, expect) in [
            ("[dataset]\nnote = nan\n", "x.toml:10: dataset.note = NaN"),
            (
                "[dataset]\nsamples = 1\n\n[[dataset.w]]\nm = 1\n\n[[dataset.w]]\nm = -inf\n",
                "x.toml:16: dataset.w[1].m = -inf",
            ),
            (
                "[dataset]\nsamples = 1\n\n[settings]\ntimeout_s = inf\n",
                "x.toml:13: settings.timeout_s = inf",
            ),
        ] {
            let e = SuiteSpec::from_toml(Path::new("x.toml"), &format!("{head}{tail}"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(expect), "{e}");
            assert!(e.ends_with("expected a finite number"), "{e}");
        }
        let finite = format!("{head}[dataset]\nnote = 1.5\n");
        SuiteSpec::from_toml(Path::new("x.toml"), &finite).unwrap();
    }

    const SUITE: &str = "schema_version = 1\nid = \"d/x\"\nversion = 1\ndirection = \"d\"\ntitle = \"t\"\ndescription = \"\"\nmetrics = []\nindicators = []\n\n[dataset]\nsamples = 3\n\n[[dataset.w]]\nm = 1\n\n[[dataset.w]]\nm = \"two\"\n\n[protocol]\nwarmup = 1\niterations = \"x\"\n";

    #[derive(Debug, serde::Deserialize)]
    struct Proto {
        warmup: usize,
        iterations: usize,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Workload {
        m: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Data {
        samples: u64,
        w: Vec<Workload>,
    }

    #[test]
    fn typed_sections_name_the_suite_file_and_line() {
        let s = SuiteSpec::from_toml(Path::new("dir/s.toml"), SUITE).unwrap();
        let e = s.protocol::<Proto>().unwrap_err().to_string();
        assert_eq!(
            e,
            "dir/s.toml:21: protocol.iterations: expected an integer ≥ 0, found string \"x\""
        );
        let e = s.dataset::<Data>().unwrap_err().to_string();
        assert!(
            e.starts_with("dir/s.toml:17: dataset.w[1].m: expected "),
            "{e}"
        );
        // A missing field points at its table.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Needs {
            probes: usize,
        }
        let e = s.protocol::<Needs>().unwrap_err().to_string();
        assert_eq!(e, "dir/s.toml:19: protocol.probes: missing");
        let mut fixed = s.clone();
        fixed
            .protocol
            .insert("iterations".into(), toml::Value::Integer(0));
        let p: Proto = fixed.protocol().unwrap();
        assert_eq!(p.warmup, 1);
        let e = fixed
            .in_range("protocol.iterations", p.iterations, 1..=9)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "dir/s.toml:21: protocol.iterations: expected a value in 1..=9, found 0"
        );
        assert_eq!(
            fixed.in_range("protocol.warmup", p.warmup, 0..=9).unwrap(),
            1
        );
        // Where it came from is no part of the hash or of equality.
        let moved = SuiteSpec::from_toml(Path::new("elsewhere.toml"), SUITE).unwrap();
        assert_eq!(moved, s);
        assert_eq!(moved.hash(), s.hash());
        assert_eq!(moved.file(), Path::new("elsewhere.toml"));
    }

    #[test]
    fn field_line_follows_keys_and_indices() {
        assert_eq!(field_line(TEXT, "protocol.iterations"), Some(6));
        assert_eq!(field_line(TEXT, "dataset.workloads[1].m"), Some(13));
        // A missing field points at what exists of its path.
        assert_eq!(field_line(TEXT, "dataset.workloads[1].n"), Some(11));
        assert_eq!(field_line(TEXT, "nothing.here"), None);
    }
}
