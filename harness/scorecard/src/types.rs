//! The scorecard's data model: pins (what exactly was run), metrics (what was measured),
//! indicators (measured vs. declared vs. national target, with verdicts), and the signature block.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One run's result: canonical JSON on disk, identified by the sha256 of its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    /// Schema version of this file ([`crate::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// sha256 (hex) of the canonical JSON of this scorecard without `id` and `signature`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Everything needed to reproduce the run.
    pub pins: Pins,
    /// How the run went: mode, scenario, query accounting.
    pub run: RunSummary,
    /// Measured metrics by id (e.g. `case.sensitivity`). Identical for identical inputs.
    pub metrics: BTreeMap<String, Metric>,
    /// Indicators set beside the declaration and the national targets.
    pub indicators: Vec<IndicatorResult>,
    /// Digests (sha256 hex) of outputs, by name, so that a changed result is caught even
    /// when the numbers summarised in `metrics` look the same.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub digests: BTreeMap<String, String>,
    /// Per-iteration measurements by metric id (e.g. seconds per kernel call), kept so that
    /// `jiebang compare` can bootstrap a confidence interval for a ratio.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub samples: BTreeMap<String, Vec<f64>>,
    /// Operating curves by id (e.g. `case.roc`, `lesion.froc`, `verification.det`): the points
    /// the published charts draw, computed by the harness from the answers and the truth.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub curves: BTreeMap<String, Curve>,
    /// Optional ed25519 signature over the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

/// What was run, pinned by version and hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pins {
    /// The harness build.
    pub harness: HarnessPin,
    /// The task crate (direction) that defined the suite.
    pub task: TaskPin,
    /// The suite spec.
    pub suite: SuitePin,
    /// The dataset.
    pub dataset: DatasetPin,
    /// The system under test.
    pub sut: SutPin,
    /// The compute backend used by built-in systems, kernels and heavy scoring.
    pub backend: BackendPin,
    /// The machine.
    pub host: HostPin,
    /// The seed of every random choice in the run (sample order, arrivals, resampling).
    pub seed: u64,
    /// Effective settings after defaults were applied (scenario, durations, timeouts, ...).
    pub settings: BTreeMap<String, serde_json::Value>,
    /// The unit's declaration, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<DeclarationPin>,
    /// The round this run belongs to (e.g. `2020-r1`), when certified in a round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<String>,
    /// Shard of the samples this scorecard covers, `i/n`, when not the whole dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// When the run started (UTC, RFC 3339). Informational; not part of the metrics.
    pub started_at: String,
}

/// The harness build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HarnessPin {
    /// jiebang version (Cargo package version).
    pub version: String,
    /// Git commit the binary was built from, when known; `-dirty` appended when tracked files
    /// differed from that commit at build time.
    pub git_commit: Option<String>,
}

/// The task crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskPin {
    /// Direction id, e.g. `medical-imaging`.
    pub direction: String,
    /// Crate name.
    pub crate_name: String,
    /// Crate version.
    pub version: String,
}

/// The suite spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuitePin {
    /// Suite id without version, e.g. `medical-imaging/case-detection`.
    pub id: String,
    /// Suite version.
    pub version: u32,
    /// sha256 of the suite's canonical JSON.
    pub hash: String,
    /// `embedded` or the path of the suite file given on the command line.
    pub source: String,
}

/// The dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetPin {
    /// sha256 of the dataset manifest's canonical JSON: the dataset id.
    pub hash: String,
    /// Number of files in the manifest.
    pub files: u64,
    /// Total bytes of those files.
    pub bytes: u64,
    /// Number of samples in the dataset (before sharding).
    pub samples: u64,
    /// How the dataset was made, when jiebang generated it (e.g. `synthetic:v1 seed=7 samples=400`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
}

