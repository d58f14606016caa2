//! A simulated far-field room: shoebox geometry, image-source room impulse response, FFT
//! convolution, all seeded.
//!
//! The impulse response follows Allen & Berkley (1979), "Image method for efficiently
//! simulating small-room acoustics": every image of the source in the lattice of mirrored
//! rooms contributes an impulse delayed by its distance over the speed of sound, scaled by
//! 1/(4πr) and by the wall reflection coefficient β once per wall it was mirrored in. All six
//! walls share one β, chosen so that the model's energy decays 60 dB in the room's RT60 (see
//! [`Room::reflection_coefficient`]; Sabine's diffuse-field β, α = 0.161 V / (S · RT60),
//! is within 0.035 of it but leaves the specular model's decay 5–25% long).
//! Images are summed up to the time the direct sound has decayed 60 dB (direct delay +
//! RT60), which fixes the reflection order per axis. Arrivals within [`EARLY_SECONDS`] of
//! the direct sound are placed with a Hann-windowed sinc (fractional delay,
//! ±[`SINC_HALF_WIDTH`] samples); later ones, dense and diffuse, at the nearest sample. As
//! Allen & Berkley advise, the response is then high-passed ([`HIGH_PASS_HZ`]) to remove the
//! slowly varying positive offset that all-positive reflections build up (without it the
//! measured decay is 30% longer than RT60).

use crate::audio::Audio;
use crate::dsp::fft::convolve;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Speed of sound, metres per second (air at about 20 °C).
pub const SPEED_OF_SOUND: f64 = 343.0;
/// Arrivals this many seconds after the direct sound or earlier get a fractional delay.
pub const EARLY_SECONDS: f64 = 0.05;
/// Taps either side of an early arrival's windowed-sinc fractional delay.
pub const SINC_HALF_WIDTH: i64 = 8;
/// The impulse response's high-pass cutoff, Hz (below the speech band).
pub const HIGH_PASS_HZ: f64 = 80.0;
/// Smallest source–image distance used in the 1/(4πr) spreading (a source on the microphone).
const MIN_DISTANCE: f64 = 0.1;

/// The ranges [`Room::far_field`] draws from (uniformly), metres and seconds.
pub mod ranges {
    /// Room length: from `max(6, distance + 1.5)`, this many metres more at most.
    pub const LENGTH_SPAN: f64 = 4.0;
    /// Shortest room length.
    pub const LENGTH_MIN: f64 = 6.0;
    /// Room width.
    pub const WIDTH: (f64, f64) = (4.0, 7.0);
    /// Room height.
    pub const HEIGHT: (f64, f64) = (2.6, 3.4);
    /// Reverberation time RT60, seconds (living rooms and offices).
    pub const RT60: (f64, f64) = (0.3, 0.6);
    /// Microphone height (a device on a table or shelf).
    pub const MIC_HEIGHT: (f64, f64) = (0.7, 1.2);
    /// Source height (a seated or standing talker's mouth).
    pub const SOURCE_HEIGHT: (f64, f64) = (1.1, 1.8);
    /// Least distance from any wall, floor or ceiling of the source and the microphone.
    pub const WALL_MARGIN: f64 = 0.5;
}

/// A shoebox room with one source and one microphone.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Length, width, height in metres.
    pub dims: [f64; 3],
    /// Reverberation time RT60 in seconds (the walls' reflection coefficient follows from it,
    /// see [`Room::reflection_coefficient`]).
    pub rt60_s: f64,
    /// Source position, metres.
    pub source: [f64; 3],
    /// Microphone position, metres.
    pub mic: [f64; 3],
}

fn uniform(rng: &mut ChaCha8Rng, (lo, hi): (f64, f64)) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

