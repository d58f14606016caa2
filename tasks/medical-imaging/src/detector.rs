//! The built-in detector: multi-scale Laplacian-of-Gaussian blob detection. Gaussian
//! derivative filters run as separable convolutions on the chosen `jiebang_accel` device;
//! scale-space extrema become lesion marks scored by noise-normalised strength × roundness.

use crate::image::Image;
use jiebang_accel::{Conv2dShape, Device};
use jiebang_core::TaskError;

/// Detector settings. The defaults are the `builtin:log-blob` system.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorConfig {
    /// Gaussian scales in pixels for a 128-pixel-wide image, ascending; scaled with the image
    /// width (they assume the field of view spans the image, as in CT). Blobs are reported
    /// only at interior scales (a scale-space extremum needs a scale on either side), so the
    /// first and last scales bound the radii found: σ·√2 of the second to the second-to-last.
    pub sigmas: Vec<f64>,
    /// Smallest score kept as a mark (see [`Blob::score`]).
    pub min_score: f64,
    /// Smallest Hessian roundness (weaker / stronger eigenvalue) of a mark; lower values are
    /// vessels and edges.
    pub min_roundness: f64,
    /// Case-level call: positive when the best mark's score reaches this.
    pub threshold: f64,
    /// Smallest fraction of ring samples (16 points at 1.6 radii) that must differ from the
    /// centre the blob's way by at least half its contrast: a lesion stands free in its
    /// tissue, a bump on an organ boundary does not.
    pub min_isolation: f64,
    /// Bright blobs must have a centre (3×3 mean) within this range (HU): denser than
    /// aerated lung, lighter than bone or calcification.
    pub bright_hu: (f64, f64),
    /// Dark blobs must have a centre (3×3 mean) within this range (HU): soft tissue, not
    /// air, lung, fat or bone.
    pub dark_hu: (f64, f64),
    /// Marks kept per slice (best first, after overlap suppression).
    pub max_marks: usize,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            sigmas: (1..7).map(|k| 2f64.powf(k as f64 / 2.0)).collect(),
            min_score: 3.0,
            min_roundness: 0.5,
            min_isolation: 0.75,
            threshold: 9.0,
            bright_hu: (-700.0, 300.0),
            dark_hu: (-80.0, 200.0),
            max_marks: 20,
        }
    }
}

/// A detected blob on one slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blob {
    /// Column of the centre.
    pub x: f64,
    /// Row of the centre.
    pub y: f64,
    /// Radius (σ·√2 of the selecting scale).
    pub r: f64,
    /// Significance: the scale-normalised LoG response over the standard deviation that the
    /// image's own noise gives that filter (see [`NoiseModel`]).
    pub score: f64,
    /// Hessian roundness at the selecting scale (0..1; NaN when an earlier check rejected
    /// the candidate).
    pub roundness: f64,
    /// Fraction of ring samples that set the blob apart from its surroundings (0..1; NaN
    /// when an earlier check rejected the candidate).
    pub isolation: f64,
    /// Brighter than its surroundings (else darker).
    pub bright: bool,
}

/// The scale-normalised LoG of one scale and its robust noise level.
struct Scale {
    sigma: f64,
    /// Kernel half-width.
    h: usize,
    /// σ²(Lxx + Lyy).
    log: Vec<f32>,
    /// The kernels g, g', g'' convolved with a 3-tap box, on `-(h+1)..=h+1`: the Hessian is
    /// read through them, which averages it over the pixel offsets between a blob's true
    /// centre and its extremum's pixel.
    boxed: [Vec<f32>; 3],
}

/// A scale-space extremum before the shape and context checks.
struct Extremum {
    x: usize,
    y: usize,
    scale: usize,
    score: f64,
    bright: bool,
}