/// The system under test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SutPin {
    /// `process`, `predictions`, `builtin` or `mock`.
    pub adapter: String,
    /// Name (reported by the SUT, or the built-in's name).
    pub name: String,
    /// Version reported by the SUT, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The command line, for the process adapter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// sha256 over the sorted (path, sha256) list of `files`: the SUT's identity.
    pub hash: String,
    /// The files that make up the system, with their sha256.
    pub files: Vec<FilePin>,
}

/// One file and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FilePin {
    /// Path as given (relative paths relative to the working directory of the run).
    pub path: String,
    /// sha256 hex of the file's bytes.
    pub sha256: String,
}

/// The compute device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackendPin {
    /// `cpu`, `cuda` or `wgpu`.
    pub kind: String,
    /// Device name (CPU model, GPU name, wgpu adapter name).
    pub device: String,
    /// Vendor, when known.
    pub vendor: Option<String>,
    /// Backend API (e.g. `Vulkan`, `CUDA 12.8`, `candle-cpu`).
    pub api: Option<String>,
    /// Driver name, when known.
    pub driver: Option<String>,
    /// Driver version or info string, when known.
    pub driver_info: Option<String>,
    /// Device type (e.g. `Cpu`, `DiscreteGpu`).
    pub device_type: Option<String>,
}

/// The machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HostPin {
    /// Operating system (`linux`, ...).
    pub os: String,
    /// CPU architecture.
    pub arch: String,
    /// CPU model name, when readable.
    pub cpu: Option<String>,
    /// Hardware threads available to the run.
    pub threads: u32,
}

/// The declaration the run was scored against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationPin {
    /// Unit (organisation) name.
    pub unit: String,
    /// sha256 of the declaration file's bytes.
    pub hash: String,
}

/// How the run went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunSummary {
    /// `accuracy` or `performance`.
    pub mode: String,
    /// Scenario for performance runs (`single-stream`, `offline`, `server`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Query accounting.
    pub queries: QueryCounts,
    /// Wall-clock seconds of the run (informational; not hashed into any metric).
    pub duration_s: f64,
}

/// Query accounting: every issued query ends answered or as exactly one technical failure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QueryCounts {
    /// Queries issued to the SUT.
    pub issued: u64,
    /// Queries that got a well-formed answer (right or wrong).
    pub answered: u64,
    /// Technical failures, counted apart from wrong answers. In metrics, a failed query
    /// scores as a wrong answer, never as a right one.
    pub failures: Failures,
}

/// Technical failures by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Failures {
    /// The SUT process exited or crashed with the query in flight.
    pub crash: u64,
    /// No answer within the per-query timeout.
    pub timeout: u64,
    /// The answer line was not valid JSON or lacked required fields.
    pub malformed: u64,
    /// Answers naming an id that was never issued (not attributed to a query; counted here).
    pub unknown_id: u64,
    /// Second answers to an already answered query.
    pub duplicate: u64,
    /// Queries never answered when the SUT ended.
    pub missing: u64,
}

impl Failures {
    /// Failures attributed to a query (unknown ids and duplicates are not: the query they
    /// claim either got its own answer or is counted under another kind).
    pub fn failed_queries(&self) -> u64 {
        self.crash + self.timeout + self.malformed + self.missing
    }
}

