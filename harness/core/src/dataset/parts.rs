//! The two views of a verified dataset: [`Inputs`] (what a SUT may be pointed at, and the only
//! paths a query may carry) and [`Truth`] (labels and references, read only by the scorer).

use super::{Dataset, MANIFEST_FILE, ManifestEntry, Part, check_relative_path};
use crate::CoreError;
use crate::bounded;
use std::path::PathBuf;

/// What a SUT may read: the `inputs/` part of a dataset. A sample library is built from this
/// view only, so a query can name no truth file.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    view: View<'a>,
}

/// What only the scorer reads: the `truth/` part of a dataset.
#[derive(Debug, Clone, Copy)]
pub struct Truth<'a> {
    view: View<'a>,
}

impl Dataset {
    /// The inputs part: what a SUT is given and queries may name.
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            view: View {
                dataset: self,
                part: Part::Inputs,
            },
        }
    }

    /// The truth part: labels and references for the scorer.
    pub fn truth(&self) -> Truth<'_> {
        Truth {
            view: View {
                dataset: self,
                part: Part::Truth,
            },
        }
    }
}

impl<'a> Inputs<'a> {
    /// The folder a SUT is given (`ROOT/inputs`).
    pub fn root(&self) -> PathBuf {
        self.view.root()
    }

    /// The manifest's input files, with paths relative to `inputs/`.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, &'a ManifestEntry)> + use<'a> {
        self.view.entries()
    }

    /// The manifest entry of an input file named relative to `inputs/`.
    pub fn entry(&self, rel: &str) -> Option<&'a ManifestEntry> {
        self.view.entry(rel)
    }

    /// Whether the manifest lists this input file.
    pub fn contains(&self, rel: &str) -> bool {
        self.view.entry(rel).is_some()
    }

    /// The absolute path of a listed input file; `what` says what it was expected to be.
    pub fn path(&self, rel: &str, what: &str) -> Result<PathBuf, CoreError> {
        self.view.path(rel, what)
    }

    /// The bytes of a listed input file, read with the manifest's size as the bound.
    pub fn read(&self, rel: &str, what: &str) -> Result<Vec<u8>, CoreError> {
        self.view.read(rel, what)
    }

    /// The path a query may carry for an input file: `rel` itself, once it is checked to be a
    /// clean relative path that the manifest lists under `inputs/`. Anything else (a truth
    /// file, a path leaving the root, an unlisted file) is refused.
    pub fn query_path(&self, rel: &str) -> Result<String, CoreError> {
        self.view.listed(rel, "an input file a query may name")?;
        Ok(rel.to_string())
    }
}

impl<'a> Truth<'a> {
    /// The manifest's truth files, with paths relative to `truth/`.
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, &'a ManifestEntry)> + use<'a> {
        self.view.entries()
    }

    /// Whether the manifest lists this truth file (relative to `truth/`).
    pub fn contains(&self, rel: &str) -> bool {
        self.view.entry(rel).is_some()
    }

    /// The absolute path of a listed truth file; `what` says what it was expected to be.
    pub fn path(&self, rel: &str, what: &str) -> Result<PathBuf, CoreError> {
        self.view.path(rel, what)
    }

    /// The bytes of a listed truth file, read with the manifest's size as the bound.
    pub fn read(&self, rel: &str, what: &str) -> Result<Vec<u8>, CoreError> {
        self.view.read(rel, what)
    }

    /// The text of a listed truth file (UTF-8), at most `max` bytes.
    pub fn read_text(&self, rel: &str, max: u64, what: &str) -> Result<String, CoreError> {
        let path = self.view.path(rel, what)?;
        bounded::read_text(&path, max, what)
    }
}

/// One part of a dataset.
#[derive(Debug, Clone, Copy)]
struct View<'a> {
    dataset: &'a Dataset,
    part: Part,
}

impl<'a> View<'a> {
    fn root(&self) -> PathBuf {
        self.dataset.root.join(self.part.dir())
    }

    fn entries(&self) -> impl Iterator<Item = (&'a str, &'a ManifestEntry)> + use<'a> {
        self.dataset.manifest.part_files(self.part)
    }

    fn entry(&self, rel: &str) -> Option<&'a ManifestEntry> {
        let full = format!("{}/{rel}", self.part.dir());
        let files = &self.dataset.manifest.files;
        files
            .binary_search_by(|f| f.path.as_str().cmp(&full))
            .ok()
            .map(|i| &files[i])
    }

    /// The entry of `rel`, refused (naming the manifest and what was expected) unless it is a
    /// clean relative path listed in this part.
    fn listed(&self, rel: &str, what: &str) -> Result<&'a ManifestEntry, CoreError> {
        let manifest = self.dataset.root.join(MANIFEST_FILE);
        check_relative_path(&manifest, rel)?;
        self.entry(rel).ok_or_else(|| {
            CoreError::invalid(
                &manifest,
                None,
                format!(
                    "`{rel}` is not listed under `{}/` in the dataset manifest; expected {what}",
                    self.part.dir()
                ),
            )
        })
    }

    fn path(&self, rel: &str, what: &str) -> Result<PathBuf, CoreError> {
        self.listed(rel, what)?;
        Ok(self.root().join(rel))
    }

    fn read(&self, rel: &str, what: &str) -> Result<Vec<u8>, CoreError> {
        let entry = self.listed(rel, what)?;
        bounded::read(&self.root().join(rel), entry.size, what)
    }
}
