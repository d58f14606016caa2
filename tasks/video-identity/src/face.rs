//! Synthetic identities: a parameter vector per person (face shape, skin and hair tone, eye
//! spacing, mouth, ...) and the drawing of that face into a box under given viewing conditions.

use crate::raster::Raster;
use rand::Rng;

/// Skin tones from light to dark; an identity's tone lies between two neighbours.
const SKIN: [[f32; 3]; 5] = [
    [0.96, 0.80, 0.69],
    [0.88, 0.67, 0.53],
    [0.76, 0.54, 0.40],
    [0.58, 0.39, 0.27],
    [0.40, 0.26, 0.18],
];

/// Hair colours: black, very dark brown, chestnut, auburn, blond, grey (kept off the skin
/// chromaticity locus, as most hair is, so hair and skin separate by colour).
const HAIR: [[f32; 3]; 6] = [
    [0.08, 0.07, 0.07],
    [0.09, 0.06, 0.05],
    [0.36, 0.18, 0.08],
    [0.50, 0.20, 0.08],
    [0.88, 0.80, 0.40],
    [0.60, 0.61, 0.63],
];

/// The parameters that make one synthetic person (fractions are of the face box).
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// Skin colour.
    pub skin: [f32; 3],
    /// Hair colour.
    pub hair: [f32; 3],
    /// Iris colour.
    pub iris: [f32; 3],
    /// Lip colour.
    pub lips: [f32; 3],
    /// Face height / width.
    pub aspect: f32,
    /// Share of the face height the fringe covers from the top.
    pub fringe: f32,
    /// Hair volume above and beside the face.
    pub hair_volume: f32,
    /// Half the distance between the eyes.
    pub eye_dx: f32,
    /// Eye height above the centre.
    pub eye_dy: f32,
    /// Eye radius.
    pub eye_r: f32,
    /// Eyebrow thickness.
    pub brow: f32,
    /// Nose length.
    pub nose: f32,
    /// Mouth height below the centre.
    pub mouth_dy: f32,
    /// Mouth half-width.
    pub mouth_w: f32,
    /// Mouth half-height.
    pub mouth_h: f32,
}

impl Identity {
    /// Draws a new person.
    pub fn random(rng: &mut impl Rng) -> Identity {
        let t: f32 = rng.random_range(0.0..(SKIN.len() - 1) as f32);
        let (i, f) = (t.floor() as usize, t.fract());
        let skin = std::array::from_fn(|c| {
            (SKIN[i][c] + f * (SKIN[i + 1][c] - SKIN[i][c]) + rng.random_range(-0.02..0.02))
                .clamp(0.0, 1.0)
        });
        let hair = HAIR[rng.random_range(0..HAIR.len())];
        let hair =
            std::array::from_fn(|c| (hair[c] * rng.random_range(0.85..1.15)).clamp(0.0, 1.0));
        let iris = match rng.random_range(0..3) {
            0 => [0.10, 0.07, 0.05],
            1 => [0.20, 0.25, 0.35],
            _ => [0.18, 0.22, 0.12],
        };
        Identity {
            skin,
            hair,
            iris,
            lips: [
                rng.random_range(0.45..0.75),
                rng.random_range(0.15..0.30),
                rng.random_range(0.15..0.30),
            ],
            aspect: rng.random_range(1.15..1.45),
            fringe: rng.random_range(0.12..0.32),
            hair_volume: rng.random_range(0.02..0.14),
            eye_dx: rng.random_range(0.16..0.25),
            eye_dy: rng.random_range(0.04..0.14),
            eye_r: rng.random_range(0.06..0.095),
            brow: rng.random_range(0.02..0.06),
            nose: rng.random_range(0.10..0.22),
            mouth_dy: rng.random_range(0.20..0.32),
            mouth_w: rng.random_range(0.12..0.24),
            mouth_h: rng.random_range(0.025..0.06),
        }
    }
}

/// How one appearance of a face differs from the identity's neutral look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Yaw-like turn in -1..=1: features shift sideways.
    pub yaw: f32,
    /// Mouth width factor (expression).
    pub smile: f32,
    /// Eyes half closed in 0..=1.
    pub blink: f32,
}

impl Pose {
    /// The frontal, neutral pose.
    pub const FRONTAL: Pose = Pose {
        yaw: 0.0,
        smile: 1.0,
        blink: 0.0,
    };
}

fn shade(rgb: [f32; 3], f: f32) -> [f32; 3] {
    rgb.map(|v| (v * f).clamp(0.0, 1.0))
}

/// Draws `who` so that the face oval fills the box `(x, y, w, h)` exactly (that box is the
/// face's ground truth); hair reaches above and beside it.
pub fn draw_face(img: &mut Raster, who: &Identity, pose: Pose, x: f32, y: f32, w: f32, h: f32) {
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let (rx, ry) = (w / 2.0, h / 2.0);
    // Hair behind the face: a larger oval shifted up.
    let v = who.hair_volume;
    img.fill_ellipse(
        cx,
        cy - h * (0.08 + v / 2.0),
        rx * (1.06 + v),
        ry * (0.98 + v / 2.0),
        who.hair,
    );
    img.fill_ellipse(cx, cy, rx, ry, who.skin);
    // Fringe: the top of the face oval in hair colour.
    let fringe_y = y + h * who.fringe;
    img.fill_where(x, y, x + w, fringe_y, who.hair, |px, py| {
        let (dx, dy) = ((px - cx) / rx, (py - cy) / ry);
        if dx * dx + dy * dy <= 1.0 && py <= fringe_y {
            1.0
        } else {
            0.0
        }
    });
    let shift = pose.yaw * 0.08 * w;
    // Nose: a slightly darker streak.
    let nose_top = cy - h * 0.02;
    img.fill_ellipse(
        cx + shift * 1.3,
        nose_top + h * who.nose / 2.0,
        w * 0.05,
        h * who.nose / 2.0,
        shade(who.skin, 0.82),
    );
    // Eyes: white, iris, brow.
    for side in [-1.0f32, 1.0] {
        let ex = cx + side * who.eye_dx * w * (1.0 - 0.25 * side * pose.yaw) + shift;
        let ey = cy - who.eye_dy * h;
        let er = who.eye_r * w;
        let open = 0.65 * (1.0 - 0.7 * pose.blink);
        img.fill_ellipse(ex, ey, er * 1.25, er * open, [0.93, 0.93, 0.90]);
        img.fill_ellipse(ex, ey, er * 0.7, er * open.min(0.7), who.iris);
        let by = ey - er * 1.5;
        img.fill_rect(
            ex - er * 1.4,
            by - who.brow * h / 2.0,
            ex + er * 1.4,
            by + who.brow * h / 2.0,
            who.hair,
        );
    }
    // Mouth.
    let mw = who.mouth_w * w * pose.smile;
    img.fill_ellipse(
        cx + shift,
        cy + who.mouth_dy * h,
        mw,
        who.mouth_h * h,
        who.lips,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn a_face_fills_its_box_with_skin_below_the_fringe() {
        let who = Identity::random(&mut ChaCha8Rng::seed_from_u64(1));
        let mut img = Raster::filled(64, 64, [0.0, 0.5, 0.0]);
        draw_face(&mut img, &who, Pose::FRONTAL, 12.0, 8.0, 40.0, 48.0);
        // Cheek: skin; a corner of the image: background.
        let cheek = img.at(20, 40);
        assert!(
            (cheek[0] - who.skin[0]).abs() < 0.05,
            "{cheek:?} vs {:?}",
            who.skin
        );
        assert_eq!(img.at(0, 63), [0.0, 0.5, 0.0]);
    }
}
