//! Loading a suite on a dataset: the library from the inputs (frames, or the paths named by the
//! truth lists), the truth checked row by row, and the scorer that checks and scores answers.

use crate::answer;
use crate::layout::{
    CLIPS_DIR, FACES_FILE, FACES_HEADER, GALLERY_FILE, GALLERY_HEADER, PAIRS_FILE, PAIRS_HEADER,
    PROBES_FILE, PROBES_HEADER, parse_frame_path, read_csv,
};
use crate::library::{Enrolled, FaceLibrary, Sample};
use crate::scoring;
use crate::suites::{self, Protocol, Style, SuiteKind};
use crate::templates;
use jiebang_core::bounded::limit;
use jiebang_core::{
    CoreError, Dataset, Inputs, ScoreContext, Scorer, Scores, SuiteSpec, TaskError,
};
use jiebang_metrics::biometrics::BoundingBox;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// One annotated face of a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct TruthFace {
    /// Track number within the clip.
    pub track: u32,
    /// The face box.
    pub bbox: BoundingBox,
}

/// The truth of one suite on one dataset, by sample index.
#[derive(Debug, Clone)]
pub enum Truth {
    /// Detect: the faces of each frame and its clip.
    Frames(Vec<(String, Vec<TruthFace>)>),
    /// Verify: whether each pair is mated.
    Pairs(Vec<bool>),
    /// Identify: each probe's enrolled identity, `None` for a non-mated probe.
    Probes(Vec<Option<String>>),
    /// Verify, template style: the number of images (samples) and each pair as two sample
    /// indices with whether it is mated.
    TemplatePairs(usize, Vec<(usize, usize, bool)>),
    /// Identify, template style: the gallery identities (samples `0..n`), then each probe's
    /// enrolled identity (the samples after them).
    TemplateProbes(Vec<String>, Vec<Option<String>>),
}

/// The scorer of one suite on one dataset.
#[derive(Debug)]
pub struct FaceScorer {
    protocol: Protocol,
    truth: Truth,
    enrolled: BTreeSet<String>,
}

