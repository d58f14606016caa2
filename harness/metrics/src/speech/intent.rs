//! Dialogue intent recognition accuracy (用户对话意图识别准确率).

use crate::error::{MetricError, Result, check_same_len};
use crate::estimate::Estimate;
use crate::proportion::{ProportionInterval, rate_estimate};

/// Fraction of utterances whose predicted intent label equals the reference label (exact,
/// case-sensitive string match), with its 95% Wilson interval. `None` predictions (no
/// answer, malformed answer) count as wrong.
pub fn intent_accuracy(predicted: &[Option<&str>], reference: &[&str]) -> Result<Estimate> {
    check_same_len(
        "predicted and reference intents",
        predicted.len(),
        reference.len(),
    )?;
    if reference.is_empty() {
        return Err(MetricError::Empty { what: "intents" });
    }
    let correct = predicted
        .iter()
        .zip(reference)
        .filter(|(p, r)| p.is_some_and(|p| p == **r))
        .count();
    rate_estimate(
        correct as u64,
        reference.len() as u64,
        ProportionInterval::Wilson,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracy_counts_missing_answers_as_wrong() {
        let e = intent_accuracy(
            &[Some("play"), None, Some("stop"), Some("Play")],
            &["play", "stop", "stop", "play"],
        )
        .unwrap();
        assert_eq!(e.value, 0.5);
        assert_eq!(e.n, 4);
        assert!(intent_accuracy(&[], &[]).is_err());
    }
}
