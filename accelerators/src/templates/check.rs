//! Checking one template a system returned: its dimension, finite values and non-zero norm.
//! [`TemplateError`] names what was expected, so callers can report it next to the query.

/// The largest template dimension accepted (a bound on every input, as for files).
pub const MAX_DIM: usize = 1 << 16;

/// Why a template, a template set or a matching request was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TemplateError {
    /// The run's template dimension is unusable.
    #[error("template dimension {0} is out of range: expected 1 to {MAX_DIM}")]
    BadDimension(usize),
    /// A template of another length than the run's dimension.
    #[error("template has {got} values, expected {expected} (the run's template dimension)")]
    WrongDimension {
        /// The run's dimension.
        expected: usize,
        /// The template's length.
        got: usize,
    },
    /// A NaN or infinite value.
    #[error("template value {index} is {value}, expected a finite number")]
    NotFinite {
        /// Position of the first non-finite value.
        index: usize,
        /// The value itself.
        value: f32,
    },
    /// All values zero: the template has no direction to compare.
    #[error("template has zero norm, expected at least one non-zero value")]
    ZeroNorm,
    /// Gallery and probes of different dimensions.
    #[error(
        "gallery templates have dimension {gallery}, probe templates {probes}: expected the same"
    )]
    DimensionMismatch {
        /// Dimension of the gallery set.
        gallery: usize,
        /// Dimension of the probe set.
        probes: usize,
    },
    /// `k = 0` asked of a top-k search.
    #[error("top-k with k = 0: expected k ≥ 1")]
    ZeroK,
    /// A 1:1 pair naming a row that does not exist.
    #[error("pair {pair}: row {index} of set {side} does not exist (expected < {len})")]
    PairOutOfRange {
        /// Position of the pair in the list.
        pair: usize,
        /// `a` or `b`.
        side: char,
        /// The row asked for.
        index: usize,
        /// Rows in that set.
        len: usize,
    },
}

/// Checks a template against the run's dimension: right length, finite values, non-zero norm.
pub fn check(template: &[f32], dim: usize) -> Result<(), TemplateError> {
    norm(template, dim).map(|_| ())
}

/// The checked template's L2 norm (f64 sum of squares, so no f32 overflow).
pub(crate) fn norm(template: &[f32], dim: usize) -> Result<f64, TemplateError> {
    if dim == 0 || dim > MAX_DIM {
        return Err(TemplateError::BadDimension(dim));
    }
    if template.len() != dim {
        return Err(TemplateError::WrongDimension {
            expected: dim,
            got: template.len(),
        });
    }
    let mut sum = 0.0f64;
    for (index, &value) in template.iter().enumerate() {
        if !value.is_finite() {
            return Err(TemplateError::NotFinite { index, value });
        }
        sum += f64::from(value) * f64::from(value);
    }
    if sum == 0.0 {
        return Err(TemplateError::ZeroNorm);
    }
    Ok(sum.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_templates_pass_and_bad_ones_say_what_was_expected() {
        assert_eq!(check(&[0.0, 3.0, -4.0], 3), Ok(()));
        assert_eq!(norm(&[0.0, 3.0, -4.0], 3), Ok(5.0));
        let e = check(&[1.0, 2.0], 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "template has 2 values, expected 3 (the run's template dimension)"
        );
        let e = check(&[1.0, f32::NAN, 2.0], 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "template value 1 is NaN, expected a finite number"
        );
        let e = check(&[f32::INFINITY, 0.0, 0.0], 3).unwrap_err();
        assert!(
            matches!(e, TemplateError::NotFinite { index: 0, .. }),
            "{e}"
        );
        let e = check(&[0.0; 3], 3).unwrap_err();
        assert!(e.to_string().contains("zero norm"), "{e}");
        assert_eq!(check(&[], 0), Err(TemplateError::BadDimension(0)));
        // Huge finite values do not overflow the norm.
        assert!(check(&[f32::MAX, f32::MAX], 2).is_ok());
    }
}
