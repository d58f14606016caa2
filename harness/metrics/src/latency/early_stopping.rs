//! MLPerf LoadGen's early-stopping criterion (`early_stopping.cc`, `results.cc`), which turns
//! a finite run into a conservative bound on a latency percentile.
//!
//! Treat each query as a Bernoulli trial that is "over latency" with probability at most
//! `1 − p`. For `t` over-latency queries, `h` is the smallest number of under-latency
//! queries for which `P(at most t over | h + t queries, rate 1 − (p − d)) < 1 − c`
//! (the binomial CDF written as `I_{p−d}(h, t + 1)`), with confidence `c` (LoadGen: 0.99)
//! and tolerance `d` (LoadGen: 0). Single stream: with `n` queries, find the largest `t` such
//! that `n >= h(t) + t`; the estimate is the `t`-th largest latency (LoadGen "would discard
//! `t − 1` highest latency queries"). Server: with `t` queries above the target latency the
//! run passes when `n >= h(t) + t`.
//!
//! The computation follows LoadGen step by step — its series for the regularized incomplete
//! beta function (with its 2⁻³³ term tolerance), and its binary search whose bounds come
//! from the previous two results — so that the integers it produces are LoadGen's.

use std::collections::BTreeMap;

use crate::error::{MetricError, Result, check_open_unit};
use crate::special::ln_gamma;

fn lbeta(x: i64, y: i64) -> f64 {
    ln_gamma(x as f64) + ln_gamma(y as f64) - ln_gamma((x + y) as f64)
}

/// LoadGen's `hypergeometric_2F1_A1`: the Gauss series with a = 1, stopped when a term
/// falls to 2⁻³³ or below.
fn hypergeometric_2f1_a1(b: i64, c: i64, x: f64) -> f64 {
    let tolerance = 1.0 / (1u64 << 33) as f64;
    let mut term: f64 = 1.0;
    let mut result: f64 = 1.0;
    let mut i: i64 = 0;
    while term.abs() > tolerance {
        term *= (b + i) as f64 * x / (c + i) as f64;
        result += term;
        i += 1;
    }
    result
}

fn beta_regularized(x: f64, a: i64, b: i64) -> f64 {
    ((a as f64) * x.ln() + ((b - 1) as f64) * (1.0 - x).ln() - lbeta(a, b)).exp() / a as f64
        * hypergeometric_2f1_a1(1 - b, 1 + a, x / (x - 1.0))
}

fn odds(h: i64, t: i64, p: f64, d: f64) -> f64 {
    beta_regularized(p - d, h, 1 + t)
}

fn find_min_passing(mut min_h: i64, max_h: i64, t: i64, p: f64, d: f64, c: f64) -> i64 {
    let mut count = max_h - min_h;
    while count > 0 {
        let step = count / 2;
        let h = min_h + step;
        if odds(h, t, p, d) < 1.0 - c {
            count = step;
        } else {
            min_h = h + 1;
            count -= step + 1;
        }
    }
    min_h
}

/// LoadGen's `MinPassingQueriesFinder` for one `(p, d, c)`, with its cache.
struct MinPassingQueries {
    p: f64,
    d: f64,
    c: f64,
    cache: BTreeMap<i64, i64>,
}

impl MinPassingQueries {
    fn new(p: f64, d: f64, c: f64) -> Self {
        Self {
            p,
            d,
            c,
            cache: BTreeMap::new(),
        }
    }

    fn find(&mut self, t: i64) -> i64 {
        if let Some(&h) = self.cache.get(&t) {
            return h;
        }
        let (p, d, c) = (self.p, self.d, self.c);
        let (mut x0, mut y0, mut x1) = (-1i64, 0i64, 0i64);
        let mut y1 = ((1.0 - c).ln() / (p - d).ln()).ceil() as i64;
        let mut below = self.cache.range(..t).rev();
        if let Some((&k, &v)) = below.next() {
            x1 = k;
            y1 = v;
            if let Some((&k0, &v0)) = below.next() {
                x0 = k0;
                y0 = v0;
            }
        }
        let min_slope = (p - d) / (1.0 - p + d);
        let max_slope = ((y1 - y0) * (x1 - x0)) as f64;
        let min_h = ((t - x1) as f64 * min_slope + y1 as f64) as i64;
        let max_h = ((t - x1) as f64 * max_slope + y1 as f64 + 1.0) as i64;
        let h = find_min_passing(min_h, max_h, t, p, d, c);
        self.cache.insert(t, h);
        h
    }
}