impl Room {
    /// A room drawn from `seed` with the source `distance_m` from the microphone (dimensions,
    /// RT60 and positions within the documented ranges).
    ///
    /// Drawn uniformly, in this order: length in [max(6, d + 1.5), that + 4] m, width in
    /// [4, 7] m, height in [2.6, 3.4] m, RT60 in [0.3, 0.6] s, microphone height in
    /// [0.7, 1.2] m, source height in [1.1, 1.8] m (see [`ranges`]); then the microphone's
    /// floor position and the direction to the source, redrawn until both are at least
    /// 0.5 m from every wall (after 1000 draws, a fixed placement along the room's length,
    /// which always fits). The source is exactly `distance_m` from the microphone (a
    /// negative or non-finite distance is taken as 0; a distance below the height difference
    /// puts the source straight above or below the microphone).
    pub fn far_field(distance_m: f64, seed: u64) -> Room {
        use ranges::*;
        let d = if distance_m.is_finite() {
            distance_m.max(0.0)
        } else {
            0.0
        };
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let min_len = LENGTH_MIN.max(d + 1.5);
        let dims = [
            uniform(&mut rng, (min_len, min_len + LENGTH_SPAN)),
            uniform(&mut rng, WIDTH),
            uniform(&mut rng, HEIGHT),
        ];
        let rt60_s = uniform(&mut rng, RT60);
        let mic_z = uniform(&mut rng, MIC_HEIGHT);
        let mut src_z = uniform(&mut rng, SOURCE_HEIGHT);
        if (src_z - mic_z).abs() > d {
            src_z = mic_z + d;
        }
        let horizontal = (d * d - (src_z - mic_z).powi(2)).max(0.0).sqrt();
        let inside = |v: f64, dim: f64| v >= WALL_MARGIN && v <= dim - WALL_MARGIN;
        let span = |dim: f64| (WALL_MARGIN, dim - WALL_MARGIN);
        for _ in 0..1000 {
            let mic = [
                uniform(&mut rng, span(dims[0])),
                uniform(&mut rng, span(dims[1])),
                mic_z,
            ];
            let angle = uniform(&mut rng, (0.0, std::f64::consts::TAU));
            let source = [
                mic[0] + horizontal * angle.cos(),
                mic[1] + horizontal * angle.sin(),
                src_z,
            ];
            if inside(source[0], dims[0]) && inside(source[1], dims[1]) {
                return Room {
                    dims,
                    rt60_s,
                    source,
                    mic,
                };
            }
        }
        let mic = [WALL_MARGIN, dims[1] / 2.0, mic_z];
        Room {
            dims,
            rt60_s,
            source: [WALL_MARGIN + horizontal, dims[1] / 2.0, src_z],
            mic,
        }
    }

    /// The straight-line distance from the source to the microphone, metres.
    pub fn distance(&self) -> f64 {
        (0..3)
            .map(|a| (self.source[a] - self.mic[a]).powi(2))
            .sum::<f64>()
            .sqrt()
    }

    /// The reflection coefficient Sabine's formula gives, β = √(1 − α) with
    /// α = 0.161 V / (S · RT60) (capped at 0.99): right for a diffuse field, but a specular
    /// image model of a shoebox then decays 30–60% slower than RT60 (see
    /// [`Room::reflection_coefficient`]). Kept for comparison.
    pub fn sabine_reflection_coefficient(&self) -> f64 {
        let [l, w, h] = self.dims;
        let volume = l * w * h;
        let surface = 2.0 * (l * w + l * h + w * h);
        let alpha = (0.161 * volume / (surface * self.rt60_s.max(1e-3))).clamp(0.0, 0.99);
        (1.0 - alpha).sqrt()
    }

    /// The walls' reflection coefficient β the impulse response uses: the one that makes the
    /// image model's own energy decay reach −60 dB in RT60.
    ///
    /// An image at distance r = c·t in direction u has been reflected about
    /// c·t·g(u) times, g(u) = |uₓ|/L + |u_y|/W + |u_z|/H, so the energy arriving at t is
    /// the direction average of β^(2·c·t·g(u)) (spherical spreading cancels the growth of
    /// the image count). The decay of its Schroeder integral, fitted from −5 to −25 dB as
    /// the tests measure it, scales as 1/ln(1/β); it is computed once for ln(1/β) = 1 over
    /// 4096 directions, and β = exp(−T₁ / RT60). Sabine's β (a diffuse field's, see
    /// [`Room::sabine_reflection_coefficient`]) would leave the long, rarely reflected paths
    /// along the room too strong.
    pub fn reflection_coefficient(&self) -> f64 {
        let t1 = unit_decay_time(self.dims);
        (-t1 / self.rt60_s.max(1e-3)).exp().clamp(0.0, 0.999)
    }

