//! The ROC curve (scikit-learn compatible points and thresholds), ROC AUC by a linear-time
//! radix path, and the operating threshold that meets a sensitivity or FPR target.

use crate::error::{MetricError, Result, check_finite, check_same_len};
use crate::sort::{order_key, radix_sort_u64};

/// One point of a ROC curve: calling `score >= threshold` positive gives these counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RocPoint {
    /// The decision threshold (`+inf` for the first point, where nothing is called positive).
    pub threshold: f64,
    /// Negative cases with `score >= threshold`.
    pub false_positives: u64,
    /// Positive cases with `score >= threshold`.
    pub true_positives: u64,
    /// False-positive rate `FP / negatives`.
    pub fpr: f64,
    /// True-positive rate (sensitivity) `TP / positives`.
    pub tpr: f64,
}

/// A ROC curve: points ordered by decreasing threshold, from `(0, 0)` at `+inf` to `(1, 1)`
/// at the lowest score.
#[derive(Debug, Clone, PartialEq)]
pub struct RocCurve {
    /// The points, one per distinct score plus the leading `+inf` point (fewer when
    /// intermediate collinear points were dropped).
    pub points: Vec<RocPoint>,
    /// Number of positive cases.
    pub positives: u64,
    /// Number of negative cases.
    pub negatives: u64,
}

/// Validate the inputs of the ranking metrics and count the classes.
pub(crate) fn check_ranking_input(scores: &[f64], labels: &[bool]) -> Result<(u64, u64)> {
    check_same_len("scores and labels", scores.len(), labels.len())?;
    if scores.is_empty() {
        return Err(MetricError::Empty { what: "scores" });
    }
    check_finite("scores", scores)?;
    let positives = labels.iter().filter(|&&y| y).count() as u64;
    let negatives = labels.len() as u64 - positives;
    if positives == 0 {
        return Err(MetricError::Undefined {
            metric: "ROC",
            reason: "no positive cases",
        });
    }
    if negatives == 0 {
        return Err(MetricError::Undefined {
            metric: "ROC",
            reason: "no negative cases",
        });
    }
    Ok((positives, negatives))
}

/// Cumulative `(threshold, FP, TP)` at every distinct score, by decreasing score.
fn cumulative_counts(scores: &[f64], labels: &[bool]) -> Vec<(f64, u64, u64)> {
    let mut order: Vec<(u64, bool)> = scores
        .iter()
        .zip(labels)
        .map(|(&s, &y)| (order_key(s), y))
        .collect();
    order.sort_unstable_by_key(|&(key, _)| std::cmp::Reverse(key));
    let mut out = Vec::new();
    let (mut fp, mut tp) = (0u64, 0u64);
    for (i, &(key, y)) in order.iter().enumerate() {
        if y {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_group = order.get(i + 1).is_none_or(|next| next.0 != key);
        if last_of_group {
            out.push((crate::sort::from_order_key(key), fp, tp));
        }
    }
    out
}

/// The ROC curve of `scores` against `labels` (`true` = positive), as scikit-learn's
/// `roc_curve` computes it: one point per distinct score (threshold = that score, cases with
/// `score >= threshold` called positive), preceded by `(fpr, tpr) = (0, 0)` at `+inf`.
///
/// With `drop_intermediate`, points in the middle of a straight run (both second
/// differences of FP and TP zero) are dropped, exactly as scikit-learn does by default; the
/// area under the curve is unchanged.
///
/// Errors: empty input, length mismatch, a non-finite score, or only one class present
/// (the curve is undefined).
pub fn roc_curve(scores: &[f64], labels: &[bool], drop_intermediate: bool) -> Result<RocCurve> {
    let (positives, negatives) = check_ranking_input(scores, labels)?;
    let mut counts = cumulative_counts(scores, labels);
    if drop_intermediate && counts.len() > 2 {
        let keep: Vec<bool> = (0..counts.len())
            .map(|j| {
                if j == 0 || j == counts.len() - 1 {
                    return true;
                }
                let second_diff = |f: fn(&(f64, u64, u64)) -> u64| {
                    f(&counts[j + 1]) as i128 - 2 * f(&counts[j]) as i128
                        + f(&counts[j - 1]) as i128
                };
                second_diff(|c| c.1) != 0 || second_diff(|c| c.2) != 0
            })
            .collect();
        let mut it = keep.iter();
        counts.retain(|_| *it.next().unwrap_or(&true));
    }
    let mut points = Vec::with_capacity(counts.len() + 1);
    points.push(RocPoint {
        threshold: f64::INFINITY,
        false_positives: 0,
        true_positives: 0,
        fpr: 0.0,
        tpr: 0.0,
    });
    for (threshold, fp, tp) in counts {
        points.push(RocPoint {
            threshold,
            false_positives: fp,
            true_positives: tp,
            fpr: fp as f64 / negatives as f64,
            tpr: tp as f64 / positives as f64,
        });
    }
    Ok(RocCurve {
        points,
        positives,
        negatives,
    })
}

impl RocCurve {
    /// Area under the curve by the trapezoidal rule over the points.
    pub fn trapezoid_area(&self) -> f64 {
        self.points
            .windows(2)
            .map(|w| (w[1].fpr - w[0].fpr) * (w[1].tpr + w[0].tpr) / 2.0)
            .sum()
    }
}

/// Split scores into sorted order keys of the positive and of the negative cases.
pub(crate) fn sorted_class_keys(scores: &[f64], labels: &[bool]) -> (Vec<u64>, Vec<u64>) {
    let positives = labels.iter().filter(|&&y| y).count();
    let mut pos = Vec::with_capacity(positives);
    let mut neg = Vec::with_capacity(labels.len() - positives);
    for (&s, &y) in scores.iter().zip(labels) {
        if y {
            pos.push(order_key(s));
        } else {
            neg.push(order_key(s));
        }
    }
    radix_sort_u64(&mut pos);
    radix_sort_u64(&mut neg);
    (pos, neg)
}

/// Twice the Mann–Whitney U statistic: `Σ_pos (2·#{neg < s} + #{neg == s})`, from sorted keys.
fn twice_mann_whitney(pos: &[u64], neg: &[u64]) -> u128 {
    let mut total: u128 = 0;
    let mut below = 0usize; // negatives strictly below the current positive value
    let mut i = 0;
    while i < pos.len() {
        let v = pos[i];
        let mut j = i;
        while j < pos.len() && pos[j] == v {
            j += 1;
        }
        while below < neg.len() && neg[below] < v {
            below += 1;
        }
        let mut equal_end = below;
        while equal_end < neg.len() && neg[equal_end] == v {
            equal_end += 1;
        }
        let group = (j - i) as u128;
        total += group * (2 * below as u128 + (equal_end - below) as u128);
        i = j;
    }
    total
}

/// Area under the ROC curve: the probability that a random positive case scores higher
/// than a random negative one, ties counting one half (the Mann–Whitney form, equal to the
/// trapezoidal area of [`roc_curve`] and to scikit-learn's `roc_auc_score`).
///
/// Runs in linear time (radix sort of the two classes' scores) and computes the rank sum
/// exactly in integers, so the only rounding is the final division.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Result<f64> {
    let (positives, negatives) = check_ranking_input(scores, labels)?;
    let (pos, neg) = sorted_class_keys(scores, labels);
    let u2 = twice_mann_whitney(&pos, &neg);
    Ok(u2 as f64 / (2.0 * positives as f64 * negatives as f64))
}

