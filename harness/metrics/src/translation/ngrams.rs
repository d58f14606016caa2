//! N-gram multiset helpers shared by BLEU and chrF: local token interning with a fast hash,
//! packed n-gram keys, and clipped match counts by sorting and merging.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A small, fast, non-cryptographic hasher (the FxHash mixing step) for interning tokens.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(i as u64);
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Maps the tokens of one segment (hypothesis and its references) to small integer ids.
#[derive(Default)]
pub(crate) struct Interner<'a> {
    ids: HashMap<&'a str, u32, BuildHasherDefault<FxHasher>>,
}

impl<'a> Interner<'a> {
    pub(crate) fn ids(&mut self, tokens: impl Iterator<Item = &'a str>, out: &mut Vec<u32>) {
        out.clear();
        for t in tokens {
            let next = self.ids.len() as u32;
            out.push(*self.ids.entry(t).or_insert(next));
        }
    }
}

/// Sorted packed keys of all `n`-grams of `ids` (`n <= 4`, ids below 2^32).
pub(crate) fn sorted_ngram_keys(ids: &[u32], n: usize, out: &mut Vec<u128>) {
    out.clear();
    if ids.len() >= n {
        for w in ids.windows(n) {
            let mut key = 0u128;
            for &id in w {
                key = (key << 32) | id as u128;
            }
            out.push(key);
        }
    }
    out.sort_unstable();
}

/// Run-length form `(key, count)` of a sorted slice.
pub(crate) fn run_lengths<K: Ord + Copy>(sorted: &[K], out: &mut Vec<(K, u64)>) {
    out.clear();
    for &k in sorted {
        match out.last_mut() {
            Some((last, c)) if *last == k => *c += 1,
            _ => out.push((k, 1)),
        }
    }
}

/// Merge `other` into `acc` keeping the maximum count per key (both sorted by key).
pub(crate) fn max_merge<K: Ord + Copy>(
    acc: &mut Vec<(K, u64)>,
    other: &[(K, u64)],
    scratch: &mut Vec<(K, u64)>,
) {
    scratch.clear();
    let (mut i, mut j) = (0, 0);
    while i < acc.len() || j < other.len() {
        let take_left = j >= other.len() || (i < acc.len() && acc[i].0 < other[j].0);
        let take_right = i >= acc.len() || (j < other.len() && other[j].0 < acc[i].0);
        if take_left {
            scratch.push(acc[i]);
            i += 1;
        } else if take_right {
            scratch.push(other[j]);
            j += 1;
        } else {
            scratch.push((acc[i].0, acc[i].1.max(other[j].1)));
            i += 1;
            j += 1;
        }
    }
    std::mem::swap(acc, scratch);
}

/// `Σ_keys min(count in hyp, count in ref)` for sorted hypothesis keys and run-length
/// reference counts.
pub(crate) fn clipped_matches<K: Ord + Copy>(hyp_sorted: &[K], reference: &[(K, u64)]) -> u64 {
    let mut total = 0;
    let mut j = 0;
    let mut i = 0;
    while i < hyp_sorted.len() {
        let k = hyp_sorted[i];
        let mut run = 0u64;
        while i < hyp_sorted.len() && hyp_sorted[i] == k {
            run += 1;
            i += 1;
        }
        while j < reference.len() && reference[j].0 < k {
            j += 1;
        }
        if j < reference.len() && reference[j].0 == k {
            total += run.min(reference[j].1);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_and_max_merge() {
        let hyp = [1u32, 1, 1, 2, 5];
        let mut r1 = Vec::new();
        run_lengths(&[1u32, 2, 2, 3], &mut r1);
        assert_eq!(clipped_matches(&hyp, &r1), 2);
        let mut r2 = Vec::new();
        run_lengths(&[1u32, 1, 5], &mut r2);
        let mut scratch = Vec::new();
        max_merge(&mut r1, &r2, &mut scratch);
        assert_eq!(r1, vec![(1, 2), (2, 2), (3, 1), (5, 1)]);
        assert_eq!(clipped_matches(&hyp, &r1), 4);
    }
}
