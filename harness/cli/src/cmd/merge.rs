//! `jiebang merge`: combines the per-query logs of shards `1/n .. n/n` of one accuracy run into
//! the scorecard the unsharded run gives (the same metrics, byte for byte).

use super::run::{print_outcome, read_key, write_scorecard};
use crate::context::{self, Registry};
use crate::pins;
use anyhow::{Result, anyhow, bail};
use jiebang_core::Dataset;
use jiebang_core::run::{ScorecardInputs, read_shard_logs, score_logs};
use std::path::{Path, PathBuf};

const EXAMPLES: &str = "\
Examples:
  # Four shards run on four machines (or as a Slurm array / Kubernetes Indexed Job):
  jiebang run --suite medical-imaging/case-detection --sut 'python3 sut.py' \\
      --shard 1/4 --out shards/
  ...
  jiebang merge shards/*.log.jsonl --out results/

Every shard must be complete (finish one with `jiebang run ... --resume`) and come from the
same suite, dataset, SUT, settings and seed; the merged scorecard pins no shard.";

/// Arguments of `jiebang merge`.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Shard logs (`*.log.jsonl` written by `jiebang run --shard i/n`), in any order.
    #[arg(required = true)]
    logs: Vec<PathBuf>,
    /// Dataset root (default: the one recorded in the first log); checked against its hash.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The suite spec file, when the run used --suite-file (default: the recorded path).
    #[arg(long)]
    suite_file: Option<PathBuf>,
    /// The unit's declaration (TOML).
    #[arg(long)]
    declaration: Option<PathBuf>,
    /// The round, pinned in the scorecard.
    #[arg(long)]
    round: Option<String>,
    /// Sign the scorecard with this secret key.
    #[arg(long, value_name = "KEY")]
    sign: Option<PathBuf>,
    /// Backend for scoring (default: the one the shards recorded).
    #[arg(long, value_parser = ["cpu", "wgpu", "cuda"])]
    backend: Option<String>,
    /// Output directory (default: the first log's directory).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print a JSON summary instead of the report.
    #[arg(long)]
    json: bool,
}

/// `<stem>.shard-1-of-4.log.jsonl` → `<stem>.scorecard.json`.
fn output_name(log: &Path) -> String {
    let name = log
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name
        .strip_suffix(".log.jsonl")
        .or_else(|| name.strip_suffix(".jsonl"))
        .unwrap_or(&name);
    let base = match base.rfind(".shard-") {
        Some(i) => &base[..i],
        None => base,
    };
    format!("{base}.scorecard.json")
}

/// Runs the command.
pub fn run(args: &Args, reg: &Registry, quiet: bool) -> Result<()> {
    let logs = read_shard_logs(&args.logs)?;
    let h = &logs[0].header;
    let suite_file = args
        .suite_file
        .clone()
        .or_else(|| (h.suite.source != "embedded").then(|| PathBuf::from(&h.suite.source)));
    let (task, suite) = match &suite_file {
        Some(f) => context::suite_from_file(reg, f)?,
        None => reg.suite(&format!("{}@{}", h.suite.id, h.suite.version))?,
    };
    if suite.hash() != h.suite.hash {
        bail!(
            "suite {}@{} hashes to {} here but the shards ran {}; merge with the build (or --suite-file) that ran them",
            h.suite.id,
            h.suite.version,
            suite.hash(),
            h.suite.hash
        );
    }
    let root = args
        .data
        .clone()
        .unwrap_or_else(|| PathBuf::from(&h.dataset_root));
    let dataset = Dataset::open_verified(&root)
        .map_err(|e| anyhow!("{e}\n(pass --data DIR to point at the dataset the shards ran on)"))?;
    if dataset.hash != h.dataset.hash {
        bail!(
            "{}: dataset {} is not the shards' dataset {}",
            root.display(),
            dataset.hash,
            h.dataset.hash
        );
    }
    let backend = crate::backend::open(args.backend.as_deref().unwrap_or(&h.backend.kind))?;
    let loaded = task.load(&suite, &dataset)?;
    let card = ScorecardInputs {
        harness: pins::harness(),
        host: pins::host(),
        round: args.round.clone(),
        declaration: args
            .declaration
            .as_deref()
            .map(|p| reg.declaration(p))
            .transpose()?,
    };
    if let Some(d) = &card.declaration {
        d.check_suite(&suite)?;
    }
    let key = args.sign.as_deref().map(read_key).transpose()?;
    let root_text = root
        .canonicalize()
        .unwrap_or(root.clone())
        .display()
        .to_string();
    let mut sc = score_logs(
        &logs,
        task.as_ref(),
        &suite,
        &loaded,
        &backend,
        &root_text,
        &card,
    )?;
    let out = args.out.clone().unwrap_or_else(|| {
        args.logs[0]
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    });
    let path = out.join(output_name(&args.logs[0]));
    write_scorecard(&mut sc, key.as_ref(), &path)?;
    print_outcome(&sc, &path, &args.logs, args.json, quiet);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_scorecard_name_drops_the_shard() {
        assert_eq!(
            output_name(Path::new("s/m.x@1.sut.accuracy.shard-2-of-4.log.jsonl")),
            "m.x@1.sut.accuracy.scorecard.json"
        );
        assert_eq!(output_name(Path::new("a.jsonl")), "a.scorecard.json");
    }
}
