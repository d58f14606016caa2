//! Seeded noise and mixing at a signal-to-noise ratio: white (Gaussian, Box–Muller) and pink
//! (Voss–McCartney) noise at unit RMS, added to a signal at a stated SNR.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Kinds of additive noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoiseKind {
    /// Gaussian white noise.
    White,
    /// Pink (1/f) noise.
    Pink,
}

/// Rows of the Voss–McCartney generator: row k changes every 2^k samples, so the spectrum
/// falls 3 dB per octave from a few hertz (16 kHz / 2^16) up to the Nyquist frequency.
const PINK_ROWS: usize = 16;

/// `len` samples of `kind` noise drawn from `rng` (unit RMS: scaled so that the mean square
/// of the `len` samples is exactly 1, to f32 rounding; pink noise has its mean removed first).
///
/// White noise is Gaussian, two samples per Box–Muller draw. Pink noise is the
/// Voss–McCartney sum: [`PINK_ROWS`] uniform random values, row k redrawn whenever the
/// sample index has exactly k trailing zero bits, plus a fresh white value each sample.
pub fn noise(kind: NoiseKind, len: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let mut out: Vec<f64> = match kind {
        NoiseKind::White => gaussian(len, rng),
        NoiseKind::Pink => pink(len, rng),
    };
    if kind == NoiseKind::Pink && len > 0 {
        let mean = out.iter().sum::<f64>() / len as f64;
        out.iter_mut().for_each(|x| *x -= mean);
    }
    let ms = mean_square64(&out);
    let scale = if ms > 0.0 { 1.0 / ms.sqrt() } else { 0.0 };
    out.iter().map(|x| (x * scale) as f32).collect()
}

/// Gaussian values (mean 0, variance 1) by the Box–Muller transform.
fn gaussian(len: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut out = Vec::with_capacity(len + 1);
    while out.len() < len {
        // u1 in (0, 1] so that ln(u1) is finite.
        let u1 = 1.0 - rng.random::<f64>();
        let u2 = rng.random::<f64>();
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        out.push(r * c);
        out.push(r * s);
    }
    out.truncate(len);
    out
}

/// Voss–McCartney pink noise (not yet normalised).
fn pink(len: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut rows = [0.0f64; PINK_ROWS];
    for r in &mut rows {
        *r = rng.random::<f64>() - 0.5;
    }
    let mut sum: f64 = rows.iter().sum();
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        // Sample i (from 1) updates the row of its lowest set bit; every 2^16th sample none.
        let k = (i + 1).trailing_zeros() as usize;
        if k < PINK_ROWS {
            let fresh = rng.random::<f64>() - 0.5;
            sum += fresh - rows[k];
            rows[k] = fresh;
        }
        out.push(sum + rng.random::<f64>() - 0.5);
    }
    out
}

fn mean_square64(x: &[f64]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64
}

/// The mean square (power) of `x`, accumulated in f64; 0 for no samples.
pub fn power(x: &[f32]) -> f64 {
    if x.is_empty() {
        return 0.0;
    }
    x.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / x.len() as f64
}

