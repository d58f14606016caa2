//! The embedded suites (`detect@1`, `verify-1to1@1`, `identify-1toN@1` and the template twins)
//! and their `[protocol]` and `[dataset]` tables read as types, with range checks naming the field.

use jiebang_core::{CoreError, EmbeddedSuite, SuiteSpec, parse_embedded};
use serde::Deserialize;

/// The embedded suite texts with the paths they have in the repository (errors name them).
pub const EMBEDDED: [EmbeddedSuite; 5] = [
    (
        "tasks/video-identity/suites/detect.toml",
        include_str!("../suites/detect.toml"),
    ),
    (
        "tasks/video-identity/suites/verify.toml",
        include_str!("../suites/verify.toml"),
    ),
    (
        "tasks/video-identity/suites/identify.toml",
        include_str!("../suites/identify.toml"),
    ),
    (
        "tasks/video-identity/suites/verify-template.toml",
        include_str!("../suites/verify-template.toml"),
    ),
    (
        "tasks/video-identity/suites/identify-template.toml",
        include_str!("../suites/identify-template.toml"),
    ),
];

/// The suite ids, in [`EMBEDDED`] order.
pub const SUITE_IDS: [&str; 5] = [
    "video-identity/detect",
    "video-identity/verify-1to1",
    "video-identity/identify-1toN",
    "video-identity/verify-1to1-template",
    "video-identity/identify-1toN-template",
];

/// The most samples (frames, pairs, probes) a generated dataset may have.
pub const MAX_SAMPLES: u64 = 100_000;

/// Parses the embedded suites.
pub fn embedded() -> Result<Vec<SuiteSpec>, CoreError> {
    parse_embedded(&EMBEDDED)
}

/// What a suite's answers carry (its `protocol.answer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuiteKind {
    /// Face boxes per frame (`"faces"`): the detect suite.
    Faces,
    /// One similarity score per pair (`"score"`): the 1:1 verification suite.
    Score,
    /// A candidate list per probe (`"candidates"`): the 1:N identification suite.
    Candidates,
}

/// Who matches: the system (`"decision"`: a score or a candidate list per query) or the
/// harness (`"template"`: one template per image, matched on the run's backend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// The system answers the decision.
    #[default]
    Decision,
    /// The system answers `{"template": [...]}` per image; the harness matches.
    Template,
}

/// The suite's `[protocol]` table.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protocol {
    /// What an answer carries.
    pub answer: SuiteKind,
    /// Detect: the IoU a box needs to match a face.
    #[serde(default = "default_iou")]
    pub iou_threshold: f64,
    /// Detect: the most boxes an answer may hold.
    #[serde(default = "default_max_boxes")]
    pub max_boxes: usize,
    /// Identify: the candidate list length asked for.
    #[serde(default = "default_k")]
    pub k: usize,
    /// Verify, identify: who matches.
    #[serde(default)]
    pub style: Style,
    /// Template style: the template dimension every answer must have; absent, the run's
    /// dimension is that of the valid template with the lowest sample index.
    #[serde(default)]
    pub template_dim: Option<usize>,
}

fn default_iou() -> f64 {
    0.5
}

fn default_max_boxes() -> usize {
    1000
}

fn default_k() -> usize {
    10
}

/// Reads and checks the suite's `[protocol]` table.
pub fn protocol(suite: &SuiteSpec) -> Result<Protocol, CoreError> {
    let p: Protocol = suite.protocol()?;
    suite.in_range("protocol.iou_threshold", p.iou_threshold, 0.05..=1.0)?;
    suite.in_range("protocol.max_boxes", p.max_boxes, 1..=1000)?;
    suite.in_range("protocol.k", p.k, 1..=1000)?;
    if let Some(d) = p.template_dim {
        suite.in_range("protocol.template_dim", d, 1..=crate::templates::MAX_DIM)?;
    }
    if p.style == Style::Template && p.answer == SuiteKind::Faces {
        return Err(suite.field_error(
            "protocol.style",
            "expected \"decision\" for a detect suite (templates are for verify and identify)"
                .into(),
        ));
    }
    Ok(p)
}

/// The `[dataset]` table of every suite of this direction (each suite reads its own fields).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetSection {
    /// `face-scenes` (detect) or `face-portraits` (verify, identify).
    pub generator: String,
    /// Default sample count (frames, pairs or probes), read by the engine.
    pub samples: u64,
    /// Default seed, read by the engine.
    pub seed: u64,
    /// Detect: frames per clip.
    #[serde(default)]
    pub clip_frames: Option<u64>,
    /// Detect: frame width in pixels.
    #[serde(default)]
    pub width: Option<u32>,
    /// Detect: frame height in pixels.
    #[serde(default)]
    pub height: Option<u32>,
    /// Detect: fewest faces (tracks) per clip.
    #[serde(default)]
    pub faces_min: Option<u32>,
    /// Detect: most faces (tracks) per clip.
    #[serde(default)]
    pub faces_max: Option<u32>,
    /// Verify: subjects.
    #[serde(default)]
    pub subjects: Option<u32>,
    /// Verify: images per subject.
    #[serde(default)]
    pub images_per_subject: Option<u32>,
    /// Verify: share of genuine pairs.
    #[serde(default)]
    pub genuine_fraction: Option<f64>,
    /// Identify: enrolled identities.
    #[serde(default)]
    pub gallery: Option<u32>,
    /// Identify: share of mated probes.
    #[serde(default)]
    pub mated_fraction: Option<f64>,
    /// Verify, identify: side of the square face images in pixels.
    #[serde(default)]
    pub size: Option<u32>,
}

