//! The built-in face detector: a skin-chromaticity mask (invariant to illumination gain),
//! connected components, shape tests and a check for dark eye holes in the upper half.

use crate::raster::Raster;

/// A found face: box in pixels and a confidence in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// Confidence.
    pub score: f64,
}

/// Detector settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetectorConfig {
    /// Fewest skin pixels a face may have.
    pub min_area: usize,
    /// The share of the face height the detector assumes hair covers at the top.
    pub fringe: f64,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        DetectorConfig {
            min_area: 60,
            fringe: 0.22,
        }
    }
}

/// Whether a colour is skin-like: bright enough, red over green over blue, with skin's
/// chromaticity.
pub fn is_skin(p: [f32; 3]) -> bool {
    let sum = p[0] + p[1] + p[2];
    if sum < 0.3 {
        return false;
    }
    let (r, g) = (p[0] / sum, p[1] / sum);
    p[0] > p[1] && p[1] > p[2] && (0.37..=0.52).contains(&r) && (0.27..=0.37).contains(&g)
}

/// Finds faces in `img`.
pub fn detect(img: &Raster, cfg: &DetectorConfig) -> Vec<Found> {
    let (w, h) = (img.width, img.height);
    let mask: Vec<bool> = (0..w * h).map(|i| is_skin(img.at(i % w, i / w))).collect();
    let mut label = vec![u32::MAX; w * h];
    let mut found = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if !mask[start] || label[start] != u32::MAX {
            continue;
        }
        // Flood fill one component (4-connected), tracking its box and area.
        let id = start as u32;
        label[start] = id;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1, mut area) = (w, h, 0, 0, 0usize);
        while let Some(p) = stack.pop() {
            let (x, y) = (p % w, p / w);
            area += 1;
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
            let mut push = |q: usize| {
                if mask[q] && label[q] == u32::MAX {
                    label[q] = id;
                    stack.push(q);
                }
            };
            if x > 0 {
                push(p - 1);
            }
            if x + 1 < w {
                push(p + 1);
            }
            if y > 0 {
                push(p - w);
            }
            if y + 1 < h {
                push(p + w);
            }
        }
        if area < cfg.min_area {
            continue;
        }
        let (bw, bh) = ((x1 - x0 + 1) as f64, (y1 - y0 + 1) as f64);
        let fill = area as f64 / (bw * bh);
        let aspect = bh / bw;
        if !(0.45..=0.92).contains(&fill) || !(0.6..=1.8).contains(&aspect) {
            continue;
        }
        let holes = eye_holes(&label, id, w, x0, y0, x1, y1);
        if holes < 2.0 {
            continue;
        }
        // The skin starts below the fringe: extend the box upward to the forehead.
        let full_h = bh / (1.0 - cfg.fringe);
        let shape = 1.0 - ((fill - 0.72).abs() * 2.0).min(0.5);
        found.push(Found {
            x: x0 as f64,
            y: (y1 + 1) as f64 - full_h,
            w: bw,
            h: full_h,
            score: (shape * (holes / 6.0).min(1.0)).clamp(0.01, 1.0),
        });
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.x.total_cmp(&b.x)));
    found
}

/// Non-skin pixels enclosed by the component in the rows of its upper half (eyes, brows),
/// scaled to roughly the pixels of one eye.
fn eye_holes(label: &[u32], id: u32, w: usize, x0: usize, y0: usize, x1: usize, y1: usize) -> f64 {
    let (mut holes, mut rows) = (0usize, 0usize);
    let mid = y0 + (y1 - y0) * 3 / 5;
    for y in y0..=mid {
        let row = &label[y * w + x0..=y * w + x1];
        let (Some(a), Some(b)) = (
            row.iter().position(|&l| l == id),
            row.iter().rposition(|&l| l == id),
        ) else {
            continue;
        };
        rows += 1;
        holes += row[a..=b].iter().filter(|&&l| l != id).count();
    }
    let side = (x1 - x0 + 1) as f64;
    if rows == 0 {
        return 0.0;
    }
    // An eye is about 0.15 × 0.1 of the face width squared; count holes in eye units ×2.
    holes as f64 / (0.0075 * side * side).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::{Identity, Pose, draw_face};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn finds_a_drawn_face_and_ignores_a_skin_coloured_disc() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let who = Identity::random(&mut rng);
        let mut img = Raster::filled(160, 120, [0.2, 0.4, 0.3]);
        draw_face(
            &mut img,
            &who,
            Pose::FRONTAL,
            20.0,
            20.0,
            40.0,
            40.0 * who.aspect,
        );
        img.fill_ellipse(120.0, 60.0, 18.0, 24.0, who.skin);
        let found = detect(&img, &DetectorConfig::default());
        assert_eq!(found.len(), 1, "{found:?}");
        let f = found[0];
        let truth = jiebang_metrics::biometrics::BoundingBox {
            x_min: 20.0,
            y_min: 20.0,
            x_max: 60.0,
            y_max: 20.0 + 40.0 * who.aspect as f64,
        };
        let got = jiebang_metrics::biometrics::BoundingBox {
            x_min: f.x,
            y_min: f.y,
            x_max: f.x + f.w,
            y_max: f.y + f.h,
        };
        assert!(
            jiebang_metrics::biometrics::iou(&truth, &got) > 0.7,
            "{f:?}"
        );
    }
}
