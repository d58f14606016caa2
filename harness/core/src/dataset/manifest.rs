//! The dataset manifest (`manifest.json`): every file of both parts with its size and sha256,
//! in canonical order (sorted by path, each path once); the sha256 of its canonical JSON is the id.

use super::{INPUTS_DIR, LAYOUT_DOC, Part, TRUTH_DIR, check_relative_path, sha256_file};
use crate::CoreError;
use crate::bounded::{self, limit};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// File name of the manifest inside a dataset root.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The manifest format this jiebang reads and writes: 2, a dataset split into `inputs/` and
/// `truth/`. Version 1 was the unsplit layout, where a SUT could read the labels.
pub const MANIFEST_SCHEMA_VERSION: u32 = 2;

/// A dataset manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version ([`MANIFEST_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Free-form facts about the dataset (generator, suite, sample count), included in the hash.
    #[serde(default)]
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Files, sorted by path, each under `inputs/` or `truth/`.
    pub files: Vec<ManifestEntry>,
}

/// One file of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// Path relative to the dataset root, `/`-separated, starting with `inputs/` or `truth/`.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// sha256 hex of the content.
    pub sha256: String,
}

impl ManifestEntry {
    /// The part the entry belongs to (checked when the manifest is read or built).
    pub fn part(&self) -> Option<Part> {
        Part::of(&self.path).map(|(p, _)| p)
    }
}

impl Manifest {
    /// sha256 hex of the canonical JSON: the dataset id. The canonical form lists the files
    /// sorted by path, so the same entries in another order give the same id.
    pub fn hash(&self) -> String {
        let mut canonical = self.clone();
        canonical.files.sort_by(|a, b| a.path.cmp(&b.path));
        let bytes = jiebang_scorecard::to_canonical_bytes(&canonical).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }

    /// Total bytes of all files.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// The entries of one part, with their paths relative to that part's folder.
    pub fn part_files(&self, part: Part) -> impl Iterator<Item = (&str, &ManifestEntry)> {
        self.files
            .iter()
            .filter_map(move |f| match Part::of(&f.path) {
                Some((p, rel)) if p == part => Some((rel, f)),
                _ => None,
            })
    }

    /// Builds a manifest of every regular file under `root/inputs/` and `root/truth/`. The
    /// `inputs/` folder must exist; any other file (except the manifest itself) and any
    /// symbolic link is refused, naming the file: a dataset is plain files in its two parts.
    pub fn build(
        root: &Path,
        meta: BTreeMap<String, serde_json::Value>,
    ) -> Result<Manifest, CoreError> {
        super::check_part_dirs(root)?;
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| CoreError::io(&dir, e))?;
            for entry in entries {
                let entry = entry.map_err(|e| CoreError::io(&dir, e))?;
                let path = entry.path();
                let ft = entry.file_type().map_err(|e| CoreError::io(&path, e))?;
                if ft.is_symlink() {
                    return Err(CoreError::invalid(
                        &path,
                        None,
                        "symbolic links are not allowed in a dataset; copy the file in",
                    ));
                }
                let rel = path
                    .strip_prefix(root)
                    .map_err(|_| CoreError::invalid(&path, None, "outside the dataset root"))?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if ft.is_dir() {
                    if dir == root && rel != INPUTS_DIR && rel != TRUTH_DIR {
                        return Err(outside_parts(&path, "a folder"));
                    }
                    stack.push(path);
                    continue;
                }
                if rel == MANIFEST_FILE {
                    continue;
                }
                if Part::of(&rel).is_none() {
                    return Err(outside_parts(&path, "a file"));
                }
                files.push((rel, path));
            }
        }
        files.sort();
        let entries = files
            .into_iter()
            .map(|(rel, path)| {
                let size = std::fs::metadata(&path)
                    .map_err(|e| CoreError::io(&path, e))?
                    .len();
                Ok(ManifestEntry {
                    path: rel,
                    size,
                    sha256: sha256_file(&path)?,
                })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        Ok(Manifest {
            schema_version: MANIFEST_SCHEMA_VERSION,
            meta,
            files: entries,
        })
    }

    /// Writes `root/manifest.json` atomically (pretty JSON, files sorted by path; the hash is
    /// over canonical JSON).
    pub fn write(&self, root: &Path) -> Result<(), CoreError> {
        let mut sorted = self.clone();
        sorted.files.sort_by(|a, b| a.path.cmp(&b.path));
        let text = serde_json::to_string_pretty(&sorted).unwrap_or_default() + "\n";
        crate::atomic::write(&root.join(MANIFEST_FILE), text.as_bytes())
    }

    /// Reads `root/manifest.json` (bounded), checking its format and paths (not the files):
    /// schema 2, every path under `inputs/` or `truth/`, no path listed twice. The files are
    /// returned sorted by path (the canonical order).
    pub fn read(root: &Path) -> Result<Manifest, CoreError> {
        let path = root.join(MANIFEST_FILE);
        if !root.exists() {
            return Err(CoreError::io(
                root,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        if root.is_dir() && std::fs::symlink_metadata(&path).is_err() {
            return Err(CoreError::Other(format!(
                "{} is not a dataset (no {MANIFEST_FILE}; `jiebang data gen SUITE --out DIR` makes \
                 one, `jiebang data hash {}` writes one for a folder laid out as {LAYOUT_DOC})",
                root.display(),
                root.display()
            )));
        }
        let text = bounded::read_text(&path, limit::MANIFEST, "dataset manifest")?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            CoreError::invalid(
                &path,
                Some(e.line()),
                format!("not a dataset manifest: {e}"),
            )
        })?;
        match value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(v) if v == u64::from(MANIFEST_SCHEMA_VERSION) => {}
            Some(1) => return Err(old_layout(root, &path, &value)),
            Some(v) if v > u64::from(MANIFEST_SCHEMA_VERSION) => {
                return Err(CoreError::invalid(
                    &path,
                    None,
                    format!(
                        "field `schema_version`: {v} is too new: this jiebang reads dataset manifest \
                         schema {MANIFEST_SCHEMA_VERSION}; upgrade jiebang to read it"
                    ),
                ));
            }
            _ => {
                return Err(CoreError::invalid(
                    &path,
                    None,
                    format!(
                        "field `schema_version`: expected {MANIFEST_SCHEMA_VERSION}, found {}",
                        value
                            .get("schema_version")
                            .map_or("nothing".into(), ToString::to_string)
                    ),
                ));
            }
        }
        let mut m: Manifest = serde_json::from_str(&text).map_err(|e| {
            CoreError::invalid(
                &path,
                Some(e.line()),
                format!("not a dataset manifest: {e}"),
            )
        })?;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, f) in m.files.iter().enumerate() {
            check_entry_path(&path, i, &f.path)?;
            if let Some(first) = seen.insert(f.path.as_str(), i) {
                return Err(CoreError::invalid(
                    &path,
                    line_of_nth(&text, &f.path, 2),
                    format!(
                        "field `files[{i}]`: `{}` is listed twice (also `files[{first}]`); expected \
                         each file once",
                        f.path
                    ),
                ));
            }
        }
        m.files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(m)
    }
}

