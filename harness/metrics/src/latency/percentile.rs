//! Exact latency percentiles.

use crate::error::{MetricError, Result};

/// Which order statistic a percentile is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentileMethod {
    /// MLPerf LoadGen's rule (`results.cc`): the element at 0-based index `⌊n·p⌋` of the
    /// ascending sort, for `0 <= p < 1`. It equals the nearest rank when `n·p` is not an
    /// integer and is one element higher when it is.
    LoadGen,
    /// Nearest rank: the smallest value with at least a fraction `p` of the values at or
    /// below it, i.e. 1-based rank `⌈n·p⌉` (rank 1 for `p = 0`), `0 <= p <= 1`. NumPy's
    /// `percentile(..., method="inverted_cdf")`.
    NearestRank,
}

/// The `p`-percentile (`p` as a fraction, 0.9 for p90) of ascending `sorted` latencies.
pub fn percentile_of_sorted(sorted: &[u64], p: f64, method: PercentileMethod) -> Result<u64> {
    let n = sorted.len();
    if n == 0 {
        return Err(MetricError::Empty { what: "latencies" });
    }
    let index = match method {
        PercentileMethod::LoadGen => {
            if !(0.0..1.0).contains(&p) {
                return Err(MetricError::InvalidInput {
                    what: "percentile",
                    detail: format!("{p} is outside [0, 1)"),
                });
            }
            ((n as f64 * p) as usize).min(n - 1)
        }
        PercentileMethod::NearestRank => {
            if !(0.0..=1.0).contains(&p) {
                return Err(MetricError::InvalidInput {
                    what: "percentile",
                    detail: format!("{p} is outside [0, 1]"),
                });
            }
            let nf = n as f64;
            let mut rank = (p * nf).ceil().max(1.0);
            // Undo a rounding error of p·n just above an integer (0.9·10 = 9.000000000000002).
            if rank > 1.0 && (rank - 1.0) / nf >= p {
                rank -= 1.0;
            }
            (rank as usize).min(n) - 1
        }
    };
    Ok(sorted[index])
}

/// The `p`-percentile of unsorted latencies (sorts a copy).
pub fn percentile(latencies: &[u64], p: f64, method: PercentileMethod) -> Result<u64> {
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    percentile_of_sorted(&sorted, p, method)
}

/// Summary of a latency sample in LoadGen's conventions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencySummary {
    /// Number of latencies.
    pub count: u64,
    /// Smallest latency.
    pub min: u64,
    /// Largest latency.
    pub max: u64,
    /// Integer mean (sum divided by count, truncated), as LoadGen reports it.
    pub mean: u64,
    /// LoadGen percentiles p50, p90, p95, p97, p99, p99.9.
    pub percentiles: [(f64, u64); 6],
}

/// Summary statistics with [`PercentileMethod::LoadGen`] percentiles.
pub fn latency_summary(latencies: &[u64]) -> Result<LatencySummary> {
    if latencies.is_empty() {
        return Err(MetricError::Empty { what: "latencies" });
    }
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let sum: u128 = sorted.iter().map(|&v| v as u128).sum();
    let mut percentiles = [(0.0, 0); 6];
    for (slot, p) in percentiles
        .iter_mut()
        .zip([0.5, 0.9, 0.95, 0.97, 0.99, 0.999])
    {
        *slot = (
            p,
            percentile_of_sorted(&sorted, p, PercentileMethod::LoadGen)?,
        );
    }
    Ok(LatencySummary {
        count: sorted.len() as u64,
        min: sorted[0],
        max: sorted[sorted.len() - 1],
        mean: (sum / sorted.len() as u128) as u64,
        percentiles,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_differ_only_at_integer_ranks() {
        let v: Vec<u64> = (1..=10).collect();
        assert_eq!(
            percentile(&v, 0.9, PercentileMethod::NearestRank).unwrap(),
            9
        );
        assert_eq!(percentile(&v, 0.9, PercentileMethod::LoadGen).unwrap(), 10);
        assert_eq!(
            percentile(&v, 0.85, PercentileMethod::NearestRank).unwrap(),
            9
        );
        assert_eq!(percentile(&v, 0.85, PercentileMethod::LoadGen).unwrap(), 9);
        assert_eq!(
            percentile(&v, 0.0, PercentileMethod::NearestRank).unwrap(),
            1
        );
        assert_eq!(
            percentile(&v, 1.0, PercentileMethod::NearestRank).unwrap(),
            10
        );
        assert!(percentile(&v, 1.0, PercentileMethod::LoadGen).is_err());
        assert!(percentile(&[], 0.5, PercentileMethod::LoadGen).is_err());
    }
}
