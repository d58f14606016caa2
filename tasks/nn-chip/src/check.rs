//! The harness's correctness decision for one answer: the probed values against the CPU
//! reference the harness computes itself (integers bit-exact, floats within the kernel's
//! stated normwise relative error), the integer digest against the reference's, and, when the
//! whole output was returned, the claimed digest against those values.

use crate::answer::KernelAnswer;
use crate::spec::DType;
use half::f16;
use jiebang_accel::compare::digest;
use jiebang_accel::{KernelKind, Output, Tolerance};

/// The decision on one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// Whether the output is accepted.
    pub correct: bool,
    /// Normwise relative error over the probes, `max |got − want| / max |want|` with the
    /// maximum of `|want|` taken over the whole reference (0 for exact agreement); `None` when
    /// a probed value is not finite.
    pub rel_error: Option<f64>,
    /// The tolerance held to.
    pub tolerance: f64,
    /// Why the output was rejected (empty when accepted).
    pub detail: String,
}

/// Whether `x` is `value` up to the decimal rounding of a transport (the run log writes
/// floats with 12 significant digits, far finer than an f32 or f16 ulp).
fn same_after_rounding(x: f64, value: f64) -> bool {
    (x - value).abs() <= value.abs() * 1e-9
}

/// The digest of the returned values as `dtype`: each value is taken as the nearest
/// element of that type, and must be it up to decimal rounding.
fn digest_of(dtype: DType, values: &[f64]) -> Result<String, String> {
    match dtype {
        DType::F32 => {
            let v: Vec<f32> = values.iter().map(|&x| x as f32).collect();
            if let Some(i) = v
                .iter()
                .zip(values)
                .position(|(a, b)| !same_after_rounding(f64::from(*a), *b))
            {
                return Err(format!("output value {} is not an f32", values[i]));
            }
            Ok(digest(&v))
        }
        DType::F16 => {
            let v: Vec<f16> = values.iter().map(|&x| f16::from_f64(x)).collect();
            if let Some(i) = v
                .iter()
                .zip(values)
                .position(|(a, b)| !same_after_rounding(a.to_f64(), *b))
            {
                return Err(format!("output value {} is not an f16", values[i]));
            }
            Ok(digest(&v))
        }
        DType::I32 => {
            let v: Vec<i32> = values.iter().map(|&x| x as i32).collect();
            Ok(digest(&v))
        }
        DType::I8 => Err("i8 is not an output type".into()),
    }
}