/// A measured metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// Point estimate, or `null` when not measured (see `reason`).
    pub value: Option<f64>,
    /// 95% confidence interval, when one is defined.
    pub ci95: Option<[f64; 2]>,
    /// How the interval was computed: `wilson`, `clopper-pearson`, `exact`, `delong`,
    /// `order-statistic`, `bootstrap-percentile (median of iterations)`,
    /// `bootstrap-cases-luna16 (B=N)`, or the name of another method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub ci_method: Option<CiMethod>,
    /// Sample size behind the estimate (cases, utterances, iterations, ...).
    pub n: u64,
    /// Unit: `ratio` (0..1), `s`, `TOPS`, `TFLOPS`, `TOPS/W`, `bool`, ...
    pub unit: String,
    /// Why the value is null (e.g. `no power sensor readable: /sys/class/powercap missing`), or
    /// why a value has no interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Set when the value rests on figures the system under test reported about itself (kernel
    /// seconds, energy) rather than on what the harness observed: says what was reported and
    /// the check against the harness's own observation that it passed. Absent: harness-observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_reported: Option<String>,
    /// The convention the value was computed under, when two values of the metric are only
    /// comparable under the same one: for an error rate, the text normalisation and
    /// tokenisation with the metric library's version
    /// (`norm:fullwidth+lower+punct|tok:char|spaces:skip|jiebang-metrics:0.1.0`), as sacrebleu
    /// states its signature. `jiebang compare` refuses to judge a metric whose two sides differ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convention: Option<String>,
    /// For a ROC AUC: the studies in the smaller class (positives or negatives), which the
    /// interval's coverage follows more than the total `n` does. Absent on other metrics and
    /// on older scorecards (verdicts then go by `n` alone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_smaller_class: Option<u64>,
}

impl Metric {
    /// A measured value with its 95% interval and how that was computed; with no interval
    /// (`ci95` `None`) no method is recorded either.
    pub fn estimate(
        value: f64,
        ci95: Option<[f64; 2]>,
        method: CiMethod,
        n: u64,
        unit: &str,
    ) -> Metric {
        Metric {
            ci_method: ci95.map(|_| method),
            ci95,
            ..Metric::point(value, n, unit)
        }
    }

    /// A measured value for which no interval is defined (a single observation, a bound).
    pub fn point(value: f64, n: u64, unit: &str) -> Metric {
        Metric {
            value: Some(value),
            ci95: None,
            ci_method: None,
            n,
            unit: unit.to_string(),
            reason: None,
            self_reported: None,
            convention: None,
            n_smaller_class: None,
        }
    }

    /// A value known without sampling error (a count, a yes/no decision): its interval is
    /// the value itself, method [`CiMethod::Exact`].
    pub fn exact(value: f64, n: u64, unit: &str) -> Metric {
        Metric::estimate(value, Some([value, value]), CiMethod::Exact, n, unit)
    }

    /// Not measured in this run, with the reason (`null` in the scorecard).
    pub fn not_measured(n: u64, unit: &str, reason: impl Into<String>) -> Metric {
        Metric {
            value: None,
            reason: Some(reason.into()),
            ..Metric::point(0.0, n, unit)
        }
    }

    /// The same metric with `reason` (why a value has no interval, or what it rests on).
    pub fn with_reason(mut self, reason: impl Into<String>) -> Metric {
        self.reason = Some(reason.into());
        self
    }

    /// The same metric with the convention it was computed under (see [`Metric::convention`]).
    pub fn with_convention(mut self, convention: impl Into<String>) -> Metric {
        self.convention = Some(convention.into());
        self
    }

    /// The same metric with the size of an AUC's smaller class (`n_smaller_class`).
    pub fn with_smaller_class(mut self, n: u64) -> Metric {
        self.n_smaller_class = Some(n);
        self
    }

    /// The same metric labelled as resting on what the system reported about itself (and
    /// the check it passed); a metric without a value stays unlabelled.
    pub fn with_self_reported(mut self, what: impl Into<String>) -> Metric {
        if self.value.is_some() {
            self.self_reported = Some(what.into());
        }
        self
    }
}

/// How a metric's 95% interval was computed. Written as the strings older scorecards carry;
/// a string this build does not know is kept as [`CiMethod::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiMethod {
    /// Wilson score interval of a proportion (`wilson`).
    Wilson,
    /// Clopper–Pearson interval of a proportion (`clopper-pearson`).
    ClopperPearson,
    /// No sampling error: the interval is the value (`exact`).
    Exact,
    /// DeLong's interval of a ROC AUC (`delong`).
    DeLong,
    /// DeLong's variance on the logit scale, back-transformed: `logistic(logit(AUC) ±
    /// z·SE/(AUC(1 − AUC)))`, which keeps its coverage near AUC = 1 (`delong-logit`).
    DeLongLogit,
    /// Order-statistic interval of a quantile (`order-statistic`).
    OrderStatistic,
    /// Percentile bootstrap of the median of per-iteration times
    /// (`bootstrap-percentile (median of iterations)`).
    BootstrapMedian,
    /// LUNA16's case bootstrap with `resamples` replicates (`bootstrap-cases-luna16 (B=1000)`).
    BootstrapCasesLuna16 {
        /// Bootstrap replicates.
        resamples: usize,
    },
    /// A method this build does not know, as written.
    Other(String),
}

