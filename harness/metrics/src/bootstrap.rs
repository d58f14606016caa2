//! Seeded bootstrap confidence intervals for any metric: percentile and BCa intervals,
//! resampling single samples or whole clusters (case, speaker, identity) when samples cluster.
//!
//! Reproducible: replicate `r` draws from its own ChaCha8 stream (`seed`, stream `r`), so the
//! result depends only on the seed, never on threading or call order.

use std::collections::HashMap;
use std::hash::Hash;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{MetricError, Result, check_open_unit};
use crate::estimate::Interval;
use crate::special::{normal_cdf, normal_quantile};

/// How the interval is read off the bootstrap distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootstrapMethod {
    /// The `α/2` and `1 − α/2` quantiles of the replicates.
    Percentile,
    /// Bias-corrected and accelerated (Efron 1987; Efron & Tibshirani 1993 §14.3), with the
    /// acceleration from a leave-one-unit-out jackknife. Same formulas as SciPy's
    /// `scipy.stats.bootstrap(method="BCa")`.
    Bca,
}

/// Settings of a bootstrap run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapSettings {
    /// Number of bootstrap replicates.
    pub resamples: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// Two-sided confidence level, e.g. 0.95.
    pub confidence: f64,
    /// Interval method.
    pub method: BootstrapMethod,
}

impl Default for BootstrapSettings {
    fn default() -> Self {
        Self {
            resamples: 2000,
            seed: 0,
            confidence: 0.95,
            method: BootstrapMethod::Percentile,
        }
    }
}

/// The units that are resampled with replacement; each unit holds the indices of the
/// samples that belong to it (one sample per unit, or all samples of one cluster).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Units {
    members: Vec<Vec<usize>>,
}

impl Units {
    /// Every sample is its own unit (ordinary bootstrap over `n` samples).
    pub fn samples(n: usize) -> Self {
        Self {
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }

    /// Samples with equal keys form one unit (cluster bootstrap: resample whole cases,
    /// speakers or identities). Units are ordered by the first appearance of their key.
    pub fn clusters<K: Hash + Eq>(keys: &[K]) -> Self {
        let mut index: HashMap<&K, usize> = HashMap::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let unit = *index.entry(k).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[unit].push(i);
        }
        Self { members }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The sample indices of unit `u`.
    pub fn members(&self, u: usize) -> &[usize] {
        &self.members[u]
    }

    fn all_indices(&self) -> Vec<usize> {
        self.members.iter().flatten().copied().collect()
    }
}

/// The result of a bootstrap run.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapResult {
    /// The statistic on the full data.
    pub estimate: f64,
    /// The confidence interval.
    pub interval: Interval,
    /// The replicate values, in replicate order (failed replicates left out).
    pub replicates: Vec<f64>,
    /// Replicates whose resample had no defined statistic (for example a resample without
    /// positive cases for a sensitivity); they are left out of the interval.
    pub failed: usize,
    /// BCa bias correction `z0` and acceleration `a`, when BCa was used.
    pub bca: Option<(f64, f64)>,
}

/// The sample indices of replicate `r`: units drawn with replacement from stream `r`.
pub fn resample_indices(units: &Units, seed: u64, r: u64, out: &mut Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(r);
    out.clear();
    let k = units.len();
    for _ in 0..k {
        let u = rng.random_range(0..k);
        out.extend_from_slice(units.members(u));
    }
}

