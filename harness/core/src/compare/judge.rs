//! Judging one metric: the ratio new/baseline with an interval (bootstrap over per-iteration
//! samples, the scorecards' own intervals, or point values), against the noise threshold.

use super::{CompareSettings, MetricChange, MetricStatus};
use jiebang_metrics::bootstrap::quantile_linear;
use jiebang_metrics::ratio::bootstrap_ratio;
use jiebang_scorecard::{Better, Metric};
use std::collections::{BTreeMap, BTreeSet};

/// A deterministic seed per metric id (FNV-1a), so a metric's interval does not depend on
/// which other metrics the scorecards hold.
fn seed_for(base: u64, id: &str) -> u64 {
    id.bytes().fold(base ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
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

/// One metric (or per-iteration series) as the two scorecards hold it.
pub(crate) struct Entry<'a> {
    pub id: &'a str,
    pub unit: &'a str,
    pub base: Option<&'a Metric>,
    pub new: Option<&'a Metric>,
    pub base_samples: Option<&'a [f64]>,
    pub new_samples: Option<&'a [f64]>,
}

/// Compares one metric; `better` comes from the catalogue (or the unit rule).
pub(crate) fn compare_entry(
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
    let convention = |m: Option<&Metric>| m.and_then(|m| m.convention.clone());
    let (bc, nc) = (convention(e.base), convention(e.new));
    if bc != nc {
        out.note = Some(format!(
            "computed under different conventions (baseline {}, new {}): the values are not comparable",
            bc.map_or("none stated".into(), |c| format!("`{c}`")),
            nc.map_or("none stated".into(), |c| format!("`{c}`"))
        ));
        return out;
    }
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
        && let Ok(r) = bootstrap_ratio(
            bs,
            ns,
            settings.resamples,
            settings.confidence,
            seed_for(settings.seed, e.id),
        )
    {
        out.method = format!(
            "bootstrap ratio of medians ({} vs {} iterations)",
            bs.len(),
            ns.len()
        );
        let (lo, hi) = r.interval.as_pair();
        out.ratio = Some(r.ratio);
        out.ci = Some([lo, hi]);
        let significant = lo > 1.0 || hi < 1.0;
        out.status = judge(better, r.ratio, significant, settings.noise);
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
pub(crate) fn series_unit<'a>(metrics: &'a BTreeMap<String, Metric>, key: &str) -> &'a str {
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