    /// The room impulse response at `sample_rate` (image-source method), from time 0 (the
    /// direct sound arrives after distance / [`SPEED_OF_SOUND`] seconds) to the direct delay
    /// plus RT60, plus the sinc half-width.
    pub fn impulse_response(&self, sample_rate: u32) -> Vec<f32> {
        let fs = f64::from(sample_rate.max(1));
        let direct_s = self.distance() / SPEED_OF_SOUND;
        let end_s = direct_s + self.rt60_s.max(0.0);
        let r_max = end_s * SPEED_OF_SOUND;
        let early_s = direct_s + EARLY_SECONDS;
        let len = (end_s * fs).ceil() as usize + SINC_HALF_WIDTH as usize + 1;
        let mut h = vec![0.0f64; len];
        let beta = self.reflection_coefficient();
        let axes: Vec<Vec<(f64, usize)>> = (0..3)
            .map(|a| axis_images(self.dims[a], self.source[a], self.mic[a], r_max))
            .collect();
        let max_reflections = axes
            .iter()
            .map(|v| v.iter().map(|i| i.1).max().unwrap_or(0))
            .sum();
        let beta_pow: Vec<f64> = (0..=max_reflections)
            .scan(1.0, |p, _| {
                let v = *p;
                *p *= beta;
                Some(v)
            })
            .collect();
        let r2_max = r_max * r_max;
        for &(dx, kx) in &axes[0] {
            let x2 = dx * dx;
            if x2 > r2_max {
                continue;
            }
            for &(dy, ky) in &axes[1] {
                let xy2 = x2 + dy * dy;
                if xy2 > r2_max {
                    continue;
                }
                for &(dz, kz) in &axes[2] {
                    let r2 = xy2 + dz * dz;
                    if r2 > r2_max {
                        continue;
                    }
                    let r = r2.sqrt();
                    let amp =
                        beta_pow[kx + ky + kz] / (4.0 * std::f64::consts::PI * r.max(MIN_DISTANCE));
                    let t = r / SPEED_OF_SOUND;
                    if t <= early_s {
                        add_fractional(&mut h, t * fs, amp);
                    } else {
                        let k = (t * fs).round() as usize;
                        if let Some(slot) = h.get_mut(k) {
                            *slot += amp;
                        }
                    }
                }
            }
        }
        high_pass(&mut h, fs, HIGH_PASS_HZ);
        h.into_iter().map(|v| v as f32).collect()
    }
}

/// In place, a second-order Butterworth high-pass at `cutoff` Hz (bilinear transform,
/// causal): removes the slowly varying positive "mean" the all-positive images build up.
fn high_pass(x: &mut [f64], fs: f64, cutoff: f64) {
    let k = (std::f64::consts::PI * cutoff / fs).tan();
    let q = std::f64::consts::FRAC_1_SQRT_2;
    let norm = 1.0 / (1.0 + k / q + k * k);
    let (b0, b1, b2) = (norm, -2.0 * norm, norm);
    let (a1, a2) = (2.0 * (k * k - 1.0) * norm, (1.0 - k / q + k * k) * norm);
    let (mut x1, mut x2, mut y1, mut y2) = (0.0, 0.0, 0.0, 0.0);
    for v in x.iter_mut() {
        let y = b0 * *v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        (x2, x1, y2, y1) = (x1, *v, y1, y);
        *v = y;
    }
}

