//! Comparing a new scorecard with a baseline of the same suite: per metric the ratio new/baseline
//! with a bootstrap 95% interval from the per-iteration samples, judged against a noise
//! threshold; output digests that differ are hard failures; differing pins are stated. When the
//! runs cover different sample sets (dataset, `--samples`, `--shard`), only the workloads both
//! ran are judged; aggregates over the whole set are listed as not judged.
//!
//! Which way is better and which workload a metric or digest belongs to come from the
//! direction's catalogue ([`Catalogue`]); a metric it does not describe takes its better
//! direction from its unit ([`UnitRule`]) and counts as an aggregate. No metric name is
//! interpreted here.

mod catalogue;
mod coverage;
mod judge;
mod model;
mod sides;
#[cfg(test)]
mod tests;

pub use catalogue::{Catalogue, UnitRule};
pub use model::{
    CompareError, CompareSettings, Comparison, Coverage, DEFAULT_NOISE, DigestChange, DigestStatus,
    MetricChange, MetricStatus, Side,
};

use jiebang_scorecard::Scorecard;
use judge::{Entry, compare_entry, series_unit};
use std::collections::BTreeSet;

/// Compares `new` with `baseline` of the same suite. `catalogue` says which way is better for
/// each metric and which workload each metric and digest belongs to. Errors when the suites
/// differ, a setting is out of range, or runs of different sample sets share nothing.
pub fn compare(
    baseline: &Scorecard,
    new: &Scorecard,
    settings: &CompareSettings,
    catalogue: &Catalogue,
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
    let coverage = coverage::coverage(baseline, new, catalogue);
    let new_ran = coverage::workloads(new, catalogue);
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
        let m = compare_entry(&e, catalogue.better(id, unit), settings);
        metrics.push(coverage::restrict(
            m,
            b.is_some(),
            n.is_some(),
            coverage.as_ref(),
            catalogue,
        ));
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
        let m = compare_entry(&e, catalogue.better(key, unit), settings);
        metrics.push(coverage::restrict(
            m,
            bs.is_some(),
            ns.is_some(),
            coverage.as_ref(),
            catalogue,
        ));
    }
    let names: BTreeSet<&String> = baseline.digests.keys().chain(new.digests.keys()).collect();
    let digests: Vec<DigestChange> = names
        .into_iter()
        .map(|name| {
            let (b, n) = (baseline.digests.get(name), new.digests.get(name));
            let status = match (b, n) {
                (Some(x), Some(y)) if x == y => DigestStatus::Same,
                (Some(_), Some(_)) => DigestStatus::Changed,
                (Some(_), None)
                    if coverage.is_some() && !new_ran.contains(catalogue.digest_workload(name)) =>
                {
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
            .filter(|m| m.note.as_deref() == Some(coverage::DIFFERENT_SETS))
            .map(|m| m.id.clone())
            .collect();
        let judged = metrics.iter().any(|m| m.status != MetricStatus::NotJudged)
            || digests
                .iter()
                .any(|d| matches!(d.status, DigestStatus::Same | DigestStatus::Changed));
        if !judged {
            return Err(CompareError::NothingInCommon {
                baseline: sides::side(baseline).coverage(),
                new: sides::side(new).coverage(),
            });
        }
    }
    Ok(Comparison {
        suite: suite(baseline),
        baseline: sides::side(baseline),
        new: sides::side(new),
        noise: settings.noise,
        confidence: settings.confidence,
        same_scorecard: baseline.id.is_some() && baseline.id == new.id,
        coverage,
        differences: sides::differences(baseline, new),
        metrics,
        digests,
    })
}
