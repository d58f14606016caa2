//! The built-in system `face-baseline`: the skin-chromaticity detector for the detect suite and
//! the patch matcher for verification and identification (gallery templates made at start), and
//! its templates as vectors for the template-style suites.

use crate::detector::{DetectorConfig, detect};
use crate::library::FaceLibrary;
use crate::matcher::{Template, Weights, embedding, similarity, template};
use crate::raster::Raster;
use crate::suites::{Protocol, Style, SuiteKind};
use jiebang_core::{BuiltinSystem, CoreError};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::path::{Component, Path, PathBuf};

/// The system's name.
pub const FACE_BASELINE: &str = "face-baseline";

/// The largest image file the system reads.
const MAX_IMAGE_BYTES: u64 = 64 << 20;

/// What the system reads of a query (each suite uses its own fields).
#[derive(Debug, Deserialize)]
struct Query {
    image: Option<String>,
    a: Option<String>,
    b: Option<String>,
    k: Option<usize>,
}

/// The baseline system for one suite.
pub struct FaceBaseline {
    kind: SuiteKind,
    style: Style,
    root: PathBuf,
    gallery: Vec<(String, Template)>,
    weights: Weights,
    max_boxes: usize,
}

/// Reads the image `rel` (relative, no `..`) under `root`.
fn read_image(root: &Path, rel: &str) -> Result<Raster, String> {
    let path = Path::new(rel);
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!(
            "image path {rel:?}: expected a relative path inside the inputs"
        ));
    }
    let full = root.join(path);
    let bytes = jiebang_core::bounded::read(&full, MAX_IMAGE_BYTES, "a face image")
        .map_err(|e| e.to_string())?;
    Raster::from_png(&full, &bytes).map_err(|e| e.to_string())
}

impl FaceBaseline {
    /// The system for a suite with `protocol` on `library`; for decision-style identification
    /// it makes the gallery templates now (untimed).
    pub fn new(protocol: &Protocol, library: &FaceLibrary) -> Result<FaceBaseline, CoreError> {
        let (kind, style, max_boxes) = (protocol.answer, protocol.style, protocol.max_boxes);
        let root = library.inputs_root().to_path_buf();
        let mut gallery = Vec::new();
        if kind == SuiteKind::Candidates && style == Style::Decision {
            for g in library.gallery() {
                let img = read_image(&root, &g.image).map_err(CoreError::Other)?;
                gallery.push((g.identity.clone(), template(&img)));
            }
        }
        Ok(FaceBaseline {
            kind,
            style,
            root,
            gallery,
            weights: Weights::default(),
            max_boxes,
        })
    }

    fn template_of(&self, rel: Option<&String>, field: &str) -> Result<Template, String> {
        let rel = rel.ok_or_else(|| format!("query field `{field}` is missing"))?;
        Ok(template(&read_image(&self.root, rel)?))
    }
}

impl BuiltinSystem for FaceBaseline {
    fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").into()
    }

    fn answer(&self, _index: usize, query: &Map<String, Value>) -> Result<Value, String> {
        let q: Query = jiebang_core::answer::read(&Value::Object(query.clone()))?;
        if self.style == Style::Template {
            let t = self.template_of(q.image.as_ref(), "image")?;
            return Ok(json!({ "template": embedding(&t, &self.weights) }));
        }
        match self.kind {
            SuiteKind::Faces => {
                let rel = q.image.ok_or("query field `image` is missing")?;
                let img = read_image(&self.root, &rel)?;
                let faces: Vec<Value> = detect(&img, &DetectorConfig::default())
                    .into_iter()
                    .take(self.max_boxes)
                    .map(|f| json!({"x": f.x, "y": f.y, "w": f.w, "h": f.h, "score": f.score}))
                    .collect();
                Ok(json!({ "faces": faces }))
            }
            SuiteKind::Score => {
                let a = self.template_of(q.a.as_ref(), "a")?;
                let b = self.template_of(q.b.as_ref(), "b")?;
                Ok(json!({ "score": similarity(&a, &b, &self.weights) }))
            }
            SuiteKind::Candidates => {
                let probe = self.template_of(q.image.as_ref(), "image")?;
                let k = q.k.unwrap_or(10);
                let mut scored: Vec<(f64, &str)> = self
                    .gallery
                    .iter()
                    .map(|(id, t)| (similarity(&probe, t, &self.weights), id.as_str()))
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                let candidates: Vec<Value> = scored
                    .into_iter()
                    .take(k)
                    .map(|(s, id)| json!({"identity": id, "score": s}))
                    .collect();
                Ok(json!({ "candidates": candidates }))
            }
        }
    }
}