/// The images of the source along one axis of length `dim`: for each lattice index n and
/// parity p, the offset `(1 − 2p)·source + 2n·dim − mic` from the microphone and the number
/// of walls mirrored in, |n − p| + |n|; only those within `r_max`.
fn axis_images(dim: f64, source: f64, mic: f64, r_max: f64) -> Vec<(f64, usize)> {
    let n_max = (r_max / (2.0 * dim)).ceil() as i64 + 1;
    let mut out = Vec::with_capacity(4 * n_max as usize + 2);
    for n in -n_max..=n_max {
        for p in 0..2i64 {
            let offset = (1 - 2 * p) as f64 * source + 2.0 * n as f64 * dim - mic;
            if offset.abs() <= r_max {
                out.push((offset, ((n - p).abs() + n.abs()) as usize));
            }
        }
    }
    out
}

/// The image model's T20 decay time (seconds) for ln(1/β) = 1 in a room of `dims`: the
/// energy decay curve is Σᵤ exp(−2c·g(u)·t) / g(u) over directions u on a Fibonacci sphere,
/// and T = 3 (t₋₂₅ − t₋₅), the times it is 5 and 25 dB down found by bisection.
fn unit_decay_time(dims: [f64; 3]) -> f64 {
    const DIRECTIONS: usize = 4096;
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let rates: Vec<f64> = (0..DIRECTIONS)
        .map(|i| {
            let z = 1.0 - (i as f64 + 0.5) * 2.0 / DIRECTIONS as f64;
            let r = (1.0 - z * z).sqrt();
            let phi = golden * i as f64;
            let u = [r * phi.cos(), r * phi.sin(), z];
            let g: f64 = (0..3).map(|a| u[a].abs() / dims[a]).sum();
            2.0 * SPEED_OF_SOUND * g.max(1e-9)
        })
        .collect();
    let edc = |t: f64| rates.iter().map(|a| (-a * t).exp() / a).sum::<f64>();
    let total = edc(0.0);
    let time_at = |db: f64| {
        let target = total * 10f64.powf(db / 10.0);
        let (mut lo, mut hi) = (0.0, 1.0);
        while edc(hi) > target {
            hi *= 2.0;
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if edc(mid) > target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    };
    3.0 * (time_at(-25.0) - time_at(-5.0))
}

/// Adds an impulse of `amp` at fractional sample time `t` by a Hann-windowed sinc over
/// ±[`SINC_HALF_WIDTH`] samples around it.
fn add_fractional(h: &mut [f64], t: f64, amp: f64) {
    use std::f64::consts::PI;
    let k0 = t.floor() as i64;
    let frac = t - k0 as f64;
    // sin(π(j − frac)) = −(−1)^j · sin(π·frac) for integer j: one sine per arrival.
    let s = (PI * frac).sin();
    let width = (SINC_HALF_WIDTH + 1) as f64;
    for j in -SINC_HALF_WIDTH..=SINC_HALF_WIDTH + 1 {
        let k = k0 + j;
        if k < 0 || k as usize >= h.len() {
            continue;
        }
        let x = j as f64 - frac;
        if x.abs() >= width {
            continue;
        }
        let sinc = if x.abs() < 1e-12 {
            1.0
        } else {
            let sign = if j % 2 == 0 { -1.0 } else { 1.0 };
            sign * s / (PI * x)
        };
        let window = 0.5 * (1.0 + (PI * x / width).cos());
        h[k as usize] += amp * sinc * window;
    }
}

/// `audio` as the microphone hears it in `room` (full convolution, then cut to the input's
/// length plus the response's tail, peak-normalised to the input's peak).
///
/// The output has `input + response − 1` samples (the full convolution: the input, delayed
/// by the direct path, and its reverberant tail); silent input gives silent output.
pub fn reverberate(audio: &Audio, room: &Room) -> Audio {
    let ir = room.impulse_response(audio.sample_rate);
    let mut samples = convolve(&audio.samples, &ir);
    let peak = |x: &[f32]| x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let (want, got) = (peak(&audio.samples), peak(&samples));
    if got > 0.0 && want.is_finite() && got.is_finite() {
        let g = want / got;
        samples.iter_mut().for_each(|v| *v *= g);
    }
    Audio {
        sample_rate: audio.sample_rate,
        samples,
    }
}

/// The decay time of an impulse response by Schroeder backward integration: the time the
/// energy decay curve takes to fall 60 dB, extrapolated from a least-squares line through
/// its −5 to −25 dB part (T20). `None` when the curve never falls 25 dB.
pub fn decay_time(h: &[f32], sample_rate: u32) -> Option<f64> {
    let mut edc = vec![0.0f64; h.len()];
    let mut acc = 0.0;
    for i in (0..h.len()).rev() {
        acc += f64::from(h[i]).powi(2);
        edc[i] = acc;
    }
    let total = *edc.first()?;
    if total <= 0.0 {
        return None;
    }
    let fs = f64::from(sample_rate);
    let points: Vec<(f64, f64)> = edc
        .iter()
        .enumerate()
        .map(|(i, e)| (i as f64 / fs, 10.0 * (e / total).log10()))
        .filter(|(_, db)| (-25.0..=-5.0).contains(db))
        .collect();
    if points.len() < 2 || edc.iter().all(|e| 10.0 * (e / total).log10() > -25.0) {
        return None;
    }
    let n = points.len() as f64;
    let (mt, md) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (t, d)| (a + t / n, b + d / n));
    let (sxy, sxx) = points.iter().fold((0.0, 0.0), |(a, b), (t, d)| {
        (a + (t - mt) * (d - md), b + (t - mt) * (t - mt))
    });
    let slope = sxy / sxx;
    (slope < 0.0).then(|| -60.0 / slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FS: u32 = 16_000;

    #[test]
    fn rooms_are_deterministic_per_seed_and_within_the_documented_ranges() {
        use ranges::*;
        for seed in 0..200 {
            let r = Room::far_field(5.0, seed);
            assert_eq!(r, Room::far_field(5.0, seed));
            assert!(
                (r.distance() - 5.0).abs() < 1e-9,
                "{seed}: {}",
                r.distance()
            );
            assert!(r.dims[0] >= 6.5 && r.dims[0] <= 10.5, "{r:?}");
            assert!(r.dims[1] >= WIDTH.0 && r.dims[1] <= WIDTH.1);
            assert!(r.dims[2] >= HEIGHT.0 && r.dims[2] <= HEIGHT.1);
            assert!(r.rt60_s >= RT60.0 && r.rt60_s <= RT60.1);
            for p in [r.source, r.mic] {
                for (v, dim) in p.iter().zip(r.dims) {
                    assert!(*v >= WALL_MARGIN - 1e-9 && *v <= dim - WALL_MARGIN + 1e-9);
                }
            }
        }
        assert_ne!(Room::far_field(5.0, 1), Room::far_field(5.0, 2));
        for d in [0.0, 0.2, 1.0, 3.0, 9.0, -1.0, f64::NAN] {
            let r = Room::far_field(d, 4);
            let want = if d.is_finite() { d.max(0.0) } else { 0.0 };
            assert!((r.distance() - want).abs() < 1e-9, "{d}: {r:?}");
        }
    }

    #[test]
    fn the_direct_path_arrives_after_distance_over_the_speed_of_sound() {
        for seed in [1, 2, 3] {
            let room = Room::far_field(5.0, seed);
            let h = room.impulse_response(FS);
            let want = 5.0 / SPEED_OF_SOUND * f64::from(FS);
            // the first arrival: the strongest sample up to 4 samples after the expected one
            // (later, several reflections arriving together may be stronger still)
            let peak = (0..want as usize + 4)
                .max_by(|&i, &j| h[i].abs().total_cmp(&h[j].abs()))
                .unwrap();
            assert!(
                (peak as f64 - want).abs() <= 1.0,
                "{seed}: {peak} vs {want:.2}"
            );
            // nothing arrives before the direct sound (bar the sinc's window)
            let before = want as usize - SINC_HALF_WIDTH as usize - 1;
            assert!(h[..before].iter().all(|&v| v == 0.0));
            // and its amplitude is the spherical spreading 1/(4πr)
            let amp = 1.0 / (4.0 * std::f64::consts::PI * 5.0);
            assert!(
                (f64::from(h[peak]) - amp).abs() < 0.4 * amp,
                "{} vs {amp}",
                h[peak]
            );
        }
    }

    #[test]
    fn the_response_decays_in_about_the_rooms_rt60() {
        // measured 0.99-1.09 x RT60 over seeds 0..12 at 5 m
        for seed in 0..6 {
            let room = Room::far_field(5.0, seed);
            let h = room.impulse_response(FS);
            let t = decay_time(&h, FS).unwrap();
            let rel = (t - room.rt60_s) / room.rt60_s;
            assert!(
                rel.abs() < 0.15,
                "{seed}: decay {t:.3} s vs RT60 {:.3} s",
                room.rt60_s
            );
        }
        let room = Room::far_field(1.0, 3);
        let t = decay_time(&room.impulse_response(FS), FS).unwrap();
        assert!(
            (t / room.rt60_s - 1.0).abs() < 0.25,
            "1 m: {t} vs {}",
            room.rt60_s
        );
    }

    #[test]
    fn the_reflection_coefficient_is_close_to_sabines() {
        for seed in 0..50 {
            let room = Room::far_field(5.0, seed);
            let (b, s) = (
                room.reflection_coefficient(),
                room.sabine_reflection_coefficient(),
            );
            assert!((s - b).abs() < 0.035, "{seed}: {b} vs Sabine {s}");
        }
    }

    #[test]
    fn no_decay_time_without_a_decay() {
        assert_eq!(decay_time(&[], FS), None);
        assert_eq!(decay_time(&[0.0; 10], FS), None);
        assert_eq!(decay_time(&[1.0; 100], FS), None);
        let h: Vec<f32> = (0..16_000).map(|i| (-(i as f32) / 1000.0).exp()).collect();
        // energy falls by e^-2 every 1000 samples: 60 dB in 3 ln(10) 1000 samples
        let t = decay_time(&h, FS).unwrap();
        assert!(
            (t - 3.0 * 10f64.ln() * 1000.0 / 16_000.0).abs() < 1e-3,
            "{t}"
        );
    }

    #[test]
    fn a_longer_rt60_decays_more_slowly() {
        let mut room = Room::far_field(3.0, 7);
        room.rt60_s = 0.3;
        let short = decay_time(&room.impulse_response(FS), FS).unwrap();
        room.rt60_s = 0.6;
        let long = decay_time(&room.impulse_response(FS), FS).unwrap();
        assert!(long > 1.6 * short, "{short} {long}");
    }

    #[test]
    fn reverberation_keeps_the_peak_and_adds_the_tail() {
        let room = Room::far_field(5.0, 11);
        let ir = room.impulse_response(FS);
        let audio = Audio {
            sample_rate: FS,
            samples: (0..8000).map(|i| 0.4 * (i as f32 * 0.03).sin()).collect(),
        };
        let out = reverberate(&audio, &room);
        assert_eq!(out.samples.len(), audio.samples.len() + ir.len() - 1);
        let peak = out.samples.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!((peak - 0.4).abs() < 1e-3, "{peak}");
        assert_eq!(out, reverberate(&audio, &room));
        let silent = Audio {
            sample_rate: FS,
            samples: vec![0.0; 100],
        };
        assert!(
            reverberate(&silent, &room)
                .samples
                .iter()
                .all(|&v| v == 0.0)
        );
    }

    #[test]
    fn the_fractional_delay_sums_to_the_impulse() {
        for t in [20.0, 20.25, 20.5, 20.99] {
            let mut h = vec![0.0; 64];
            add_fractional(&mut h, t, 1.0);
            let sum: f64 = h.iter().sum();
            assert!((sum - 1.0).abs() < 0.02, "{t}: {sum}");
            let centroid: f64 = h.iter().enumerate().map(|(i, v)| i as f64 * v).sum::<f64>() / sum;
            assert!((centroid - t).abs() < 0.05, "{t}: {centroid}");
        }
    }
}
