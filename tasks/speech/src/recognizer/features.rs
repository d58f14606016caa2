//! MFCC features for the recogniser: pre-emphasis, 25 ms Hamming frames every 10 ms, FFT power
//! spectrum, mel filters, log, DCT-II, deltas, per-utterance mean/variance normalisation.

use realfft::{RealFftPlanner, RealToComplex};
use std::ops::Range;
use std::sync::Arc;

/// Frame length in samples at 16 kHz (25 ms).
const FRAME_LEN: usize = 400;
/// Frame shift in samples at 16 kHz (10 ms).
const HOP: usize = 160;
/// FFT size (the frame zero-padded).
const FFT_LEN: usize = 512;
/// Number of triangular mel filters.
const MEL_FILTERS: usize = 26;
/// Cepstral coefficients kept (c0 included).
pub const CEPSTRA: usize = 13;
/// Dimension of a feature vector: cepstra plus their deltas.
pub const DIM: usize = 2 * CEPSTRA;
/// Pre-emphasis coefficient.
const PRE_EMPHASIS: f32 = 0.97;
/// Half-width of the delta regression window, frames.
const DELTA_SPAN: usize = 2;

/// A sequence of feature vectors, row-major (`frames × DIM`).
#[derive(Debug, Clone, PartialEq)]
pub struct Features {
    /// The values, `DIM` per frame.
    pub data: Vec<f32>,
}

impl Features {
    /// Number of frames.
    pub fn frames(&self) -> usize {
        self.data.len() / DIM
    }

    /// Frame `i`'s vector.
    pub fn frame(&self, i: usize) -> &[f32] {
        &self.data[i * DIM..(i + 1) * DIM]
    }
}

/// Computes features; holds the FFT plan, window, filterbank and DCT matrix.
pub struct FeatureExtractor {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    /// Per filter: first FFT bin and the weights from there.
    filters: Vec<(usize, Vec<f32>)>,
    /// `CEPSTRA × MEL_FILTERS`, row-major.
    dct: Vec<f32>,
}

impl Default for FeatureExtractor {
    fn default() -> Self {
        Self::new()
    }
}

impl FeatureExtractor {
    /// The extractor for 16 kHz audio.
    pub fn new() -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(FFT_LEN);
        let window = (0..FRAME_LEN)
            .map(|n| {
                let x = 2.0 * std::f32::consts::PI * n as f32 / (FRAME_LEN - 1) as f32;
                0.54 - 0.46 * x.cos()
            })
            .collect();
        FeatureExtractor {
            fft,
            window,
            filters: mel_filters(16_000.0),
            dct: dct_matrix(),
        }
    }

    /// MFCCs with deltas of `samples` (16 kHz), normalised to zero mean and unit variance per
    /// coefficient over the utterance. Fewer samples than one frame give one zero-padded frame.
    pub fn features(&self, samples: &[f32]) -> Features {
        let cepstra = self.cepstra(samples);
        let frames = cepstra.len() / CEPSTRA;
        let mut data = Vec::with_capacity(frames * DIM);
        let denom: f32 = 2.0 * (1..=DELTA_SPAN).map(|n| (n * n) as f32).sum::<f32>();
        for t in 0..frames {
            data.extend_from_slice(&cepstra[t * CEPSTRA..(t + 1) * CEPSTRA]);
            for k in 0..CEPSTRA {
                let mut d = 0.0;
                for n in 1..=DELTA_SPAN {
                    let ahead = (t + n).min(frames - 1);
                    let behind = t.saturating_sub(n);
                    d += n as f32 * (cepstra[ahead * CEPSTRA + k] - cepstra[behind * CEPSTRA + k]);
                }
                data.push(d / denom);
            }
        }
        normalise(&mut data);
        Features { data }
    }

    /// Static cepstra, `frames × CEPSTRA`.
    fn cepstra(&self, samples: &[f32]) -> Vec<f32> {
        let frames = frame_count(samples.len());
        let mut emphasised = Vec::with_capacity(samples.len());
        let mut last = 0.0;
        for &s in samples {
            emphasised.push(s - PRE_EMPHASIS * last);
            last = s;
        }
        let mut input = vec![0.0f32; FFT_LEN];
        let mut spectrum = self.fft.make_output_vec();
        let mut power = vec![0.0f32; FFT_LEN / 2 + 1];
        let mut logmel = [0.0f32; MEL_FILTERS];
        let mut out = Vec::with_capacity(frames * CEPSTRA);
        for f in 0..frames {
            let start = f * HOP;
            input.iter_mut().for_each(|x| *x = 0.0);
            for (i, w) in self.window.iter().enumerate() {
                input[i] = emphasised.get(start + i).copied().unwrap_or(0.0) * w;
            }
            // Lengths are fixed by the plan, so processing cannot fail.
            if self.fft.process(&mut input, &mut spectrum).is_err() {
                unreachable!("FFT buffers have the planned lengths");
            }
            for (p, c) in power.iter_mut().zip(&spectrum) {
                *p = c.norm_sqr();
            }
            for (m, (first, weights)) in self.filters.iter().enumerate() {
                let e: f32 = weights
                    .iter()
                    .zip(&power[*first..])
                    .map(|(w, p)| w * p)
                    .sum();
                logmel[m] = (e + 1e-9).ln();
            }
            for k in 0..CEPSTRA {
                let row = &self.dct[k * MEL_FILTERS..(k + 1) * MEL_FILTERS];
                out.push(row.iter().zip(&logmel).map(|(a, b)| a * b).sum());
            }
        }
        out
    }
}