/// `signal` plus `noise` scaled so that the signal-to-noise power ratio is `snr_db` (signal
/// power measured over the whole signal); `noise` must be at least as long as `signal`.
///
/// The noise's power is measured over the part added (its first `signal.len()` samples). A
/// shorter noise is repeated from its start (documented fallback, not an error); a silent
/// signal or a silent noise leaves the signal unchanged (no ratio can be met).
pub fn mix_at_snr(signal: &[f32], noise: &[f32], snr_db: f64) -> Vec<f32> {
    if noise.is_empty() || signal.is_empty() {
        return signal.to_vec();
    }
    let part: Vec<f32> = noise.iter().copied().cycle().take(signal.len()).collect();
    let (ps, pn) = (power(signal), power(&part));
    if ps <= 0.0 || pn <= 0.0 || !snr_db.is_finite() {
        return signal.to_vec();
    }
    let gain = (ps / (pn * 10f64.powf(snr_db / 10.0))).sqrt();
    signal
        .iter()
        .zip(&part)
        .map(|(&s, &n)| (f64::from(s) + gain * f64::from(n)) as f32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng(seed: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(seed)
    }

    /// Power in the band [lo, hi) Hz of `x` at 16 kHz, by a plain DFT on a few bins.
    fn band_power(x: &[f32], lo: f64, hi: f64) -> f64 {
        let n = x.len();
        let df = 16_000.0 / n as f64;
        let (a, b) = ((lo / df).ceil() as usize, (hi / df).ceil() as usize);
        let spectrum = crate::dsp::fft::power_spectrum(x);
        spectrum[a..b].iter().sum::<f64>()
    }

    #[test]
    fn noise_has_unit_rms_and_is_deterministic_per_seed() {
        for kind in [NoiseKind::White, NoiseKind::Pink] {
            let a = noise(kind, 10_001, &mut rng(7));
            assert_eq!(a.len(), 10_001);
            assert!((power(&a) - 1.0).abs() < 1e-5, "{kind:?} {}", power(&a));
            assert_eq!(a, noise(kind, 10_001, &mut rng(7)));
            assert_ne!(a, noise(kind, 10_001, &mut rng(8)));
            assert!(noise(kind, 0, &mut rng(7)).is_empty());
        }
    }

    #[test]
    fn white_noise_is_gaussian_and_flat() {
        let x = noise(NoiseKind::White, 1 << 16, &mut rng(1));
        let mean = x.iter().map(|&v| f64::from(v)).sum::<f64>() / x.len() as f64;
        assert!(mean.abs() < 0.02, "{mean}");
        // Gaussian: about 68.3% within one standard deviation, 95.4% within two.
        let within = |k: f32| x.iter().filter(|v| v.abs() < k).count() as f64 / x.len() as f64;
        assert!((within(1.0) - 0.683).abs() < 0.01, "{}", within(1.0));
        assert!((within(2.0) - 0.954).abs() < 0.005, "{}", within(2.0));
        // Flat: octave bands hold power in proportion to their width (3 dB more per octave).
        let (low, high) = (
            band_power(&x, 500.0, 1000.0),
            band_power(&x, 4000.0, 8000.0),
        );
        let ratio_db = 10.0 * (high / low).log10();
        assert!((ratio_db - 9.03).abs() < 1.0, "{ratio_db}");
    }

    #[test]
    fn pink_noise_has_equal_power_per_octave() {
        let x = noise(NoiseKind::Pink, 1 << 17, &mut rng(2));
        let octaves: Vec<f64> = [62.5, 125.0, 250.0, 500.0, 1000.0, 2000.0]
            .iter()
            .map(|&lo| 10.0 * band_power(&x, lo, 2.0 * lo).log10())
            .collect();
        let mean = octaves.iter().sum::<f64>() / octaves.len() as f64;
        for (i, p) in octaves.iter().enumerate() {
            assert!(
                (p - mean).abs() < 1.5,
                "octave {i}: {p:.2} dB vs mean {mean:.2}"
            );
        }
        // and not white: the top octave of white noise would hold 15 dB more than 62.5 Hz.
        let white = noise(NoiseKind::White, 1 << 17, &mut rng(2));
        let w =
            10.0 * (band_power(&white, 2000.0, 4000.0) / band_power(&white, 62.5, 125.0)).log10();
        assert!(w > 12.0, "{w}");
    }

    #[test]
    fn mixing_meets_the_requested_snr_to_a_hundredth_of_a_decibel() {
        let signal: Vec<f32> = (0..16_000)
            .map(|i| 0.3 * (i as f32 * 0.07).sin() * ((i / 800) % 2) as f32)
            .collect();
        for kind in [NoiseKind::White, NoiseKind::Pink] {
            let n = noise(kind, 20_000, &mut rng(3));
            for snr in [-5.0, 0.0, 5.0, 10.0, 20.0, 37.5] {
                let mixed = mix_at_snr(&signal, &n, snr);
                assert_eq!(mixed.len(), signal.len());
                let added: Vec<f32> = mixed.iter().zip(&signal).map(|(m, s)| m - s).collect();
                let realised = 10.0 * (power(&signal) / power(&added)).log10();
                assert!((realised - snr).abs() < 0.01, "{kind:?} {snr}: {realised}");
            }
        }
    }

    #[test]
    fn mixing_repeats_a_short_noise_and_leaves_silence_alone() {
        let signal = vec![0.5f32; 10];
        let mixed = mix_at_snr(&signal, &[1.0, -1.0, 1.0], 0.0);
        assert_eq!(mixed[0], 1.0);
        assert_eq!(mixed[3], 1.0);
        assert_eq!(mixed[1], 0.0);
        assert_eq!(mix_at_snr(&[0.0; 4], &[1.0; 4], 10.0), vec![0.0; 4]);
        assert_eq!(mix_at_snr(&signal, &[0.0; 10], 10.0), signal);
        assert_eq!(mix_at_snr(&signal, &[], 10.0), signal);
    }
}