const LUNA16_PREFIX: &str = "bootstrap-cases-luna16 (B=";

impl CiMethod {
    /// Whether the interval is one of a proportion of counts (a rate such as a detection
    /// rate), which reports show as a percentage.
    pub fn is_proportion(&self) -> bool {
        matches!(self, CiMethod::Wilson | CiMethod::ClopperPearson)
    }
}

impl std::fmt::Display for CiMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CiMethod::Wilson => f.write_str("wilson"),
            CiMethod::ClopperPearson => f.write_str("clopper-pearson"),
            CiMethod::Exact => f.write_str("exact"),
            CiMethod::DeLong => f.write_str("delong"),
            CiMethod::DeLongLogit => f.write_str("delong-logit"),
            CiMethod::OrderStatistic => f.write_str("order-statistic"),
            CiMethod::BootstrapMedian => f.write_str("bootstrap-percentile (median of iterations)"),
            CiMethod::BootstrapCasesLuna16 { resamples } => {
                write!(f, "{LUNA16_PREFIX}{resamples})")
            }
            CiMethod::Other(s) => f.write_str(s),
        }
    }
}

impl From<&str> for CiMethod {
    fn from(s: &str) -> CiMethod {
        let luna = s
            .strip_prefix(LUNA16_PREFIX)
            .and_then(|r| r.strip_suffix(')'))
            .filter(|b| !b.starts_with('0') && !b.starts_with('+'))
            .and_then(|b| b.parse::<usize>().ok());
        match (s, luna) {
            (_, Some(resamples)) => CiMethod::BootstrapCasesLuna16 { resamples },
            ("wilson", _) => CiMethod::Wilson,
            ("clopper-pearson", _) => CiMethod::ClopperPearson,
            ("exact", _) => CiMethod::Exact,
            ("delong", _) => CiMethod::DeLong,
            ("delong-logit", _) => CiMethod::DeLongLogit,
            ("order-statistic", _) => CiMethod::OrderStatistic,
            ("bootstrap-percentile (median of iterations)", _) => CiMethod::BootstrapMedian,
            _ => CiMethod::Other(s.to_string()),
        }
    }
}

impl Serialize for CiMethod {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CiMethod {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(CiMethod::from(s.as_str()))
    }
}

/// Which direction of a number is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Larger values are better (detection rate).
    Higher,
    /// Smaller values are better (false-negative rate, latency).
    Lower,
}

/// A comparison that a target states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Comparison {
    /// Strictly greater than.
    #[serde(rename = ">")]
    Gt,
    /// Greater than or equal.
    #[serde(rename = ">=")]
    Ge,
    /// Strictly less than.
    #[serde(rename = "<")]
    Lt,
    /// Less than or equal.
    #[serde(rename = "<=")]
    Le,
}

impl Comparison {
    /// Whether `x` satisfies `x <op> threshold`.
    pub fn holds(self, x: f64, threshold: f64) -> bool {
        match self {
            Comparison::Gt => x > threshold,
            Comparison::Ge => x >= threshold,
            Comparison::Lt => x < threshold,
            Comparison::Le => x <= threshold,
        }
    }

    /// The symbol (`>`, `>=`, `<`, `<=`).
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Gt => ">",
            Comparison::Ge => ">=",
            Comparison::Lt => "<",
            Comparison::Le => "<=",
        }
    }
}