/// Sampled Gaussian and its first and second derivatives on `-h..=h`, normalised so that
/// they respond exactly to constants (g), ramps (g') and parabolas (g'').
fn kernels(sigma: f64, h: usize) -> [Vec<f32>; 3] {
    let ts: Vec<f64> = (-(h as isize)..=h as isize).map(|t| t as f64).collect();
    let g: Vec<f64> = ts
        .iter()
        .map(|t| (-t * t / (2.0 * sigma * sigma)).exp())
        .collect();
    let sum: f64 = g.iter().sum();
    let g: Vec<f64> = g.iter().map(|v| v / sum).collect();
    // Cross-correlation with d1 gives the derivative: Σ d1(t)·f(x+t) = f'(x) for f linear.
    let d1: Vec<f64> = ts.iter().zip(&g).map(|(t, v)| t * v).collect();
    let m1: f64 = ts.iter().zip(&d1).map(|(t, v)| t * v).sum();
    let d1: Vec<f64> = d1.iter().map(|v| v / m1).collect();
    let d2: Vec<f64> = ts
        .iter()
        .zip(&g)
        .map(|(t, v)| (t * t / (sigma * sigma) - 1.0) * v)
        .collect();
    let mean = d2.iter().sum::<f64>() / d2.len() as f64;
    let d2: Vec<f64> = d2.iter().map(|v| v - mean).collect();
    let m2: f64 = ts.iter().zip(&d2).map(|(t, v)| t * t / 2.0 * v).sum();
    let d2: Vec<f64> = d2.iter().map(|v| v / m2).collect();
    let f = |v: Vec<f64>| v.into_iter().map(|x| x as f32).collect();
    [f(g), f(d1), f(d2)]
}

/// `k` convolved with the box [1/3, 1/3, 1/3] (two taps longer).
fn boxed(k: &[f32]) -> Vec<f32> {
    let n = k.len() + 2;
    (0..n)
        .map(|i| {
            (i.saturating_sub(2)..=i.min(k.len() - 1))
                .map(|j| k[j])
                .sum::<f32>()
                / 3.0
        })
        .collect()
}

/// Mirror index (reflect without repeating the edge); `h < n` is required.
fn mirror(i: isize, n: usize) -> usize {
    let n = n as isize;
    let j = if i < 0 {
        -i
    } else if i >= n {
        2 * n - 2 - i
    } else {
        i
    };
    j.clamp(0, n - 1) as usize
}

/// Averages `d×d` blocks (the remainder rows and columns are dropped).
fn decimate(img: &Image, d: usize) -> Image {
    if d == 1 {
        return img.clone();
    }
    let (rows, cols) = (img.rows / d, img.cols / d);
    let mut data = vec![0f32; rows * cols];
    let w = 1.0 / (d * d) as f32;
    for y in 0..rows * d {
        let src = &img.data[y * img.cols..][..cols * d];
        let dst = &mut data[(y / d) * cols..][..cols];
        for (x, v) in src.iter().enumerate() {
            dst[x / d] += v * w;
        }
    }
    Image { rows, cols, data }
}

/// Bilinear interpolation of a map on the `d`-decimated grid back to `rows × cols` (coarse
/// pixel `i` is centred on fine coordinate `i·d + (d−1)/2`).
fn upsample(
    map: &[f32],
    crows: usize,
    ccols: usize,
    d: usize,
    rows: usize,
    cols: usize,
) -> Vec<f32> {
    let at = |fine: usize, n: usize| -> (usize, usize, f32) {
        let u = ((fine as f32 - (d as f32 - 1.0) / 2.0) / d as f32).clamp(0.0, (n - 1) as f32);
        let i0 = u.floor() as usize;
        let i1 = (i0 + 1).min(n - 1);
        (i0, i1, u - i0 as f32)
    };
    let xs: Vec<(usize, usize, f32)> = (0..cols).map(|x| at(x, ccols)).collect();
    let mut out = vec![0f32; rows * cols];
    for y in 0..rows {
        let (y0, y1, fy) = at(y, crows);
        let (r0, r1) = (&map[y0 * ccols..][..ccols], &map[y1 * ccols..][..ccols]);
        for (o, &(x0, x1, fx)) in out[y * cols..][..cols].iter_mut().zip(&xs) {
            let top = r0[x0] + (r0[x1] - r0[x0]) * fx;
            let bottom = r1[x0] + (r1[x1] - r1[x0]) * fx;
            *o = top + (bottom - top) * fy;
        }
    }
    out
}

fn median_abs(values: &[f32]) -> f32 {
    let mut v: Vec<f32> = values.iter().map(|x| x.abs()).collect();
    let mid = v.len() / 2;
    let (_, m, _) = v.select_nth_unstable_by(mid, f32::total_cmp);
    *m
}