/// Decides one answer. `reference` is the harness's reference output ([`Output::I32`] or
/// [`Output::F64`]), `positions` the probed positions, `whole` whether they cover the whole
/// output, `dtype` the output's element type.
pub fn decide(
    kernel: KernelKind,
    dtype: DType,
    reference: &Output,
    positions: &[usize],
    whole: bool,
    answer: &KernelAnswer,
) -> Verdict {
    let tolerance = Tolerance::for_kernel(kernel).max_rel_error;
    let want = reference.to_f64();
    let reject = |rel_error, detail: String| Verdict {
        correct: false,
        rel_error,
        tolerance,
        detail,
    };
    if positions.len() != answer.probes.len() {
        return reject(None, "probe count differs from the query".into());
    }
    let scale = want.iter().fold(0.0f64, |m, w| m.max(w.abs()));
    let mut worst = (0.0f64, 0usize);
    let mut got_all = Vec::with_capacity(positions.len());
    for (&pos, got) in positions.iter().zip(&answer.probes) {
        let Some(&w) = want.get(pos) else {
            return reject(None, format!("probe position {pos} is outside the output"));
        };
        let Some(g) = *got else {
            return reject(
                None,
                format!("output[{pos}] is not finite; the reference is {w}"),
            );
        };
        let d = (g - w).abs();
        if d > worst.0 {
            worst = (d, pos);
        }
        got_all.push(g);
    }
    let rel = if scale > 0.0 {
        worst.0 / scale
    } else if worst.0 == 0.0 {
        0.0
    } else {
        f64::INFINITY
    };
    let rel_error = rel.is_finite().then_some(rel);
    if dtype.is_integer() {
        if worst.0 != 0.0 {
            let pos = worst.1;
            let g = positions
                .iter()
                .position(|&p| p == pos)
                .and_then(|i| answer.probes[i])
                .unwrap_or(f64::NAN);
            return reject(
                rel_error,
                format!(
                    "output[{pos}] = {g} but the reference is {} (integer results must match exactly)",
                    want[pos]
                ),
            );
        }
        let ref_digest = reference.digest();
        if answer.output_digest != ref_digest {
            return reject(
                rel_error,
                format!(
                    "output digest {} differs from the reference's {ref_digest}: an element outside the probes differs",
                    answer.output_digest
                ),
            );
        }
    } else if rel > tolerance {
        return reject(
            rel_error,
            format!(
                "normwise relative error {rel:.3e} exceeds {tolerance:.1e} (worst at output[{}])",
                worst.1
            ),
        );
    }
    if whole && !dtype.is_integer() {
        match digest_of(dtype, &got_all) {
            Ok(d) if d == answer.output_digest => {}
            Ok(d) => {
                return reject(
                    rel_error,
                    format!(
                        "the answer's output_digest {} is not the digest of its own output values ({d})",
                        answer.output_digest
                    ),
                );
            }
            Err(e) => return reject(rel_error, e),
        }
    }
    Verdict {
        correct: true,
        rel_error,
        tolerance,
        detail: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(probes: Vec<Option<f64>>, digest: String) -> KernelAnswer {
        KernelAnswer {
            seconds: vec![1.0],
            output_digest: digest,
            probes,
            energy_j: None,
            energy_reason: None,
            peak_ops_per_second: None,
            peak_basis: None,
        }
    }

    #[test]
    fn integers_must_match_exactly_including_the_digest() {
        let r = Output::I32(vec![5, -7, 9, 11]);
        let ok = answer(vec![Some(5.0), Some(11.0)], r.digest());
        let v = decide(KernelKind::GemmI8, DType::I32, &r, &[0, 3], false, &ok);
        assert!(v.correct && v.rel_error == Some(0.0), "{v:?}");
        let off = answer(vec![Some(5.0), Some(12.0)], r.digest());
        let v = decide(KernelKind::GemmI8, DType::I32, &r, &[0, 3], false, &off);
        assert!(!v.correct && v.detail.contains("output[3] = 12"), "{v:?}");
        // Probes agree but an unprobed element differs: the digest gives it away.
        let hidden = answer(
            vec![Some(5.0), Some(11.0)],
            Output::I32(vec![5, -6, 9, 11]).digest(),
        );
        let v = decide(KernelKind::GemmI8, DType::I32, &r, &[0, 3], false, &hidden);
        assert!(
            !v.correct && v.detail.contains("outside the probes"),
            "{v:?}"
        );
    }

    #[test]
    fn floats_within_tolerance_and_whole_outputs_match_their_digest() {
        let r = Output::F64(vec![1.0, -2.0, 4.0]);
        let vals = [1.0f32, -2.0, 4.0001];
        let d = digest(&vals);
        let probes: Vec<_> = vals.iter().map(|&v| Some(f64::from(v))).collect();
        let v = decide(
            KernelKind::GemmF32,
            DType::F32,
            &r,
            &[0, 1, 2],
            true,
            &answer(probes.clone(), d.clone()),
        );
        assert!(v.correct, "{v:?}");
        assert!((v.rel_error.unwrap() - 2.5e-5).abs() < 1e-6);
        // Values rounded to 12 significant digits in transit still stand for their f32.
        let rounded: Vec<_> = vals
            .iter()
            .map(|&v| Some(format!("{:.11e}", f64::from(v)).parse::<f64>().unwrap()))
            .collect();
        assert_ne!(rounded[2], probes[2]);
        let v = decide(
            KernelKind::GemmF32,
            DType::F32,
            &r,
            &[0, 1, 2],
            true,
            &answer(rounded, d.clone()),
        );
        assert!(v.correct, "{v:?}");
        // A value that is no f32 at all is rejected.
        let odd = vec![Some(1.0), Some(-2.0), Some(4.000_000_01)];
        let v = decide(
            KernelKind::GemmF32,
            DType::F32,
            &r,
            &[0, 1, 2],
            true,
            &answer(odd, d.clone()),
        );
        assert!(!v.correct && v.detail.contains("not an f32"), "{v:?}");
        // A digest that is not the digest of the returned values is rejected.
        let v = decide(
            KernelKind::GemmF32,
            DType::F32,
            &r,
            &[0, 1, 2],
            true,
            &answer(probes.clone(), "0".repeat(64)),
        );
        assert!(!v.correct && v.detail.contains("not the digest"), "{v:?}");
        // Too far.
        let far = vec![Some(1.0), Some(-2.0), Some(4.01)];
        let v = decide(
            KernelKind::GemmF32,
            DType::F32,
            &r,
            &[0, 1, 2],
            false,
            &answer(far, d.clone()),
        );
        assert!(!v.correct && v.detail.contains("exceeds"), "{v:?}");
        // Not finite.
        let v = decide(
            KernelKind::GemmF32,
            DType::F32,
            &r,
            &[1],
            false,
            &answer(vec![None], d),
        );
        assert!(!v.correct && v.rel_error.is_none(), "{v:?}");
    }
}
