//! Deterministic pseudo-random test inputs from a seed (ChaCha8), so every backend, the
//! reference and a later run see the same non-zero tensors.

use half::f16;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Fills `len` f32 values uniformly from `[-scale, scale)`, deterministically from `seed`.
pub fn f32_values(seed: u64, len: usize, scale: f32) -> Vec<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..len)
        .map(|_| rng.random_range(-1.0f32..1.0) * scale)
        .collect()
}

/// Fills `len` f16 values uniformly from `[-scale, scale)` (rounded from f32).
pub fn f16_values(seed: u64, len: usize, scale: f32) -> Vec<f16> {
    f32_values(seed, len, scale)
        .into_iter()
        .map(f16::from_f32)
        .collect()
}

/// Fills `len` i8 values uniformly from the full range `[-128, 127]`.
pub fn i8_values(seed: u64, len: usize) -> Vec<i8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..len).map(|_| rng.random::<i8>()).collect()
}

/// Derives the seed of the `index`-th tensor of a workload from the workload seed, so
/// tensors of one workload differ from each other.
pub fn sub_seed(seed: u64, index: u64) -> u64 {
    seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(index.wrapping_mul(0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_values_different_seed_different_values() {
        assert_eq!(f32_values(7, 64, 1.0), f32_values(7, 64, 1.0));
        assert_ne!(f32_values(7, 64, 1.0), f32_values(8, 64, 1.0));
        assert_eq!(i8_values(3, 64), i8_values(3, 64));
    }

    #[test]
    fn values_are_not_all_zero_and_within_range() {
        let v = f32_values(1, 1000, 0.5);
        assert!(v.iter().all(|x| (-0.5..0.5).contains(x)));
        assert!(v.iter().filter(|x| **x != 0.0).count() > 990);
        let q = i8_values(1, 1000);
        assert!(q.iter().any(|x| *x < -100) && q.iter().any(|x| *x > 100));
    }
}
