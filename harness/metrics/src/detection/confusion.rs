//! Confusion counts of a binary decision and the rates derived from them.

use crate::error::{MetricError, Result, check_finite, check_same_len};
use crate::estimate::Estimate;
use crate::proportion::{ProportionInterval, rate_estimate};

/// Counts of a binary decision against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConfusionCounts {
    /// Positive cases called positive.
    pub true_positives: u64,
    /// Negative cases called positive.
    pub false_positives: u64,
    /// Negative cases called negative.
    pub true_negatives: u64,
    /// Positive cases called negative.
    pub false_negatives: u64,
}

fn ratio(num: u64, den: u64, metric: &'static str, reason: &'static str) -> Result<f64> {
    if den == 0 {
        Err(MetricError::Undefined { metric, reason })
    } else {
        Ok(num as f64 / den as f64)
    }
}

impl ConfusionCounts {
    /// Count decisions `score >= threshold` against `labels` (`true` = positive case).
    pub fn at_threshold(scores: &[f64], labels: &[bool], threshold: f64) -> Result<Self> {
        check_same_len("scores and labels", scores.len(), labels.len())?;
        check_finite("scores", scores)?;
        if threshold.is_nan() {
            return Err(MetricError::InvalidInput {
                what: "threshold",
                detail: "NaN".into(),
            });
        }
        let mut c = Self::default();
        for (&s, &y) in scores.iter().zip(labels) {
            c.add(s >= threshold, y);
        }
        Ok(c)
    }

    /// Count hard decisions (`predicted[i]` = called positive) against `labels`.
    pub fn from_decisions(predicted: &[bool], labels: &[bool]) -> Result<Self> {
        check_same_len("decisions and labels", predicted.len(), labels.len())?;
        let mut c = Self::default();
        for (&p, &y) in predicted.iter().zip(labels) {
            c.add(p, y);
        }
        Ok(c)
    }

    fn add(&mut self, called_positive: bool, is_positive: bool) {
        match (called_positive, is_positive) {
            (true, true) => self.true_positives += 1,
            (true, false) => self.false_positives += 1,
            (false, false) => self.true_negatives += 1,
            (false, true) => self.false_negatives += 1,
        }
    }

    /// Number of positive cases (`TP + FN`).
    pub fn positives(&self) -> u64 {
        self.true_positives + self.false_negatives
    }

    /// Number of negative cases (`FP + TN`).
    pub fn negatives(&self) -> u64 {
        self.false_positives + self.true_negatives
    }

    /// Sensitivity (recall, true-positive rate, 检出率) `TP / (TP + FN)`; undefined without
    /// positive cases.
    pub fn sensitivity(&self) -> Result<f64> {
        ratio(
            self.true_positives,
            self.positives(),
            "sensitivity",
            "no positive cases",
        )
    }

    /// False-negative rate (miss rate, 假阴性率) `FN / (TP + FN)`; undefined without positive cases.
    pub fn false_negative_rate(&self) -> Result<f64> {
        ratio(
            self.false_negatives,
            self.positives(),
            "false-negative rate",
            "no positive cases",
        )
    }

    /// False-positive rate (假阳性率) `FP / (FP + TN)`; undefined without negative cases.
    pub fn false_positive_rate(&self) -> Result<f64> {
        ratio(
            self.false_positives,
            self.negatives(),
            "false-positive rate",
            "no negative cases",
        )
    }

    /// Specificity `TN / (FP + TN)`; undefined without negative cases.
    pub fn specificity(&self) -> Result<f64> {
        ratio(
            self.true_negatives,
            self.negatives(),
            "specificity",
            "no negative cases",
        )
    }

    /// Positive predictive value (precision) `TP / (TP + FP)`; undefined when nothing was
    /// called positive.
    pub fn ppv(&self) -> Result<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
            "positive predictive value",
            "no case was called positive",
        )
    }

    /// Negative predictive value `TN / (TN + FN)`; undefined when nothing was called negative.
    pub fn npv(&self) -> Result<f64> {
        ratio(
            self.true_negatives,
            self.true_negatives + self.false_negatives,
            "negative predictive value",
            "no case was called negative",
        )
    }

    /// Accuracy `(TP + TN) / total`; undefined for no cases.
    pub fn accuracy(&self) -> Result<f64> {
        ratio(
            self.true_positives + self.true_negatives,
            self.positives() + self.negatives(),
            "accuracy",
            "no cases",
        )
    }

    /// Sensitivity with its 95% binomial interval (`n` = positive cases).
    pub fn sensitivity_estimate(&self, method: ProportionInterval) -> Result<Estimate> {
        self.sensitivity()?;
        rate_estimate(self.true_positives, self.positives(), method)
    }

    /// False-negative rate with its 95% binomial interval (`n` = positive cases).
    pub fn false_negative_rate_estimate(&self, method: ProportionInterval) -> Result<Estimate> {
        self.false_negative_rate()?;
        rate_estimate(self.false_negatives, self.positives(), method)
    }

    /// False-positive rate with its 95% binomial interval (`n` = negative cases).
    pub fn false_positive_rate_estimate(&self, method: ProportionInterval) -> Result<Estimate> {
        self.false_positive_rate()?;
        rate_estimate(self.false_positives, self.negatives(), method)
    }

    /// Specificity with its 95% binomial interval (`n` = negative cases).
    pub fn specificity_estimate(&self, method: ProportionInterval) -> Result<Estimate> {
        self.specificity()?;
        rate_estimate(self.true_negatives, self.negatives(), method)
    }
}