/// Number of frames for `len` samples (at least one).
fn frame_count(len: usize) -> usize {
    if len <= FRAME_LEN {
        1
    } else {
        1 + (len - FRAME_LEN) / HOP
    }
}

/// Triangular filters equally spaced on the mel scale from 64 Hz to Nyquist.
fn mel_filters(sample_rate: f32) -> Vec<(usize, Vec<f32>)> {
    let mel = |f: f32| 2595.0 * (1.0 + f / 700.0).log10();
    let hz = |m: f32| 700.0 * (10f32.powf(m / 2595.0) - 1.0);
    let (low, high) = (mel(64.0), mel(sample_rate / 2.0));
    let edges: Vec<f32> = (0..MEL_FILTERS + 2)
        .map(|i| hz(low + (high - low) * i as f32 / (MEL_FILTERS + 1) as f32))
        .collect();
    let bin_hz = sample_rate / FFT_LEN as f32;
    (0..MEL_FILTERS)
        .map(|m| {
            let (l, c, r) = (edges[m], edges[m + 1], edges[m + 2]);
            let first = (l / bin_hz).floor() as usize;
            let last = ((r / bin_hz).ceil() as usize).min(FFT_LEN / 2);
            let weights = (first..=last)
                .map(|b| {
                    let f = b as f32 * bin_hz;
                    if f <= l || f >= r {
                        0.0
                    } else if f <= c {
                        (f - l) / (c - l)
                    } else {
                        (r - f) / (r - c)
                    }
                })
                .collect();
            (first, weights)
        })
        .collect()
}

/// Orthonormal DCT-II rows 0..CEPSTRA over MEL_FILTERS inputs.
fn dct_matrix() -> Vec<f32> {
    let n = MEL_FILTERS as f32;
    let mut m = Vec::with_capacity(CEPSTRA * MEL_FILTERS);
    for k in 0..CEPSTRA {
        let scale = if k == 0 {
            (1.0 / n).sqrt()
        } else {
            (2.0 / n).sqrt()
        };
        for i in 0..MEL_FILTERS {
            let arg = std::f32::consts::PI * k as f32 * (i as f32 + 0.5) / n;
            m.push(scale * arg.cos());
        }
    }
    m
}

/// Zero mean and unit variance per dimension over the frames (a constant dimension keeps
/// zero mean only).
fn normalise(data: &mut [f32]) {
    let frames = data.len() / DIM;
    if frames == 0 {
        return;
    }
    for k in 0..DIM {
        let mean = (0..frames).map(|t| data[t * DIM + k]).sum::<f32>() / frames as f32;
        let var = (0..frames)
            .map(|t| (data[t * DIM + k] - mean).powi(2))
            .sum::<f32>()
            / frames as f32;
        let scale = if var > 1e-8 { 1.0 / var.sqrt() } else { 1.0 };
        for t in 0..frames {
            data[t * DIM + k] = (data[t * DIM + k] - mean) * scale;
        }
    }
}

