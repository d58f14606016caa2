//! Linear convolution of real signals, by FFT (realfft) for long inputs and directly for short
//! ones, and the power spectrum the noise tests measure bands with.

use realfft::RealFftPlanner;
use realfft::num_complex::Complex;

/// Below this many multiply-adds direct convolution is used (it is then as fast and exact).
const DIRECT_WORK: usize = 1 << 14;

/// The full linear convolution of `a` and `b` (`a.len() + b.len() - 1` samples; empty if
/// either is empty). Long inputs go through one real FFT of the next power of two at or
/// above that length, in f64 so the result matches direct convolution to ~1e-12 of its scale.
pub fn convolve(a: &[f32], b: &[f32]) -> Vec<f32> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    if a.len().saturating_mul(b.len()) <= DIRECT_WORK {
        return convolve_direct(a, b);
    }
    let out_len = a.len() + b.len() - 1;
    let n = out_len.next_power_of_two();
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(n);
    let inverse = planner.plan_fft_inverse(n);
    let spectrum = |x: &[f32]| -> Vec<Complex<f64>> {
        let mut input = forward.make_input_vec();
        for (slot, &v) in input.iter_mut().zip(x) {
            *slot = f64::from(v);
        }
        let mut out = forward.make_output_vec();
        forward
            .process(&mut input, &mut out)
            .expect("buffers made by the plan have the plan's lengths");
        out
    };
    let mut fa = spectrum(a);
    let fb = spectrum(b);
    for (x, y) in fa.iter_mut().zip(&fb) {
        *x *= *y;
    }
    // The DC and Nyquist bins of a real signal's spectrum are real; make sure of it.
    fa[0].im = 0.0;
    if let Some(last) = fa.last_mut() {
        last.im = 0.0;
    }
    let mut time = inverse.make_output_vec();
    inverse
        .process(&mut fa, &mut time)
        .expect("buffers made by the plan have the plan's lengths");
    let scale = 1.0 / n as f64;
    time[..out_len].iter().map(|v| (v * scale) as f32).collect()
}

/// The full linear convolution of `a` and `b` by the defining sum (f64 accumulation).
pub fn convolve_direct(a: &[f32], b: &[f32]) -> Vec<f32> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0.0f64; a.len() + b.len() - 1];
    for (i, &x) in a.iter().enumerate() {
        for (j, &y) in b.iter().enumerate() {
            out[i + j] += f64::from(x) * f64::from(y);
        }
    }
    out.into_iter().map(|v| v as f32).collect()
}

/// The power |X(k)|² of each bin k = 0..=n/2 of the real FFT of `x` (bin k is at
/// k · rate / n hertz). Empty input gives an empty spectrum.
pub fn power_spectrum(x: &[f32]) -> Vec<f64> {
    if x.is_empty() {
        return Vec::new();
    }
    let mut planner = RealFftPlanner::<f64>::new();
    let forward = planner.plan_fft_forward(x.len());
    let mut input: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    let mut out = forward.make_output_vec();
    forward
        .process(&mut input, &mut out)
        .expect("buffers made by the plan have the plan's lengths");
    out.iter().map(|c| c.norm_sqr()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    fn random(len: usize, seed: u64) -> Vec<f32> {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..len).map(|_| rng.random::<f32>() * 2.0 - 1.0).collect()
    }

    #[test]
    fn fft_convolution_equals_direct_convolution() {
        for (n, m) in [
            (1, 1),
            (1, 300),
            (200, 100),
            (513, 257),
            (1000, 1),
            (3000, 700),
        ] {
            let (a, b) = (random(n, n as u64), random(m, 1000 + m as u64));
            let direct = convolve_direct(&a, &b);
            // force the FFT path whatever the sizes
            let fft = {
                let mut a2 = a.clone();
                a2.resize(n.max(DIRECT_WORK + 1), 0.0);
                let mut c = convolve(&a2, &b);
                c.truncate(n + m - 1);
                c
            };
            assert_eq!(fft.len(), direct.len());
            let scale = direct.iter().fold(0.0f32, |s, v| s.max(v.abs())).max(1.0);
            for (k, (x, y)) in fft.iter().zip(&direct).enumerate() {
                assert!((x - y).abs() <= 1e-5 * scale, "{n}x{m} at {k}: {x} vs {y}");
            }
            assert_eq!(convolve(&a, &b).len(), n + m - 1);
        }
    }

    #[test]
    fn convolving_with_a_delayed_impulse_shifts() {
        let a = random(5000, 9);
        let mut h = vec![0.0; 40];
        h[37] = 0.5;
        let y = convolve(&a, &h);
        assert_eq!(y.len(), 5039);
        for i in 0..5000 {
            assert!((y[i + 37] - 0.5 * a[i]).abs() < 1e-6);
        }
        assert!(convolve(&[], &h).is_empty() && convolve_direct(&a, &[]).is_empty());
    }

    #[test]
    fn the_power_spectrum_finds_a_tone() {
        let x: Vec<f32> = (0..1600)
            .map(|i| (std::f32::consts::TAU * 1000.0 * i as f32 / 16_000.0).sin())
            .collect();
        let p = power_spectrum(&x);
        assert_eq!(p.len(), 801);
        let peak = (0..p.len()).max_by(|&i, &j| p[i].total_cmp(&p[j])).unwrap();
        assert_eq!(peak, 100); // 1000 Hz at 10 Hz a bin
        // Parseval: sum of |X|² over the full spectrum is n · sum of x².
        let full: f64 = p[0] + p[800] + 2.0 * p[1..800].iter().sum::<f64>();
        let energy: f64 = x.iter().map(|&v| f64::from(v).powi(2)).sum();
        assert!((full / 1600.0 - energy).abs() < 1e-6 * energy);
    }
}
