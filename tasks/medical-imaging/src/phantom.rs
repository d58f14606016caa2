//! The seeded CT-like phantom: an axial chest or upper-abdomen slab with correlated noise,
//! body wall, ribs, spine, organs and vessels, lesions of three disease categories, and
//! lesion-like distractors (end-on vessels, granulomas, focal fat, perfusion variation).

use crate::image::Image;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Disease categories the phantom draws lesions from.
pub const CATEGORIES: [&str; 3] = ["lung-nodule", "lung-mass", "liver-lesion"];

/// Version of the phantom model; bump it when a change alters generated pixels.
pub const PHANTOM_VERSION: u32 = 1;

/// Generator parameters (from the suite's `[dataset]` table).
#[derive(Debug, Clone, PartialEq)]
pub struct PhantomParams {
    /// Image width and height in pixels (64..=1024).
    pub size: usize,
    /// Slices per study (1..=16).
    pub slices: usize,
    /// Field of view in mm (pixel spacing = fov / size).
    pub fov_mm: f64,
    /// Slice thickness and spacing in mm.
    pub slice_mm: f64,
}

impl Default for PhantomParams {
    fn default() -> Self {
        PhantomParams {
            size: 128,
            slices: 1,
            fov_mm: 350.0,
            slice_mm: 5.0,
        }
    }
}

/// A lesion as drawn: the ground truth written to the annotation file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LesionTruth {
    /// Slice index within the study.
    pub slice: usize,
    /// Centre column (pixel centres at integers).
    pub x: f64,
    /// Centre row.
    pub y: f64,
    /// Radius in pixels (of the cross-section on this slice).
    pub r: f64,
}

/// One rendered study.
#[derive(Debug, Clone)]
pub struct PhantomStudy {
    /// Anatomical level.
    pub level: Level,
    /// Slices in Hounsfield units, rounded.
    pub slices: Vec<Vec<i16>>,
    /// Disease category when positive.
    pub category: Option<&'static str>,
    /// Lesion cross-sections (empty for negatives).
    pub lesions: Vec<LesionTruth>,
    /// Noise standard deviation used (HU).
    pub noise_sd: f64,
}

/// Tissue labels used to place lesions and vessels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tissue {
    Air,
    Wall,
    Lung,
    Liver,
    Other,
}

/// An ellipse with a soft edge.
#[derive(Debug, Clone, Copy)]
struct Ellipse {
    cx: f64,
    cy: f64,
    a: f64,
    b: f64,
    angle: f64,
    value: f64,
}

impl Ellipse {
    fn circle(cx: f64, cy: f64, r: f64, value: f64) -> Self {
        Ellipse {
            cx,
            cy,
            a: r,
            b: r,
            angle: 0.0,
            value,
        }
    }
}

/// A uniform draw in `[lo, hi)`.
fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The canvas: HU values plus a tissue label per pixel.
struct Canvas {
    size: usize,
    hu: Vec<f64>,
    tissue: Vec<Tissue>,
}

impl Canvas {
    fn new(size: usize) -> Self {
        Canvas {
            size,
            hu: vec![-1000.0; size * size],
            tissue: vec![Tissue::Air; size * size],
        }
    }

    /// Paints `e` over the canvas with a logistic edge of width ~1 pixel; pixels more than
    /// half covered take `label` when one is given.
    fn paint(&mut self, e: &Ellipse, label: Option<Tissue>) {
        let reach = e.a.max(e.b) + 2.5;
        let (x0, x1) = (
            ((e.cx - reach).floor().max(0.0)) as usize,
            ((e.cx + reach).ceil().min(self.size as f64 - 1.0)).max(0.0) as usize,
        );
        let (y0, y1) = (
            ((e.cy - reach).floor().max(0.0)) as usize,
            ((e.cy + reach).ceil().min(self.size as f64 - 1.0)).max(0.0) as usize,
        );
        let (s, c) = e.angle.sin_cos();
        for y in y0..=y1 {
            for x in x0..=x1 {
                let (dx, dy) = (x as f64 - e.cx, y as f64 - e.cy);
                let (u, v) = (dx * c + dy * s, -dx * s + dy * c);
                let rho = (u * u + v * v).sqrt();
                let d = ((u / e.a).powi(2) + (v / e.b).powi(2)).sqrt();
                // Signed distance to the edge along the ray through the point (exact on a circle).
                let edge = if d > 0.0 { rho / d } else { e.a.min(e.b) };
                let signed = rho - edge;
                if signed > 2.5 {
                    continue;
                }
                // Deep inside, the logistic edge is 1 to within 4e-3: skip the exponential.
                let cover = if signed < -2.5 {
                    1.0
                } else {
                    1.0 / (1.0 + (signed / 0.45).exp())
                };
                let i = y * self.size + x;
                self.hu[i] += (e.value - self.hu[i]) * cover;
                if let Some(t) = label
                    && cover > 0.5
                {
                    self.tissue[i] = t;
                }
            }
        }
    }

