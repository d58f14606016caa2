//! Performance metrics of a timed pass: latency percentiles with distribution-free intervals,
//! MLPerf's early-stopping percentile estimate, throughput, and the server scenario's verdict
//! on its latency bound. A failed query counts as an infinitely slow one, never a fast one.

use super::session::SlotState;
use super::{Effective, Scenario};
use jiebang_scorecard::Metric;
use std::collections::BTreeMap;

/// Most per-query latencies copied into the scorecard's `samples` (every k-th query beyond).
pub const MAX_LATENCY_SAMPLES: usize = 10_000;

/// 97.5% point of the standard normal.
const Z95: f64 = 1.959_963_984_540_054;

/// Latencies of a pass sorted ascending, failed queries as `+inf` at the end.
pub(crate) struct Latencies {
    sorted: Vec<f64>,
    failed: usize,
}

impl Latencies {
    /// From per-query (latency seconds or `None` for a failure).
    pub(crate) fn new(lat: impl IntoIterator<Item = Option<f64>>) -> Self {
        let mut failed = 0;
        let mut sorted: Vec<f64> = lat
            .into_iter()
            .map(|l| {
                l.unwrap_or_else(|| {
                    failed += 1;
                    f64::INFINITY
                })
            })
            .collect();
        sorted.sort_by(f64::total_cmp);
        Self { sorted, failed }
    }

    fn n(&self) -> usize {
        self.sorted.len()
    }

    /// The `p` percentile as LoadGen reports it: the value at 0-based rank `floor(n·p)`.
    fn percentile(&self, p: f64) -> Option<f64> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let i = ((n as f64 * p).floor() as usize).min(n - 1);
        Some(self.sorted[i])
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
        (a.is_finite() && b.is_finite()).then_some([a, b])
    }

    fn metric(&self, p: f64) -> Metric {
        let n = self.n() as u64;
        match self.percentile(p) {
            Some(v) if v.is_finite() => Metric {
                value: Some(v),
                ci95: self.percentile_ci(p),
                ci_method: Some("order-statistic".into()),
                n,
                unit: "s".into(),
                reason: None,
            },
            Some(_) => not_measured(
                n,
                "s",
                format!(
                    "the percentile falls on failed queries ({} of {n} failed)",
                    self.failed
                ),
            ),
            None => not_measured(0, "s", "no timed queries".into()),
        }
    }
}

fn not_measured(n: u64, unit: &str, reason: String) -> Metric {
    Metric {
        value: None,
        ci95: None,
        ci_method: None,
        n,
        unit: unit.into(),
        reason: Some(reason),
    }
}

fn point(v: f64, n: u64, unit: &str) -> Metric {
    Metric {
        value: Some(v),
        ci95: None,
        ci_method: None,
        n,
        unit: unit.into(),
        reason: None,
    }
}

/// Probability of at most `t` over-latency queries among `h + t` when each query is within the
/// bound with probability `p`: `I_p(h, t + 1)` (LoadGen's early-stopping odds, tolerance 0).
fn odds(h: u64, t: u64, p: f64) -> f64 {
    jiebang_metrics::special::beta_inc(h as f64, t as f64 + 1.0, p).unwrap_or(1.0)
}

