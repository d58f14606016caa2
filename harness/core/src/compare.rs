//! Comparing a new scorecard with a baseline of the same suite: per metric the ratio new/baseline
//! with a bootstrap 95% interval from the per-iteration samples, judged against a noise
//! threshold; output digests that differ are hard failures; differing pins are stated. When the
//! runs cover different sample sets (dataset, `--samples`, `--shard`), only the workloads both
//! ran are judged; aggregates over the whole set are listed as not judged.

use jiebang_metrics::bootstrap::{Units, percentile_interval, quantile_linear, resample_indices};
use jiebang_scorecard::{Better, Metric, Scorecard};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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
/// `--shard`). Workloads are named by the output digests (`output.<workload>`).
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
}

impl Coverage {
    /// Whether metric `id` belongs to a workload that only one of the runs ran.
    pub fn ran_by_one(&self, id: &str) -> bool {
        self.only_baseline
            .iter()
            .chain(&self.only_new)
            .any(|w| tied(id, w))
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

/// The better direction implied by a unit, for metrics no catalogue describes: times are
/// better lower; rates, throughput, efficiency and booleans better higher; otherwise unknown.
pub fn unit_rule(unit: &str) -> Option<Better> {
    match unit {
        "s" | "ms" | "us" | "µs" | "ns" => Some(Better::Lower),
        "qps" | "ops/s" | "FLOPS" | "GFLOPS" | "TFLOPS" | "GOPS" | "TOPS" | "TOPS/W"
        | "GFLOPS/W" | "bool" => Some(Better::Higher),
        _ => None,
    }
}

fn side(sc: &Scorecard) -> Side {
    let b = &sc.pins.backend;
    Side {
        id: sc.id.clone(),
        backend: format!("{} {}", b.kind, b.device),
        sut: match &sc.pins.sut.version {
            Some(v) => format!("{}:{} {v}", sc.pins.sut.adapter, sc.pins.sut.name),
            None => format!("{}:{}", sc.pins.sut.adapter, sc.pins.sut.name),
        },
        started_at: sc.pins.started_at.clone(),
        samples: sc.pins.dataset.samples,
        dataset: sc.pins.dataset.hash.clone(),
        shard: sc.pins.shard.clone(),
    }
}

fn differences(a: &Scorecard, b: &Scorecard) -> Vec<String> {
    let mut out = Vec::new();
    let mut diff = |what: &str, x: String, y: String| {
        if x != y {
            out.push(format!("{what}: baseline {x}, new {y}"));
        }
    };
    let (p, q) = (&a.pins, &b.pins);
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    diff("suite hash", p.suite.hash.clone(), q.suite.hash.clone());
    diff(
        "dataset hash",
        p.dataset.hash.clone(),
        q.dataset.hash.clone(),
    );
    diff(
        "samples",
        p.dataset.samples.to_string(),
        q.dataset.samples.to_string(),
    );
    diff(
        "dataset generator",
        opt(&p.dataset.generator),
        opt(&q.dataset.generator),
    );
    let shard = |s: &Option<String>| s.clone().unwrap_or_else(|| "none (whole dataset)".into());
    diff("shard", shard(&p.shard), shard(&q.shard));
    diff("backend", p.backend.kind.clone(), q.backend.kind.clone());
    diff("device", p.backend.device.clone(), q.backend.device.clone());
    diff("driver", opt(&p.backend.driver), opt(&q.backend.driver));
    diff(
        "driver info",
        opt(&p.backend.driver_info),
        opt(&q.backend.driver_info),
    );
    diff("host cpu", opt(&p.host.cpu), opt(&q.host.cpu));
    diff(
        "host threads",
        p.host.threads.to_string(),
        q.host.threads.to_string(),
    );
    diff("SUT hash", p.sut.hash.clone(), q.sut.hash.clone());
    diff("SUT version", opt(&p.sut.version), opt(&q.sut.version));
    diff(
        "harness",
        format!("{} {}", p.harness.version, opt(&p.harness.git_commit)),
        format!("{} {}", q.harness.version, opt(&q.harness.git_commit)),
    );
    diff("run mode", a.run.mode.clone(), b.run.mode.clone());
    diff("scenario", opt(&a.run.scenario), opt(&b.run.scenario));
    diff("seed", p.seed.to_string(), q.seed.to_string());
    let keys: BTreeSet<&String> = p.settings.keys().chain(q.settings.keys()).collect();
    for k in keys {
        if k == "dataset_root" {
            continue;
        }
        let show = |v: Option<&serde_json::Value>| v.map_or("-".to_string(), |v| v.to_string());
        diff(
            &format!("setting `{k}`"),
            show(p.settings.get(k)),
            show(q.settings.get(k)),
        );
    }
    out
}

/// A deterministic seed per metric id (FNV-1a), so a metric's interval does not depend on
/// which other metrics the scorecards hold.
fn seed_for(base: u64, id: &str) -> u64 {
    id.bytes().fold(base ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Ratio of medians `median(new) / median(baseline)` and its bootstrap percentile interval,
/// resampling each side independently with replacement.
fn bootstrap_ratio(
    base: &[f64],
    new: &[f64],
    settings: &CompareSettings,
    seed: u64,
) -> Option<(f64, [f64; 2])> {
    let med = |v: &[f64]| quantile_linear(v, 0.5).ok();
    let (mb, mn) = (med(base)?, med(new)?);
    if mb == 0.0 {
        return None;
    }
    let (ub, un) = (Units::samples(base.len()), Units::samples(new.len()));
    let (mut ib, mut inn) = (Vec::new(), Vec::new());
    let (mut rb, mut rn) = (Vec::new(), Vec::new());
    let mut replicates = Vec::with_capacity(settings.resamples);
    for r in 0..settings.resamples as u64 {
        resample_indices(&ub, seed, r, &mut ib);
        resample_indices(&un, seed ^ 0x9e37_79b9_7f4a_7c15, r, &mut inn);
        rb.clear();
        rb.extend(ib.iter().map(|&i| base[i]));
        rn.clear();
        rn.extend(inn.iter().map(|&i| new[i]));
        if let (Some(b), Some(n)) = (med(&rb), med(&rn))
            && b != 0.0
        {
            replicates.push(n / b);
        }
    }
    let ci = percentile_interval(&replicates, settings.confidence).ok()?;
    Some((mn / mb, [ci.lo, ci.hi]))
}

/// Decides a ratio: `significant` says whether the evidence excludes no change.
fn judge(better: Better, ratio: f64, significant: bool, noise: f64) -> MetricStatus {
    let worse = match better {
        Better::Lower => ratio > 1.0 + noise,
        Better::Higher => ratio < 1.0 - noise,
    };
    let improved = match better {
        Better::Lower => ratio < 1.0 - noise,
        Better::Higher => ratio > 1.0 + noise,
    };
    match (significant, worse, improved) {
        (true, true, _) => MetricStatus::Regressed,
        (true, _, true) => MetricStatus::Improved,
        _ => MetricStatus::Unchanged,
    }
}

struct Entry<'a> {
    id: &'a str,
    unit: &'a str,
    base: Option<&'a Metric>,
    new: Option<&'a Metric>,
    base_samples: Option<&'a [f64]>,
    new_samples: Option<&'a [f64]>,
}

fn compare_entry(
    e: &Entry<'_>,
    better: Option<Better>,
    settings: &CompareSettings,
) -> MetricChange {
    let mut out = MetricChange {
        id: e.id.to_string(),
        unit: e.unit.to_string(),
        better,
        baseline: e.base.and_then(|m| m.value),
        new: e.new.and_then(|m| m.value),
        ratio: None,
        ci: None,
        method: "point".into(),
        status: MetricStatus::NotJudged,
        note: None,
        reason: None,
    };
    // A samples series without a metric of its id: its medians stand for the values.
    let series = e.base.is_none() && e.new.is_none();
    if series {
        out.method = "per-iteration series".into();
        out.baseline = e.base_samples.and_then(|s| quantile_linear(s, 0.5).ok());
        out.new = e.new_samples.and_then(|s| quantile_linear(s, 0.5).ok());
    }
    let (b, n) = match (out.baseline, out.new) {
        (Some(b), Some(n)) => (b, n),
        (None, _) if e.base.is_none() && !series => {
            out.note = Some("only in the new scorecard".into());
            return out;
        }
        (_, None) if e.new.is_none() && !series => {
            out.note = Some("only in the baseline".into());
            return out;
        }
        (b, n) => {
            let why = |m: Option<&Metric>| {
                m.and_then(|m| m.reason.clone())
                    .filter(|r| !r.trim().is_empty())
            };
            let (note, reason) = match (b, n) {
                (None, None) => ("not measured on either side", why(e.new).or(why(e.base))),
                (None, _) => ("not measured in the baseline", why(e.base)),
                _ => ("not measured in the new run", why(e.new)),
            };
            out.note = Some(note.into());
            out.reason = reason;
            return out;
        }
    };
    out.ratio = (b != 0.0).then(|| n / b);
    let Some(better) = better else {
        out.note = Some(format!(
            "which direction is better is unknown for unit `{}`",
            e.unit
        ));
        return out;
    };
    if e.unit == "bool" {
        out.method = "exact".into();
        out.status = if n == b {
            MetricStatus::Unchanged
        } else if (n > b) == (better == Better::Higher) {
            MetricStatus::Improved
        } else {
            MetricStatus::Regressed
        };
        return out;
    }
    if let (Some(bs), Some(ns)) = (e.base_samples, e.new_samples)
        && bs.len() >= 2
        && ns.len() >= 2
        && let Some((ratio, ci)) = bootstrap_ratio(bs, ns, settings, seed_for(settings.seed, e.id))
    {
        out.method = format!(
            "bootstrap ratio of medians ({} vs {} iterations)",
            bs.len(),
            ns.len()
        );
        out.ratio = Some(ratio);
        out.ci = Some(ci);
        let significant = ci[0] > 1.0 || ci[1] < 1.0;
        out.status = judge(better, ratio, significant, settings.noise);
        return out;
    }
    let Some(ratio) = out.ratio else {
        out.status = if n == b {
            MetricStatus::Unchanged
        } else {
            MetricStatus::NotJudged
        };
        if n != b {
            out.note = Some("baseline value is 0: no ratio".into());
        }
        return out;
    };
    match (e.base.and_then(|m| m.ci95), e.new.and_then(|m| m.ci95)) {
        (Some([bl, bh]), Some([nl, nh])) => {
            out.method = "own 95% intervals (disjoint = significant)".into();
            let disjoint = nh < bl || nl > bh;
            out.status = judge(better, ratio, disjoint, settings.noise);
        }
        _ => {
            out.method = "point values (no interval)".into();
            out.status = judge(better, ratio, true, settings.noise);
        }
    }
    out
}

/// The unit shared by every metric named `<key>.…`, for a samples series without a metric
/// of its own id.
fn series_unit<'a>(metrics: &'a BTreeMap<String, Metric>, key: &str) -> &'a str {
    let prefix = format!("{key}.");
    let units: BTreeSet<&str> = metrics
        .iter()
        .filter(|(id, _)| id.starts_with(&prefix))
        .map(|(_, m)| m.unit.as_str())
        .collect();
    match units.len() {
        1 => units.into_iter().next().unwrap_or(""),
        _ => "",
    }
}

/// Compares `new` with `baseline`. `better(id, unit)` says which direction is better for a
/// metric (from the direction catalogue, else [`unit_rule`]). Errors when the suites differ.
pub fn compare(
    baseline: &Scorecard,
    new: &Scorecard,
    better: &dyn Fn(&str, &str) -> Option<Better>,
    settings: &CompareSettings,
) -> Result<Comparison, CompareError> {
    if !(settings.noise.is_finite() && (0.0..1.0).contains(&settings.noise)) {
        return Err(CompareError::Settings(format!(
            "noise = {}: expected a fraction in [0, 1), e.g. 0.05 for 5 %",
            settings.noise
        )));
    }
    if !(settings.confidence > 0.0 && settings.confidence < 1.0) || settings.resamples == 0 {
        return Err(CompareError::Settings(
            "confidence must lie in (0, 1) and resamples be at least 1".into(),
        ));
    }
    let suite = |s: &Scorecard| format!("{}@{}", s.pins.suite.id, s.pins.suite.version);
    if suite(baseline) != suite(new) {
        return Err(CompareError::DifferentSuite {
            baseline: suite(baseline),
            new: suite(new),
        });
    }
    let coverage = coverage(baseline, new);
    let ids: BTreeSet<&String> = baseline.metrics.keys().chain(new.metrics.keys()).collect();
    let mut metrics = Vec::new();
    for id in &ids {
        let (b, n) = (baseline.metrics.get(*id), new.metrics.get(*id));
        let unit = b.or(n).map(|m| m.unit.as_str()).unwrap_or("");
        let e = Entry {
            id,
            unit,
            base: b,
            new: n,
            base_samples: baseline.samples.get(*id).map(Vec::as_slice),
            new_samples: new.samples.get(*id).map(Vec::as_slice),
        };
        let m = compare_entry(&e, better(id, unit), settings);
        metrics.push(restrict(m, b.is_some(), n.is_some(), coverage.as_ref()));
    }
    let keys: BTreeSet<&String> = baseline.samples.keys().chain(new.samples.keys()).collect();
    for key in keys.into_iter().filter(|k| !ids.contains(k)) {
        let unit = match series_unit(&baseline.metrics, key) {
            "" => series_unit(&new.metrics, key),
            u => u,
        };
        let (bs, ns) = (baseline.samples.get(key), new.samples.get(key));
        let e = Entry {
            id: key,
            unit,
            base: None,
            new: None,
            base_samples: bs.map(Vec::as_slice),
            new_samples: ns.map(Vec::as_slice),
        };
        let m = compare_entry(&e, better(key, unit), settings);
        metrics.push(restrict(m, bs.is_some(), ns.is_some(), coverage.as_ref()));
    }
    let names: BTreeSet<&String> = baseline.digests.keys().chain(new.digests.keys()).collect();
    let digests: Vec<DigestChange> = names
        .into_iter()
        .map(|name| {
            let (b, n) = (baseline.digests.get(name), new.digests.get(name));
            let status = match (b, n) {
                (Some(x), Some(y)) if x == y => DigestStatus::Same,
                (Some(_), Some(_)) => DigestStatus::Changed,
                (Some(_), None) if coverage.is_some() && !ran(new, workload_of(name)) => {
                    DigestStatus::NotRun
                }
                (Some(_), None) => DigestStatus::Missing,
                _ => DigestStatus::Added,
            };
            DigestChange {
                name: name.clone(),
                baseline: b.cloned(),
                new: n.cloned(),
                status,
            }
        })
        .collect();
    let mut coverage = coverage;
    if let Some(c) = coverage.as_mut() {
        c.aggregates = metrics
            .iter()
            .filter(|m| m.note.as_deref() == Some(DIFFERENT_SETS))
            .map(|m| m.id.clone())
            .collect();
        let judged = metrics.iter().any(|m| m.status != MetricStatus::NotJudged)
            || digests
                .iter()
                .any(|d| matches!(d.status, DigestStatus::Same | DigestStatus::Changed));
        if !judged {
            return Err(CompareError::NothingInCommon {
                baseline: side(baseline).coverage(),
                new: side(new).coverage(),
            });
        }
    }
    Ok(Comparison {
        suite: suite(baseline),
        baseline: side(baseline),
        new: side(new),
        noise: settings.noise,
        confidence: settings.confidence,
        same_scorecard: baseline.id.is_some() && baseline.id == new.id,
        coverage,
        differences: differences(baseline, new),
        metrics,
        digests,
    })
}

/// The note of a metric that is an aggregate over runs of different sample sets.
const DIFFERENT_SETS: &str = "computed over different sample sets";

/// The workload a digest stands for: `output.gemm-f32-64` names `gemm-f32-64`.
fn workload_of(digest: &str) -> &str {
    digest.split_once('.').map_or(digest, |(_, w)| w)
}

/// Whether metric (or series) `id` belongs to workload `w`: `w` is one or more whole
/// dot-separated parts of `id`, as in `kernel.gemm-f32-64.latency`.
fn tied(id: &str, w: &str) -> bool {
    id == w
        || id.starts_with(&format!("{w}."))
        || id.ends_with(&format!(".{w}"))
        || id.contains(&format!(".{w}."))
}

/// Whether a scorecard ran workload `w`: it holds its digest, or a metric or series of it.
fn ran(sc: &Scorecard, w: &str) -> bool {
    sc.digests.keys().any(|d| workload_of(d) == w)
        || sc
            .metrics
            .keys()
            .chain(sc.samples.keys())
            .any(|id| tied(id, w))
}

/// `None` when both runs cover the same samples (same dataset, same shard); otherwise which
/// workloads each ran (the aggregates are filled in once the metrics are compared).
fn coverage(baseline: &Scorecard, new: &Scorecard) -> Option<Coverage> {
    let (p, q) = (&baseline.pins, &new.pins);
    if p.dataset.hash == q.dataset.hash && p.shard == q.shard {
        return None;
    }
    let all: BTreeSet<&str> = baseline
        .digests
        .keys()
        .chain(new.digests.keys())
        .map(|d| workload_of(d))
        .collect();
    let mut c = Coverage {
        common: vec![],
        only_baseline: vec![],
        only_new: vec![],
        aggregates: vec![],
    };
    for w in all {
        match (ran(baseline, w), ran(new, w)) {
            (true, true) => c.common.push(w.to_string()),
            (true, false) => c.only_baseline.push(w.to_string()),
            (false, true) => c.only_new.push(w.to_string()),
            (false, false) => {}
        }
    }
    Some(c)
}

/// Applies the coverage to one compared metric: when the sample sets differ, a metric of a
/// workload both ran stays judged; one present on both sides but tied to no common workload
/// (an aggregate) is not judged; one of a workload a side did not run says so.
fn restrict(
    mut m: MetricChange,
    in_base: bool,
    in_new: bool,
    coverage: Option<&Coverage>,
) -> MetricChange {
    let Some(c) = coverage else {
        return m;
    };
    let of = |list: &[String]| list.iter().find(|w| tied(&m.id, w)).cloned();
    if in_base && in_new {
        if of(&c.common).is_some() || m.status == MetricStatus::NotJudged {
            return m;
        }
        m.status = MetricStatus::NotJudged;
        m.ratio = None;
        m.ci = None;
        m.method = "not compared".into();
        m.note = Some(DIFFERENT_SETS.into());
    } else if let Some(w) = of(&c.only_baseline).filter(|_| in_base) {
        m.note = Some(format!("workload `{w}` not run in the new run"));
    } else if let Some(w) = of(&c.only_new).filter(|_| in_new) {
        m.note = Some(format!("workload `{w}` not run in the baseline"));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiebang_scorecard::{
        BackendPin, DatasetPin, HarnessPin, HostPin, Pins, QueryCounts, RunSummary, SuitePin,
        SutPin, TaskPin,
    };

    fn card(suite: &str, seconds: Vec<f64>) -> Scorecard {
        let med = quantile_linear(&seconds, 0.5).unwrap();
        let mut metrics = BTreeMap::new();
        metrics.insert(
            "kernel.g.latency".to_string(),
            Metric {
                value: Some(med),
                ci95: None,
                ci_method: None,
                n: seconds.len() as u64,
                unit: "s".into(),
                reason: None,
                self_reported: None,
            },
        );
        metrics.insert(
            "kernel.g.correct".to_string(),
            Metric {
                value: Some(1.0),
                ci95: Some([1.0, 1.0]),
                ci_method: None,
                n: 1,
                unit: "bool".into(),
                reason: None,
                self_reported: None,
            },
        );
        Scorecard {
            schema_version: jiebang_scorecard::SCHEMA_VERSION,
            id: Some("x".into()),
            pins: Pins {
                harness: HarnessPin {
                    version: "0.1.0".into(),
                    git_commit: None,
                },
                task: TaskPin {
                    direction: "nn-chip".into(),
                    crate_name: "c".into(),
                    version: "0.1.0".into(),
                },
                suite: SuitePin {
                    id: suite.into(),
                    version: 1,
                    hash: "h".into(),
                    source: "embedded".into(),
                },
                dataset: DatasetPin {
                    hash: "d".into(),
                    files: 1,
                    bytes: 1,
                    samples: 1,
                    generator: None,
                },
                sut: SutPin {
                    adapter: "builtin".into(),
                    name: "kernels".into(),
                    version: None,
                    command: None,
                    hash: "s".into(),
                    files: vec![],
                },
                backend: BackendPin {
                    kind: "cpu".into(),
                    device: "cpu".into(),
                    vendor: None,
                    api: None,
                    driver: None,
                    driver_info: None,
                    device_type: None,
                },
                host: HostPin {
                    os: "linux".into(),
                    arch: "x86_64".into(),
                    cpu: None,
                    threads: 2,
                },
                seed: 0,
                settings: BTreeMap::new(),
                declaration: None,
                round: None,
                shard: None,
                started_at: "2026-11-23T00:00:00Z".into(),
            },
            run: RunSummary {
                mode: "accuracy".into(),
                scenario: None,
                queries: QueryCounts::default(),
                duration_s: 1.0,
            },
            metrics,
            indicators: vec![],
            digests: [("output.g".to_string(), "aa".to_string())].into(),
            samples: [("kernel.g.latency".to_string(), seconds)].into(),
            signature: None,
        }
    }

    /// Deterministic jitter of ±3 % around `mean`.
    fn noisy(mean: f64, n: usize, phase: usize) -> Vec<f64> {
        (0..n)
            .map(|i| mean * (1.0 + 0.03 * (((i * 7 + phase) % 11) as f64 / 5.0 - 1.0)))
            .collect()
    }

    fn rule(_: &str, unit: &str) -> Option<Better> {
        unit_rule(unit)
    }

    fn status(c: &Comparison, id: &str) -> MetricStatus {
        c.metrics.iter().find(|m| m.id == id).unwrap().status
    }

    #[test]
    fn unchanged_runs_pass_and_a_20_percent_slowdown_regresses() {
        let s = CompareSettings::default();
        let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
        let b = card("nn-chip/kernels", noisy(1e-3, 20, 3));
        let c = compare(&a, &b, &rule, &s).unwrap();
        assert!(c.passed(), "{:?}", c.metrics);
        assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Unchanged);
        let slow = card("nn-chip/kernels", noisy(1.2e-3, 20, 5));
        let c = compare(&a, &slow, &rule, &s).unwrap();
        assert!(!c.passed());
        let m = c
            .metrics
            .iter()
            .find(|m| m.id == "kernel.g.latency")
            .unwrap();
        assert_eq!(m.status, MetricStatus::Regressed);
        let [lo, hi] = m.ci.unwrap();
        assert!(
            lo > 1.1 && hi < 1.3 && (m.ratio.unwrap() - 1.2).abs() < 0.05,
            "{m:?}"
        );
        // The same slowdown is an improvement the other way round.
        let c = compare(&slow, &a, &rule, &s).unwrap();
        assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Improved);
        assert!(c.passed());
    }