    fn tissue_at(&self, x: f64, y: f64) -> Tissue {
        let (xi, yi) = (x.round(), y.round());
        if xi < 0.0 || yi < 0.0 || xi >= self.size as f64 || yi >= self.size as f64 {
            return Tissue::Air;
        }
        self.tissue[yi as usize * self.size + xi as usize]
    }

    /// Whether a disc of radius `r` (plus `margin`) at (x, y) lies wholly in `t`.
    fn disc_in(&self, x: f64, y: f64, r: f64, margin: f64, t: Tissue) -> bool {
        if self.tissue_at(x, y) != t {
            return false;
        }
        (0..16).all(|k| {
            let phi = k as f64 * std::f64::consts::TAU / 16.0;
            let rr = r + margin;
            self.tissue_at(x + rr * phi.cos(), y + rr * phi.sin()) == t
        })
    }

    /// A random point whose disc of radius `r` lies in `t`, if one is found.
    fn place(&self, rng: &mut ChaCha8Rng, r: f64, margin: f64, t: Tissue) -> Option<(f64, f64)> {
        let n = self.size as f64;
        for _ in 0..400 {
            let (x, y) = (uniform(rng, 2.0, n - 2.0), uniform(rng, 2.0, n - 2.0));
            if self.disc_in(x, y, r, margin, t) {
                return Some((x, y));
            }
        }
        None
    }
}

/// The anatomical level of a study: a chest slice (lungs, heart) or an upper-abdomen slice
/// (liver, spleen, stomach). Lung lesions appear at chest level, liver lesions at abdomen
/// level; negatives take either level in the same 2:1 proportion, so the level says nothing
/// about the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Lungs, heart, vessels.
    Chest,
    /// Liver, spleen, stomach.
    Abdomen,
}

/// The level a study of `category` is drawn at (`None`: negative, drawn 2:1 chest).
fn level_for(rng: &mut ChaCha8Rng, category: Option<&str>) -> Level {
    match category {
        Some("liver-lesion") => Level::Abdomen,
        Some(_) => Level::Chest,
        None if rng.random::<f64>() < 2.0 / 3.0 => Level::Chest,
        None => Level::Abdomen,
    }
}