/// A national reference target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The comparison the target states.
    pub comparison: Comparison,
    /// The threshold, in the indicator's unit.
    pub value: f64,
    /// Where the figure comes from.
    pub source: String,
    /// True when the figure could not be confirmed against its primary source.
    pub unconfirmed: bool,
}

/// One indicator set beside its declared and national levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorResult {
    /// Indicator id, e.g. `imaging.detection_rate`.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Unit of `measured` and the targets.
    pub unit: String,
    /// Which direction is better.
    pub better: Better,
    /// The metric it is computed from.
    pub metric: String,
    /// True for a unit's own (自定义) indicator.
    pub custom: bool,
    /// Measured value, or `null` when not measured.
    pub measured: Option<f64>,
    /// 95% confidence interval of the measured value.
    pub ci95: Option<[f64; 2]>,
    /// Sample size.
    pub n: u64,
    /// Why `measured` is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The unit's declared current level (本单位当前水平).
    pub declared_current: Option<f64>,
    /// The unit's declared 2020 target (本单位2020年目标).
    pub declared_target_2020: Option<f64>,
    /// The national 2020 reference target.
    pub national_target: Option<Target>,
    /// Verdicts against each level.
    pub verdicts: Verdicts,
}

/// Verdicts of one indicator against each level that exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdicts {
    /// Against the national target.
    pub national: Option<Verdict>,
    /// Against the unit's declared 2020 target.
    pub own_target: Option<Verdict>,
    /// Against the unit's declared current level (does the measurement support the claim?).
    pub declared_current: Option<Verdict>,
}

/// Whether a level was met, decided by the 95% interval (never by the point estimate alone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    /// The outcome.
    pub status: VerdictStatus,
    /// The threshold compared with.
    pub threshold: f64,
    /// The comparison.
    pub comparison: Comparison,
    /// Samples that would be needed to decide, at the measured rate, when inconclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needed_n: Option<u64>,
    /// Why the verdict is not what the reported interval alone would give: it was decided on
    /// another interval, or refused (inconclusive) because the interval's method does not
    /// keep its coverage at this sample size and estimate (docs/STATISTICS.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The outcome of a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictStatus {
    /// The whole 95% interval satisfies the comparison.
    Met,
    /// The whole 95% interval violates it.
    NotMet,
    /// The interval straddles the threshold.
    Inconclusive,
    /// No measurement.
    NotMeasured,
}

impl VerdictStatus {
    /// The word shown in reports.
    pub fn word(self) -> &'static str {
        match self {
            VerdictStatus::Met => "met",
            VerdictStatus::NotMet => "not-met",
            VerdictStatus::Inconclusive => "inconclusive",
            VerdictStatus::NotMeasured => "not-measured",
        }
    }
}

/// The kind of an operating curve, which fixes how it is read and drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CurveKind {
    /// Receiver operating characteristic: false positive rate (x) against true positive rate.
    Roc,
    /// Detection error trade-off: false match rate (x, log scale) against false non-match rate.
    Det,
    /// Free-response ROC: average false positives per case (x, log scale) against sensitivity.
    Froc,
    /// Cumulative match characteristic: rank (x) against the identification rate at that rank.
    Cmc,
}

/// One axis of a curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CurveAxis {
    /// What the axis measures, in English (e.g. `false positive rate`).
    pub label: String,
    /// Unit of the values: `ratio` (drawn as a percentage), `count`, `per case`, `rank`.
    pub unit: String,
    /// Whether the axis is best read on a log scale (values spanning decades).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub log: bool,
}

/// An operating curve: points in the order of the threshold sweep, at most a few hundred
/// (the scorer thins longer sweeps), each `[x, y]` finite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Curve {
    /// Which curve this is.
    pub kind: CurveKind,
    /// The horizontal axis.
    pub x: CurveAxis,
    /// The vertical axis.
    pub y: CurveAxis,
    /// The points, `[x, y]`.
    pub points: Vec<[f64; 2]>,
    /// The metric the curve belongs to, when one summarises it (e.g. `case.auc`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
}

