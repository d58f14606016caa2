//! Checking a backend's output against the reference: integers bit-exact, floats within
//! a stated normwise relative error; and [`digest`], a sha256 of the raw little-endian
//! bytes so that a driver change that alters any bit of a result is noticed.

use half::f16;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::kernel::KernelKind;

/// Types whose little-endian bytes can be hashed by [`digest`].
pub trait LeBytes: Copy {
    /// Appends the value's little-endian bytes to `out`.
    fn extend_le(self, out: &mut Vec<u8>);
}

macro_rules! le_bytes {
    ($($t:ty),*) => {$(
        impl LeBytes for $t {
            fn extend_le(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
le_bytes!(i8, u8, i32, u32, f32, f64, f16);

/// sha256 of the elements' little-endian bytes, as 64 lowercase hex digits.
pub fn digest<T: LeBytes>(values: &[T]) -> String {
    let mut bytes = Vec::with_capacity(values.len() * 4);
    for v in values {
        v.extend_le(&mut bytes);
    }
    hex::encode(Sha256::digest(&bytes))
}

/// How close a float result must be to the reference.
///
/// The measure is the normwise relative error `max_i |got_i − want_i| / max_i |want_i|`
/// (infinity norms), which does not blow up on reference elements near zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tolerance {
    /// Largest accepted normwise relative error.
    pub max_rel_error: f64,
}

impl Tolerance {
    /// The tolerance this crate states for a kernel's results against the f64 reference:
    /// exact for int8 GEMM; `2e-3` for f16 GEMM (the result is rounded to f16, whose unit
    /// roundoff is ≈ 4.9e-4, and candle/cuBLAS may round partial sums); `1e-4` for f32 GEMM
    /// and conv2d; `1e-4` for LSTM/RNN (f32 math with `exp`/`tanh` over the sequence).
    pub fn for_kernel(kernel: KernelKind) -> Self {
        let max_rel_error = match kernel {
            KernelKind::GemmI8 => 0.0,
            KernelKind::GemmF16 => 2e-3,
            KernelKind::GemmF32 | KernelKind::Conv2dF32 => 1e-4,
            KernelKind::LstmF32 | KernelKind::RnnF32 => 1e-4,
        };
        Tolerance { max_rel_error }
    }
}

/// How far a result is from the reference when it is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    /// Elements compared.
    pub elements: usize,
    /// Largest absolute difference.
    pub max_abs_error: f64,
    /// Normwise relative error (0 for exact matches).
    pub rel_error: f64,
}

/// Why a result was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Mismatch {
    /// Different element counts.
    #[error("length {got} differs from reference length {want}")]
    Length {
        /// Elements in the result.
        got: usize,
        /// Elements in the reference.
        want: usize,
    },
    /// Different element types that cannot be compared (integer vs. float).
    #[error("result type {got} cannot be compared with reference type {want}")]
    Kind {
        /// Result element type.
        got: &'static str,
        /// Reference element type.
        want: &'static str,
    },
    /// An integer element differs.
    #[error("element {index} is {got}, reference is {want} (integers must match exactly)")]
    NotExact {
        /// First differing index.
        index: usize,
        /// Value in the result.
        got: i64,
        /// Value in the reference.
        want: i64,
    },
    /// A float result is NaN or infinite where the reference is finite.
    #[error("element {index} is not finite ({got}) but the reference is {want}")]
    NotFinite {
        /// Index of the element.
        index: usize,
        /// Value in the result.
        got: f64,
        /// Value in the reference.
        want: f64,
    },
    /// The float result is too far from the reference.
    #[error(
        "normwise relative error {rel_error:.3e} exceeds {tolerance:.1e} (worst element {index}: {got} vs {want})"
    )]
    TooFar {
        /// Measured normwise relative error.
        rel_error: f64,
        /// The tolerance it was held to.
        tolerance: f64,
        /// Index of the largest absolute difference.
        index: usize,
        /// Value there in the result.
        got: f64,
        /// Value there in the reference.
        want: f64,
    },
}