/// The fewest passing queries `h` such that seeing `t` failures among `h + t` queries rules
/// out, with confidence `c`, that the true `p` percentile is above the bound.
pub(crate) fn min_passing(t: u64, p: f64, c: f64) -> u64 {
    let passes = |h: u64| odds(h, t, p) < 1.0 - c;
    let mut hi = 1u64;
    while !passes(hi) {
        if hi > 1 << 50 {
            return u64::MAX / 4;
        }
        hi *= 2;
    }
    let mut lo = hi / 2;
    if lo == 0 {
        return hi;
    }
    // passes(hi) holds, passes(lo) does not.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if passes(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// MLPerf's early-stopping estimate of the `p` percentile with confidence `c`: the largest `t`
/// with `n >= min_passing(t) + t`, then the `t`-th largest latency. `Err(needed)` when fewer
/// than `needed` queries were run.
pub(crate) fn early_stopping_estimate(sorted: &[f64], p: f64, c: f64) -> Result<f64, u64> {
    let n = sorted.len() as u64;
    let h1 = min_passing(1, p, c);
    if n < h1 + 1 {
        return Err(h1 + 1);
    }
    let (mut lo, mut hi) = (1u64, n);
    // lo satisfies n >= min_passing(lo) + lo; find the largest such t.
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if n >= min_passing(mid, p, c).saturating_add(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(sorted[(n - lo) as usize])
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
    let duration = last.saturating_sub(first) as f64 / 1e9;
    m.insert("perf.duration".into(), point(duration, n, "s"));
    m.insert(
        "perf.min_duration_met".into(),
        point(
            f64::from(u8::from(duration >= eff.min_duration_s)),
            n,
            "bool",
        ),
    );
    let rate = if duration > 0.0 {
        point(answered.len() as f64 / duration, n, "qps")
    } else {
        not_measured(n, "qps", "the timed pass took no measurable time".into())
    };
    if scenario == Scenario::Offline {
        m.insert("perf.throughput".into(), rate);
        return (m, samples);
    }
    let lat = Latencies::new(
        queries
            .iter()
            .map(|q| (q.2 == SlotState::Answered).then(|| q.1.saturating_sub(q.0) as f64 / 1e9)),
    );
    for p in [0.5, 0.9, 0.99] {
        m.insert(format!("perf.latency.{}", pct_name(p)), lat.metric(p));
    }
    m.insert(
        "perf.latency.mean".into(),
        if lat.failed == 0 && n > 0 {
            point(lat.sorted.iter().sum::<f64>() / n as f64, n, "s")
        } else {
            not_measured(
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
            let metric = match early_stopping_estimate(&lat.sorted, p, c) {
                Ok(v) if v.is_finite() => point(v, n, "s"),
                Ok(_) => not_measured(n, "s", "the estimate falls on failed queries".into()),
                Err(need) => not_measured(
                    n,
                    "s",
                    format!("early stopping needs at least {need} queries; raise min_query_count"),
                ),
            };
            m.insert(name, metric);
            m.insert("perf.throughput".into(), rate);
        }
        Scenario::Server => {
            let bound = eff.server_latency_bound_s;
            let p = eff.server_percentile;
            let over = lat.sorted.iter().filter(|&&l| l > bound).count() as u64;
            let h = min_passing(over, p, c);
            let met = match lat.percentile(p) {
                Some(v) if v > bound => point(0.0, n, "bool"),
                Some(_) if n >= h.saturating_add(over) => point(1.0, n, "bool"),
                Some(_) => not_measured(
                    n,
                    "bool",
                    format!(
                        "the {} latency is within the bound, but early stopping needs {} more queries \
                         ({} over the bound so far) to show it at {c} confidence; raise min_query_count",
                        pct_name(p),
                        h.saturating_add(over) - n,
                        over
                    ),
                ),
                None => not_measured(0, "bool", "no timed queries".into()),
            };
            m.insert("perf.server.bound_met".into(), met);
            m.insert(
                "perf.server.over_bound".into(),
                point(over as f64, n, "queries"),
            );
            m.insert("perf.server.achieved_qps".into(), rate);
        }
        Scenario::Offline => {}
    }
    let step = answered.len().div_ceil(MAX_LATENCY_SAMPLES).max(1);
    let kept: Vec<f64> = answered
        .iter()
        .step_by(step)
        .map(|q| q.1.saturating_sub(q.0) as f64 / 1e9)
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
    fn early_stopping_matches_loadgen_figures() {
        // LoadGen's summaries report "Processed at least 64 queries" for the 90th percentile at
        // 99% confidence: h(1) = 63 passing queries.
        assert_eq!(min_passing(1, 0.9, 0.99) + 1, 64);
        // ...and "Would discard 172 highest latency queries" with 2048 queries (t = 173).
        let sorted: Vec<f64> = (0..2048).map(|i| i as f64).collect();
        let est = early_stopping_estimate(&sorted, 0.9, 0.99).unwrap();
        assert_eq!(est, (2048 - 173) as f64);
        assert_eq!(early_stopping_estimate(&sorted[..10], 0.9, 0.99), Err(64));
        // Two more summaries: 2116 queries discard 178, 2145 discard 181.
        for (n, discard) in [(2116u64, 178u64), (2145, 181)] {
            let sorted: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let est = early_stopping_estimate(&sorted, 0.9, 0.99).unwrap();
            assert_eq!(est, (n - discard - 1) as f64, "n = {n}");
        }
    }

    #[test]
    fn percentiles_and_intervals() {
        let lat = Latencies::new((1..=100).map(|i| Some(i as f64)));
        assert_eq!(lat.percentile(0.5), Some(51.0));
        assert_eq!(lat.percentile(0.99), Some(100.0));
        let [a, b] = lat.percentile_ci(0.5).unwrap();
        assert!(a < 51.0 && b > 51.0 && a >= 38.0 && b <= 64.0, "{a} {b}");
        let with_fail = Latencies::new((1..=10).map(|i| (i < 10).then_some(i as f64)));
        assert_eq!(with_fail.percentile(0.99), Some(f64::INFINITY));
        assert!(with_fail.metric(0.99).value.is_none());
        assert_eq!(with_fail.metric(0.5).value, Some(6.0));
    }

    #[test]
    fn percentile_names() {
        assert_eq!(pct_name(0.9), "p90");
        assert_eq!(pct_name(0.99), "p99");
        assert_eq!(pct_name(0.999), "p99.9");
    }
}
