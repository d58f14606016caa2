//! Word and character error rates over a corpus of utterances.

use super::align::{Aligner, EditCounts};
use super::normalize::{Normalization, Tokenization, normalize, tokenize};
use crate::error::{MetricError, Result, check_same_len};

/// An error rate with the counts behind it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErrorRate {
    /// `(S + D + I) / (H + S + D)`: errors over reference tokens (can exceed 1).
    pub rate: f64,
    /// Summed alignment counts.
    pub counts: EditCounts,
    /// Number of utterances.
    pub utterances: u64,
}

impl ErrorRate {
    /// Recognition accuracy `1 − rate` (the "识别准确率" of the national targets: 1 − CER for
    /// Chinese, 1 − WER for English).
    pub fn accuracy(&self) -> f64 {
        1.0 - self.rate
    }
}

/// Per-utterance alignment counts after normalising and tokenising both sides (under the
/// white-space conventions `normalization` names).
pub fn utterance_counts(
    references: &[&str],
    hypotheses: &[&str],
    tokenization: Tokenization,
    normalization: &Normalization,
) -> Result<Vec<EditCounts>> {
    check_same_len(
        "references and hypotheses",
        references.len(),
        hypotheses.len(),
    )?;
    let mut aligner = Aligner::new();
    Ok(references
        .iter()
        .zip(hypotheses)
        .map(|(r, h)| {
            let (r, h) = (normalize(r, normalization), normalize(h, normalization));
            aligner.align(
                &tokenize(&r, tokenization, normalization),
                &tokenize(&h, tokenization, normalization),
            )
        })
        .collect())
}

/// Corpus error rate: alignment counts summed over utterances, then
/// `(S + D + I) / (H + S + D)` (jiwer's corpus WER). With `Tokenization::Words` this is the
/// WER, with `Characters` (or `Mixed` for Chinese) the CER.
///
/// Errors: different numbers of references and hypotheses, no utterances, or no reference
/// token at all (the rate is undefined; jiwer would return the insertion count).
pub fn error_rate(
    references: &[&str],
    hypotheses: &[&str],
    tokenization: Tokenization,
    normalization: &Normalization,
) -> Result<ErrorRate> {
    if references.is_empty() {
        return Err(MetricError::Empty { what: "utterances" });
    }
    let per_utterance = utterance_counts(references, hypotheses, tokenization, normalization)?;
    let mut counts = EditCounts::default();
    for c in &per_utterance {
        counts.add(c);
    }
    if counts.reference_len() == 0 {
        return Err(MetricError::Undefined {
            metric: "error rate",
            reason: "the references hold no tokens",
        });
    }
    Ok(ErrorRate {
        rate: counts.errors() as f64 / counts.reference_len() as f64,
        counts,
        utterances: references.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wer_and_cer() {
        let n = Normalization::default();
        let r = error_rate(
            &["the cat sat", "hello world"],
            &["the cat sat down", "hello"],
            Tokenization::Words,
            &n,
        )
        .unwrap();
        assert_eq!(r.counts.errors(), 2);
        assert_eq!(r.rate, 2.0 / 5.0);
        let c = error_rate(
            &["今天天气很好。"],
            &["今天天汽很好"],
            Tokenization::Characters,
            &n,
        )
        .unwrap();
        assert_eq!((c.counts.substitutions, c.counts.reference_len()), (1, 6));
        assert!(error_rate(&[""], &["a"], Tokenization::Words, &n).is_err());
        assert!(error_rate(&["a"], &[], Tokenization::Words, &n).is_err());
    }
}