    #[test]
    fn a_small_significant_change_within_noise_is_not_a_regression() {
        let a = card("nn-chip/kernels", noisy(1e-3, 40, 0));
        let b = card("nn-chip/kernels", noisy(1.03e-3, 40, 0));
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        let m = c
            .metrics
            .iter()
            .find(|m| m.id == "kernel.g.latency")
            .unwrap();
        assert!(m.ci.unwrap()[0] > 1.0, "significant: {m:?}");
        assert_eq!(m.status, MetricStatus::Unchanged);
        let tight = CompareSettings {
            noise: 0.01,
            ..Default::default()
        };
        let c = compare(&a, &b, &rule, &tight).unwrap();
        assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Regressed);
    }

    #[test]
    fn digest_changes_and_correctness_losses_are_hard_failures() {
        let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
        let mut b = a.clone();
        b.digests.insert("output.g".into(), "ab".into());
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        assert!(!c.passed());
        assert_eq!(c.digest_failures().count(), 1);
        assert_eq!(c.regressions().count(), 0);
        let mut b = a.clone();
        b.digests.clear();
        b.metrics.get_mut("kernel.g.correct").unwrap().value = Some(0.0);
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        assert_eq!(c.digests[0].status, DigestStatus::Missing);
        assert_eq!(status(&c, "kernel.g.correct"), MetricStatus::Regressed);
    }

    #[test]
    fn different_suites_are_an_error_and_differing_pins_are_stated() {
        let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
        let b = card("nn-chip/cnn-rnn-lstm", noisy(1e-3, 20, 0));
        let e = compare(&a, &b, &rule, &CompareSettings::default()).unwrap_err();
        assert!(matches!(e, CompareError::DifferentSuite { .. }), "{e}");
        let mut b = a.clone();
        b.pins.dataset.hash = "other".into();
        b.pins.backend.driver_info = Some("Mesa 24".into());
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        assert!(c.differences.iter().any(|d| d.starts_with("dataset hash")));
        assert!(c.differences.iter().any(|d| d.contains("Mesa 24")));
        let bad = CompareSettings {
            noise: 1.5,
            ..Default::default()
        };
        assert!(compare(&a, &a, &rule, &bad).is_err());
    }

    #[test]
    fn missing_values_and_unknown_directions_are_not_judged() {
        let a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
        let mut b = a.clone();
        let m = b.metrics.get_mut("kernel.g.latency").unwrap();
        m.value = None;
        m.reason = Some("crashed".into());
        b.samples.clear();
        b.metrics.insert(
            "odd".into(),
            Metric {
                value: Some(1.0),
                ci95: None,
                ci_method: None,
                n: 1,
                unit: "widgets".into(),
                reason: None,
                self_reported: None,
            },
        );
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        let m = c
            .metrics
            .iter()
            .find(|m| m.id == "kernel.g.latency")
            .unwrap();
        assert_eq!(m.status, MetricStatus::NotJudged);
        assert_eq!(m.note.as_deref(), Some("not measured in the new run"));
        assert_eq!(m.reason.as_deref(), Some("crashed"));
        let o = c.metrics.iter().find(|m| m.id == "odd").unwrap();
        assert_eq!(o.note.as_deref(), Some("only in the new scorecard"));
        assert!(c.passed());
    }

    #[test]
    fn series_without_a_metric_use_the_unit_of_their_family() {
        let mut a = card("x/y", noisy(1e-3, 20, 0));
        let s = a.samples.remove("kernel.g.latency").unwrap();
        a.samples.insert("perf.latency".into(), s);
        a.metrics.insert(
            "perf.latency.p50".into(),
            a.metrics["kernel.g.latency"].clone(),
        );
        let mut b = a.clone();
        b.samples
            .insert("perf.latency".into(), noisy(1.5e-3, 20, 1));
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        let m = c.metrics.iter().find(|m| m.id == "perf.latency").unwrap();
        assert_eq!((m.unit.as_str(), m.status), ("s", MetricStatus::Regressed));
    }

    /// A card with workloads `g` (from [`card`]) and `h`, and an aggregate over both.
    fn two_workloads() -> Scorecard {
        let mut a = card("nn-chip/kernels", noisy(1e-3, 20, 0));
        for (k, v) in a.metrics.clone() {
            a.metrics.insert(k.replace(".g.", ".h."), v);
        }
        a.samples
            .insert("kernel.h.latency".into(), noisy(4e-3, 20, 1));
        a.digests.insert("output.h".into(), "hh".into());
        let mut agg = a.metrics["kernel.g.correct"].clone();
        agg.unit = "TFLOPS".into();
        agg.value = Some(1.0);
        agg.ci95 = Some([0.99, 1.01]);
        a.metrics.insert("throughput.f32".into(), agg);
        a.pins.dataset.samples = 2;
        a
    }

    /// `two_workloads` cut to workload `g`, on a smaller dataset, its aggregate 10x lower.
    fn only_g(a: &Scorecard) -> Scorecard {
        let mut b = a.clone();
        b.metrics.retain(|k, _| !k.contains(".h."));
        b.samples.remove("kernel.h.latency");
        b.digests.remove("output.h");
        let t = b.metrics.get_mut("throughput.f32").unwrap();
        t.value = Some(0.1);
        t.ci95 = Some([0.09, 0.11]);
        b.pins.dataset.hash = "smaller".into();
        b.pins.dataset.samples = 1;
        b.id = Some("y".into());
        b
    }

    #[test]
    fn different_sample_sets_compare_only_the_shared_workloads() {
        let a = two_workloads();
        let b = only_g(&a);
        // On the same dataset the aggregate's fall is a regression and `h` a missing digest.
        let mut same_set = b.clone();
        same_set.pins.dataset = a.pins.dataset.clone();
        let c = compare(&a, &same_set, &rule, &CompareSettings::default()).unwrap();
        assert!(c.coverage.is_none());
        assert_eq!(status(&c, "throughput.f32"), MetricStatus::Regressed);
        assert_eq!(c.digest_failures().count(), 1);

        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        assert!(c.passed(), "{:?}", c);
        let cov = c.coverage.as_ref().unwrap();
        assert_eq!(cov.common, ["g"]);
        assert_eq!(cov.only_baseline, ["h"]);
        assert_eq!(cov.aggregates, ["throughput.f32"]);
        assert_eq!(status(&c, "throughput.f32"), MetricStatus::NotJudged);
        assert_eq!(status(&c, "kernel.g.latency"), MetricStatus::Unchanged);
        assert_eq!(status(&c, "kernel.g.correct"), MetricStatus::Unchanged);
        let h = c
            .metrics
            .iter()
            .find(|m| m.id == "kernel.h.latency")
            .unwrap();
        assert_eq!(
            h.note.as_deref(),
            Some("workload `h` not run in the new run")
        );
        let d = c.digests.iter().find(|d| d.name == "output.h").unwrap();
        assert_eq!(d.status, DigestStatus::NotRun);
        assert!(
            c.differences
                .contains(&"samples: baseline 2, new 1".to_string())
        );

        // A shared workload's changed digest still fails, and so does a digest missing from a
        // workload the new run did run.
        let mut changed = b.clone();
        changed.digests.insert("output.g".into(), "zz".into());
        let c = compare(&a, &changed, &rule, &CompareSettings::default()).unwrap();
        assert_eq!(c.digest_failures().count(), 1);
        let mut no_digest = b.clone();
        no_digest.digests.clear();
        let c = compare(&a, &no_digest, &rule, &CompareSettings::default()).unwrap();
        let g = c.digests.iter().find(|d| d.name == "output.g").unwrap();
        assert_eq!(g.status, DigestStatus::Missing);
        assert!(!c.passed());
    }

    #[test]
    fn a_shard_is_a_different_sample_set_and_stated() {
        let a = two_workloads();
        let mut b = only_g(&a);
        b.pins.dataset = a.pins.dataset.clone();
        b.pins.shard = Some("1/2".into());
        let c = compare(&a, &b, &rule, &CompareSettings::default()).unwrap();
        assert!(
            c.differences
                .contains(&"shard: baseline none (whole dataset), new 1/2".to_string()),
            "{:?}",
            c.differences
        );
        assert_eq!(c.new.shard.as_deref(), Some("1/2"));
        assert_eq!(status(&c, "throughput.f32"), MetricStatus::NotJudged);
        assert!(c.passed());
    }

    #[test]
    fn different_sets_with_nothing_shared_are_an_error() {
        // Aggregates only (no digests name a workload), as in medical imaging.
        let mut a = two_workloads();
        a.digests.clear();
        a.samples.clear();
        a.metrics.retain(|k, _| k == "throughput.f32");
        let mut b = only_g(&a);
        b.metrics.retain(|k, _| k == "throughput.f32");
        let e = compare(&a, &b, &rule, &CompareSettings::default()).unwrap_err();
        assert!(matches!(e, CompareError::NothingInCommon { .. }), "{e}");
        let text = e.to_string();
        assert!(
            text.contains("2 samples, dataset d") && text.contains("1 samples, dataset smaller"),
            "{text}"
        );
        // The same dataset compares them.
        b.pins.dataset = a.pins.dataset.clone();
        assert!(compare(&a, &b, &rule, &CompareSettings::default()).is_ok());
    }

    #[test]
    fn a_scorecard_compared_with_itself_is_flagged_and_reasons_kept_apart() {
        let mut a = two_workloads();
        let reason = "energy not measurable: no RAPL";
        for id in ["kernel.g.efficiency", "kernel.h.efficiency"] {
            let mut m = a.metrics["kernel.g.correct"].clone();
            m.value = None;
            m.ci95 = None;
            m.unit = "TOPS/W".into();
            m.reason = Some(reason.into());
            a.metrics.insert(id.into(), m);
        }
        let c = compare(&a, &a, &rule, &CompareSettings::default()).unwrap();
        assert!(c.same_scorecard);
        let b = only_g(&a);
        assert!(
            !compare(&a, &b, &rule, &CompareSettings::default())
                .unwrap()
                .same_scorecard
        );
        let e = c
            .metrics
            .iter()
            .find(|m| m.id == "kernel.h.efficiency")
            .unwrap();
        assert_eq!(e.note.as_deref(), Some("not measured on either side"));
        assert_eq!(e.reason.as_deref(), Some(reason));
    }
}
