//! The error type of every metric in this crate.
//! A metric whose value is undefined for the given input (no positives, empty corpus, ...)
//! returns one of these instead of a NaN.

/// Why a metric could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricError {
    /// The input holds no samples (or no usable ones) where at least one is needed.
    #[error("{what}: empty input")]
    Empty {
        /// Which input was empty.
        what: &'static str,
    },
    /// Two inputs that must have one entry per sample have different lengths.
    #[error("{what}: length mismatch ({left} vs {right})")]
    LengthMismatch {
        /// Which pair of inputs disagrees.
        what: &'static str,
        /// Length of the first input.
        left: usize,
        /// Length of the second input.
        right: usize,
    },
    /// An input value is out of its domain (NaN score, probability outside [0, 1], ...).
    #[error("{what}: invalid value: {detail}")]
    InvalidInput {
        /// Which input or parameter is wrong.
        what: &'static str,
        /// What was found and what was expected.
        detail: String,
    },
    /// The metric is mathematically undefined for this input (for example sensitivity
    /// when there are no positive cases).
    #[error("{metric} is undefined: {reason}")]
    Undefined {
        /// The metric that has no value.
        metric: &'static str,
        /// Why it has no value.
        reason: &'static str,
    },
    /// More samples are needed before the metric can be computed.
    #[error("{metric} needs at least {needed} samples, got {got}")]
    InsufficientSamples {
        /// The metric that cannot be computed yet.
        metric: &'static str,
        /// How many samples are needed.
        needed: u64,
        /// How many were given.
        got: u64,
    },
    /// An iterative computation did not reach the required accuracy.
    #[error("{what}: no convergence after {iterations} iterations")]
    NoConvergence {
        /// The computation that failed.
        what: &'static str,
        /// How many iterations were tried.
        iterations: usize,
    },
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, MetricError>;

/// Check that `value` is a probability strictly inside (0, 1).
pub(crate) fn check_open_unit(what: &'static str, value: f64) -> Result<()> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(MetricError::InvalidInput {
            what,
            detail: format!("{value} is not strictly between 0 and 1"),
        })
    }
}

/// Check that two per-sample inputs have the same length.
pub(crate) fn check_same_len(what: &'static str, left: usize, right: usize) -> Result<()> {
    if left == right {
        Ok(())
    } else {
        Err(MetricError::LengthMismatch { what, left, right })
    }
}

/// Check that every score is finite (NaN and infinities make rankings meaningless).
pub(crate) fn check_finite(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(MetricError::InvalidInput {
            what,
            detail: format!("element {i} is {}, expected a finite number", values[i]),
        }),
    }
}