/// Body outline, chest wall, spine, aorta and ribs; returns the body centre and semi-axes.
fn body(rng: &mut ChaCha8Rng, cv: &mut Canvas, u: f64) -> (f64, f64, f64, f64) {
    let cx = 64.0 * u + 2.0 * u * normal(rng);
    let cy = 66.0 * u + 2.0 * u * normal(rng);
    let a = (50.0 + uniform(rng, -4.0, 4.0)) * u;
    let b = (40.0 + uniform(rng, -3.0, 3.0)) * u;
    let tilt = 0.04 * normal(rng);
    let fat = -100.0 + 10.0 * normal(rng);
    let muscle = 45.0 + 5.0 * normal(rng);
    let ell = |cx, cy, a, b, angle, value| Ellipse {
        cx,
        cy,
        a,
        b,
        angle,
        value,
    };
    cv.paint(&ell(cx, cy, a, b, tilt, fat), Some(Tissue::Wall));
    cv.paint(
        &ell(cx, cy, a - 4.0 * u, b - 4.0 * u, tilt, muscle),
        Some(Tissue::Wall),
    );
    cv.paint(
        &ell(cx, cy, a - 7.0 * u, b - 7.0 * u, tilt, 35.0),
        Some(Tissue::Other),
    );
    let spine_y = cy + b - 12.0 * u;
    cv.paint(
        &Ellipse::circle(cx, spine_y, 7.0 * u, 650.0),
        Some(Tissue::Other),
    );
    cv.paint(
        &Ellipse::circle(cx, spine_y, 5.5 * u, 250.0),
        Some(Tissue::Other),
    );
    cv.paint(
        &Ellipse::circle(cx + 7.0 * u, spine_y - 11.0 * u, 4.5 * u, 45.0),
        Some(Tissue::Other),
    );
    // Ribs: small bright ellipses along the inside of the body wall.
    let ribs = rng.random_range(8..13);
    for k in 0..ribs {
        let phi = -2.6 + 5.2 * (k as f64 + uniform(rng, -0.2, 0.2)) / ribs as f64;
        let (rx, ry) = (
            cx + (a - 3.0 * u) * phi.sin(),
            cy - (b - 3.0 * u) * phi.cos(),
        );
        cv.paint(
            &ell(rx, ry, 2.6 * u, 1.6 * u, phi, 500.0 + 80.0 * normal(rng)),
            Some(Tissue::Wall),
        );
    }
    (cx, cy, a, b)
}

/// Vessel cross-sections in `tissue`: mostly oblique (elongated), some end-on (round), kept
/// `spacing` apart so that clusters stay rare.
#[allow(clippy::too_many_arguments)]
fn vessels(
    rng: &mut ChaCha8Rng,
    cv: &mut Canvas,
    tissue: Tissue,
    count: std::ops::Range<usize>,
    minor: (f64, f64),
    value: &dyn Fn(&mut ChaCha8Rng) -> f64,
    spacing: f64,
    u: f64,
) {
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for _ in 0..rng.random_range(count) {
        let m = uniform(rng, minor.0, minor.1) * u;
        let aspect = if rng.random::<f64>() < 0.3 {
            uniform(rng, 1.0, 1.3)
        } else {
            uniform(rng, 1.3, 4.0)
        };
        let Some((x, y)) = cv.place(rng, m * aspect, 0.5, tissue) else {
            continue;
        };
        if placed
            .iter()
            .any(|(vx, vy)| (vx - x).hypot(vy - y) < spacing * u)
        {
            continue;
        }
        placed.push((x, y));
        let v = value(rng);
        cv.paint(
            &Ellipse {
                cx: x,
                cy: y,
                a: m * aspect,
                b: m,
                angle: uniform(rng, 0.0, std::f64::consts::PI),
                value: v,
            },
            None,
        );
    }
}

/// A chest slice: lungs with vessels, heart.
fn chest(rng: &mut ChaCha8Rng, size: usize) -> Canvas {
    let u = size as f64 / 128.0;
    let mut cv = Canvas::new(size);
    let (cx, cy, _, _) = body(rng, &mut cv, u);
    let lung = -850.0 + 15.0 * normal(rng);
    for (dx, dy, a, b, angle) in [
        (-21.0, -6.0, 15.0, 23.0, 0.1),
        (21.0, -4.0, 15.0, 25.0, -0.1),
    ] {
        cv.paint(
            &Ellipse {
                cx: cx + dx * u,
                cy: cy + dy * u,
                a: (a + uniform(rng, -1.5, 1.5)) * u,
                b: (b + uniform(rng, -1.5, 1.5)) * u,
                angle: angle + 0.05 * normal(rng),
                value: lung,
            },
            Some(Tissue::Lung),
        );
    }
    cv.paint(
        &Ellipse {
            cx: cx + 4.0 * u,
            cy: cy + 2.0 * u,
            a: 12.0 * u,
            b: 13.0 * u,
            angle: 0.3,
            value: 40.0,
        },
        Some(Tissue::Other),
    );
    vessels(
        rng,
        &mut cv,
        Tissue::Lung,
        10..20,
        (0.4, 0.9),
        &|r| 30.0 + 20.0 * normal(r),
        4.0,
        u,
    );
    cv
}

