//! What every command resolves first: the registry of tasks, a suite by reference, the
//! embedded default dataset (generated on demand, verified always), and declarations.

use crate::progress::Progress;
use anyhow::{Context as _, Result, anyhow, bail};
use jiebang_core::{
    Dataset, DatasetDirs, Declaration, Direction, GenerateParams, MANIFEST_SCHEMA_VERSION,
    Manifest, SuiteRef, SuiteSpec, Task,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The registered tasks.
pub struct Registry {
    tasks: Vec<Arc<dyn Task>>,
    /// How many of `tasks`, the first ones, are production directions; the rest are examples.
    production: usize,
}

impl Registry {
    /// Loads the registry of task crates: the production directions, then the examples.
    pub fn new() -> Self {
        let mut tasks = crate::registry::tasks();
        let production = tasks.len();
        tasks.extend(crate::registry::examples());
        Self { tasks, production }
    }

    /// All tasks, example directions included.
    pub fn tasks(&self) -> &[Arc<dyn Task>] {
        &self.tasks
    }

    /// The production directions' tasks, which `jiebang demo` runs (not the examples).
    pub fn demo_tasks(&self) -> &[Arc<dyn Task>] {
        &self.tasks[..self.production]
    }

    /// All directions.
    pub fn directions(&self) -> Vec<&Direction> {
        self.tasks.iter().map(|t| t.direction()).collect()
    }

    /// Every embedded suite with its task.
    pub fn suites(&self) -> Vec<(Arc<dyn Task>, SuiteSpec)> {
        self.tasks
            .iter()
            .flat_map(|t| t.suites().iter().map(move |s| (t.clone(), s.clone())))
            .collect()
    }

    /// The suite named by `r` (its newest version when none is given).
    pub fn suite(&self, r: &str) -> Result<(Arc<dyn Task>, SuiteSpec)> {
        let sr: SuiteRef = r.parse().map_err(|e: String| anyhow!(e))?;
        let mut found: Vec<_> = self
            .suites()
            .into_iter()
            .filter(|(_, s)| sr.matches(s))
            .collect();
        found.sort_by_key(|(_, s)| s.version);
        found.pop().ok_or_else(|| {
            let known: Vec<_> = self.suites().iter().map(|(_, s)| s.full_id()).collect();
            anyhow!(
                "unknown suite `{r}`; known suites: {} (see `jiebang tasks`)",
                if known.is_empty() {
                    "(none registered)".into()
                } else {
                    known.join(", ")
                }
            )
        })
    }

    /// The task owning a direction id.
    pub fn task(&self, direction: &str) -> Option<Arc<dyn Task>> {
        self.tasks
            .iter()
            .find(|t| t.direction().id == direction)
            .cloned()
    }

    /// Reads and validates a declaration against the catalogues; warns (stderr) when it
    /// declares nothing.
    pub fn declaration(&self, path: &Path) -> Result<Declaration> {
        let d = Declaration::read(path, &self.directions())?;
        if d.is_empty() {
            eprintln!(
                "warning: {}: declares nothing (no [[indicator]] or [[custom]] entries); the scorecard will show no declared levels",
                path.display()
            );
        }
        Ok(d)
    }
}

/// Reads a suite spec file given on the command line and finds its task.
pub fn suite_from_file(reg: &Registry, path: &Path) -> Result<(Arc<dyn Task>, SuiteSpec)> {
    let text =
        jiebang_core::bounded::read_text(path, jiebang_core::bounded::limit::TOML, "suite file")?;
    let spec = SuiteSpec::from_toml(path, &text)?;
    let task = reg.task(&spec.direction).ok_or_else(|| {
        anyhow!(
            "{}: field `direction`: unknown direction `{}`",
            path.display(),
            spec.direction
        )
    })?;
    Ok((task, spec))
}

/// Where the embedded default dataset of a suite lives: `$JIEBANG_DATA` or `./jiebang-data`,
/// then `<direction>/<name>@<version>/seed-<seed>-n<samples>-v<manifest schema>` (a cache of an
/// older layout is left alone, not reused).
pub fn default_dataset_dir(suite: &SuiteSpec, params: &GenerateParams) -> Result<PathBuf> {
    check_samples(params)?;
    let base = std::env::var_os("JIEBANG_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("jiebang-data"));
    let n = params.samples_for(suite)?;
    Ok(base
        .join(format!("{}@{}", suite.id, suite.version))
        .join(format!(
            "seed-{}-n{n}-v{MANIFEST_SCHEMA_VERSION}",
            params.seed_for(suite)
        )))
}

/// Refuses `--samples 0` before anything is generated (each task checks its own upper bound).
pub fn check_samples(params: &GenerateParams) -> Result<()> {
    if params.samples == Some(0) {
        bail!("--samples 0: expected a positive number of samples (1 or more)");
    }
    Ok(())
}

/// Removes a partly generated dataset directory unless generation completed.
struct Partial<'a>(Option<&'a Path>);

impl Drop for Partial<'_> {
    fn drop(&mut self) {
        if let Some(p) = self.0 {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

/// Generates the synthetic dataset of `suite` into `out` (atomically: into a temporary
/// sibling directory that is renamed when complete) and writes its manifest.
pub fn generate(
    task: &dyn Task,
    suite: &SuiteSpec,
    params: &GenerateParams,
    out: &Path,
    quiet: bool,
) -> Result<Dataset> {
    check_samples(params)?;
    if let Some(supplied) = suite.supplied() {
        bail!("{}: {}", suite.full_id(), supplied.how());
    }
    if out.join(jiebang_core::MANIFEST_FILE).exists() {
        bail!(
            "{}: a dataset is already there; remove it or choose another --out",
            out.display()
        );
    }
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let tmp = parent.join(format!(
        ".{}.partial-{}",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).ok();
    }
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut partial = Partial(Some(&tmp));
    let dirs = DatasetDirs::create(&tmp)?;
    let n = params.samples_for(suite)?;
    let bar = Progress::new(n, "generating", quiet);
    let generator = task
        .generate(suite, &dirs, params, &|done, total| bar.set(done, total))
        .with_context(|| match params.samples {
            Some(s) => format!("generating {} with --samples {s}", suite.full_id()),
            None => format!("generating {}", suite.full_id()),
        })?;
    bar.finish(&generator);
    let mut meta = std::collections::BTreeMap::new();
    meta.insert("suite".into(), serde_json::json!(suite.full_id()));
    meta.insert("generator".into(), serde_json::json!(generator));
    meta.insert("samples".into(), serde_json::json!(n));
    let manifest = Manifest::build(&tmp, meta)?;
    manifest.write(&tmp)?;
    if out.exists() {
        std::fs::remove_dir(out)
            .with_context(|| format!("{}: exists and is not an empty directory", out.display()))?;
    }
    std::fs::rename(&tmp, out)
        .with_context(|| format!("moving {} to {}", tmp.display(), out.display()))?;
    partial.0 = None;
    Ok(Dataset::open_verified(out)?)
}

/// Opens the dataset at `data`, or the suite's embedded default (generated on first use).
/// Either way every file is verified against the manifest.
pub fn dataset(
    task: &dyn Task,
    suite: &SuiteSpec,
    data: Option<&Path>,
    params: &GenerateParams,
    quiet: bool,
) -> Result<Dataset> {
    let supplied = suite.supplied();
    if let Some(d) = data {
        let ds = Dataset::open_verified(d)?;
        if let Some(s) = supplied.as_ref().filter(|s| !s.accepts(&ds.hash)) {
            bail!(
                "{}: dataset sha256:{} is not the one {} pins ({}); fetch and import it with {}",
                d.display(),
                ds.hash,
                suite.full_id(),
                s.dataset_id.as_deref().unwrap_or_default(),
                s.script
            );
        }
        return Ok(ds);
    }
    if let Some(s) = supplied {
        bail!("{}: {}", suite.full_id(), s.how());
    }
    let dir = default_dataset_dir(suite, params)?;
    if dir.join(jiebang_core::MANIFEST_FILE).exists() {
        return Ok(Dataset::open_verified(&dir)?);
    }
    generate(task, suite, params, &dir, quiet)
}
