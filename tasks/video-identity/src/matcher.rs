//! The built-in matcher: a template per face image (a normalised brightness patch of the
//! detected face, its skin chromaticity and its hair-to-skin colour ratio) and their similarity.

use crate::detector::{DetectorConfig, Found, detect, is_skin};
use crate::raster::Raster;

/// Grid columns of the brightness patch.
const COLS: usize = 12;
/// Grid rows of the brightness patch.
const ROWS: usize = 16;

/// One face image's template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Mean-free, unit-length brightness patch over the face box.
    pub patch: Vec<f32>,
    /// Skin chromaticity (r, g).
    pub skin: [f32; 2],
    /// Hair colour over skin colour, per channel.
    pub hair: [f32; 3],
    /// Lip colour over skin colour, per channel.
    pub lips: [f32; 3],
}

/// Weights of the similarity's parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Per unit of skin chromaticity distance (L1).
    pub skin: f32,
    /// Per unit of hair ratio distance (L1).
    pub hair: f32,
    /// Per unit of lip ratio distance (L1).
    pub lips: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skin: 30.0,
            hair: 2.0,
            lips: 1.0,
        }
    }
}

/// The face box of a portrait: the most confident detection, or a centred guess.
fn face_box(img: &Raster) -> Found {
    let cfg = DetectorConfig {
        min_area: 40,
        ..DetectorConfig::default()
    };
    detect(img, &cfg).into_iter().next().unwrap_or_else(|| {
        let (w, h) = (img.width as f64, img.height as f64);
        Found {
            x: w * 0.27,
            y: h * 0.2,
            w: w * 0.46,
            h: w * 0.6,
            score: 0.0,
        }
    })
}

fn mean_colour(
    img: &Raster,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    keep: impl Fn([f32; 3]) -> bool,
) -> Option<[f32; 3]> {
    let (mut sum, mut n) = ([0.0f32; 3], 0usize);
    let xa = x0.max(0.0) as usize;
    let ya = y0.max(0.0) as usize;
    let xb = (x1.max(0.0) as usize).min(img.width);
    let yb = (y1.max(0.0) as usize).min(img.height);
    for y in ya..yb {
        for x in xa..xb {
            let p = img.at(x, y);
            if keep(p) {
                for c in 0..3 {
                    sum[c] += p[c];
                }
                n += 1;
            }
        }
    }
    (n > 0).then(|| sum.map(|s| s / n as f32))
}

/// The template of the face in `img`.
pub fn template(img: &Raster) -> Template {
    let f = face_box(img);
    let mut patch = Vec::with_capacity(COLS * ROWS);
    for r in 0..ROWS {
        for c in 0..COLS {
            // Only the face oval: the corners of the box show background.
            let (dx, dy) = (
                (c as f32 + 0.5) / COLS as f32 - 0.5,
                (r as f32 + 0.5) / ROWS as f32 - 0.5,
            );
            if dx * dx + dy * dy > 0.2 {
                patch.push(f32::NAN);
                continue;
            }
            // The mean brightness over the cell.
            let cx0 = f.x + c as f64 / COLS as f64 * f.w;
            let cy0 = f.y + r as f64 / ROWS as f64 * f.h;
            let cell = mean_colour(
                img,
                cx0,
                cy0,
                cx0 + f.w / COLS as f64 + 1.0,
                cy0 + f.h / ROWS as f64 + 1.0,
                |_| true,
            );
            patch.push(cell.map_or(0.0, |p| p[0] + p[1] + p[2]));
        }
    }
    let kept: Vec<f32> = patch.iter().copied().filter(|v| !v.is_nan()).collect();
    let mean = kept.iter().sum::<f32>() / kept.len().max(1) as f32;
    patch
        .iter_mut()
        .for_each(|v| *v = if v.is_nan() { 0.0 } else { *v - mean });
    let norm = patch.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
    patch.iter_mut().for_each(|v| *v /= norm);
    let skin_rgb = mean_colour(
        img,
        f.x,
        f.y + f.h * 0.35,
        f.x + f.w,
        f.y + f.h * 0.9,
        is_skin,
    )
    .unwrap_or([0.5, 0.4, 0.3]);
    let sum = (skin_rgb[0] + skin_rgb[1] + skin_rgb[2]).max(1e-6);
    let hair_rgb = mean_colour(
        img,
        f.x + f.w * 0.3,
        f.y + f.h * 0.02,
        f.x + f.w * 0.7,
        f.y + f.h * 0.1,
        |p| !is_skin(p),
    )
    .unwrap_or(skin_rgb);
    let lips_rgb = mean_colour(
        img,
        f.x + f.w * 0.3,
        f.y + f.h * 0.68,
        f.x + f.w * 0.7,
        f.y + f.h * 0.9,
        |p| !is_skin(p) && p[0] > p[1] * 1.3,
    )
    .unwrap_or(skin_rgb);
    Template {
        patch,
        lips: std::array::from_fn(|c| (lips_rgb[c] / skin_rgb[c].max(0.02)).min(4.0)),
        skin: [skin_rgb[0] / sum, skin_rgb[1] / sum],
        hair: std::array::from_fn(|c| (hair_rgb[c] / skin_rgb[c].max(0.02)).min(4.0)),
    }
}

