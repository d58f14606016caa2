//! Machine-translation metrics compatible with sacrebleu: corpus BLEU with the `13a` and `zh`
//! tokenisers and sacrebleu-style signatures, and chrF / chrF++.
//!
//! Signatures use sacrebleu's format with jiebang's own version marker
//! (`version:jiebang-<crate version>`), so a score is never mistaken for one produced by
//! sacrebleu itself; the fields before the version mean exactly what they mean in sacrebleu.

mod bleu;
mod chrf;
mod ngrams;
mod tokenize;

pub use bleu::{
    BleuScore, BleuSettings, BleuSmoothing, BleuStatistics, bleu_from_statistics,
    bleu_segment_statistics, corpus_bleu,
};
pub use chrf::{ChrfScore, ChrfSettings, corpus_chrf};
pub use tokenize::{BleuTokenizer, is_python_whitespace, tokenize_13a, tokenize_zh};

/// The version marker written into signatures.
pub fn signature_version() -> String {
    format!("jiebang-{}", env!("CARGO_PKG_VERSION"))
}
