//! `jiebang data gen|hash|verify|convert`: make a suite's default dataset, build a manifest for
//! an agency's folder, check a dataset against its manifest, convert the old unsplit layout.

use crate::context::{self, Registry};
use anyhow::{Context as _, Result, bail};
use jiebang_core::{GenerateParams, MANIFEST_FILE, Manifest, sha256_file};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `jiebang data` subcommands.
#[derive(clap::Subcommand)]
pub enum DataCmd {
    /// Generate a suite's deterministic synthetic dataset (the embedded default) with its manifest.
    #[command(override_usage = "jiebang data gen [OPTIONS] <SUITE | --suite SUITE>")]
    Gen {
        /// Suite, e.g. `medical-imaging/case-detection` or `...@1`.
        #[arg(required_unless_present = "suite_flag", conflicts_with = "suite_flag")]
        suite: Option<String>,
        /// The suite, as `jiebang run` takes it (the same as the positional argument).
        #[arg(long = "suite", value_name = "SUITE")]
        suite_flag: Option<String>,
        /// Output directory (must not exist or be empty). Default: the cache the runner uses.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Number of samples (default: the suite's).
        #[arg(long)]
        samples: Option<u64>,
        /// Seed (default: the suite's).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Build `manifest.json` for a folder laid out as a dataset (`inputs/`: every file a SUT
    /// may read; `truth/`: labels and references, never shown to a SUT) with every file's size
    /// and sha256, and print the dataset id. A file outside the two parts is refused.
    Hash {
        /// Dataset root.
        dir: PathBuf,
        /// Print the id only; do not write the manifest.
        #[arg(long)]
        dry_run: bool,
    },
    /// Verify every file of a dataset against its manifest and list every file that differs,
    /// is missing, or is on disk but not in the manifest; print the dataset id. Exit 1 when a
    /// file does not match, 2 when the manifest cannot be read.
    Verify {
        /// Dataset root.
        dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Convert a dataset in the old unsplit layout (manifest schema 1) in place: the
    /// direction's label files move into `truth/`, every other listed file into `inputs/` with
    /// its path kept; every file is verified first. Prints each label file's move and the new
    /// dataset id.
    Convert {
        /// Dataset root.
        dir: PathBuf,
        /// The suite the dataset is for (default: the manifest's `meta.suite`); its direction
        /// says which files are labels.
        #[arg(long)]
        suite: Option<String>,
    },
}

/// Runs the command; returns whether the check passed (always true for `gen` and `hash`).
pub fn run(cmd: &DataCmd, reg: &Registry, quiet: bool) -> Result<bool> {
    match cmd {
        DataCmd::Gen {
            suite,
            suite_flag,
            out,
            samples,
            seed,
        } => {
            let suite = suite.as_deref().or(suite_flag.as_deref()).context(
                "give the suite, e.g. `jiebang data gen --suite medical-imaging/case-detection`",
            )?;
            let (task, spec) = reg.suite(suite)?;
            let params = GenerateParams {
                samples: *samples,
                seed: *seed,
            };
            let out = match out {
                Some(o) => o.clone(),
                None => context::default_dataset_dir(&spec, &params)?,
            };
            if out.exists() && std::fs::read_dir(&out)?.next().is_some() {
                bail!(
                    "{}: not empty; choose an empty or new directory",
                    out.display()
                );
            }
            let ds = context::generate(task.as_ref(), &spec, &params, &out, quiet)?;
            print_dataset(&ds, &out);
        }
        DataCmd::Hash { dir, dry_run } => {
            let m = Manifest::build(dir, Default::default())?;
            if !dry_run {
                m.write(dir)?;
            }
            println!(
                "{}  {} files, {} bytes",
                m.hash(),
                m.files.len(),
                m.total_bytes()
            );
        }
        DataCmd::Verify { dir, json } => {
            let (manifest, problems) = verify_all(dir)?;
            let hash = manifest.hash();
            if *json {
                println!(
                    "{}",
                    serde_json::json!({
                        "ok": problems.is_empty(), "dataset": hash,
                        "files": manifest.files.len(), "bytes": manifest.total_bytes(),
                        "problems": problems,
                    })
                );
            } else if problems.is_empty() {
                println!(
                    "ok  {hash}  {} files, {} bytes verified",
                    manifest.files.len(),
                    manifest.total_bytes()
                );
            } else {
                println!(
                    "FAILED  {}: {} problem{} (the manifest lists {} files, id {hash})",
                    dir.display(),
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    manifest.files.len()
                );
                for p in &problems {
                    println!("  {p}");
                }
            }
            return Ok(problems.is_empty());
        }
        DataCmd::Convert { dir, suite } => convert(reg, dir, suite.as_deref())?,
    }
    Ok(true)
}

/// `jiebang data convert`: finds the direction (from `--suite` or the manifest), converts in
/// place, and verifies the result.
fn convert(reg: &Registry, dir: &Path, suite: Option<&str>) -> Result<()> {
    let suite = match suite {
        Some(s) => s.to_string(),
        None => jiebang_core::layout1_suite(dir)?.with_context(|| {
            format!(
                "{}: no `meta.suite` says which suite the dataset is for; pass --suite SUITE",
                dir.join(MANIFEST_FILE).display()
            )
        })?,
    };
    let (task, _) = reg.suite(&suite)?;
    let truth = task.layout1_truth_files();
    if truth.is_empty() {
        bail!(
            "direction `{}` has no old-layout datasets to convert; lay the folder out by hand \
             (inputs/ and truth/) and run `jiebang data hash`",
            task.direction().id
        );
    }
    let (_, moves) = jiebang_core::convert_layout1(dir, truth)?;
    let mut to_inputs = 0;
    for m in &moves {
        if truth.contains(&m.from.as_str()) {
            println!("moved {} -> {}", m.from, m.to);
        } else {
            to_inputs += 1;
        }
    }
    println!("moved {to_inputs} other files -> inputs/ (each keeps its path below inputs/)");
    print_dataset(&jiebang_core::Dataset::open_verified(dir)?, dir);
    Ok(())
}

/// One line on a dataset: its id, file count, size and folder.
fn print_dataset(ds: &jiebang_core::Dataset, dir: &std::path::Path) {
    println!(
        "{}  {} files, {} bytes  {}",
        ds.hash,
        ds.manifest.files.len(),
        ds.manifest.total_bytes(),
        dir.display()
    );
}

/// Checks every manifest entry (present, regular file inside the root, size, sha256) and
/// looks for files on disk that the manifest does not list. Returns the manifest and one line
/// per problem, naming the file; an unreadable manifest is an error.
fn verify_all(dir: &Path) -> Result<(Manifest, Vec<String>)> {
    let manifest = Manifest::read(dir)?;
    let root = dir
        .canonicalize()
        .with_context(|| format!("{}", dir.display()))?;
    let mut problems = Vec::new();
    for f in &manifest.files {
        let path = dir.join(&f.path);
        let real = match path.canonicalize() {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!(
                    "{}: listed in the manifest but missing ({e})",
                    f.path
                ));
                continue;
            }
        };
        if !real.starts_with(&root) {
            problems.push(format!("{}: resolves outside the dataset root", f.path));
            continue;
        }
        let size = match std::fs::metadata(&real) {
            Ok(m) if m.is_file() => m.len(),
            Ok(_) => {
                problems.push(format!("{}: not a regular file", f.path));
                continue;
            }
            Err(e) => {
                problems.push(format!("{}: {e}", f.path));
                continue;
            }
        };
        if size != f.size {
            problems.push(format!(
                "{}: size {size} bytes, the manifest says {} (changed after the manifest was made)",
                f.path, f.size
            ));
            continue;
        }
        match sha256_file(&real) {
            Ok(h) if h == f.sha256 => {}
            Ok(h) => problems.push(format!(
                "{}: sha256 {h}, the manifest says {} (changed after the manifest was made)",
                f.path, f.sha256
            )),
            Err(e) => problems.push(format!("{}: {e}", f.path)),
        }
    }
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    let mut extra = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).with_context(|| format!("{}", d.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("{}", d.display()))?;
            let path = entry.path();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if rel != MANIFEST_FILE && !listed.contains(rel.as_str()) {
                extra.push(rel);
            }
        }
    }
    extra.sort();
    problems.extend(
        extra
            .into_iter()
            .map(|rel| format!("{rel}: on disk but not in the manifest")),
    );
    Ok((manifest, problems))
}