/// The LoG blob detector on one device.
pub struct LogBlobDetector<'a> {
    device: &'a Device,
    config: DetectorConfig,
}

impl<'a> LogBlobDetector<'a> {
    /// A detector running its convolutions on `device`.
    pub fn new(device: &'a Device, config: DetectorConfig) -> Self {
        LogBlobDetector { device, config }
    }

    /// The settings.
    pub fn config(&self) -> &DetectorConfig {
        &self.config
    }

    /// The scale-normalised LoG of `img` at `sigma`. Large scales run on a box-decimated
    /// image (factor `d`, a power of two keeping σ/d ≥ 1.35) with σ reduced to match, and
    /// the map is interpolated back to full resolution.
    fn scale(&self, img: &Image, sigma: f64) -> Result<Option<Scale>, TaskError> {
        let mut d = 1usize;
        while sigma / (2 * d) as f64 >= 1.35 && img.rows / (2 * d) >= 16 && img.cols / (2 * d) >= 16
        {
            d *= 2;
        }
        let coarse = decimate(img, d);
        // Box averaging over d×d adds (d²−1)/12 px² of blur; take it off the Gaussian.
        let sigma_c = (sigma * sigma - ((d * d) as f64 - 1.0) / 12.0).sqrt() / d as f64;
        let Some(log_c) = self.log_map(&coarse, sigma_c)? else {
            return Ok(None);
        };
        let log = if d == 1 {
            log_c
        } else {
            upsample(&log_c, coarse.rows, coarse.cols, d, img.rows, img.cols)
        };
        let h = (3.0 * sigma).ceil() as usize;
        Ok(Some(Scale {
            sigma,
            h,
            log,
            boxed: kernels(sigma, h).map(|k| boxed(&k)),
        }))
    }

    /// σ²(Lxx + Lyy) of `img` at `sigma` on the device: reflect-pad, a 1×K pass producing
    /// (g, g'') along rows, then a K×1 pass summing g''·g + g·g'' along columns.
    fn log_map(&self, img: &Image, sigma: f64) -> Result<Option<Vec<f32>>, TaskError> {
        let h = (3.0 * sigma).ceil() as usize;
        let (rows, cols) = (img.rows, img.cols);
        if h >= rows || h >= cols {
            return Ok(None);
        }
        let k = 2 * h + 1;
        let (pr, pc) = (rows + 2 * h, cols + 2 * h);
        let mut padded = vec![0f32; pr * pc];
        for y in 0..pr {
            let row = &img.data[mirror(y as isize - h as isize, rows) * cols..][..cols];
            let out = &mut padded[y * pc..(y + 1) * pc];
            for (x, o) in out.iter_mut().enumerate() {
                *o = row[mirror(x as isize - h as isize, cols)];
            }
        }
        let [g, _, d2] = kernels(sigma, h);
        let backend = |e: jiebang_accel::AccelError| TaskError::backend(e);
        // Pass 1, along rows: channels (g, g'') (OIHW 2×1×1×K).
        let shape1 = Conv2dShape {
            batch: 1,
            in_channels: 1,
            height: pr,
            width: pc,
            out_channels: 2,
            kernel_h: 1,
            kernel_w: k,
            stride: 1,
            padding: 0,
        };
        let w1: Vec<f32> = [g.as_slice(), d2.as_slice()].concat();
        let pass1 = self
            .device
            .conv2d_f32(shape1, &padded, &w1)
            .map_err(backend)?;
        // Pass 2, along columns: (g along rows)·(g'' along columns) + (g'')·(g)
        // (OIHW 1×2×K×1).
        let shape2 = Conv2dShape {
            batch: 1,
            in_channels: 2,
            height: pr,
            width: cols,
            out_channels: 1,
            kernel_h: k,
            kernel_w: 1,
            stride: 1,
            padding: 0,
        };
        let w2: Vec<f32> = [d2.as_slice(), g.as_slice()].concat();
        let out = self
            .device
            .conv2d_f32(shape2, &pass1, &w2)
            .map_err(backend)?;
        if out.len() != rows * cols {
            return Err(TaskError::backend(format!(
                "conv2d returned {} values, expected {}",
                out.len(),
                rows * cols
            )));
        }
        let s2 = (sigma * sigma) as f32;
        Ok(Some(out.iter().map(|v| v * s2).collect()))
    }

