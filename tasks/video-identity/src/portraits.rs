//! The verify and identify suites' image generator: one face per square image, roughly
//! centred, under varied pose, expression, illumination, blur, background and partial cover.

use crate::conditions::{Lighting, clutter, non_skin_colour};
use crate::face::{Identity, Pose, draw_face};
use crate::raster::Raster;
use rand::Rng;

/// Draws one image of `who`, `size` pixels square, under random conditions; `enrolment`
/// images are taken under controlled ones (frontal, neutral, even light, nothing covering).
pub fn portrait(rng: &mut impl Rng, who: &Identity, size: u32, enrolment: bool) -> Raster {
    let s = size as f32;
    let mut img = Raster::filled(size as usize, size as usize, non_skin_colour(rng));
    let shapes = rng.random_range(1..4);
    clutter(&mut img, rng, shapes, 0.0);
    let w = s * rng.random_range(0.40..0.50);
    let h = w * who.aspect;
    let cx = s / 2.0 + rng.random_range(-0.06..0.06) * s;
    let cy = s / 2.0 + rng.random_range(0.0..0.08) * s;
    let (x, y) = (cx - w / 2.0, (cy - h / 2.0).max(1.0));
    let pose = if enrolment {
        Pose::FRONTAL
    } else {
        Pose {
            yaw: rng.random_range(-0.2..0.2),
            smile: rng.random_range(0.92..1.08),
            blink: if rng.random_bool(0.15) { 0.7 } else { 0.0 },
        }
    };
    draw_face(&mut img, who, pose, x, y, w, h);
    if !enrolment && rng.random_bool(0.08) {
        // A scarf over the mouth and chin.
        let top = y + h * rng.random_range(0.7..0.8);
        img.fill_rect(x - 2.0, top, x + w + 2.0, y + h + 2.0, non_skin_colour(rng));
    }
    let blur = if enrolment {
        0
    } else {
        rng.random_range(0..3usize)
    };
    img.motion_blur(0, 0, size as usize, size as usize, blur);
    let light = if enrolment {
        Lighting::random(rng, 0.9..1.05, 0.05, 0.01)
    } else {
        Lighting::random(rng, 0.7..1.15, 0.15, 0.02)
    };
    light.apply(&mut img, rng);
    img
}