/// Checks one manifest path: relative, inside the root, and inside one of the two parts.
fn check_entry_path(manifest: &Path, index: usize, p: &str) -> Result<PathBuf, CoreError> {
    let rel = check_relative_path(manifest, p)?;
    if Part::of(p).is_none() {
        return Err(CoreError::invalid(
            manifest,
            None,
            format!(
                "field `files[{index}]`: `{p}` is not under `{INPUTS_DIR}/` or `{TRUTH_DIR}/`; \
                 expected what a SUT may read under `{INPUTS_DIR}/` and labels or references \
                 under `{TRUTH_DIR}/`"
            ),
        ));
    }
    Ok(rel)
}

fn outside_parts(path: &Path, what: &str) -> CoreError {
    CoreError::invalid(
        path,
        None,
        format!(
            "{what} outside `{INPUTS_DIR}/` and `{TRUTH_DIR}/`; a dataset is laid out as \
             {LAYOUT_DOC}: move it into the part it belongs to"
        ),
    )
}

/// The line of the `n`th occurrence of `"needle"` (as a JSON string) in `text`.
fn line_of_nth(text: &str, needle: &str, n: usize) -> Option<usize> {
    let quoted = serde_json::to_string(needle).ok()?;
    let (at, _) = text.match_indices(&quoted).nth(n - 1)?;
    Some(crate::line_of(text, at))
}

/// The error for a layout-1 (unsplit) dataset: what changed, and how to regenerate or convert.
fn old_layout(root: &Path, path: &Path, value: &serde_json::Value) -> CoreError {
    let meta = value.get("meta");
    let text = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    };
    let regenerate = match text("suite") {
        Some(suite) => {
            let samples = meta
                .and_then(|m| m.get("samples"))
                .and_then(serde_json::Value::as_u64)
                .map(|n| format!(" --samples {n}"))
                .unwrap_or_default();
            let seed = text("generator")
                .and_then(|g| {
                    g.split_whitespace()
                        .find_map(|w| w.strip_prefix("seed=").map(str::to_string))
                })
                .map(|s| format!(" --seed {s}"))
                .unwrap_or_default();
            format!("`jiebang data gen {suite}{samples}{seed} --out NEW_DIR`")
        }
        None => "`jiebang data gen SUITE --out NEW_DIR` (for a generated dataset)".into(),
    };
    CoreError::invalid(
        path,
        None,
        format!(
            "field `schema_version`: 1 is the old, unsplit dataset layout, in which the labels lay \
             in the folder a SUT is given; this jiebang reads schema {MANIFEST_SCHEMA_VERSION}, laid \
             out as {LAYOUT_DOC}. Regenerate it with {regenerate}, or convert it in place with \
             `jiebang data convert {}` (it moves the direction's label files into `{TRUTH_DIR}/` \
             and every other file into `{INPUTS_DIR}/`, keeping its path, and says each move)",
            root.display()
        ),
    )
}