    /// Scale-space extrema at interior scales whose score reaches `min_score`, best first.
    fn extrema(
        &self,
        scales: &[Scale],
        rows: usize,
        cols: usize,
        noise: &NoiseModel,
    ) -> Vec<Extremum> {
        let mut found = Vec::new();
        for si in 1..scales.len().saturating_sub(1) {
            let sc = &scales[si];
            let per_unit = 1.0 / noise.log_sd(sc.sigma);
            let min_raw = (self.config.min_score / per_unit) as f32;
            let lower = &scales[si - 1].log;
            let upper = &scales[si + 1].log;
            for y in 1..rows - 1 {
                for x in 1..cols - 1 {
                    let i = y * cols + x;
                    let v = sc.log[i];
                    if v.abs() < min_raw {
                        continue;
                    }
                    // Bright blobs have a negative Laplacian; compare the signed response
                    // with the 26 neighbours in space and scale, same scale first.
                    let sign = if v < 0.0 { -1.0f32 } else { 1.0 };
                    let resp = sign * v;
                    let mut is_max = true;
                    'scan: for map in [&sc.log, lower, upper] {
                        for j in [
                            i - cols - 1,
                            i - cols,
                            i - cols + 1,
                            i - 1,
                            i,
                            i + 1,
                            i + cols - 1,
                            i + cols,
                            i + cols + 1,
                        ] {
                            if sign * map[j] >= resp && !(std::ptr::eq(map, &sc.log) && j == i) {
                                is_max = false;
                                break 'scan;
                            }
                        }
                    }
                    if is_max {
                        found.push(Extremum {
                            x,
                            y,
                            scale: si,
                            score: f64::from(resp) * per_unit,
                            bright: sign < 0.0,
                        });
                    }
                }
            }
        }
        found.sort_by(|p, q| {
            q.score
                .total_cmp(&p.score)
                .then(p.y.cmp(&q.y))
                .then(p.x.cmp(&q.x))
        });
        found
    }

    /// The Hessian (Lxx, Lyy, Lxy) at one point and scale, by direct sums.
    fn shape_at(img: &Image, sc: &Scale, x: usize, y: usize) -> (f64, f64, f64) {
        let [g, d1, d2] = &sc.boxed;
        let h = sc.h as isize + 1;
        let (mut lxx, mut lyy, mut lxy) = (0f64, 0f64, 0f64);
        for (j, dy) in (-h..=h).enumerate() {
            let row = &img.data[mirror(y as isize + dy, img.rows) * img.cols..][..img.cols];
            let (gy, d1y, d2y) = (f64::from(g[j]), f64::from(d1[j]), f64::from(d2[j]));
            let (mut a, mut b, mut c) = (0f64, 0f64, 0f64);
            for (i, dx) in (-h..=h).enumerate() {
                let v = f64::from(row[mirror(x as isize + dx, img.cols)]);
                a += f64::from(g[i]) * v;
                b += f64::from(d1[i]) * v;
                c += f64::from(d2[i]) * v;
            }
            lxx += gy * c;
            lyy += d2y * a;
            lxy += d1y * b;
        }
        (lxx, lyy, lxy)
    }

    /// Detects blobs on one slice, best first.
    pub fn detect(&self, img: &Image) -> Result<Vec<Blob>, TaskError> {
        Ok(self
            .explain(img)?
            .into_iter()
            .filter(|c| c.rejected.is_none())
            .map(|c| c.blob)
            .collect())
    }

    /// Every scale-space extremum considered, best first, with the reason it was dropped
    /// (`None` for the marks [`LogBlobDetector::detect`] reports). Stops once `max_marks`
    /// marks are kept.
    pub fn explain(&self, img: &Image) -> Result<Vec<Candidate>, TaskError> {
        let (rows, cols) = (img.rows, img.cols);
        if rows < 3 || cols < 3 || img.data.len() != rows * cols {
            return Ok(Vec::new());
        }
        let factor = cols as f64 / 128.0;
        let mut scales = Vec::new();
        for &s in &self.config.sigmas {
            if let Some(sc) = self.scale(img, s * factor)? {
                scales.push(sc);
            }
        }
        let noise = NoiseModel::estimate(img);
        let mut out: Vec<Candidate> = Vec::new();
        let mut kept = 0usize;
        for e in self.extrema(&scales, rows, cols, &noise) {
            if kept >= self.config.max_marks {
                break;
            }
            let sc = &scales[e.scale];
            let r = sc.sigma * std::f64::consts::SQRT_2;
            let (x, y) = (e.x as f64, e.y as f64);
            let sign = if e.bright { 1.0 } else { -1.0 };
            let centre = mean3(img, x, y);
            let (lo, hi) = if e.bright {
                self.config.bright_hu
            } else {
                self.config.dark_hu
            };
            // Cheap checks first; features an earlier check made moot stay NaN.
            let (mut isolation_v, mut roundness) = (f64::NAN, f64::NAN);
            let overlaps = out
                .iter()
                .filter(|c| c.rejected.is_none())
                .any(|c| (c.blob.x - x).hypot(c.blob.y - y) < c.blob.r.max(r));
            let rejected = if overlaps {
                Some("overlaps a better mark")
            } else if !(lo..=hi).contains(&centre) {
                Some("centre intensity outside the tissue range")
            } else {
                isolation_v = isolation(img, x, y, 1.6 * r, centre, sign);
                if isolation_v < self.config.min_isolation {
                    Some("not isolated from its surroundings")
                } else {
                    let (lxx, lyy, lxy) = Self::shape_at(img, sc, e.x, e.y);
                    // Hessian eigenvalues, signed so that the expected curvature is positive.
                    let mid = -sign * (lxx + lyy) / 2.0;
                    let rad = (((lxx - lyy) / 2.0).powi(2) + lxy * lxy).sqrt();
                    let (weak, strong) = (mid - rad, mid + rad);
                    roundness = if weak > 0.0 && strong > 0.0 {
                        weak / strong
                    } else {
                        0.0
                    };
                    (roundness < self.config.min_roundness)
                        .then_some("elongated (Hessian roundness too low)")
                }
            };
            let isolation = isolation_v;
            kept += usize::from(rejected.is_none());
            out.push(Candidate {
                blob: Blob {
                    x,
                    y,
                    r,
                    score: e.score,
                    roundness,
                    isolation,
                    bright: e.bright,
                },
                centre,
                rejected,
            });
        }
        Ok(out)
    }
}

