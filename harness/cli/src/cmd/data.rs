//! `jiebang data gen|hash|verify`: make the embedded default dataset of a suite, build a manifest
//! for an agency's own folder, and check a dataset against its manifest.

use crate::context::{self, Registry};
use anyhow::{Result, bail};
use jiebang_core::{Dataset, GenerateParams, Manifest};
use std::path::PathBuf;

/// `jiebang data` subcommands.
#[derive(clap::Subcommand)]
pub enum DataCmd {
    /// Generate a suite's deterministic synthetic dataset (the embedded default) with its manifest.
    Gen {
        /// Suite, e.g. `medical-imaging/case-detection` or `...@1`.
        suite: String,
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
    /// Build `manifest.json` for a folder (every file's size and sha256) and print the dataset id.
    Hash {
        /// Dataset root.
        dir: PathBuf,
        /// Print the id only; do not write the manifest.
        #[arg(long)]
        dry_run: bool,
    },
    /// Verify every file of a dataset against its manifest; print the dataset id.
    Verify {
        /// Dataset root.
        dir: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command.
pub fn run(cmd: &DataCmd, reg: &Registry, quiet: bool) -> Result<()> {
    match cmd {
        DataCmd::Gen {
            suite,
            out,
            samples,
            seed,
        } => {
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
            println!(
                "{}  {} files, {} bytes  {}",
                ds.hash,
                ds.manifest.files.len(),
                ds.manifest.total_bytes(),
                out.display()
            );
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
            let ds = Dataset::open_verified(dir)?;
            if *json {
                println!(
                    "{}",
                    serde_json::json!({"ok": true, "dataset": ds.hash, "files": ds.manifest.files.len(), "bytes": ds.manifest.total_bytes()})
                );
            } else {
                println!(
                    "ok  {}  {} files, {} bytes verified",
                    ds.hash,
                    ds.manifest.files.len(),
                    ds.manifest.total_bytes()
                );
            }
        }
    }
    Ok(())
}
