//! Viewing conditions the generator applies to a drawn image: clutter, illumination (gain,
//! gradient, colour cast), sensor noise; shared by the video scenes and the face portraits.

use crate::raster::Raster;
use rand::Rng;

/// A muted colour that is never skin-like (its red share is not above its green share), for
/// backgrounds and clutter that must not look like skin.
pub fn non_skin_colour(rng: &mut impl Rng) -> [f32; 3] {
    let mut c = [
        rng.random_range(0.05..0.9f32),
        rng.random_range(0.05..0.9f32),
        rng.random_range(0.05..0.9f32),
    ];
    if c[0] > c[1] {
        c.swap(0, 1);
    }
    c
}

/// A skin-like colour for distractors (wood, sand, cardboard): no eyes, no mouth.
pub fn skin_like_colour(rng: &mut impl Rng) -> [f32; 3] {
    let r = rng.random_range(0.45..0.95f32);
    [
        r,
        r * rng.random_range(0.68..0.82),
        r * rng.random_range(0.45..0.62),
    ]
}

/// Draws `count` random rectangles and ellipses; a share `skin_like` of them skin-coloured.
pub fn clutter(img: &mut Raster, rng: &mut impl Rng, count: usize, skin_like: f64) {
    let (w, h) = (img.width as f32, img.height as f32);
    for _ in 0..count {
        let colour = if rng.random_bool(skin_like) {
            skin_like_colour(rng)
        } else {
            non_skin_colour(rng)
        };
        let (cx, cy) = (rng.random_range(0.0..w), rng.random_range(0.0..h));
        let (sx, sy) = (
            rng.random_range(0.02..0.2) * w,
            rng.random_range(0.02..0.2) * h,
        );
        if rng.random_bool(0.5) {
            img.fill_rect(cx - sx, cy - sy, cx + sx, cy + sy, colour);
        } else {
            img.fill_ellipse(cx, cy, sx, sy, colour);
        }
    }
}

/// Illumination and sensor settings of one image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lighting {
    /// Overall gain.
    pub gain: f32,
    /// Gain change from the left edge to the right edge.
    pub gradient: f32,
    /// Per-channel white-balance factors.
    pub cast: [f32; 3],
    /// Amplitude of uniform per-pixel noise.
    pub noise: f32,
}

impl Lighting {
    /// Random lighting: gain in `gain`, gradient up to ±`gradient`, a colour cast up to ±`cast`.
    pub fn random(
        rng: &mut impl Rng,
        gain: std::ops::Range<f32>,
        gradient: f32,
        cast: f32,
    ) -> Lighting {
        Lighting {
            gain: rng.random_range(gain),
            gradient: rng.random_range(-gradient..=gradient),
            cast: std::array::from_fn(|_| rng.random_range(1.0 - cast..=1.0 + cast)),
            noise: 0.03,
        }
    }

    /// Applies the lighting and noise to every pixel.
    pub fn apply(&self, img: &mut Raster, rng: &mut impl Rng) {
        let w = img.width.max(1) as f32;
        for y in 0..img.height {
            for x in 0..img.width {
                let g = self.gain * (1.0 + self.gradient * (x as f32 / w - 0.5));
                let p = img.at(x, y);
                let q = std::array::from_fn(|c| {
                    (p[c] * g * self.cast[c] + rng.random_range(-self.noise..=self.noise))
                        .clamp(0.0, 1.0)
                });
                img.set(x, y, q);
            }
        }
    }
}
