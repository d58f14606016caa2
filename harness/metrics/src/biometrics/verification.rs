//! Verification (1:1) error rates from genuine (mated) and impostor (non-mated) comparison
//! scores: FMR/FNMR at a threshold, the DET curve, the equal error rate, FNMR at a fixed FMR.

use crate::detection::{RocPoint, roc_curve};
use crate::error::{MetricError, Result, check_finite};

/// Error rates at one decision threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorRates {
    /// Decision threshold (`score >= threshold` is a match).
    pub threshold: f64,
    /// False match rate: impostor comparisons with `score >= threshold` / impostor comparisons.
    pub fmr: f64,
    /// False non-match rate: genuine comparisons with `score < threshold` / genuine comparisons.
    pub fnmr: f64,
}

/// One point of a DET curve.
pub type DetPoint = ErrorRates;

fn check_scores(genuine: &[f64], impostor: &[f64]) -> Result<()> {
    if genuine.is_empty() {
        return Err(MetricError::Undefined {
            metric: "FNMR",
            reason: "no genuine comparisons",
        });
    }
    if impostor.is_empty() {
        return Err(MetricError::Undefined {
            metric: "FMR",
            reason: "no impostor comparisons",
        });
    }
    check_finite("genuine scores", genuine)?;
    check_finite("impostor scores", impostor)
}

/// FMR and FNMR at `threshold`.
pub fn error_rates_at(genuine: &[f64], impostor: &[f64], threshold: f64) -> Result<ErrorRates> {
    check_scores(genuine, impostor)?;
    if threshold.is_nan() {
        return Err(MetricError::InvalidInput {
            what: "threshold",
            detail: "NaN".into(),
        });
    }
    let false_matches = impostor.iter().filter(|&&s| s >= threshold).count();
    let false_non_matches = genuine.iter().filter(|&&s| s < threshold).count();
    Ok(ErrorRates {
        threshold,
        fmr: false_matches as f64 / impostor.len() as f64,
        fnmr: false_non_matches as f64 / genuine.len() as f64,
    })
}

/// The full ROC of genuine-vs-impostor (genuine = positive), one point per distinct score.
fn verification_roc(genuine: &[f64], impostor: &[f64]) -> Result<Vec<RocPoint>> {
    check_scores(genuine, impostor)?;
    let scores: Vec<f64> = genuine.iter().chain(impostor).copied().collect();
    let labels: Vec<bool> = (0..scores.len()).map(|i| i < genuine.len()).collect();
    Ok(roc_curve(&scores, &labels, false)?.points)
}

fn rates(p: &RocPoint) -> ErrorRates {
    ErrorRates {
        threshold: p.threshold,
        fmr: p.fpr,
        fnmr: 1.0 - p.tpr,
    }
}

/// The DET curve as scikit-learn's `det_curve` (≥ 1.7) returns it: points by increasing
/// threshold, from the lowest threshold at which FNMR is still 0 up to the highest
/// threshold at which FMR is 0 (which may be `+inf`, where nothing matches).
pub fn det_curve(genuine: &[f64], impostor: &[f64]) -> Result<Vec<DetPoint>> {
    let points = verification_roc(genuine, impostor)?;
    let positives = genuine.len() as u64;
    let first = points
        .iter()
        .rposition(|p| p.false_positives == 0)
        .unwrap_or(0);
    let last = points
        .iter()
        .position(|p| p.true_positives == positives)
        .unwrap_or(points.len() - 1);
    Ok(points[first..=last.max(first)]
        .iter()
        .rev()
        .map(rates)
        .collect())
}

/// The equal error rate and where it lies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Eer {
    /// The rate at which FMR and FNMR are equal on the linearly interpolated curve.
    pub rate: f64,
    /// Threshold of the curve point just before the crossing (higher threshold).
    pub threshold_high: f64,
    /// Threshold of the curve point at or just after the crossing (lower threshold).
    pub threshold_low: f64,
}

/// Equal error rate: walking the operating points by decreasing threshold (FMR rising,
/// FNMR falling, starting from FMR = 0, FNMR = 1 at `+inf`), the first segment on which
/// `FNMR − FMR` reaches zero or changes sign is interpolated linearly and the EER is the
/// common value there. When `FNMR = FMR` at a point, that point gives the EER exactly.
pub fn eer(genuine: &[f64], impostor: &[f64]) -> Result<Eer> {
    let points: Vec<ErrorRates> = verification_roc(genuine, impostor)?
        .iter()
        .map(rates)
        .collect();
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        let da = a.fnmr - a.fmr;
        let db = b.fnmr - b.fmr;
        if da == 0.0 {
            return Ok(Eer {
                rate: a.fmr,
                threshold_high: a.threshold,
                threshold_low: a.threshold,
            });
        }
        if db <= 0.0 {
            let s = da / (da - db);
            let rate = a.fmr + s * (b.fmr - a.fmr);
            return Ok(Eer {
                rate,
                threshold_high: a.threshold,
                threshold_low: b.threshold,
            });
        }
    }
    // Unreachable for valid input: the last point has FNMR = 0 <= FMR = 1.
    Err(MetricError::Undefined {
        metric: "EER",
        reason: "FMR and FNMR never cross",
    })
}

/// FNMR at the operating point with the lowest threshold whose FMR does not exceed
/// `target_fmr` (no interpolation between operating points). Only observed scores and
/// `+inf` are candidate thresholds.
pub fn fnmr_at_fmr(genuine: &[f64], impostor: &[f64], target_fmr: f64) -> Result<ErrorRates> {
    if !(0.0..=1.0).contains(&target_fmr) {
        return Err(MetricError::InvalidInput {
            what: "target FMR",
            detail: format!("{target_fmr} is outside [0, 1]"),
        });
    }
    let points = verification_roc(genuine, impostor)?;
    let best = points
        .iter()
        .rev()
        .find(|p| p.fpr <= target_fmr)
        .unwrap_or(&points[0]);
    Ok(rates(best))
}

/// True accept rate at a false accept rate: `1 − FNMR` at the operating point chosen by
/// [`fnmr_at_fmr`] (TAR@FAR in the face-recognition literature).
pub fn tar_at_far(genuine: &[f64], impostor: &[f64], target_far: f64) -> Result<f64> {
    Ok(1.0 - fnmr_at_fmr(genuine, impostor, target_far)?.fnmr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_scores_have_zero_eer() {
        let e = eer(&[0.9, 0.8], &[0.1, 0.2]).unwrap();
        assert_eq!(e.rate, 0.0);
        let r = fnmr_at_fmr(&[0.9, 0.8], &[0.1, 0.2], 0.0).unwrap();
        assert_eq!((r.fnmr, r.threshold), (0.0, 0.8));
    }

    #[test]
    fn symmetric_overlap_gives_interpolated_eer() {
        // genuine {1, 3}, impostor {0, 2}: the points cross at FMR = FNMR = 0.5
        let e = eer(&[1.0, 3.0], &[0.0, 2.0]).unwrap();
        assert!((e.rate - 0.5).abs() < 1e-15);
    }

    #[test]
    fn empty_sides_are_errors() {
        assert!(eer(&[], &[0.1]).is_err());
        assert!(error_rates_at(&[0.5], &[], 0.3).is_err());
    }
}
