//! The ratio of two medians, `median(new) / median(baseline)`, with a bootstrap percentile
//! interval: how much a per-iteration timing series changed between two runs.

use crate::bootstrap::{Units, percentile_interval, quantile_linear, resample_indices};
use crate::error::{MetricError, Result};
use crate::estimate::Interval;

/// Stream offset of the new side's resamples, so the two sides draw independently.
const NEW_SIDE_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;

/// A ratio of medians and its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// `median(new) / median(baseline)` on the full data.
    pub ratio: f64,
    /// Percentile interval of the replicate ratios.
    pub interval: Interval,
}

/// `median(new) / median(baseline)` with its bootstrap percentile interval at `confidence`:
/// each side is resampled independently with replacement, `resamples` times, replicate `r`
/// drawing the baseline from stream `r` of `seed` and the new side from stream `r` of a
/// fixed offset of `seed`. Replicates whose baseline median is 0 are left out.
///
/// Errors: an empty side, a baseline median of 0, no replicate with a ratio, or a
/// confidence outside (0, 1).
pub fn bootstrap_ratio(
    baseline: &[f64],
    new: &[f64],
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Result<Ratio> {
    let median = |v: &[f64]| quantile_linear(v, 0.5);
    let (mb, mn) = (median(baseline)?, median(new)?);
    if mb == 0.0 {
        return Err(MetricError::Undefined {
            metric: "ratio of medians",
            reason: "the baseline median is 0",
        });
    }
    let (ub, un) = (Units::samples(baseline.len()), Units::samples(new.len()));
    let (mut ib, mut inew) = (Vec::new(), Vec::new());
    let (mut rb, mut rn) = (Vec::new(), Vec::new());
    let mut replicates = Vec::with_capacity(resamples);
    for r in 0..resamples as u64 {
        resample_indices(&ub, seed, r, &mut ib);
        resample_indices(&un, seed ^ NEW_SIDE_STREAM, r, &mut inew);
        rb.clear();
        rb.extend(ib.iter().map(|&i| baseline[i]));
        rn.clear();
        rn.extend(inew.iter().map(|&i| new[i]));
        if let (Ok(b), Ok(n)) = (median(&rb), median(&rn))
            && b != 0.0
        {
            replicates.push(n / b);
        }
    }
    Ok(Ratio {
        ratio: mn / mb,
        interval: percentile_interval(&replicates, confidence)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic ±3 % jitter around `mean`.
    fn jitter(mean: f64, n: usize, phase: usize) -> Vec<f64> {
        (0..n)
            .map(|i| mean * (1.0 + 0.03 * (((i * 7 + phase) % 11) as f64 / 5.0 - 1.0)))
            .collect()
    }

    #[test]
    fn a_20_percent_slowdown_has_an_interval_around_1_2_and_is_reproducible() {
        let (a, b) = (jitter(1e-3, 20, 0), jitter(1.2e-3, 20, 5));
        let r = bootstrap_ratio(&a, &b, 2000, 0.95, 7).unwrap();
        assert!((r.ratio - 1.2).abs() < 0.05, "{r:?}");
        assert!(r.interval.lo > 1.1 && r.interval.hi < 1.3, "{r:?}");
        assert!(r.interval.contains(r.ratio), "{r:?}");
        assert_eq!(r, bootstrap_ratio(&a, &b, 2000, 0.95, 7).unwrap());
        // Unchanged series: the interval covers no change.
        let same = bootstrap_ratio(&a, &jitter(1e-3, 20, 3), 2000, 0.95, 7).unwrap();
        assert!(same.interval.contains(1.0), "{same:?}");
        // The other seed gives another, similar interval.
        let other = bootstrap_ratio(&a, &b, 2000, 0.95, 8).unwrap();
        assert!(
            (other.interval.lo - r.interval.lo).abs() < 0.02,
            "{other:?}"
        );
    }

    #[test]
    fn undefined_inputs_are_errors() {
        let a = jitter(1e-3, 5, 0);
        assert!(matches!(
            bootstrap_ratio(&[0.0, 0.0, 0.0], &a, 100, 0.95, 0),
            Err(MetricError::Undefined { .. })
        ));
        assert!(matches!(
            bootstrap_ratio(&[], &a, 100, 0.95, 0),
            Err(MetricError::Empty { .. })
        ));
        assert!(bootstrap_ratio(&a, &a, 100, 1.5, 0).is_err());
        assert!(bootstrap_ratio(&a, &a, 0, 0.95, 0).is_err());
    }
}
