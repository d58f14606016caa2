//! Which output positions an answer must return: the whole output when it is small, otherwise
//! a fixed number of distinct positions (always the first and the last) drawn from a seed that
//! the harness derives from the dataset, so every run of a dataset probes the same positions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// The sorted positions to probe in an output of `len` elements: all of them when
/// `len <= full_output_max`, else `probes` distinct positions (at most `len`) including `0`
/// and `len - 1`, drawn with ChaCha8 from `seed`.
pub fn positions(len: usize, probes: usize, full_output_max: usize, seed: u64) -> Vec<usize> {
    if len <= full_output_max || probes >= len {
        return (0..len).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut chosen: BTreeSet<usize> = [0, len - 1].into_iter().collect();
    while chosen.len() < probes.max(2) {
        chosen.insert(rng.random_range(0..len));
    }
    chosen.into_iter().collect()
}

/// A probe seed from a sha256 hex digest (its first 16 hex digits), so the positions follow
/// the dataset's content; `0` when the text is not hex.
pub fn seed_from_sha256(hex: &str) -> u64 {
    hex.get(..16)
        .and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_outputs_are_probed_whole_large_ones_sparsely() {
        assert_eq!(positions(5, 256, 4096, 1), vec![0, 1, 2, 3, 4]);
        let p = positions(1_000_000, 256, 4096, 7);
        assert_eq!(p.len(), 256);
        assert_eq!((p[0], p[255]), (0, 999_999));
        assert!(p.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(p, positions(1_000_000, 256, 4096, 7));
        assert_ne!(p, positions(1_000_000, 256, 4096, 8));
        assert_eq!(positions(300, 256, 10, 1).len(), 256);
        assert_eq!(seed_from_sha256("00000000000000ff"), 255);
        assert_eq!(seed_from_sha256("zz"), 0);
    }
}