#[derive(Debug, Deserialize)]
struct FaceRow {
    image: String,
    clip: String,
    frame: u32,
    track: u32,
    #[allow(dead_code)]
    identity: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

#[derive(Debug, Deserialize)]
struct PairRow {
    a: String,
    b: String,
    mated: u8,
}

#[derive(Debug, Deserialize)]
struct ImageRow {
    image: String,
    identity: String,
}

/// Loads `dataset` for `suite`.
pub fn load(
    suite: &SuiteSpec,
    dataset: &Dataset,
) -> Result<(Arc<FaceLibrary>, Arc<FaceScorer>), TaskError> {
    let protocol = suites::protocol(suite)?;
    let root = dataset.inputs().root();
    let (samples, gallery, truth) = match (protocol.answer, protocol.style) {
        (SuiteKind::Faces, _) => frames(dataset)?,
        (SuiteKind::Score, Style::Decision) => pairs(dataset)?,
        (SuiteKind::Score, Style::Template) => template_pairs(pairs(dataset)?),
        (SuiteKind::Candidates, Style::Decision) => probes(dataset)?,
        (SuiteKind::Candidates, Style::Template) => template_probes(probes(dataset)?),
    };
    let enrolled = gallery.iter().map(|g| g.identity.clone()).collect();
    let library = FaceLibrary::new(root, samples, gallery, protocol.k);
    Ok((
        Arc::new(library),
        Arc::new(FaceScorer {
            protocol,
            truth,
            enrolled,
        }),
    ))
}

type Parts = (Vec<Sample>, Vec<Enrolled>, Truth);

/// An input image named in `file` at `line`, column `column`: a clean relative path that the
/// manifest lists under `inputs/`.
fn input_image(
    inputs: &Inputs<'_>,
    file: &Path,
    line: usize,
    column: &str,
    rel: &str,
) -> Result<String, TaskError> {
    inputs.query_path(rel).map_err(|e| {
        TaskError::invalid_at(
            file,
            line,
            format!("column `{column}`: `{rel}` is not an input image ({e})"),
        )
    })
}

fn truth_text(
    dataset: &Dataset,
    rel: &str,
    what: &str,
) -> Result<(std::path::PathBuf, String), TaskError> {
    let truth = dataset.truth();
    let path = truth.path(rel, what)?;
    let text = truth.read_text(rel, limit::DATASET_INDEX, what)?;
    Ok((path, text))
}

fn frames(dataset: &Dataset) -> Result<Parts, TaskError> {
    let inputs = dataset.inputs();
    let manifest = dataset.root.join(jiebang_core::MANIFEST_FILE);
    let mut by_frame: BTreeMap<(String, u32), String> = BTreeMap::new();
    for (rel, _) in inputs.entries() {
        if !rel.starts_with(&format!("{CLIPS_DIR}/")) {
            continue;
        }
        let Some((clip, frame)) = parse_frame_path(rel) else {
            return Err(TaskError::invalid(
                &manifest,
                format!(
                    "input `{rel}`: expected a frame path `{CLIPS_DIR}/<clip>/<frame number>.png`"
                ),
            ));
        };
        if let Some(other) = by_frame.insert((clip.clone(), frame), rel.to_string()) {
            return Err(TaskError::invalid(
                &manifest,
                format!(
                    "frame {frame} of clip `{clip}` is listed twice (`{other}` and `{rel}`); expected one image per frame"
                ),
            ));
        }
    }
    let (path, text) = truth_text(dataset, FACES_FILE, "the face annotation file (faces.csv)")?;
    let rows: Vec<(usize, FaceRow)> = read_csv(&path, &text, FACES_HEADER)?;
    let index: BTreeMap<&str, usize> = by_frame
        .values()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    let mut faces: Vec<Vec<TruthFace>> = vec![Vec::new(); by_frame.len()];
    for (line, r) in rows {
        let bad = |m: String| TaskError::invalid_at(&path, line, m);
        let Some(&i) = index.get(r.image.as_str()) else {
            return Err(bad(format!(
                "column `image`: `{}` is not a frame of the inputs; expected a listed `{CLIPS_DIR}/<clip>/<frame>.png`",
                r.image
            )));
        };
        if parse_frame_path(&r.image) != Some((r.clip.clone(), r.frame)) {
            return Err(bad(format!(
                "columns `clip`, `frame` ({}, {}) do not match the image path `{}`",
                r.clip, r.frame, r.image
            )));
        }
        for (name, v) in [("x", r.x), ("y", r.y), ("w", r.w), ("h", r.h)] {
            if !v.is_finite() {
                return Err(bad(format!(
                    "column `{name}`: expected a finite number, found {v}"
                )));
            }
        }
        if r.w <= 0.0 || r.h <= 0.0 {
            return Err(bad(format!(
                "columns `w`, `h` ({}, {}): expected a box with positive sides",
                r.w, r.h
            )));
        }
        if faces[i].iter().any(|f| f.track == r.track) {
            return Err(bad(format!(
                "track {} is listed twice in frame {} of clip `{}`; expected one row per face instance",
                r.track, r.frame, r.clip
            )));
        }
        faces[i].push(TruthFace {
            track: r.track,
            bbox: BoundingBox {
                x_min: r.x,
                y_min: r.y,
                x_max: r.x + r.w,
                y_max: r.y + r.h,
            },
        });
    }
    let mut samples = Vec::new();
    let mut truth = Vec::new();
    for (((clip, frame), image), f) in by_frame.into_iter().zip(faces) {
        samples.push(Sample::Frame {
            image,
            clip: clip.clone(),
            frame,
        });
        truth.push((clip, f));
    }
    Ok((samples, Vec::new(), Truth::Frames(truth)))
}

fn pairs(dataset: &Dataset) -> Result<Parts, TaskError> {
    let inputs = dataset.inputs();
    let (path, text) = truth_text(
        dataset,
        PAIRS_FILE,
        "the verification pair list (pairs.csv)",
    )?;
    let rows: Vec<(usize, PairRow)> = read_csv(&path, &text, PAIRS_HEADER)?;
    let mut samples = Vec::with_capacity(rows.len());
    let mut mated = Vec::with_capacity(rows.len());
    for (line, r) in rows {
        let a = input_image(&inputs, &path, line, "a", &r.a)?;
        let b = input_image(&inputs, &path, line, "b", &r.b)?;
        if r.mated > 1 {
            return Err(TaskError::invalid_at(
                &path,
                line,
                format!("column `mated`: expected 0 or 1, found {}", r.mated),
            ));
        }
        samples.push(Sample::Pair { a, b });
        mated.push(r.mated == 1);
    }
    Ok((samples, Vec::new(), Truth::Pairs(mated)))
}

fn probes(dataset: &Dataset) -> Result<Parts, TaskError> {
    let inputs = dataset.inputs();
    let what = "the enrolment list (gallery.csv)";
    let gpath = inputs.path(GALLERY_FILE, what)?;
    let bytes = inputs.read(GALLERY_FILE, what)?;
    let gtext = String::from_utf8(bytes)
        .map_err(|e| TaskError::invalid(&gpath, format!("not UTF-8 text: {e}")))?;
    let mut gallery = Vec::new();
    let mut enrolled = BTreeSet::new();
    for (line, r) in read_csv::<ImageRow>(&gpath, &gtext, GALLERY_HEADER)? {
        let image = input_image(&inputs, &gpath, line, "image", &r.image)?;
        if r.identity.is_empty() {
            return Err(TaskError::invalid_at(
                &gpath,
                line,
                "column `identity` is empty; expected an identity name",
            ));
        }
        if !enrolled.insert(r.identity.clone()) {
            return Err(TaskError::invalid_at(
                &gpath,
                line,
                format!(
                    "identity `{}` is enrolled twice; expected one gallery image per identity",
                    r.identity
                ),
            ));
        }
        gallery.push(Enrolled {
            identity: r.identity,
            image,
        });
    }
    let (path, text) = truth_text(dataset, PROBES_FILE, "the probe list (probes.csv)")?;
    let mut samples = Vec::new();
    let mut truth = Vec::new();
    let mut seen = BTreeSet::new();
    for (line, r) in read_csv::<ImageRow>(&path, &text, PROBES_HEADER)? {
        let image = input_image(&inputs, &path, line, "image", &r.image)?;
        if !seen.insert(image.clone()) {
            return Err(TaskError::invalid_at(
                &path,
                line,
                format!("probe `{image}` is listed twice; expected each probe once"),
            ));
        }
        let identity = if r.identity.is_empty() {
            None
        } else if enrolled.contains(&r.identity) {
            Some(r.identity)
        } else {
            return Err(TaskError::invalid_at(
                &path,
                line,
                format!(
                    "column `identity`: `{}` is not enrolled in gallery.csv; expected an enrolled identity, or empty for a non-mated probe",
                    r.identity
                ),
            ));
        };
        samples.push(Sample::Probe { image });
        truth.push(identity);
    }
    Ok((samples, gallery, Truth::Probes(truth)))
}

/// Template style of verify: one sample per distinct image of the pair list (first use
/// order), the pairs as sample indices.
fn template_pairs((samples, gallery, truth): Parts) -> Parts {
    let Truth::Pairs(mated) = truth else {
        return (samples, gallery, truth);
    };
    let mut images: Vec<Sample> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut row = |image: &String| {
        *index.entry(image.clone()).or_insert_with(|| {
            images.push(Sample::Image {
                image: image.clone(),
            });
            images.len() - 1
        })
    };
    let mut pairs = Vec::with_capacity(samples.len());
    for (s, m) in samples.iter().zip(mated) {
        if let Sample::Pair { a, b } = s {
            let (i, j) = (row(a), row(b));
            pairs.push((i, j, m));
        }
    }
    let n = images.len();
    (images, gallery, Truth::TemplatePairs(n, pairs))
}

/// Template style of identify: the gallery images as the first samples, then the probes; the
/// queries name only the image.
fn template_probes((samples, gallery, truth): Parts) -> Parts {
    let Truth::Probes(mates) = truth else {
        return (samples, gallery, truth);
    };
    let mut images: Vec<Sample> = gallery
        .iter()
        .map(|g| Sample::Image {
            image: g.image.clone(),
        })
        .collect();
    images.extend(samples.into_iter().map(|s| match s {
        Sample::Probe { image } => Sample::Image { image },
        other => other,
    }));
    let identities = gallery.iter().map(|g| g.identity.clone()).collect();
    (images, gallery, Truth::TemplateProbes(identities, mates))
}

impl FaceScorer {
    /// The truth, by sample index.
    pub fn truth(&self) -> &Truth {
        &self.truth
    }
}

impl Scorer for FaceScorer {
    fn check_answer(&self, _index: usize, answer: &Value) -> Result<(), String> {
        if self.protocol.style == Style::Template {
            return templates::read(answer, self.protocol.template_dim).map(|_| ());
        }
        match self.protocol.answer {
            SuiteKind::Faces => answer::faces(answer, self.protocol.max_boxes).map(|_| ()),
            SuiteKind::Score => answer::score(answer).map(|_| ()),
            SuiteKind::Candidates => {
                answer::candidates(answer, self.protocol.k, &self.enrolled).map(|_| ())
            }
        }
    }