/// A scale-space extremum with the features the detector judged it by.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The blob.
    pub blob: Blob,
    /// Centre intensity (3×3 mean).
    pub centre: f64,
    /// Why it is not reported, or `None` when it is.
    pub rejected: Option<&'static str>,
}

/// The image noise as Gaussian-correlated noise: standard deviation `sd` and correlation
/// length `corr` (the σ of the Gaussian that correlates white noise), both estimated from
/// the image. It predicts the standard deviation of the scale-normalised LoG at any scale,
/// which turns filter responses into significances.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseModel {
    /// Pixel standard deviation from the median variance of 6×6 blocks (robust to the blocks
    /// that hold edges), corrected for correlation within a block and the χ² skew.
    pub sd: f64,
    /// Correlation length in pixels, from the lag-1 correlation ρ₁ = 1 − (diff sd / sd)²
    /// of Gaussian-correlated noise, ρ₁ = exp(−1/(4·corr²)).
    pub corr: f64,
}

impl NoiseModel {
    /// Estimates the model from one image.
    pub fn estimate(img: &Image) -> NoiseModel {
        const B: usize = 6;
        let mut vars = Vec::new();
        for by in 0..img.rows / B {
            for bx in 0..img.cols / B {
                let vals = (0..B * B).map(|k| f64::from(img.at(bx * B + k % B, by * B + k / B)));
                let (n, sum, sq) =
                    vals.fold((0.0, 0.0, 0.0), |(n, s, q), v| (n + 1.0, s + v, q + v * v));
                vars.push(((sq - sum * sum / n) / (n - 1.0)).max(0.0));
            }
        }
        let median_var = if vars.is_empty() {
            1.0
        } else {
            let mid = vars.len() / 2;
            let (_, m, _) = vars.select_nth_unstable_by(mid, f64::total_cmp);
            m.max(1e-6)
        };
        let diffs: Vec<f32> = img
            .data
            .chunks_exact(img.cols)
            .flat_map(|row| row.windows(2).map(|w| w[1] - w[0]))
            .collect();
        let diff_sd = if diffs.is_empty() {
            median_var.sqrt()
        } else {
            1.4826 * f64::from(median_abs(&diffs)) / std::f64::consts::SQRT_2
        };
        // A block's sample variance falls short of the pixel variance by the mean correlation
        // between its pixels, and its median by the χ² skew (ν = 35: factor (1 − 2/9ν)³).
        // Correct both, re-estimating the correlation from the corrected sd, twice.
        let skew = (1.0 - 2.0 / (9.0 * (B * B - 1) as f64)).powi(3);
        let mut model = NoiseModel {
            sd: (median_var / skew).sqrt(),
            corr: 0.0,
        };
        for _ in 0..2 {
            let rho = (1.0 - (diff_sd / model.sd).powi(2)).clamp(0.0, 0.95);
            model.corr = if rho > 1e-6 {
                (-1.0 / (4.0 * rho.ln())).sqrt()
            } else {
                0.0
            };
            model.sd = (median_var / (skew * block_shortfall(model.corr, B))).sqrt();
        }
        model
    }