/// Integer comparison: every element equal.
pub fn compare_exact<T: Copy + PartialEq + Into<i64>>(
    got: &[T],
    want: &[T],
) -> Result<Agreement, Mismatch> {
    if got.len() != want.len() {
        return Err(Mismatch::Length {
            got: got.len(),
            want: want.len(),
        });
    }
    if let Some(index) = got.iter().zip(want).position(|(g, w)| g != w) {
        return Err(Mismatch::NotExact {
            index,
            got: got[index].into(),
            want: want[index].into(),
        });
    }
    Ok(Agreement {
        elements: got.len(),
        max_abs_error: 0.0,
        rel_error: 0.0,
    })
}

/// Float comparison by normwise relative error (see [`Tolerance`]).
pub fn compare_close(
    got: &[f64],
    want: &[f64],
    tolerance: Tolerance,
) -> Result<Agreement, Mismatch> {
    if got.len() != want.len() {
        return Err(Mismatch::Length {
            got: got.len(),
            want: want.len(),
        });
    }
    let mut max_abs_error = 0.0f64;
    let mut worst = 0usize;
    let mut scale = 0.0f64;
    for (index, (&g, &w)) in got.iter().zip(want).enumerate() {
        if !g.is_finite() && w.is_finite() {
            return Err(Mismatch::NotFinite {
                index,
                got: g,
                want: w,
            });
        }
        let d = (g - w).abs();
        if d > max_abs_error {
            max_abs_error = d;
            worst = index;
        }
        scale = scale.max(w.abs());
    }
    let rel_error = if scale > 0.0 {
        max_abs_error / scale
    } else if max_abs_error == 0.0 {
        0.0
    } else {
        f64::INFINITY
    };
    if rel_error > tolerance.max_rel_error {
        return Err(Mismatch::TooFar {
            rel_error,
            tolerance: tolerance.max_rel_error,
            index: worst,
            got: got.get(worst).copied().unwrap_or(f64::NAN),
            want: want.get(worst).copied().unwrap_or(f64::NAN),
        });
    }
    Ok(Agreement {
        elements: got.len(),
        max_abs_error,
        rel_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_sha256_of_le_bytes() {
        // sha256 of the empty string.
        assert_eq!(
            digest::<f32>(&[]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // 1.0f32 is 00 00 80 3f little-endian; the same bytes as u32 0x3f800000.
        assert_eq!(digest(&[1.0f32]), digest(&[0x3f80_0000u32]));
        assert_ne!(digest(&[1.0f32]), digest(&[1.000_000_1f32]));
    }

    #[test]
    fn exact_comparison_reports_first_difference() {
        assert!(compare_exact(&[1i32, 2, 3], &[1, 2, 3]).is_ok());
        let err = compare_exact(&[1i32, 5, 3], &[1, 2, 3]).unwrap_err();
        assert_eq!(
            err,
            Mismatch::NotExact {
                index: 1,
                got: 5,
                want: 2
            }
        );
        assert!(matches!(
            compare_exact(&[1i32], &[1, 2]),
            Err(Mismatch::Length { .. })
        ));
    }

    #[test]
    fn close_comparison_uses_normwise_relative_error() {
        let tol = Tolerance {
            max_rel_error: 1e-3,
        };
        let ok = compare_close(&[100.0, 0.05], &[100.0, 0.0], tol).unwrap();
        assert!((ok.rel_error - 5e-4).abs() < 1e-12);
        let err = compare_close(&[100.0, 0.5], &[100.0, 0.0], tol).unwrap_err();
        assert!(matches!(err, Mismatch::TooFar { index: 1, .. }));
        let nan = compare_close(&[f64::NAN], &[1.0], tol).unwrap_err();
        assert!(matches!(nan, Mismatch::NotFinite { index: 0, .. }));
    }
}
