//! Performance metrics of a timed pass: latency percentiles (LoadGen's definition, from
//! `jiebang_metrics::latency`) with distribution-free intervals, MLPerf's early-stopping
//! percentile estimate, throughput, and the server scenario's verdict on its latency bound.
//! A failed query counts as an infinitely slow one, never a fast one.

use super::session::SlotState;
use super::{Effective, Scenario};
use jiebang_metrics::MetricError;
use jiebang_metrics::latency::{
    PercentileMethod, early_stopping_estimate, percentile_of_sorted, server_early_stopping,
};
use jiebang_scorecard::{CiMethod, Metric};
use std::collections::BTreeMap;

/// Most per-query latencies copied into the scorecard's `samples` (every k-th query beyond).
pub const MAX_LATENCY_SAMPLES: usize = 10_000;

/// 97.5% point of the standard normal.
const Z95: f64 = 1.959_963_984_540_054;

/// The latency recorded for a failed query: above every real one.
const FAILED: u64 = u64::MAX;

/// Latencies of a pass in nanoseconds, sorted ascending, failed queries as [`FAILED`].
pub(crate) struct Latencies {
    sorted: Vec<u64>,
    failed: usize,
}

fn seconds(ns: u64) -> f64 {
    ns as f64 / 1e9
}

impl Latencies {
    /// From per-query latencies in ns, `None` for a failure.
    pub(crate) fn new(lat: impl IntoIterator<Item = Option<u64>>) -> Self {
        let mut failed = 0;
        let mut sorted: Vec<u64> = lat
            .into_iter()
            .map(|l| match l {
                Some(ns) => ns.min(FAILED - 1),
                None => {
                    failed += 1;
                    FAILED
                }
            })
            .collect();
        sorted.sort_unstable();
        Self { sorted, failed }
    }

    fn n(&self) -> usize {
        self.sorted.len()
    }

    /// The `p` percentile as LoadGen reports it (0-based index `floor(n·p)`).
    fn percentile(&self, p: f64) -> Option<u64> {
        percentile_of_sorted(&self.sorted, p, PercentileMethod::LoadGen).ok()
    }

    /// A distribution-free 95% interval for the `p` percentile: the order statistics at ranks
    /// `np ∓ z·sqrt(np(1-p))` (normal approximation of the binomial rank distribution).
    fn percentile_ci(&self, p: f64) -> Option<[f64; 2]> {
        let n = self.n() as f64;
        if n < 2.0 {
            return None;
        }
        let sd = (n * p * (1.0 - p)).sqrt();
        let lo = ((n * p - Z95 * sd).floor().max(1.0) as usize) - 1;
        let hi = ((n * p + Z95 * sd).ceil() + 1.0).min(n) as usize - 1;
        let (a, b) = (self.sorted[lo], self.sorted[hi]);
        (a != FAILED && b != FAILED).then(|| [seconds(a), seconds(b)])
    }

    fn metric(&self, p: f64) -> Metric {
        let n = self.n() as u64;
        match self.percentile(p) {
            // The method is recorded even where too few queries give no interval.
            Some(v) if v != FAILED => Metric {
                ci95: self.percentile_ci(p),
                ci_method: Some(CiMethod::OrderStatistic),
                ..Metric::point(seconds(v), n, "s")
            },
            Some(_) => Metric::not_measured(
                n,
                "s",
                format!(
                    "the percentile falls on failed queries ({} of {n} failed)",
                    self.failed
                ),
            ),
            None => Metric::not_measured(0, "s", "no timed queries"),
        }
    }
}

/// The metric id of a latency percentile, e.g. `perf.latency.p99` for 0.99.
pub fn latency_metric_id(p: f64) -> String {
    format!("perf.latency.{}", pct_name(p))
}

fn pct_name(p: f64) -> String {
    let x = p * 100.0;
    if (x - x.round()).abs() < 1e-9 {
        format!("p{}", x.round() as u64)
    } else {
        format!("p{}", format!("{x:.3}").trim_end_matches('0'))
    }
}

/// One query of a timed pass: issue and completion ns, final state.
pub(crate) type Timed = (u64, u64, SlotState);