/// The sample range holding speech by frame energy: frames louder than both 40 dB under the
/// peak and a fifth of the way from the noise floor (10th percentile) to the peak, from the
/// first to the last run of three such frames, widened by two frames each side. The whole
/// signal when no frame qualifies.
pub fn endpoints(samples: &[f32]) -> Range<usize> {
    let frames = frame_count(samples.len());
    if frames < 3 {
        return 0..samples.len();
    }
    let energy: Vec<f32> = (0..frames)
        .map(|f| {
            let end = (f * HOP + FRAME_LEN).min(samples.len());
            let chunk = &samples[f * HOP..end];
            let e = chunk.iter().map(|x| x * x).sum::<f32>() / chunk.len().max(1) as f32;
            10.0 * (e + 1e-12).log10()
        })
        .collect();
    let mut sorted = energy.clone();
    sorted.sort_by(f32::total_cmp);
    let floor = sorted[frames / 10];
    let peak = sorted[frames - 1];
    let threshold = (peak - 40.0).max(floor + 0.2 * (peak - floor));
    let loud: Vec<bool> = energy.iter().map(|&e| e > threshold).collect();
    let run = |f: usize| f + 2 < frames && loud[f] && loud[f + 1] && loud[f + 2];
    let Some(first) = (0..frames).find(|&f| run(f)) else {
        return 0..samples.len();
    };
    let last = (0..frames).rev().find(|&f| run(f)).unwrap_or(first) + 2;
    let start = first.saturating_sub(2) * HOP;
    let end = ((last + 3) * HOP + FRAME_LEN).min(samples.len());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freq: f32, seconds: f32, amp: f32) -> Vec<f32> {
        let n = (seconds * 16_000.0) as usize;
        (0..n)
            .map(|i| amp * (2.0 * std::f32::consts::PI * freq * i as f32 / 16_000.0).sin())
            .collect()
    }

    #[test]
    fn frame_count_follows_the_hop() {
        let x = FeatureExtractor::new();
        assert_eq!(
            x.features(&tone(440.0, 1.0, 0.5)).frames(),
            1 + (16_000 - 400) / 160
        );
        assert_eq!(x.features(&[0.1; 10]).frames(), 1);
    }

    #[test]
    fn features_are_normalised() {
        let mut s = tone(300.0, 0.5, 0.3);
        s.extend(tone(2_000.0, 0.5, 0.3));
        let f = FeatureExtractor::new().features(&s);
        for k in 0..DIM {
            let mean = (0..f.frames()).map(|t| f.frame(t)[k]).sum::<f32>() / f.frames() as f32;
            assert!(mean.abs() < 1e-3, "dimension {k} mean {mean}");
        }
    }

    /// A tone over a little deterministic broadband noise, scaled by `gain`.
    fn noisy_tone(freq: f32, gain: f32) -> Vec<f32> {
        let mut state = 12_345u32;
        tone(freq, 0.2, 0.5)
            .into_iter()
            .map(|s| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let n = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                gain * (s + 0.02 * n)
            })
            .collect()
    }

    #[test]
    fn the_mel_spectrum_tells_tones_apart() {
        // Static cepstra of a low and a high tone differ; of one signal at two levels differ
        // only in c0 (a level is a constant shift of every log mel energy).
        let x = FeatureExtractor::new();
        let low = x.cepstra(&noisy_tone(300.0, 1.0));
        let high = x.cepstra(&noisy_tone(3_000.0, 1.0));
        let quiet = x.cepstra(&noisy_tone(300.0, 0.1));
        let frame = 5 * CEPSTRA;
        let dist = |a: &[f32], b: &[f32]| -> f32 {
            a[frame + 1..frame + CEPSTRA]
                .iter()
                .zip(&b[frame + 1..frame + CEPSTRA])
                .map(|(p, q)| (p - q).powi(2))
                .sum()
        };
        let (d_tone, d_level) = (dist(&low, &high), dist(&low, &quiet));
        assert!(d_tone > 1.0 && d_level < 1e-4, "{d_tone} vs {d_level}");
        let c0_gap = low[frame] - quiet[frame];
        let expected = (MEL_FILTERS as f32).sqrt() * 2.0 * 10f32.ln();
        assert!(
            (c0_gap - expected).abs() < 0.01 * expected,
            "{c0_gap} vs {expected}"
        );
    }

    #[test]
    fn endpoints_cut_leading_and_trailing_silence() {
        let mut s = vec![0.0f32; 8_000];
        s.extend(tone(500.0, 0.5, 0.5));
        s.extend(vec![0.0f32; 8_000]);
        let r = endpoints(&s);
        assert!(r.start > 7_000 && r.start <= 8_000, "{r:?}");
        assert!(r.end >= 16_000 && r.end < 17_200, "{r:?}");
        let silence = vec![0.0f32; 4_000];
        assert_eq!(endpoints(&silence), 0..4_000);
    }
}
