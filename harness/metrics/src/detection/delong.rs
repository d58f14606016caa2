//! ROC AUC with DeLong's nonparametric variance and confidence interval
//! (DeLong, DeLong & Clarke-Pearson 1988, computed with the placement values of
//! Sun & Xu 2014 in O(n log n)).

use super::roc::{check_ranking_input, sorted_class_keys};
use crate::error::{MetricError, Result, check_open_unit};
use crate::estimate::{Estimate, Interval};
use crate::special::normal_quantile;

/// ROC AUC with its DeLong variance and confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AucEstimate {
    /// The AUC (Mann–Whitney form, ties count one half).
    pub auc: f64,
    /// DeLong's variance estimate of the AUC.
    pub variance: f64,
    /// `auc ± z·sqrt(variance)` clipped to [0, 1].
    pub interval: Interval,
    /// Number of positive cases.
    pub positives: u64,
    /// Number of negative cases.
    pub negatives: u64,
}

impl AucEstimate {
    /// The AUC as an [`Estimate`] (`n` = all cases).
    pub fn to_estimate(&self) -> Estimate {
        Estimate::with_interval(self.auc, self.interval, self.positives + self.negatives)
    }
}

/// Run-length groups `(value, count)` of a sorted key slice.
fn groups(sorted: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &k in sorted {
        match out.last_mut() {
            Some((v, c)) if *v == k => *c += 1,
            _ => out.push((k, 1)),
        }
    }
    out
}

/// For each group of `a`, the number of elements of sorted `b` strictly below and equal to
/// the group's value.
fn placements(a: &[(u64, u64)], b: &[u64]) -> Vec<(u64, u64)> {
    let mut below = 0usize;
    a.iter()
        .map(|&(v, _)| {
            while below < b.len() && b[below] < v {
                below += 1;
            }
            let mut end = below;
            while end < b.len() && b[end] == v {
                end += 1;
            }
            (below as u64, (end - below) as u64)
        })
        .collect()
}

/// Sample variance (divisor `count - 1`) of grouped values `(value, multiplicity)` with the
/// given mean.
fn grouped_variance(values: &[(f64, u64)], mean: f64, count: u64) -> f64 {
    let ss: f64 = values
        .iter()
        .map(|&(v, c)| c as f64 * (v - mean) * (v - mean))
        .sum();
    ss / (count - 1) as f64
}

/// ROC AUC with DeLong's variance and a two-sided `confidence` interval.
///
/// With `m` positives `X` and `n` negatives `Y` and `ψ(x, y) = 1, ½, 0` for `x > y`,
/// `x = y`, `x < y`: the placement values are `V10(Xᵢ) = (1/n) Σⱼ ψ(Xᵢ, Yⱼ)` and
/// `V01(Yⱼ) = (1/m) Σᵢ ψ(Xᵢ, Yⱼ)`; AUC is their mean; `S10`, `S01` are their sample
/// variances (divisor `m − 1`, `n − 1`) and `Var(AUC) = S10/m + S01/n`. The interval is
/// `AUC ± Φ⁻¹(1 − α/2)·√Var`, clipped to [0, 1] (as pROC does).
///
/// Errors: invalid input as for [`super::roc_auc`], and fewer than two positives or two
/// negatives (the variance needs at least two of each).
pub fn roc_auc_delong(scores: &[f64], labels: &[bool], confidence: f64) -> Result<AucEstimate> {
    check_open_unit("confidence", confidence)?;
    let (m, n) = check_ranking_input(scores, labels)?;
    if m < 2 || n < 2 {
        return Err(MetricError::Undefined {
            metric: "DeLong variance",
            reason: "needs at least two positive and two negative cases",
        });
    }
    let (pos, neg) = sorted_class_keys(scores, labels);
    let pos_groups = groups(&pos);
    let neg_groups = groups(&neg);
    // V10 for each positive value: (#neg below + ½ #neg equal) / n.
    let v10: Vec<(f64, u64)> = pos_groups
        .iter()
        .zip(placements(&pos_groups, &neg))
        .map(|(&(_, c), (below, equal))| ((below as f64 + 0.5 * equal as f64) / n as f64, c))
        .collect();
    // V01 for each negative value: (#pos above + ½ #pos equal) / m.
    let v01: Vec<(f64, u64)> = neg_groups
        .iter()
        .zip(placements(&neg_groups, &pos))
        .map(|(&(_, c), (below, equal))| {
            let above = m - below - equal;
            ((above as f64 + 0.5 * equal as f64) / m as f64, c)
        })
        .collect();
    // The AUC from the exact integer rank sum, as in roc_auc.
    let twice_u: u128 = pos_groups
        .iter()
        .zip(placements(&pos_groups, &neg))
        .map(|(&(_, c), (below, equal))| c as u128 * (2 * below as u128 + equal as u128))
        .sum();
    let auc = twice_u as f64 / (2.0 * m as f64 * n as f64);
    let s10 = grouped_variance(&v10, auc, m);
    let s01 = grouped_variance(&v01, auc, n);
    let variance = s10 / m as f64 + s01 / n as f64;
    let z = normal_quantile(1.0 - (1.0 - confidence) / 2.0)?;
    let half = z * variance.sqrt();
    let interval = Interval {
        lo: (auc - half).max(0.0),
        hi: (auc + half).min(1.0),
    };
    Ok(AucEstimate {
        auc,
        variance,
        interval,
        positives: m,
        negatives: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_two_of_each_class() {
        assert!(roc_auc_delong(&[0.1, 0.9, 0.5], &[false, true, false], 0.95).is_err());
        let e = roc_auc_delong(&[0.1, 0.9, 0.5, 0.7], &[false, true, false, true], 0.95).unwrap();
        assert_eq!(e.auc, 1.0);
        assert_eq!(e.variance, 0.0);
    }
}
