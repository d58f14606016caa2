//! Datasets: a root holding `manifest.json` and two parts, `inputs/` (what a SUT may read) and
//! `truth/` (labels and references, read only by the scorer), every file verified on opening.

mod convert;
mod manifest;
mod parts;

pub use convert::{Move, convert_layout1, layout1_suite};
pub use manifest::{MANIFEST_FILE, MANIFEST_SCHEMA_VERSION, Manifest, ManifestEntry};
pub use parts::{Inputs, Truth};

use crate::CoreError;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The folder of a dataset root that a SUT is given: everything it may read.
pub const INPUTS_DIR: &str = "inputs";

/// The folder of a dataset root that only the harness reads: labels, boxes, references.
pub const TRUTH_DIR: &str = "truth";

/// The layout, as error messages state it.
pub(crate) const LAYOUT_DOC: &str = "`manifest.json` beside `inputs/` (what a SUT may read) and \
     `truth/` (labels and references, read only by the scorer)";

/// One of the two parts of a dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    /// `inputs/`: handed to the SUT.
    Inputs,
    /// `truth/`: read only by the task's loader and scorer.
    Truth,
}

impl Part {
    /// The part's folder name under the dataset root.
    pub fn dir(self) -> &'static str {
        match self {
            Part::Inputs => INPUTS_DIR,
            Part::Truth => TRUTH_DIR,
        }
    }

    /// The part a root-relative manifest path lies in, and the path relative to that part's
    /// folder; `None` for a path outside both (or naming a part's folder itself).
    pub fn of(path: &str) -> Option<(Part, &str)> {
        let (head, rest) = path.split_once('/')?;
        let part = match head {
            INPUTS_DIR => Part::Inputs,
            TRUTH_DIR => Part::Truth,
            _ => return None,
        };
        (!rest.is_empty()).then_some((part, rest))
    }
}

/// The two folders a generator writes into (both exist and are empty when it is called).
#[derive(Debug, Clone)]
pub struct DatasetDirs {
    /// `ROOT/inputs`: what a SUT will be given.
    pub inputs: PathBuf,
    /// `ROOT/truth`: labels and references.
    pub truth: PathBuf,
}

impl DatasetDirs {
    /// Creates `root/inputs` and `root/truth`.
    pub fn create(root: &Path) -> Result<DatasetDirs, CoreError> {
        let dirs = DatasetDirs {
            inputs: root.join(INPUTS_DIR),
            truth: root.join(TRUTH_DIR),
        };
        for d in [&dirs.inputs, &dirs.truth] {
            std::fs::create_dir_all(d).map_err(|e| CoreError::io(d, e))?;
        }
        Ok(dirs)
    }
}

/// A verified dataset: its root, manifest and id.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The root directory (holding `manifest.json`, `inputs/` and `truth/`).
    pub root: PathBuf,
    /// The manifest, files sorted by path.
    pub manifest: Manifest,
    /// sha256 of the manifest's canonical JSON.
    pub hash: String,
}

/// sha256 hex of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<String, CoreError> {
    let mut f = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| CoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// Checks that a manifest path is relative, `/`-separated and stays inside the root.
pub fn check_relative_path(manifest: &Path, p: &str) -> Result<PathBuf, CoreError> {
    let bad = |why: &str| {
        CoreError::invalid(
            manifest,
            None,
            format!("file entry `{p}`: {why}; expected a relative path inside the dataset root"),
        )
    };
    if p.is_empty() {
        return Err(bad("empty path"));
    }
    if p.contains('\\') || p.contains('\0') {
        return Err(bad("backslashes and NUL are not allowed"));
    }
    let path = Path::new(p);
    for c in path.components() {
        match c {
            Component::Normal(_) => {}
            Component::ParentDir => return Err(bad("`..` would leave the root")),
            Component::RootDir | Component::Prefix(_) => return Err(bad("absolute path")),
            Component::CurDir => return Err(bad("`.` components are not allowed")),
        }
    }
    Ok(path.to_path_buf())
}