    /// Standard deviation of σ²∇²(G_σ * noise): `sd · g · σ² / σ'³` with σ'² = σ² + corr²
    /// and gain g = max(√2·corr, 1/√(2π)) (the second term is the white-noise limit).
    pub fn log_sd(&self, sigma: f64) -> f64 {
        let s2 = sigma * sigma;
        let eff = (s2 + self.corr * self.corr).sqrt();
        let gain =
            (std::f64::consts::SQRT_2 * self.corr).max(1.0 / (2.0 * std::f64::consts::PI).sqrt());
        (self.sd * gain * s2 / (eff * eff * eff)).max(1e-6)
    }
}

/// Expected sample variance of a `b×b` block over the pixel variance for Gaussian-correlated
/// noise (correlation exp(−d²/(4·corr²)) at distance d): 1 − mean pairwise correlation.
fn block_shortfall(corr: f64, b: usize) -> f64 {
    if corr <= 0.0 {
        return 1.0;
    }
    let n = b * b;
    let mut sum = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let (dx, dy) = (
                    (i % b) as f64 - (j % b) as f64,
                    (i / b) as f64 - (j / b) as f64,
                );
                sum += (-(dx * dx + dy * dy) / (4.0 * corr * corr)).exp();
            }
        }
    }
    (1.0 - sum / (n * (n - 1)) as f64).max(0.05)
}

/// Mean of the 3×3 neighbourhood of the pixel nearest (x, y), clamped to the image.
fn mean3(img: &Image, x: f64, y: f64) -> f64 {
    let (xi, yi) = (x.round() as isize, y.round() as isize);
    let mut sum = 0.0;
    for dy in -1..=1 {
        for dx in -1..=1 {
            let xx = (xi + dx).clamp(0, img.cols as isize - 1) as usize;
            let yy = (yi + dy).clamp(0, img.rows as isize - 1) as usize;
            sum += f64::from(img.at(xx, yy));
        }
    }
    sum / 9.0
}

