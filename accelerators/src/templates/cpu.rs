//! 1:N matching on the CPU: blocks of probes × blocks of gallery rows through the `gemm`
//! crate (AVX-512/AVX2 kernels, rayon), then a parallel top-k selection per probe row.

// One `unsafe` call: the gemm crate's raw-pointer entry point, which takes the gallery
// block transposed by strides (no copy). Every pointer and extent is checked below.
#![allow(unsafe_code)]

use rayon::prelude::*;

use super::select::{Candidate, Selector};
use super::set::TemplateSet;

/// Probes per block (rows of the score block).
const PROBE_BLOCK: usize = 1024;
/// Gallery rows per block (columns of the score block): 1024 × 16384 f32 = 64 MiB.
const GALLERY_BLOCK: usize = 16384;

/// Top-k of every probe row; memory beyond the two sets is one score block and the selectors.
pub(super) fn top_k(gallery: &TemplateSet, probes: &TemplateSet, k: usize) -> Vec<Vec<Candidate>> {
    let d = gallery.dim();
    let (n, p) = (gallery.len(), probes.len());
    let mut out = Vec::with_capacity(p);
    let mut scores = vec![0.0f32; PROBE_BLOCK.min(p) * GALLERY_BLOCK.min(n)];
    let threads = rayon::current_num_threads();
    for p0 in (0..p).step_by(PROBE_BLOCK) {
        let pb = PROBE_BLOCK.min(p - p0);
        let mut selectors: Vec<Selector> = (0..pb).map(|_| Selector::new(k)).collect();
        for g0 in (0..n).step_by(GALLERY_BLOCK) {
            let gb = GALLERY_BLOCK.min(n - g0);
            let block = &mut scores[..pb * gb];
            scores_block(
                &probes.as_slice()[p0 * d..(p0 + pb) * d],
                &gallery.as_slice()[g0 * d..(g0 + gb) * d],
                d,
                block,
                threads,
            );
            selectors
                .par_iter_mut()
                .zip(block.par_chunks(gb))
                .enumerate()
                .for_each(|(i, (sel, row))| {
                    if !probes.is_failed(p0 + i) {
                        sel.offer(g0, row, |j| gallery.is_failed(j));
                    }
                });
        }
        out.extend(selectors.into_iter().map(Selector::finish));
    }
    out
}

/// `block[i][j] = probes[i] · gallery[j]` for `pb = probes.len() / d` rows and
/// `gb = gallery.len() / d` columns, row-major.
fn scores_block(probes: &[f32], gallery: &[f32], d: usize, block: &mut [f32], threads: usize) {
    let (pb, gb) = (probes.len() / d, gallery.len() / d);
    assert!(
        d > 0 && probes.len() == pb * d && gallery.len() == gb * d && block.len() == pb * gb,
        "score block extents"
    );
    if pb == 0 || gb == 0 {
        return;
    }
    let stride = |v: usize| isize::try_from(v).expect("block extents fit isize");
    // SAFETY: dst is `block`, pb × gb row-major (row stride gb, column stride 1); lhs is
    // `probes`, pb × d row-major; rhs is `gallery` read as its transpose, d × gb (element
    // (l, j) at j·d + l: row stride 1, column stride d). The asserts above make every
    // addressed element lie inside its slice; `block` is borrowed mutably and does not
    // alias the two shared inputs; read_dst = false, so dst's old values are not read.
    unsafe {
        gemm::gemm(
            pb,
            gb,
            d,
            block.as_mut_ptr(),
            1,
            stride(gb),
            false,
            probes.as_ptr(),
            1,
            stride(d),
            gallery.as_ptr(),
            stride(d),
            1,
            0.0f32,
            1.0f32,
            false,
            false,
            false,
            gemm::Parallelism::Rayon(threads),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_block_is_probes_times_gallery_transposed() {
        // probes 2×3, gallery 4×3.
        let probes = [1.0, 2.0, 3.0, -1.0, 0.0, 1.0];
        let gallery = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0];
        let mut block = [9.0f32; 8];
        scores_block(&probes, &gallery, 3, &mut block, 2);
        assert_eq!(block, [1.0, 2.0, 3.0, 6.0, -1.0, 0.0, 1.0, 0.0]);
    }
}