/// An upper-abdomen slice: liver with vessels, spleen, stomach with a gas bubble.
fn abdomen(rng: &mut ChaCha8Rng, size: usize) -> Canvas {
    let u = size as f64 / 128.0;
    let mut cv = Canvas::new(size);
    let (cx, cy, _, _) = body(rng, &mut cv, u);
    let liver = 60.0 + 6.0 * normal(rng);
    cv.paint(
        &Ellipse {
            cx: cx - 15.0 * u,
            cy: cy - 3.0 * u,
            a: (28.0 + uniform(rng, -2.0, 2.0)) * u,
            b: (22.0 + uniform(rng, -2.0, 2.0)) * u,
            angle: 0.2 + 0.05 * normal(rng),
            value: liver,
        },
        Some(Tissue::Liver),
    );
    cv.paint(
        &Ellipse {
            cx: cx + 31.0 * u,
            cy: cy + 6.0 * u,
            a: 9.0 * u,
            b: 14.0 * u,
            angle: -0.3,
            value: 50.0,
        },
        Some(Tissue::Other),
    );
    let (sx, sy) = (cx + 17.0 * u, cy - 14.0 * u);
    cv.paint(
        &Ellipse {
            cx: sx,
            cy: sy,
            a: 11.0 * u,
            b: 8.0 * u,
            angle: 0.2,
            value: 15.0,
        },
        Some(Tissue::Other),
    );
    cv.paint(
        &Ellipse::circle(sx, sy - 4.0 * u, 4.0 * u, -1000.0),
        Some(Tissue::Air),
    );
    vessels(
        rng,
        &mut cv,
        Tissue::Liver,
        4..10,
        (0.5, 1.1),
        &|r| liver + uniform(r, 30.0, 70.0),
        5.0,
        u,
    );
    cv
}

/// Lesion-like distractors that are not disease, 1–3 per study whatever its label: at
/// chest level end-on vessels and calcified granulomas; at abdomen level focal fat
/// (elongated, hypodense) and faint perfusion variations (round, −4 to −10 HU).
fn distractors(rng: &mut ChaCha8Rng, cv: &mut Canvas, level: Level, u: f64) {
    for _ in 0..rng.random_range(1..4) {
        let pick = rng.random::<f64>();
        match level {
            Level::Chest if pick < 0.6 => {
                let r = uniform(rng, 1.0, 1.8) * u;
                if let Some((x, y)) = cv.place(rng, r, 1.0, Tissue::Lung) {
                    cv.paint(&Ellipse::circle(x, y, r, 20.0 + 15.0 * normal(rng)), None);
                }
            }
            Level::Chest => {
                let r = uniform(rng, 0.7, 1.5) * u;
                if let Some((x, y)) = cv.place(rng, r, 1.0, Tissue::Lung) {
                    cv.paint(&Ellipse::circle(x, y, r, uniform(rng, 400.0, 900.0)), None);
                }
            }
            Level::Abdomen if pick < 0.5 => {
                let minor = uniform(rng, 1.5, 3.0) * u;
                let major = minor * uniform(rng, 2.5, 4.0);
                if let Some((x, y)) = cv.place(rng, major, 1.0, Tissue::Liver) {
                    let base = cv.hu[y.round() as usize * cv.size + x.round() as usize];
                    cv.paint(
                        &Ellipse {
                            cx: x,
                            cy: y,
                            a: major,
                            b: minor,
                            angle: uniform(rng, 0.0, std::f64::consts::PI),
                            value: base - uniform(rng, 15.0, 35.0),
                        },
                        None,
                    );
                }
            }
            Level::Abdomen => {
                let r = uniform(rng, 3.0, 6.0) * u;
                if let Some((x, y)) = cv.place(rng, r, 1.0, Tissue::Liver) {
                    let base = cv.hu[y.round() as usize * cv.size + x.round() as usize];
                    cv.paint(
                        &Ellipse::circle(x, y, r, base - uniform(rng, 4.0, 10.0)),
                        None,
                    );
                }
            }
        }
    }
}

/// A 3-D lesion: centre, radius and the HU value it takes.
struct Lesion3 {
    x: f64,
    y: f64,
    z: f64,
    r: f64,
    value: f64,
}

