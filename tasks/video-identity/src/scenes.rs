//! The detect suite's generator: clips of cluttered scenes in which several synthetic faces
//! move along tracks at varied scale, pose, motion blur, illumination and occlusion.

use crate::conditions::{Lighting, clutter, non_skin_colour};
use crate::face::{Identity, Pose, draw_face};
use crate::raster::Raster;
use crate::suites::SceneSettings;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One face in one frame: the truth row of `faces.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceInstance {
    /// Track number within the clip.
    pub track: u32,
    /// Identity name (`p0007`).
    pub identity: String,
    /// Box left, pixels.
    pub x: f32,
    /// Box top.
    pub y: f32,
    /// Box width.
    pub w: f32,
    /// Box height.
    pub h: f32,
}

/// A face moving through a clip.
struct Track {
    who: usize,
    x: f32,
    y: f32,
    w: f32,
    vx: f32,
    vy: f32,
    grow: f32,
    yaw: f32,
    yaw_speed: f32,
    /// An occluding object in front of the face: (from frame, colour, side, share covered).
    occluder: Option<(u64, [f32; 3], u8, f32)>,
}

/// Rounds a coordinate to the two decimals the truth file carries.
fn r2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Renders clip `clip` (`frames` frames) with faces drawn from `people`; returns the frames
/// with their face instances.
pub fn render_clip(
    settings: &SceneSettings,
    people: &[Identity],
    seed: u64,
    clip: u64,
    frames: u64,
) -> Vec<(Raster, Vec<FaceInstance>)> {
    let mut rng =
        ChaCha8Rng::seed_from_u64(seed ^ (0x5ce7e << 20) ^ clip.wrapping_mul(0x9e37_79b9));
    let (fw, fh) = (settings.width as f32, settings.height as f32);
    let mut background = Raster::filled(
        settings.width as usize,
        settings.height as usize,
        non_skin_colour(&mut rng),
    );
    let shapes = rng.random_range(12..24);
    clutter(&mut background, &mut rng, shapes, 0.05);
    let count = rng.random_range(settings.faces_min..=settings.faces_max) as usize;
    let mut tracks: Vec<Track> = (0..count)
        .map(|k| {
            let w = rng.random_range(0.07..0.19) * fw;
            // Start in one of `count` vertical lanes so that faces rarely start on top of each other.
            let lane = fw / count as f32;
            Track {
                who: rng.random_range(0..people.len()),
                x: (lane * k as f32 + rng.random_range(0.0..(lane - w).max(1.0)))
                    .clamp(1.0, fw - w - 1.0),
                y: rng.random_range(1.0..(fh - w * 1.5 - 1.0).max(2.0)),
                w,
                vx: rng.random_range(-3.0..3.0),
                vy: rng.random_range(-1.5..1.5),
                grow: rng.random_range(0.98..1.02),
                yaw: rng.random_range(-0.6..0.6),
                yaw_speed: rng.random_range(-0.08..0.08),
                occluder: rng.random_bool(0.12).then(|| {
                    (
                        rng.random_range(0..frames.max(1)),
                        non_skin_colour(&mut rng),
                        rng.random_range(0..4u8),
                        rng.random_range(0.15..0.45),
                    )
                }),
            }
        })
        .collect();
    let mut lighting = Lighting::random(&mut rng, 0.55..1.2, 0.3, 0.05);
    let mut out = Vec::new();
    for frame in 0..frames {
        let mut img = background.clone();
        // Faces far away (small) first, near ones over them.
        let mut order: Vec<usize> = (0..tracks.len()).collect();
        order.sort_by(|&a, &b| tracks[a].w.total_cmp(&tracks[b].w));
        let mut faces = Vec::new();
        for &k in &order {
            let t = &tracks[k];
            let who = &people[t.who];
            let (x, y, w) = (r2(t.x), r2(t.y), r2(t.w));
            let h = r2(t.w * who.aspect);
            let pose = Pose {
                yaw: t.yaw.clamp(-1.0, 1.0),
                smile: 1.0 + 0.1 * ((frame as f32 + k as f32) * 0.7).sin(),
                blink: if rng.random_bool(0.1) { 0.8 } else { 0.0 },
            };
            // Squash with the turn: a turned face looks narrower.
            draw_face(&mut img, who, pose, x, y, w, h);
            if let Some((from, colour, side, share)) = t.occluder
                && frame >= from
            {
                let (ox, oy) = match side {
                    0 => (x, y + h * (1.0 - share)),
                    1 => (x + w * (1.0 - share), y),
                    2 => (x - 2.0, y + h * 0.3),
                    _ => (x, y),
                };
                let (ow, oh) = match side {
                    0 => (w, h * share),
                    1 => (w * share, h),
                    2 => (w * share + 2.0, h * 0.4),
                    _ => (w * share, h * share),
                };
                img.fill_rect(ox, oy, ox + ow, oy + oh, colour);
            }
            let blur = (t.vx.abs() * 1.5).round() as usize;
            img.motion_blur(
                (x - 4.0).max(0.0) as usize,
                (y - 4.0).max(0.0) as usize,
                (x + w + 5.0) as usize,
                (y + h + 5.0) as usize,
                blur,
            );
            faces.push(FaceInstance {
                track: k as u32,
                identity: format!("p{:04}", t.who),
                x,
                y,
                w,
                h,
            });
        }
        faces.sort_by_key(|f| f.track);
        lighting.apply(&mut img, &mut rng);
        out.push((img, faces));
        // Move: bounce off the frame edges, keep every box inside the frame.
        for t in &mut tracks {
            let aspect = people[t.who].aspect;
            t.w = (t.w * t.grow).clamp(0.06 * fw, (0.22 * fw).min((fh - 2.0) / aspect));
            t.x += t.vx;
            t.y += t.vy;
            if t.x < 1.0 || t.x + t.w > fw - 1.0 {
                t.vx = -t.vx;
            }
            if t.y < 1.0 || t.y + t.w * aspect > fh - 1.0 {
                t.vy = -t.vy;
            }
            t.x = t.x.clamp(1.0, fw - t.w - 1.0);
            t.y = t.y.clamp(1.0, fh - t.w * aspect - 1.0);
            t.yaw += t.yaw_speed;
            if t.yaw.abs() > 0.8 {
                t.yaw_speed = -t.yaw_speed;
            }
        }
        lighting.gain = (lighting.gain * rng.random_range(0.97..1.03)).clamp(0.5, 1.25);
    }
    out
}