/// Checks that `root/inputs` is a folder and `root/truth`, when present, too; neither may be a
/// symbolic link (the SUT is given `inputs/` and must not be led anywhere else).
pub(crate) fn check_part_dirs(root: &Path) -> Result<(), CoreError> {
    std::fs::metadata(root).map_err(|e| CoreError::io(root, e))?;
    for part in [Part::Inputs, Part::Truth] {
        let dir = root.join(part.dir());
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(CoreError::invalid(
                    &dir,
                    None,
                    format!(
                        "not a folder (a symbolic link or a file); expected the dataset's `{}/` folder",
                        part.dir()
                    ),
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && part == Part::Truth => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CoreError::invalid(
                    &dir,
                    None,
                    format!(
                        "missing: a dataset is laid out as {LAYOUT_DOC}; move the files a SUT \
                         reads into `{INPUTS_DIR}/` and the labels into `{TRUTH_DIR}/`"
                    ),
                ));
            }
            Err(e) => return Err(CoreError::io(&dir, e)),
        }
    }
    Ok(())
}

/// Checks one entry on disk: a regular file inside `within` (the canonical folder of its
/// part) with the manifest's size and sha256. The first mismatch names the file.
pub(crate) fn verify_entry(
    root: &Path,
    manifest_path: &Path,
    within: &Path,
    f: &ManifestEntry,
) -> Result<(), CoreError> {
    let rel = check_relative_path(manifest_path, &f.path)?;
    let path = root.join(&rel);
    let real = path.canonicalize().map_err(|e| {
        CoreError::invalid(
            manifest_path,
            None,
            format!(
                "file entry `{}`: cannot open {}: {e}",
                f.path,
                path.display()
            ),
        )
    })?;
    if !real.starts_with(within) {
        return Err(CoreError::invalid(
            manifest_path,
            None,
            format!(
                "file entry `{}` resolves outside {}",
                f.path,
                within.display()
            ),
        ));
    }
    let meta = std::fs::metadata(&real).map_err(|e| CoreError::io(&real, e))?;
    if !meta.is_file() {
        return Err(CoreError::invalid(
            &path,
            None,
            "not a regular file; a dataset is plain files",
        ));
    }
    if meta.len() != f.size {
        return Err(CoreError::invalid(
            &path,
            None,
            format!(
                "size {} bytes differs from the manifest's {} (file changed after the manifest was made)",
                meta.len(),
                f.size
            ),
        ));
    }
    let sha = sha256_file(&real)?;
    if sha != f.sha256 {
        return Err(CoreError::HashMismatch {
            what: format!("dataset file {}", path.display()),
            expected: f.sha256.clone(),
            found: sha,
        });
    }
    Ok(())
}

impl Dataset {
    /// Opens a dataset: reads the manifest (refusing the old unsplit layout with how to
    /// regenerate or convert it), checks the two part folders, and verifies every file's
    /// presence, size and sha256 inside its part. The first mismatch names the file.
    pub fn open_verified(root: &Path) -> Result<Dataset, CoreError> {
        let manifest = Manifest::read(root)?;
        check_part_dirs(root)?;
        let manifest_path = root.join(MANIFEST_FILE);
        let canon = |p: Part| {
            let dir = root.join(p.dir());
            dir.canonicalize().map_err(|e| CoreError::io(&dir, e))
        };
        let inputs = canon(Part::Inputs)?;
        let truth = if root.join(TRUTH_DIR).exists() {
            Some(canon(Part::Truth)?)
        } else {
            None
        };
        for f in &manifest.files {
            let within = match f.part() {
                Some(Part::Inputs) => &inputs,
                Some(Part::Truth) => truth.as_ref().ok_or_else(|| {
                    CoreError::invalid(
                        &manifest_path,
                        None,
                        format!(
                            "file entry `{}`: the dataset has no `{TRUTH_DIR}/` folder",
                            f.path
                        ),
                    )
                })?,
                None => {
                    return Err(CoreError::invalid(
                        &manifest_path,
                        None,
                        format!("file entry `{}` is outside both parts", f.path),
                    ));
                }
            };
            verify_entry(root, &manifest_path, within, f)?;
        }
        let hash = manifest.hash();
        Ok(Dataset {
            root: root.to_path_buf(),
            manifest,
            hash,
        })
    }

    /// The folder a SUT is given (`hello`'s `dataset_root`): `ROOT/inputs`.
    pub fn inputs_root(&self) -> PathBuf {
        self.root.join(INPUTS_DIR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_paths() {
        assert_eq!(Part::of("inputs/a/b.dcm"), Some((Part::Inputs, "a/b.dcm")));
        assert_eq!(
            Part::of("truth/labels.json"),
            Some((Part::Truth, "labels.json"))
        );
        for outside in [
            "inputs",
            "inputs/",
            "truth",
            "labels.json",
            "input/a",
            "a/inputs/b",
        ] {
            assert_eq!(Part::of(outside), None, "{outside}");
        }
    }
}