/// Fraction of 16 ring samples (3×3 means at `radius`) that differ from `centre` by at
/// least half the blob's contrast in the direction `sign` (+1 bright, −1 dark); the
/// contrast is the centre minus the ring median.
fn isolation(img: &Image, x: f64, y: f64, radius: f64, centre: f64, sign: f64) -> f64 {
    let ring: Vec<f64> = (0..16)
        .map(|k| {
            let phi = k as f64 * std::f64::consts::TAU / 16.0;
            mean3(img, x + radius * phi.cos(), y + radius * phi.sin())
        })
        .collect();
    let mut sorted = ring.clone();
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[7] + sorted[8]) / 2.0;
    let contrast = sign * (centre - median);
    if contrast <= 0.0 {
        return 0.0;
    }
    ring.iter()
        .filter(|&&v| sign * (centre - v) >= 0.5 * contrast)
        .count() as f64
        / 16.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An image of `outside` with the ellipse (semi-axes `a` along x, `b` along y) set to
    /// `inside`, plus a small deterministic texture so the noise estimate is not zero.
    fn ellipse(cx: f64, cy: f64, a: f64, b: f64, inside: f32, outside: f32) -> Image {
        let size = 128;
        let mut img = Image::filled(size, size, outside);
        for y in 0..size {
            for x in 0..size {
                let (u, v) = ((x as f64 - cx) / a, (y as f64 - cy) / b);
                if u * u + v * v <= 1.0 {
                    img.data[y * size + x] = inside;
                }
            }
        }
        for (i, v) in img.data.iter_mut().enumerate() {
            *v += ((i * 7919 % 13) as f32 - 6.0) * 0.5;
        }
        img
    }

    fn detect(img: &Image) -> Vec<Blob> {
        let device = Device::cpu();
        LogBlobDetector::new(&device, DetectorConfig::default())
            .detect(img)
            .unwrap()
    }

    #[test]
    fn noise_model_predicts_the_log_noise() {
        // Correlated noise as the phantom makes it: the model's sd and its prediction of the
        // LoG response's spread must match what the filters measure.
        let mut rng = crate::phantom::study_rng(4, 4);
        let mut noise = vec![0.0; 128 * 128];
        crate::phantom::add_noise(&mut rng, &mut noise, 128, 12.0);
        let img = Image {
            rows: 128,
            cols: 128,
            data: noise.iter().map(|&v| v as f32).collect(),
        };
        let model = NoiseModel::estimate(&img);
        assert!((model.sd - 12.0).abs() < 1.2, "{model:?}");
        assert!((0.5..1.2).contains(&model.corr), "{model:?}");
        let device = Device::cpu();
        let det = LogBlobDetector::new(&device, DetectorConfig::default());
        for sigma in [2.0, 4.0] {
            let sc = det.scale(&img, sigma).unwrap().unwrap();
            let measured = 1.4826 * f64::from(median_abs(&sc.log));
            let predicted = model.log_sd(sigma);
            assert!(
                (measured / predicted - 1.0).abs() < 0.25,
                "σ {sigma}: measured {measured}, predicted {predicted}"
            );
        }
    }

    #[test]
    fn kernels_respond_exactly_to_polynomials() {
        let [g, d1, d2] = kernels(1.5, 5);
        let ts: Vec<f32> = (-5..=5).map(|t| t as f32).collect();
        let dot = |k: &[f32], f: &dyn Fn(f32) -> f32| -> f32 {
            k.iter().zip(&ts).map(|(a, t)| a * f(*t)).sum()
        };
        assert!((dot(&g, &|_| 1.0) - 1.0).abs() < 1e-5);
        assert!((dot(&d1, &|t| t) - 1.0).abs() < 1e-5);
        assert!(dot(&d2, &|_| 1.0).abs() < 1e-5);
        assert!((dot(&d2, &|t| t * t) - 2.0).abs() < 1e-4);
    }

    #[test]
    fn finds_a_bright_and_a_dark_disc_with_their_size() {
        let b = detect(&ellipse(40.0, 60.0, 4.0, 4.0, 120.0, 40.0))[0];
        assert!(
            b.bright && (b.x - 40.0).abs() <= 1.0 && (b.y - 60.0).abs() <= 1.0,
            "{b:?}"
        );
        assert!((b.r - 4.0).abs() < 1.5 && b.roundness > 0.8, "{b:?}");
        let b = detect(&ellipse(80.0, 50.0, 6.0, 6.0, 0.0, 60.0))[0];
        assert!(
            !b.bright && (b.x - 80.0).abs() <= 1.0 && (b.y - 50.0).abs() <= 1.0,
            "{b:?}"
        );
        assert!((b.r - 6.0).abs() < 2.0, "{b:?}");
    }

    #[test]
    fn bone_and_elongated_structures_are_not_reported() {
        let near = |blobs: Vec<Blob>| blobs.iter().any(|b| (b.x - 64.0).hypot(b.y - 64.0) < 4.0);
        assert!(near(detect(&ellipse(64.0, 64.0, 4.0, 4.0, 200.0, 40.0))));
        assert!(!near(detect(&ellipse(64.0, 64.0, 4.0, 4.0, 900.0, 40.0))));
        assert!(!near(detect(&ellipse(64.0, 64.0, 12.0, 2.0, 200.0, 40.0))));
    }
}
