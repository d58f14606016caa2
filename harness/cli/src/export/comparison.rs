//! What several formats of a comparison report share: the one-line summary and the cells
//! (numbers, intervals, percentages, words) of the Markdown and JUnit reports.

use jiebang_core::compare::{Comparison, DigestStatus, MetricStatus};
use jiebang_scorecard::Better;
use std::fmt::Write as _;

/// The verdict in one line: pass or regression, counts, noise, and what was not comparable.
/// Unescaped: it quotes the suite id.
pub fn summary(c: &Comparison) -> String {
    let r = c.regressions().count();
    let d = c.digest_failures().count();
    let judged = c
        .metrics
        .iter()
        .filter(|m| m.status != MetricStatus::NotJudged)
        .count();
    let mut s = format!(
        "{}: {} — {r} regression(s), {d} digest failure(s), {judged} of {} metric(s) judged, noise {}",
        c.suite,
        if c.passed() { "PASS" } else { "REGRESSION" },
        c.metrics.len(),
        pct(c.noise)
    );
    if let Some(cov) = &c.coverage {
        let (b, n) = (c.baseline.samples_text(), c.new.samples_text());
        let sets = if b == n {
            format!("different datasets of {b}")
        } else {
            format!("different sample sets: baseline {b}, new {n}")
        };
        let _ = write!(
            s,
            "; {sets}, so only the {} workload(s) both ran are compared",
            cov.common.len()
        );
    }
    if c.same_scorecard {
        s.push_str("; both sides are the same scorecard, so nothing can differ");
    }
    s
}

/// A fraction as a percentage with at most two decimals: `5%`, `12.5%`.
pub fn pct(x: f64) -> String {
    let s = format!("{:.2}", x * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// A number with at most 4 decimals, or in scientific notation when very small or large.
pub fn num(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(0.0) => "0".into(),
        Some(x) if (1e-2..1e5).contains(&x.abs()) => {
            let s = format!("{x:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Some(x) => format!("{x:.3e}"),
    }
}

/// An interval with 4 decimals.
pub fn ci(c: Option<[f64; 2]>) -> String {
    c.map_or("—".into(), |[a, b]| format!("[{:.4}, {:.4}]", a, b))
}

/// Which way is better, in a word (`?` when unknown).
pub fn better_word(b: Option<Better>) -> &'static str {
    match b {
        Some(Better::Lower) => "lower",
        Some(Better::Higher) => "higher",
        None => "?",
    }
}

/// The first 16 hex digits of a scorecard id.
pub fn short(id: &Option<String>) -> String {
    id.as_deref()
        .map_or("—".into(), |s| s.chars().take(16).collect())
}

/// How a digest compares, in words.
pub fn digest_word(s: DigestStatus) -> &'static str {
    match s {
        DigestStatus::Same => "same",
        DigestStatus::Changed => "changed",
        DigestStatus::Missing => "missing in new",
        DigestStatus::Added => "only in new",
        DigestStatus::NotRun => "not run in new",
    }
}
