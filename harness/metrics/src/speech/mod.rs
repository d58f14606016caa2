//! Speech recognition metrics: WER and CER with the substitution / deletion / insertion /
//! hit counts of the alignment, a documented text normalisation (case, punctuation,
//! full-width forms, Chinese scored per character) with named white-space conventions
//! (jiwer's by default), intent accuracy, and paired significance
//! tests between two systems.

mod align;
mod intent;
mod normalize;
mod punctuation_table;
mod significance;
mod wer;

pub use align::{Aligner, EditCounts, align};
pub use intent::intent_accuracy;
pub use normalize::{
    CerSpaces, Normalization, Tokenization, WordSplit, case_unicode_version, is_cjk_ideograph,
    is_punctuation, is_python_space, normalize, tokenize,
};
pub use punctuation_table::UNICODE_VERSION as PUNCTUATION_UNICODE_VERSION;
pub use significance::{MatchedPairsTest, PairedBootstrap, matched_pairs_test, paired_bootstrap};
pub use wer::{ErrorRate, error_rate, utterance_counts};
