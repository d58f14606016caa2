//! Paired significance tests between two recognisers scored on the same utterances.
//!
//! Two tests are offered; neither reproduces sclite's `sc_stats` segmentation:
//! - [`matched_pairs_test`]: the statistic of the matched-pair sentence-segment word error
//!   test (MAPSSWE, Gillick & Cox 1989) with whole utterances as the segments: the
//!   per-utterance differences in error counts, their mean over their standard error,
//!   referred to the standard normal distribution (two-sided). sclite instead cuts
//!   utterances into shorter segments bounded by words both systems got right.
//! - [`paired_bootstrap`]: Bisani & Ney (2004) — resample utterances (seeded), recompute
//!   both corpus error rates on each resample, and report the interval of the difference
//!   and the probability that system B is better.

use super::align::EditCounts;
use crate::bootstrap::{BootstrapSettings, Units, bootstrap};
use crate::error::{MetricError, Result, check_same_len};
use crate::estimate::Interval;
use crate::special::normal_sf;

/// Result of the matched-pairs test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchedPairsTest {
    /// Number of utterances.
    pub n: u64,
    /// Mean of `errors_A − errors_B` per utterance.
    pub mean_difference: f64,
    /// Sample standard deviation (divisor `n − 1`) of the differences.
    pub std_dev: f64,
    /// `mean / (std_dev / √n)`; `±inf` when every difference is the same non-zero value.
    pub z: f64,
    /// Two-sided p-value `2·(1 − Φ(|z|))`.
    pub p_value: f64,
}

/// Matched-pairs test on per-utterance error counts of systems A and B (same utterances,
/// same order). Errors: different lengths or fewer than two utterances.
pub fn matched_pairs_test(a: &[EditCounts], b: &[EditCounts]) -> Result<MatchedPairsTest> {
    check_same_len("per-utterance counts of A and B", a.len(), b.len())?;
    if a.len() < 2 {
        return Err(MetricError::Undefined {
            metric: "matched-pairs test",
            reason: "needs at least two utterances",
        });
    }
    let d: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.errors() as f64 - y.errors() as f64)
        .collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let std_dev = (d.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt();
    let (z, p_value) = if std_dev == 0.0 {
        if mean == 0.0 {
            (0.0, 1.0)
        } else {
            (mean.signum() * f64::INFINITY, 0.0)
        }
    } else {
        let z = mean / (std_dev / n.sqrt());
        (z, (2.0 * normal_sf(z.abs())).min(1.0))
    };
    Ok(MatchedPairsTest {
        n: a.len() as u64,
        mean_difference: mean,
        std_dev,
        z,
        p_value,
    })
}

/// Result of the paired bootstrap.
#[derive(Debug, Clone, PartialEq)]
pub struct PairedBootstrap {
    /// `rate_A − rate_B` on the full data (positive: B makes fewer errors).
    pub difference: f64,
    /// Bootstrap interval of the difference.
    pub interval: Interval,
    /// Fraction of replicates in which B's error rate is lower than A's
    /// (Bisani & Ney's "probability of improvement").
    pub probability_b_better: f64,
    /// Replicates used.
    pub replicates: usize,
}

fn rate(counts: &[EditCounts], idx: &[usize]) -> Result<f64> {
    let (mut errors, mut reference) = (0u64, 0u64);
    for &i in idx {
        errors += counts[i].errors();
        reference += counts[i].reference_len();
    }
    if reference == 0 {
        return Err(MetricError::Undefined {
            metric: "error rate",
            reason: "no reference tokens in the resample",
        });
    }
    Ok(errors as f64 / reference as f64)
}

/// Paired bootstrap of the corpus error-rate difference between systems A and B.
/// Errors: different lengths, no utterances, no reference tokens.
pub fn paired_bootstrap(
    a: &[EditCounts],
    b: &[EditCounts],
    settings: &BootstrapSettings,
) -> Result<PairedBootstrap> {
    check_same_len("per-utterance counts of A and B", a.len(), b.len())?;
    if a.iter()
        .zip(b)
        .any(|(x, y)| x.reference_len() != y.reference_len())
    {
        return Err(MetricError::InvalidInput {
            what: "per-utterance counts",
            detail: "A and B disagree on a reference length, so they were not scored on the same utterances".into(),
        });
    }
    let statistic = |idx: &[usize]| -> Result<f64> { Ok(rate(a, idx)? - rate(b, idx)?) };
    let result = bootstrap(&Units::samples(a.len()), statistic, settings)?;
    let better = result.replicates.iter().filter(|&&d| d > 0.0).count();
    Ok(PairedBootstrap {
        difference: result.estimate,
        interval: result.interval,
        probability_b_better: better as f64 / result.replicates.len() as f64,
        replicates: result.replicates.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(errors: u64, len: u64) -> EditCounts {
        EditCounts {
            hits: len - errors,
            substitutions: errors,
            deletions: 0,
            insertions: 0,
        }
    }

    #[test]
    fn identical_systems_are_not_different() {
        let a: Vec<EditCounts> = (0..20).map(|i| e(i % 3, 10)).collect();
        let t = matched_pairs_test(&a, &a).unwrap();
        assert_eq!((t.z, t.p_value), (0.0, 1.0));
        let p = paired_bootstrap(
            &a,
            &a,
            &BootstrapSettings {
                resamples: 100,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.difference, 0.0);
        assert_eq!(p.probability_b_better, 0.0);
    }

    #[test]
    fn a_clearly_better_system_is_detected() {
        let a: Vec<EditCounts> = (0..50).map(|i| e(3 + i % 2, 10)).collect();
        let b: Vec<EditCounts> = (0..50).map(|i| e(i % 2, 10)).collect();
        let t = matched_pairs_test(&a, &b).unwrap();
        assert!(t.z.is_infinite() && t.p_value == 0.0);
        let p = paired_bootstrap(
            &a,
            &b,
            &BootstrapSettings {
                resamples: 200,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(p.interval.lo > 0.0 && p.probability_b_better == 1.0);
    }
}
