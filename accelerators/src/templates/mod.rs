//! Face templates for 1:N and 1:1 matching: checks, normalised sets, and cosine top-k as a
//! matrix product on any [`Device`] (CPU GEMM + rayon; wgpu and CUDA through their GEMM).
//!
//! ```
//! use jiebang_accel::Device;
//! use jiebang_accel::templates::TemplateSet;
//! let mut gallery = TemplateSet::new(3)?;
//! gallery.push(&[1.0, 0.0, 0.0])?;
//! gallery.push(&[0.0, 2.0, 0.0])?;
//! let mut probes = TemplateSet::new(3)?;
//! probes.push(&[0.1, 1.0, 0.0])?;
//! let top = Device::cpu().top_k(&gallery, &probes, 1)?;
//! assert_eq!(top.probe(0)[0].index, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod blocked;
mod check;
mod cpu;
mod select;
mod set;

use rayon::prelude::*;

pub use check::{MAX_DIM, TemplateError, check};
pub use select::{Candidate, TopK};
pub use set::TemplateSet;

use crate::device::Device;
use crate::error::Result;

impl Device {
    /// The best `k` gallery rows of every probe row by cosine similarity (descending, ties
    /// by lower row), computed in blocks: beyond the two sets and the result, memory is one
    /// score block (64 MiB) plus at most 2·min(k, gallery) candidates per probe in progress.
    /// Failed gallery rows never appear; a failed probe row gets no candidates.
    pub fn top_k(&self, gallery: &TemplateSet, probes: &TemplateSet, k: usize) -> Result<TopK> {
        if gallery.dim() != probes.dim() {
            return Err(TemplateError::DimensionMismatch {
                gallery: gallery.dim(),
                probes: probes.dim(),
            }
            .into());
        }
        if k == 0 {
            return Err(TemplateError::ZeroK.into());
        }
        // More than the gallery cannot be returned; the cap also bounds the selectors.
        let k = k.min(gallery.len().max(1));
        let per_probe = match self {
            Device::Cpu(_) => cpu::top_k(gallery, probes, k),
            Device::Wgpu(_) | Device::Cuda(_) => blocked::top_k(self, gallery, probes, k)?,
        };
        Ok(TopK { per_probe })
    }

    /// Cosine similarity of each pair `(row of a, row of b)`, `None` where either row failed.
    /// A pair is one dot product, bandwidth-bound, so every backend computes them on the host
    /// (uploading the rows would cost more than the arithmetic), with f64 accumulation.
    pub fn pair_scores(
        &self,
        a: &TemplateSet,
        b: &TemplateSet,
        pairs: &[(usize, usize)],
    ) -> Result<Vec<Option<f32>>> {
        if a.dim() != b.dim() {
            return Err(TemplateError::DimensionMismatch {
                gallery: a.dim(),
                probes: b.dim(),
            }
            .into());
        }
        for (pair, &(i, j)) in pairs.iter().enumerate() {
            for (side, index, len) in [('a', i, a.len()), ('b', j, b.len())] {
                if index >= len {
                    return Err(TemplateError::PairOutOfRange {
                        pair,
                        side,
                        index,
                        len,
                    }
                    .into());
                }
            }
        }
        Ok(pairs
            .par_iter()
            .map(|&(i, j)| {
                let (x, y) = (a.row(i)?, b.row(j)?);
                let dot: f64 = x
                    .iter()
                    .zip(y)
                    .map(|(&u, &v)| f64::from(u) * f64::from(v))
                    .sum();
                Some(dot as f32)
            })
            .collect())
    }
}
