//! Pure metric functions and confidence intervals for jiebang: proportions, bootstrap,
//! detection (ROC, DeLong, FROC), biometrics, speech, translation, latency, and the thinning of
//! operating curves for publication. No IO; a value that is undefined for the input is a typed
//! [`MetricError`], never a NaN.

pub mod biometrics;
pub mod bootstrap;
pub mod curve;
pub mod detection;
mod error;
mod estimate;
pub mod froc;
pub mod latency;
pub mod proportion;
pub mod ratio;
mod sort;
pub mod special;
pub mod speech;
pub mod translation;

pub use error::{MetricError, Result};
pub use estimate::{Estimate, Interval};

/// This crate's version, as conventions that name the metric code state it (a speech
/// scorecard's normalisation signature).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