/// What an operating threshold has to achieve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThresholdTarget {
    /// Sensitivity at least this value; the highest such threshold is chosen (it has the
    /// lowest false-positive rate among them).
    MinSensitivity(f64),
    /// False-positive rate at most this value; the lowest such threshold is chosen (it has
    /// the highest sensitivity among them).
    MaxFalsePositiveRate(f64),
}

/// The ROC point (threshold and its counts and rates) that meets `target`.
///
/// Only observed scores are candidate thresholds. For `MaxFalsePositiveRate` the `+inf`
/// point (nothing called positive) is returned when every finite threshold exceeds the
/// allowed rate. Errors: invalid input as for [`roc_curve`], a target outside [0, 1], or a
/// sensitivity target no threshold reaches (impossible only for targets above 1).
pub fn threshold_for_target(
    scores: &[f64],
    labels: &[bool],
    target: ThresholdTarget,
) -> Result<RocPoint> {
    let value = match target {
        ThresholdTarget::MinSensitivity(v) | ThresholdTarget::MaxFalsePositiveRate(v) => v,
    };
    if !(0.0..=1.0).contains(&value) {
        return Err(MetricError::InvalidInput {
            what: "threshold target",
            detail: format!("{value} is outside [0, 1]"),
        });
    }
    let curve = roc_curve(scores, labels, false)?;
    let found = match target {
        ThresholdTarget::MinSensitivity(t) => curve
            .points
            .iter()
            .find(|p| p.tpr >= t && p.threshold.is_finite()),
        ThresholdTarget::MaxFalsePositiveRate(t) => curve.points.iter().rev().find(|p| p.fpr <= t),
    };
    found.copied().ok_or(MetricError::Undefined {
        metric: "threshold",
        reason: "no threshold meets the target",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_reversed_rankings() {
        let scores = [0.1, 0.2, 0.8, 0.9];
        assert_eq!(roc_auc(&scores, &[false, false, true, true]).unwrap(), 1.0);
        assert_eq!(roc_auc(&scores, &[true, true, false, false]).unwrap(), 0.0);
        assert_eq!(
            roc_auc(&[0.5; 4], &[true, false, true, false]).unwrap(),
            0.5
        );
    }

    #[test]
    fn one_class_is_an_error_not_nan() {
        assert!(roc_auc(&[0.1, 0.2], &[true, true]).is_err());
        assert!(roc_curve(&[0.1, 0.2], &[false, false], false).is_err());
        assert!(roc_auc(&[], &[]).is_err());
        assert!(roc_auc(&[f64::NAN, 0.2], &[true, false]).is_err());
    }

    #[test]
    fn threshold_targets() {
        let scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        let labels = [true, false, true, true, false, false];
        let p =
            threshold_for_target(&scores, &labels, ThresholdTarget::MinSensitivity(0.95)).unwrap();
        assert_eq!(
            (p.threshold, p.true_positives, p.false_positives),
            (0.6, 3, 1)
        );
        let p = threshold_for_target(&scores, &labels, ThresholdTarget::MaxFalsePositiveRate(0.0))
            .unwrap();
        assert_eq!((p.threshold, p.true_positives), (0.9, 1));
    }
}