/// Draws the lesions of a positive study of `category` (1–3 lesions).
fn lesions(
    rng: &mut ChaCha8Rng,
    cv: &Canvas,
    category: &str,
    u: f64,
    slices: usize,
    spacing_px: f64,
) -> Vec<Lesion3> {
    let count = match rng.random::<f64>() {
        p if p < 0.6 => 1,
        p if p < 0.85 => 2,
        _ => 3,
    };
    let mut out: Vec<Lesion3> = Vec::new();
    let mut tries = 0;
    // Keep drawing until the study has at least one lesion (placement rarely fails).
    while out.len() < count && (tries < 40 || out.is_empty()) && tries < 2000 {
        tries += 1;
        let (r, tissue, value) = match category {
            "lung-nodule" => {
                let r = (uniform(rng, 2.5f64.ln(), 5.5f64.ln())).exp() * u;
                let value = if rng.random::<f64>() < 0.7 {
                    uniform(rng, -20.0, 60.0)
                } else {
                    uniform(rng, -650.0, -350.0)
                };
                (r, Tissue::Lung, value)
            }
            "lung-mass" => (
                uniform(rng, 5.0, 7.5) * u,
                Tissue::Lung,
                uniform(rng, 10.0, 50.0),
            ),
            _ => {
                let r = (uniform(rng, 2.5f64.ln(), 7.0f64.ln())).exp() * u;
                (r, Tissue::Liver, -uniform(rng, 45.0, 100.0))
            }
        };
        // Lung lesions keep a radius of lung around them (juxta-pleural ones are rare).
        let margin = if tissue == Tissue::Lung {
            r.max(0.5)
        } else {
            0.5
        };
        let Some((x, y)) = cv.place(rng, r, margin, tissue) else {
            continue;
        };
        if out.iter().any(|l| (l.x - x).hypot(l.y - y) < l.r + r + 2.0) {
            continue;
        }
        let value = if tissue == Tissue::Liver {
            cv.hu[y.round() as usize * cv.size + x.round() as usize] + value
        } else {
            value
        };
        // The centre lies within 0.3 radius of a slice, so that slice shows at least 95% of
        // the radius and every positive study has a visible lesion.
        let k = rng.random_range(0..slices.max(1));
        let z = k as f64 * spacing_px + uniform(rng, -0.3, 0.3) * r;
        out.push(Lesion3 { x, y, z, r, value });
    }
    out
}

/// Adds correlated noise of standard deviation `sd`: white Gaussian noise through a separable
/// 5-tap Gaussian (σ ≈ 0.85 px), rescaled so the filtered noise has exactly `sd`.
pub(crate) fn add_noise(rng: &mut ChaCha8Rng, img: &mut [f64], size: usize, sd: f64) {
    let k = [0.0431, 0.2235, 0.4667, 0.2235, 0.0431];
    // The 2-D kernel is k⊗k, so filtered unit noise has sd sqrt((Σk²)²) = Σk².
    let norm: f64 = k.iter().map(|v: &f64| v * v).sum();
    let white: Vec<f64> = (0..size * size).map(|_| normal(rng)).collect();
    let mut tmp = vec![0.0; size * size];
    let clamp = |i: isize| i.clamp(0, size as isize - 1) as usize;
    for y in 0..size {
        for x in 0..size {
            let mut s = 0.0;
            for (j, w) in k.iter().enumerate() {
                s += w * white[y * size + clamp(x as isize + j as isize - 2)];
            }
            tmp[y * size + x] = s;
        }
    }
    for y in 0..size {
        for x in 0..size {
            let mut s = 0.0;
            for (j, w) in k.iter().enumerate() {
                s += w * tmp[clamp(y as isize + j as isize - 2) * size + x];
            }
            img[y * size + x] += sd * s / norm;
        }
    }
}

/// The study's random stream: the dataset seed, one stream per study.
pub fn study_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index.wrapping_add(1));
    rng
}