/// Generator settings of the detect suite, checked.
#[derive(Debug, Clone, Copy)]
pub struct SceneSettings {
    /// Frames per clip.
    pub clip_frames: u64,
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Fewest faces per clip.
    pub faces_min: u32,
    /// Most faces per clip.
    pub faces_max: u32,
}

/// Generator settings of the verify and identify suites, checked.
#[derive(Debug, Clone, Copy)]
pub struct PortraitSettings {
    /// Verify: subjects.
    pub subjects: u32,
    /// Verify: images per subject.
    pub images_per_subject: u32,
    /// Verify: share of genuine pairs.
    pub genuine_fraction: f64,
    /// Identify: enrolled identities.
    pub gallery: u32,
    /// Identify: share of mated probes.
    pub mated_fraction: f64,
    /// Image side in pixels.
    pub size: u32,
}

fn section(suite: &SuiteSpec, generator: &str) -> Result<DatasetSection, CoreError> {
    let d: DatasetSection = suite.dataset()?;
    if d.generator != generator {
        return Err(suite.field_error(
            "dataset.generator",
            format!("expected {generator:?}, found {:?}", d.generator),
        ));
    }
    Ok(d)
}

/// The detect suite's generator settings.
pub fn scene_settings(suite: &SuiteSpec) -> Result<SceneSettings, CoreError> {
    let d = section(suite, "face-scenes")?;
    let faces_min = suite.in_range("dataset.faces_min", d.faces_min.unwrap_or(3), 1..=8)?;
    Ok(SceneSettings {
        clip_frames: suite.in_range("dataset.clip_frames", d.clip_frames.unwrap_or(8), 1..=1000)?,
        width: suite.in_range("dataset.width", d.width.unwrap_or(320), 160..=1920)?,
        height: suite.in_range("dataset.height", d.height.unwrap_or(240), 120..=1080)?,
        faces_min,
        faces_max: suite.in_range("dataset.faces_max", d.faces_max.unwrap_or(5), faces_min..=8)?,
    })
}

/// The verify or identify suite's generator settings.
pub fn portrait_settings(suite: &SuiteSpec) -> Result<PortraitSettings, CoreError> {
    let d = section(suite, "face-portraits")?;
    Ok(PortraitSettings {
        subjects: suite.in_range("dataset.subjects", d.subjects.unwrap_or(60), 2..=100_000)?,
        images_per_subject: suite.in_range(
            "dataset.images_per_subject",
            d.images_per_subject.unwrap_or(4),
            2..=100,
        )?,
        genuine_fraction: suite.in_range(
            "dataset.genuine_fraction",
            d.genuine_fraction.unwrap_or(0.2),
            0.0..=1.0,
        )?,
        gallery: suite.in_range("dataset.gallery", d.gallery.unwrap_or(100), 1..=100_000)?,
        mated_fraction: suite.in_range(
            "dataset.mated_fraction",
            d.mated_fraction.unwrap_or(0.5),
            0.0..=1.0,
        )?,
        size: suite.in_range("dataset.size", d.size.unwrap_or(96), 48..=512)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_suites_parse_and_resolve_in_the_catalogue() {
        let suites = embedded().unwrap();
        let ids: Vec<_> = suites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, SUITE_IDS);
        let kinds: Vec<_> = suites.iter().map(|s| protocol(s).unwrap().answer).collect();
        assert_eq!(
            kinds,
            [
                SuiteKind::Faces,
                SuiteKind::Score,
                SuiteKind::Candidates,
                SuiteKind::Score,
                SuiteKind::Candidates
            ]
        );
        let styles: Vec<_> = suites.iter().map(|s| protocol(s).unwrap().style).collect();
        assert_eq!(
            styles[2..],
            [Style::Decision, Style::Template, Style::Template]
        );
        let d = crate::catalogue::direction();
        for s in &suites {
            for m in &s.metrics {
                assert!(d.metric(m).is_some(), "{}: metric {m}", s.id);
            }
            for i in &s.indicators {
                assert!(d.indicator(i).is_some(), "{}: indicator {i}", s.id);
            }
        }
        let scene = scene_settings(&suites[0]).unwrap();
        assert_eq!(
            (scene.width, scene.height, scene.clip_frames),
            (320, 240, 8)
        );
        assert_eq!(portrait_settings(&suites[2]).unwrap().gallery, 100);
    }

    #[test]
    fn bad_settings_name_the_field() {
        let mut s = embedded().unwrap().remove(0);
        s.dataset.insert("width".into(), toml::Value::Integer(7));
        let e = scene_settings(&s).unwrap_err().to_string();
        assert!(
            e.contains("dataset.width") && e.contains("160..=1920"),
            "{e}"
        );
        s.protocol
            .insert("answer".into(), toml::Value::String("boxes".into()));
        let e = protocol(&s).unwrap_err().to_string();
        assert!(e.contains("protocol.answer") && e.contains("boxes"), "{e}");
    }
}
