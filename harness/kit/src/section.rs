//! A scorecard's metric section entry by entry (`metrics.ID`, `digests.NAME`, `samples.ID`
//! with their canonical JSON): which entries two scorecards disagree on, and how to show one.

use jiebang_scorecard::Scorecard;
use std::collections::{BTreeMap, BTreeSet};

fn canon<T: serde::Serialize>(v: &T) -> Vec<u8> {
    jiebang_scorecard::to_canonical_bytes(v).unwrap_or_default()
}

/// The metric section of a scorecard, entry by entry: `metrics.ID`, `digests.NAME`,
/// `samples.ID`, each with its canonical JSON.
pub fn section(sc: &Scorecard) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for (k, m) in &sc.metrics {
        out.insert(format!("metrics.{k}"), canon(m));
    }
    for (k, d) in &sc.digests {
        out.insert(format!("digests.{k}"), canon(d));
    }
    for (k, s) in &sc.samples {
        out.insert(format!("samples.{k}"), canon(s));
    }
    out
}

/// Entries of the metric sections of `a` and `b` that differ (or that only one has).
pub fn differing(a: &Scorecard, b: &Scorecard) -> BTreeSet<String> {
    let (x, y) = (section(a), section(b));
    x.keys()
        .chain(y.keys())
        .filter(|k| x.get(*k) != y.get(*k))
        .cloned()
        .collect()
}

/// Whether the section entry `entry` is a metric that the resumed run `resumed` declined to
/// measure (no value, with a reason) where the uninterrupted run `whole` measured it: a task
/// may withhold what an interruption keeps it from checking, but never change a value.
pub fn withheld(whole: &Scorecard, resumed: &Scorecard, entry: &str) -> bool {
    let Some(id) = entry.strip_prefix("metrics.") else {
        return false;
    };
    match (whole.metrics.get(id), resumed.metrics.get(id)) {
        (Some(w), Some(r)) => {
            w.value.is_some()
                && r.value.is_none()
                && r.reason
                    .as_deref()
                    .is_some_and(|why| !why.trim().is_empty())
        }
        _ => false,
    }
}

/// `entry = value` of a section entry for messages.
pub fn shown(sc: &Scorecard, entry: &str) -> String {
    let (kind, id) = entry.split_once('.').unwrap_or((entry, ""));
    let v = match kind {
        "metrics" => sc.metrics.get(id).map(serde_json::to_string),
        "digests" => sc.digests.get(id).map(serde_json::to_string),
        _ => sc.samples.get(id).map(serde_json::to_string),
    };
    match v {
        Some(Ok(text)) => text,
        _ => "(absent)".into(),
    }
}
