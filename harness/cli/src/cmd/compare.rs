//! `jiebang compare BASELINE NEW`: verifies both scorecards, compares them metric by metric
//! (bootstrap ratio intervals, noise threshold, digest mismatches as hard failures) and reports
//! in Markdown, JSON or JUnit XML. Exit code 0 pass, 1 regression, 2 error.

use crate::context::Registry;
use crate::export::{self, Exporter};
use anyhow::{Context as _, Result, bail};
use jiebang_core::compare::{
    Catalogue, CompareSettings, Comparison, DEFAULT_NOISE, UnitRule, compare,
};
use jiebang_scorecard::{Scorecard, verify_bytes};
use std::path::{Path, PathBuf};

/// Report formats.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CompareFormat {
    /// A Markdown report (tables), for people and CI summaries.
    Markdown,
    /// The full comparison as JSON, for tools.
    Json,
    /// JUnit XML: one test case per metric and per digest, for CI test reporters.
    Junit,
}

impl CompareFormat {
    /// The exporter of this format.
    fn exporter(self) -> &'static dyn Exporter<Comparison> {
        match self {
            CompareFormat::Markdown => &export::Markdown,
            CompareFormat::Json => &export::Json,
            CompareFormat::Junit => &export::Junit,
        }
    }
}

/// Arguments of `jiebang compare`.
#[derive(clap::Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "Which way is better for a metric, and which workload a metric or output digest \
belongs to, come from the catalogue of the scorecards' direction (`jiebang tasks --json`). A \
scorecard of a direction this build does not know is still compared, by the generic rule: a \
metric is better lower or higher as its unit is in every registered catalogue and in the \
runner's own metrics (s lower; qps, bool higher), else not judged; every metric counts as an \
aggregate over the run's samples, and each digest as a workload of its own."
)]
pub struct Args {
    /// BASELINE NEW, or only NEW when `--baseline` is given.
    #[arg(required = true, num_args = 1..=2, value_name = "SCORECARD")]
    scorecards: Vec<PathBuf>,
    /// The baseline scorecard (alternative to giving it first).
    #[arg(long, value_name = "SCORECARD")]
    baseline: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: CompareFormat,
    /// Noise threshold: relative changes smaller than this never count as regressions
    /// (default 0.05 = 5 %; `--help` says how to choose it)
    ///
    /// The default 0.05 is a starting point for a quiet, dedicated machine, not a measured
    /// figure. On a shared or loaded machine, unchanged runs of small kernels differ by more
    /// than 5 % (up to 2x for multi-threaded ones), so the default reports false regressions.
    /// Measure the spread on the machine that runs the comparison
    /// (`tasks/nn-chip/scripts/noise.sh BACKEND RUNS` compares unchanged runs) and set --noise
    /// just above the largest significant change it reports. Measured figures:
    /// docs/performance/nn-chip.md and results/baselines/nn-chip/README.md.
    #[arg(long, default_value_t = DEFAULT_NOISE)]
    noise: f64,
    /// Seed of the bootstrap resampling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn read_verified(path: &Path) -> Result<Scorecard> {
    let bytes =
        jiebang_core::bounded::read(path, jiebang_core::bounded::limit::SCORECARD, "scorecard")?;
    let v = verify_bytes(&path.display().to_string(), &bytes, None).with_context(|| {
        format!(
            "{} failed its integrity check; `jiebang verify` says more",
            path.display()
        )
    })?;
    Ok(v.scorecard)
}

/// Runs the command; returns whether the new run passed.
pub fn run(args: &Args, reg: &Registry) -> Result<bool> {
    let (base_path, new_path) = match (&args.baseline, args.scorecards.as_slice()) {
        (Some(b), [n]) => (b.clone(), n.clone()),
        (None, [b, n]) => (b.clone(), n.clone()),
        (Some(_), _) => bail!("with --baseline, give exactly one scorecard: the new run"),
        (None, _) => bail!("give two scorecards: BASELINE NEW"),
    };
    let baseline = read_verified(&base_path)?;
    let new = read_verified(&new_path)?;
    let task = reg.task(&new.pins.task.direction);
    let units = reg
        .directions()
        .into_iter()
        .fold(UnitRule::runner(), UnitRule::learn);
    let catalogue = Catalogue::new(task.as_ref().map(|t| t.direction()), &units);
    let settings = CompareSettings {
        noise: args.noise,
        seed: args.seed,
        ..CompareSettings::default()
    };
    let c = compare(&baseline, &new, &settings, &catalogue).with_context(|| {
        format!(
            "comparing {} with {}",
            new_path.display(),
            base_path.display()
        )
    })?;
    let text = args.format.exporter().export(&c)?;
    match &args.out {
        Some(path) => {
            jiebang_core::atomic::write(path, text.as_bytes())?;
            println!(
                "{} ({})",
                crate::escape::terminal(&export::summary(&c)),
                crate::escape::terminal(&path.display().to_string())
            );
        }
        None => print!("{text}"),
    }
    Ok(c.passed())
}