/// An ed25519 signature over the scorecard id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Always `ed25519`.
    pub algorithm: String,
    /// Who signed (the key's name).
    pub signer: String,
    /// Public key, hex.
    pub public_key: String,
    /// Signature over `SIGNING_CONTEXT || id`, hex.
    pub signature: String,
}

impl Scorecard {
    /// Refuses numbers that cannot be represented honestly in JSON (NaN, infinities), naming
    /// the field. serde_json would silently write them as null.
    pub fn check_finite(&self) -> Result<(), crate::ScorecardError> {
        let bad = |path: String, value: f64| crate::ScorecardError::NonFinite { path, value };
        let check = |path: &str, v: Option<f64>| match v {
            Some(x) if !x.is_finite() => Err(bad(path.to_string(), x)),
            _ => Ok(()),
        };
        for (k, m) in &self.metrics {
            check(&format!("metrics.{k}.value"), m.value)?;
            if let Some([a, b]) = m.ci95 {
                check(&format!("metrics.{k}.ci95"), Some(a))?;
                check(&format!("metrics.{k}.ci95"), Some(b))?;
            }
        }
        for ind in &self.indicators {
            check(&format!("indicators.{}.measured", ind.id), ind.measured)?;
            if let Some([a, b]) = ind.ci95 {
                check(&format!("indicators.{}.ci95", ind.id), Some(a))?;
                check(&format!("indicators.{}.ci95", ind.id), Some(b))?;
            }
        }
        for (k, s) in &self.samples {
            for x in s {
                check(&format!("samples.{k}"), Some(*x))?;
            }
        }
        for (k, c) in &self.curves {
            for [x, y] in &c.points {
                check(&format!("curves.{k}.points"), Some(*x))?;
                check(&format!("curves.{k}.points"), Some(*y))?;
            }
        }
        check("run.duration_s", Some(self.run.duration_s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ci_methods_keep_their_strings() {
        for s in [
            "wilson",
            "clopper-pearson",
            "exact",
            "delong",
            "order-statistic",
            "bootstrap-percentile (median of iterations)",
            "bootstrap-cases-luna16 (B=1000)",
            "bootstrap-cases-luna16 (B=07)",
            "bootstrap-cases-luna16 (B=+7)",
            "bootstrap-bca",
        ] {
            let m = CiMethod::from(s);
            assert_eq!(m.to_string(), s);
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<CiMethod>(&json).unwrap(), m);
        }
        assert_eq!(
            CiMethod::from("bootstrap-cases-luna16 (B=250)"),
            CiMethod::BootstrapCasesLuna16 { resamples: 250 }
        );
        assert_eq!(
            CiMethod::from("bootstrap-bca"),
            CiMethod::Other("bootstrap-bca".into())
        );
        assert!(CiMethod::Wilson.is_proportion() && CiMethod::ClopperPearson.is_proportion());
        assert!(!CiMethod::DeLong.is_proportion() && !CiMethod::Exact.is_proportion());
    }

    #[test]
    fn constructors_fill_what_they_say() {
        let e = Metric::estimate(0.5, Some([0.4, 0.6]), CiMethod::Wilson, 10, "ratio");
        assert_eq!(e.ci_method, Some(CiMethod::Wilson));
        let e = Metric::estimate(0.5, None, CiMethod::Wilson, 10, "ratio");
        assert_eq!((e.ci95, e.ci_method), (None, None));
        let x = Metric::exact(1.0, 1, "bool");
        assert_eq!(
            (x.ci95, x.ci_method),
            (Some([1.0, 1.0]), Some(CiMethod::Exact))
        );
        let n = Metric::not_measured(3, "s", "no sensor").with_self_reported("x");
        assert_eq!((n.value, n.reason.as_deref()), (None, Some("no sensor")));
        assert_eq!(n.self_reported, None);
        let p = Metric::point(2.0, 1, "TOPS").with_self_reported("stated");
        assert_eq!(p.self_reported.as_deref(), Some("stated"));
    }
}