/// Bootstrap a statistic. `statistic` receives the sample indices of a resample (a
/// multiset: a drawn unit's samples appear once per draw) and returns the metric, or an
/// error when the metric is undefined on that resample.
///
/// Errors: no units, invalid settings, the statistic failing on the full data, every
/// replicate failing, or (BCa) a jackknife value failing or a degenerate distribution.
pub fn bootstrap<F>(
    units: &Units,
    mut statistic: F,
    settings: &BootstrapSettings,
) -> Result<BootstrapResult>
where
    F: FnMut(&[usize]) -> Result<f64>,
{
    if units.is_empty() {
        return Err(MetricError::Empty {
            what: "bootstrap units",
        });
    }
    check_open_unit("confidence", settings.confidence)?;
    if settings.resamples == 0 {
        return Err(MetricError::InvalidInput {
            what: "resamples",
            detail: "must be at least 1".into(),
        });
    }
    let estimate = statistic(&units.all_indices())?;
    let mut replicates = Vec::with_capacity(settings.resamples);
    let mut failed = 0;
    let mut indices = Vec::new();
    for r in 0..settings.resamples {
        resample_indices(units, settings.seed, r as u64, &mut indices);
        match statistic(&indices) {
            Ok(v) if v.is_finite() => replicates.push(v),
            _ => failed += 1,
        }
    }
    if replicates.is_empty() {
        return Err(MetricError::Undefined {
            metric: "bootstrap interval",
            reason: "every replicate failed",
        });
    }
    let (interval, bca) = match settings.method {
        BootstrapMethod::Percentile => {
            (percentile_interval(&replicates, settings.confidence)?, None)
        }
        BootstrapMethod::Bca => {
            let jackknife = jackknife_values(units, &mut statistic)?;
            let (interval, z0, a) =
                bca_interval(estimate, &replicates, &jackknife, settings.confidence)?;
            (interval, Some((z0, a)))
        }
    };
    Ok(BootstrapResult {
        estimate,
        interval,
        replicates,
        failed,
        bca,
    })
}

/// Leave-one-unit-out values of the statistic.
pub fn jackknife_values<F>(units: &Units, statistic: &mut F) -> Result<Vec<f64>>
where
    F: FnMut(&[usize]) -> Result<f64>,
{
    if units.len() < 2 {
        return Err(MetricError::Undefined {
            metric: "jackknife",
            reason: "needs at least two units",
        });
    }
    let mut indices = Vec::new();
    (0..units.len())
        .map(|left_out| {
            indices.clear();
            for u in (0..units.len()).filter(|&u| u != left_out) {
                indices.extend_from_slice(units.members(u));
            }
            statistic(&indices)
        })
        .collect()
}

