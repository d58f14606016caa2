//! 1:N matching on a GPU backend (wgpu, CUDA) through its tested f32 GEMM kernel, in blocks:
//! each gallery block is transposed once on the host, scores come back, top-k runs on the CPU.

use rayon::prelude::*;

use super::select::{Candidate, Selector};
use super::set::TemplateSet;
use crate::device::Device;
use crate::error::Result;

/// Probes per GEMM (rows of the score block).
const PROBE_BLOCK: usize = 2048;
/// Gallery rows per GEMM (columns): 2048 × 8192 f32 = 64 MiB per score block.
const GALLERY_BLOCK: usize = 8192;

/// Top-k of every probe row through `device.gemm_f32`.
pub(super) fn top_k(
    device: &Device,
    gallery: &TemplateSet,
    probes: &TemplateSet,
    k: usize,
) -> Result<Vec<Vec<Candidate>>> {
    let d = gallery.dim();
    let (n, p) = (gallery.len(), probes.len());
    let mut selectors: Vec<Selector> = (0..p).map(|_| Selector::new(k)).collect();
    let mut transposed = Vec::new();
    for g0 in (0..n).step_by(GALLERY_BLOCK) {
        let gb = GALLERY_BLOCK.min(n - g0);
        transpose(
            &gallery.as_slice()[g0 * d..(g0 + gb) * d],
            d,
            &mut transposed,
        );
        for p0 in (0..p).step_by(PROBE_BLOCK) {
            let pb = PROBE_BLOCK.min(p - p0);
            let rows = &probes.as_slice()[p0 * d..(p0 + pb) * d];
            let block = device.gemm_f32(pb, gb, d, rows, &transposed)?;
            selectors[p0..p0 + pb]
                .par_iter_mut()
                .zip(block.par_chunks(gb))
                .enumerate()
                .for_each(|(i, (sel, row))| {
                    if !probes.is_failed(p0 + i) {
                        sel.offer(g0, row, |j| gallery.is_failed(j));
                    }
                });
        }
    }
    Ok(selectors.into_iter().map(Selector::finish).collect())
}

/// `out` (d × rows, row-major) = the transpose of `rows` (rows × d, row-major).
fn transpose(rows: &[f32], d: usize, out: &mut Vec<f32>) {
    let n = rows.len() / d;
    out.clear();
    out.resize(rows.len(), 0.0);
    out.par_chunks_mut(n).enumerate().for_each(|(l, col)| {
        for (j, v) in col.iter_mut().enumerate() {
            *v = rows[j * d + l];
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn transpose_of_a_3x2() {
        let mut out = Vec::new();
        super::transpose(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, &mut out);
        assert_eq!(out, vec![1.0, 3.0, 5.0, 2.0, 4.0, 6.0]);
    }
}