fn check_parameters(percentile: f64, confidence: f64, tolerance: f64) -> Result<()> {
    check_open_unit("percentile", percentile)?;
    check_open_unit("confidence", confidence)?;
    if !(tolerance >= 0.0 && tolerance < percentile) {
        return Err(MetricError::InvalidInput {
            what: "tolerance",
            detail: format!("{tolerance} must be in [0, percentile)"),
        });
    }
    Ok(())
}

/// The single-stream early-stopping estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlyStoppingEstimate {
    /// Number of queries (latencies) processed.
    pub queries: u64,
    /// The fewest queries for which an estimate exists (LoadGen "Processed at least").
    pub min_queries: u64,
    /// Highest latencies discarded (`t − 1`).
    pub discarded: u64,
    /// The percentile bound: the `t`-th largest latency.
    pub estimate: u64,
}

/// LoadGen's single-stream early-stopping estimate of the `percentile` latency (fraction,
/// e.g. 0.9) with `confidence` (LoadGen: 0.99) and `tolerance` (LoadGen: 0.0).
/// Errors with [`MetricError::InsufficientSamples`] when fewer queries than
/// `min_queries` were run.
///
/// Cost grows with the square of the number of discarded queries (as in LoadGen); about a
/// second for 10⁵ queries at p90.
pub fn early_stopping_estimate(
    latencies: &[u64],
    percentile: f64,
    confidence: f64,
    tolerance: f64,
) -> Result<EarlyStoppingEstimate> {
    check_parameters(percentile, confidence, tolerance)?;
    let n = latencies.len() as i64;
    let mut finder = MinPassingQueries::new(percentile, tolerance, confidence);
    let h_min = finder.find(1);
    if n < h_min + 1 {
        return Err(MetricError::InsufficientSamples {
            metric: "early-stopping percentile estimate",
            needed: (h_min + 1) as u64,
            got: n as u64,
        });
    }
    let mut t = 1i64;
    for i in 2..=n {
        let h = finder.find(i);
        if n < h + i {
            t = i - 1;
            break;
        }
    }
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    Ok(EarlyStoppingEstimate {
        queries: n as u64,
        min_queries: (h_min + 1) as u64,
        discarded: (t - 1) as u64,
        estimate: sorted[(n - t) as usize],
    })
}

/// The server-scenario early-stopping verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerEarlyStopping {
    /// Queries whose latency exceeded the target.
    pub overlatency: u64,
    /// Queries needed for the run to pass with that many over-latency queries (`h + t`).
    pub required_queries: u64,
    /// Whether the run passed (`queries >= required_queries`).
    pub passed: bool,
}

/// LoadGen's server-scenario early-stopping check: `t` = latencies strictly above
/// `target_latency`; the run passes when `n >= h(t) + t`.
pub fn server_early_stopping(
    latencies: &[u64],
    target_latency: u64,
    percentile: f64,
    confidence: f64,
    tolerance: f64,
) -> Result<ServerEarlyStopping> {
    check_parameters(percentile, confidence, tolerance)?;
    if latencies.is_empty() {
        return Err(MetricError::Empty { what: "latencies" });
    }
    let t = latencies.iter().filter(|&&l| l > target_latency).count() as i64;
    let h = MinPassingQueries::new(percentile, tolerance, confidence).find(t);
    Ok(ServerEarlyStopping {
        overlatency: t as u64,
        required_queries: (h + t) as u64,
        passed: latencies.len() as i64 >= h + t,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_queries_is_an_insufficient_samples_error() {
        let lat: Vec<u64> = (0..10).collect();
        match early_stopping_estimate(&lat, 0.9, 0.99, 0.0) {
            Err(MetricError::InsufficientSamples { needed, got, .. }) => {
                assert_eq!(got, 10);
                assert!(needed > 10);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn estimate_is_conservative() {
        let lat: Vec<u64> = (1..=2000).collect();
        let e = early_stopping_estimate(&lat, 0.9, 0.99, 0.0).unwrap();
        // The bound is above the plain p90 (1801) and below the maximum.
        assert!(e.estimate > 1801 && e.estimate < 2000, "{e:?}");
    }
}