    fn score(
        &self,
        answers: &[(usize, Option<Value>)],
        ctx: &ScoreContext,
    ) -> Result<Scores, CoreError> {
        let device = || {
            jiebang_accel::Device::from_handle(&ctx.backend)
                .map_err(|e| CoreError::Other(format!("template matching: {e}")))
        };
        let out_of_range = |i: usize, n: usize| {
            CoreError::Other(format!("scoring: sample {i} out of range ({n} samples)"))
        };
        match &self.truth {
            Truth::Frames(frames) => {
                let mut scored = Vec::with_capacity(answers.len());
                for (i, a) in answers {
                    let (clip, faces) = frames
                        .get(*i)
                        .ok_or_else(|| out_of_range(*i, frames.len()))?;
                    let boxes = a
                        .as_ref()
                        .and_then(|v| answer::faces(v, self.protocol.max_boxes).ok());
                    scored.push((clip.as_str(), faces.as_slice(), boxes.map(|b| b.faces)));
                }
                scoring::detection(&scored, self.protocol.iou_threshold)
            }
            Truth::Pairs(mated) => {
                let mut scored = Vec::with_capacity(answers.len());
                for (i, a) in answers {
                    let m = *mated.get(*i).ok_or_else(|| out_of_range(*i, mated.len()))?;
                    scored.push((
                        m,
                        a.as_ref()
                            .and_then(|v| answer::score(v).ok())
                            .map(|s| s.score),
                    ));
                }
                scoring::verification(&scored)
            }
            Truth::Probes(mates) => {
                let mut scored = Vec::with_capacity(answers.len());
                for (i, a) in answers {
                    let mate = mates.get(*i).ok_or_else(|| out_of_range(*i, mates.len()))?;
                    let list = a
                        .as_ref()
                        .and_then(|v| answer::candidates(v, self.protocol.k, &self.enrolled).ok())
                        .map(|c| c.candidates);
                    scored.push((mate.as_deref(), list));
                }
                scoring::identification(&scored, self.protocol.k)
            }
            Truth::TemplatePairs(images, pairs) => templates::verification(
                device()?,
                answers,
                *images,
                pairs,
                self.protocol.template_dim,
            ),
            Truth::TemplateProbes(gallery, probes) => templates::identification(
                device()?,
                answers,
                gallery,
                probes,
                self.protocol.k,
                self.protocol.template_dim,
            ),
        }
    }
}
