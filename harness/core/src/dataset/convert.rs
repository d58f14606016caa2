//! Converts a dataset in the old unsplit layout (manifest schema 1) in place: the direction's
//! label files move into `truth/`, every other listed file into `inputs/`, paths kept.

use super::{INPUTS_DIR, Part, TRUTH_DIR, check_relative_path, verify_entry};
use super::{MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, Manifest, ManifestEntry};
use crate::CoreError;
use crate::bounded::{self, limit};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A schema-1 manifest as it was written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldManifest {
    schema_version: u32,
    #[serde(default)]
    meta: BTreeMap<String, serde_json::Value>,
    files: Vec<ManifestEntry>,
}

/// One file moved by a conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// Root-relative path before.
    pub from: String,
    /// Root-relative path after.
    pub to: String,
}

/// The `meta.suite` of a schema-1 manifest (which suite it was generated for), if any; an
/// unreadable or non-schema-1 manifest gives an error naming the file.
pub fn layout1_suite(root: &Path) -> Result<Option<String>, CoreError> {
    let (_, old) = read_old(root)?;
    Ok(old
        .meta
        .get("suite")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string))
}

fn read_old(root: &Path) -> Result<(PathBuf, OldManifest), CoreError> {
    let path = root.join(MANIFEST_FILE);
    let text = bounded::read_text(&path, limit::MANIFEST, "dataset manifest")?;
    let old: OldManifest = serde_json::from_str(&text).map_err(|e| {
        CoreError::invalid(
            &path,
            Some(e.line()),
            format!("not a schema-1 dataset manifest: {e}"),
        )
    })?;
    if old.schema_version != 1 {
        return Err(CoreError::invalid(
            &path,
            None,
            format!(
                "field `schema_version`: {} is not the old layout (1); nothing to convert",
                old.schema_version
            ),
        ));
    }
    Ok((path, old))
}

/// Converts the schema-1 dataset at `root` in place. `truth_files` are root-relative paths of
/// the label and reference files (the direction's, from `Task::layout1_truth_files`); each must
/// be listed. Every listed file is verified first; then each moves to `truth/PATH` or
/// `inputs/PATH` (so paths inside label files, which were relative to the root, are now
/// relative to `inputs/`), folders left empty are removed, and a schema-2 manifest with the
/// same sizes, hashes and meta replaces the old one. A failed move puts back what moved.
/// Returns the new manifest and the moves.
pub fn convert_layout1(
    root: &Path,
    truth_files: &[&str],
) -> Result<(Manifest, Vec<Move>), CoreError> {
    let (manifest_path, old) = read_old(root)?;
    let canon = root.canonicalize().map_err(|e| CoreError::io(root, e))?;
    let mut seen = BTreeSet::new();
    for (i, f) in old.files.iter().enumerate() {
        check_relative_path(&manifest_path, &f.path)?;
        if !seen.insert(f.path.as_str()) {
            return Err(CoreError::invalid(
                &manifest_path,
                None,
                format!(
                    "field `files[{i}]`: `{}` is listed twice; fix the manifest before converting",
                    f.path
                ),
            ));
        }
        let top = f.path.split('/').next().unwrap_or_default();
        if !f.path.contains('/') && (top == INPUTS_DIR || top == TRUTH_DIR) {
            return Err(CoreError::invalid(
                &manifest_path,
                None,
                format!(
                    "field `files[{i}]`: a file named `{}` at the root cannot become a folder; rename it first",
                    f.path
                ),
            ));
        }
        verify_entry(root, &manifest_path, &canon, f)?;
    }
    for t in truth_files {
        if !seen.contains(t) {
            return Err(CoreError::invalid(
                &manifest_path,
                None,
                format!(
                    "`{t}` is not listed; expected this direction's label file in the old layout \
                     (is this dataset of another direction? pass its suite with --suite)"
                ),
            ));
        }
    }
    let mut moves: Vec<Move> = old
        .files
        .iter()
        .map(|f| {
            let part = if truth_files.contains(&f.path.as_str()) {
                Part::Truth
            } else {
                Part::Inputs
            };
            Move {
                from: f.path.clone(),
                to: format!("{}/{}", part.dir(), f.path),
            }
        })
        .collect();
    // Longer paths first: a destination `inputs/P` can only be another listed file's current
    // path if that file's path is longer, so it has moved away already.
    moves.sort_by(|a, b| b.from.len().cmp(&a.from.len()).then(a.from.cmp(&b.from)));
    let listed: BTreeSet<&str> = old.files.iter().map(|f| f.path.as_str()).collect();
    for m in &moves {
        if !listed.contains(m.to.as_str()) && std::fs::symlink_metadata(root.join(&m.to)).is_ok() {
            return Err(CoreError::invalid(
                root.join(&m.to),
                None,
                format!(
                    "is in the way of `{}` (on disk but not in the manifest); move it away first",
                    m.from
                ),
            ));
        }
    }
    let mut done: Vec<&Move> = Vec::with_capacity(moves.len());
    for m in &moves {
        if let Err(e) = move_file(root, &m.from, &m.to) {
            for back in done.iter().rev() {
                let _ = std::fs::rename(root.join(&back.to), root.join(&back.from));
            }
            return Err(e);
        }
        done.push(m);
    }
    remove_empty_parents(root, moves.iter().map(|m| m.from.as_str()));
    let mut files: Vec<ManifestEntry> = old
        .files
        .iter()
        .map(|f| ManifestEntry {
            path: moves
                .iter()
                .find(|m| m.from == f.path)
                .map(|m| m.to.clone())
                .unwrap_or_default(),
            size: f.size,
            sha256: f.sha256.clone(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    std::fs::create_dir_all(root.join(INPUTS_DIR))
        .map_err(|e| CoreError::io(root.join(INPUTS_DIR), e))?;
    let manifest = Manifest {
        schema_version: MANIFEST_SCHEMA_VERSION,
        meta: old.meta,
        files,
    };
    manifest.write(root)?;
    moves.sort_by(|a, b| a.from.cmp(&b.from));
    Ok((manifest, moves))
}

fn move_file(root: &Path, from: &str, to: &str) -> Result<(), CoreError> {
    let dest = root.join(to);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| CoreError::io(parent, e))?;
    }
    std::fs::rename(root.join(from), &dest).map_err(|e| CoreError::io(root.join(from), e))
}

/// Removes the folders of `moved` (deepest first) that the moves left empty; never the root.
fn remove_empty_parents<'a>(root: &Path, moved: impl Iterator<Item = &'a str>) {
    let mut dirs = BTreeSet::new();
    for p in moved {
        let mut cur = Path::new(p).parent();
        while let Some(d) = cur.filter(|d| !d.as_os_str().is_empty()) {
            dirs.insert(d.to_path_buf());
            cur = d.parent();
        }
    }
    let mut dirs: Vec<PathBuf> = dirs.into_iter().collect();
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        // Fails, as it should, on a folder that still holds something.
        let _ = std::fs::remove_dir(root.join(d));
    }
}