/// The `q`-quantile of the values by linear interpolation between order statistics
/// (NumPy's default `method="linear"`, Hyndman & Fan type 7): with the values sorted,
/// `h = (n − 1)·q`, result `x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`.
pub fn quantile_linear(values: &[f64], q: f64) -> Result<f64> {
    if values.is_empty() {
        return Err(MetricError::Empty {
            what: "quantile input",
        });
    }
    if !(0.0..=1.0).contains(&q) {
        return Err(MetricError::InvalidInput {
            what: "quantile level",
            detail: format!("{q} is outside [0, 1]"),
        });
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(quantile_of_sorted(&sorted, q))
}

fn quantile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let t = h - lo as f64;
    if lo + 1 >= sorted.len() {
        return sorted[sorted.len() - 1];
    }
    let (a, b) = (sorted[lo], sorted[lo + 1]);
    // NumPy's lerp: evaluated from the nearer end for numerical symmetry.
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

/// Percentile interval: the `α/2` and `1 − α/2` linear quantiles of the replicates.
pub fn percentile_interval(replicates: &[f64], confidence: f64) -> Result<Interval> {
    check_open_unit("confidence", confidence)?;
    let alpha = (1.0 - confidence) / 2.0;
    Ok(Interval::new(
        quantile_linear(replicates, alpha)?,
        quantile_linear(replicates, 1.0 - alpha)?,
    ))
}

/// BCa interval from the full-data estimate, the bootstrap replicates and the jackknife
/// values. Returns the interval, the bias correction `z0` and the acceleration `a`.
///
/// `z0 = Φ⁻¹((#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B)`; with `Uᵢ = (n − 1)(θ̄₍.₎ − θ₍ᵢ₎)`,
/// `a = Σ Uᵢ³ / (6 (Σ Uᵢ²)^{3/2})`; the interval ends are the linear quantiles of the
/// replicates at `Φ(z0 + (z0 ± z)/(1 − a(z0 ± z)))`, `z = Φ⁻¹(α/2)`.
/// Errors when every replicate lies on one side of the estimate or the jackknife values are
/// all equal (the correction is then undefined).
pub fn bca_interval(
    estimate: f64,
    replicates: &[f64],
    jackknife: &[f64],
    confidence: f64,
) -> Result<(Interval, f64, f64)> {
    check_open_unit("confidence", confidence)?;
    if replicates.is_empty() || jackknife.len() < 2 {
        return Err(MetricError::Empty {
            what: "BCa replicates or jackknife values",
        });
    }
    let b = replicates.len() as f64;
    let below = replicates.iter().filter(|&&t| t < estimate).count() as f64;
    let at_or_below = replicates.iter().filter(|&&t| t <= estimate).count() as f64;
    let share = (below + at_or_below) / (2.0 * b);
    if !(share > 0.0 && share < 1.0) {
        return Err(MetricError::Undefined {
            metric: "BCa interval",
            reason: "every replicate lies on one side of the estimate",
        });
    }
    let z0 = normal_quantile(share)?;
    let n = jackknife.len() as f64;
    let mean = jackknife.iter().sum::<f64>() / n;
    let u: Vec<f64> = jackknife.iter().map(|&t| (n - 1.0) * (mean - t)).collect();
    let num = u.iter().map(|x| x * x * x).sum::<f64>() / (n * n * n);
    let den = u.iter().map(|x| x * x).sum::<f64>() / (n * n);
    if den == 0.0 {
        return Err(MetricError::Undefined {
            metric: "BCa interval",
            reason: "all jackknife values are equal",
        });
    }
    let a = num / (6.0 * den.powf(1.5));
    let z_alpha = normal_quantile((1.0 - confidence) / 2.0)?;
    let adjusted = |z: f64| {
        let s = z0 + z;
        normal_cdf(z0 + s / (1.0 - a * s))
    };
    let (q1, q2) = (adjusted(z_alpha), adjusted(-z_alpha));
    let mut sorted = replicates.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok((
        Interval::new(
            quantile_of_sorted(&sorted, q1),
            quantile_of_sorted(&sorted, q2),
        ),
        z0,
        a,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_of(data: &[f64]) -> impl FnMut(&[usize]) -> Result<f64> + '_ {
        move |idx: &[usize]| Ok(idx.iter().map(|&i| data[i]).sum::<f64>() / idx.len() as f64)
    }

    #[test]
    fn same_seed_same_result_and_other_seed_differs() {
        let data: Vec<f64> = (0..50).map(|i| ((i * 37) % 11) as f64).collect();
        let s = BootstrapSettings {
            resamples: 300,
            seed: 9,
            ..Default::default()
        };
        let a = bootstrap(&Units::samples(50), mean_of(&data), &s).unwrap();
        let b = bootstrap(&Units::samples(50), mean_of(&data), &s).unwrap();
        assert_eq!(a, b);
        let c = bootstrap(
            &Units::samples(50),
            mean_of(&data),
            &BootstrapSettings { seed: 10, ..s },
        )
        .unwrap();
        assert_ne!(a.replicates, c.replicates);
        assert!(a.interval.lo < a.estimate && a.estimate < a.interval.hi);
    }

    #[test]
    fn singleton_clusters_equal_plain_bootstrap() {
        let data: Vec<f64> = (0..30).map(|i| (i as f64).sin()).collect();
        let keys: Vec<u32> = (0..30).collect();
        let s = BootstrapSettings {
            resamples: 200,
            seed: 3,
            method: BootstrapMethod::Bca,
            ..Default::default()
        };
        let a = bootstrap(&Units::samples(30), mean_of(&data), &s).unwrap();
        let b = bootstrap(&Units::clusters(&keys), mean_of(&data), &s).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn cluster_resample_keeps_clusters_whole() {
        let keys = ["a", "a", "b", "c", "c", "c"];
        let units = Units::clusters(&keys);
        assert_eq!(units.len(), 3);
        let mut idx = Vec::new();
        resample_indices(&units, 1, 0, &mut idx);
        let count = |i: usize| idx.iter().filter(|&&j| j == i).count();
        assert_eq!(count(0), count(1));
        assert_eq!(count(3), count(4));
        assert_eq!(count(4), count(5));
    }

    #[test]
    fn degenerate_inputs_are_errors() {
        let data = [1.0; 10];
        let s = BootstrapSettings {
            resamples: 50,
            method: BootstrapMethod::Bca,
            ..Default::default()
        };
        assert!(bootstrap(&Units::samples(10), mean_of(&data), &s).is_err());
        assert!(bootstrap(&Units::samples(0), mean_of(&data), &s).is_err());
        assert!(quantile_linear(&[], 0.5).is_err());
        assert_eq!(quantile_linear(&[3.0, 1.0, 2.0], 0.5).unwrap(), 2.0);
        assert_eq!(quantile_linear(&[1.0, 2.0], 0.25).unwrap(), 1.25);
    }
}