/// Similarity of two templates: higher = more likely the same person.
pub fn similarity(a: &Template, b: &Template, w: &Weights) -> f64 {
    let cos: f32 = a.patch.iter().zip(&b.patch).map(|(x, y)| x * y).sum();
    let skin: f32 = a.skin.iter().zip(&b.skin).map(|(x, y)| (x - y).abs()).sum();
    let hair: f32 = a.hair.iter().zip(&b.hair).map(|(x, y)| (x - y).abs()).sum();
    let lips: f32 = a.lips.iter().zip(&b.lips).map(|(x, y)| (x - y).abs()).sum();
    f64::from(cos - w.skin * skin - w.hair * hair - w.lips * lips)
}

/// The template as one vector for the template-style suites, whose cosine the harness takes:
/// the unit brightness patch, then each colour feature `s` as the point `a·(cos θs, sin θs)`.
/// Every vector then has the same norm, and the cosine of two is, up to a constant factor,
/// `patch cosine − Σ a²·(1 − cos θΔs)`: a smooth stand-in for [`similarity`]'s weighted
/// distances (`a²θ²/2·Δ² ≈ weight·|Δ|` at a typical difference Δ).
pub fn embedding(t: &Template, w: &Weights) -> Vec<f32> {
    // (feature values, θ, typical difference) per part.
    let parts: [(&[f32], f32, f32, f32); 3] = [
        (&t.skin, 20.0, w.skin, 0.02),
        (&t.hair, 1.0, w.hair, 0.2),
        (&t.lips, 1.0, w.lips, 0.2),
    ];
    let mut v = t.patch.clone();
    for (values, theta, weight, typical) in parts {
        let a = (2.0 * weight / (theta * theta * typical)).sqrt();
        for &s in values {
            v.push(a * (theta * s).cos());
            v.push(a * (theta * s).sin());
        }
    }
    v
}

#[cfg(test)]
mod embedding_tests {
    use super::*;

    fn cos(a: &[f32], b: &[f32]) -> f32 {
        let d = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(u, v)| u * v).sum::<f32>();
        d(a, b) / (d(a, a) * d(b, b)).sqrt()
    }

    #[test]
    fn embeddings_have_one_norm_and_rank_as_the_similarity_does() {
        let w = Weights::default();
        let patch: Vec<f32> = (0..8)
            .map(|i| if i % 2 == 0 { 0.5 } else { -0.5 })
            .collect();
        let t = |skin: f32, hair: f32| Template {
            patch: patch.clone(),
            skin: [skin, 0.33],
            hair: [hair; 3],
            lips: [1.2; 3],
        };
        let (a, near, far) = (t(0.45, 1.0), t(0.46, 1.1), t(0.50, 1.6));
        let (ea, en, ef) = (embedding(&a, &w), embedding(&near, &w), embedding(&far, &w));
        let norm = |v: &[f32]| v.iter().map(|x| x * x).sum::<f32>();
        assert!(
            (norm(&ea) - norm(&ef)).abs() < 1e-3,
            "{} {}",
            norm(&ea),
            norm(&ef)
        );
        assert!((cos(&ea, &ea) - 1.0).abs() < 1e-6);
        assert!(similarity(&a, &near, &w) > similarity(&a, &far, &w));
        assert!(cos(&ea, &en) > cos(&ea, &ef));
        assert_eq!(ea.len(), 8 + 2 * 8);
    }
}
