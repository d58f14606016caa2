//! The comparison's report model: settings, the outcome per metric and per digest, what
//! identifies each side, the coverage of different sample sets, and the whole comparison.

use jiebang_scorecard::Better;
use serde::Serialize;
use std::collections::BTreeSet;
use thiserror::Error;

/// Default noise threshold: relative changes smaller than this are never called regressions.
pub const DEFAULT_NOISE: f64 = 0.05;

/// How a comparison is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompareSettings {
    /// Relative change below which a difference is noise (0.05 = 5 %).
    pub noise: f64,
    /// Bootstrap replicates for a ratio's interval.
    pub resamples: usize,
    /// Seed of the bootstrap streams.
    pub seed: u64,
    /// Two-sided confidence level of the interval.
    pub confidence: f64,
}

impl Default for CompareSettings {
    fn default() -> Self {
        CompareSettings {
            noise: DEFAULT_NOISE,
            resamples: 2000,
            seed: 0,
            confidence: 0.95,
        }
    }
}

/// Why two scorecards cannot be compared.
#[derive(Debug, Error, PartialEq)]
pub enum CompareError {
    /// The scorecards come from different suites (or suite versions).
    #[error(
        "the scorecards are of different suites: baseline {baseline}, new {new}; compare runs of the same suite"
    )]
    DifferentSuite {
        /// The baseline's `id@version`.
        baseline: String,
        /// The new scorecard's `id@version`.
        new: String,
    },
    /// A setting is out of range.
    #[error("invalid comparison setting: {0}")]
    Settings(String),
    /// The runs cover different sample sets and share nothing that can be judged.
    #[error(
        "nothing in common can be compared: the runs cover different sample sets (baseline: {baseline}; new: {new}) and share no workload: every metric both have is an aggregate over each run's own samples; compare runs of the same dataset (the same --samples or --data, no --shard; merge shard logs with `jiebang merge` first)"
    )]
    NothingInCommon {
        /// What the baseline covers, e.g. `12 samples, dataset 88644cce395a`.
        baseline: String,
        /// What the new run covers.
        new: String,
    },
}

/// The outcome for one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricStatus {
    /// Worse by more than the noise threshold, and the interval excludes no change.
    Regressed,
    /// Better by more than the noise threshold, and the interval excludes no change.
    Improved,
    /// Within the noise threshold, or the change is not significant.
    Unchanged,
    /// Not judged: a value is missing on one side, which direction is better is unknown, or
    /// the two values are aggregates over different sample sets.
    NotJudged,
}

impl MetricStatus {
    /// The word shown in reports.
    pub fn word(self) -> &'static str {
        match self {
            MetricStatus::Regressed => "regressed",
            MetricStatus::Improved => "improved",
            MetricStatus::Unchanged => "unchanged",
            MetricStatus::NotJudged => "not judged",
        }
    }
}

/// One metric (or per-iteration series) compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricChange {
    /// Metric id (or samples key).
    pub id: String,
    /// Unit.
    pub unit: String,
    /// Which direction is better, when known.
    pub better: Option<Better>,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// New value.
    pub new: Option<f64>,
    /// `new / baseline`.
    pub ratio: Option<f64>,
    /// Interval of the ratio, when one was computed.
    pub ci: Option<[f64; 2]>,
    /// How the ratio and its interval were obtained.
    pub method: String,
    /// The outcome.
    pub status: MetricStatus,
    /// Why it was not judged, or what else a reader should know.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The reason a scorecard gives for a missing value (e.g. `energy not measurable: ...`),
    /// kept apart from `note` so that a report can print a reason shared by many rows once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The outcome for one output digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigestStatus {
    /// Identical.
    Same,
    /// Different: the output changed (a hard failure).
    Changed,
    /// In the baseline, absent from the new scorecard (a hard failure).
    Missing,
    /// Only in the new scorecard.
    Added,
    /// In the baseline only, because the new run did not run that workload (the runs cover
    /// different sample sets): not a failure.
    NotRun,
}

/// One digest compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DigestChange {
    /// Digest name, e.g. `output.gemm-f32-512`.
    pub name: String,
    /// Baseline digest.
    pub baseline: Option<String>,
    /// New digest.
    pub new: Option<String>,
    /// The outcome.
    pub status: DigestStatus,
}

/// What identifies each side in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Scorecard id.
    pub id: Option<String>,
    /// Backend kind and device.
    pub backend: String,
    /// System under test and version.
    pub sut: String,
    /// When the run started.
    pub started_at: String,
    /// Samples in the dataset (before sharding).
    pub samples: u64,
    /// The dataset's hash.
    pub dataset: String,
    /// The shard (`i/n`) this scorecard covers, when not the whole dataset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

impl Side {
    /// The sample count and shard, e.g. `12 samples` or `200 samples, shard 1/2`.
    pub fn samples_text(&self) -> String {
        match &self.shard {
            Some(sh) => format!("{} samples, shard {sh}", self.samples),
            None => format!("{} samples", self.samples),
        }
    }

    /// What the side covers, e.g. `12 samples, dataset 88644cce395a` or
    /// `200 samples, shard 1/2, dataset dc8feddcdd61`.
    pub fn coverage(&self) -> String {
        let hash: String = self.dataset.chars().take(12).collect();
        format!("{}, dataset {hash}", self.samples_text())
    }
}

/// How the runs' sample sets relate, when they differ (another dataset, `--samples`,
/// `--shard`). Workloads are those the direction's catalogue names for the scorecards'
/// digests and metrics (a digest it does not know stands for a workload of its own name).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Workloads both runs ran: their metrics and digests are compared.
    pub common: Vec<String>,
    /// Workloads only the baseline ran.
    pub only_baseline: Vec<String>,
    /// Workloads only the new run ran.
    pub only_new: Vec<String>,
    /// Metrics on both sides that are not tied to a common workload (aggregates such as
    /// `throughput.f32`): computed over different sets, so not judged.
    pub aggregates: Vec<String>,
    /// Metrics (and series) of workloads only one of the runs ran.
    #[serde(skip)]
    pub(crate) one_sided: BTreeSet<String>,
}

impl Coverage {
    /// Whether metric `id` belongs to a workload that only one of the runs ran.
    pub fn ran_by_one(&self, id: &str) -> bool {
        self.one_sided.contains(id)
    }
}

/// A whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The suite, `id@version`.
    pub suite: String,
    /// The baseline.
    pub baseline: Side,
    /// The new run.
    pub new: Side,
    /// Noise threshold used.
    pub noise: f64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Whether both sides are the same scorecard (same id): the comparison is trivial.
    pub same_scorecard: bool,
    /// Set when the runs cover different sample sets: what is and is not compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// Pins that differ between the two runs (suite or dataset hash, device, driver, ...).
    pub differences: Vec<String>,
    /// Metric by metric.
    pub metrics: Vec<MetricChange>,
    /// Digest by digest.
    pub digests: Vec<DigestChange>,
}

impl Comparison {
    /// Metrics that regressed.
    pub fn regressions(&self) -> impl Iterator<Item = &MetricChange> {
        self.metrics
            .iter()
            .filter(|m| m.status == MetricStatus::Regressed)
    }

    /// Digests that changed or went missing: hard failures.
    pub fn digest_failures(&self) -> impl Iterator<Item = &DigestChange> {
        self.digests
            .iter()
            .filter(|d| matches!(d.status, DigestStatus::Changed | DigestStatus::Missing))
    }

    /// Whether nothing regressed and no digest failed.
    pub fn passed(&self) -> bool {
        self.regressions().next().is_none() && self.digest_failures().next().is_none()
    }
}
