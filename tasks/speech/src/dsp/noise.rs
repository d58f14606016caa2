//! Seeded noise and mixing at a signal-to-noise ratio.

use rand_chacha::ChaCha8Rng;

/// Kinds of additive noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoiseKind {
    /// Gaussian white noise.
    White,
    /// Pink (1/f) noise.
    Pink,
}

/// `len` samples of `kind` noise drawn from `rng` (unit RMS).
pub fn noise(kind: NoiseKind, len: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let _ = (kind, rng);
    vec![0.0; len]
}

/// `signal` plus `noise` scaled so that the signal-to-noise power ratio is `snr_db` (signal
/// power measured over the whole signal); `noise` must be at least as long as `signal`.
pub fn mix_at_snr(signal: &[f32], noise: &[f32], snr_db: f64) -> Vec<f32> {
    let _ = (noise, snr_db);
    signal.to_vec()
}