/// The metrics and per-query latency samples of a timed pass.
pub(crate) fn metrics(
    eff: &Effective,
    queries: &[Timed],
) -> (BTreeMap<String, Metric>, BTreeMap<String, Vec<f64>>) {
    let mut m = BTreeMap::new();
    let mut samples = BTreeMap::new();
    let n = queries.len() as u64;
    let scenario = eff.scenario.unwrap_or(Scenario::SingleStream);
    let first = queries.iter().map(|q| q.0).min().unwrap_or(0);
    let last = queries.iter().map(|q| q.1).max().unwrap_or(0);
    let answered: Vec<&Timed> = queries
        .iter()
        .filter(|q| q.2 == SlotState::Answered)
        .collect();
    let duration = seconds(last.saturating_sub(first));
    m.insert("perf.duration".into(), Metric::point(duration, n, "s"));
    m.insert(
        "perf.min_duration_met".into(),
        Metric::point(
            f64::from(u8::from(duration >= eff.min_duration_s)),
            n,
            "bool",
        ),
    );
    let rate = if duration > 0.0 {
        Metric::point(answered.len() as f64 / duration, n, "qps")
    } else {
        Metric::not_measured(n, "qps", "the timed pass took no measurable time")
    };
    if scenario == Scenario::Offline {
        m.insert("perf.throughput".into(), rate);
        return (m, samples);
    }
    let lat = Latencies::new(
        queries
            .iter()
            .map(|q| (q.2 == SlotState::Answered).then(|| q.1.saturating_sub(q.0))),
    );
    for p in [0.5, 0.9, 0.99] {
        m.insert(latency_metric_id(p), lat.metric(p));
    }
    m.insert(
        "perf.latency.mean".into(),
        if lat.failed == 0 && n > 0 {
            let total: f64 = lat.sorted.iter().map(|&ns| seconds(ns)).sum();
            Metric::point(total / n as f64, n, "s")
        } else {
            Metric::not_measured(
                n,
                "s",
                format!(
                    "{} of {n} queries failed; a mean would leave them out",
                    lat.failed
                ),
            )
        },
    );
    let c = eff.early_stopping_confidence;
    match scenario {
        Scenario::SingleStream => {
            let p = eff.latency_percentile;
            let name = format!("perf.latency.{}_early_stopping", pct_name(p));
            let metric = match early_stopping_estimate(&lat.sorted, p, c, 0.0) {
                Ok(e) if e.estimate != FAILED => Metric::point(seconds(e.estimate), n, "s"),
                Ok(_) => Metric::not_measured(n, "s", "the estimate falls on failed queries"),
                Err(MetricError::InsufficientSamples { needed, .. }) => Metric::not_measured(
                    n,
                    "s",
                    format!(
                        "early stopping needs at least {needed} queries; raise min_query_count"
                    ),
                ),
                Err(e) => Metric::not_measured(n, "s", e.to_string()),
            };
            m.insert(name, metric);
            m.insert("perf.throughput".into(), rate);
        }
        Scenario::Server => {
            let bound_ns = (eff.server_latency_bound_s * 1e9) as u64;
            let p = eff.server_percentile;
            let es = server_early_stopping(&lat.sorted, bound_ns, p, c, 0.0);
            let met = match (lat.percentile(p), es) {
                (Some(v), _) if v > bound_ns => Metric::point(0.0, n, "bool"),
                (Some(_), Ok(es)) if es.passed => Metric::point(1.0, n, "bool"),
                (Some(_), Ok(es)) => Metric::not_measured(
                    n,
                    "bool",
                    format!(
                        "the {} latency is within the bound, but early stopping needs {} more \
                         queries ({} over the bound so far) to show it at {c} confidence; raise \
                         min_query_count",
                        pct_name(p),
                        es.required_queries.saturating_sub(n),
                        es.overlatency
                    ),
                ),
                (Some(_), Err(e)) => Metric::not_measured(n, "bool", e.to_string()),
                (None, _) => Metric::not_measured(0, "bool", "no timed queries"),
            };
            let over = lat.sorted.iter().filter(|&&l| l > bound_ns).count();
            m.insert("perf.server.bound_met".into(), met);
            m.insert(
                "perf.server.over_bound".into(),
                Metric::point(over as f64, n, "queries"),
            );
            m.insert("perf.server.achieved_qps".into(), rate);
        }
        Scenario::Offline => {}
    }
    let step = answered.len().div_ceil(MAX_LATENCY_SAMPLES).max(1);
    let kept: Vec<f64> = answered
        .iter()
        .step_by(step)
        .map(|q| seconds(q.1.saturating_sub(q.0)))
        .collect();
    if !kept.is_empty() {
        samples.insert("perf.latency".into(), kept);
    }
    (m, samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_intervals() {
        let lat = Latencies::new((1..=100).map(Some));
        assert_eq!(lat.percentile(0.5), Some(51));
        assert_eq!(lat.percentile(0.99), Some(100));
        let [a, b] = lat.percentile_ci(0.5).unwrap();
        assert!(
            a < 51e-9 && b > 51e-9 && a >= 38e-9 && b <= 64e-9,
            "{a} {b}"
        );
        let with_fail = Latencies::new((1..=10).map(|i| (i < 10).then_some(i)));
        assert_eq!(with_fail.percentile(0.99), Some(FAILED));
        assert!(with_fail.metric(0.99).value.is_none());
        assert_eq!(with_fail.metric(0.5).value, Some(6e-9));
    }

    #[test]
    fn early_stopping_figures_match_loadgen_summaries() {
        // LoadGen summaries of single-stream runs: 2048 queries "would discard 172 highest
        // latency queries"; 2116 discard 178; fewer than 64 give no estimate.
        for (n, discard) in [(2048u64, 172u64), (2116, 178)] {
            let lat = Latencies::new((0..n).map(Some));
            let e = early_stopping_estimate(&lat.sorted, 0.9, 0.99, 0.0).unwrap();
            assert_eq!(e.discarded, discard);
            assert_eq!(e.estimate, n - discard - 1);
        }
    }

    #[test]
    fn percentile_names() {
        assert_eq!(pct_name(0.9), "p90");
        assert_eq!(pct_name(0.99), "p99");
        assert_eq!(pct_name(0.999), "p99.9");
    }
}
