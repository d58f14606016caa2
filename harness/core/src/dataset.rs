//! Dataset manifests: every file of a dataset with its size and sha256, relative to the dataset
//! root. The sha256 of the manifest's canonical JSON is the dataset id. Paths may not leave the root.

use crate::CoreError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// File name of the manifest inside a dataset root.
pub const MANIFEST_FILE: &str = "manifest.json";

/// A dataset manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Format version (1).
    pub schema_version: u32,
    /// Free-form facts about the dataset (generator, suite, sample count), included in the hash.
    #[serde(default)]
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Files, sorted by path.
    pub files: Vec<ManifestEntry>,
}

/// One file of a dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// sha256 hex of the content.
    pub sha256: String,
}

/// A verified dataset: its root, manifest and id.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The root directory.
    pub root: PathBuf,
    /// The manifest.
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

impl Manifest {
    /// sha256 hex of the canonical JSON: the dataset id.
    pub fn hash(&self) -> String {
        let bytes = jiebang_scorecard::to_canonical_bytes(self).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }

    /// Total bytes of all files.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    /// Builds a manifest of every regular file under `root` (except the manifest itself).
    /// Symbolic links are refused: a dataset is plain files.
    pub fn build(
        root: &Path,
        meta: BTreeMap<String, serde_json::Value>,
    ) -> Result<Manifest, CoreError> {
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
                if ft.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path
                    .strip_prefix(root)
                    .map_err(|_| CoreError::invalid(&path, None, "outside the dataset root"))?;
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if rel == MANIFEST_FILE {
                    continue;
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
            schema_version: 1,
            meta,
            files: entries,
        })
    }

    /// Writes `root/manifest.json` atomically (pretty JSON; the hash is over canonical JSON).
    pub fn write(&self, root: &Path) -> Result<(), CoreError> {
        let text = serde_json::to_string_pretty(self).unwrap_or_default() + "\n";
        crate::atomic::write(&root.join(MANIFEST_FILE), text.as_bytes())
    }

    /// Reads `root/manifest.json`, checking its format and paths (not the files).
    pub fn read(root: &Path) -> Result<Manifest, CoreError> {
        let path = root.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound && root.is_dir() {
                CoreError::Other(format!(
                    "{} is not a dataset (no {MANIFEST_FILE}; `jiebang data hash {}` makes one)",
                    root.display(),
                    root.display()
                ))
            } else if !root.exists() {
                CoreError::io(root, e)
            } else {
                CoreError::io(&path, e)
            }
        })?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| {
            CoreError::invalid(
                &path,
                Some(e.line()),
                format!("not a dataset manifest: {e}"),
            )
        })?;
        if m.schema_version != 1 {
            return Err(CoreError::invalid(
                &path,
                None,
                format!(
                    "field `schema_version`: this jiebang reads manifest schema 1, found {}",
                    m.schema_version
                ),
            ));
        }
        for f in &m.files {
            check_relative_path(&path, &f.path)?;
        }
        Ok(m)
    }
}

impl Dataset {
    /// Opens a dataset and verifies every file's presence, size and sha256. The first mismatch
    /// names the file.
    pub fn open_verified(root: &Path) -> Result<Dataset, CoreError> {
        let manifest = Manifest::read(root)?;
        let canon_root = root.canonicalize().map_err(|e| CoreError::io(root, e))?;
        let manifest_path = root.join(MANIFEST_FILE);
        for f in &manifest.files {
            let rel = check_relative_path(&manifest_path, &f.path)?;
            let path = root.join(&rel);
            let real = path.canonicalize().map_err(|e| {
                CoreError::invalid(
                    &manifest_path,
                    None,
                    format!(
                        "file entry `{}`: cannot open {}: {e}",
                        f.path,
                        path.display()
                    ),
                )
            })?;
            if !real.starts_with(&canon_root) {
                return Err(CoreError::invalid(
                    &manifest_path,
                    None,
                    format!("file entry `{}` resolves outside the dataset root", f.path),
                ));
            }
            let size = std::fs::metadata(&real)
                .map_err(|e| CoreError::io(&real, e))?
                .len();
            if size != f.size {
                return Err(CoreError::invalid(
                    &path,
                    None,
                    format!(
                        "size {size} bytes differs from the manifest's {} (file changed after the manifest was made)",
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
        }
        let hash = manifest.hash();
        Ok(Dataset {
            root: root.to_path_buf(),
            manifest,
            hash,
        })
    }

    /// The absolute path of a manifest entry.
    pub fn path_of(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Whether the manifest lists this relative path.
    pub fn contains(&self, rel: &str) -> bool {
        self.manifest.files.iter().any(|f| f.path == rel)
    }
}
