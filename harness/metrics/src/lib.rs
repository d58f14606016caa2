//! Pure metric functions and confidence intervals for jiebang: proportions, bootstrap,
//! case-level detection (ROC, DeLong), lesion-level FROC, biometrics, speech (WER/CER),
//! translation (BLEU/chrF) and latency. No IO: callers pass slices and get values back.

pub mod biometrics;
pub mod bootstrap;
pub mod detection;
mod error;
mod estimate;
pub mod froc;
pub mod latency;
pub mod proportion;
mod sort;
pub mod special;
pub mod speech;
pub mod translation;

pub use error::{MetricError, Result};
pub use estimate::{Estimate, Interval};