/// Renders study `index` with the given label (category when positive).
pub fn render_study(
    params: &PhantomParams,
    seed: u64,
    index: u64,
    category: Option<&'static str>,
) -> PhantomStudy {
    let mut rng = study_rng(seed, index);
    let size = params.size;
    let u = size as f64 / 128.0;
    let level = level_for(&mut rng, category);
    let mut cv = match level {
        Level::Chest => chest(&mut rng, size),
        Level::Abdomen => abdomen(&mut rng, size),
    };
    distractors(&mut rng, &mut cv, level, u);
    let spacing_px = params.slice_mm / (params.fov_mm / size as f64);
    let found = match category {
        Some(c) => lesions(&mut rng, &cv, c, u, params.slices, spacing_px),
        None => Vec::new(),
    };
    let noise_sd = uniform(&mut rng, 6.0, 16.0);
    let mut truth = Vec::new();
    let mut slices = Vec::with_capacity(params.slices);
    for s in 0..params.slices {
        let z = s as f64 * spacing_px;
        let mut layer = Canvas {
            size,
            hu: cv.hu.clone(),
            tissue: Vec::new(),
        };
        for l in &found {
            let dz = z - l.z;
            let r2 = l.r * l.r - dz * dz;
            if r2 <= 0.0 {
                continue;
            }
            let r = r2.sqrt();
            if r < 1.0 {
                continue;
            }
            layer.paint(&Ellipse::circle(l.x, l.y, r, l.value), None);
            truth.push(LesionTruth {
                slice: s,
                x: l.x,
                y: l.y,
                r,
            });
        }
        add_noise(&mut rng, &mut layer.hu, size, noise_sd);
        slices.push(
            layer
                .hu
                .iter()
                .map(|&v| v.round().clamp(-1024.0, 3071.0) as i16)
                .collect(),
        );
    }
    PhantomStudy {
        level,
        slices,
        category,
        lesions: truth,
        noise_sd,
    }
}

/// The HU slice as an [`Image`].
pub fn to_image(size: usize, hu: &[i16]) -> Image {
    Image {
        rows: size,
        cols: size,
        data: hu.iter().map(|&v| f32::from(v)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(slices: usize) -> PhantomParams {
        PhantomParams {
            slices,
            ..PhantomParams::default()
        }
    }

    #[test]
    fn positives_show_their_lesions_negatives_none() {
        for (i, cat) in CATEGORIES.iter().enumerate() {
            let s = render_study(&params(1), 3, i as u64, Some(cat));
            assert!(!s.lesions.is_empty(), "{cat}");
            assert_eq!(s.category, Some(*cat));
            let want = if *cat == "liver-lesion" {
                Level::Abdomen
            } else {
                Level::Chest
            };
            assert_eq!(s.level, want);
            for l in &s.lesions {
                assert!(
                    l.r >= 1.0 && l.x > l.r && l.y > l.r && l.x < 128.0 - l.r,
                    "{l:?}"
                );
            }
        }
        let s = render_study(&params(1), 3, 9, None);
        assert!(s.lesions.is_empty() && s.category.is_none());
        assert_eq!(s.slices.len(), 1);
        assert_eq!(s.slices[0].len(), 128 * 128);
    }

    #[test]
    fn multi_slice_studies_annotate_cross_sections() {
        let s = render_study(&params(4), 8, 2, Some("lung-mass"));
        assert_eq!(s.slices.len(), 4);
        assert!(s.lesions.iter().all(|l| l.slice < 4));
        // A sphere crosses neighbouring slices with smaller radii.
        assert!(!s.lesions.is_empty());
    }

    #[test]
    fn rendering_is_seeded() {
        let a = render_study(&params(1), 5, 1, Some("lung-nodule"));
        let b = render_study(&params(1), 5, 1, Some("lung-nodule"));
        let c = render_study(&params(1), 6, 1, Some("lung-nodule"));
        assert_eq!(a.slices, b.slices);
        assert_eq!(a.lesions, b.lesions);
        assert_ne!(a.slices, c.slices);
    }

    #[test]
    fn noise_has_the_requested_sd() {
        let mut rng = study_rng(1, 1);
        let mut img = vec![0.0; 128 * 128];
        add_noise(&mut rng, &mut img, 128, 10.0);
        let var = img.iter().map(|v| v * v).sum::<f64>() / img.len() as f64;
        assert!((var.sqrt() - 10.0).abs() < 0.5, "{}", var.sqrt());
    }
}
